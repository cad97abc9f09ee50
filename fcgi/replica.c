#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fcgi/metrics.h"
#include "fcgi/replica.h"
#include "fcgi/router.h"
#include "lib/log.h"
#include "lib/number.h"
#include "store/replica_store.h"

/*
 * An idle primary's insert position may sit a page header (24 or 40
 * bytes) past the end of the last record, where the replica's replay
 * stops: that close is caught up.
 */
#define CAUGHT_UP_SLACK	64
/*
 * A replica found unreachable is looked at again after 5 s at least: a
 * look at a host that does not answer holds the read up to the connect
 * timeout (2 s), and one read in 5 s per process paying it is enough.
 */
#define DOWN_CHECK_MS(cfg)	((cfg)->replica_check_ms > 5000 ? (cfg)->replica_check_ms : 5000)
/* Between two looks at the replay position while a read waits. */
#define WAIT_STEP_MS	5

/*
 * What this worker process knows of the replica, shared by its threads
 * (under the lock, held only to read or update it, never across a query):
 * one look every RB_REPLICA_CHECK_MS for the whole process, by whichever
 * thread finds it due, so the "behind since" history is the process's,
 * not a thread's that may go long without a read.
 */
struct replica_state {
	int		in_reads;	/* replica-tolerant reads may go to it */
	int		up;		/* answered as a hot standby at the last look */
	int		not_standby;	/* answered, but is not in recovery */
	int		looking;	/* a thread is looking now */
	int64_t		checked_ms;	/* monotonic ms of the last look; 0: never */
	int64_t		primary_lsn;	/* the primary's WAL position then */
	int64_t		replay_lsn;	/* the replica's replay position (latest seen) */
	int64_t		lag_bytes;
	int64_t		lag_ms;
	int64_t		behind_since_ms; /* first look that found it behind; 0: caught up */
};

static struct replica_state state;
static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;

/* One look's measurements, taken outside the lock. */
struct sample {
	int64_t		now;
	enum rb_err	rc;		/* of the replica's answer */
	int64_t		replay_lsn, age_ms;
	int		have_primary;
	int64_t		primary_lsn;
};

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
configured(const struct worker *w)
{
	return w->cfg->db_replica_conninfo != NULL && w->cfg->db_replica_conninfo[0] != '\0';
}

void
replica_worker_init(struct worker *w)
{
	db_init_replica(&w->replica, configured(w) ? w->cfg->db_replica_conninfo : "",
	    &w->db);
}

void
replica_worker_close(struct worker *w)
{
	db_close(&w->replica);
}

/* The replica's replay position, asked of the replica alone: a look at
 * the replica must not be answered by its fallback. */
static enum rb_err
replay_lsn(struct worker *w, int64_t *lsn, int64_t *age_ms)
{
	struct db *fb = w->replica.fallback;
	enum rb_err rc;

	w->replica.fallback = NULL;
	w->replica.diverted = 0;
	rc = replica_replay_lsn(&w->replica, lsn, age_ms);
	w->replica.fallback = fb;
	return rc;
}

static void
measure(struct worker *w, struct sample *m)
{
	memset(m, 0, sizeof(*m));
	m->age_ms = -1;
	m->rc = replay_lsn(w, &m->replay_lsn, &m->age_ms);
	/* Without the primary the lag is unknown. */
	m->have_primary = m->rc == RB_OK &&
	    replica_primary_lsn(&w->db, &m->primary_lsn) == RB_OK;
	m->now = mono_ms();
}

/*
 * One look's verdict, under the lock. The lag in seconds is the time
 * since a look first found the replica behind, capped by the age of its
 * last replayed transaction: after an idle hour the first new write is
 * not an hour of lag. A first look, or the first in more than two
 * intervals, has no history and only the age (and may take a replica
 * just written to after an idle spell out of reads until the next look).
 * Out of reads when down or past either bound; back in once caught up
 * (within a quarter of both bounds: under steady writes it is never
 * exactly level), so that a replica hovering at a bound does not flap.
 * The primary being unreachable leaves the replica where it was (its
 * reads are all that may still be answered).
 */
