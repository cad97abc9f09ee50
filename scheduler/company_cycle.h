/*
 * One company's share of a cycle, inside its batch's transaction
 * (scheduler/cycle.c): whether it takes part, its statements built from
 * its decided plan, and once they are stored its messages and audit
 * record. The batch decides, debits and writes its companies together.
 */
#ifndef RB_COMPANY_CYCLE_H
#define RB_COMPANY_CYCLE_H

#include <stdint.h>

#include <jansson.h>

#include "domain/calendar.h"
#include "lib/db.h"
#include "scheduler/cycle.h"
#include "store/audit.h"
#include "store/renewal_plan.h"
#include "store/statement_store.h"

/* What a batch's companies write together at its end (scheduler/cycle.c). */
struct cycle_batch_out {
	int64_t			 now;
	struct audit_batch	 audit;
	json_t			*msgs;	/* owned: outbox items, each with its est_id */
};

/* One company's statements while its batch is written (owned lines). */
struct company_work {
	int			 part;		/* takes part in this cycle */
	struct stmt_line	*lines, *debits;
	size_t			 nd;		/* debits: the renewed */
	struct statement	 st, debit_st;	/* debit_st: executions only */
	int64_t			 sid, debit_sid;	/* their rows, once stored */
};

/*
 * plan is the company's, loaded with its batch (renewal_batch_load) for
 * the cycle's execution date. *part: whether it takes part (a company no
 * longer subscribed is skipped); RB_ENOTFOUND when no fee rules are in force.
 */
enum rb_err	company_takes_part(enum cycle_kind, const struct renewal_plan *plan, int *part);
/* The decided plan's statements, in w, with their verification codes. */
enum rb_err	company_statements(enum cycle_kind, struct rb_date date,
		    const struct renewal_plan *plan, struct company_work *w,
		    struct cycle_stats *);
/* Once the statements are stored: the company's messages and audit
 * record into out, written with the batch's. */
void		company_finish(enum cycle_kind, struct rb_date date,
		    const struct renewal_plan *plan, const struct company_work *w,
		    struct cycle_batch_out *);
void		company_work_free(struct company_work *);
#endif
