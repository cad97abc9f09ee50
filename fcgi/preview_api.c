/*
 * GET /api/v1/companies/{est_id}/renewal/preview?date=YYYY-MM-DD — what an
 * execution on that date would do, line by line, from the same engine the
 * scheduler runs, with the bank only simulated. Writes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/access.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "lib/date_json.h"
#include "lib/xalloc.h"
#include "store/bank.h"
#include "store/renewal_store.h"

/* The next execution date (8th or 22nd) on or after today. */
static struct rb_date
next_execution(struct rb_date today)
{
	int y, m, d;

	for (;; today.days++) {
		date_to_ymd(today, &y, &m, &d);
		if (d == 8 || d == 22)
			return today;
	}
}

void
h_renewal_preview(struct req *r)
{
	struct renewal_company co;
	struct renewal_rules rules;
	struct renewal_candidates cands;
	struct renewal_decision *dec = NULL;
	struct renewal_run run;
	struct renewal_bank bank;
	struct bank_simulated sim;
	char buf[16];
	const char *p[1];
	PGresult *res = NULL;
	json_t *items;
	int64_t total = 0;
	enum rb_err rc;
	size_t i;
	int got;

	memset(&co, 0, sizeof(co));
	memset(&cands, 0, sizeof(cands));
	memset(&run, 0, sizeof(run));
	if ((got = req_query_param(r, "date", buf, sizeof(buf))) == 0)
		run.date = next_execution(clock_today());
	else if (got < 0 || date_parse(buf, &run.date) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", "date", "a date is YYYY-MM-DD");
		return;
	}
	if (access_require(r, NEED_SERVICE_OR_REVIEWER, "RENEWAL_MANAGE", NULL) != RB_OK)
		return;
	if ((rc = renewal_company_load(&r->w->db, r->params.est.s, &co)) == RB_ENOTFOUND) {
		resp_error(r, 404, "not_subscribed", "the company has never subscribed");
		return;
	}
	if (rc == RB_OK && (rc = renewal_rules_load(&r->w->db, run.date, &rules)) == RB_ENOTFOUND) {
		resp_error_field(r, 400, "invalid_field", "date", "no fee rules are in force on this date");
		goto out;
	}
	if (rc != RB_OK ||
	    (rc = renewal_candidates_load(&r->w->db, r->params.est.s, run.date, &rules,
	    &cands)) != RB_OK)
		goto fail;
	p[0] = co.iban;
	if ((rc = db_exec(&r->w->db, &res, "SELECT balance_dirhams FROM bank_accounts"
	    " WHERE iban = $1", 1, p)) != RB_OK)
		goto fail;
	memset(&sim, 0, sizeof(sim));
	sim.balance = PQntuples(res) ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
	PQclear(res);
	bank_simulated_init(&sim, &bank);
	run.duration_years = co.duration_years;
	run.cap_dirhams = co.cap_dirhams;
	run.rules = &rules;
	dec = xcalloc(cands.n, sizeof(*dec));
	if ((rc = renewal_decide(&run, cands.items, cands.n, &bank, dec, &total)) != RB_OK)
		goto fail;
	items = json_array();
	for (i = 0; i < cands.n; i++) {
		const struct renewal_decision *d = &dec[i];
		int renewed = d->result == RES_RENEWED;

		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:o, s:o,"
		    " s:I, s:I, s:o, s:o}",
		    "qid", d->c->qid.s, "name_ar", d->c->name_ar, "name_en", d->c->name_en,
		    "result", renewal_result_code(d->result),
		    "reason", renewal_reason_code(d->reason),
		    "old_expiry", date_json(1, d->c->expiry),
		    "new_expiry", date_json(renewed, d->new_expiry),
		    "fee_dirhams", (json_int_t)d->fee_dirhams,
		    "late_fine_dirhams", (json_int_t)d->late_fine_dirhams,
		    "delivery_from", date_json(renewed, d->delivery_from),
		    "delivery_to", date_json(renewed, d->delivery_to)));
	}
	resp_json(r, 200, json_pack("{s:s, s:o, s:b, s:b, s:I, s:i, s:I, s:o}",
	    "est_id", r->params.est.s, "date", date_json(1, run.date),
	    "subscribed", co.subscribed, "enabled", co.enabled,
	    "cap_dirhams", (json_int_t)co.cap_dirhams, "duration_years", co.duration_years,
	    "total_dirhams", (json_int_t)total, "items", items));
	goto out;
fail:
	resp_rb_err(r, rc);
out:
	free(dec);
	renewal_candidates_free(&cands);
	renewal_company_free(&co);
}
