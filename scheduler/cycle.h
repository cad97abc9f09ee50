/*
 * One cycle (an alert or an execution on a date) for every company in it,
 * exactly once: companies are claimed in the database and each company's
 * whole cycle (statements, debits, renewed permits, deliveries) commits in
 * one transaction.
 */
#ifndef RB_CYCLE_H
#define RB_CYCLE_H

#include <signal.h>

#include "db.h"
#include "renewal_engine.h"

enum cycle_kind { CYCLE_ALERT, CYCLE_EXECUTION };

struct cycle_stats {
	int	companies;	/* processed by this run */
	int	statements;
	int	renewed;
	int	rejected;
};

/* The kind of cycle scheduled on date, or -1 when none is. */
int		cycle_kind_of(struct rb_date);
const char	*cycle_kind_name(enum cycle_kind);
/* The execution an alert of date announces (the 8th or the 22nd). */
struct rb_date	cycle_next_execution(struct rb_date alert);
/*
 * Runs the cycle; safe to run again, after a crash, and from several
 * processes at once. Stops between companies when *stop becomes set.
 */
enum rb_err	cycle_run(struct db *, enum cycle_kind, struct rb_date,
		    volatile sig_atomic_t *stop, struct cycle_stats *);

#endif
