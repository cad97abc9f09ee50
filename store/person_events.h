/*
 * Registry events that end authority (SPEC §3): a person's status change
 * and the end of an employment. The API (fcgi/person_api.c) and the fixture
 * loader (tools/fixture/write_db.c) both come through here, so a change has
 * the same effects whichever way it arrives. Runs in the caller's
 * transaction: the revocations commit or roll back with the event.
 */
#ifndef RB_PERSON_EVENTS_H
#define RB_PERSON_EVENTS_H

#include "domain/ids.h"
#include "domain/person_status.h"
#include "lib/date.h"
#include "lib/db.h"
#include "store/audit.h"

/* RB_ENOTFOUND: no such person. *changed is 0 when the status was already
 * s. The person's live grants are revoked when s ends authority
 * (person_status_revokes_grants), even when unchanged. */
enum rb_err	person_set_status(struct db *, const struct audit_ctx *,
		    const struct qid *, enum person_status s,
		    int *changed, int *revoked);
/* RB_ENOTFOUND: no open employment of qid at est. */
enum rb_err	employment_end(struct db *, const struct audit_ctx *,
		    const struct qid *, const struct est_id *, struct rb_date on,
		    int *revoked);

#endif