static void
apply(struct replica_state *s, const struct config *cfg, const struct sample *m)
{
	int was_in = s->in_reads, caught_up, never = s->checked_ms == 0;
	int first = never || m->now - s->checked_ms > 2 * cfg->replica_check_ms;

	s->checked_ms = m->now;
	s->up = m->rc == RB_OK;
	s->not_standby = m->rc == RB_ENOTFOUND;
	if (m->rc != RB_OK) {
		s->in_reads = 0;
		s->behind_since_ms = 0;
		if (was_in)
			log_warn("replica: %s; out of reads", s->not_standby ?
			    "not a standby" : "unreachable");
		return;
	}
	if (m->replay_lsn > s->replay_lsn)
		s->replay_lsn = m->replay_lsn;
	if (!m->have_primary)
		return;
	s->primary_lsn = m->primary_lsn;
	s->lag_bytes = m->primary_lsn > m->replay_lsn ? m->primary_lsn - m->replay_lsn : 0;
	caught_up = s->lag_bytes <= CAUGHT_UP_SLACK;
	if (caught_up)
		s->behind_since_ms = 0;
	else if (s->behind_since_ms == 0 || first)
		/* Without history, behind since its last replayed transaction:
		 * the looks after this one go on from there. */
		s->behind_since_ms = first && m->age_ms >= 0 ? m->now - m->age_ms : m->now;
	s->lag_ms = caught_up ? 0 : m->now - s->behind_since_ms;
	if (!caught_up && m->age_ms >= 0 && m->age_ms < s->lag_ms)
		s->lag_ms = m->age_ms;
	if (was_in)
		s->in_reads = s->lag_bytes <= cfg->replica_max_lag_bytes &&
		    s->lag_ms <= cfg->replica_max_lag_ms;
	else
		s->in_reads = caught_up || (s->lag_bytes <= cfg->replica_max_lag_bytes / 4 &&
		    s->lag_ms <= cfg->replica_max_lag_ms / 4);
	/* The process's first look putting it in reads is no news. */
	if (was_in != s->in_reads && !(never && s->in_reads))
		log_info("replica: %s (lag %lld bytes, %lld ms)", s->in_reads ?
		    "caught up; back in reads" : "lagging; out of reads",
		    (long long)s->lag_bytes, (long long)s->lag_ms);
}

/*
 * The process's view of the replica, looked at afresh first when due (or
 * when forced) by this thread, unless another thread is looking already:
 * then its previous view.
 */
static void
view(struct worker *w, int force, struct replica_state *out)
{
	struct sample m;
	int mine = 0;
	int64_t due;

	pthread_mutex_lock(&state_lock);
	due = state.up ? w->cfg->replica_check_ms : DOWN_CHECK_MS(w->cfg);
	if ((force || state.checked_ms == 0 || mono_ms() - state.checked_ms >= due) &&
	    !state.looking) {
		state.looking = 1;
		mine = 1;
	}
	pthread_mutex_unlock(&state_lock);
	if (mine) {
		measure(w, &m);
		pthread_mutex_lock(&state_lock);
		apply(&state, w->cfg, &m);
		state.looking = 0;
		pthread_mutex_unlock(&state_lock);
	}
	pthread_mutex_lock(&state_lock);
	*out = state;
	pthread_mutex_unlock(&state_lock);
}

/* A decimal token of at most 18 digits; 0 when malformed. */
static int64_t
token_parse(const char *s, size_t n)
{
	char buf[24];
	int64_t v;

	if (n == 0 || n > 18)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return int_parse(buf, 1, INT64_MAX, &v) == RB_OK ? v : 0;
}

/* The token of the rb_consistency cookie: 0 none, -1 malformed. */
static int64_t
cookie_token(const struct req *r)
{
	const char *c = FCGX_GetParam("HTTP_COOKIE", r->fcgx->envp);
	const char *name = REPLICA_COOKIE "=";
	size_t nlen = strlen(name), n;
	int64_t v;

	while (c != NULL && *c != '\0') {
		while (*c == ' ' || *c == ';')
			c++;
		if (strncmp(c, name, nlen) == 0) {
			c += nlen;
			n = strcspn(c, "; ");
			v = token_parse(c, n);
			return v > 0 ? v : -1;
		}
		c = strchr(c, ';');
	}
	return 0;
}

/*
 * Whether the replica reaches token within RB_REPLICA_WAIT_MS. A token
 * past every position the primary has had is not one of its writes (a
 * forged cookie, another cluster's): not waited for, the primary answers.
 */
