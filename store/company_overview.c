/*
 * The company home: what expires soon, what the next execution will do and
 * what the last one did. The next execution's figures are the preview's
 * by construction: the same plan (renewal_plan_load + simulate) summed the
 * same way as fcgi/preview_api.c sums it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date_json.h"
#include "store/company_overview.h"
#include "store/renewal_plan.h"

static enum rb_err
expiring(struct db *db, const struct est_id *est, struct rb_date today, json_t *out)
{
	struct db_params p;
	PGresult *res = NULL;
	char d[11];
	int64_t n[4];
	enum rb_err rc;
	int i;

	date_format(today, d);
	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_str(&p, d);
	if ((rc = db_exec_p(db, &res, "SELECT"
	    " count(*) FILTER (WHERE p.permit_expiry < $2::date),"
	    " count(*) FILTER (WHERE p.permit_expiry BETWEEN $2::date AND $2::date + 30),"
	    " count(*) FILTER (WHERE p.permit_expiry BETWEEN $2::date AND $2::date + 60),"
	    " count(*) FILTER (WHERE p.permit_expiry BETWEEN $2::date AND $2::date + 90)"
	    " FROM employment e JOIN persons p ON p.qid = e.qid"
	    " WHERE e.est_id = $1 AND e.ended_on IS NULL", &p)) != RB_OK)
		return rc;
	for (i = 0; i < 4 && rc == RB_OK; i++)
		rc = db_get_int(res, 0, i, &n[i]);
	if (rc == RB_OK)
		json_object_set_new(out, "expiring", json_pack("{s:I, s:I, s:I, s:I}",
		    "expired", (json_int_t)n[0], "within_30", (json_int_t)n[1],
		    "within_60", (json_int_t)n[2], "within_90", (json_int_t)n[3]));
	PQclear(res);
	return rc;
}

static enum rb_err
next_execution(struct db *db, const struct est_id *est, struct rb_date exec_date, json_t *out)
{
	struct renewal_plan plan;
	json_t *blocked = NULL;
	size_t i, renewed = 0, by[RR__MAX];
	enum rb_err rc;
	int k;

	memset(&plan, 0, sizeof(plan));
	memset(by, 0, sizeof(by));
	rc = renewal_plan_load(db, est->s, exec_date, &plan);
	if (rc == RB_ENOTFOUND && plan.missing == PLAN_NO_COMPANY) {
		json_object_set_new(out, "next_execution", json_pack("{s:o, s:s}",
		    "date", date_json(1, exec_date), "renewal_state", "not_subscribed"));
		rc = RB_OK;
		goto out;
	}
	if (rc != RB_OK || (rc = renewal_plan_simulate(&plan)) != RB_OK)
		goto out;
	/* Blocked by reason, in the engine's order of reasons. */
	for (i = 0; i < plan.cands.n; i++) {
		if (plan.dec[i].result == RES_RENEWED)
			renewed++;
		else if ((unsigned)plan.dec[i].reason < RR__MAX)
			by[plan.dec[i].reason]++;
	}
	blocked = json_array();
	for (k = 0; k < RR__MAX; k++)
		if (by[k] > 0)
			json_array_append_new(blocked, json_pack("{s:s, s:I}",
			    "reason", renewal_reason_code((enum renewal_reason)k),
			    "count", (json_int_t)by[k]));
	json_object_set_new(out, "next_execution", json_pack("{s:o, s:s, s:I, s:I, s:I, s:I, s:o}",
	    "date", date_json(1, exec_date),
	    "renewal_state", renewal_state_code(renewal_state_of(plan.co.status, plan.co.enabled)),
	    "cap_dirhams", (json_int_t)plan.co.cap_dirhams,
	    "total_dirhams", (json_int_t)plan.total_dirhams,
	    "renewed_count", (json_int_t)renewed,
	    "not_renewed_count", (json_int_t)(plan.cands.n - renewed), "blocked", blocked));
	blocked = NULL;
out:
	json_decref(blocked);
	renewal_plan_free(&plan);
	return rc;
}

static enum rb_err
last_execution(struct db *db, const struct est_id *est, struct rb_date today, json_t *out)
{
	struct db_params p;
	PGresult *res = NULL;
	char d[11];
	int64_t id, total, renewed, lines;
	enum rb_err rc;

	date_format(today, d);
	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_str(&p, d);
	if ((rc = db_exec_p(db, &res, "SELECT s.id, s.cycle_date, s.total_dirhams,"
	    " (SELECT count(*) FROM statement_lines l WHERE l.statement_id = s.id"
	    " AND l.result = 'RENEWED'), s.lines_count"
	    " FROM statements s WHERE s.est_id = $1 AND s.kind = 'execution'"
	    " AND s.cycle_date <= $2::date ORDER BY s.cycle_date DESC LIMIT 1", &p)) != RB_OK)
		return rc;
	if (PQntuples(res) == 0)
		json_object_set_new(out, "last_execution", json_null());
	else if ((rc = db_get_int(res, 0, 0, &id)) == RB_OK &&
	    (rc = db_get_int(res, 0, 2, &total)) == RB_OK &&
	    (rc = db_get_int(res, 0, 3, &renewed)) == RB_OK &&
	    (rc = db_get_int(res, 0, 4, &lines)) == RB_OK)
		json_object_set_new(out, "last_execution", json_pack("{s:I, s:s, s:I, s:I, s:I}",
		    "id", (json_int_t)id, "cycle_date", db_get_str(res, 0, 1),
		    "total_dirhams", (json_int_t)total, "renewed_count", (json_int_t)renewed,
		    "not_renewed_count", (json_int_t)(lines - renewed)));
	PQclear(res);
	return rc;
}

enum rb_err
company_overview(struct db *db, const struct est_id *est, struct rb_date today,
    struct rb_date exec_date, json_t **out)
{
	json_t *o = json_pack("{s:s, s:o}", "est_id", est->s, "today", date_json(1, today));
	enum rb_err rc;

	*out = NULL;
	if ((rc = expiring(db, est, today, o)) == RB_OK &&
	    (rc = next_execution(db, est, exec_date, o)) == RB_OK &&
	    (rc = last_execution(db, est, today, o)) == RB_OK)
		*out = o;
	else
		json_decref(o);
	return rc;
}
