#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "scheduler/company_cycle.h"
#include "scheduler/cycle.h"
#include "scheduler/render_pool.h"
#include "notify/outbox.h"
#include "store/audit.h"
#include "store/cycle_store.h"
#include "store/renewal_plan.h"
#include "store/statement_store.h"

/* Conflicts and serialization failures retried in a row before giving up. */
#define MAX_RETRIES	3
/*
 * Companies per transaction: their facts are loaded in one query each and
 * they commit together. A crash loses at most this many companies' work,
 * which the rerun does again; larger batches save little once commits
 * are a small share of the time.
 */
#define CYCLE_BATCH	32

/*
 * Tests only (tests/integration/scheduler.c): RB_SCHED_TEST_CRASH_AFTER=N
 * kills the process (SIGKILL, as a crash) once N companies of this run are
 * decided, inside their batch's transaction, before anything of the batch
 * is written; with RB_SCHED_TEST_CRASH_WRITTEN=1, once that batch's
 * debits, statements, lines, renewed permits and deliveries are written,
 * before its messages, audit and commit.
 */
static long
crash_after(void)
{
	const char *v = getenv("RB_SCHED_TEST_CRASH_AFTER");

	return v ? strtol(v, NULL, 10) : 0;
}

/*
 * Tests only: RB_SCHED_TEST_BATCH_DELAY_MS=N waits N ms after each batch's
 * commit, so that a test can stop PostgreSQL while a run is surely in
 * progress (a run of a few batches is over in well under a second).
 */