static int
reaches(struct worker *w, const struct replica_state *s, int64_t token)
{
	int64_t deadline = mono_ms() + w->cfg->replica_wait_ms, rl, age, p;
	struct timespec step = { 0, WAIT_STEP_MS * 1000000L };

	if (token > s->primary_lsn &&
	    (replica_primary_lsn(&w->db, &p) != RB_OK || token > p))
		return 0;
	for (;;) {
		if (replay_lsn(w, &rl, &age) != RB_OK)
			return 0;
		if (rl >= token) {
			pthread_mutex_lock(&state_lock);
			if (rl > state.replay_lsn)
				state.replay_lsn = rl;
			pthread_mutex_unlock(&state_lock);
			return 1;
		}
		if (mono_ms() >= deadline)
			return 0;
		nanosleep(&step, NULL);
	}
}

enum rb_err
replica_choose(struct req *r)
{
	struct worker *w = r->w;
	struct replica_state s;
	const char *h;
	int64_t token;

	r->db = &w->db;
	if (!configured(w) || r->route == NULL || r->route->db != ROUTE_DB_REPLICA)
		return RB_OK;
	if ((h = FCGX_GetParam("HTTP_RB_CONSISTENCY", r->fcgx->envp)) != NULL) {
		if ((token = token_parse(h, strlen(h))) <= 0) {
			resp_error_field(r, 400, "invalid_field", "RB-Consistency",
			    "the RB-Consistency header is the token of a write: digits");
			return RB_EINVAL;
		}
	} else if ((token = cookie_token(r)) < 0) {
		/* A mangled cookie: as fresh as can be. */
		metrics_replica_count(METRICS_REPLICA_TOKEN);
		return RB_OK;
	}
	view(w, 0, &s);
	if (!s.in_reads) {
		metrics_replica_count(METRICS_REPLICA_OUT);
		return RB_OK;
	}
	if (token > s.replay_lsn && !reaches(w, &s, token)) {
		metrics_replica_count(METRICS_REPLICA_TOKEN);
		return RB_OK;
	}
	w->replica.diverted = 0;
	r->db = &w->replica;
	return RB_OK;
}

void
replica_request_done(struct req *r)
{
	struct worker *w = r->w;

	if (r->db != &w->replica)
		return;
	metrics_replica_count(w->replica.diverted ? METRICS_REPLICA_FALLBACK :
	    METRICS_REPLICA_SERVED);
	/* A replica that failed is looked at again on the next read. */
	if (w->replica.diverted && w->replica.conn == NULL) {
		pthread_mutex_lock(&state_lock);
		state.checked_ms = 0;
		pthread_mutex_unlock(&state_lock);
	}
	db_rollback(&w->replica);
	w->replica.diverted = 0;
	r->db = &w->db;
}

static int
unsafe(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

void
replica_write_token(struct req *r, int status)
{
	int64_t lsn;

	r->consistency[0] = '\0';
	if (!configured(r->w) || r->route == NULL || status >= 300 ||
	    !unsafe(r->route->method) || r->route->db == ROUTE_DB_NO_WRITE)
		return;
	/* Handlers commit before they answer; inside a transaction the
	 * position would be before its commit, so no token at all. */
	if (r->w->db.in_txn || replica_primary_lsn(&r->w->db, &lsn) != RB_OK)
		return;
	snprintf(r->consistency, sizeof(r->consistency),
	    "RB-Consistency: %lld\r\n"
	    "Set-Cookie: " REPLICA_COOKIE "=%lld; Path=/api/; Max-Age=300; Secure; HttpOnly;"
	    " SameSite=Strict\r\n", (long long)lsn, (long long)lsn);
}

json_t *
replica_health(struct worker *w)
{
	struct replica_state s;

	if (!configured(w))
		return NULL;
	view(w, 1, &s);
	return json_pack("{s:s, s:b, s:o, s:o}",
	    "state", !s.up ? (s.not_standby ? "not_standby" : "down") :
	    s.in_reads ? "up" : "lagging",
	    "in_reads", s.in_reads,
	    "lag_bytes", s.up ? json_integer(s.lag_bytes) : json_null(),
	    "lag_seconds", s.up ? json_real((double)s.lag_ms / 1000.0) : json_null());
}
