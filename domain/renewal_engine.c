#include <stdlib.h>
#include <string.h>

#include "domain/renewal_engine.h"
#include "lib/xalloc.h"

int
renewal_is_candidate(const struct renewal_rules *rules, struct rb_date expiry,
    struct rb_date date)
{
	return expiry.days <= date.days + rules->window_days;
}

int64_t
renewal_late_fine(const struct renewal_rules *rules, struct rb_date expiry,
    struct rb_date date)
{
	/* Renewal is due within grace_days after expiry; the fine accrues per
	 * day after that. */
	int64_t late_days = (int64_t)date.days - expiry.days - rules->grace_days, fine;

	if (late_days <= 0)
		return 0;
	fine = late_days * rules->late_fine_per_day_dirhams;
	return fine > rules->late_fine_cap_dirhams ? rules->late_fine_cap_dirhams : fine;
}

int64_t
renewal_fee(const struct renewal_rules *rules, int years, struct rb_date expiry,
    struct rb_date date, int64_t *late_fine)
{
	int64_t base = rules->fee_per_year_dirhams * years;

	/* Integer dirhams: the discount rounds down to the dirham. */
	if (years == 3)
		base = base * (100 - rules->three_year_discount_pct) / 100;
	*late_fine = renewal_late_fine(rules, expiry, date);
	return base + *late_fine + rules->delivery_fee_dirhams;
}

static int
by_priority(const void *a, const void *b)
{
	const struct renewal_candidate *x = *(const struct renewal_candidate *const *)a;
	const struct renewal_candidate *y = *(const struct renewal_candidate *const *)b;

	/* Expired first, oldest expiry first, then soonest expiry: one order
	 * by expiry date. Ties by QID. */
	if (x->expiry.days != y->expiry.days)
		return x->expiry.days < y->expiry.days ? -1 : 1;
	return strcmp(x->qid.s, y->qid.s);
}

/* Every obstacle that applies, whatever comes first. */
static unsigned
obstacles(const struct renewal_run *run, const struct renewal_candidate *c)
{
	struct rb_date needed = date_add_months(run->date, run->rules->passport_months);
	unsigned f = 0;

	if (c->excluded)
		f |= FLAG_EXCLUDED;
	if (c->status != PS_ACTIVE)
		f |= FLAG_NOT_ACTIVE;
	if (!c->in_country)
		f |= FLAG_ABROAD;
	if (!c->has_passport || c->passport_expiry.days < needed.days)
		f |= FLAG_PASSPORT;
	if (c->fines_dirhams > 0)
		f |= FLAG_FINES;
	return f;
}

enum rb_err
renewal_decide(const struct renewal_run *run, const struct renewal_candidate *cands,
    size_t n, struct renewal_bank *bank, struct renewal_decision *out, int64_t *total)
{
	const struct renewal_candidate **order;
	enum rb_err rc = RB_OK;
	size_t i;

	*total = 0;
	order = xcalloc(n, sizeof(*order));
	for (i = 0; i < n; i++)
		order[i] = &cands[i];
	qsort(order, n, sizeof(*order), by_priority);
	for (i = 0; i < n; i++) {
		const struct renewal_candidate *c = order[i];
		struct renewal_decision *d = &out[i];
		int declined = 0;

		memset(d, 0, sizeof(*d));
		d->c = c;
		d->flags = obstacles(run, c);
		d->fee_dirhams = renewal_fee(run->rules, run->duration_years, c->expiry,
		    run->date, &d->late_fine_dirhams);
		d->result = RES_REJECTED;
		if (d->flags & FLAG_EXCLUDED) {
			d->result = RES_EXCLUDED;
			d->reason = RR_EXCLUDED;
		} else if (d->flags & FLAG_NOT_ACTIVE)
			d->reason = RR_PERSON_NOT_ACTIVE;
		else if (d->flags & FLAG_ABROAD)
			d->reason = RR_PERSON_ABROAD;
		else if (d->flags & FLAG_PASSPORT)
			d->reason = RR_PASSPORT_VALIDITY;
		else if (d->flags & FLAG_FINES)
			d->reason = RR_OUTSTANDING_FINES;
		else if (run->mandate_invalid)
			d->reason = RR_MANDATE_INVALID;
		else if (run->establishment_fines_dirhams > 0) {
			d->reason = RR_ESTABLISHMENT_FINES;
			d->establishment_fines_dirhams = run->establishment_fines_dirhams;
		} else if (*total + d->fee_dirhams > run->cap_dirhams) {
			/* A cheaper candidate further down may still fit. */
			d->reason = RR_CAP_EXCEEDED;
			d->flags |= FLAG_OVER_CAP;
		} else {
			if ((rc = bank->debit(bank->ctx, &c->qid, d->fee_dirhams, &declined,
			    d->debit_ref)) != RB_OK)
				break;
			if (declined) {
				d->reason = RR_DEBIT_DECLINED;
				d->debit_ref[0] = '\0';
			} else {
				struct rb_date from = c->expiry.days > run->date.days ?
				    c->expiry : run->date;

				d->result = RES_RENEWED;
				d->reason = RR_NONE;
				*total += d->fee_dirhams;
				d->has_new_expiry = 1;
				d->new_expiry = date_add_months(from, 12 * run->duration_years);
				/* Cards go out 24 to 48 hours after the execution. */
				d->delivery_from.days = run->date.days + 1;
				d->delivery_to.days = run->date.days + 2;
			}
		}
		if (d->result != RES_RENEWED) {
			/* Nothing is debited for a person not renewed. */
			d->debit_ref[0] = '\0';
		}
	}
	free(order);
	return rc;
}

