/*
 * What a company's cycle tells people (SPEC §5), queued in its batch's
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

#include <jansson.h>

#include "lib/db.h"
#include "reports/statement.h"
#include "store/renewal_plan.h"

/* Appends the company's outbox items (notify/outbox.h, each with its
 * est_id) to out, queued with its batch's. plan is the decided plan; st is
 * its alert or execution statement (line i is plan->dec[i]), stored as
 * statement_id; debit_id is the debit report's row (executions) with
 * ndebits lines. */
void		cycle_messages(json_t *out, const struct renewal_plan *plan,
		    const struct statement *st, int64_t statement_id, int64_t debit_id,
		    const char *debit_code, size_t ndebits);

#endif
