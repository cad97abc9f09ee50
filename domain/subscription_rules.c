#include <stdio.h>
#include <string.h>

#include "domain/subscription_rules.h"

static const char *const status_names[SUBSCRIPTION_STATUS__MAX] = {
	[SUBSCRIPTION_PENDING] = "pending",
	[SUBSCRIPTION_ACTIVE] = "active",
	[SUBSCRIPTION_REJECTED] = "rejected",
	[SUBSCRIPTION_REPLACED] = "replaced",
};

const char *
subscription_status_name(enum subscription_status s)
{
	return (unsigned)s < SUBSCRIPTION_STATUS__MAX ? status_names[s] : "unknown";
}

enum rb_err
subscription_status_parse(const char *s, enum subscription_status *out)
{
	int i;

	for (i = 0; s != NULL && i < SUBSCRIPTION_STATUS__MAX; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum subscription_status)i;
			return RB_OK;
		}
	return RB_EINVAL;
}

/* The answers are the API's (docs/openapi): clients match on the codes. */
static const struct subscription_answer answers[SUBSCRIPTION__MAX] = {
	[SUBSCRIPTION_OK] = { "ok", 200, NULL, "allowed" },
	[SUBSCRIPTION_NEVER_SUBSCRIBED] = { "not_subscribed", 404, NULL,
	    "the company has never subscribed" },
	[SUBSCRIPTION_NOT_SUBSCRIBED] = { "not_subscribed", 409, NULL,
	    "the company has no pending or active subscription" },
	[SUBSCRIPTION_CHANGER_NOT_SIGNATORY] = { "not_signatory", 403, NULL,
	    "only a signatory may change the debit account" },
	[SUBSCRIPTION_ALREADY_SUBSCRIBED] = { "already_subscribed", 409, NULL,
	    "the company already has a {status} subscription ({reference})" },
	[SUBSCRIPTION_CHANGE_PENDING] = { "change_pending", 409, NULL,
	    "a subscription or debit account change is already waiting for review" },
	[SUBSCRIPTION_ACCOUNT_NOT_COMPANY] = { "account_not_company", 400, "iban",
	    "the bank holds no account with this IBAN for this company" },
	[SUBSCRIPTION_AUTHORIZER_NOT_SIGNATORY] = { "not_signatory", 400,
	    "authorizing_qid",
	    "the person authorizing debits must be an active signatory of the company" },
	[SUBSCRIPTION_UNKNOWN] = { "unknown_subscription", 404, "reference",
	    "no subscription with this reference" },
	[SUBSCRIPTION_NOT_PENDING] = { "not_pending", 409, NULL,
	    "the subscription is {status}, not pending" },
	[SUBSCRIPTION_OWN_COMPANY] = { "separation_of_duties", 403, NULL,
	    "a reviewer cannot review a company they sign for" },
	[SUBSCRIPTION_OWN_SUBMISSION] = { "separation_of_duties", 403, NULL,
	    "a reviewer cannot review their own submission" },
	[SUBSCRIPTION_CONTACT_NOT_SIGNATORY] = { "not_signatory", 403, NULL,
	    "only a signatory may change where statements and renewed cards go"
	    " (the statement email, the mobile, the delivery address)" },
	[SUBSCRIPTION_MANDATE_ACCOUNT_LAPSED] = { "mandate_invalid", 409, "iban",
	    "the bank no longer holds this IBAN for the company: {reference} cannot be"
	    " approved (reject it)" },
	[SUBSCRIPTION_MANDATE_AUTHORIZER_LAPSED] = { "mandate_invalid", 409,
	    "authorizing_qid",
	    "the person who authorized the debits of {reference} is no longer an active"
	    " signatory of the company: it cannot be approved (reject it)" },
};

static const struct subscription_answer unknown_answer = {
	"internal", 500, NULL, "internal error"
};

const struct subscription_answer *
subscription_refusal_answer(enum subscription_refusal r)
{
	return (unsigned)r < SUBSCRIPTION__MAX ? &answers[r] : &unknown_answer;
}

