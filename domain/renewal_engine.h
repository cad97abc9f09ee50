/*
 * Who is renewed and why (SPEC §4 "The calendar"): for one company and one
 * execution date, the candidates in priority order and what happens to
 * each. Pure: the facts come in (renewal_store.c gathers them), the debits
 * go out through a bank interface, and no SQL or HTTP is here. The
 * scheduler, the alert statements and the preview endpoint all use it.
 */
#ifndef RB_RENEWAL_ENGINE_H
#define RB_RENEWAL_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/ids.h"
#include "domain/person_status.h"
#include "domain/subscription_rules.h"
#include "lib/date.h"
#include "lib/rb_err.h"

/* Reason codes, in the order they are checked. */
enum renewal_reason {
	RR_NONE,
	RR_EXCLUDED,
	RR_PERSON_NOT_ACTIVE,
	RR_PERSON_ABROAD,
	RR_PASSPORT_VALIDITY,
	RR_OUTSTANDING_FINES,
	RR_CAP_EXCEEDED,
	RR_DEBIT_DECLINED,
	/* The mandate no longer holds: its signatory no longer signs for the
	 * company, or its account is no longer the company's. Checked after
	 * the person's own reasons, before the cap (stored values keep their
	 * numbers, so it comes last here). */
	RR_MANDATE_INVALID,
	/* The establishment owes an unpaid fine of its own (issue 15 §2):
	 * checked after the mandate, before the cap. */
	RR_ESTABLISHMENT_FINES,
	RR__MAX
};

enum renewal_result { RES_CANDIDATE, RES_RENEWED, RES_REJECTED, RES_EXCLUDED, RES_DEBITED };

/* Alert flags: what will stop the renewal at the next execution. */
#define FLAG_EXCLUDED		0x01
#define FLAG_PASSPORT		0x02
#define FLAG_FINES		0x04
#define FLAG_OVER_CAP		0x08
#define FLAG_NOT_ACTIVE		0x10
#define FLAG_ABROAD		0x20

/* The fee rules in force on a date (table renewal_rules). */
struct renewal_rules {
	int64_t	fee_per_year_dirhams;
	int	three_year_discount_pct;
	int64_t	delivery_fee_dirhams;
	int	grace_days;
	int64_t	late_fine_per_day_dirhams;
	int64_t	late_fine_cap_dirhams;
	int	window_days;
	int	passport_months;
};

struct renewal_candidate {
	struct qid		qid;
	const char		*name_ar, *name_en;	/* borrowed */
	struct rb_date		expiry;
	enum person_status	status;
	int			in_country;
	int			has_passport;
	struct rb_date		passport_expiry;
	int64_t			fines_dirhams;
	int			excluded;
};

struct renewal_decision {
	const struct renewal_candidate	*c;		/* borrowed: the candidate decided */
	enum renewal_result		 result;
	enum renewal_reason		 reason;
	unsigned			 flags;		/* every obstacle, for alerts */
	/* What renewing this person costs (renewal + late fine + delivery),
	 * worked out for everyone; debited only when result is RES_RENEWED
	 * (renewal_debited()). */
	int64_t				 fee_dirhams;
	int64_t				 late_fine_dirhams;
	int				 has_new_expiry;
	struct rb_date			 new_expiry;
	struct rb_date			 delivery_from, delivery_to;
	char				 debit_ref[40];
	/* The establishment's unpaid fines, when they are the reason. */
	int64_t				 establishment_fines_dirhams;
};

/*
 * The bank the engine debits through: the sandbox bank (store/bank.c)
 * during an execution; a simulated balance (also store/bank.c) for
 * previews and alerts.
 */
struct renewal_bank {
	void		*ctx;
	enum rb_err	(*debit)(void *ctx, const struct qid *, int64_t amount,
			    int *declined, char ref[40]);
};

