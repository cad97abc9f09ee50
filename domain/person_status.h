/* A person's status (SPEC §2) and what each status means for grants. */
#ifndef RB_PERSON_STATUS_H
#define RB_PERSON_STATUS_H

#include "lib/rb_err.h"

enum person_status {
	PS_ACTIVE,
	PS_SPONSORSHIP_TRANSFERRED,
	PS_RESIDENCY_CANCELLED,
	PS_DECEASED,
	PS__MAX
};

enum rb_err	 person_status_parse(const char *, enum person_status *);
const char	*person_status_name(enum person_status);
/*
 * Every status but active ends the person's authority (SPEC §3): their
 * grants are revoked, and they neither sign nor act on a grant. The one
 * home of that rule: the SQL of sql/009 is given its answer
 * (authority_statuses() in store/access_store.c).
 */
int		 person_status_revokes_grants(enum person_status);

#endif
