/*
 * The authorization check (SPEC §3): may person P do service S for company
 * C? A pure decision over facts gathered by one query (authz_lookup_load
 * in store/access_store.c).
 */
#ifndef RB_AUTHORIZE_RULE_H
#define RB_AUTHORIZE_RULE_H

#include <stdint.h>

#include "domain/person_status.h"
#include "lib/date.h"

enum authz_rule {
	AUTHZ_SIGNATORY,		/* allowed: active signatory of C */
	AUTHZ_GRANT,			/* allowed: live grant of S for C */
	AUTHZ_PERSON_NOT_ACTIVE,	/* denied: P's status ends authority */
	AUTHZ_GRANT_EXPIRED,		/* denied: the grant's end date passed */
	AUTHZ_GRANT_NOT_YET_VALID,	/* denied: the grant's start date is ahead */
	AUTHZ_GRANT_REVOKED,		/* denied: the last grant was revoked */
	AUTHZ_NO_GRANT,			/* denied: never granted */
	/* issue 15: what the company's own state denies, for everyone. */
	AUTHZ_ESTABLISHMENT_NOT_ENROLLED, /* compulsory sector, not enrolled */
	AUTHZ_ESTABLISHMENT_SUSPENDED,	/* suspended its own use */

	/* issue 16 §1: a grant works once its representative accepted it */
	AUTHZ_GRANT_PENDING,		/* denied: offered, not yet accepted */
	AUTHZ_GRANT_OFFER_EXPIRED,	/* denied: not accepted by its last day */
	AUTHZ__MAX
};

/* What blocks every check for a company (sql/020 company_block()). */
enum company_block {
	COMPANY_OPEN = 0,
	COMPANY_NOT_ENROLLED = 1,
	COMPANY_SUSPENDED = 2,
};

struct authz_facts {
	enum person_status	status;
	enum company_block	company_block;
	int			signatory;	/* signatory of C, not ended */
	int			has_live_grant;	/* unrevoked grant of S for C, expired or not */
	int64_t			live_grant_id;
	int			live_has_until;
	struct rb_date		live_until;	/* last day it authorizes */
	int			live_has_from;
	struct rb_date		live_from;	/* first day it authorizes */
	int64_t			revoked_grant_id; /* latest revoked one, or 0 */
	int			live_pending;	/* the live grant awaits acceptance */
	struct rb_date		live_answer_by;	/* ... until this day (inclusive) */
	struct rb_date		today;
};

struct authz_decision {
	int		allowed;
	enum authz_rule	rule;
	int64_t		grant_id;	/* 0 when no grant is concerned */
};

void		 authz_decide(const struct authz_facts *, struct authz_decision *);
const char	*authz_rule_name(enum authz_rule);

#endif
