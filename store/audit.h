/*
 * Appends to the hash-chained audit trail (sql/003_audit.sql). Call it as
 * the last statement of the transaction whose change it records: the
 * append holds a lock until commit, and the row vanishes with a rollback.
 */
#ifndef RB_AUDIT_H
#define RB_AUDIT_H

#include <stdint.h>

#include <jansson.h>

#include "lib/db.h"

struct audit_ctx {
	const char	*actor;		/* who: a username, or a tool's name */
	const char	*client_addr;	/* where from; "" for tools */
	int64_t		 now;		/* when, from the injectable clock */
};

/* detail is borrowed; NULL means {}. */
enum rb_err	audit_append(struct db *, const struct audit_ctx *,
		    const char *action, const char *target, json_t *detail);

#endif
