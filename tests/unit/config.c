/*
 * lib/config.h: the one table of settings, read from the environment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/config.h"

extern char **environ;

/* Each test starts from an environment with no RB_* variable at all. */
static int
clear_env(void **state)
{
	char name[256];
	size_t n;

	(void)state;
	for (;;) {
		char **e;

		for (e = environ; *e != NULL; e++)
			if (strncmp(*e, "RB_", 3) == 0)
				break;
		if (*e == NULL)
			return 0;
		n = strcspn(*e, "=");
		if (n >= sizeof(name))
			return -1;
		memcpy(name, *e, n);
		name[n] = '\0';
		if (unsetenv(name) != 0)
			return -1;
	}
}

static void
defaults(void **state)
{
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(config_load(&c, err, sizeof(err)), RB_OK);
	assert_string_equal(c.db_conninfo, "");
	assert_string_equal(c.db_owner_conninfo, "");
	assert_string_equal(c.ldap_uri, "ldap://127.0.0.1:3890");
	assert_string_equal(c.ldap_base, "dc=ministry,dc=qa");
	assert_string_equal(c.ldap_bind_dn, "cn=app,dc=ministry,dc=qa");
	assert_string_equal(c.ldap_bind_pw, "");
	assert_string_equal(c.ldap_admin_dn, "cn=admin,dc=ministry,dc=qa");
	assert_string_equal(c.ldap_admin_pw, "");
	assert_string_equal(c.socket_path, "var/run/app.sock");
	assert_string_equal(c.socket_group, "www-data");
	assert_string_equal(c.clock_file, "");
	assert_string_equal(c.log_level, "info");
	assert_int_equal(c.workers, 1);
	assert_int_equal(c.threads, 32);
	assert_int_equal(c.body_max, 1048576);
	assert_int_equal(c.session_idle_s, 900);
	assert_int_equal(c.session_max_s, 28800);
	assert_int_equal(c.signin_window_s, 900);
	assert_int_equal(c.signin_user_max, 5);
	assert_int_equal(c.signin_addr_max, 50);
}

static void
env_overrides(void **state)
{
	struct config c;
	char err[256] = "";

	(void)state;
	setenv("RB_DB_OWNER_CONNINFO", "host=127.0.0.1 dbname=residency user=rb_owner", 1);
	setenv("RB_LDAP_URI", "ldap://10.0.0.5:389", 1);
	setenv("RB_WORKERS", "16", 1);
	setenv("RB_BODY_MAX", "1024", 1);		/* the minimum */
	setenv("RB_SIGNIN_ADDR_MAX", "100000", 1);	/* the maximum */
	assert_int_equal(config_load(&c, err, sizeof(err)), RB_OK);
	assert_string_equal(c.db_owner_conninfo,
	    "host=127.0.0.1 dbname=residency user=rb_owner");
	assert_string_equal(c.ldap_uri, "ldap://10.0.0.5:389");
	assert_int_equal(c.workers, 16);
	assert_int_equal(c.body_max, 1024);
	assert_int_equal(c.signin_addr_max, 100000);
	/* The others keep their defaults. */
	assert_string_equal(c.db_conninfo, "");
	assert_int_equal(c.threads, 32);

	/* An empty value means the default. */
	setenv("RB_WORKERS", "", 1);
	setenv("RB_LDAP_URI", "", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), RB_OK);
	assert_int_equal(c.workers, 1);
	assert_string_equal(c.ldap_uri, "ldap://127.0.0.1:3890");
}

static void
assert_refused(const char *name, const char *value)
{
	struct config c;
	char err[256] = "";

	setenv(name, value, 1);
	if (config_load(&c, err, sizeof(err)) != RB_EINVAL)
		fail_msg("%s=\"%s\" was accepted", name, value);
	if (strstr(err, name) == NULL)
		fail_msg("%s=\"%s\": error \"%s\" does not name the setting",
		    name, value, err);
	unsetenv(name);
}

