#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/cycle_store.h"
#include "store/est_array.h"

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

/* Claims walk forward from the last one: restarting at the first company
 * every time would step over every finished row's dead index entry,
 * quadratic in the cycle's size. */
static const struct db_stmt st_claim = { "cycle_claim",
	"SELECT est_id FROM cycle_companies WHERE cycle_id = $1::bigint"
	" AND done_at IS NULL AND est_id > $2 ORDER BY est_id LIMIT $3::int"
	" FOR UPDATE SKIP LOCKED", 3 };

enum rb_err
cycle_claim_batch(struct db *db, int64_t cycle_id, const char *after, size_t max,
    char (*est)[9], size_t *n)
{
	char id[24], lim[24];
	const char *p[3] = { id, after, lim };
	PGresult *res = NULL;
	enum rb_err rc;
	int i;

	*n = 0;
	snprintf(id, sizeof(id), "%lld", (long long)cycle_id);
	snprintf(lim, sizeof(lim), "%zu", max);
	if ((rc = db_exec_stmt(db, &res, &st_claim, p)) != RB_OK)
		return rc;
	for (i = 0; i < PQntuples(res) && (size_t)i < max; i++)
		snprintf(est[(*n)++], 9, "%s", PQgetvalue(res, i, 0));
	PQclear(res);
	return RB_OK;
}

static const struct db_stmt st_done = { "cycle_done",
	"UPDATE cycle_companies SET done_at = to_timestamp($3::bigint)"
	" WHERE cycle_id = $1::bigint AND est_id = ANY ($2::text[])", 3 };

enum rb_err
cycle_mark_done(struct db *db, int64_t cycle_id, const char *const *est, size_t n, int64_t now)
{
	char id[24], at[24], *ids = est_array(est, n);
	const char *p[3] = { id, ids, at };
	enum rb_err rc;

	snprintf(id, sizeof(id), "%lld", (long long)cycle_id);
	snprintf(at, sizeof(at), "%lld", (long long)now);
	rc = db_exec_stmt(db, NULL, &st_done, p);
	free(ids);
	return rc;
}

enum rb_err
cycle_complete(struct db *db, int64_t cycle_id, int64_t now, int rendered)
{
	struct db_params p;

	db_params_init(&p);
	db_param_int(&p, cycle_id);
	db_param_int(&p, now);
	db_param_str(&p, rendered ? "true" : "false");
	/* With rendering, another instance's last batch may have committed
	 * after this one's workers looked: its statements must be rendered
	 * (by that instance, which completes the cycle then) first. */
	return db_exec_p(db, NULL, "UPDATE cycles SET completed_at = to_timestamp($2::bigint)"
	    " WHERE id = $1 AND completed_at IS NULL AND NOT EXISTS (SELECT 1 FROM"
	    " cycle_companies WHERE cycle_id = $1 AND done_at IS NULL) AND (NOT $3::bool"
	    " OR NOT EXISTS (SELECT 1 FROM statements WHERE cycle_id = $1 AND sha256 IS NULL))",
	    &p);
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
