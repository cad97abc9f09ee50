/*
 * The employees list with its filters (issue 12 §2). Who is in scope of the
 * next execution is not worked out again in SQL: the renewal engine's plan
 * for that date (the preview's) is passed to the query as a JSON document
 * of {qid, result, reason}, so the list, the preview and the company home
 * say the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date_json.h"
#include "lib/xalloc.h"
#include "store/employee_store.h"
#include "store/page.h"
#include "store/renewal_plan.h"

/*
 * The next execution's decisions as [{qid, result, reason}], into *doc
 * (malloc'd), and the company's renewal state (renewal_state_code, or
 * "not_subscribed"): a pending or stopped subscription runs nothing, and
 * the page must say so rather than "will be renewed". A company that never
 * subscribed, or a date without fee rules, has no decisions: nobody is in
 * scope.
 */
static enum rb_err
scope_doc(struct db *db, const struct est_id *est, struct rb_date exec_date, char **doc,
    const char **state)
{
	struct renewal_plan plan;
	json_t *a = json_array();
	enum rb_err rc;
	size_t i;

	*doc = NULL;
	*state = "not_subscribed";
	memset(&plan, 0, sizeof(plan));
	rc = renewal_plan_load(db, est->s, exec_date, &plan);
	if (rc == RB_ENOTFOUND)
		rc = RB_OK;
	if (rc == RB_OK && plan.missing != PLAN_NO_COMPANY)
		*state = renewal_state_code(renewal_state_of(plan.co.status, plan.co.enabled));
	if (rc == RB_OK && plan.missing == PLAN_COMPLETE &&
	    (rc = renewal_plan_simulate(&plan)) == RB_OK) {
		for (i = 0; i < plan.cands.n; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s?}",
			    "qid", plan.dec[i].c->qid.s,
			    "result", renewal_result_code(plan.dec[i].result),
			    "reason", plan.dec[i].result == RES_RENEWED ? NULL :
			    renewal_reason_code(plan.dec[i].reason)));
	}
	if (rc == RB_OK)
		*doc = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	renewal_plan_free(&plan);
	return rc == RB_OK && *doc == NULL ? RB_EINTERNAL : rc;
}

/* $1 company, $2 the scope document, $3 q, $4/$5 the expiry window,
 * $6 excluded, $7 fines, $8 in scope. */
#define EMP_FROM \
	" FROM employment e JOIN persons p ON p.qid = e.qid" \
	" LEFT JOIN passports pp ON pp.qid = p.qid" \
	" LEFT JOIN renewal_exclusions x ON x.est_id = e.est_id AND x.qid = p.qid" \
	" LEFT JOIN json_to_recordset($2::json) AS s(qid text, result text, reason text)" \
	" ON s.qid = p.qid" \
	" WHERE e.est_id = $1 AND e.ended_on IS NULL" \
	" AND ($3::text IS NULL OR left(p.qid, length($3)) = $3" \
	" OR strpos(lower(p.name_en), lower($3)) > 0 OR strpos(p.name_ar, $3) > 0)" \
	" AND ($4::date IS NULL OR p.permit_expiry >= $4::date)" \
	" AND ($5::date IS NULL OR p.permit_expiry <= $5::date)" \
	" AND ($6::boolean IS NULL OR (x.qid IS NOT NULL) = $6::boolean)" \
	" AND ($7::boolean IS NULL OR (p.fines_dirhams > 0) = $7::boolean)" \
	" AND ($8::boolean IS NULL OR (s.qid IS NOT NULL) = $8::boolean)"

#define EMP_COLS \
	"SELECT p.qid, p.name_ar, p.name_en, p.status, p.citizen, p.permit_expiry," \
	" e.since, pp.expiry, p.fines_dirhams, x.qid IS NOT NULL, s.qid IS NOT NULL," \
	" s.result, s.reason"

/* ORDER BY fragments, chosen by the enum: no text from the request. */
static const char *const sort_sql[] = {
	[ES_QID] = "p.qid",
	/* Code point order: the same on every server, whatever its locale. */
	[ES_NAME_EN] = "lower(p.name_en) COLLATE \"C\"",
	[ES_NAME_AR] = "p.name_ar COLLATE \"C\"",
	[ES_PERMIT_EXPIRY] = "p.permit_expiry",
	[ES_PASSPORT_EXPIRY] = "pp.expiry",
};

