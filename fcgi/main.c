/*
 * rb-fcgi: the FastCGI application. A supervisor process opens the unix
 * socket (mode 0660, group of nginx), forks RB_WORKERS workers and
 * replaces any that dies (lib/supervise.c). Each worker runs RB_THREADS threads that accept
 * on the shared socket independently (no accept mutex) and own one
 * database connection each, and one more thread that keeps the worker's
 * decision index (fcgi/authz_follower.c). The index is the process's, so
 * its memory is paid once per worker process: at national scale run one
 * process with many threads (RB_WORKERS=1, RB_THREADS=32), not many
 * processes.
 */
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "fcgi/decision_log.h"
#include "fcgi/authz_follower.h"
#include "fcgi/http.h"
#include "fcgi/metrics.h"
#include "fcgi/replica.h"
#include "fcgi/router.h"
#include "lib/clock.h"
#include "notify/catalog.h"
#include "lib/log.h"
#include "lib/supervise.h"
#include "lib/xalloc.h"
#include "reports/statement.h"

static struct config cfg;
/* The message catalogues, loaded once in main before the fork: the
 * workbooks' texts (reports/texts.c) and the residents' sentences read
 * them; freed when main ends. */
static struct catalog *catalog;
static int listen_fd = -1;

/* Counts the request (fcgi/metrics.h) and writes its access line. */
static void
request_done(const struct req *r, const struct timespec *t0)
{
	struct timespec t1;
	double s;
	size_t slot = r->route != NULL ? (size_t)(r->route - routes) :
	    strcmp(r->path, "/metrics") == 0 ? METRICS_SLOT_SCRAPE(nroutes) :
	    METRICS_SLOT_UNMATCHED(nroutes);

	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
	metrics_count(slot, r->status, s);
	log_request(r->method, r->path, r->route != NULL ? r->route->pattern :
	    slot == METRICS_SLOT_SCRAPE(nroutes) ? "/metrics" : "unmatched", r->status, s * 1000);
}

static void
handle(struct worker *w, FCGX_Request *fr)
{
	struct req r;
	const char *uri, *q;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);

	memset(&r, 0, sizeof(r));
	r.fcgx = fr;
	r.w = w;
	r.db = &w->db;
	r.method = FCGX_GetParam("REQUEST_METHOD", fr->envp);
	uri = FCGX_GetParam("REQUEST_URI", fr->envp);
	r.query = FCGX_GetParam("QUERY_STRING", fr->envp);
	r.content_type = FCGX_GetParam("CONTENT_TYPE", fr->envp);
	r.remote_addr = FCGX_GetParam("REMOTE_ADDR", fr->envp);
	r.request_id = FCGX_GetParam("REQUEST_ID", fr->envp);
	r.csrf_header = FCGX_GetParam("HTTP_X_CSRF_TOKEN", fr->envp);
	if (r.method == NULL)
		r.method = "GET";
	if (r.remote_addr == NULL)
		r.remote_addr = "";
	if (uri == NULL)
		uri = "/";
	log_set_request_id(r.request_id);
	q = strchr(uri, '?');
	r.path = q ? xstrndup(uri, (size_t)(q - uri)) : xstrdup(uri);
	if (strcmp(r.path, "/metrics") == 0)
		h_metrics(&r);
	else
		router_dispatch(&r);
	if (!r.responded)
		resp_error(&r, 500, "internal", "no response");
	request_done(&r, &t0);
	/* Never leave a transaction open on a pooled connection. */
	db_rollback(&w->db);
	free(r.path);
	free(r.body);
	free(r.set_cookie);
	log_set_request_id(NULL);
}

static void *
thread_main(void *arg)
{
	struct worker w;
	FCGX_Request fr;

	(void)arg;
	w.cfg = &cfg;
	w.cat = catalog;
	db_init(&w.db, cfg.db_conninfo);
	replica_worker_init(&w);
	if (FCGX_InitRequest(&fr, listen_fd, 0) != 0) {
		log_error("FCGX_InitRequest failed");
		replica_worker_close(&w);
		db_close(&w.db);
		return NULL;
	}
	while (FCGX_Accept_r(&fr) >= 0) {
		handle(&w, &fr);
		FCGX_Finish_r(&fr);
	}
	FCGX_Free(&fr, 1);
	replica_worker_close(&w);
	db_close(&w.db);
	return NULL;
}

