/*
 * rb-notifier: delivers the outbox (emails with statements, SMS) with
 * retries; see deliver.h.
 *
 *   rb-notifier [--workers N]  the daemon: a supervisor that keeps N workers
 *                        (default 2, one per core of the machine it was sized
 *                        for) sharing the queue, each delivering what is due
 *                        every RB_NOTIFY_POLL s
 *   rb-notifier --once   one worker: deliver what is due now, then exit
 *                        (tests, cron; run several at once to share a queue)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "lib/clock.h"
#include "lib/config.h"
#include "lib/db.h"
#include "lib/log.h"
#include "lib/supervise.h"
#include "notifier/deliver.h"
#include "reports/statement.h"
#include "notify/catalog.h"

#define PURGE_EVERY_S	3600
#define WORKERS_DEFAULT	2
#define WORKERS_MAX	64

struct notifier {
	const struct config	*cfg;
	struct catalog		*cat;	/* owned by main */
};

static int
worker(const struct notifier *n, int once)
{
	struct deliver_stats st;
	struct deliverer d;
	struct db db, wbdb;
	int64_t last_purge = 0;
	int failed = 0;

	db_init(&db, n->cfg->notify_conninfo);
	db_init(&wbdb, n->cfg->notify_conninfo);
	d.db = &db;
	d.wbdb = &wbdb;
	d.cfg = n->cfg;
	d.cat = n->cat;
	d.smtp = smtp_sender_new(n->cfg);
	d.sms = sms_sender_new(n->cfg);
	while (!supervise_stopping) {
		enum rb_err rc = deliver_due(&d, &supervise_stopping, &st);
		long deleted = 0;

		failed = rc != RB_OK;
		if (failed)
			log_error("delivery stopped: %s", rb_strerror(rc));
		if (st.sent || st.retried || st.parked || st.undeliverable)
			log_info("delivered %ld (%ld the SMS gateway had already), to retry %ld,"
			    " parked %ld, undeliverable %ld", st.sent, st.repeats, st.retried,
			    st.parked, st.undeliverable);
		/* Old sent messages: at every one-shot run, hourly for the daemon. */
		if (once || clock_now() - last_purge >= PURGE_EVERY_S) {
			if (deliver_purge(&d, &deleted) == RB_OK)
				last_purge = clock_now();
			if (deleted > 0)
				log_info("deleted %ld sent messages older than %ld days", deleted,
				    n->cfg->notify_keep_days);
		}
		if (once)
			break;
		supervise_sleep(n->cfg->notify_poll_s);
	}
	smtp_sender_free(d.smtp);
	sms_sender_free(d.sms);
	db_close(&wbdb);
	db_close(&db);
	return failed;
}

static int
daemon_worker(void *n)
{
	return worker(n, 0);
}

int
main(int argc, char **argv)
{
	static const char *const required[] = { "RB_NOTIFY_CONNINFO", NULL };
	struct notifier n;
	struct config cfg;
	char err[512], *end;
	long workers = WORKERS_DEFAULT;
	int rc, once = 0;

	if (config_load_as(CONFIG_NOTIFIER, &cfg, err, sizeof(err)) != RB_OK ||
	    config_require(&cfg, required, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "rb-notifier: %s\n", err);
		return 2;
	}
	if (argc == 2 && strcmp(argv[1], "--once") == 0)
		once = 1;
	else if (argc == 3 && strcmp(argv[1], "--workers") == 0)
		workers = strtol(argv[2], &end, 10) * (*end == '\0');
	else if (argc != 1)
		workers = 0;
	if (workers < 1 || workers > WORKERS_MAX) {
		fprintf(stderr, "usage: rb-notifier [--once | --workers N (1 to %d)]\n",
		    WORKERS_MAX);
		return 2;
	}
	clock_init(cfg.clock_file);
	n.cfg = &cfg;
	if (catalog_load_dir(cfg.locale_dir, &n.cat, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "rb-notifier: %s\n", err);
		return 2;
	}
	/* The statements it attaches are written with the same catalogue. */
	report_texts_init(catalog_text, n.cat);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	supervise_signals();
	if (once)
		rc = worker(&n, 1);
	else {
		log_info("notifier started, %ld workers", workers);
		rc = supervise_pool(daemon_worker, &n, "notifier", workers, 1000);
	}
	catalog_free(n.cat);
	curl_global_cleanup();
	return rc;
}
