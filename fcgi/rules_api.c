/*
 * GET /api/v1/renewal/rules: the fee rules in force today, for the help
 * pages (issue 12 §2), so that what they say about fees is what the
 * engine charges: each duration's total is renewal_fee() itself.
 */
#include "domain/renewal_engine.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "lib/date_json.h"
#include "store/renewal_store.h"

void
h_renewal_rules(struct req *r)
{
	struct renewal_rules rules;
	struct rb_date today = clock_today();
	json_t *fees;
	int64_t fine;
	enum rb_err rc;
	int y;

	if ((rc = renewal_rules_load(&r->w->db, today, &rules)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	/* A permit not yet expired: no late fine in these totals. */
	fees = json_array();
	for (y = 1; y <= 3; y++)
		json_array_append_new(fees, json_pack("{s:i, s:I}", "years", y, "total_dirhams",
		    (json_int_t)renewal_fee(&rules, y, (struct rb_date){ today.days + 30 }, today,
		    &fine)));
	resp_json(r, 200, json_pack("{s:o, s:I, s:i, s:I, s:i, s:I, s:I, s:i, s:i, s:o}",
	    "date", date_json(1, today),
	    "fee_per_year_dirhams", (json_int_t)rules.fee_per_year_dirhams,
	    "three_year_discount_pct", rules.three_year_discount_pct,
	    "delivery_fee_dirhams", (json_int_t)rules.delivery_fee_dirhams,
	    "grace_days", rules.grace_days,
	    "late_fine_per_day_dirhams", (json_int_t)rules.late_fine_per_day_dirhams,
	    "late_fine_cap_dirhams", (json_int_t)rules.late_fine_cap_dirhams,
	    "window_days", rules.window_days, "passport_months", rules.passport_months,
	    "fees", fees));
}
