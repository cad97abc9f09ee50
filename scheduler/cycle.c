#include <stdio.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "scheduler/company_cycle.h"
#include "scheduler/cycle.h"
#include "store/cycle_store.h"

/* Conflicts and serialization failures retried in a row before giving up. */
#define MAX_RETRIES	3

enum rb_err
cycle_run(struct db *db, enum cycle_kind kind, struct rb_date date,
    volatile sig_atomic_t *stop, struct cycle_stats *stats)
{
	char est[9] = "", after[9] = "";
	int64_t id;
	int completed, retries = 0;
	enum rb_err rc;

	memset(stats, 0, sizeof(*stats));
	if ((rc = cycle_open(db, kind, date, clock_now(), &id, &completed)) != RB_OK ||
	    completed)
		return rc;
	while (!*stop) {
		if ((rc = db_begin(db)) != RB_OK)
			return rc;
		if ((rc = cycle_claim_next(db, id, after, est)) != RB_OK)
			goto fail;
		if (est[0] == '\0') {
			db_rollback(db);
			/* One more pass from the start for what failed or was skipped. */
			if (after[0] == '\0')
				break;
			after[0] = '\0';
			continue;
		}
		snprintf(after, sizeof(after), "%s", est);
		if ((rc = company_cycle(db, kind, date, id, est, stats)) != RB_OK ||
		    (rc = cycle_mark_done(db, id, est, clock_now())) != RB_OK ||
		    (rc = db_commit(db)) != RB_OK)
			goto fail;
		stats->companies++;
		retries = 0;
		continue;
fail:
		db_rollback(db);
		log_error("%s %lld: company %s failed: %s", cycle_kind_name(kind), (long long)id,
		    est, rb_strerror(rc));
		/* A conflict (another instance) or a serialization failure is
		 * retried; anything else stops this run and is retried at the
		 * next one. */
		if ((rc != RB_ECONFLICT && rc != RB_ERETRY) || ++retries > MAX_RETRIES)
			return rc;
	}
	return cycle_complete(db, id, clock_now());
}
