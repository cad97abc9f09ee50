/*
 * The establishments' penalties (issue 15 §2), as reviewers and companies
 * see them:
 *   GET  /backoffice/penalties?state=&est_id=&from=&to=   reviewers' list
 *   POST /backoffice/penalties/{id}/waive {note}           a supervisor waives
 *   POST /backoffice/penalties/{id}/paid {note?}           payment recorded
 *   GET  /companies/{est_id}/penalties                     the company's own
 *   GET  /backoffice/penalties.xlsx?from=&to=[&state=&est_id=&lang=]
 *        the reviewers' workbook of the penalties issued in a period
 *        (reports/workbook_penalties.c), in the reviewer's language
 * The daily evaluation that issues them is the scheduler's
 * (store/penalty_store.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/ids.h"
#include "fcgi/access.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "lib/media_type.h"
#include "lib/text.h"
#include "reports/penalties.h"
#include "store/penalty_store.h"

/* A date of the query (from, to): 0 absent, 1 set, -1 it has responded 400. */
static int
date_param(struct req *r, const char *name, struct rb_date *d)
{
	char buf[16];
	int n;

	if ((n = req_query_param(r, name, buf, sizeof(buf))) == 0)
		return 0;
	if (n < 0 || date_parse(buf, d) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", name, "a date is YYYY-MM-DD");
		return -1;
	}
	return 1;
}

/* The list's filters into f (pointing into the buffers given); RB_OK or it has responded. */
static enum rb_err
list_query(struct req *r, struct penalty_filter *f, char state[16], struct est_id *e)
{
	char est[16];
	int64_t limit, offset;
	int n;

	memset(f, 0, sizeof(*f));
	if (req_paging(r, &limit, &offset) != RB_OK)
		return RB_EINVAL;
	f->limit = (int)limit;
	f->offset = (int)offset;
	if ((n = req_query_param(r, "state", state, 16)) < 0 || (n > 0 &&
	    strcmp(state, "issued") != 0 && strcmp(state, "paid") != 0 &&
	    strcmp(state, "waived") != 0)) {
		resp_error_field(r, 400, "invalid_field", "state", "state is issued, paid or waived");
		return RB_EINVAL;
	}
	f->state = n > 0 ? state : NULL;
	if ((n = req_query_param(r, "est_id", est, sizeof(est))) < 0 ||
	    (n > 0 && est_id_parse(est, e) != RB_OK)) {
		resp_error_field(r, 400, "invalid_field", "est_id",
		    "an establishment number is 8 digits");
		return RB_EINVAL;
	}
	f->est_id = n > 0 ? e->s : NULL;
	if ((f->has_from = date_param(r, "from", &f->from)) < 0 ||
	    (f->has_to = date_param(r, "to", &f->to)) < 0)
		return RB_EINVAL;
	if (f->has_from && f->has_to && f->from.days > f->to.days) {
		resp_error_field(r, 400, "invalid_field", "to", "to is on or after from");
		return RB_EINVAL;
	}
	return RB_OK;
}

static void
list(struct req *r, struct penalty_filter *f)
{
	json_t *page;
	enum rb_err rc;

	if ((rc = penalty_list(&r->w->db, f, &page)) != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 200, page);
}

void
h_backoffice_penalties(struct req *r)
{
	struct penalty_filter f;
	struct est_id e;
	char state[16];

	if (list_query(r, &f, state, &e) == RB_OK)
		list(r, &f);
}

/* A period's workbook: a year at most, and rows a reviewer can still read. */
#define WORKBOOK_MAX_DAYS	366
#define WORKBOOK_MAX_ROWS	100000

