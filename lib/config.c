#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/config.h"
#include "lib/number.h"

enum setting_type { SET_STR, SET_INT };

struct setting {
	const char		*name;
	enum setting_type	 type;
	const char		*def;
	long			 min, max;
	size_t			 off;
	int			 secret;
	unsigned		 readers;	/* 1 << CONFIG_*: who may read it */
};

/*
 * Which process may read which setting (issue 11 §2): a daemon reads its
 * own settings only, whatever its environment holds, so that a setting
 * given to the wrong process by mistake is never used by it.
 * scripts/stack.sh gives each daemon exactly these (tests/privilege_test.sh
 * compares /proc/<pid>/environ with config_may_read). The operator's tools
 * (CONFIG_TOOL: the loader, the audit verifier, the generator) read all.
 */
#define F	(1u << CONFIG_FCGI)
#define SC	(1u << CONFIG_SCHEDULER)
#define N	(1u << CONFIG_NOTIFIER)
#define ALL	(F | SC | N)
#define NONE	0u

#define S(name, field, def, secret, who) \
	{ name, SET_STR, def, 0, 0, offsetof(struct config, field), secret, who }
#define I(name, field, def, min, max, who) \
	{ name, SET_INT, #def, min, max, offsetof(struct config, field), 0, who }

static const struct setting settings[] = {
	S("RB_DB_CONNINFO",	  db_conninfo,	     "", 1, F),
	S("RB_DB_OWNER_CONNINFO", db_owner_conninfo, "", 1, NONE),
	S("RB_SCHED_CONNINFO",	  sched_conninfo,    "", 1, SC),
	S("RB_LDAP_URI",	  ldap_uri,	     "ldap://127.0.0.1:3890", 0, F),
	S("RB_LDAP_BASE",	  ldap_base,	     "dc=ministry,dc=qa", 0, F),
	S("RB_LDAP_BIND_DN",	  ldap_bind_dn,	     "cn=app,dc=ministry,dc=qa", 0, F),
	S("RB_LDAP_BIND_PW",	  ldap_bind_pw,	     "", 1, F),
	S("RB_LDAP_ADMIN_DN",	  ldap_admin_dn,     "cn=admin,dc=ministry,dc=qa", 0, NONE),
	S("RB_LDAP_ADMIN_PW",	  ldap_admin_pw,     "", 1, NONE),
	S("RB_SOCKET",		  socket_path,	     "var/run/app.sock", 0, F),
	S("RB_SOCKET_GROUP",	  socket_group,	     "www-data", 0, F),
	S("RB_CLOCK_FILE",	  clock_file,	     "", 0, ALL),
	S("RB_LOG_LEVEL",	  log_level,	     "info", 0, ALL),
	I("RB_WORKERS",		  workers,	     1, 1, 64, F),
	I("RB_THREADS",		  threads,	     32, 1, 256, F),
	I("RB_BODY_MAX",	  body_max,	     1048576, 1024, 67108864, F),
	I("RB_UPLOAD_MAX",	  upload_max,	     4194304, 1024, 67108864, F),
	/* An enrollment's three documents of 5 MiB and its form. */
	I("RB_ENROLLMENT_MAX",	  enrollment_max,    16777216, 1024, 67108864, F),
	I("RB_SESSION_IDLE",	  session_idle_s,    900, 60, 86400, F),
	I("RB_SESSION_MAX",	  session_max_s,     28800, 300, 604800, F),
	I("RB_SIGNIN_WINDOW",	  signin_window_s,   900, 10, 86400, F),
	I("RB_SIGNIN_USER_MAX",	  signin_user_max,   5, 1, 1000, F),
	I("RB_SIGNIN_ADDR_MAX",	  signin_addr_max,   50, 1, 100000, F),
	I("RB_SCHED_POLL",	  sched_poll_s,	     30, 1, 3600, SC),
	/* Workbook render workers after a cycle (scheduler/render_pool.c):
	 * -1 = the machine's cores, 0 = none (rendered at first use only). */
	I("RB_SCHED_RENDER_WORKERS", sched_render_workers, -1, -1, 64, SC),
	S("RB_NOTIFY_CONNINFO",	  notify_conninfo,   "", 1, N),
	/* The scheduler's too: it renders the cycle's workbooks (issue 14 §2). */
	S("RB_LOCALE_DIR",	  locale_dir,	     "build/locale", 0, F | N | SC),
	S("RB_PUBLIC_URL",	  public_url,	     "", 0, N),
	I("RB_HTTPS_PORT",	  https_port,	     8443, 1, 65535, N),
	S("RB_SMTP_URL",	  smtp_url,	     "smtp://127.0.0.1:2525", 0, N),
	S("RB_SMTP_FROM",	  smtp_from,	     "no-reply@residency.example", 0, N),
	S("RB_SMTP_USER",	  smtp_user,	     "", 0, N),
	S("RB_SMTP_PASSWORD",	  smtp_password,     "", 1, N),
	S("RB_SMTP_CA_FILE",	  smtp_ca_file,	     "", 0, N),
	I("RB_SMTP_STARTTLS",	  smtp_starttls,     1, 0, 1, N),
	S("RB_SMS_URL",		  sms_url,	     "http://127.0.0.1:8025/v1/messages", 0, N),
	S("RB_SMS_TOKEN",	  sms_token,	     "", 1, N),
	I("RB_NOTIFY_MAX_ATTEMPTS", notify_max_attempts, 12, 1, 100, N),
	I("RB_NOTIFY_BACKOFF",	  notify_backoff_s,  60, 1, 86400, N),
	I("RB_NOTIFY_POLL",	  notify_poll_s,     5, 1, 3600, N),
	I("RB_SEND_TIMEOUT",	  send_timeout_s,    30, 1, 600, N),
	I("RB_NOTIFY_KEEP_DAYS",  notify_keep_days,  180, 1, 3650, N),
	/* The decision log (fcgi/decision_log.c): on/off, entries buffered
	 * per worker, the flush bound. */
	I("RB_DECISION_LOG",	  decision_log,	     1, 0, 1, F),
	I("RB_DECISION_LOG_BUFFER", decision_log_buffer, 16384, 1, 1048576, F),
	I("RB_DECISION_LOG_FLUSH_MS", decision_log_flush_ms, 200, 10, 10000, F),
	/* Grant acceptance (issue 16 §1): 0 = every new grant works at once
	 * (as before); the days a representative has to accept an offer. */
	I("RB_GRANT_ACCEPTANCE",  grant_acceptance,  1, 0, 1, F),
	I("RB_GRANT_ACCEPT_DAYS", grant_accept_days, 7, 1, 90, F),
	/* Shared credentials (issue 16 §5): people per address in a day and
	 * addresses per account in an hour that raise a signal; the proxy
	 * whose X-Forwarded-For names the client (empty: none, nginx is the
	 * edge). */
	I("RB_SIGNAL_ADDR_PEOPLE", signal_addr_people, 5, 2, 100000, F),
	I("RB_SIGNAL_USER_ADDRS", signal_user_addrs, 3, 2, 1000, F),
	S("RB_TRUSTED_PROXY",	  trusted_proxy,     "", 0, F),
	/* A cluster's application host (issue 17 §1): listens on TCP for
	 * the front hosts of RB_FCGI_ALLOW only, and says who it is. */
	S("RB_FCGI_LISTEN",	  fcgi_listen,	     "", 0, F),
	S("RB_FCGI_ALLOW",	  fcgi_allow,	     "", 0, F),
	S("RB_HOST_NAME",	  host_name,	     "", 0, F),

	/* Reads on a streaming replica (issue 17 §2, fcgi/replica.c). */
	S("RB_DB_REPLICA_CONNINFO", db_replica_conninfo, "", 1, F),
	I("RB_REPLICA_WAIT_MS",	  replica_wait_ms,   200, 0, 5000, F),
	I("RB_REPLICA_MAX_LAG_MS", replica_max_lag_ms, 10000, 100, 3600000, F),
	I("RB_REPLICA_MAX_LAG_BYTES", replica_max_lag_bytes, 67108864, 1024, 17179869184, F),
	I("RB_REPLICA_CHECK_MS",  replica_check_ms,  1000, 10, 60000, F),
};

/*
 * The address emails link to. Links are built by appending a route
 * ("{site}#/verify?code=..."), so it always ends in "/": without it
 * https://host/app would lose its last segment.
 */
static enum rb_err
public_url(struct config *cfg, char *err, size_t errsz)
{
	size_t cap = sizeof(cfg->public_url_buf);
	int n;

	if (*cfg->public_url == '\0')
		n = snprintf(cfg->public_url_buf, cap, "https://127.0.0.1:%ld/",
		    cfg->https_port);
	else
		n = snprintf(cfg->public_url_buf, cap, "%s%s", cfg->public_url,
		    cfg->public_url[strlen(cfg->public_url) - 1] == '/' ? "" : "/");
	if (n < 0 || (size_t)n >= cap) {
		snprintf(err, errsz, "RB_PUBLIC_URL: longer than %zu characters", cap - 2);
		return RB_EINVAL;
	}
	if (strncmp(cfg->public_url_buf, "https://", 8) != 0 &&
	    strncmp(cfg->public_url_buf, "http://", 7) != 0) {
		snprintf(err, errsz, "RB_PUBLIC_URL: must start with https:// or http://");
		return RB_EINVAL;
	}
	cfg->public_url = cfg->public_url_buf;
	return RB_OK;
}

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

/* An IPv4 address, the only kind libfcgi's FCGI_WEB_SERVER_ADDRS checks. */
static int
ipv4_ok(const char *s, size_t n)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr a;

	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET, buf, &a) == 1;
}