static void
batch_delay(void)
{
	const char *v = getenv("RB_SCHED_TEST_BATCH_DELAY_MS");
	long ms = v ? strtol(v, NULL, 10) : 0;
	struct timespec ts;

	if (ms <= 0 || ms > 10000)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

static int
crash_written(void)
{
	const char *v = getenv("RB_SCHED_TEST_CRASH_WRITTEN");

	return v != NULL && strcmp(v, "1") == 0;
}

/*
 * Writes the batch's statements and their lines in one round trip, then
 * (executions) its renewed permits and deliveries in one more.
 */
static enum rb_err
batch_write(struct db *db, enum cycle_kind kind, int64_t id, int64_t now,
    struct renewal_batch *b, struct company_work *w)
{
	const struct statement **sts = xcalloc(2 * b->n + 1, sizeof(*sts));
	const struct renewal_plan **plans = xcalloc(b->n + 1, sizeof(*plans));
	int64_t *ids = xcalloc(2 * b->n + 1, sizeof(*ids));
	size_t i, ns = 0, np = 0, k = 0;
	enum rb_err rc;

	for (i = 0; i < b->n; i++) {
		if (!w[i].part)
			continue;
		sts[ns++] = &w[i].st;
		if (kind == CYCLE_EXECUTION)
			sts[ns++] = &w[i].debit_st;
		plans[np++] = &b->plans[i];
	}
	if ((rc = statement_insert_batch(db, sts, ns, id, now, ids)) != RB_OK)
		goto out;
	for (i = 0; i < b->n; i++) {
		if (!w[i].part)
			continue;
		w[i].sid = ids[k++];
		if (kind == CYCLE_EXECUTION)
			w[i].debit_sid = ids[k++];
	}
	if (kind == CYCLE_EXECUTION)
		rc = renewal_plan_apply_batch(db, plans, np, id);
out:
	free(sts);
	free(plans);
	free(ids);
	return rc;
}

/*
 * The cycle's window snapshot, read once as this instance starts on it
 * (store/renewal_store.h). Without fee rules in force there is none: each
 * batch then finds that out itself and fails as before.
 */
static enum rb_err
window_open(struct db *db, enum cycle_kind kind, struct rb_date date,
    struct renewal_window *w)
{
	struct rb_date exec = kind == CYCLE_ALERT ? cycle_next_execution(date) : date;
	struct renewal_rules rules;
	enum rb_err rc;

	memset(w, 0, sizeof(*w));
	if ((rc = renewal_rules_load(db, exec, &rules)) == RB_ENOTFOUND)
		return RB_OK;
	return rc == RB_OK ? renewal_window_load(db, exec, &rules, w) : rc;
}

/* One batch's work in the open transaction: every company of it, or an error. */
static enum rb_err
batch_cycle(struct db *db, enum cycle_kind kind, struct rb_date date, int64_t id,
    const struct renewal_window *win, const char *const *est, size_t n,
    struct cycle_stats *stats, long *seen, long crash)
{
	struct rb_date exec = kind == CYCLE_ALERT ? cycle_next_execution(date) : date;
	struct cycle_stats s = *stats;
	struct audit_ctx a = { "scheduler", "", clock_now() };
	struct company_work *w = xcalloc(n ? n : 1, sizeof(*w));
	struct renewal_plan **taking = xcalloc(n ? n : 1, sizeof(*taking));
	struct cycle_batch_out out;
	struct renewal_batch b;
	enum rb_err rc;
	size_t i, nt = 0;
	int die = 0;

	out.now = a.now;
	out.msgs = json_array();
	audit_batch_init(&out.audit);
	if ((rc = renewal_batch_load(db, est, n, exec, win, &b)) != RB_OK)
		goto out;
	/* Which companies take part, each decided (an alert simulates its bank). */
	for (i = 0; i < n; i++) {
		if ((rc = company_takes_part(kind, &b.plans[i], &w[i].part)) == RB_OK &&
		    w[i].part) {
			taking[nt++] = &b.plans[i];
			if (kind == CYCLE_ALERT)
				rc = renewal_plan_simulate(&b.plans[i]);
		}
		if (rc != RB_OK) {
			log_error("%s %lld: company %s failed: %s", cycle_kind_name(kind),
			    (long long)id, est[i], rb_strerror(rc));
			goto out;
		}
		if (crash > 0 && ++*seen >= crash)
			die = 1;
	}
	if (die && !crash_written())
		raise(SIGKILL);
	/* An execution's debits, the whole batch's in one round trip. */
	if (kind == CYCLE_EXECUTION &&
	    (rc = renewal_batch_debit(db, taking, nt, id, a.now)) != RB_OK)
		goto out;
	for (i = 0; i < n; i++)
		if (w[i].part && (rc = company_statements(kind, date, &b.plans[i], &w[i], &s)) !=
		    RB_OK)
			goto out;
	if ((rc = batch_write(db, kind, id, a.now, &b, w)) != RB_OK)
		goto out;
	if (die)
		raise(SIGKILL);
	for (i = 0; i < n; i++)
		if (w[i].part)
			company_finish(kind, date, &b.plans[i], &w[i], &out);
	/* The audit trail's lock is taken last, held only until the commit. */
	if ((rc = outbox_add_batch(db, a.now, NULL, out.msgs)) == RB_OK &&
	    (rc = cycle_mark_done(db, id, est, n, clock_now())) == RB_OK &&
	    (rc = audit_batch_append(db, &a, &out.audit)) == RB_OK &&
	    (rc = db_commit(db)) == RB_OK) {
		s.companies += (int)n;
		*stats = s;
	}
out:
	for (i = 0; i < n; i++)
		company_work_free(&w[i]);
	free(w);
	free(taking);
	audit_batch_free(&out.audit);
	json_decref(out.msgs);
	renewal_batch_free(&b);
	return rc;
}

enum rb_err
cycle_run(struct db *db, enum cycle_kind kind, struct rb_date date, int render_workers,
    volatile sig_atomic_t *stop, struct cycle_stats *stats)
{
	char claimed[CYCLE_BATCH][9], after[9] = "";
	const char *est[CYCLE_BATCH];
	struct renewal_window win;
	int64_t id;
	int completed, retries = 0;
	long seen = 0, crash = crash_after();
	size_t i, n = 0, isolate = 0;
	enum rb_err rc;

	memset(stats, 0, sizeof(*stats));
	for (i = 0; i < CYCLE_BATCH; i++)
		est[i] = claimed[i];
	if ((rc = cycle_open(db, kind, date, clock_now(), &id, &completed)) != RB_OK ||
	    completed)
		return rc;
	if ((rc = window_open(db, kind, date, &win)) != RB_OK)
		return rc;
	while (!*stop) {
		n = 0;
		if ((rc = db_begin(db)) != RB_OK) {
			renewal_window_free(&win);
			return rc;
		}
		if ((rc = cycle_claim_batch(db, id, after, isolate ? 1 : CYCLE_BATCH, claimed,
		    &n)) != RB_OK)
			goto fail;
		if (n == 0) {
			db_rollback(db);
			/* One more pass from the start for what failed or was skipped. */
			if (after[0] == '\0')
				break;
			after[0] = '\0';
			continue;
		}
		if ((rc = batch_cycle(db, kind, date, id, &win, est, n, stats, &seen, crash)) !=
		    RB_OK)
			goto fail;
		snprintf(after, sizeof(after), "%s", claimed[n - 1]);
		batch_delay();
		retries = 0;
		isolate -= isolate > 0;
		continue;
fail:
		db_rollback(db);
		log_error("%s %lld: batch after %s failed: %s", cycle_kind_name(kind),
		    (long long)id, after[0] ? after : "the start", rb_strerror(rc));
		/* A conflict (another instance) or a serialization failure is
		 * retried. */
		if ((rc == RB_ECONFLICT || rc == RB_ERETRY) && ++retries <= MAX_RETRIES)
			continue;
		/* Anything else stops this run at the company that fails (retried
		 * at the next run), the companies before it in its batch done:
		 * the batch is done again one company per transaction. */
		if (n > 1 && rc != RB_EDB) {
			isolate = n;
			retries = 0;
			continue;
		}
		renewal_window_free(&win);
		return rc;
	}
	renewal_window_free(&win);
	if (*stop)
		return RB_OK;
	/*
	 * Every company is committed (or this run stopped at one that fails,
	 * and the cycle stays incomplete anyway): its workbooks now, before
	 * "complete", so that complete means every statement of the cycle
	 * downloads at once. A rerun after a crash here finds no company left
	 * and renders the rest; a second instance renders beside this one.
	 */
	if ((rc = render_pool_run(db->conninfo, id, render_workers, stop,
	    &stats->rendered)) != RB_OK || *stop)
		return rc;
	return cycle_complete(db, id, clock_now(), render_workers > 0);
}
