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
	int64_t				 fee_dirhams;	/* renewal + late fine + delivery */
	int64_t				 late_fine_dirhams;
	int				 has_new_expiry;
	struct rb_date			 new_expiry;
	struct rb_date			 delivery_from, delivery_to;
	char				 debit_ref[40];
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

const char	*renewal_reason_code(enum renewal_reason);	/* "CAP_EXCEEDED" */
const char	*renewal_result_code(enum renewal_result);	/* "RENEWED" */

#endif
