/*
 * rb-scheduler: alert statements on the 1st and 15th, executions on the
 * 8th and 22nd, in Asia/Qatar dates from the injectable clock.
 *
 *   rb-scheduler                 the daemon: a supervisor that restarts its
 *                                worker; the worker runs every cycle due
 *                                since the calendar's first day that has not
 *                                completed (catching up in date order),
 *                                then checks again every RB_SCHED_POLL s
 *   rb-scheduler --once          catch up once, then exit
 *   rb-scheduler run KIND DATE   run one cycle now (alert|execution, YYYY-MM-DD)
 *   rb-scheduler penalties       evaluate the establishments' penalties of every
 *                                day not yet evaluated up to today, then exit
 *   rb-scheduler partitions      create the history's monthly partitions ahead
 *   rb-scheduler archive-partitions --before=YYYY-MM [--dir=DIR]
 *                                detach, dump (DIR, default $RB_VAR/archive),
 *                                verify and drop the months before that one
 *
 * The daemon creates partitions ahead at start and once a day (issue 17 §3).
 * The daemon and --once evaluate penalties too, once a day (issue 15 §2).
 * A cycle renders its statements' workbooks with RB_SCHED_RENDER_WORKERS
 * threads (default the machine's cores) before it is complete (issue 14 §2).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/clock.h"
#include "lib/config.h"
#include "lib/db.h"
#include "lib/log.h"
#include "lib/supervise.h"
#include "notify/catalog.h"
#include "reports/statement.h"
#include "scheduler/cycle.h"
#include "scheduler/partitions.h"
#include "scheduler/render_pool.h"
#include "store/cycle_store.h"
#include "store/penalty_store.h"

/* How long a cycle waits for a lost database before giving up. */
#define DB_LOST_GIVE_UP_S	300

/* The threads rendering a cycle's workbooks (RB_SCHED_RENDER_WORKERS). */
static int render_workers;

/*
 * The cycle, through a restart of PostgreSQL: a lost connection rolls the
 * open batch back, and the cycle goes on from its claims once the server
 * answers again (db_ensure reconnects), so a one-shot `run` finishes like
 * the daemon does. The stats add up every attempt's.
 */
static enum rb_err
cycle_run_resuming(struct db *db, enum cycle_kind kind, struct rb_date date,
    struct cycle_stats *s)
{
	struct cycle_stats part;
	time_t give_up = time(NULL) + DB_LOST_GIVE_UP_S;
	enum rb_err rc;

	memset(s, 0, sizeof(*s));
	for (;;) {
		rc = cycle_run(db, kind, date, render_workers, &supervise_stopping, &part);
		s->companies += part.companies;
		s->statements += part.statements;
		s->renewed += part.renewed;
		s->rejected += part.rejected;
		s->rendered += part.rendered;
		if (rc != RB_EDB || supervise_stopping || time(NULL) > give_up)
			return rc;
		log_warn("%s: the database is unreachable; going on when it answers",
		    cycle_kind_name(kind));
		supervise_sleep(1);
	}
}

static enum rb_err
run_one(struct db *db, enum cycle_kind kind, struct rb_date date)
{
	struct cycle_stats s;
	char d[11];
	enum rb_err rc;

	date_format(date, d);
	rc = cycle_run_resuming(db, kind, date, &s);
	if (rc == RB_OK && (s.companies > 0 || s.rendered > 0))
		log_info("%s %s: %d companies, %d statements, %d renewed, %d not renewed,"
		    " %ld workbooks rendered", cycle_kind_name(kind), d, s.companies,
		    s.statements, s.renewed, s.rejected, s.rendered);
	else if (rc != RB_OK)
		log_error("%s %s: %s", cycle_kind_name(kind), d, rb_strerror(rc));
	return rc;
}

/* The next date of kind after date's: a cycle that can still run. */
static struct rb_date
next_of_kind(enum cycle_kind kind, struct rb_date date)
{
	struct rb_date d = date;

	do
		d.days++;
	while (cycle_kind_of(d) != (int)kind);
	return d;
}

/*
 * `rb-scheduler run KIND DATE`, saying what it did: a person typed it and
 * reads the answer. A cycle runs exactly once per date (SPEC §4), so for
 * one already done it says so, what it wrote, and what can be run instead;
 * a date after the clock's today is a simulation, and is named one.
 */