void
h_backoffice_penalties_xlsx(struct req *r)
{
	struct penalty_report rep;
	struct penalty_filter f;
	struct est_id e;
	char state[16], lang[3], from[11], to[11], disp[96];
	uint8_t *book = NULL;
	size_t len = 0;
	enum rb_err rc;

	memset(&rep, 0, sizeof(rep));
	if (list_query(r, &f, state, &e) != RB_OK || req_report_lang(r, lang) != RB_OK)
		return;
	if (!f.has_from || !f.has_to) {
		resp_error_field(r, 400, "required", !f.has_from ? "from" : "to",
		    "the workbook is of a period: from and to, YYYY-MM-DD");
		return;
	}
	if (f.to.days - f.from.days >= WORKBOOK_MAX_DAYS) {
		resp_error_field(r, 400, "invalid_field", "to",
		    "a workbook covers at most 366 days");
		return;
	}
	if ((rc = penalty_report_load(&r->w->db, &f, WORKBOOK_MAX_ROWS, &rep)) == RB_ETOOLARGE) {
		resp_error(r, 413, "too_many_penalties",
		    "more than 100000 penalties: choose a shorter period or a state");
		return;
	}
	if (rc == RB_OK)
		rc = penalty_workbook(&rep, lang, &book, &len);
	penalty_report_free(&rep);
	if (rc == RB_EDB || rc == RB_ERETRY) {
		resp_rb_err(r, rc);
		return;
	}
	if (rc != RB_OK) {
		resp_error(r, 500, "internal", "the workbook could not be made");
		return;
	}
	date_format(f.from, from);
	date_format(f.to, to);
	snprintf(disp, sizeof(disp), "attachment; filename=\"penalties-%s-%s.xlsx\"", from, to);
	resp_raw(r, 200, MEDIA_XLSX, disp, (const char *)book, len);
	free(book);
}

void
h_company_penalties(struct req *r)
{
	struct penalty_filter f;
	struct est_id e;
	char state[16];

	if (access_require(r, NEED_SIGNATORY_OR_REVIEWER, NULL, NULL) != RB_OK ||
	    list_query(r, &f, state, &e) != RB_OK)
		return;
	/* The company's own, whatever the query says. */
	f.est_id = r->params.est.s;
	list(r, &f);
}

/* {note}: required to waive (1 to 2000 characters), optional when paid. */
static void
settle(struct req *r, const char *state)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	int waive = strcmp(state, "waived") == 0;
	const char *note = NULL, *key;
	struct db *db = &r->w->db;
	json_t *body = NULL, *v, *out = NULL;
	enum rb_err rc;

	if (r->body_len > 0 && (body = req_json_body(r)) == NULL)
		return;
	json_object_foreach(body, key, v)
		if (strcmp(key, "note") != 0) {
			resp_error_field(r, 400, "unknown_field", key, "unknown field");
			goto out;
		}
	v = json_object_get(body, "note");
	if (v != NULL && (!json_is_string(v) || !text_ok(json_string_value(v), 1, 2000, 1))) {
		resp_error_field(r, 400, "invalid_field", "note",
		    "the note is 1 to 2000 characters of text");
		goto out;
	}
	note = json_string_value(v);
	if (waive && note == NULL) {
		resp_error_field(r, 400, "required", "note",
		    "a waiver needs a note saying why");
		goto out;
	}
	if ((rc = db_begin(db)) != RB_OK ||
	    (rc = penalty_settle(db, &a, r->sess.has_qid ? r->sess.qid.s : NULL, r->params.id,
	    state, note, &out)) != RB_OK || (rc = db_commit(db)) != RB_OK) {
		db_rollback(db);
		if (rc == RB_ENOTFOUND)
			resp_error(r, 404, "unknown_penalty", "no such penalty");
		else if (rc == RB_EFORBIDDEN)
			resp_error(r, 403, "own_company",
			    "a reviewer cannot settle a penalty of a company they sign for or work at");
		else if (rc == RB_ECONFLICT)
			resp_error(r, 409, "not_settleable",
			    "only an issued penalty can be settled, and only a fine can be paid");
		else
			resp_rb_err(r, rc);
		goto out;
	}
	resp_json(r, 200, out);
out:
	json_decref(body);
}

void
h_backoffice_penalty_waive(struct req *r)
{
	settle(r, "waived");
}

void
h_backoffice_penalty_paid(struct req *r)
{
	settle(r, "paid");
}
