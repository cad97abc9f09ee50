#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "fcgi/decision_log.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "store/decision_log_store.h"

/* Shared by the workers (mapped before the fork). buffered counts rows
 * taken and not yet written, dropped those lost: to a full buffer or to a
 * COPY the database refused. */
struct dl_shared {
	atomic_long	buffered;
	atomic_long	dropped;
};

static struct {
	const struct config	*cfg;
	struct dl_shared	*shared;
	pthread_once_t		 once;
	pthread_mutex_t		 mu;
	pthread_cond_t		 wake;
	struct decision_row	*rows, *spare;	/* owned; cap each */
	size_t			 n, cap;
	struct db		 db;		/* the flusher's own connection */
} dl = { .once = PTHREAD_ONCE_INIT, .mu = PTHREAD_MUTEX_INITIALIZER,
	 .wake = PTHREAD_COND_INITIALIZER };

void
decision_log_init(const struct config *cfg)
{
	void *m;

	dl.cfg = cfg;
	if (!cfg->decision_log)
		return;
	m = mmap(NULL, sizeof(struct dl_shared), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		log_error("decision log: mmap: %s; the log is off", strerror(errno));
		return;
	}
	dl.shared = m;
	atomic_init(&dl.shared->buffered, 0);
	atomic_init(&dl.shared->dropped, 0);
}

/* Takes what is buffered and writes it, outside the lock, forever. */
static void *
flusher(void *arg)
{
	struct decision_row *batch;
	struct timespec until;
	size_t n;
	long ms = dl.cfg->decision_log_flush_ms;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&dl.mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += ms / 1000;
		until.tv_nsec += (ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while ((dl.cap < 2 || dl.n < dl.cap / 2) &&
		    pthread_cond_timedwait(&dl.wake, &dl.mu, &until) != ETIMEDOUT)
			;
		batch = dl.rows;
		n = dl.n;
		dl.rows = dl.spare;
		dl.spare = batch;
		dl.n = 0;
		pthread_mutex_unlock(&dl.mu);
		if (n == 0)
			continue;
		if (decision_log_copy(&dl.db, batch, n) != RB_OK)
			atomic_fetch_add(&dl.shared->dropped, (long)n);
		atomic_fetch_sub(&dl.shared->buffered, (long)n);
	}
	return NULL;
}

/* In each worker, at its first answer: threads do not survive fork. */
static void
start(void)
{
	pthread_t th;

	dl.cap = (size_t)dl.cfg->decision_log_buffer;
	dl.rows = xcalloc(dl.cap, sizeof(*dl.rows));
	dl.spare = xcalloc(dl.cap, sizeof(*dl.spare));
	db_init(&dl.db, dl.cfg->db_conninfo);
	if (pthread_create(&th, NULL, flusher, NULL) != 0) {
		log_error("decision log: no flusher thread; the log is off");
		dl.shared = NULL;
		return;
	}
	pthread_detach(th);
}

/* The row of one answer; fields that were not valid stay empty. */
static void
fill_row(const struct req *r, const struct authz_answer *a, struct decision_row *d)
{
	memset(d, 0, sizeof(*d));
	d->decided_at = clock_now();
	d->has_as_of = a->has_at && a->status == 200;
	d->as_of = a->at;
	if (r->signed_in)
		snprintf(d->caller, sizeof(d->caller), "%.63s", r->sess.username);
	memcpy(d->qid, a->qid.s, sizeof(d->qid));
	memcpy(d->est_id, a->est.s, sizeof(d->est_id));
	memcpy(d->service, a->svc.s, sizeof(d->service));
	d->status = a->status;
	d->allowed = a->status == 200 && a->d.allowed;
	snprintf(d->rule, sizeof(d->rule), "%s",
	    a->status == 200 ? authz_rule_name(a->d.rule) : a->code);
	d->grant_id = a->status == 200 ? a->d.grant_id : 0;
	d->revision = a->revision;
}

void
decision_log_record(struct req *r, const struct authz_answer *a)
{
	struct decision_row d;

	if (dl.shared == NULL)
		return;
	pthread_once(&dl.once, start);
	if (dl.shared == NULL)
		return;
	fill_row(r, a, &d);
	pthread_mutex_lock(&dl.mu);
	if (dl.n == dl.cap) {
		pthread_mutex_unlock(&dl.mu);
		atomic_fetch_add(&dl.shared->dropped, 1);
		return;
	}
	dl.rows[dl.n++] = d;
	atomic_fetch_add(&dl.shared->buffered, 1);
	/* Half full: written now. A buffer of one is written by time only
	 * (the overflow test's setting). */
	if (dl.cap >= 2 && dl.n >= dl.cap / 2)
		pthread_cond_signal(&dl.wake);
	pthread_mutex_unlock(&dl.mu);
}

json_t *
decision_log_health(void)
{
	if (dl.shared == NULL)
		return json_pack("{s:b, s:i, s:i}", "enabled", 0, "buffered", 0,
		    "dropped", 0);
	return json_pack("{s:b, s:I, s:I}", "enabled", 1,
	    "buffered", (json_int_t)atomic_load(&dl.shared->buffered),
	    "dropped", (json_int_t)atomic_load(&dl.shared->dropped));
}
