/*
 * WAL positions for reads on a streaming replica (issue 17 §2), as byte
 * offsets (an LSN minus '0/0'): what a write's consistency token holds and
 * what a replica's replay is compared with.
 */
#ifndef RB_REPLICA_STORE_H
#define RB_REPLICA_STORE_H

#include <stdint.h>

#include "lib/db.h"

/* The primary's WAL insert position: after a commit, at or past its
 * commit record (the write position may lag it when commits are
 * asynchronous). */
enum rb_err	replica_primary_lsn(struct db *primary, int64_t *lsn);
/*
 * The replica's replay position, and the age in ms of the last
 * transaction it replayed (-1: none yet). RB_ENOTFOUND when the server is
 * not in recovery (a primary named as a replica by mistake is never read
 * as one).
 */
enum rb_err	replica_replay_lsn(struct db *replica, int64_t *lsn,
		    int64_t *replay_age_ms);

#endif
