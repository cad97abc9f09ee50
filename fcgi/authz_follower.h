/*
 * The decision index of one worker process (issue 13 §1) and the thread
 * that keeps it exact: a snapshot at start, then the change feed in
 * revision order (store/change_feed.c), woken by NOTIFY and checking the
 * table every AUTHZ_HEARTBEAT_MS whatever happens, so that a lost
 * notification costs at most that long.
 *
 * The index answers only while it is current: the feed connection up, and
 * the feed confirmed caught up no longer than AUTHZ_STALE_MS ago (the
 * documented staleness bound of consistency=minimize_latency). Otherwise
 * every check asks PostgreSQL (authz_lookup_load), as before the index.
 *
 * Writes that can change a decision wait (authz_write_revision), before
 * they answer, until every worker process that serves from its index has
 * applied them, up to AUTHZ_WRITE_WAIT_MS: a check sent after the
 * write's answer, on any worker, sees it. The workers publish how far they
 * are in a table of shared memory made by the supervisor before it forks.
 */
#ifndef RB_AUTHZ_FOLLOWER_H
#define RB_AUTHZ_FOLLOWER_H

#include <stdint.h>

#include <jansson.h>

#include "domain/decision_index.h"
#include "lib/config.h"
#include "lib/db.h"

#define AUTHZ_HEARTBEAT_MS	100
#define AUTHZ_STALE_MS		1000
#define AUTHZ_FRESH_WAIT_MS	50	/* at_least_as_fresh, before PostgreSQL */
#define AUTHZ_WRITE_WAIT_MS	2000

/* In the supervisor, before forking: the workers' shared table. */
void	authz_shared_init(void);
/* In each worker process: claims its place and starts the follower. */
void	authz_follower_start(const struct config *);

/* Whether the index answers now; *revision the one it is at. */
int	authz_index_current(int64_t *revision);
/* Waits up to timeout_ms for the index to be current at revision or past
 * it; 1 when it is (then *at is its revision). */
int	authz_index_wait(int64_t revision, int timeout_ms, int64_t *at);

/* One check from the index, when current (1; else 0 and nothing read):
 * the caller's session (*found 0: not in the index) and the facts. */
int	authz_index_check(const char *token_hex, const struct qid *,
	    const struct est_id *, const struct svc_code *, struct dx_session *sess,
	    int *found, struct dx_check *, int64_t *revision);
/* The caller touched session id's row at seen. */
void	authz_index_seen(int64_t id, int64_t seen);

/* Lookups from the index, when current (RB_OK; RB_EDB when not, and
 * nothing is read). *out malloc'd, the caller frees it. */
enum rb_err	authz_index_person(const struct qid *, int32_t today, int *exists,
		    struct dx_authority **out, size_t *n, int64_t *revision);
enum rb_err	authz_index_company(const struct est_id *, const struct svc_code *,
		    int32_t today, int *company_exists, int *service_exists,
		    struct dx_authority **out, size_t *n, int64_t *revision);

/*
 * After a write committed on db: sets body's "revision" to the feed's head
 * (a token at or past the write), once every serving worker has applied
 * it or AUTHZ_WRITE_WAIT_MS passed. Leaves body as it was if the head
 * cannot be read (the write stands; only the token is missing).
 */
void	authz_write_revision(struct db *, json_t *body);

/* The token as the API carries it: an opaque string, here the decimal
 * revision; 0 when s is not one. */
int	authz_revision_parse(const char *s, int64_t *out);

#endif