static enum rb_err
run_once(struct db *db, enum cycle_kind kind, struct rb_date date)
{
	struct cycle_status before;
	struct cycle_stats s;
	struct rb_date today = clock_today();
	char d[11], t[11], next[11];
	const char *k = cycle_kind_name(kind);
	enum rb_err rc;

	date_format(date, d);
	date_format(today, t);
	date_format(next_of_kind(kind, date), next);
	if ((rc = cycle_status(db, kind, date, &before)) != RB_OK) {
		fprintf(stderr, "rb-scheduler: %s %s: %s\n", k, d, rb_strerror(rc));
		return rc;
	}
	if (before.completed) {
		if (before.statements > 0)
			printf("The %s cycle of %s already ran (completed %s) and wrote %lld"
			    " statement%s; they are on each company's Statements page.\n", k, d,
			    before.completed_at, (long long)before.statements,
			    before.statements == 1 ? "" : "s");
		else
			printf("The %s cycle of %s already ran (completed %s) and wrote no"
			    " statements: no subscribed company was due then.\n", k, d,
			    before.completed_at);
		printf("A cycle runs exactly once per date, so running it again changes nothing"
		    " (companies subscribed since then are in the next one).\n"
		    "To run a cycle with today's data, simulate the next %s:\n"
		    "  make cycle KIND=%s DATE=%s\n", k, k, next);
		return RB_OK;
	}
	if (date.days > today.days)
		printf("Simulating the %s cycle of %s (the clock's today is %s): the"
		    " rules apply as on that date, and its statements, debits and"
		    " messages are written as if the date had come.\n", k, d, t);
	if ((rc = cycle_run_resuming(db, kind, date, &s)) != RB_OK) {
		fprintf(stderr, "rb-scheduler: %s %s: %s\n", k, d, rb_strerror(rc));
		return rc;
	}
	printf("The %s cycle of %s: %d companies, %d statements, %d renewed,"
	    " %d not renewed.\n", k, d, s.companies, s.statements, s.renewed, s.rejected);
	return RB_OK;
}

/* Every cycle due from the calendar's first day to today, in date order. */
static enum rb_err
catch_up(struct db *db)
{
	struct rb_date today = clock_today(), first, d;
	enum rb_err rc;

	if ((rc = scheduler_first_day(db, today, &first)) != RB_OK)
		return rc;
	for (d = first; d.days <= today.days && !supervise_stopping; d.days++) {
		int kind = cycle_kind_of(d);

		if (kind >= 0 && (rc = run_one(db, (enum cycle_kind)kind, d)) != RB_OK)
			return rc;
	}
	return RB_OK;
}

/* The establishments' penalties of every day not evaluated up to today. */
static enum rb_err
penalties(struct db *db)
{
	struct penalty_day_stats s;
	enum rb_err rc;

	rc = penalty_catch_up(db, clock_today(), clock_now(), &supervise_stopping, &s);
	if (rc != RB_OK)
		log_error("penalties: %s", rb_strerror(rc));
	return rc;
}

static int
worker(const struct config *cfg, int once)
{
	struct rb_date partitions_day = { -1 };
	struct db db;
	int failed = 0;

	db_init(&db, cfg->sched_conninfo);
	db.async_commit = 1;
	while (!supervise_stopping) {
		struct rb_date today = clock_today();

		/* Before the day's cycle writes into its month. */
		if (today.days != partitions_day.days &&
		    partitions_ahead(&db, today) == RB_OK)
			partitions_day = today;
		failed = catch_up(&db) != RB_OK;
		failed |= penalties(&db) != RB_OK;
		if (once)
			break;
		supervise_sleep(cfg->sched_poll_s);
	}
	db_close(&db);
	return failed;
}

/*
 * `archive-partitions --before=YYYY-MM [--dir=DIR]`, saying what it did. The
 * month must be before the clock's (this month's rows are still written).
 */