static void
out_of_range(void **state)
{
	char err[256] = "";
	struct config c;

	(void)state;
	assert_refused("RB_WORKERS", "65");
	assert_refused("RB_WORKERS", "0");
	assert_refused("RB_WORKERS", "-1");
	assert_refused("RB_THREADS", "257");
	assert_refused("RB_BODY_MAX", "1023");
	assert_refused("RB_BODY_MAX", "67108865");
	assert_refused("RB_SESSION_IDLE", "59");
	assert_refused("RB_SIGNIN_ADDR_MAX", "100001");
	assert_refused("RB_SESSION_MAX", "99999999999999999999999");
	/* Not an integer at all. */
	assert_refused("RB_WORKERS", "four");
	assert_refused("RB_WORKERS", "4x");
	assert_refused("RB_WORKERS", "4.0");
	assert_refused("RB_THREADS", "8 ");

	/* The message also gives the allowed range. */
	setenv("RB_WORKERS", "65", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), RB_EINVAL);
	assert_non_null(strstr(err, "RB_WORKERS"));
	assert_non_null(strstr(err, "1..64"));
	/* A short buffer is truncated, not overrun. */
	memset(err, 'x', sizeof(err));
	assert_int_equal(config_load(&c, err, 8), RB_EINVAL);
	assert_int_equal(err[7], '\0');
	assert_int_equal(err[8], 'x');
	unsetenv("RB_WORKERS");

	/* Boundaries are in range. */
	setenv("RB_WORKERS", "64", 1);
	setenv("RB_THREADS", "1", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), RB_OK);
	assert_int_equal(c.workers, 64);
	assert_int_equal(c.threads, 1);
}

static void
require(void **state)
{
	static const char *const need[] = {
		"RB_DB_CONNINFO", "RB_LDAP_BIND_PW", "RB_LDAP_URI", NULL,
	};
	struct config c;
	char err[256] = "";

	(void)state;
	/* Both empty: the first in the list is named. */
	assert_int_equal(config_load(&c, err, sizeof(err)), RB_OK);
	assert_int_equal(config_require(&c, need, err, sizeof(err)), RB_EINVAL);
	assert_non_null(strstr(err, "RB_DB_CONNINFO"));
	assert_null(strstr(err, "RB_LDAP_BIND_PW"));

	setenv("RB_DB_CONNINFO", "dbname=residency", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), RB_OK);
	err[0] = '\0';
	assert_int_equal(config_require(&c, need, err, sizeof(err)), RB_EINVAL);
	assert_non_null(strstr(err, "RB_LDAP_BIND_PW"));
	assert_null(strstr(err, "RB_DB_CONNINFO"));

	setenv("RB_LDAP_BIND_PW", "s3cret-value", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), RB_OK);
	assert_int_equal(config_require(&c, need, err, sizeof(err)), RB_OK);

	/* An empty list requires nothing. */
	{
		static const char *const none[] = { NULL };

		assert_int_equal(config_require(&c, none, err, sizeof(err)), RB_OK);
	}
}

/* config_print shows every setting but never a secret's value. */
static void
print_masks_secrets(void **state)
{
	struct config c;
	char err[256], out[8192];
	FILE *tmp;
	int saved;
	size_t n;

	(void)state;
	setenv("RB_DB_CONNINFO", "host=x password=pw-db-123", 1);
	setenv("RB_LDAP_BIND_PW", "pw-bind-456", 1);
	setenv("RB_LDAP_ADMIN_PW", "pw-admin-789", 1);
	setenv("RB_WORKERS", "12", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), RB_OK);

	tmp = tmpfile();
	assert_non_null(tmp);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
	config_print(&c);
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);

	assert_null(strstr(out, "pw-db-123"));
	assert_null(strstr(out, "pw-bind-456"));
	assert_null(strstr(out, "pw-admin-789"));
	assert_non_null(strstr(out, "RB_DB_CONNINFO=(set)\n"));
	assert_non_null(strstr(out, "RB_DB_OWNER_CONNINFO=(empty)\n"));
	assert_non_null(strstr(out, "RB_WORKERS=12\n"));
	assert_non_null(strstr(out, "RB_LDAP_URI=ldap://127.0.0.1:3890\n"));
}

/* Every secret there is, each set to a value naming it. */
static const char *const all_secrets[] = { "RB_DB_CONNINFO", "RB_DB_OWNER_CONNINFO",
    "RB_SCHED_CONNINFO", "RB_NOTIFY_CONNINFO", "RB_LDAP_BIND_PW", "RB_LDAP_ADMIN_PW",
    "RB_SMTP_PASSWORD", "RB_SMS_TOKEN", NULL };

static void
set_all_secrets(void)
{
	size_t i;

	for (i = 0; all_secrets[i] != NULL; i++)
		setenv(all_secrets[i], all_secrets[i], 1);
}

/* A daemon given every secret reads its own only (issue 11 §2): what
 * each process reads of the same environment. */
