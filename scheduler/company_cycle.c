#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/clock.h"
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

static enum rb_err
audit_cycle(struct db *db, const struct audit_ctx *a, enum cycle_kind kind,
    struct rb_date date, const struct renewal_plan *plan, size_t renewed)
{
	char target[40];
	json_t *detail;
	enum rb_err rc;

	snprintf(target, sizeof(target), "company:%s", plan->co.est_id);
	detail = json_pack("{s:s, s:o, s:I, s:I, s:I}", "kind", cycle_kind_name(kind),
	    "date", date_json(1, date), "candidates", (json_int_t)plan->cands.n,
	    "renewed", (json_int_t)renewed, "total_dirhams", (json_int_t)plan->total_dirhams);
	rc = audit_append(db, a, kind == CYCLE_ALERT ? "cycle.alert" : "cycle.execution",
	    target, detail);
	json_decref(detail);
	return rc;
}

enum rb_err
company_cycle(struct db *db, enum cycle_kind kind, struct rb_date date, int64_t cycle_id,
    const char *est_id, struct cycle_stats *stats)
{
	struct renewal_plan plan;
	struct stmt_line *lines = NULL, *debits = NULL;
	struct statement st, debit_st;
	struct audit_ctx a = { "scheduler", "", clock_now() };
	struct rb_date exec = kind == CYCLE_ALERT ? cycle_next_execution(date) : date;
	enum stmt_kind sk = kind == CYCLE_ALERT ? STMT_ALERT : STMT_EXECUTION;
	int64_t sid, debit_sid = 0;
	size_t i, nd = 0;
	enum rb_err rc;

	rc = renewal_plan_load(db, est_id, exec, &plan);
	/* Gone from the company's subscriptions since the cycle began: skipped. */
	if ((rc == RB_ENOTFOUND && plan.missing == PLAN_NO_COMPANY) ||
	    ((rc == RB_OK || plan.missing == PLAN_NO_RULES) && !takes_part(&plan.co, kind))) {
		rc = RB_OK;
		goto out;
	}
	if (rc != RB_OK ||
	    (rc = kind == CYCLE_EXECUTION ? renewal_plan_debit(db, &plan, cycle_id, a.now) :
	    renewal_plan_simulate(&plan)) != RB_OK)
		goto out;
	lines = xcalloc(plan.cands.n, sizeof(*lines));
	debits = xcalloc(plan.cands.n, sizeof(*debits));
	for (i = 0; i < plan.cands.n; i++) {
		const struct renewal_decision *d = &plan.dec[i];

		statement_line_from_decision(&lines[i], d, sk, date, NULL);
		if (kind == CYCLE_ALERT)
			continue;
		if (d->result == RES_RENEWED) {
			statement_line_from_decision(&debits[nd++], d, STMT_DEBIT_REPORT, date,
			    plan.co.iban);
			stats->renewed++;
		} else
			stats->rejected++;
	}
	memset(&st, 0, sizeof(st));
	memset(&debit_st, 0, sizeof(debit_st));
	st.kind = sk;
	snprintf(st.est_id, sizeof(st.est_id), "%s", est_id);
	st.company_ar = plan.co.name_ar;
	st.company_en = plan.co.name_en;
	snprintf(st.language, sizeof(st.language), "%s", plan.co.language);
	st.cycle_date = date;
	st.execution_date = exec;
	st.cap_dirhams = plan.co.cap_dirhams;
	st.total_dirhams = plan.total_dirhams;
	st.lines = lines;
	st.nlines = plan.cands.n;
	if ((rc = issue(db, &st, cycle_id, a.now, &sid)) != RB_OK)
		goto out;
	stats->statements++;
	if (kind == CYCLE_EXECUTION) {
		debit_st = st;
		debit_st.kind = STMT_DEBIT_REPORT;
		debit_st.lines = debits;
		debit_st.nlines = nd;
		if ((rc = issue(db, &debit_st, cycle_id, a.now, &debit_sid)) != RB_OK ||
		    (rc = renewal_plan_apply(db, &plan, cycle_id)) != RB_OK)
			goto out;
		stats->statements++;
	}
	if ((rc = cycle_queue_messages(db, a.now, &plan, &st, sid, debit_sid,
	    debit_st.verification_code, nd)) == RB_OK)
		rc = audit_cycle(db, &a, kind, date, &plan, nd);
out:
	free(lines);
	free(debits);
	renewal_plan_free(&plan);
	return rc;
}
