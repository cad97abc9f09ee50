#include <stdio.h>

#include "domain/residency_view.h"

/* The resident's side of each of the engine's remedies. */
static const enum resident_action remedy_action[REM__MAX] = {
	[REM_NONE] = RA_NONE,
	[REM_REMOVE_EXCLUSION] = RA_ASK_COMPANY,
	[REM_NEW_SPONSOR] = RA_ASK_NEW_SPONSOR,
	[REM_NOT_RENEWABLE] = RA_NOT_RENEWABLE,
	[REM_BE_IN_COUNTRY] = RA_RETURN_TO_COUNTRY,
	[REM_RENEW_PASSPORT] = RA_RENEW_PASSPORT,
	[REM_PAY_FINES] = RA_PAY_FINES,
	[REM_RAISE_CAP] = RA_ASK_COMPANY,
	[REM_FUND_ACCOUNT] = RA_ASK_COMPANY,
	[REM_RENEW_MANDATE] = RA_ASK_COMPANY,
};

/* The person's own obstacles: told before the company's, as the alert
 * SMS does (scheduler/cycle_messages.c), since the person can act on them. */
static int
own_reason(enum renewal_reason r)
{
	return r == RR_EXCLUDED || r == RR_PERSON_NOT_ACTIVE || r == RR_PERSON_ABROAD ||
	    r == RR_PASSPORT_VALIDITY || r == RR_OUTSTANDING_FINES;
}

void
resident_view_of(const struct resident_facts *f, struct resident_view *v)
{
	struct renewal_blocker b;

	v->included = 0;
	v->reason = RR_NONE;
	v->action = RA_NONE;
	v->has_amount = 0;
	v->amount_dirhams = 0;
	if (f->citizen) {
		v->outlook = RO_NO_PERMIT;
		return;
	}
	if (!f->has_sponsor) {
		v->outlook = RO_NO_SPONSOR;
		return;
	}
	v->action = RA_ASK_COMPANY;
	if (!f->company_found || f->state == RS_NOT_SUBSCRIBED) {
		v->outlook = RO_NOT_SUBSCRIBED;
		return;
	}
	if (f->state == RS_AWAITING_REVIEW) {
		v->outlook = RO_AWAITING_REVIEW;
		return;
	}
	v->action = RA_NONE;
	if (f->d == NULL) {
		v->outlook = RO_NOT_DUE;
		return;
	}
	renewal_blocker_of(f->d, &b);
	if (f->d->result == RES_RENEWED && f->state == RS_ON) {
		v->outlook = RO_RENEWED;
		v->included = 1;
		return;
	}
	if (f->state != RS_ON && !own_reason(b.reason)) {
		v->outlook = RO_RENEWAL_PAUSED;
		v->action = RA_ASK_COMPANY;
		return;
	}
	v->outlook = RO_NOT_RENEWED;
	v->reason = b.reason;
	v->action = (unsigned)b.remedy < REM__MAX ? remedy_action[b.remedy] : RA_NONE;
	v->has_amount = b.has_amount;
	v->amount_dirhams = b.amount_dirhams;
}

const char *
resident_outlook_code(enum resident_outlook o)
{
	static const char *const codes[RO__MAX] = {
		[RO_NO_PERMIT] = "NO_PERMIT",
		[RO_NO_SPONSOR] = "NO_SPONSOR",
		[RO_NOT_SUBSCRIBED] = "NOT_SUBSCRIBED",
		[RO_AWAITING_REVIEW] = "AWAITING_REVIEW",
		[RO_NOT_DUE] = "NOT_DUE",
		[RO_RENEWAL_PAUSED] = "RENEWAL_PAUSED",
		[RO_NOT_RENEWED] = "NOT_RENEWED",
		[RO_RENEWED] = "RENEWED",
	};

	return (unsigned)o < RO__MAX ? codes[o] : NULL;
}

const char *
resident_reason_code(const struct resident_view *v)
{
	if (v->outlook == RO_RENEWED)
		return NULL;
	if (v->outlook == RO_NOT_RENEWED)
		return renewal_reason_code(v->reason);
	return resident_outlook_code(v->outlook);
}

const char *
resident_action_code(enum resident_action a)
{
	static const char *const codes[RA__MAX] = {
		[RA_NONE] = NULL,
		[RA_PAY_FINES] = "PAY_FINES",
		[RA_RENEW_PASSPORT] = "RENEW_PASSPORT",
		[RA_RETURN_TO_COUNTRY] = "RETURN_TO_COUNTRY",
		[RA_ASK_COMPANY] = "ASK_COMPANY",
		[RA_ASK_NEW_SPONSOR] = "ASK_NEW_SPONSOR",
		[RA_NOT_RENEWABLE] = "NOT_RENEWABLE",
	};

	return (unsigned)a < RA__MAX ? codes[a] : NULL;
}

void
resident_message_key(const struct resident_view *v, char *out, size_t outsz)
{
	const char *code = resident_reason_code(v);

	/* The SMS's sentences (po: block.*) cover the engine's reasons but
	 * one, and a paused renewal; the rest are the page's own. */
	if ((v->outlook == RO_NOT_RENEWED && v->reason != RR_PERSON_NOT_ACTIVE) ||
	    v->outlook == RO_RENEWAL_PAUSED)
		snprintf(out, outsz, "block.%s", code);
	else if (v->outlook == RO_NOT_RENEWED)
		snprintf(out, outsz, "residency.%s.%s", code,
		    v->action == RA_ASK_NEW_SPONSOR ? "transferred" : "cancelled");
	else
		snprintf(out, outsz, "residency.%s", code ? code : "RENEWED");
}