static const char *
tri(int v)
{
	return v < 0 ? NULL : v ? "true" : "false";
}

/* The filter's parameters $1..$8; the strings live in dates (2 x 11). */
static void
filter_params(struct db_params *p, const struct est_id *est, const char *doc,
    const struct employee_filter *f, char dates[2][11])
{
	date_format(f->expiry_from, dates[0]);
	date_format(f->expiry_to, dates[1]);
	db_param_str(p, est->s);
	db_param_str(p, doc);
	db_param_str(p, f->q && *f->q ? f->q : NULL);
	db_param_str(p, f->has_from ? dates[0] : NULL);
	db_param_str(p, f->has_to ? dates[1] : NULL);
	db_param_str(p, tri(f->excluded));
	db_param_str(p, tri(f->fines));
	db_param_str(p, tri(f->in_scope));
}

static void
order_by(char *buf, size_t sz, const struct employee_filter *f)
{
	snprintf(buf, sz, " ORDER BY %s %s NULLS LAST, p.qid %s",
	    sort_sql[f->sort], f->desc ? "DESC" : "ASC", f->desc ? "DESC" : "ASC");
}

static json_t *
employee_json(PGresult *res, int i)
{
	int64_t fines;

	if (db_get_int(res, i, 8, &fines) != RB_OK)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s?, s:s, s:s?, s:I, s:b, s:b, s:s?, s:s?}",
	    "qid", db_get_str(res, i, 0), "name_ar", db_get_str(res, i, 1),
	    "name_en", db_get_str(res, i, 2), "status", db_get_str(res, i, 3),
	    "citizen", db_get_bool(res, i, 4), "permit_expiry", db_get_str(res, i, 5),
	    "since", db_get_str(res, i, 6), "passport_expiry", db_get_str(res, i, 7),
	    "fines_dirhams", (json_int_t)fines, "excluded", db_get_bool(res, i, 9),
	    "in_scope", db_get_bool(res, i, 10), "next_result", db_get_str(res, i, 11),
	    "next_reason", db_get_str(res, i, 12));
}

enum rb_err
employee_page(struct db *db, const struct est_id *est, const struct employee_filter *f,
    struct rb_date exec_date, int64_t limit, int64_t offset, json_t **page)
{
	struct db_params p, cp;
	char dates[2][11], order[128], *doc = NULL, *sql = NULL;
	const char *state;
	enum rb_err rc;

	*page = NULL;
	if ((rc = scope_doc(db, est, exec_date, &doc, &state)) != RB_OK)
		return rc;
	order_by(order, sizeof(order), f);
	if (asprintf(&sql, "%s, count(*) OVER () %s %s LIMIT $9 OFFSET $10",
	    EMP_COLS, EMP_FROM, order) < 0) {
		free(doc);
		return RB_EINTERNAL;
	}
	db_params_init(&p);
	filter_params(&p, est, doc, f, dates);
	db_param_int(&p, limit);
	db_param_int(&p, offset);
	db_params_init(&cp);
	filter_params(&cp, est, doc, f, dates);
	rc = page_query(db, sql, &p, employee_json, limit, offset,
	    "SELECT count(*)" EMP_FROM, &cp, page);
	if (rc == RB_OK)
		json_object_set_new(*page, "renewal_state", json_string(state));
	free(sql);
	free(doc);
	return rc;
}

static enum rb_err
employee_rows(struct db *db, const struct est_id *est, const struct employee_filter *f,
    struct rb_date exec_date, PGresult **res)
{
	struct db_params p;
	char dates[2][11], order[128], *doc = NULL, *sql = NULL;
	const char *state;
	enum rb_err rc;

	*res = NULL;
	if ((rc = scope_doc(db, est, exec_date, &doc, &state)) != RB_OK)
		return rc;
	order_by(order, sizeof(order), f);
	if (asprintf(&sql, "%s %s %s", EMP_COLS, EMP_FROM, order) < 0) {
		free(doc);
		return RB_EINTERNAL;
	}
	db_params_init(&p);
	filter_params(&p, est, doc, f, dates);
	rc = db_exec_p(db, res, sql, &p);
	free(sql);
	free(doc);
	return rc;
}