/* One worker process: RB_THREADS threads accepting on the shared socket.
 * Never returns: the threads only end when the process is killed, and
 * _exit() skips atexit work that would race them. */
static int
worker_main(void *arg)
{
	pthread_t *th = xcalloc((size_t)cfg.threads, sizeof(*th));
	long i;

	(void)arg;
	signal(SIGPIPE, SIG_IGN);
	/* Threads blocked in accept() cannot poll a flag: SIGTERM from the
	 * supervisor ends the worker at once. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	/* The decision index loads beside the threads: until it is current
	 * the checks ask PostgreSQL, so a restart never stops answering. */
	authz_follower_start(&cfg);
	for (i = 0; i < cfg.threads; i++)
		if (pthread_create(&th[i], NULL, thread_main, NULL) != 0) {
			log_error("pthread_create failed");
			_exit(1);
		}
	for (i = 0; i < cfg.threads; i++)
		pthread_join(th[i], NULL);
	free(th);
	_exit(1);
}

static int
open_socket(void)
{
	struct group *gr;
	mode_t old;

	if (*cfg.fcgi_listen != '\0') {
		/* A cluster's application host: TCP on its own address; libfcgi
		 * closes connections from anyone but FCGI_WEB_SERVER_ADDRS. */
		listen_fd = FCGX_OpenSocket(cfg.fcgi_listen, 1024);
		if (listen_fd < 0) {
			log_error("cannot listen on %s", cfg.fcgi_listen);
			return -1;
		}
		return 0;
	}
	unlink(cfg.socket_path);
	/* The socket is born 0660: no window in which others can connect. */
	old = umask(0117);
	listen_fd = FCGX_OpenSocket(cfg.socket_path, 1024);
	umask(old);
	if (listen_fd < 0) {
		log_error("cannot listen on %s", cfg.socket_path);
		return -1;
	}
	if ((gr = getgrnam(cfg.socket_group)) != NULL &&
	    chown(cfg.socket_path, (uid_t)-1, gr->gr_gid) != 0)
		log_warn("chown %s: %s", cfg.socket_path, strerror(errno));
	return 0;
}

int
main(int argc, char **argv)
{
	static const char *const required[] = { "RB_DB_CONNINFO", "RB_LDAP_BIND_PW", NULL };
	char err[256];

	if (argc > 1 && strcmp(argv[1], "--routes") == 0) {
		router_print();
		return 0;
	}
	if (config_load_as(CONFIG_FCGI, &cfg, err, sizeof(err)) != RB_OK ||
	    config_require(&cfg, required, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "rb-fcgi: %s\n", err);
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "--check-config") == 0) {
		config_print(&cfg);
		return 0;
	}
	if (strcmp(cfg.log_level, "debug") == 0)
		log_set_level(LOG_LVL_DEBUG);
	clock_init(cfg.clock_file);
	/* Before the fork: every worker shares the loaded catalogues. */
	if (catalog_load_dir(cfg.locale_dir, &catalog, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "rb-fcgi: message catalogues: %s\n", err);
		return 1;
	}
	report_texts_init(catalog_text, catalog);
	/* libfcgi reads the allowed front hosts in FCGX_Init (config.c made
	 * sure the list is given with a TCP address). */
	if (*cfg.fcgi_listen != '\0' && setenv("FCGI_WEB_SERVER_ADDRS", cfg.fcgi_allow, 1) != 0)
		return 1;
	if (FCGX_Init() != 0 || open_socket() < 0 || metrics_init(nroutes) != RB_OK)
		return 1;

	decision_log_init(&cfg);	/* before the fork: shared counters */
	supervise_signals();
	signal(SIGPIPE, SIG_IGN);
	authz_shared_init();
	log_info("listening on %s with %ld workers x %ld threads",
	    *cfg.fcgi_listen != '\0' ? cfg.fcgi_listen : cfg.socket_path, cfg.workers, cfg.threads);
	/* 200 ms between replacements: the pool is serving requests, so a
	 * dead worker comes back sooner than a daemon's would. */
	supervise_pool(worker_main, NULL, "fcgi", cfg.workers, 200);
	if (*cfg.fcgi_listen == '\0')
		unlink(cfg.socket_path);
	catalog_free(catalog);
	log_info("stopped");
	return 0;
}