static int
archive_partitions(const struct config *cfg, int argc, char **argv)
{
	char dir[1024] = "", month[11];
	const char *var = getenv("RB_VAR");
	struct rb_date before, today = clock_today();
	struct db db;
	enum rb_err rc;
	int i, archived, kept, y, m, d;

	before.days = -1;
	snprintf(dir, sizeof(dir), "%s/archive", var != NULL && *var ? var : "var");
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--before=", 9) == 0 && strlen(argv[i] + 9) == 7) {
			snprintf(month, sizeof(month), "%s-01", argv[i] + 9);
			if (date_parse(month, &before) != RB_OK)
				before.days = -1;
		} else if (strncmp(argv[i], "--dir=", 6) == 0 && argv[i][6] != '\0')
			snprintf(dir, sizeof(dir), "%s", argv[i] + 6);
		else
			before.days = -1, i = argc;
	}
	date_to_ymd(today, &y, &m, &d);
	date_from_ymd(y, m, 1, &today);
	if (before.days < 0 || before.days > today.days) {
		fprintf(stderr, "rb-scheduler: archive-partitions --before=YYYY-MM [--dir=DIR]:"
		    " a month no later than this one (%04d-%02d)\n", y, m);
		return 2;
	}
	db_init(&db, cfg->sched_conninfo);
	rc = partitions_archive(&db, cfg->sched_conninfo, dir, before, &archived, &kept);
	db_close(&db);
	printf("%d partition%s archived into %s, %d kept (still needed: see the log).\n",
	    archived, archived == 1 ? "" : "s", dir, kept);
	return rc == RB_OK ? 0 : 1;
}

static int
daemon_worker(void *cfg)
{
	return worker(cfg, 0);
}

int
main(int argc, char **argv)
{
	static const char *const required[] = { "RB_SCHED_CONNINFO", NULL };
	struct config cfg;
	char err[256];

	if (config_load_as(CONFIG_SCHEDULER, &cfg, err, sizeof(err)) != RB_OK ||
	    config_require(&cfg, required, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "rb-scheduler: %s\n", err);
		return 2;
	}
	clock_init(cfg.clock_file);
	supervise_signals();
	render_workers = render_pool_workers(cfg.sched_render_workers);
	/* The workbooks are written with the catalogue's texts, as the app's
	 * and the notifier's are (kept for the process's life). */
	if (render_workers > 0) {
		struct catalog *cat = NULL;

		if (catalog_load_dir(cfg.locale_dir, &cat, err, sizeof(err)) != RB_OK) {
			fprintf(stderr, "rb-scheduler: %s\n", err);
			return 2;
		}
		report_texts_init(catalog_text, cat);
	}
	if (argc == 4 && strcmp(argv[1], "run") == 0) {
		struct rb_date d;
		struct db db;
		enum cycle_kind kind;
		enum rb_err rc;

		if (strcmp(argv[2], "alert") == 0)
			kind = CYCLE_ALERT;
		else if (strcmp(argv[2], "execution") == 0)
			kind = CYCLE_EXECUTION;
		else {
			fprintf(stderr, "rb-scheduler: the kind is alert or execution\n");
			return 2;
		}
		if (date_parse(argv[3], &d) != RB_OK || cycle_kind_of(d) != (int)kind) {
			fprintf(stderr, "rb-scheduler: %s is not a date of an %s cycle"
			    " (alerts on the 1st and 15th, executions on the 8th and 22nd)\n",
			    argv[3], argv[2]);
			return 2;
		}
		db_init(&db, cfg.sched_conninfo);
		db.async_commit = 1;
		rc = run_once(&db, kind, d);
		db_close(&db);
		return rc == RB_OK ? 0 : 1;
	}
	if (argc == 2 && strcmp(argv[1], "--once") == 0)
		return worker(&cfg, 1);
	if (argc == 2 && strcmp(argv[1], "penalties") == 0) {
		struct db db;
		enum rb_err rc;

		db_init(&db, cfg.sched_conninfo);
		rc = penalties(&db);
		db_close(&db);
		return rc == RB_OK ? 0 : 1;
	}
	if (argc == 2 && strcmp(argv[1], "partitions") == 0) {
		struct db db;
		enum rb_err rc;

		db_init(&db, cfg.sched_conninfo);
		rc = partitions_ahead(&db, clock_today());
		db_close(&db);
		return rc == RB_OK ? 0 : 1;
	}
	if (argc >= 3 && argc <= 4 && strcmp(argv[1], "archive-partitions") == 0)
		return archive_partitions(&cfg, argc - 2, argv + 2);
	if (argc != 1) {
		fprintf(stderr, "usage: rb-scheduler [--once | penalties | partitions |"
		    " archive-partitions --before=YYYY-MM [--dir=DIR] |"
		    " run alert|execution YYYY-MM-DD]\n");
		return 2;
	}
	log_info("scheduler started");
	return supervise(daemon_worker, &cfg, "scheduler");
}
