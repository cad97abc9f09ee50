/*
 * Statements kept by the scheduler: list, lines, workbook download, and
 * verification by code or by the workbook itself (no sign-in needed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/access.h"
#include "fcgi/handlers.h"
#include "lib/crypto.h"
#include "lib/date.h"
#include "lib/xalloc.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const char summary_cols[] =
	"s.id, s.est_id, c.name_ar, c.name_en, s.kind, s.cycle_date, s.execution_date,"
	" s.language, s.cap_dirhams, s.total_dirhams, s.lines_count, s.verification_code,"
	" encode(s.sha256, 'hex'), " TS("s.created_at");

static json_t *
summary_json(PGresult *res, int i)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:i, s:s,"
	    " s:s, s:s}",
	    "id", (json_int_t)strtoll(PQgetvalue(res, i, 0), NULL, 10),
	    "est_id", PQgetvalue(res, i, 1), "company_name_ar", PQgetvalue(res, i, 2),
	    "company_name_en", PQgetvalue(res, i, 3), "kind", PQgetvalue(res, i, 4),
	    "cycle_date", PQgetvalue(res, i, 5), "execution_date", PQgetvalue(res, i, 6),
	    "language", PQgetvalue(res, i, 7),
	    "cap_dirhams", (json_int_t)strtoll(PQgetvalue(res, i, 8), NULL, 10),
	    "total_dirhams", (json_int_t)strtoll(PQgetvalue(res, i, 9), NULL, 10),
	    "lines_count", atoi(PQgetvalue(res, i, 10)),
	    "verification_code", PQgetvalue(res, i, 11), "sha256", PQgetvalue(res, i, 12),
	    "created_at", PQgetvalue(res, i, 13));
}

/* Reads the optional kind and date filters; responds 400 and returns -1. */
static int
filters(struct req *r, char kind[16], char date[16], int *has_kind, int *has_date)
{
	struct rb_date d;
	int got;

	*has_kind = *has_date = 0;
	if ((got = req_query_param(r, "kind", kind, 16)) != 0) {
		if (got < 0 || (strcmp(kind, "alert") != 0 && strcmp(kind, "execution") != 0 &&
		    strcmp(kind, "debit_report") != 0)) {
			resp_error_field(r, 400, "invalid_field", "kind",
			    "kind is alert, execution or debit_report");
			return -1;
		}
		*has_kind = 1;
	}
	if ((got = req_query_param(r, "date", date, 16)) != 0) {
		if (got < 0 || date_parse(date, &d) != RB_OK) {
			resp_error_field(r, 400, "invalid_field", "date", "a date is YYYY-MM-DD");
			return -1;
		}
		*has_date = 1;
	}
	return 0;
}

