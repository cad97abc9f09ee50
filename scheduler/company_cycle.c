#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/date_json.h"
#include "lib/xalloc.h"
#include "scheduler/company_cycle.h"
#include "scheduler/cycle_messages.h"
#include "store/audit.h"
#include "store/renewal_plan.h"
#include "store/statement_store.h"

/* Gives st its verification code and keeps it; *id is its row. Its
 * workbook is rendered from the stored lines when first asked for. */
static enum rb_err
issue(struct db *db, struct statement *st, int64_t cycle_id, int64_t now, int64_t *id)
{
	enum rb_err rc;

	if ((rc = statement_new_code(st->verification_code)) == RB_OK)
		rc = statement_insert(db, st, cycle_id, now, id);
	return rc;
}

/* Alerts for every approved subscription; executions only when enabled. */
static int
takes_part(const struct renewal_company *co, enum cycle_kind kind)
{
	return co->subscribed && (kind == CYCLE_ALERT || co->enabled);
}

/* The company's audit record, appended with its batch's (scheduler/cycle.c). */
static void
audit_cycle(struct audit_batch *audit, enum cycle_kind kind, struct rb_date date,
    const struct renewal_plan *plan, size_t renewed)
{
	char target[40];
	json_t *detail;

	snprintf(target, sizeof(target), "company:%s", plan->co.est_id);
	detail = json_pack("{s:s, s:o, s:I, s:I, s:I}", "kind", cycle_kind_name(kind),
	    "date", date_json(1, date), "candidates", (json_int_t)plan->cands.n,
	    "renewed", (json_int_t)renewed, "total_dirhams", (json_int_t)plan->total_dirhams);
	/* Why nothing was debited, for whoever reads the trail. */
	if (plan->run.mandate_invalid)
		json_object_set_new(detail, "mandate_invalid", json_true());
	audit_batch_add(audit, kind == CYCLE_ALERT ? "cycle.alert" : "cycle.execution",
	    target, detail);
	json_decref(detail);
}

enum rb_err
company_cycle(struct db *db, enum cycle_kind kind, struct rb_date date, int64_t cycle_id,
    struct renewal_plan *pl, struct cycle_batch_out *out, struct cycle_stats *stats)
{
	const struct renewal_plan *plan = pl;
	struct stmt_line *lines = NULL, *debits = NULL;
	struct statement st, debit_st;
	struct rb_date exec = kind == CYCLE_ALERT ? cycle_next_execution(date) : date;
	enum stmt_kind sk = kind == CYCLE_ALERT ? STMT_ALERT : STMT_EXECUTION;
	const char *est_id = plan->co.est_id;
	int64_t sid, debit_sid = 0, now = out->now;
	size_t i, nd = 0;
	enum rb_err rc = RB_OK;

	/* Gone from the company's subscriptions since the cycle began: skipped. */
	if (plan->missing == PLAN_NO_COMPANY || !takes_part(&plan->co, kind))
		return RB_OK;
	if (plan->missing == PLAN_NO_RULES)
		return RB_ENOTFOUND;
	if ((rc = kind == CYCLE_EXECUTION ? renewal_plan_debit(db, pl, cycle_id, now) :
	    renewal_plan_simulate(pl)) != RB_OK)
		return rc;
	lines = xcalloc(plan->cands.n, sizeof(*lines));
	debits = xcalloc(plan->cands.n, sizeof(*debits));
	for (i = 0; i < plan->cands.n; i++) {
		const struct renewal_decision *d = &plan->dec[i];

		statement_line_from_decision(&lines[i], d, sk, date, NULL);
		if (kind == CYCLE_ALERT)
			continue;
		if (d->result == RES_RENEWED) {
			statement_line_from_decision(&debits[nd++], d, STMT_DEBIT_REPORT, date,
			    plan->co.iban);
			stats->renewed++;
		} else
			stats->rejected++;
	}
	memset(&st, 0, sizeof(st));
	memset(&debit_st, 0, sizeof(debit_st));
	st.kind = sk;
	snprintf(st.est_id, sizeof(st.est_id), "%s", est_id);
	st.company_ar = plan->co.name_ar;
	st.company_en = plan->co.name_en;
	snprintf(st.language, sizeof(st.language), "%s", plan->co.language);
	st.cycle_date = date;
	st.execution_date = exec;
	st.cap_dirhams = plan->co.cap_dirhams;
	st.total_dirhams = plan->total_dirhams;
	st.lines = lines;
	st.nlines = plan->cands.n;
	if ((rc = issue(db, &st, cycle_id, now, &sid)) != RB_OK)
		goto out;
	stats->statements++;
	if (kind == CYCLE_EXECUTION) {
		debit_st = st;
		debit_st.kind = STMT_DEBIT_REPORT;
		debit_st.lines = debits;
		debit_st.nlines = nd;
		if ((rc = issue(db, &debit_st, cycle_id, now, &debit_sid)) != RB_OK ||
		    (rc = renewal_plan_apply(db, plan, cycle_id)) != RB_OK)
			goto out;
		stats->statements++;
	}
	cycle_messages(out->msgs, plan, &st, sid, debit_sid, debit_st.verification_code, nd);
	audit_cycle(&out->audit, kind, date, plan, nd);
out:
	free(lines);
	free(debits);
	return rc;
}
