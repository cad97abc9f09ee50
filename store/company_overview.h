/* The company home's figures (issue 12 §2), in one answer. */
#ifndef RB_COMPANY_OVERVIEW_H
#define RB_COMPANY_OVERVIEW_H

#include <jansson.h>

#include "domain/ids.h"
#include "lib/date.h"
#include "lib/db.h"

/*
 * Into *out (the caller owns it):
 *  - "expiring": {expired, within_30, within_60, within_90}: open
 *    employees whose permit expired before today, or expires from today
 *    to today + N days (the employees list's expiring=N counts the same);
 *  - "next_execution": the execution on exec_date as the renewal engine
 *    decides it now (the preview's plan, store/renewal_plan.h): its date,
 *    renewal_state, cap, expected total, renewed and not-renewed counts and
 *    "blocked": [{reason, count}] by reason; renewal_state
 *    "not_subscribed" and no figures when the company never subscribed;
 *  - "last_execution": the newest execution statement up to today (id,
 *    cycle_date, total_dirhams debited, renewed_count, not_renewed_count),
 *    or null.
 */
enum rb_err	company_overview(struct db *, const struct est_id *, struct rb_date today,
		    struct rb_date exec_date, json_t **out);

#endif
