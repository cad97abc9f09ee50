#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "fcgi/authz_follower.h"
#include "fcgi/metrics.h"
#include "lib/log.h"
#include "store/change_feed.h"

#define FEED_BATCH	5000
#define MAX_SLOTS	64

/* What one worker process publishes to the others. */
struct slot {
	_Atomic int	pid;		/* 0: free */
	_Atomic int	serving;	/* answers from its index (or is joining) */
	_Atomic int64_t	applied;	/* revision its index is at */
};

/*
 * The table, and what a write waiting for the workers sleeps on: a
 * futex word every publish() advances, woken when a writer waits (the
 * write's answer no longer polls the table every 200 µs).
 */
struct shared {
	_Atomic uint32_t	seq;
	_Atomic int		waiters;
	struct slot		slot[MAX_SLOTS];
};

static struct shared *sh;
static struct slot *slots;		/* sh->slot, MAX_SLOTS */
static struct slot *mine;

/*
 * The process's index: readers (request threads) and one writer (the
 * follower) under a writer-preferring lock, so that a stream of checks
 * cannot hold a revocation back.
 */
static pthread_rwlock_t lock;
static struct decision_index *idx;	/* owned, under lock */
static _Atomic int64_t applied;
static _Atomic int answering;
static _Atomic int64_t confirmed_ms;	/* the feed last seen caught up */
static pthread_mutex_t wake_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static char *conninfo;

/* Wall-clock seconds: comparable with the database's now() on the same
 * host. Not lib/clock.h, whose time tests move by days. */
static double
wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
authz_shared_init(void)
{
	void *p = mmap(NULL, sizeof(struct shared), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		log_warn("decision index: no shared table (%s); writes wait for no one",
		    strerror(errno));
		return;
	}
	sh = p;
	slots = sh->slot;
}

/* A free place, or one whose process died (a worker killed by the
 * supervisor or a crash leaves its place behind). */
static void
claim_slot(void)
{
	int i, pid = (int)getpid();

	for (i = 0; slots != NULL && i < MAX_SLOTS; i++) {
		int old = atomic_load(&slots[i].pid);

		if ((old == 0 || (kill(old, 0) != 0 && errno == ESRCH)) &&
		    atomic_compare_exchange_strong(&slots[i].pid, &old, pid)) {
			mine = &slots[i];
			atomic_store(&mine->serving, 0);
			atomic_store(&mine->applied, 0);
			return;
		}
	}
	log_warn("decision index: no place in the shared table");
}

