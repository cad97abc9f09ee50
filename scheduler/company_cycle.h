/*
 * One company's share of a cycle, inside the caller's transaction: its
 * plan decided (simulated for an alert, debited for an execution), its
 * statements written and kept, renewed permits and deliveries recorded,
 * its messages queued and the whole audited.
 */
#ifndef RB_COMPANY_CYCLE_H
#define RB_COMPANY_CYCLE_H

#include <stdint.h>

#include <jansson.h>

#include "domain/calendar.h"
#include "lib/db.h"
#include "scheduler/cycle.h"
#include "store/audit.h"
#include "store/renewal_plan.h"

/* What a batch's companies write together at its end (scheduler/cycle.c). */
struct cycle_batch_out {
	int64_t			 now;
	struct audit_batch	 audit;
	json_t			*msgs;	/* owned: outbox items, each with its est_id */
};

/*
 * plan is the company's, loaded with its batch (renewal_batch_load) for
 * the cycle's execution date; it is decided here. Its messages and audit
 * record go into out, written with the batch's. A company that is not (or no
 * longer) in the cycle is skipped: RB_OK.
 */
enum rb_err	company_cycle(struct db *, enum cycle_kind, struct rb_date date,
		    int64_t cycle_id, struct renewal_plan *plan, struct cycle_batch_out *,
		    struct cycle_stats *);

#endif