const char *
renewal_reason_code(enum renewal_reason r)
{
	static const char *const codes[RR__MAX] = {
		[RR_NONE] = NULL,
		[RR_EXCLUDED] = "EXCLUDED",
		[RR_PERSON_NOT_ACTIVE] = "PERSON_NOT_ACTIVE",
		[RR_PERSON_ABROAD] = "PERSON_ABROAD",
		[RR_PASSPORT_VALIDITY] = "PASSPORT_VALIDITY",
		[RR_OUTSTANDING_FINES] = "OUTSTANDING_FINES",
		[RR_MANDATE_INVALID] = "MANDATE_INVALID",
		[RR_ESTABLISHMENT_FINES] = "ESTABLISHMENT_FINES",
		[RR_CAP_EXCEEDED] = "CAP_EXCEEDED",
		[RR_DEBIT_DECLINED] = "DEBIT_DECLINED",
	};

	return (unsigned)r < RR__MAX ? codes[r] : NULL;
}

int64_t
renewal_debited(const struct renewal_decision *d)
{
	return d->result == RES_RENEWED ? d->fee_dirhams : 0;
}

int64_t
renewal_debited_late_fine(const struct renewal_decision *d)
{
	return d->result == RES_RENEWED ? d->late_fine_dirhams : 0;
}

/* The remedy of each reason; PERSON_NOT_ACTIVE depends on the status. */
static const enum renewal_remedy reason_remedy[RR__MAX] = {
	[RR_NONE] = REM_NONE,
	[RR_EXCLUDED] = REM_REMOVE_EXCLUSION,
	[RR_PERSON_NOT_ACTIVE] = REM_NOT_RENEWABLE,
	[RR_PERSON_ABROAD] = REM_BE_IN_COUNTRY,
	[RR_PASSPORT_VALIDITY] = REM_RENEW_PASSPORT,
	[RR_OUTSTANDING_FINES] = REM_PAY_FINES,
	[RR_MANDATE_INVALID] = REM_RENEW_MANDATE,
	[RR_ESTABLISHMENT_FINES] = REM_PAY_ESTABLISHMENT_FINES,
	[RR_CAP_EXCEEDED] = REM_RAISE_CAP,
	[RR_DEBIT_DECLINED] = REM_FUND_ACCOUNT,
};

void
renewal_blocker_of(const struct renewal_decision *d, struct renewal_blocker *b)
{
	memset(b, 0, sizeof(*b));
	if (d->result == RES_RENEWED || (unsigned)d->reason >= RR__MAX)
		return;
	b->reason = d->reason;
	b->remedy = reason_remedy[d->reason];
	if (d->reason == RR_PERSON_NOT_ACTIVE && d->c->status == PS_SPONSORSHIP_TRANSFERRED)
		b->remedy = REM_NEW_SPONSOR;
	b->actionable = b->remedy != REM_NONE && b->remedy != REM_NEW_SPONSOR &&
	    b->remedy != REM_NOT_RENEWABLE;
	if (d->reason == RR_OUTSTANDING_FINES) {
		b->has_amount = 1;
		b->amount_dirhams = d->c->fines_dirhams;
	} else if (d->reason == RR_ESTABLISHMENT_FINES) {
		b->has_amount = 1;
		b->amount_dirhams = d->establishment_fines_dirhams;
	} else if (d->reason == RR_CAP_EXCEEDED || d->reason == RR_DEBIT_DECLINED) {
		b->has_amount = 1;
		b->amount_dirhams = d->fee_dirhams;
	}
}

const char *
renewal_remedy_code(enum renewal_remedy r)
{
	static const char *const codes[REM__MAX] = {
		[REM_NONE] = NULL,
		[REM_REMOVE_EXCLUSION] = "REMOVE_EXCLUSION",
		[REM_NEW_SPONSOR] = "NEW_SPONSOR_RENEWS",
		[REM_NOT_RENEWABLE] = "NOT_RENEWABLE",
		[REM_BE_IN_COUNTRY] = "BE_IN_COUNTRY",
		[REM_RENEW_PASSPORT] = "RENEW_PASSPORT",
		[REM_PAY_FINES] = "PAY_FINES",
		[REM_RAISE_CAP] = "RAISE_CAP",
		[REM_FUND_ACCOUNT] = "FUND_ACCOUNT",
		[REM_RENEW_MANDATE] = "RENEW_MANDATE",
		[REM_PAY_ESTABLISHMENT_FINES] = "PAY_ESTABLISHMENT_FINES",
	};

	return (unsigned)r < REM__MAX ? codes[r] : NULL;
}

enum renewal_state
renewal_state_of(enum subscription_status status, int enabled)
{
	if (status == SUBSCRIPTION_PENDING)
		return RS_AWAITING_REVIEW;
	if (status != SUBSCRIPTION_ACTIVE)
		return RS_NOT_SUBSCRIBED;
	return enabled ? RS_ON : RS_STOPPED;
}

const char *
renewal_state_code(enum renewal_state s)
{
	static const char *const codes[RS__MAX] = {
		[RS_AWAITING_REVIEW] = "awaiting_review",
		[RS_ON] = "on",
		[RS_STOPPED] = "stopped",
		[RS_NOT_SUBSCRIBED] = "not_subscribed",
	};

	return (unsigned)s < RS__MAX ? codes[s] : NULL;
}

const char *
renewal_result_code(enum renewal_result r)
{
	switch (r) {
	case RES_RENEWED: return "RENEWED";
	case RES_REJECTED: return "REJECTED";
	case RES_EXCLUDED: return "EXCLUDED";
	case RES_DEBITED: return "DEBITED";
	default: return "CANDIDATE";
	}
}
