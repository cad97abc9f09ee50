/*
 * Automatic renewal subscriptions (SPEC §4 "Subscription"): when a
 * company may subscribe or change its debit account, and when a reviewer
 * may approve or reject. Pure decisions over facts that
 * store/subscription_store.c gathers: no SQL, no I/O here.
 */
#ifndef RB_SUBSCRIPTION_RULES_H
#define RB_SUBSCRIPTION_RULES_H

#include <stddef.h>

#include "domain/reference.h"
#include "lib/rb_err.h"

/* The names are stored in renewal_subscriptions.status (sql/006). */
enum subscription_status {
	SUBSCRIPTION_PENDING,	/* waiting for a reviewer */
	SUBSCRIPTION_ACTIVE,	/* approved: debits run on it */
	SUBSCRIPTION_REJECTED,
	SUBSCRIPTION_REPLACED,	/* was active until a later one was approved */
	SUBSCRIPTION_STATUS__MAX
};

const char	*subscription_status_name(enum subscription_status);
/* RB_EINVAL for anything but the four names. */
enum rb_err	 subscription_status_parse(const char *, enum subscription_status *);

enum subscription_refusal {
	SUBSCRIPTION_OK = 0,
	SUBSCRIPTION_NEVER_SUBSCRIBED,	/* nothing to show: no subscription ever */
	SUBSCRIPTION_NOT_SUBSCRIBED,	/* a change needs a pending or active one */
	SUBSCRIPTION_CHANGER_NOT_SIGNATORY, /* only signatories move the debit account */
	SUBSCRIPTION_ALREADY_SUBSCRIBED, /* a pending or active one exists */
	SUBSCRIPTION_CHANGE_PENDING,	/* one pending change at a time */
	SUBSCRIPTION_ACCOUNT_NOT_COMPANY, /* the bank holds the IBAN for someone else */
	SUBSCRIPTION_AUTHORIZER_NOT_SIGNATORY, /* the debit authorizer does not sign */
	SUBSCRIPTION_UNKNOWN,		/* no subscription with this reference */
	SUBSCRIPTION_NOT_PENDING,	/* reviewed already */
	SUBSCRIPTION_OWN_COMPANY,	/* separation of duties: the reviewer signs for it */
	SUBSCRIPTION_OWN_SUBMISSION,	/* separation of duties: the reviewer submitted it */
	SUBSCRIPTION_CONTACT_NOT_SIGNATORY, /* only signatories redirect statements and cards */
	SUBSCRIPTION_MANDATE_ACCOUNT_LAPSED, /* at approval: the IBAN is no longer the company's */
	SUBSCRIPTION_MANDATE_AUTHORIZER_LAPSED, /* at approval: the authorizer no longer signs */
	SUBSCRIPTION__MAX
};

/* How a refusal is answered: the API's code, HTTP status, the field it
 * is about (or NULL) and the message, in which {status} and {reference}
 * stand for the subscription's (see subscription_refusal_message). */
struct subscription_answer {
	const char	*code;
	int		 http_status;
	const char	*field;
	const char	*message;
};

const struct subscription_answer *subscription_refusal_answer(enum subscription_refusal);
/* The answer's message with {status} and {reference} filled in (NULL
 * reads as ""), truncated to fit buf. */
void		 subscription_refusal_message(enum subscription_refusal,
		    const char *status, const char *reference, char *buf, size_t bufsz);

/* A company's subscriptions as the rules see them. */
struct subscription_facts {
	int			 has_current;	/* the company ever subscribed */
	/* The current one: the active one, else the latest. */
	enum subscription_status status;
	char			 reference[REFERENCE_LEN + 1];
	int			 pending_change; /* a pending one besides the active one */
};

/* The debit mandate asked for, as the bank and the registry know it. */
struct subscription_mandate_facts {
	int	account_is_company;	/* the bank holds the IBAN for this company */
	int	authorizer_signs;	/* an active signatory, and an active person */
};

/* GET: what there is to show. */
enum subscription_refusal subscription_decide_view(const struct subscription_facts *);
/* POST .../subscription: the mandate first, then the one-subscription rule. */
enum subscription_refusal subscription_decide_subscribe(const struct subscription_facts *,
		    const struct subscription_mandate_facts *);

/* A PATCH of the renewal settings. */
struct subscription_change {
	int	mandate;	/* the debit account or its authorizer changes */
	/* The statement email, the mobile or the delivery address changes
	 * (a value other than the one in force): where statements and
	 * renewed cards go, which a RENEWAL_MANAGE holder who may not see
	 * statements must not redirect to themselves (issue 11 §2). */
	int	contact;
	int	by_signatory;	/* the caller signs for the company */
};

/* m is only read when the change touches the mandate. */
enum subscription_refusal subscription_decide_change(const struct subscription_facts *,
		    const struct subscription_change *,
		    const struct subscription_mandate_facts *m);

/* A subscription under review. */
struct subscription_review_facts {
	int			 exists;
	enum subscription_status status;
	int			 reviewer_signs;	/* for the subscribing company */
	char			 submitted_by[65];	/* a username */
	/* The subscription's mandate as it stands at the review: an approval
	 * re-checks it (the authorizer may have stopped signing, the account
	 * may have left the company since the submission). */
	struct subscription_mandate_facts mandate;
};

/* What an allowed review writes. */
struct subscription_review_outcome {
	enum subscription_status new_status;
	int			 replaces_active; /* the active one becomes replaced */
};

/* reviewer is the reviewer's username; approve is 1, reject 0. */
enum subscription_refusal subscription_decide_review(const struct subscription_review_facts *,
		    const char *reviewer, int approve, struct subscription_review_outcome *);

#endif
