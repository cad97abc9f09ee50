#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/date_json.h"
#include "lib/xalloc.h"
#include "store/bank.h"
#include "store/renewal_store.h"
#include "store/renewal_plan.h"

enum rb_err
renewal_batch_load(struct db *db, const char *const *est_ids, size_t n, struct rb_date date,
    const struct renewal_window *w, struct renewal_batch *b)
{
	struct renewal_company *cos = xcalloc(n ? n : 1, sizeof(*cos));
	struct renewal_candidates *cands = xcalloc(n ? n : 1, sizeof(*cands));
	struct renewal_rules rules;
	enum plan_missing missing = PLAN_COMPLETE;
	enum rb_err rc;
	size_t i;

	memset(b, 0, sizeof(*b));
	memset(&rules, 0, sizeof(rules));
	b->plans = xcalloc(n ? n : 1, sizeof(*b->plans));
	b->n = n;
	rc = renewal_companies_load(db, est_ids, n, cos);
	if (rc == RB_OK && (rc = renewal_rules_load(db, date, &rules)) == RB_ENOTFOUND) {
		missing = PLAN_NO_RULES;
		rc = RB_OK;
	} else if (rc == RB_OK)
		rc = renewal_candidates_load(db, est_ids, n, date, &rules, w, cands, &b->res);
	for (i = 0; i < n; i++) {
		struct renewal_plan *plan = &b->plans[i];

		/* The plan takes the company and its candidates over. */
		plan->co = cos[i];
		plan->cands = cands[i];
		plan->rules = rules;
		plan->run.date = date;
		plan->run.rules = &plan->rules;
		plan->run.duration_years = plan->co.duration_years;
		plan->run.cap_dirhams = plan->co.cap_dirhams;
		plan->run.mandate_invalid = !plan->co.mandate_valid;
		plan->run.establishment_fines_dirhams = plan->co.establishment_fines_dirhams;
		plan->balance_dirhams = plan->co.balance_dirhams;
		plan->missing = plan->co.found ? missing : PLAN_NO_COMPANY;
	}
	free(cos);
	free(cands);
	return rc;
}

void
renewal_batch_free(struct renewal_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		renewal_plan_free(&b->plans[i]);
	free(b->plans);
	PQclear(b->res);
	memset(b, 0, sizeof(*b));
}

enum rb_err
renewal_plan_load(struct db *db, const char *est_id, struct rb_date date,
    struct renewal_plan *plan)
{
	struct renewal_batch b;
	enum rb_err rc;

	rc = renewal_batch_load(db, &est_id, 1, date, NULL, &b);
	*plan = b.plans[0];
	plan->run.rules = &plan->rules;
	/* The one plan owns the batch's candidates result. */
	plan->cands.res = b.res;
	free(b.plans);
	if (rc == RB_OK && plan->missing != PLAN_COMPLETE)
		rc = RB_ENOTFOUND;
	return rc;
}

static enum rb_err
decide(struct renewal_plan *plan, struct renewal_bank *bank)
{
	free(plan->dec);
	plan->dec = xcalloc(plan->cands.n, sizeof(*plan->dec));
	return renewal_decide(&plan->run, plan->cands.items, plan->cands.n, bank, plan->dec,
	    &plan->total_dirhams);
}

enum rb_err
renewal_plan_simulate(struct renewal_plan *plan)
{
	struct bank_simulated sim;
	struct renewal_bank bank;

	memset(&sim, 0, sizeof(sim));
	sim.balance = plan->balance_dirhams;
	bank_simulated_init(&sim, &bank);
	return decide(plan, &bank);
}

enum rb_err
renewal_plan_debit(struct db *db, struct renewal_plan *plan, int64_t cycle_id, int64_t now)
{
	struct bank_sandbox sandbox;
	struct renewal_bank bank;

	memset(&sandbox, 0, sizeof(sandbox));
	sandbox.db = db;
	sandbox.iban = plan->co.iban;
	sandbox.now = now;
	snprintf(sandbox.key_prefix, sizeof(sandbox.key_prefix), "%s:%lld:",
	    plan->co.est_id, (long long)cycle_id);
	bank_sandbox_init(&sandbox, &bank);
	return decide(plan, &bank);
}

