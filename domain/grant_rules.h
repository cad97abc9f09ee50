/*
 * Who may grant what to whom (SPEC §3). Pure decisions over facts that
 * grant_store.c gathers: no SQL, no HTTP here.
 */
#ifndef RB_GRANT_RULES_H
#define RB_GRANT_RULES_H

#include "domain/person_status.h"
#include "lib/date.h"

enum grant_refusal {
	GRANT_OK = 0,
	GRANT_NOT_SIGNATORY,		/* the grantor does not sign for the company */
	GRANT_UNKNOWN_PERSON,		/* no such representative */
	GRANT_PERSON_NOT_ACTIVE,	/* the representative's status is not active */
	GRANT_NOT_IN_GROUP,		/* not employed by the company or its group */
	GRANT_SERVICE_NOT_GRANTABLE,	/* not in the catalogue */
	GRANT_VALID_UNTIL_PAST,		/* end date before today */
	GRANT_VALID_FROM_PAST,		/* start date before today */
	GRANT_VALID_FROM_AFTER_UNTIL,	/* starts after it ends */
	GRANT__MAX
};

struct grant_facts {
	int			grantor_signs_for_company;
	int			grantor_active;	/* status keeps authority (person_status.h) */
	int			grantee_exists;
	enum person_status	grantee_status;
	int			employed_by_company;	/* open employment at C */
	int			employed_in_group;	/* ... or at a company the grantor signs for */
	int			services_grantable;	/* every requested code is in the catalogue */
	struct rb_date		today;
	int			has_valid_until;
	struct rb_date		valid_until;
	int			has_valid_from;	/* absent: from today */
	struct rb_date		valid_from;
};

enum grant_refusal	 grant_decide(const struct grant_facts *);
/* Stable machine code ("not_in_group") and an English sentence. */
const char		*grant_refusal_code(enum grant_refusal);
const char		*grant_refusal_message(enum grant_refusal);

/* Why a live grant was ended; the names are stored (sql/002). */
enum revoke_reason {
	REVOKE_BY_SIGNATORY,
	REVOKE_SUPERSEDED,
	REVOKE_EMPLOYMENT_ENDED,
	REVOKE_STATUS_SPONSORSHIP_TRANSFERRED,
	REVOKE_STATUS_RESIDENCY_CANCELLED,
	REVOKE_STATUS_DECEASED,
	REVOKE_DECLINED,		/* the representative declined the offer */
	REVOKE_WITHDRAWN,		/* the signatory withdrew it while pending */
	REVOKE__MAX
};

const char	*revoke_reason_name(enum revoke_reason);
/* The reason recorded when a person takes status s; 0 when s revokes nothing. */
int		 revoke_reason_for_status(enum person_status s, enum revoke_reason *out);

#endif
