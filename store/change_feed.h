/*
 * The change feed behind the decision index (issue 13 §1, sql/013): the
 * snapshot a worker starts from, the batches of changes it follows, the
 * head revision a write answers with, and the listing of GET /changes.
 */
#ifndef RB_CHANGE_FEED_H
#define RB_CHANGE_FEED_H

#include <stdint.h>

#include <jansson.h>

#include "domain/decision_index.h"
#include "lib/db.h"

/*
 * A new index of everything, consistent at *revision (one REPEATABLE READ
 * transaction that reads max(revision) first). The caller owns *out.
 */
enum rb_err	change_feed_snapshot(struct db *, struct decision_index **out,
		    int64_t *revision);

/* One batch of changes after a revision, read with the current facts of
 * what they name, in one snapshot; applied to an index under the caller's
 * lock by change_feed_apply(). */
#define FEED_NPARTS 6
struct feed_batch {
	int64_t		 after;
	int64_t		 last;		/* highest revision read; = after when none */
	int		 count;		/* changes read */
	int		 reload;	/* a TRUNCATE: load a new snapshot instead */
	PGresult	*part[FEED_NPARTS];	/* owned; NULL when the kind is absent */
	PGresult	*changes;	/* owned: the changes read, in revision order */
};

enum rb_err	change_feed_read(struct db *, int64_t after, int limit,
		    struct feed_batch *);
/* RB_EINTERNAL when a row cannot be read (the index is then incomplete). */
enum rb_err	change_feed_apply(const struct feed_batch *, struct decision_index *);
void		change_feed_batch_free(struct feed_batch *);
/* When the i-th change of a batch (0 <= i < count) was committed, seconds
 * since the epoch (wall clock); its transaction's now() (an earlier
 * instant) when the server does not track commit timestamps. */
double		change_feed_at(const struct feed_batch *, int i);

/* LISTEN on the feed's channel, on this connection. */
enum rb_err	change_feed_listen(struct db *);
/* The server process of the connection (0: none). lib/db.c replaces a
 * lost connection by itself, and a new one has not LISTENed: the follower
 * compares this with the one it LISTENed on. */
int		change_feed_backend(const struct db *);
/* Waits up to timeout_ms for a notification (consumed). RB_OK: woken or
 * timed out; RB_EDB: the connection is lost. */
enum rb_err	change_feed_wait(struct db *, int timeout_ms);

/* The revision every committed change is at or below. */
enum rb_err	change_feed_head(struct db *, int64_t *revision);

/*
 * GET /changes: up to limit changes after a revision, in revision order,
 * as [{revision, kind, at, est_id?, qid?, service?, grant_id?, status?}]
 * into *items (the caller owns it), *last the highest revision listed (or
 * after). Sessions are left out: which callers signed in is not other
 * systems' business, and their rows name no decision of theirs.
 */
enum rb_err	change_feed_list(struct db *, int64_t after, int limit,
		    json_t **items, int64_t *last);

#endif