struct renewal_run {
	struct rb_date			 date;		/* the execution date */
	int				 duration_years;
	int64_t				 cap_dirhams;
	const struct renewal_rules	*rules;
	/* Set when the mandate no longer holds: nobody is debited, each line
	 * says RR_MANDATE_INVALID (after the person's own reasons). */
	int				 mandate_invalid;
	/* The establishment's unpaid fines (table penalties): while > 0,
	 * nobody is debited, each line says RR_ESTABLISHMENT_FINES. */
	int64_t				 establishment_fines_dirhams;
};

/* 1 when a permit expiring on expiry is a candidate on date (day window_days in, the next out). */
int		renewal_is_candidate(const struct renewal_rules *, struct rb_date expiry,
		    struct rb_date date);
/* The late fine on date for a permit that expired on expiry. */
int64_t		renewal_late_fine(const struct renewal_rules *, struct rb_date expiry,
		    struct rb_date date);
/* Everything debited for one renewal: fee for the years (discounted for 3), fine, delivery. */
int64_t		renewal_fee(const struct renewal_rules *, int years, struct rb_date expiry,
		    struct rb_date date, int64_t *late_fine);
/*
 * Decides every candidate of cands (any order; decisions come out in
 * priority order: expired first, oldest expiry first, then soonest expiry,
 * ties by QID). out holds n decisions; *total is what was debited.
 */
enum rb_err	renewal_decide(const struct renewal_run *, const struct renewal_candidate *cands,
		    size_t n, struct renewal_bank *, struct renewal_decision *out,
		    int64_t *total);

/* What was (or, simulated, would be) debited for d: its fee when renewed, else 0. */
int64_t		renewal_debited(const struct renewal_decision *d);
int64_t		renewal_debited_late_fine(const struct renewal_decision *d);

/* What the company (or the person) can do about a reason, before the execution. */
enum renewal_remedy {
	REM_NONE,		/* renewed: nothing to do */
	REM_REMOVE_EXCLUSION,	/* take the person off the exclusion list */
	REM_NEW_SPONSOR,	/* sponsorship transferred: the new sponsor renews */
	REM_NOT_RENEWABLE,	/* residency cancelled, or the person died */
	REM_BE_IN_COUNTRY,	/* the person must be in Qatar on the execution date */
	REM_RENEW_PASSPORT,
	REM_PAY_FINES,
	REM_RAISE_CAP,		/* or renew this person by hand */
	REM_FUND_ACCOUNT,	/* the mandate account must hold the fee */
	REM_RENEW_MANDATE,	/* a signatory subscribes again, with the company's account */
	REM_PAY_ESTABLISHMENT_FINES,	/* the company pays its own fines to the ministry */
	REM__MAX
};

/* Why a person is not renewed, what to do about it and how much it is about. */
struct renewal_blocker {
	enum renewal_reason	reason;		/* RR_NONE: renewed */
	enum renewal_remedy	remedy;
	int			actionable;	/* something can be done before the execution */
	int			has_amount;
	int64_t			amount_dirhams;	/* fines owed; the fee the cap or the
						 * account cannot take */
};

/* The blocker of decision d (its first reason). */
void		renewal_blocker_of(const struct renewal_decision *d, struct renewal_blocker *);
const char	*renewal_remedy_code(enum renewal_remedy);	/* "PAY_FINES"; NULL for REM_NONE */

/*
 * Whether executions renew a company's permits, as its users must be told:
 * a subscription waiting for a reviewer runs nothing, whatever its switch.
 */
enum renewal_state {
	RS_AWAITING_REVIEW,	/* pending: a ministry reviewer approves or rejects */
	RS_ON,			/* approved and enabled: executions renew */
	RS_STOPPED,		/* approved, switched off: executions skip it */
	RS_NOT_SUBSCRIBED,	/* rejected (or replaced): nothing runs */
	RS__MAX
};
enum renewal_state renewal_state_of(enum subscription_status, int enabled);
const char	*renewal_state_code(enum renewal_state);	/* "awaiting_review" */

const char	*renewal_reason_code(enum renewal_reason);	/* "CAP_EXCEEDED" */
const char	*renewal_result_code(enum renewal_result);	/* "RENEWED" */

#endif
