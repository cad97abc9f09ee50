/*
 * Every setting, in one table (config.c): name, type, default and range.
 * Settings come from the environment (scripts/stack.sh writes them to
 * var/stack.env for the operator's tools, and to var/env/<process>.env
 * with each daemon's own); nothing else reads the environment.
 */
#ifndef RB_CONFIG_H
#define RB_CONFIG_H

#include <stddef.h>

#include "lib/rb_err.h"

struct config {
	const char	*db_conninfo;		/* RB_DB_CONNINFO */
	const char	*db_owner_conninfo;	/* RB_DB_OWNER_CONNINFO */
	const char	*sched_conninfo;	/* RB_SCHED_CONNINFO */
	const char	*ldap_uri;		/* RB_LDAP_URI */
	const char	*ldap_base;		/* RB_LDAP_BASE */
	const char	*ldap_bind_dn;		/* RB_LDAP_BIND_DN */
	const char	*ldap_bind_pw;		/* RB_LDAP_BIND_PW */
	const char	*ldap_admin_dn;		/* RB_LDAP_ADMIN_DN */
	const char	*ldap_admin_pw;		/* RB_LDAP_ADMIN_PW */
	const char	*socket_path;		/* RB_SOCKET */
	const char	*socket_group;		/* RB_SOCKET_GROUP */
	const char	*clock_file;		/* RB_CLOCK_FILE */
	const char	*log_level;		/* RB_LOG_LEVEL */
	long		 workers;		/* RB_WORKERS */
	long		 threads;		/* RB_THREADS */
	long		 body_max;		/* RB_BODY_MAX, bytes */
	long		 upload_max;		/* RB_UPLOAD_MAX, bytes: CSV uploads */
	long		 enrollment_max;	/* RB_ENROLLMENT_MAX, bytes */
	long		 session_idle_s;	/* RB_SESSION_IDLE */
	long		 session_max_s;		/* RB_SESSION_MAX */
	long		 signin_window_s;	/* RB_SIGNIN_WINDOW */
	long		 signin_user_max;	/* RB_SIGNIN_USER_MAX */
	long		 signin_addr_max;	/* RB_SIGNIN_ADDR_MAX */
	long		 sched_poll_s;		/* RB_SCHED_POLL: seconds between calendar checks */
	long		 sched_render_workers;	/* RB_SCHED_RENDER_WORKERS: -1 = cores, 0 = none */
	/* Notifications (rb-notifier) */
	const char	*notify_conninfo;	/* RB_NOTIFY_CONNINFO */
	const char	*locale_dir;		/* RB_LOCALE_DIR: the compiled catalogues */
	/* RB_PUBLIC_URL: the web interface's address named in emails, ending
	 * in "/"; when not set, https://127.0.0.1:<RB_HTTPS_PORT>/ (the stack's
	 * nginx). Points into public_url_buf. */
	const char	*public_url;
	long		 https_port;		/* RB_HTTPS_PORT: nginx's HTTPS port */
	char		 public_url_buf[512];
	const char	*smtp_url;		/* RB_SMTP_URL: smtp://host:port */
	const char	*smtp_from;		/* RB_SMTP_FROM: the sender address */
	const char	*smtp_user;		/* RB_SMTP_USER: empty = no login */
	const char	*smtp_password;		/* RB_SMTP_PASSWORD */
	const char	*smtp_ca_file;		/* RB_SMTP_CA_FILE: empty = system CAs */
	long		 smtp_starttls;		/* RB_SMTP_STARTTLS: 1 = required */
	const char	*sms_url;		/* RB_SMS_URL: the gateway's messages API */
	const char	*sms_token;		/* RB_SMS_TOKEN: its bearer token */
	long		 notify_max_attempts;	/* RB_NOTIFY_MAX_ATTEMPTS: then parked */
	long		 notify_backoff_s;	/* RB_NOTIFY_BACKOFF: first retry delay */
	long		 notify_poll_s;		/* RB_NOTIFY_POLL: seconds between checks */
	long		 send_timeout_s;	/* RB_SEND_TIMEOUT: per SMTP/SMS request */
	long		 notify_keep_days;	/* RB_NOTIFY_KEEP_DAYS: sent ones, then deleted */
	long		 decision_log;		/* RB_DECISION_LOG: 0 = off */
	long		 decision_log_buffer;	/* RB_DECISION_LOG_BUFFER: entries per worker */
	long		 decision_log_flush_ms;	/* RB_DECISION_LOG_FLUSH_MS: at most this old */
	long		 grant_acceptance;	/* RB_GRANT_ACCEPTANCE: 0 = grants need no acceptance */
	long		 grant_accept_days;	/* RB_GRANT_ACCEPT_DAYS: days to accept an offer */
	long		 signal_addr_people;	/* RB_SIGNAL_ADDR_PEOPLE: per address, per day */
	long		 signal_user_addrs;	/* RB_SIGNAL_USER_ADDRS: per account, per hour */
	const char	*trusted_proxy;		/* RB_TRUSTED_PROXY: "" = none */
	/* Issue 17 §1: FastCGI over TCP on "address:port" ("" = the unix
	 * socket RB_SOCKET), the front hosts allowed to connect, and the name
	 * /health reports so that a client sees which host answered. */
	const char	*fcgi_listen;		/* RB_FCGI_LISTEN */
	const char	*fcgi_allow;		/* RB_FCGI_ALLOW: a,b,... */
	const char	*host_name;		/* RB_HOST_NAME: "" = gethostname() */

	/* Reads on a streaming replica (issue 17 §2): its conninfo ("" = no
	 * replica: every request on the primary), how long a read carrying a
	 * write's token waits for the replica, the lag past which it is taken
	 * out of reads, and how often a worker thread looks at it. */
	const char	*db_replica_conninfo;	/* RB_DB_REPLICA_CONNINFO */
	long		 replica_wait_ms;	/* RB_REPLICA_WAIT_MS */
	long		 replica_max_lag_ms;	/* RB_REPLICA_MAX_LAG_MS */
	long		 replica_max_lag_bytes;	/* RB_REPLICA_MAX_LAG_BYTES */
	long		 replica_check_ms;	/* RB_REPLICA_CHECK_MS */
};

/* The processes of the settings table's "who may read it" column. */
enum config_proc {
	CONFIG_TOOL,		/* rb-load, rb-audit-verify, rb-gen: every setting */
	CONFIG_FCGI,
	CONFIG_SCHEDULER,
	CONFIG_NOTIFIER,
	CONFIG_PROC__MAX
};

/* Fills cfg from the environment; on a bad value writes why into err.
 * config_load_as reads only who's own settings: the others keep their
 * defaults (empty for secrets) whatever the environment holds.
 * config_load is config_load_as(CONFIG_TOOL, ...). */
enum rb_err	config_load(struct config *cfg, char *err, size_t errsz);
enum rb_err	config_load_as(enum config_proc who, struct config *cfg, char *err,
		    size_t errsz);
/* 1 when who may read the setting called name (0 for unknown names). */
int		config_may_read(enum config_proc who, const char *name);
/* 1 when the setting called name is a secret (a password, a token). */
int		config_is_secret(const char *name);
/* Prints every setting with its value (secrets masked) to stdout. */
void		config_print(const struct config *cfg);
/* err names the first of the listed settings that is empty. */
enum rb_err	config_require(const struct config *cfg, const char *const *names,
		    char *err, size_t errsz);

#endif
