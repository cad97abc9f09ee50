#include <stdio.h>
#include <string.h>

#include "store/cycle_store.h"

enum rb_err
cycle_open(struct db *db, enum cycle_kind kind, struct rb_date date, int64_t now,
    int64_t *id, int *completed)
{
	char d[11];
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	date_format(date, d);
	db_params_init(&p);
	db_param_str(&p, cycle_kind_name(kind));
	db_param_str(&p, d);
	db_param_int(&p, now);
	if ((rc = db_exec_p(db, NULL, "INSERT INTO cycles (kind, cycle_date, created_at)"
	    " VALUES ($1, $2, to_timestamp($3::bigint)) ON CONFLICT (kind, cycle_date)"
	    " DO NOTHING", &p)) != RB_OK)
		return rc;
	db_params_init(&p);
	db_param_str(&p, cycle_kind_name(kind));
	db_param_str(&p, d);
	if ((rc = db_exec_p(db, &res, "SELECT id, completed_at IS NOT NULL FROM cycles"
	    " WHERE kind = $1 AND cycle_date = $2", &p)) != RB_OK)
		return rc;
	rc = db_get_int(res, 0, 0, id);
	*completed = db_get_bool(res, 0, 1);
	PQclear(res);
	if (rc != RB_OK || *completed)
		return rc;
	db_params_init(&p);
	db_param_int(&p, *id);
	db_param_str(&p, kind == CYCLE_ALERT ? "true" : "false");
	return db_exec_p(db, NULL, "INSERT INTO cycle_companies (cycle_id, est_id)"
	    " SELECT $1::bigint, s.est_id FROM renewal_subscriptions s"
	    " JOIN renewal_settings st ON st.est_id = s.est_id"
	    " WHERE s.status = 'active' AND ($2::bool OR st.enabled)"
	    " ON CONFLICT DO NOTHING", &p);
}

enum rb_err
cycle_claim_next(struct db *db, int64_t cycle_id, const char *after, char est[9])
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	est[0] = '\0';
	db_params_init(&p);
	db_param_int(&p, cycle_id);
	db_param_str(&p, after);
	/* Claims walk forward from the last one: restarting at the first
	 * company every time would step over every finished row's dead
	 * index entry, quadratic in the cycle's size. */
	if ((rc = db_exec_p(db, &res, "SELECT est_id FROM cycle_companies WHERE cycle_id = $1"
	    " AND done_at IS NULL AND est_id > $2 ORDER BY est_id LIMIT 1"
	    " FOR UPDATE SKIP LOCKED", &p)) != RB_OK)
		return rc;
	if (PQntuples(res) == 1)
		snprintf(est, 9, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return RB_OK;
}

enum rb_err
cycle_mark_done(struct db *db, int64_t cycle_id, const char *est, int64_t now)
{
	struct db_params p;

	db_params_init(&p);
	db_param_int(&p, cycle_id);
	db_param_str(&p, est);
	db_param_int(&p, now);
	return db_exec_p(db, NULL, "UPDATE cycle_companies SET done_at ="
	    " to_timestamp($3::bigint) WHERE cycle_id = $1 AND est_id = $2", &p);
}

enum rb_err
cycle_complete(struct db *db, int64_t cycle_id, int64_t now)
{
	struct db_params p;

	db_params_init(&p);
	db_param_int(&p, cycle_id);
	db_param_int(&p, now);
	return db_exec_p(db, NULL, "UPDATE cycles SET completed_at = to_timestamp($2::bigint)"
	    " WHERE id = $1 AND completed_at IS NULL AND NOT EXISTS (SELECT 1 FROM"
	    " cycle_companies WHERE cycle_id = $1 AND done_at IS NULL)", &p);
}

enum rb_err
cycle_status(struct db *db, enum cycle_kind kind, struct rb_date date,
    struct cycle_status *st)
{
	char d[11];
	const char *at;
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	memset(st, 0, sizeof(*st));
	date_format(date, d);
	db_params_init(&p);
	db_param_str(&p, cycle_kind_name(kind));
	db_param_str(&p, d);
	if ((rc = db_exec_p(db, &res, "SELECT to_char(c.completed_at AT TIME ZONE 'UTC',"
	    " 'YYYY-MM-DD HH24:MI \"UTC\"'), (SELECT count(*) FROM statements s"
	    " WHERE s.cycle_id = c.id) FROM cycles c WHERE c.kind = $1"
	    " AND c.cycle_date = $2", &p)) != RB_OK)
		return rc;
	if (PQntuples(res) == 1) {
		if ((at = db_get_str(res, 0, 0)) != NULL) {
			st->completed = 1;
			snprintf(st->completed_at, sizeof(st->completed_at), "%s", at);
		}
		rc = db_get_int(res, 0, 1, &st->statements);
	}
	PQclear(res);
	return rc;
}

enum rb_err
scheduler_first_day(struct db *db, struct rb_date today, struct rb_date *first)
{
	char d[11];
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	date_format(today, d);
	db_params_init(&p);
	db_param_str(&p, d);
	/* The calendar starts the first time a scheduler runs: no history. */
	if ((rc = db_exec_p(db, NULL, "INSERT INTO scheduler_state (id, first_day)"
	    " VALUES (1, $1::date) ON CONFLICT (id) DO NOTHING", &p)) != RB_OK ||
	    (rc = db_exec(db, &res, "SELECT first_day FROM scheduler_state", 0, NULL)) != RB_OK)
		return rc;
	if (PQntuples(res) != 1 || date_parse(PQgetvalue(res, 0, 0), first) != RB_OK)
		rc = RB_EINTERNAL;
	PQclear(res);
	return rc;
}