/*
 * RB_FCGI_LISTEN is "address:port" on the host's own address (never
 * 0.0.0.0: a host has other interfaces), and a TCP listener without the
 * list of front hosts allowed to connect would serve anyone who can reach
 * the port, so RB_FCGI_ALLOW is then required.
 */
static enum rb_err
fcgi_tcp(const struct config *cfg, char *err, size_t errsz)
{
	const char *colon, *p, *e;
	int64_t port;

	if (*cfg->fcgi_listen == '\0')
		return RB_OK;
	colon = strrchr(cfg->fcgi_listen, ':');
	if (colon == NULL || !ipv4_ok(cfg->fcgi_listen, (size_t)(colon - cfg->fcgi_listen)) ||
	    strncmp(cfg->fcgi_listen, "0.0.0.0:", 8) == 0 ||
	    int_parse(colon + 1, 1, 65535, &port) != RB_OK) {
		snprintf(err, errsz, "RB_FCGI_LISTEN: must be an IPv4 address of this host and"
		    " a port, e.g. 10.77.0.11:9000");
		return RB_EINVAL;
	}
	if (*cfg->fcgi_allow == '\0') {
		snprintf(err, errsz, "RB_FCGI_ALLOW: required with RB_FCGI_LISTEN (the front"
		    " hosts' addresses, comma separated)");
		return RB_EINVAL;
	}
	for (p = cfg->fcgi_allow; ; p = e + 1) {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		if (!ipv4_ok(p, (size_t)(e - p))) {
			snprintf(err, errsz, "RB_FCGI_ALLOW: IPv4 addresses separated by commas");
			return RB_EINVAL;
		}
		if (*e == '\0')
			break;
	}
	return RB_OK;
}