/*
 * The execution's decisions for the plans marked in active, with their
 * debits: every company first decided against its loaded balance, then
 * all their debits made in one round trip (bank_batch_commit); a company
 * whose account moved in between is decided again debiting one person at
 * a time, as renewal_plan_debit does.
 */
enum rb_err
renewal_batch_debit(struct db *db, struct renewal_plan *const *plans, size_t n,
    int64_t cycle_id, int64_t now)
{
	struct bank_recorder *recs = xcalloc(n ? n : 1, sizeof(*recs));
	struct bank_recorder **rp = xcalloc(n ? n : 1, sizeof(*rp));
	int *done = xcalloc(n ? n : 1, sizeof(*done));
	struct renewal_bank bank;
	enum rb_err rc = RB_OK;
	size_t i;

	for (i = 0; i < n && rc == RB_OK; i++) {
		rp[i] = &recs[i];
		recs[i].iban = plans[i]->co.iban;
		recs[i].start_balance = plans[i]->balance_dirhams;
		snprintf(recs[i].key_prefix, sizeof(recs[i].key_prefix), "%s:%lld:",
		    plans[i]->co.est_id, (long long)cycle_id);
		bank_recorder_init(&recs[i], &bank);
		rc = decide(plans[i], &bank);
	}
	if (rc == RB_OK)
		rc = bank_batch_commit(db, rp, n, now, done);
	for (i = 0; i < n && rc == RB_OK; i++)
		if (!done[i])
			rc = renewal_plan_debit(db, plans[i], cycle_id, now);
	for (i = 0; i < n; i++)
		bank_recorder_free(&recs[i]);
	free(recs);
	free(rp);
	free(done);
	return rc;
}

/* Renewed permits and their card deliveries of any number of plans, in
 * one prepared round trip. */
static const struct db_stmt st_apply = { "renewal_apply",
	"WITH x AS (SELECT * FROM json_to_recordset($1::json)"
	" AS x(qid text, new_expiry date, \"from\" date, \"to\" date, years smallint,"
	" est_id text, address text)),"
	" u AS (UPDATE persons p SET permit_expiry = x.new_expiry,"
	" permit_last_duration_years = x.years FROM x WHERE p.qid = x.qid)"
	" INSERT INTO card_deliveries (qid, est_id, cycle_id, address, window_from,"
	" window_to) SELECT x.qid, x.est_id, $2::bigint, x.address, x.\"from\", x.\"to\" FROM x",
	2 };

enum rb_err
renewal_plan_apply_batch(struct db *db, const struct renewal_plan *const *plans, size_t n,
    int64_t cycle_id)
{
	json_t *rows = json_array();
	char *doc = NULL, cycle[24];
	const char *p[2] = { NULL, cycle };
	enum rb_err rc = RB_OK;
	size_t i, k;

	for (k = 0; k < n; k++) {
		const struct renewal_plan *plan = plans[k];
		const struct renewal_decision *d = plan->dec;

		for (i = 0; i < plan->cands.n; i++)
			if (d[i].result == RES_RENEWED)
				json_array_append_new(rows, json_pack("{s:s, s:o, s:o, s:o, s:i,"
				    " s:s, s:s}", "qid", d[i].c->qid.s,
				    "new_expiry", date_json(1, d[i].new_expiry),
				    "from", date_json(1, d[i].delivery_from),
				    "to", date_json(1, d[i].delivery_to),
				    "years", plan->run.duration_years, "est_id", plan->co.est_id,
				    "address", plan->co.delivery_address));
	}
	if (json_array_size(rows) > 0) {
		p[0] = doc = json_dumps(rows, JSON_COMPACT);
		snprintf(cycle, sizeof(cycle), "%lld", (long long)cycle_id);
		rc = db_exec_stmt(db, NULL, &st_apply, p);
	}
	free(doc);
	json_decref(rows);
	return rc;
}

void
renewal_plan_free(struct renewal_plan *plan)
{
	free(plan->dec);
	renewal_candidates_free(&plan->cands);
	renewal_company_free(&plan->co);
	memset(plan, 0, sizeof(*plan));
}
