/*
 * One cycle (an alert or an execution on a date) for every company in it,
 * exactly once: companies are claimed in the database in batches, their
 * facts loaded for the whole batch at once, and each batch's whole cycle
 * (statements, debits, renewed permits, deliveries, messages, audit)
 * commits in one transaction: a crash leaves each company done or not
 * started. Then the cycle's workbooks are rendered (scheduler/render_pool.h)
 * and only then is the cycle complete: every statement downloadable at once.
 */
#ifndef RB_CYCLE_H
#define RB_CYCLE_H

#include <signal.h>

#include "domain/calendar.h"
#include "domain/renewal_engine.h"
#include "lib/db.h"

struct cycle_stats {
	int	companies;	/* processed by this run */
	int	statements;
	int	renewed;
	int	rejected;
	long	rendered;	/* workbooks this run recorded */
};

/*
 * Runs the cycle; safe to run again, after a crash, and from several
 * processes at once. Stops between batches (or workbooks) when *stop
 * becomes set, the cycle then not complete. render_workers: the threads
 * rendering its workbooks once its companies are done (0: none, the
 * workbooks then rendered at their first download or email only).
 */
enum rb_err	cycle_run(struct db *, enum cycle_kind, struct rb_date, int render_workers,
		    volatile sig_atomic_t *stop, struct cycle_stats *);

#endif
