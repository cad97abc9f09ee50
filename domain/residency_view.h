/*
 * What a resident is told about their own renewal (issue 16 §4): whether
 * their company's next execution will renew them and, if not, why and what
 * they can do. Pure: it reads the decision the renewal engine made for
 * them in their company's plan (the preview's and the scheduler's, so the
 * rules exist once) and the company's state; store/residency_store.c
 * gathers those.
 */
#ifndef RB_RESIDENCY_VIEW_H
#define RB_RESIDENCY_VIEW_H

#include "domain/renewal_engine.h"

/* Where the resident stands for the next execution. */
enum resident_outlook {
	RO_NO_PERMIT,		/* a citizen: no residence permit */
	RO_NO_SPONSOR,		/* no company employs them in the registry */
	RO_NOT_SUBSCRIBED,	/* the company has no approved subscription */
	RO_AWAITING_REVIEW,	/* its subscription waits for the ministry */
	RO_NOT_DUE,		/* the permit is not in the renewal window yet */
	RO_RENEWAL_PAUSED,	/* the company switched automatic renewal off */
	RO_NOT_RENEWED,		/* the engine's reason (reason) */
	RO_RENEWED,		/* included: will be renewed */
	RO__MAX
};

/* What the resident can do, in their terms (the engine's remedies are the
 * company's: a cap, an account, an exclusion are all "ask the company"). */
enum resident_action {
	RA_NONE,
	RA_PAY_FINES,
	RA_RENEW_PASSPORT,
	RA_RETURN_TO_COUNTRY,
	RA_ASK_COMPANY,
	RA_ASK_NEW_SPONSOR,	/* sponsorship transferred: the new sponsor renews */
	RA_NOT_RENEWABLE,	/* residency cancelled */
	RA__MAX
};

struct resident_facts {
	int				 citizen;
	int				 has_sponsor;
	int				 company_found;	/* it ever subscribed */
	enum renewal_state		 state;		/* when company_found */
	const struct renewal_decision	*d;		/* theirs; NULL: not a candidate */
};

struct resident_view {
	enum resident_outlook	outlook;
	int			included;	/* the next execution renews them */
	enum renewal_reason	reason;		/* RO_NOT_RENEWED: the engine's */
	enum resident_action	action;
	int			has_amount;	/* fines to pay, or the fee at stake */
	int64_t			amount_dirhams;
};

void		 resident_view_of(const struct resident_facts *, struct resident_view *);
/* The reason's code: the engine's ("OUTSTANDING_FINES") for RO_NOT_RENEWED,
 * else the outlook's ("NOT_DUE"); NULL for RO_RENEWED. */
const char	*resident_reason_code(const struct resident_view *);
const char	*resident_outlook_code(enum resident_outlook);	/* "NOT_RENEWED" */
const char	*resident_action_code(enum resident_action);	/* "PAY_FINES"; NULL for RA_NONE */
/* The message catalogues' key of the sentence that explains the view:
 * the SMS's own block.* sentence when there is one, so the page and the
 * SMS say the same, else a residency.* one. */
void		 resident_message_key(const struct resident_view *, char *out, size_t outsz);

#endif
