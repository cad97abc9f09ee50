/*
 * The decision log's writer side (issue 13 §3): every /authorize answer is
 * copied into a buffer of its worker process (fixed size, under a mutex
 * held for one copy), and a thread of the worker with its own database
 * connection writes the buffer by COPY (store/decision_log_store.c) when
 * it is half full or RB_DECISION_LOG_FLUSH_MS after the last write. A
 * full buffer drops the answer and counts it: the check never waits for
 * the log. RB_DECISION_LOG=0 turns it off (the benchmark's baseline).
 */
#ifndef RB_DECISION_LOG_H
#define RB_DECISION_LOG_H

#include <jansson.h>

#include "fcgi/authorize_check.h"
#include "lib/config.h"

/* In the supervisor, before the workers are forked: the counters they
 * share (buffered, dropped) live in a shared mapping. */
void	decision_log_init(const struct config *);
/* Records one answer given to r's caller; never blocks on the database. */
void	decision_log_record(struct req *, const struct authz_answer *);
/* {"enabled", "buffered", "dropped"} summed over the workers (new reference). */
json_t	*decision_log_health(void);

#endif
