/*
 * Request counters of rb-fcgi, shared by every worker process: one
 * anonymous shared mapping made by the supervisor before it forks, so each
 * worker (and each replacement of a dead one) adds into the same cells
 * with atomic adds, and a scrape answered by any worker sees every
 * request the pool has served since the supervisor started. A killed
 * worker loses nothing it had counted; nothing is summed at scrape time
 * from processes that may be gone.
 */
#ifndef RB_FCGI_METRICS_H
#define RB_FCGI_METRICS_H

#include <stddef.h>
#include <stdio.h>

#include "lib/rb_err.h"

/* Slots past the route table: requests no route matched, and scrapes. */
#define METRICS_SLOT_UNMATCHED(nroutes)	(nroutes)
#define METRICS_SLOT_SCRAPE(nroutes)	((nroutes) + 1)

struct req;

/* GET /metrics (fcgi/metrics_api.c), dispatched by main.c before the router. */
void		h_metrics(struct req *);

/* Maps the counters for nroutes routes; before the workers are forked. */
enum rb_err	metrics_init(size_t nroutes);
/* Counts one request of a slot (a route's index or one of the above). */
void		metrics_count(size_t slot, int status, double seconds);
/* Where a replica-tolerant read was answered (issue 17 §2). */
enum metrics_replica {
	METRICS_REPLICA_SERVED,		/* by the replica */
	METRICS_REPLICA_FALLBACK,	/* the replica failed mid-request: the primary */
	METRICS_REPLICA_TOKEN,		/* the replica had not reached the token in time */
	METRICS_REPLICA_OUT,		/* the replica was out of reads (down, lagging) */
	METRICS_REPLICA__MAX
};
void		metrics_replica_count(enum metrics_replica);
/*
 * How long a change to decisions takes to reach the workers' indexes
 * (issue 13 §4, revocation-to-deny), two histograms:
 * APPLY, one observation per change per worker that applied it from the
 * feed: from the change's commit (PostgreSQL's commit timestamp; without
 * track_commit_timestamp, its transaction's start, an upper bound) to the
 * worker's apply;
 * VISIBLE, one per decision-changing write answered by the API: from its
 * commit to every serving worker having applied it (as the write waited
 * for it in authz_write_revision).
 */
enum metrics_lag {
	METRICS_LAG_APPLY,
	METRICS_LAG_VISIBLE,
	METRICS_LAG__MAX
};
void		metrics_lag_observe(enum metrics_lag, double seconds);
/* Writes the request counters and histograms in Prometheus text format. */
void		metrics_write_requests(FILE *);
/* 1 when addr may scrape: 127.0.0.1, ::1 or an address of
 * RB_METRICS_ALLOW (a comma-separated list of exact addresses). */
int		metrics_addr_allowed(const char *addr);

#endif
