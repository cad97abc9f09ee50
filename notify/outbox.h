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
 * Several messages about one company in one statement: items is an array
 * (borrowed) of {channel, template, params, and either recipient and
 * language, or qid: the person's mobile and language from the registry;
 * statement_id optional}.
 */
enum rb_err	outbox_add_batch(struct db *, int64_t now, const char *est_id, json_t *items);
/* SMS to the grantee of each grant id (a PostgreSQL array literal such as
 * "{1,2}"): granted, or revoked for reason (a revoke_reason name). */
enum rb_err	outbox_grants_created(struct db *, int64_t now, const char *ids);
enum rb_err	outbox_grants_revoked(struct db *, int64_t now, const char *ids,
		    const char *reason);

#endif