/* The futex word is shared between processes: not FUTEX_PRIVATE. */
static void
futex_wake_all(void)
{
	syscall(SYS_futex, &sh->seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* Sleeps while the word is still seen, up to ms (a wake-up may be early,
 * or spurious: the caller looks again). */
static void
futex_wait_ms(uint32_t seen, int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	syscall(SYS_futex, &sh->seq, FUTEX_WAIT, seen, &ts, NULL, 0);
}

static void
publish(int serving, int64_t rev)
{
	if (mine == NULL)
		return;
	atomic_store(&mine->applied, rev);
	atomic_store(&mine->serving, serving);
	/* After the stores: a writer that counted itself waiting before it
	 * read the word either sees the new word or is woken. */
	atomic_fetch_add(&sh->seq, 1);
	if (atomic_load(&sh->waiters) > 0)
		futex_wake_all();
}

static void
stop_answering(const char *why)
{
	if (atomic_exchange(&answering, 0))
		log_warn("decision index: answering from PostgreSQL (%s)", why);
	publish(0, atomic_load(&applied));
}

static void
wake_waiters(void)
{
	pthread_mutex_lock(&wake_mu);
	pthread_cond_broadcast(&wake);
	pthread_mutex_unlock(&wake_mu);
}

/* Replaces the index by a new snapshot. */
static enum rb_err
load_snapshot(struct db *db)
{
	struct decision_index *x, *old;
	int64_t t0 = mono_ms(), rev;
	size_t np, ng;
	enum rb_err rc;

	if ((rc = change_feed_snapshot(db, &x, &rev)) != RB_OK)
		return rc;
	pthread_rwlock_wrlock(&lock);
	old = idx;
	idx = x;
	atomic_store(&applied, rev);
	pthread_rwlock_unlock(&lock);
	dx_free(old);
	dx_counts(x, &np, &ng);
	log_info("decision index: %zu persons, %zu grants, %.1f MiB, loaded in %lld ms"
	    " at revision %lld", np, ng,
	    (double)dx_bytes(x) / (1024.0 * 1024.0), (long long)(mono_ms() - t0),
	    (long long)rev);
	return RB_OK;
}

/* Reads and applies what follows the index; *caught_up when the feed had
 * no more. */
static enum rb_err
follow_once(struct db *db, int *caught_up)
{
	struct feed_batch b;
	enum rb_err rc;

	*caught_up = 0;
	if ((rc = change_feed_read(db, atomic_load(&applied), FEED_BATCH, &b)) != RB_OK)
		return rc;
	if (b.reload) {
		change_feed_batch_free(&b);
		return load_snapshot(db);
	}
	if (b.count > 0) {
		pthread_rwlock_wrlock(&lock);
		rc = change_feed_apply(&b, idx);
		if (rc == RB_OK)
			atomic_store(&applied, b.last);
		pthread_rwlock_unlock(&lock);
	}
	/* Timed before the worker publishes the revision (confirm()), so that a
	 * write that saw every worker apply it finds them counted. */
	if (rc == RB_OK && b.count > 0) {
		double now = wall_s();
		int i;

		for (i = 0; i < b.count; i++)
			metrics_lag_observe(METRICS_LAG_APPLY, now - change_feed_at(&b, i));
	}
	change_feed_batch_free(&b);
	*caught_up = rc == RB_OK && b.count < FEED_BATCH;
	return rc;
}

/*
 * Caught up: confirmed now. Going from PostgreSQL to the index, the worker
 * first publishes that it serves, then reads the feed once more before
 * answering: a writer that saw it not serving committed before that read.
 */
static enum rb_err
confirm(struct db *db)
{
	enum rb_err rc;
	int caught_up;

	if (!atomic_load(&answering)) {
		publish(1, atomic_load(&applied));
		if ((rc = follow_once(db, &caught_up)) != RB_OK)
			return rc;
		atomic_store(&answering, 1);
		log_info("decision index: answering at revision %lld",
		    (long long)atomic_load(&applied));
	}
	atomic_store(&confirmed_ms, mono_ms());
	publish(1, atomic_load(&applied));
	wake_waiters();
	return RB_OK;
}

static void *
follower_main(void *arg)
{
	struct db db;
	int listening = 0, caught_up, backend = 0;
	enum rb_err rc;

	(void)arg;
	db_init(&db, conninfo);
	for (;;) {
		/* Replaced behind our back (lib/db.c reconnects): LISTEN anew. */
		if (listening && change_feed_backend(&db) != backend)
			listening = 0;
		if (!listening) {
			/* LISTEN before reading: a change committed in between is
			 * in the table when the read comes. */
			if ((rc = change_feed_listen(&db)) != RB_OK ||
			    (idx == NULL && (rc = load_snapshot(&db)) != RB_OK))
				goto fail;
			listening = 1;
			backend = change_feed_backend(&db);
		}
		if ((rc = follow_once(&db, &caught_up)) != RB_OK)
			goto fail;
		if (caught_up && (rc = confirm(&db)) != RB_OK)
			goto fail;
		wake_waiters();
		if (caught_up && (rc = change_feed_wait(&db, AUTHZ_HEARTBEAT_MS)) != RB_OK)
			goto fail;
		continue;
fail:
		stop_answering(db.errmsg[0] ? db.errmsg : rb_strerror(rc));
		db_rollback(&db);
		/* A lost connection is replaced by the next call; LISTEN again. */
		db_close(&db);
		db_init(&db, conninfo);
		listening = 0;
		usleep(100 * 1000);
	}
	return NULL;
}

void
authz_follower_start(const struct config *cfg)
{
	pthread_rwlockattr_t a;
	pthread_t th;

	pthread_rwlockattr_init(&a);
	pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&lock, &a);
	pthread_rwlockattr_destroy(&a);
	conninfo = strdup(cfg->db_conninfo);
	claim_slot();
	if (pthread_create(&th, NULL, follower_main, NULL) != 0) {
		log_error("decision index: no follower thread; PostgreSQL answers");
		return;
	}
	pthread_detach(th);
}

int
authz_index_current(int64_t *revision)
{
	if (!atomic_load(&answering) ||
	    mono_ms() - atomic_load(&confirmed_ms) > AUTHZ_STALE_MS)
		return 0;
	*revision = atomic_load(&applied);
	return 1;
}

int
authz_index_wait(int64_t revision, int timeout_ms, int64_t *at)
{
	int64_t deadline = mono_ms() + timeout_ms;
	struct timespec ts;

	pthread_mutex_lock(&wake_mu);
	while (!(authz_index_current(at) && *at >= revision) && mono_ms() < deadline) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 5 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&wake, &wake_mu, &ts);
	}
	pthread_mutex_unlock(&wake_mu);
	return authz_index_current(at) && *at >= revision;
}

