#include <stdio.h>
#include <string.h>

#include "store/metrics_store.h"

/* One round trip: per channel, the outbox's pending, retrying and failed
 * messages; per kind, the latest cycle's date, completion, companies
 * claimed and done. */
static const char gauges_sql[] =
	"SELECT 'outbox', channel, NULL, false, count(*) FILTER (WHERE status = 'pending'),"
	" count(*) FILTER (WHERE status = 'pending' AND attempts > 0),"
	" count(*) FILTER (WHERE status = 'failed')"
	" FROM outbox WHERE status IN ('pending', 'failed') GROUP BY channel"
	" UNION ALL"
	" SELECT * FROM (WITH cur AS (SELECT DISTINCT ON (kind) id, kind, cycle_date, completed_at"
	" FROM cycles ORDER BY kind, cycle_date DESC, id DESC)"
	" SELECT 'cycle', cur.kind, cur.cycle_date::text, cur.completed_at IS NOT NULL,"
	" count(cc.est_id), count(cc.done_at), 0::bigint"
	" FROM cur LEFT JOIN cycle_companies cc ON cc.cycle_id = cur.id"
	" GROUP BY cur.kind, cur.cycle_date, cur.completed_at) c";

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
	if ((rc = db_exec_p(db, &res, gauges_sql, &p)) != RB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		int cycle = strcmp(db_get_str(res, i, 0), "cycle") == 0;
		int64_t v[3];

		k = cycle ? index_of(kinds, METRICS_KINDS, db_get_str(res, i, 1)) :
		    index_of(channels, METRICS_CHANNELS, db_get_str(res, i, 1));
		if (k < 0)
			continue;
		if ((rc = db_get_int(res, i, 4, &v[0])) != RB_OK ||
		    (rc = db_get_int(res, i, 5, &v[1])) != RB_OK ||
		    (rc = db_get_int(res, i, 6, &v[2])) != RB_OK)
			goto out;
		if (cycle) {
			struct cycle_progress *c = &g->cycle[k];

			c->present = 1;
			snprintf(c->cycle_date, sizeof(c->cycle_date), "%s", db_get_str(res, i, 2));
			c->completed = db_get_bool(res, i, 3);
			c->companies = v[0];
			c->done = v[1];
		} else {
			g->outbox[k].pending = v[0];
			g->outbox[k].retrying = v[1];
			g->outbox[k].failed = v[2];
		}
	}
out:
	PQclear(res);
	return rc;
}
