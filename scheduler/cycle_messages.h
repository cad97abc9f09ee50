/*
 * What a company's cycle tells people (SPEC §5), queued in the cycle's own
 * transaction: each statement by email to the company with its workbook;
 * SMS to residents whose permit is near expiry (alerts) or was renewed or
 * not (executions), and to the company's mobile when an execution is done.
 */
#ifndef RB_CYCLE_MESSAGES_H
#define RB_CYCLE_MESSAGES_H

#include <stdint.h>

#include "lib/db.h"
#include "reports/statement.h"
#include "store/renewal_store.h"

/* st is the alert or execution statement (its lines every candidate),
 * stored as statement_id; debit_id is the debit report's row (executions)
 * with ndebits lines. */
enum rb_err	cycle_queue_messages(struct db *, int64_t now,
		    const struct renewal_company *, const struct statement *st,
		    int64_t statement_id, int64_t debit_id, const char *debit_code,
		    size_t ndebits, int64_t total_dirhams);

#endif