static void
each_process_reads_its_own(void **state)
{
	static const struct {
		enum config_proc who;
		const char *db, *owner, *sched, *notify, *bind_pw, *admin_pw, *smtp, *sms;
		long workers, poll;
	} want[] = {
		{ CONFIG_FCGI, "RB_DB_CONNINFO", "", "", "", "RB_LDAP_BIND_PW", "", "", "", 7, 30 },
		{ CONFIG_SCHEDULER, "", "", "RB_SCHED_CONNINFO", "", "", "", "", "", 1, 9 },
		{ CONFIG_NOTIFIER, "", "", "", "RB_NOTIFY_CONNINFO", "", "", "RB_SMTP_PASSWORD",
		  "RB_SMS_TOKEN", 1, 30 },
		/* The operator's tools read everything, as before. */
		{ CONFIG_TOOL, "RB_DB_CONNINFO", "RB_DB_OWNER_CONNINFO", "RB_SCHED_CONNINFO",
		  "RB_NOTIFY_CONNINFO", "RB_LDAP_BIND_PW", "RB_LDAP_ADMIN_PW", "RB_SMTP_PASSWORD",
		  "RB_SMS_TOKEN", 7, 9 },
	};
	struct config c;
	char err[256] = "";
	size_t i;

	(void)state;
	set_all_secrets();
	setenv("RB_WORKERS", "7", 1);
	setenv("RB_SCHED_POLL", "9", 1);
	setenv("RB_CLOCK_FILE", "/tmp/clock", 1);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(config_load_as(want[i].who, &c, err, sizeof(err)), RB_OK);
		assert_string_equal(c.db_conninfo, want[i].db);
		assert_string_equal(c.db_owner_conninfo, want[i].owner);
		assert_string_equal(c.sched_conninfo, want[i].sched);
		assert_string_equal(c.notify_conninfo, want[i].notify);
		assert_string_equal(c.ldap_bind_pw, want[i].bind_pw);
		assert_string_equal(c.ldap_admin_pw, want[i].admin_pw);
		assert_string_equal(c.smtp_password, want[i].smtp);
		assert_string_equal(c.sms_token, want[i].sms);
		assert_int_equal(c.workers, want[i].workers);
		assert_int_equal(c.sched_poll_s, want[i].poll);
		assert_string_equal(c.clock_file, "/tmp/clock");
	}
	/* config_load is the tools'. */
	assert_int_equal(config_load(&c, err, sizeof(err)), RB_OK);
	assert_string_equal(c.db_owner_conninfo, "RB_DB_OWNER_CONNINFO");

	/* Another process's setting is not even checked: a bad value of it
	 * cannot stop this one. */
	setenv("RB_WORKERS", "not a number", 1);
	assert_int_equal(config_load_as(CONFIG_SCHEDULER, &c, err, sizeof(err)), RB_OK);
	assert_int_equal(config_load_as(CONFIG_FCGI, &c, err, sizeof(err)), RB_EINVAL);
	assert_non_null(strstr(err, "RB_WORKERS"));
}

/* The scheduler's render workers (issue 14 §2): -1 (the cores) unless
 * set, 0 (none) to 64, anything else refused by name. */
static void
render_workers_setting(void **state)
{
	static const char *const bad[] = { "-2", "65", "many" };
	struct config c;
	char err[256] = "";
	size_t i;

	(void)state;
	set_all_secrets();
	assert_int_equal(config_load_as(CONFIG_SCHEDULER, &c, err, sizeof(err)), RB_OK);
	assert_int_equal(c.sched_render_workers, -1);
	setenv("RB_SCHED_RENDER_WORKERS", "0", 1);
	assert_int_equal(config_load_as(CONFIG_SCHEDULER, &c, err, sizeof(err)), RB_OK);
	assert_int_equal(c.sched_render_workers, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("RB_SCHED_RENDER_WORKERS", bad[i], 1);
		assert_int_equal(config_load_as(CONFIG_SCHEDULER, &c, err, sizeof(err)),
		    RB_EINVAL);
		assert_non_null(strstr(err, "RB_SCHED_RENDER_WORKERS"));
	}
	unsetenv("RB_SCHED_RENDER_WORKERS");
}

/* The table as the stack reads it: each secret has exactly one daemon,
 * the owner's and the directory admin's none. */