enum rb_err
employee_csv(struct db *db, const struct est_id *est, const struct employee_filter *f,
    struct rb_date exec_date, struct csv_writer *w)
{
	PGresult *res = NULL;
	enum rb_err rc;
	int i, c;

	if ((rc = employee_rows(db, est, f, exec_date, &res)) != RB_OK)
		return rc;
	/* The BOM makes Excel read the Arabic names as UTF-8; every cell goes
	 * through csv_field's formula guard. */
	csv_bom(w);
	csv_line(w, "qid,name_ar,name_en,status,permit_expiry,passport_expiry,"
	    "fines_dirhams,excluded,in_scope,next_result,next_reason");
	for (i = 0; i < PQntuples(res); i++) {
		static const int cols[] = { 0, 1, 2, 3, 5, 7, 8 };

		for (c = 0; c < (int)(sizeof(cols) / sizeof(cols[0])); c++) {
			const char *v = db_get_str(res, i, cols[c]);

			csv_field(w, v ? v : "");
		}
		csv_field(w, db_get_bool(res, i, 9) ? "yes" : "no");
		csv_field(w, db_get_bool(res, i, 10) ? "yes" : "no");
		csv_field(w, db_get_str(res, i, 11) ? db_get_str(res, i, 11) : "");
		csv_field(w, db_get_str(res, i, 12) ? db_get_str(res, i, 12) : "");
		csv_end_line(w);
	}
	PQclear(res);
	return RB_OK;
}

/* The code a result or reason column holds, as the engine's enum. */
static enum renewal_result
result_of(const char *code)
{
	int k;

	for (k = RES_CANDIDATE; code != NULL && k <= RES_DEBITED; k++)
		if (strcmp(code, renewal_result_code((enum renewal_result)k)) == 0)
			return (enum renewal_result)k;
	return RES_CANDIDATE;
}

static enum renewal_reason
reason_of(const char *code)
{
	int k;

	for (k = RR_NONE + 1; code != NULL && k < RR__MAX; k++)
		if (strcmp(code, renewal_reason_code((enum renewal_reason)k)) == 0)
			return (enum renewal_reason)k;
	return RR_NONE;
}

enum rb_err
employee_rows_load(struct db *db, const struct est_id *est, const struct employee_filter *f,
    struct rb_date exec_date, struct employee_row **rows, size_t *n, PGresult **res)
{
	struct employee_row *out;
	enum rb_err rc;
	int i, nt;

	*rows = NULL;
	*n = 0;
	if ((rc = employee_rows(db, est, f, exec_date, res)) != RB_OK)
		return rc;
	nt = PQntuples(*res);
	out = xcalloc(nt > 0 ? (size_t)nt : 1, sizeof(*out));
	for (i = 0; i < nt && rc == RB_OK; i++) {
		struct employee_row *e = &out[i];
		const char *v;

		e->qid = db_get_str(*res, i, 0);
		e->name_ar = db_get_str(*res, i, 1);
		e->name_en = db_get_str(*res, i, 2);
		rc = person_status_parse(db_get_str(*res, i, 3), &e->status);
		if ((v = db_get_str(*res, i, 5)) != NULL && rc == RB_OK)
			rc = date_parse(v, &e->permit_expiry);
		e->has_permit = v != NULL;
		if ((v = db_get_str(*res, i, 7)) != NULL && rc == RB_OK)
			rc = date_parse(v, &e->passport_expiry);
		e->has_passport = v != NULL;
		if (rc == RB_OK)
			rc = db_get_int(*res, i, 8, &e->fines_dirhams);
		e->excluded = db_get_bool(*res, i, 9);
		e->in_scope = db_get_bool(*res, i, 10);
		e->next_result = result_of(db_get_str(*res, i, 11));
		e->next_reason = reason_of(db_get_str(*res, i, 12));
	}
	if (rc != RB_OK) {
		/* A value the schema would not hold: a broken row, not a shorter list. */
		free(out);
		PQclear(*res);
		*res = NULL;
		return RB_EINTERNAL;
	}
	*rows = out;
	*n = (size_t)nt;
	return RB_OK;
}