int
authz_index_check(const char *token_hex, const struct qid *q,
    const struct est_id *e, const struct svc_code *c, struct dx_session *sess,
    int *found, struct dx_check *chk, int64_t *revision)
{
	int ok;

	pthread_rwlock_rdlock(&lock);
	/* Current under the lock: the revision is the one the facts are at. */
	if ((ok = idx != NULL && authz_index_current(revision))) {
		*found = dx_session_find(idx, token_hex, sess);
		dx_check_load(idx, q, e, c, chk);
	}
	pthread_rwlock_unlock(&lock);
	return ok;
}

void
authz_index_seen(int64_t id, int64_t seen)
{
	pthread_rwlock_wrlock(&lock);
	if (idx != NULL)
		dx_session_seen(idx, id, seen);
	pthread_rwlock_unlock(&lock);
}

enum rb_err
authz_index_person(const struct qid *q, int32_t today, int *exists,
    struct dx_authority **out, size_t *n, int64_t *revision)
{
	enum rb_err rc = RB_EDB;

	pthread_rwlock_rdlock(&lock);
	if (idx != NULL && authz_index_current(revision)) {
		*exists = dx_person_exists(idx, q);
		rc = dx_person_authority(idx, q, today, out, n);
	}
	pthread_rwlock_unlock(&lock);
	return rc;
}

enum rb_err
authz_index_company(const struct est_id *e, const struct svc_code *c, int32_t today,
    int *company_exists, int *service_exists, struct dx_authority **out, size_t *n,
    int64_t *revision)
{
	enum rb_err rc = RB_EDB;

	pthread_rwlock_rdlock(&lock);
	if (idx != NULL && authz_index_current(revision)) {
		*company_exists = dx_company_exists(idx, e);
		*service_exists = dx_service_exists(idx, c);
		rc = dx_company_authorized(idx, e, c, today, out, n);
	}
	pthread_rwlock_unlock(&lock);
	return rc;
}

/* Whether every serving worker has applied revision. */
static int
all_applied(int64_t revision)
{
	int i, pid;

	for (i = 0; slots != NULL && i < MAX_SLOTS; i++) {
		if ((pid = atomic_load(&slots[i].pid)) == 0 || !atomic_load(&slots[i].serving))
			continue;
		if (atomic_load(&slots[i].applied) < revision &&
		    !(kill(pid, 0) != 0 && errno == ESRCH))
			return 0;
	}
	return 1;
}

void
authz_write_revision(struct db *db, json_t *body)
{
	int64_t head, deadline, at;
	double t0 = mono_s();	/* the write's COMMIT has just answered */

	if (change_feed_head(db, &head) != RB_OK)
		return;
	/* Every worker's index, this one's included, as the shared table
	 * shows them; without the table, this worker's own. */
	deadline = mono_ms() + AUTHZ_WRITE_WAIT_MS;
	if (slots == NULL && atomic_load(&answering))
		authz_index_wait(head, AUTHZ_WRITE_WAIT_MS, &at);
	if (slots != NULL) {
		atomic_fetch_add(&sh->waiters, 1);
		for (;;) {
			uint32_t seen = atomic_load(&sh->seq);
			int64_t left = deadline - mono_ms();

			if (all_applied(head) || left <= 0)
				break;
			/* Bounded: a worker that died is seen by all_applied(). */
			futex_wait_ms(seen, left < 20 ? (int)left : 20);
		}
		atomic_fetch_sub(&sh->waiters, 1);
	}
	metrics_lag_observe(METRICS_LAG_VISIBLE, mono_s() - t0);
	json_object_set_new(body, "revision", json_sprintf("%lld", (long long)head));
}

int
authz_revision_parse(const char *s, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > 18)
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}