static void
who_may_read(void **state)
{
	static const struct { const char *name; int fcgi, sched, notify; } t[] = {
		{ "RB_DB_CONNINFO",	  1, 0, 0 },
		{ "RB_LDAP_BIND_PW",	  1, 0, 0 },
		{ "RB_SCHED_CONNINFO",	  0, 1, 0 },
		{ "RB_NOTIFY_CONNINFO",	  0, 0, 1 },
		{ "RB_SMTP_PASSWORD",	  0, 0, 1 },
		{ "RB_SMS_TOKEN",	  0, 0, 1 },
		{ "RB_DB_OWNER_CONNINFO", 0, 0, 0 },
		{ "RB_LDAP_ADMIN_PW",	  0, 0, 0 },
		{ "RB_CLOCK_FILE",	  1, 1, 1 },
		/* The scheduler renders a cycle's workbooks (issue 14 §2). */
		{ "RB_LOCALE_DIR",	  1, 1, 1 },
		{ "RB_SCHED_RENDER_WORKERS", 0, 1, 0 },
		{ "RB_NO_SUCH_SETTING",	  0, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(config_may_read(CONFIG_FCGI, t[i].name), t[i].fcgi);
		assert_int_equal(config_may_read(CONFIG_SCHEDULER, t[i].name), t[i].sched);
		assert_int_equal(config_may_read(CONFIG_NOTIFIER, t[i].name), t[i].notify);
		assert_int_equal(config_may_read(CONFIG_TOOL, t[i].name),
		    strcmp(t[i].name, "RB_NO_SUCH_SETTING") != 0);
	}
	for (i = 0; all_secrets[i] != NULL; i++)
		assert_true(config_is_secret(all_secrets[i]));
	assert_false(config_is_secret("RB_CLOCK_FILE"));
}

/* A cluster's application host (issue 17 §1): TCP on one IPv4 address of
 * its own, and only with the list of front hosts that may connect. */
static void
fcgi_over_tcp(void **state)
{
	static const char *const bad_listen[] = { "10.77.0.11", "10.77.0.11:0",
		"10.77.0.11:65536", "0.0.0.0:9000", "host:9000", ":9000", "10.77.0.11:90x", NULL };
	static const char *const bad_allow[] = { "10.77.0.10,", "10.77.0.10,,10.77.0.12",
		"front", "10.77.0.300", NULL };
	struct config c;
	char err[256] = "";
	size_t i;

	(void)state;
	assert_int_equal(config_load_as(CONFIG_FCGI, &c, err, sizeof(err)), RB_OK);
	assert_string_equal(c.fcgi_listen, "");	/* the unix socket, as before */
	setenv("RB_FCGI_LISTEN", "10.77.0.11:9000", 1);
	assert_int_equal(config_load_as(CONFIG_FCGI, &c, err, sizeof(err)), RB_EINVAL);
	assert_non_null(strstr(err, "RB_FCGI_ALLOW"));
	setenv("RB_FCGI_ALLOW", "10.77.0.10,10.77.0.13", 1);
	setenv("RB_HOST_NAME", "app1", 1);
	assert_int_equal(config_load_as(CONFIG_FCGI, &c, err, sizeof(err)), RB_OK);
	assert_string_equal(c.fcgi_listen, "10.77.0.11:9000");
	assert_string_equal(c.fcgi_allow, "10.77.0.10,10.77.0.13");
	assert_string_equal(c.host_name, "app1");
	for (i = 0; bad_listen[i] != NULL; i++) {
		setenv("RB_FCGI_LISTEN", bad_listen[i], 1);
		if (config_load_as(CONFIG_FCGI, &c, err, sizeof(err)) != RB_EINVAL ||
		    strstr(err, "RB_FCGI_LISTEN") == NULL)
			fail_msg("RB_FCGI_LISTEN=%s accepted (%s)", bad_listen[i], err);
	}
	setenv("RB_FCGI_LISTEN", "10.77.0.11:9000", 1);
	for (i = 0; bad_allow[i] != NULL; i++) {
		setenv("RB_FCGI_ALLOW", bad_allow[i], 1);
		if (config_load_as(CONFIG_FCGI, &c, err, sizeof(err)) != RB_EINVAL ||
		    strstr(err, "RB_FCGI_ALLOW") == NULL)
			fail_msg("RB_FCGI_ALLOW=%s accepted (%s)", bad_allow[i], err);
	}
	/* The scheduler does not read rb-fcgi's listener: never its error. */
	assert_int_equal(config_load_as(CONFIG_SCHEDULER, &c, err, sizeof(err)), RB_OK);
	assert_string_equal(c.fcgi_listen, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(defaults, clear_env),
		cmocka_unit_test_setup(env_overrides, clear_env),
		cmocka_unit_test_setup(out_of_range, clear_env),
		cmocka_unit_test_setup(require, clear_env),
		cmocka_unit_test_setup(print_masks_secrets, clear_env),
		cmocka_unit_test_setup(each_process_reads_its_own, clear_env),
		cmocka_unit_test_setup(who_may_read, clear_env),
		cmocka_unit_test_setup(render_workers_setting, clear_env),
		cmocka_unit_test_setup(fcgi_over_tcp, clear_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
