#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/db.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "reports/statement.h"
#include "scheduler/render_pool.h"
#include "store/statement_workbook.h"

/* A ceiling for the setting's "cores": more threads than this gains nothing
 * on one database and costs a connection each. */
#define WORKERS_MAX	64

struct pool {
	const char		*conninfo;
	int64_t			 cycle_id;
	volatile sig_atomic_t	*stop;
	atomic_long		 rendered;
	atomic_int		 failed;	/* the first failure's enum rb_err, 0 none */
	long			 crash;		/* tests: RB_SCHED_TEST_CRASH_RENDER */
};

int
render_pool_workers(long setting)
{
	long n = setting;

	if (n < 0 && (n = sysconf(_SC_NPROCESSORS_ONLN)) < 1)
		n = 1;
	return (int)(n > WORKERS_MAX ? WORKERS_MAX : n);
}

/*
 * One statement: claimed, rendered and recorded in one transaction, so
 * that a worker killed mid-way leaves it unrendered (and unlocked) for the
 * rerun, and two workers never render the same one. *id: the one done, 0
 * when none is left after `after`.
 */
static enum rb_err
render_one(struct db *db, int64_t cycle_id, int64_t after, int64_t *id)
{
	char name[STATEMENT_FILE_NAME_MAX];
	uint8_t *wb = NULL;
	size_t len = 0;
	enum rb_err rc;

	if ((rc = db_begin(db)) != RB_OK)
		return rc;
	if ((rc = statement_workbook_claim(db, cycle_id, after, id)) == RB_OK && *id != 0)
		rc = statement_workbook_get(db, *id, statement_workbook, &wb, &len, name);
	free(wb);
	if (rc == RB_OK && (rc = db_commit(db)) == RB_OK)
		return RB_OK;
	db_rollback(db);
	return rc;
}

static void *
worker_main(void *arg)
{
	struct pool *p = arg;
	struct db db;
	int64_t after = 0, id;
	int passes = 0;
	enum rb_err rc = RB_OK;

	db_init(&db, p->conninfo);
	db.async_commit = 1;
	/* Forward from the start; then one more pass from the start for any
	 * skipped while another worker held it (rendered by then, or, if
	 * that worker failed, by this one now). */
	while (!*p->stop && passes < 2) {
		if ((rc = render_one(&db, p->cycle_id, after, &id)) != RB_OK) {
			log_error("cycle %lld: statement after %lld: workbook not rendered: %s",
			    (long long)p->cycle_id, (long long)after, rb_strerror(rc));
			atomic_compare_exchange_strong(&p->failed, &(int){ 0 }, (int)rc);
			break;
		}
		if (id == 0) {
			after = 0;
			passes++;
			continue;
		}
		after = id;
		passes = 0;
		if (atomic_fetch_add(&p->rendered, 1) + 1 >= p->crash && p->crash > 0)
			raise(SIGKILL);
	}
	db_close(&db);
	return NULL;
}

/* One round: workers threads until none finds a statement to claim. */
static enum rb_err
render_round(struct pool *p, int workers)
{
	pthread_t *th = xcalloc((size_t)workers, sizeof(*th));
	int i, started = 0;

	for (i = 0; i < workers; i++)
		if (pthread_create(&th[i], NULL, worker_main, p) == 0)
			started++;
		else
			break;
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	if (started == 0)
		return RB_EINTERNAL;
	return (enum rb_err)atomic_load(&p->failed);
}

/*
 * Rounds before giving up: a round ends with statements left only when
 * another instance's workers held them (skipped); the next round comes
 * after those are committed or released, so more than a few means
 * something keeps failing.
 */
#define ROUNDS_MAX	10

enum rb_err
render_pool_run(const char *conninfo, int64_t cycle_id, int workers,
    volatile sig_atomic_t *stop, long *rendered)
{
	const char *crash = getenv("RB_SCHED_TEST_CRASH_RENDER");
	struct pool p;
	struct db db;
	int64_t left = 0;
	int round;
	enum rb_err rc = RB_OK;

	*rendered = 0;
	if (workers <= 0)
		return RB_OK;
	memset(&p, 0, sizeof(p));
	p.conninfo = conninfo;
	p.cycle_id = cycle_id;
	p.stop = stop;
	/* Tests only (tests/integration/scheduler_render.c): killed (SIGKILL,
	 * as a crash) once this many workbooks of this run are recorded. */
	p.crash = crash ? strtol(crash, NULL, 10) : 0;
	atomic_init(&p.rendered, 0);
	atomic_init(&p.failed, 0);
	db_init(&db, conninfo);
	for (round = 0; round < ROUNDS_MAX; round++) {
		if ((rc = render_round(&p, workers)) != RB_OK || *stop)
			break;
		/* Counted, not assumed: complete is promised only when true. */
		if ((rc = statement_workbook_unrendered(&db, cycle_id, &left)) != RB_OK ||
		    left == 0)
			break;
		if ((rc = statement_workbook_wait(&db, cycle_id)) != RB_OK)
			break;
	}
	db_close(&db);
	*rendered = atomic_load(&p.rendered);
	if (rc == RB_OK && !*stop && left > 0) {
		log_error("cycle %lld: %lld statements still without a workbook",
		    (long long)cycle_id, (long long)left);
		rc = RB_EINTERNAL;
	}
	return rc;
}
