/*
 * Queueing notifications (SPEC §5): each function writes outbox rows in the
 * caller's transaction, so a message exists exactly when the event that
 * causes it commits. The delivery worker (notifier/) renders and sends.
 */
#ifndef RB_OUTBOX_H
#define RB_OUTBOX_H

#include <stdint.h>

#include <jansson.h>

#include "db.h"

/* One message to a known address; statement_id, est_id, qid may be 0/NULL.
 * params is borrowed. */
struct outbox_msg {
	const char	*channel;	/* "email" or "sms" */
	const char	*recipient;
	const char	*language;
	const char	*template;	/* a catalogue key */
	json_t		*params;
	int64_t		 statement_id;
	const char	*est_id;
	const char	*qid;
};

enum rb_err	outbox_add(struct db *, int64_t now, const struct outbox_msg *);
/* SMS to persons at the mobile and in the language of their registry
 * record: items is an array of {qid, template, params}, borrowed. */
enum rb_err	outbox_sms_persons(struct db *, int64_t now, const char *est_id,
		    json_t *items);
/* SMS to the grantee of each grant id (a PostgreSQL array literal such as
 * "{1,2}"): granted, or revoked for reason (a revoke_reason name). */
enum rb_err	outbox_grants_created(struct db *, int64_t now, const char *ids);
enum rb_err	outbox_grants_revoked(struct db *, int64_t now, const char *ids,
		    const char *reason);

#endif
