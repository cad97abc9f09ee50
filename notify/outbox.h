/*
 * Queueing notifications (SPEC §5): each function writes outbox rows in the
 * caller's transaction, so a message exists exactly when the event that
 * causes it commits. The delivery worker (notifier/) renders and sends.
 */
#ifndef RB_OUTBOX_H
#define RB_OUTBOX_H

#include <stdint.h>

#include <jansson.h>

#include "lib/db.h"

/*
 * Several messages in one statement: items is an array (borrowed) of
 * {channel, template, params, and either recipient and language, or qid:
 * the person's mobile and language from the registry; statement_id
 * optional; once optional; est_id optional}. An item's est_id is the
 * company it is about, est_id's (which may be NULL) when it has none, so
 * one statement queues a whole batch of companies'. once, {topic, key,
 * seen, since} (dates "YYYY-MM-DD"), makes a person's message one they are
 * told once: it is not queued when the person was last told key on topic
 * by this company and that was still true on or after since; either way
 * the memory becomes key, true on seen (table notify_memory).
 */
enum rb_err	outbox_add_batch(struct db *, int64_t now, const char *est_id, json_t *items);
/* What a grant SMS says. */
enum grant_sms {
	GRANT_SMS_CREATED,	/* granted: sms.grant.created[_from][_until] */
	GRANT_SMS_OFFERED,	/* offered and waiting for acceptance (issue 16 §1):
				 * who offered it, and the last day to accept it
				 * (sms.grant.offered) */
	GRANT_SMS__MAX
};
/* SMS to the grantee of grant id. A grant SMS of the same kind already
 * queued in the same transaction for the same grantee, company and dates
 * (the end dates granted, or the day to answer an offer) takes this
 * service too (the kind's _many template): one SMS for one request. */
enum rb_err	outbox_grant_sms(struct db *, int64_t now, int64_t id, enum grant_sms kind);
/* SMS to the grantees of the grant ids (a PostgreSQL array literal such
 * as "{1,2}"), revoked for reason (a revoke_reason name): one per grantee
 * and company, naming each service (sms.grant.revoked_many). */
enum rb_err	outbox_grants_revoked(struct db *, int64_t now, const char *ids,
		    const char *reason);
/* SMS to each person of qids (a PostgreSQL array literal of QIDs) that
 * their account was used from a new place, address (issue 16 §5). */
enum rb_err	outbox_signin_new_place(struct db *, int64_t now, const char *qids,
		    const char *address);

#endif