static int
may_read(enum config_proc who, const struct setting *s)
{
	return who == CONFIG_TOOL || (s->readers & (1u << who)) != 0;
}

/* The setting called name, or NULL. */
static const struct setting *
setting_named(const char *name)
{
	size_t i;

	for (i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].name, name) == 0)
			return &settings[i];
	return NULL;
}

int
config_may_read(enum config_proc who, const char *name)
{
	const struct setting *s = setting_named(name);

	return s != NULL && may_read(who, s);
}

int
config_is_secret(const char *name)
{
	const struct setting *s = setting_named(name);

	return s != NULL && s->secret;
}

enum rb_err
config_load(struct config *cfg, char *err, size_t errsz)
{
	return config_load_as(CONFIG_TOOL, cfg, err, errsz);
}

enum rb_err
config_load_as(enum config_proc who, struct config *cfg, char *err, size_t errsz)
{
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];
		/* Another process's setting is not even looked at: its default. */
		const char *v = may_read(who, s) ? getenv(s->name) : NULL;
		int64_t n;

		if (v == NULL || *v == '\0')
			v = s->def;
		if (s->type == SET_STR) {
			*(const char **)((char *)cfg + s->off) = v;
			continue;
		}
		if (int_parse(v, s->min, s->max, &n) != RB_OK) {
			snprintf(err, errsz, "%s: must be an integer in %ld..%ld",
			    s->name, s->min, s->max);
			return RB_EINVAL;
		}
		*(long *)((char *)cfg + s->off) = (long)n;
	}
	if (fcgi_tcp(cfg, err, errsz) != RB_OK)
		return RB_EINVAL;
	return public_url(cfg, err, errsz);
}

void
config_print(const struct config *cfg)
{
	size_t i;

	for (i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];
		const char *p = (const char *)cfg + s->off;

		if (s->type == SET_INT)
			printf("%s=%ld\n", s->name, *(const long *)p);
		else if (s->secret)
			printf("%s=%s\n", s->name,
			    **(const char *const *)p ? "(set)" : "(empty)");
		else
			printf("%s=%s\n", s->name, *(const char *const *)p);
	}
}

enum rb_err
config_require(const struct config *cfg, const char *const *names,
    char *err, size_t errsz)
{
	const struct setting *s;
	size_t j;

	for (j = 0; names[j] != NULL; j++) {
		/* A misspelt name is a bug, not a setting that happens to be set. */
		if ((s = setting_named(names[j])) == NULL || s->type != SET_STR) {
			snprintf(err, errsz, "%s: unknown text setting", names[j]);
			return RB_EINTERNAL;
		}
		if (**(const char *const *)((const char *)cfg + s->off) == '\0') {
			snprintf(err, errsz, "%s is not set", names[j]);
			return RB_EINVAL;
		}
	}
	return RB_OK;
}
