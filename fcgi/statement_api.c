/*
 * Statements kept by the scheduler: list, lines, workbook download, and
 * verification by code or by the workbook itself (no sign-in needed).
 * The queries are store/statement_store.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/access.h"
#include "fcgi/handlers.h"
#include "lib/crypto.h"
#include "lib/date.h"
#include "lib/media_type.h"
#include "reports/statement.h"
#include "store/enrollment_store.h"
#include "store/statement_store.h"
#include "store/statement_workbook.h"

/* One optional date parameter into *d (*has set); a bad one is added to fe. */
static void
date_param(struct req *r, struct field_errors *fe, const char *name, int *has,
    struct rb_date *d)
{
	char buf[16];
	int got;

	if ((got = req_query_param(r, name, buf, sizeof(buf))) == 0)
		return;
	if (got < 0 || date_parse(buf, d) != RB_OK)
		field_error_add(fe, name, "invalid_field", "a date is YYYY-MM-DD");
	else
		*has = 1;
}

/*
 * Reads the optional filters: kind, date (one cycle date), from and to (a
 * range of cycle dates). Anything but RB_OK has responded 400 with every
 * bad parameter.
 */
static enum rb_err
filters(struct req *r, struct statement_filter *f)
{
	struct field_errors fe;
	char kind[16];
	int got;

	field_errors_init(&fe);
	if ((got = req_query_param(r, "kind", kind, sizeof(kind))) != 0) {
		if (got < 0 || statement_kind_parse(kind, &f->kind) != RB_OK)
			field_error_add(&fe, "kind", "invalid_field",
			    "kind is alert, execution or debit_report");
		else
			f->has_kind = 1;
	}
	date_param(r, &fe, "date", &f->has_date, &f->cycle_date);
	date_param(r, &fe, "from", &f->has_from, &f->from);
	date_param(r, &fe, "to", &f->has_to, &f->to);
	if (f->has_from && f->has_to && f->from.days > f->to.days)
		field_error_add(&fe, "to", "invalid_field", "to is on or after from");
	return resp_error_fields(r, &fe);
}

/* Lists statements for one company (est != NULL) or all (reviewers). */
static void
list(struct req *r, const char *est)
{
	struct statement_filter f;
	int64_t limit, offset;
	json_t *page;
	enum rb_err rc;

	memset(&f, 0, sizeof(f));
	f.est_id = est;
	if (req_paging(r, &limit, &offset) != RB_OK || filters(r, &f) != RB_OK)
		return;
	if ((rc = statement_list(r->db, &f, limit, offset, &page)) != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 200, page);
}

/* Signatories, STATEMENTS_VIEW holders and reviewers; responds otherwise. */
static enum rb_err
may_view(struct req *r, const struct est_id *est)
{
	/* A statement's company is the path's company for the check. */
	r->params.est = *est;
	return access_require(r, NEED_SERVICE_OR_REVIEWER, "STATEMENTS_VIEW", NULL);
}

void
h_statements_list(struct req *r)
{
	if (may_view(r, &r->params.est) == RB_OK)
		list(r, r->params.est.s);
}

void
h_backoffice_statements(struct req *r)
{
	list(r, NULL);
}

/* The response for a store error about the statement in the path. */
static void
statement_error(struct req *r, enum rb_err rc)
{
	if (rc == RB_ENOTFOUND)
		resp_error(r, 404, "unknown_statement", "no such statement");
	else
		resp_rb_err(r, rc);
}

/* RB_OK when the caller may see the statement in the path; otherwise it has responded. */
static enum rb_err
load_visible(struct req *r)
{
	struct est_id est;
	enum rb_err rc = statement_company(r->db, r->params.id, &est);

	if (rc != RB_OK)
		statement_error(r, rc);
	else
		rc = may_view(r, &est);
	return rc;
}

void
h_statement_get(struct req *r)
{
	json_t *out;
	enum rb_err rc;

	if (load_visible(r) != RB_OK)
		return;
	if ((rc = statement_get(r->db, r->params.id, &out)) != RB_OK)
		statement_error(r, rc);
	else
		resp_json(r, 200, out);
}

void
h_statement_xlsx(struct req *r)
{
	char name[STATEMENT_FILE_NAME_MAX], disp[STATEMENT_FILE_NAME_MAX + 40];
	uint8_t *wb = NULL;
	size_t len = 0;
	enum rb_err rc;

	if (load_visible(r) != RB_OK)
		return;
	if ((rc = statement_workbook_get(r->db, r->params.id, statement_workbook, &wb, &len,
	    name)) != RB_OK) {
		statement_error(r, rc);
		return;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	/* The workbook's bytes exactly as they were first issued. */
	resp_raw(r, 200, MEDIA_XLSX, disp, (const char *)wb, len);
	free(wb);
}

void
h_statement_verify_code(struct req *r)
{
	char code[32], name[STATEMENT_FILE_NAME_MAX];
	uint8_t *wb = NULL;
	size_t len;
	json_t *out;
	enum rb_err rc;

	if (req_query_param(r, "code", code, sizeof(code)) <= 0 || code[0] == '\0') {
		resp_error_field(r, 400, "invalid_field", "code",
		    "the verification code printed on the statement, like 7K3M-Q9TX-2B4D");
		return;
	}
	/* The answer carries the workbook's hash: rendered now if it never was. */
	rc = statement_workbook_by_code(r->db, code, statement_workbook, &wb, &len, name);
	free(wb);
	if (rc == RB_OK || rc == RB_ENOTFOUND)
		rc = statement_verify_code(r->db, code, &out);
	/* An activation letter's code is verified here too (issue 15). */
	if (rc == RB_OK && out == NULL)
		rc = enrollment_verify_code(r->db, code, &out);
	if (rc != RB_OK)
		resp_rb_err(r, rc);
	else if (out == NULL)
		resp_json(r, 404, json_pack("{s:b, s:{s:s, s:s, s:s}}", "valid", 0, "error",
		    "code", "unknown_code", "message", "no statement or activation letter carries this code",
		    "field", "code"));
	else
		resp_json(r, 200, out);
}

void
h_statement_verify_file(struct req *r)
{
	uint8_t sha[32];
	char hex[65];
	json_t *out;
	enum rb_err rc;

	if (r->body_len == 0) {
		resp_error(r, 400, "empty", "send the workbook as the request body");
		return;
	}
	crypto_sha256(r->body, r->body_len, sha);
	hex_encode(sha, 32, hex);
	if ((rc = statement_verify_sha256(r->db, sha, &out)) != RB_OK ||
	    (out == NULL && (rc = enrollment_verify_sha256(r->db, hex, &out)) != RB_OK)) {
		resp_rb_err(r, rc);
		return;
	}
	/* Any change to the file changes its hash: only the issued bytes match. */
	if (out == NULL) {
		resp_json(r, 200, json_pack("{s:b, s:b, s:s}", "valid", 0, "genuine", 0,
		    "sha256", hex));
		return;
	}
	json_object_set_new(out, "genuine", json_true());
	resp_json(r, 200, out);
}