void
subscription_refusal_message(enum subscription_refusal r, const char *status,
    const char *reference, char *buf, size_t bufsz)
{
	const char *m = subscription_refusal_answer(r)->message, *fill;
	size_t n = 0, len;

	if (bufsz == 0)
		return;
	while (*m != '\0' && n + 1 < bufsz) {
		fill = NULL;
		if (strncmp(m, "{status}", 8) == 0) {
			fill = status ? status : "";
			m += 8;
		} else if (strncmp(m, "{reference}", 11) == 0) {
			fill = reference ? reference : "";
			m += 11;
		}
		if (fill == NULL) {
			buf[n++] = *m++;
			continue;
		}
		len = strlen(fill);
		if (len > bufsz - 1 - n)
			len = bufsz - 1 - n;
		memcpy(buf + n, fill, len);
		n += len;
	}
	buf[n] = '\0';
}

enum subscription_refusal
subscription_decide_view(const struct subscription_facts *f)
{
	return f->has_current ? SUBSCRIPTION_OK : SUBSCRIPTION_NEVER_SUBSCRIBED;
}

/* The account must be the company's own, debited on a signatory's word. */
static enum subscription_refusal
decide_mandate(const struct subscription_mandate_facts *m)
{
	if (!m->account_is_company)
		return SUBSCRIPTION_ACCOUNT_NOT_COMPANY;
	if (!m->authorizer_signs)
		return SUBSCRIPTION_AUTHORIZER_NOT_SIGNATORY;
	return SUBSCRIPTION_OK;
}

enum subscription_refusal
subscription_decide_subscribe(const struct subscription_facts *f,
    const struct subscription_mandate_facts *m)
{
	enum subscription_refusal why;

	if ((why = decide_mandate(m)) != SUBSCRIPTION_OK)
		return why;
	/* One subscription at a time: a change of an active one is a PATCH. */
	if (f->has_current && (f->status == SUBSCRIPTION_PENDING ||
	    f->status == SUBSCRIPTION_ACTIVE))
		return SUBSCRIPTION_ALREADY_SUBSCRIBED;
	return SUBSCRIPTION_OK;
}

enum subscription_refusal
subscription_decide_change(const struct subscription_facts *f,
    const struct subscription_change *c, const struct subscription_mandate_facts *m)
{
	/* Who asks comes first: a grant holder learns nothing of the state. */
	if (c->mandate && !c->by_signatory)
		return SUBSCRIPTION_CHANGER_NOT_SIGNATORY;
	if (c->contact && !c->by_signatory)
		return SUBSCRIPTION_CONTACT_NOT_SIGNATORY;
	/* After a rejection the company subscribes again; nothing to change. */
	if (!f->has_current || f->status == SUBSCRIPTION_REJECTED)
		return SUBSCRIPTION_NOT_SUBSCRIBED;
	if (!c->mandate)
		return SUBSCRIPTION_OK;
	/* One pending change at a time: the reviewer decides on one mandate. */
	if (f->pending_change || f->status == SUBSCRIPTION_PENDING)
		return SUBSCRIPTION_CHANGE_PENDING;
	return decide_mandate(m);
}

enum subscription_refusal
subscription_decide_review(const struct subscription_review_facts *f,
    const char *reviewer, int approve, struct subscription_review_outcome *out)
{
	if (!f->exists)
		return SUBSCRIPTION_UNKNOWN;
	if (f->status != SUBSCRIPTION_PENDING)
		return SUBSCRIPTION_NOT_PENDING;
	/* Separation of duties: nobody reviews their own company or submission. */
	if (f->reviewer_signs)
		return SUBSCRIPTION_OWN_COMPANY;
	if (strcmp(f->submitted_by, reviewer) == 0)
		return SUBSCRIPTION_OWN_SUBMISSION;
	/* The mandate held when it was submitted; it must still hold when
	 * debits start on it. A rejection needs no mandate. */
	if (approve && !f->mandate.account_is_company)
		return SUBSCRIPTION_MANDATE_ACCOUNT_LAPSED;
	if (approve && !f->mandate.authorizer_signs)
		return SUBSCRIPTION_MANDATE_AUTHORIZER_LAPSED;
	/* A company has one active subscription: approving a change replaces
	 * the one in force, so debits move to the new account at once. */
	out->new_status = approve ? SUBSCRIPTION_ACTIVE : SUBSCRIPTION_REJECTED;
	out->replaces_active = approve;
	return SUBSCRIPTION_OK;
}
