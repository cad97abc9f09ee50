#include <stdio.h>
#include <string.h>

#include "store/metrics_store.h"

static const char outbox_sql[] =
	"SELECT channel, count(*) FILTER (WHERE status = 'pending'),"
	" count(*) FILTER (WHERE status = 'pending' AND attempts > 0),"
	" count(*) FILTER (WHERE status = 'failed')"
	" FROM outbox WHERE status IN ('pending', 'failed') GROUP BY channel";

/* The latest cycle of each kind, with its companies claimed and done. */
static const char cycle_sql[] =
	"WITH cur AS (SELECT DISTINCT ON (kind) id, kind, cycle_date, completed_at"
	" FROM cycles ORDER BY kind, cycle_date DESC, id DESC)"
	" SELECT cur.kind, cur.cycle_date::text, cur.completed_at IS NOT NULL,"
	" count(cc.est_id), count(cc.done_at)"
	" FROM cur LEFT JOIN cycle_companies cc ON cc.cycle_id = cur.id"
	" GROUP BY cur.kind, cur.cycle_date, cur.completed_at";

static int
index_of(const char *const *names, int n, const char *v)
{
	int i;

	for (i = 0; v != NULL && i < n; i++)
		if (strcmp(names[i], v) == 0)
			return i;
	return -1;
}

enum rb_err
metrics_gauges_load(struct db *db, struct ops_gauges *g)
{
	static const char *const channels[] = { "email", "sms" };
	static const char *const kinds[] = { "alert", "execution" };
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;
	int i, k;

	memset(g, 0, sizeof(*g));
	for (k = 0; k < METRICS_CHANNELS; k++)
		g->outbox[k].channel = channels[k];
	for (k = 0; k < METRICS_KINDS; k++)
		g->cycle[k].kind = kinds[k];
	db_params_init(&p);
	if ((rc = db_exec_p(db, &res, outbox_sql, &p)) != RB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		struct outbox_depth *d;

		if ((k = index_of(channels, METRICS_CHANNELS, db_get_str(res, i, 0))) < 0)
			continue;
		d = &g->outbox[k];
		if ((rc = db_get_int(res, i, 1, &d->pending)) != RB_OK ||
		    (rc = db_get_int(res, i, 2, &d->retrying)) != RB_OK ||
		    (rc = db_get_int(res, i, 3, &d->failed)) != RB_OK)
			goto out;
	}
	PQclear(res);
	res = NULL;
	if ((rc = db_exec_p(db, &res, cycle_sql, &p)) != RB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		struct cycle_progress *c;

		if ((k = index_of(kinds, METRICS_KINDS, db_get_str(res, i, 0))) < 0)
			continue;
		c = &g->cycle[k];
		c->present = 1;
		snprintf(c->cycle_date, sizeof(c->cycle_date), "%s", db_get_str(res, i, 1));
		c->completed = db_get_bool(res, i, 2);
		if ((rc = db_get_int(res, i, 3, &c->companies)) != RB_OK ||
		    (rc = db_get_int(res, i, 4, &c->done)) != RB_OK)
			goto out;
	}
out:
	PQclear(res);
	return rc;
}
