/*
 * GET /api/v1/companies/{est_id}/renewal/preview?date=YYYY-MM-DD — what an
 * execution on that date would do, line by line: the scheduler's own plan
 * (store/renewal_plan.h), with the bank only simulated. Writes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/calendar.h"
#include "fcgi/access.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "lib/date_json.h"
#include "store/renewal_plan.h"
#include "store/statement_store.h"

/*
 * One line: what the execution would do for the person. fee_dirhams is
 * what it would debit (0 when the person is not renewed, so the column
 * adds up to the total); a person not renewed has the blocker, its amount
 * and the remedy, to apply before the execution date.
 */
static json_t *
preview_item(const struct renewal_decision *d, struct rb_date date)
{
	struct stmt_line l;
	const char *codes[8];
	json_t *o, *flags = json_array();
	size_t k, n;

	statement_line_from_decision(&l, d, STMT_EXECUTION, date, NULL);
	if (l.has_remedy_before)
		l.remedy_before = date;
	n = statement_flag_codes(d->flags, codes, 8);
	for (k = 0; k < n; k++)
		json_array_append_new(flags, json_string(codes[k]));
	o = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:o, s:o, s:I, s:I, s:o, s:o, s:o}",
	    "qid", l.qid, "name_ar", l.name_ar, "name_en", l.name_en,
	    "result", renewal_result_code(l.result),
	    "reason", renewal_reason_code(l.reason),
	    "old_expiry", date_json(1, l.old_expiry),
	    "new_expiry", date_json(l.has_new_expiry, l.new_expiry),
	    "fee_dirhams", (json_int_t)l.fee_dirhams,
	    "late_fine_dirhams", (json_int_t)l.late_fine_dirhams,
	    "delivery_from", date_json(l.has_delivery, l.delivery_from),
	    "delivery_to", date_json(l.has_delivery, l.delivery_to),
	    "flags", flags);
	statement_blocker_json(o, &l);
	return o;
}

void
h_renewal_preview(struct req *r)
{
	struct renewal_plan plan;
	struct rb_date date;
	char buf[16];
	json_t *items;
	enum rb_err rc;
	size_t i, renewed = 0;
	int got;

	memset(&plan, 0, sizeof(plan));
	if ((got = req_query_param(r, "date", buf, sizeof(buf))) == 0)
		date = cycle_execution_from(clock_today());
	else if (got < 0 || date_parse(buf, &date) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", "date", "a date is YYYY-MM-DD");
		return;
	}
	if (access_require(r, NEED_SERVICE_OR_REVIEWER, "RENEWAL_MANAGE", NULL) != RB_OK)
		return;
	rc = renewal_plan_load(r->db, r->params.est.s, date, &plan);
	if (rc == RB_ENOTFOUND && plan.missing == PLAN_NO_COMPANY)
		resp_error(r, 404, "not_subscribed", "the company has never subscribed");
	else if (rc == RB_ENOTFOUND && plan.missing == PLAN_NO_RULES)
		resp_error_field(r, 400, "invalid_field", "date",
		    "no fee rules are in force on this date");
	else if (rc != RB_OK || (rc = renewal_plan_simulate(&plan)) != RB_OK)
		resp_rb_err(r, rc);
	else {
		items = json_array();
		for (i = 0; i < plan.cands.n; i++) {
			json_array_append_new(items, preview_item(&plan.dec[i], date));
			renewed += plan.dec[i].result == RES_RENEWED;
		}
		/* A subscription waiting for review runs nothing: its state says so. */
		resp_json(r, 200, json_pack("{s:s, s:o, s:b, s:b, s:s, s:I, s:i, s:I, s:I, s:I,"
		    " s:o}",
		    "est_id", r->params.est.s, "date", date_json(1, date),
		    "subscribed", plan.co.subscribed, "enabled", plan.co.enabled,
		    "renewal_state", renewal_state_code(renewal_state_of(plan.co.status,
		    plan.co.enabled)),
		    "cap_dirhams", (json_int_t)plan.co.cap_dirhams,
		    "duration_years", plan.co.duration_years,
		    "total_dirhams", (json_int_t)plan.total_dirhams,
		    "renewed_count", (json_int_t)renewed,
		    "not_renewed_count", (json_int_t)(plan.cands.n - renewed), "items", items));
	}
	renewal_plan_free(&plan);
}
