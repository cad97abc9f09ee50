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
company_takes_part(enum cycle_kind kind, const struct renewal_plan *plan, int *part)
{
	/* Gone from the company's subscriptions since the cycle began: skipped. */
	*part = 0;
	if (plan->missing == PLAN_NO_COMPANY || !takes_part(&plan->co, kind))
		return RB_OK;
	if (plan->missing == PLAN_NO_RULES)
		return RB_ENOTFOUND;
	*part = 1;
	return RB_OK;
}

enum rb_err
company_statements(enum cycle_kind kind, struct rb_date date, const struct renewal_plan *plan,
    struct company_work *w, struct cycle_stats *stats)
{
	struct rb_date exec = kind == CYCLE_ALERT ? cycle_next_execution(date) : date;
	enum stmt_kind sk = kind == CYCLE_ALERT ? STMT_ALERT : STMT_EXECUTION;
	struct statement *st = &w->st;
	enum rb_err rc;
	size_t i;

	w->lines = xcalloc(plan->cands.n ? plan->cands.n : 1, sizeof(*w->lines));
	w->debits = xcalloc(plan->cands.n ? plan->cands.n : 1, sizeof(*w->debits));
	w->nd = 0;
	for (i = 0; i < plan->cands.n; i++) {
		const struct renewal_decision *d = &plan->dec[i];

		statement_line_from_decision(&w->lines[i], d, sk, date, NULL);
		if (kind == CYCLE_ALERT)
			continue;
		if (d->result == RES_RENEWED) {
			statement_line_from_decision(&w->debits[w->nd++], d, STMT_DEBIT_REPORT, date,
			    plan->co.iban);
			stats->renewed++;
		} else
			stats->rejected++;
	}
	memset(st, 0, sizeof(*st));
	memset(&w->debit_st, 0, sizeof(w->debit_st));
	st->kind = sk;
	snprintf(st->est_id, sizeof(st->est_id), "%s", plan->co.est_id);
	st->company_ar = plan->co.name_ar;
	st->company_en = plan->co.name_en;
	snprintf(st->language, sizeof(st->language), "%s", plan->co.language);
	st->cycle_date = date;
	st->execution_date = exec;
	st->cap_dirhams = plan->co.cap_dirhams;
	st->total_dirhams = plan->total_dirhams;
	st->lines = w->lines;
	st->nlines = plan->cands.n;
	/* Each statement's verification code works the moment it is stored;
	 * its workbook is rendered from the stored lines when first asked for. */
	if ((rc = statement_new_code(st->verification_code)) != RB_OK)
		return rc;
	stats->statements++;
	if (kind == CYCLE_EXECUTION) {
		w->debit_st = *st;
		w->debit_st.kind = STMT_DEBIT_REPORT;
		w->debit_st.lines = w->debits;
		w->debit_st.nlines = w->nd;
		if ((rc = statement_new_code(w->debit_st.verification_code)) != RB_OK)
			return rc;
		stats->statements++;
	}
	return RB_OK;
}

void
company_finish(enum cycle_kind kind, struct rb_date date, const struct renewal_plan *plan,
    const struct company_work *w, struct cycle_batch_out *out)
{
	cycle_messages(out->msgs, plan, &w->st, w->sid, w->debit_sid,
	    w->debit_st.verification_code, w->nd);
	audit_cycle(&out->audit, kind, date, plan, w->nd);
}

void
company_work_free(struct company_work *w)
{
	free(w->lines);
	free(w->debits);
	memset(w, 0, sizeof(*w));
}
