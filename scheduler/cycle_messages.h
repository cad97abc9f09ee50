/*
 * What a company's cycle tells people (SPEC §5), queued in the cycle's own
 * transaction: each statement that has lines by email to the company with
 * its workbook (an empty one stays downloadable); SMS to residents whose
 * permit is near expiry (alerts: that it is due to be renewed, or what
 * blocks it and what to do before the execution) or was renewed or not
 * (executions: what blocked it and what to do before the next one, not
 * again when nothing changed since the previous execution), and to the
 * company's mobile when an execution had candidates.
 */
#ifndef RB_CYCLE_MESSAGES_H
#define RB_CYCLE_MESSAGES_H

#include <stdint.h>

#include "lib/db.h"
#include "reports/statement.h"
#include "store/renewal_plan.h"

/* plan is the decided plan; st is its alert or execution statement (line
 * i is plan->dec[i]), stored as statement_id; debit_id is the debit
 * report's row (executions) with ndebits lines. */
enum rb_err	cycle_queue_messages(struct db *, int64_t now,
		    const struct renewal_plan *plan, const struct statement *st,
		    int64_t statement_id, int64_t debit_id, const char *debit_code,
		    size_t ndebits);

#endif
