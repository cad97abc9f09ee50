/*
 * One company's share of a cycle, inside the caller's transaction: its
 * plan decided (simulated for an alert, debited for an execution), its
 * statements written and kept, renewed permits and deliveries recorded,
 * its messages queued and the whole audited.
 */
#ifndef RB_COMPANY_CYCLE_H
#define RB_COMPANY_CYCLE_H

#include <stdint.h>

#include "domain/calendar.h"
#include "lib/db.h"
#include "scheduler/cycle.h"
#include "store/renewal_plan.h"

/*
 * plan is the company's, loaded with its batch (renewal_batch_load) for
 * the cycle's execution date; it is decided here. A company that is not
 * (or no longer) in the cycle is skipped: RB_OK.
 */
enum rb_err	company_cycle(struct db *, enum cycle_kind, struct rb_date date,
		    int64_t cycle_id, struct renewal_plan *plan, struct cycle_stats *);

#endif
