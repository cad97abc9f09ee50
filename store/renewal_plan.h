/*
 * What a renewal run needs to know, in one place (SPEC §4): the company's
 * settings, the fee rules in force, the candidates and the mandate
 * account's balance, decided by one call of the engine. The preview
 * endpoint and the scheduler's alerts simulate the bank with that balance;
 * an execution debits the sandbox bank. So the preview shows what an
 * execution will do by construction: same facts, same decision.
 */
#ifndef RB_RENEWAL_PLAN_H
#define RB_RENEWAL_PLAN_H

#include <stdint.h>

#include "domain/renewal_engine.h"
#include "lib/db.h"
#include "store/renewal_store.h"

/* What renewal_plan_load did not find, when it returns RB_ENOTFOUND. */
enum plan_missing { PLAN_COMPLETE, PLAN_NO_COMPANY, PLAN_NO_RULES };

struct renewal_plan {
	struct renewal_company		 co;
	struct renewal_rules		 rules;
	struct renewal_candidates	 cands;
	int64_t				 balance_dirhams; /* the mandate account's */
	struct renewal_run		 run;		/* run.rules points at rules */
	enum plan_missing		 missing;
	/* After a decision: cands.n decisions in priority order (owned) and
	 * what was debited, or would be. */
	struct renewal_decision		*dec;
	int64_t				 total_dirhams;
};

/*
 * The plans of a batch of companies, loaded together: the rules once, the
 * companies in one query, the candidates of all of them in one query. The
 * preview is a batch of one (renewal_plan_load), so the execution and the
 * preview load their facts by the same code.
 */
struct renewal_batch {
	struct renewal_plan	*plans;	/* n, owned; plans[i] is est_ids[i]'s */
	size_t			 n;
	PGresult		*res;	/* owned: the candidates' names point into it */
};

/*
 * Loads the plans of est_ids' runs on date (the execution date). A plan
 * whose company never subscribed has missing = PLAN_NO_COMPANY; when no
 * fee rules are in force on date every plan has PLAN_NO_RULES (their
 * companies loaded). w: the cycle's window snapshot, or NULL. The batch is to be freed whatever the result.
 */
enum rb_err	renewal_batch_load(struct db *, const char *const *est_ids, size_t n,
		    struct rb_date date, const struct renewal_window *w,
		    struct renewal_batch *);
void		renewal_batch_free(struct renewal_batch *);
/*
 * The plan of one company: a batch of one. RB_ENOTFOUND with
 * plan->missing saying what was not found. The plan is to be freed
 * whatever the result.
 */
enum rb_err	renewal_plan_load(struct db *, const char *est_id, struct rb_date date,
		    struct renewal_plan *);
/* Decides against the loaded balance, debiting nothing (previews, alerts). */
enum rb_err	renewal_plan_simulate(struct renewal_plan *);
/*
 * Decides and debits the sandbox bank in the caller's transaction, each
 * debit once per company, cycle and person (a re-run gets the first answer).
 */
enum rb_err	renewal_plan_debit(struct db *, struct renewal_plan *, int64_t cycle_id,
		    int64_t now);
/*
 * renewal_plan_debit for n plans together: decided against their loaded
 * balances, their debits made in one round trip where those balances still
 * hold, one person at a time for the others (store/bank.h).
 */
enum rb_err	renewal_batch_debit(struct db *, struct renewal_plan *const *plans, size_t n,
		    int64_t cycle_id, int64_t now);
/* Writes debited plans' outcome, renewed permits and their card
 * deliveries, in one round trip. */
enum rb_err	renewal_plan_apply_batch(struct db *, const struct renewal_plan *const *plans,
		    size_t n, int64_t cycle_id);
void		renewal_plan_free(struct renewal_plan *);

#endif