/* Lists statements for one company (est != NULL) or all (reviewers). */
static void
list(struct req *r, const char *est)
{
	char kind[16], date[16], lim[24], off[24], *sql;
	int has_kind, has_date;
	int64_t limit, offset;
	const char *p[5];

	if (req_paging(r, &limit, &offset) != RB_OK ||
	    filters(r, kind, date, &has_kind, &has_date) < 0)
		return;
	snprintf(lim, sizeof(lim), "%lld", (long long)limit);
	snprintf(off, sizeof(off), "%lld", (long long)offset);
	p[0] = est;
	p[1] = has_kind ? kind : NULL;
	p[2] = has_date ? date : NULL;
	p[3] = lim;
	p[4] = off;
	sql = xasprintf("SELECT %s, count(*) OVER () FROM statements s"
	    " JOIN companies c ON c.est_id = s.est_id"
	    " WHERE ($1::text IS NULL OR s.est_id = $1) AND ($2::text IS NULL OR s.kind = $2)"
	    " AND ($3::date IS NULL OR s.cycle_date = $3::date)"
	    " ORDER BY s.cycle_date DESC, s.est_id, s.kind LIMIT $4 OFFSET $5", summary_cols);
	resp_query_page(r, sql, 5, p, summary_json, limit, offset,
	    "SELECT count(*) FROM statements s WHERE ($1::text IS NULL OR s.est_id = $1)"
	    " AND ($2::text IS NULL OR s.kind = $2)"
	    " AND ($3::date IS NULL OR s.cycle_date = $3::date)", 3, p);
	free(sql);
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

/* The statement's company, for the access check; RB_ENOTFOUND when none. */
static enum rb_err
statement_company(struct req *r, struct est_id *est)
{
	char id_s[24];
	const char *p[1] = { id_s };
	PGresult *res = NULL;
	enum rb_err rc;

	snprintf(id_s, sizeof(id_s), "%lld", (long long)r->params.id);
	if ((rc = db_exec(&r->w->db, &res, "SELECT est_id FROM statements WHERE id = $1",
	    1, p)) != RB_OK)
		return rc;
	rc = PQntuples(res) == 1 ? est_id_parse(PQgetvalue(res, 0, 0), est) : RB_ENOTFOUND;
	PQclear(res);
	return rc;
}

/* RB_OK when the caller may see the statement in the path; otherwise it has responded. */
static enum rb_err
load_visible(struct req *r)
{
	struct est_id est;
	enum rb_err rc = statement_company(r, &est);

	if (rc == RB_ENOTFOUND)
		resp_error(r, 404, "unknown_statement", "no such statement");
	else if (rc != RB_OK)
		resp_rb_err(r, rc);
	else
		rc = may_view(r, &est);
	return rc;
}

void
h_statement_get(struct req *r)
{
	char id_s[24], *sql;
	const char *p[1] = { id_s };
	PGresult *res = NULL;
	json_t *out, *lines;
	enum rb_err rc;
	int i;

	if (load_visible(r) != RB_OK)
		return;
	snprintf(id_s, sizeof(id_s), "%lld", (long long)r->params.id);
	sql = xasprintf("SELECT %s FROM statements s JOIN companies c ON c.est_id = s.est_id"
	    " WHERE s.id = $1", summary_cols);
	rc = db_exec(&r->w->db, &res, sql, 1, p);
	free(sql);
	if (rc != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	out = summary_json(res, 0);
	PQclear(res);
	if ((rc = db_exec(&r->w->db, &res, "SELECT line_no, qid, name_ar, name_en, result,"
	    " reason, old_expiry, new_expiry, days_left, fee_dirhams, late_fine_dirhams,"
	    " debit_reference, iban, delivery_from, delivery_to, array_to_json(flags)"
	    " FROM statement_lines"
	    " WHERE statement_id = $1 ORDER BY line_no", 1, p)) != RB_OK) {
		json_decref(out);
		resp_rb_err(r, rc);
		return;
	}
	lines = json_array();
	for (i = 0; i < PQntuples(res); i++) {
#define V(c) (PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c))
		json_array_append_new(lines, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s?, s:s,"
		    " s:s?, s:i, s:I, s:I, s:s?, s:s?, s:s?, s:s?}",
		    "line_no", atoi(PQgetvalue(res, i, 0)), "qid", V(1), "name_ar", V(2),
		    "name_en", V(3), "result", V(4), "reason", V(5), "old_expiry", V(6),
		    "new_expiry", V(7), "days_left", atoi(PQgetvalue(res, i, 8)),
		    "fee_dirhams", (json_int_t)strtoll(PQgetvalue(res, i, 9), NULL, 10),
		    "late_fine_dirhams", (json_int_t)strtoll(PQgetvalue(res, i, 10), NULL, 10),
		    "debit_reference", V(11), "iban", V(12), "delivery_from", V(13),
		    "delivery_to", V(14)));
		json_object_set_new(json_array_get(lines, (size_t)i), "flags",
		    json_loads(PQgetvalue(res, i, 15), 0, NULL));
#undef V
	}
	PQclear(res);
	json_object_set_new(out, "items", lines);
	resp_json(r, 200, out);
}

void
h_statement_xlsx(struct req *r)
{
	char id_s[24], disp[160];
	const char *p[1] = { id_s };
	PGresult *res = NULL;
	enum rb_err rc;

	if (load_visible(r) != RB_OK)
		return;
	snprintf(id_s, sizeof(id_s), "%lld", (long long)r->params.id);
	if ((rc = db_exec(&r->w->db, &res, "SELECT est_id, kind, cycle_date FROM statements"
	    " WHERE id = $1", 1, p)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"statement-%.8s-%.12s-%.10s.xlsx\"",
	    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
	PQclear(res);
	/* A binary result: the workbook's bytes exactly as they were issued. */
	res = PQexecParams(r->w->db.conn, "SELECT workbook FROM statements WHERE id = $1",
	    1, NULL, p, NULL, NULL, 1);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		PQclear(res);
		resp_rb_err(r, RB_EDB);
		return;
	}
	resp_raw(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    disp, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
}

/* The public answer about one statement: whose, what, when, its hash. */
static json_t *
verified_json(PGresult *res)
{
	return json_pack("{s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "valid", 1,
	    "est_id", PQgetvalue(res, 0, 0), "company_name_ar", PQgetvalue(res, 0, 1),
	    "company_name_en", PQgetvalue(res, 0, 2), "kind", PQgetvalue(res, 0, 3),
	    "cycle_date", PQgetvalue(res, 0, 4), "verification_code", PQgetvalue(res, 0, 5),
	    "sha256", PQgetvalue(res, 0, 6));
}

static const char verify_cols[] =
	"SELECT s.est_id, c.name_ar, c.name_en, s.kind, s.cycle_date, s.verification_code,"
	" encode(s.sha256, 'hex') FROM statements s JOIN companies c ON c.est_id = s.est_id";

void
h_statement_verify_code(struct req *r)
{
	char code[32], *sql;
	const char *p[1] = { code };
	PGresult *res = NULL;
	enum rb_err rc;

	if (req_query_param(r, "code", code, sizeof(code)) <= 0 || code[0] == '\0') {
		resp_error_field(r, 400, "invalid_field", "code",
		    "the verification code printed on the statement, like 7K3M-Q9TX-2B4D");
		return;
	}
	sql = xasprintf("%s WHERE s.verification_code = upper($1)", verify_cols);
	rc = db_exec(&r->w->db, &res, sql, 1, p);
	free(sql);
	if (rc != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	if (PQntuples(res) == 0)
		resp_json(r, 404, json_pack("{s:b, s:{s:s, s:s, s:s}}", "valid", 0, "error",
		    "code", "unknown_code", "message", "no statement carries this code",
		    "field", "code"));
	else
		resp_json(r, 200, verified_json(res));
	PQclear(res);
}

void
h_statement_verify_file(struct req *r)
{
	uint8_t sha[32];
	char hex[65], *sql;
	const char *p[1] = { hex };
	PGresult *res = NULL;
	enum rb_err rc;

	if (r->body_len == 0) {
		resp_error(r, 400, "empty", "send the workbook as the request body");
		return;
	}
	crypto_sha256(r->body, r->body_len, sha);
	hex_encode(sha, 32, hex);
	sql = xasprintf("%s WHERE s.sha256 = decode($1, 'hex')", verify_cols);
	rc = db_exec(&r->w->db, &res, sql, 1, p);
	free(sql);
	if (rc != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	/* Any change to the file changes its hash: only the issued bytes match. */
	if (PQntuples(res) == 0)
		resp_json(r, 200, json_pack("{s:b, s:b, s:s}", "valid", 0, "genuine", 0,
		    "sha256", hex));
	else {
		json_t *out = verified_json(res);

		json_object_set_new(out, "genuine", json_true());
		resp_json(r, 200, out);
	}
	PQclear(res);
}
