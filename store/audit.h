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

/*
 * The records of a batch of changes made in one transaction (the
 * scheduler's batch of companies), appended together by one statement at
 * the end, so the chain's lock is held only from then to the commit: one
 * record per change, each hashed into the chain as audit_append does.
 */
struct audit_batch {
	json_t	*rows;	/* owned */
};

void		audit_batch_init(struct audit_batch *);
/* detail is borrowed; NULL means {}. */
void		audit_batch_add(struct audit_batch *, const char *action, const char *target,
		    json_t *detail);
/* Appends every record added (none: nothing) in the caller's transaction. */
enum rb_err	audit_batch_append(struct db *, const struct audit_ctx *, struct audit_batch *);
void		audit_batch_free(struct audit_batch *);

#endif
