/*
 * The facts of an authorization check as they stood at an instant of the
 * past (issue 13 §3, GET /api/v1/authorize?at=), from the history the
 * tables keep, never from a cache:
 * - grants: granted_at and revoked_at (instants), valid_from and
 *   valid_until (Qatar days, compared with the instant's day);
 * - the person's status: the audit trail's "person.status" records (every
 *   change goes through person_set_status()); no change after the instant
 *   means the status now;
 * - signatories: since (recorded from sql/014 on; NULL reads as "before
 *   the history began") and ended_on.
 * Whether the person, company and service exist is asked of now: their
 * rows are never deleted.
 */
#ifndef RB_AUTHORIZE_HISTORY_H
#define RB_AUTHORIZE_HISTORY_H

#include <stdint.h>

#include "store/access_store.h"

/* As authz_lookup_load, the caller's session included (as of now), with
 * the facts at epoch second at; facts.today is left to the caller (the
 * instant's Qatar day). */
enum rb_err	authz_lookup_at(struct db *, const char *token_hex,
		    const struct qid *, const struct est_id *,
		    const struct svc_code *, int64_t at, struct authz_lookup *);

#endif
