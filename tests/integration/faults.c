/* Errors, limits, headers and failures of the parts the API depends on. */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "tests/integration/http_client.h"

static long
grant_rows(void)
{
	char *v = test_sql("SELECT count(*) FROM grants");
	long n;

	assert_non_null(v);
	n = strtol(v, NULL, 10);
	free(v);
	return n;
}

static void
oversized_bodies_are_413_json_and_change_nothing(void **state)
{
	struct client c;
	struct http_resp r;
	size_t sizes[] = { 100 * 1024, 2 * 1024 * 1024 };	/* app limit, nginx limit */
	long before = grant_rows();
	size_t i;

	(void)state;
	client_init(&c);
	assert_int_equal(client_signin(&c, "27263410001", "demo-signatory"), 201);
	for (i = 0; i < 2; i++) {
		char *big = malloc(sizes[i] + 1);

		memset(big, ' ', sizes[i]);
		memcpy(big, "{\"qid\":\"28535610003\",\"services\":[\"RP_ISSUE\"]}", 45);
		big[sizes[i]] = '\0';
		assert_int_equal(http_req(&c, "POST", "/api/v1/companies/10000001/grants",
		    "application/json", big, sizes[i], &r), 413);
		assert_string_equal(resp_str(&r, "error.code"), "too_large");
		http_resp_free(&r);
		free(big);
	}
	assert_int_equal(grant_rows(), before);
	client_free(&c);
}

static void
unknown_routes_are_json_404_and_405(void **state)
{
	struct client c;
	struct http_resp r;
	char ct[128];

	(void)state;
	client_init(&c);
	assert_int_equal(http_json(&c, "GET", "/api/v1/nothing/here", NULL, &r), 404);
	assert_true(http_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_non_null(strstr(ct, "application/json"));
	assert_string_equal(resp_str(&r, "error.code"), "not_found");
	http_resp_free(&r);
	assert_int_equal(http_json(&c, "PUT", "/api/v1/health", NULL, &r), 405);
	assert_string_equal(resp_str(&r, "error.code"), "method_not_allowed");
	assert_true(http_header(&r, "Allow", ct, sizeof(ct)));
	assert_string_equal(ct, "GET, HEAD");
	http_resp_free(&r);
	assert_int_equal(http_json(&c, "PATCH", "/api/v1/session", NULL, &r), 405);
	assert_true(http_header(&r, "Allow", ct, sizeof(ct)));
	assert_string_equal(ct, "POST, DELETE");
	http_resp_free(&r);
	assert_int_equal(http_json(&c, "HEAD", "/api/v1/health", NULL, &r), 200);
	http_resp_free(&r);
	assert_int_equal(http_json(&c, "GET", "/api/v1/me", NULL, &r), 401);
	assert_string_equal(resp_str(&r, "error.code"), "not_signed_in");
	http_resp_free(&r);
	client_free(&c);
}

static void
security_headers_and_https_redirect(void **state)
{
	static const char *const names[] = { "Content-Security-Policy",
	    "Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy" };
	static const char *const paths[] = { "/api/v1/health", "/", "/api/v1/nope" };
	struct client c;
	struct http_resp r;
	char v[512], cmd[512];
	size_t i, j;
	FILE *p;

	(void)state;
	client_init(&c);
	for (j = 0; j < 3; j++) {
		http_json(&c, "GET", paths[j], NULL, &r);
		for (i = 0; i < 4; i++)
			assert_true(http_header(&r, names[i], v, sizeof(v)));
		http_header(&r, "Content-Security-Policy", v, sizeof(v));
		assert_non_null(strstr(v, "default-src 'self'"));
		assert_null(strstr(v, "unsafe-inline"));
		http_resp_free(&r);
	}
	client_free(&c);
	/* Plain HTTP only redirects to HTTPS. */
	snprintf(cmd, sizeof(cmd), "curl -s -o /dev/null -w '%%{http_code} %%{redirect_url}'"
	    " http://127.0.0.1:%s/api/v1/health", test_env("RB_HTTP_PORT"));
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(v, sizeof(v), p));
	pclose(p);
	assert_int_equal(strncmp(v, "301 https://127.0.0.1:", 22), 0);
}

static void
database_down_is_503_and_recovers_by_itself(void **state)
{
	struct client c;
	struct http_resp r;

	(void)state;
	client_init(&c);
	assert_int_equal(client_signin(&c, "svc-visa", "demo-service"), 201);
	assert_int_equal(test_stack("pg-stop"), 0);
	assert_int_equal(http_json(&c, "GET", "/api/v1/health", NULL, &r), 503);
	assert_string_equal(resp_str(&r, "database"), "down");
	assert_string_equal(resp_str(&r, "directory"), "up");
	http_resp_free(&r);
	assert_int_equal(http_json(&c, "GET", "/api/v1/authorize?qid=27263410001"
	    "&est_id=10000001&service=RP_RENEW", NULL, &r), 503);
	assert_string_equal(resp_str(&r, "error.code"), "database_unavailable");
	http_resp_free(&r);
	assert_int_equal(test_stack("pg-start"), 0);
	/* No restart of the application: every worker reconnects. */
	for (int i = 0; i < 40; i++)
		assert_int_equal(http_status(&c, "GET", "/api/v1/authorize?qid=27263410001"
		    "&est_id=10000001&service=RP_RENEW", NULL), 200);
	assert_int_equal(http_json(&c, "GET", "/api/v1/health", NULL, &r), 200);
	assert_string_equal(resp_str(&r, "database"), "up");
	http_resp_free(&r);
	client_free(&c);
}

static void
directory_down_is_503(void **state)
{
	struct client c;
	struct http_resp r;

	(void)state;
	client_init(&c);
	assert_int_equal(test_stack("ldap-stop"), 0);
	assert_int_equal(http_json(&c, "GET", "/api/v1/health", NULL, &r), 503);
	assert_string_equal(resp_str(&r, "directory"), "down");
	http_resp_free(&r);
	assert_int_equal(client_signin(&c, "27263410001", "demo-signatory"), 503);
	assert_int_equal(test_stack("ldap-start"), 0);
	assert_int_equal(http_status(&c, "GET", "/api/v1/health", NULL), 200);
	assert_int_equal(client_signin(&c, "27263410001", "demo-signatory"), 201);
	client_free(&c);
}

/* The worker processes of the supervisor in $RB_VAR/run/app.pid. */
static int
workers(pid_t *out, int max)
{
	char path[512], line[64];
	FILE *f;
	DIR *d;
	struct dirent *e;
	long master;
	int n = 0;

	snprintf(path, sizeof(path), "%s/run/app.pid", test_env("RB_VAR"));
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	master = strtol(line, NULL, 10);
	d = opendir("/proc");
	while ((e = readdir(d)) != NULL && n < max) {
		char stat[1024], *p;
		long ppid;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(stat, sizeof(stat), f) != NULL && (p = strrchr(stat, ')')) != NULL &&
		    sscanf(p + 2, "%*c %ld", &ppid) == 1 && ppid == master && p[2] != 'Z')
			out[n++] = (pid_t)strtol(e->d_name, NULL, 10);
		fclose(f);
	}
	closedir(d);
	return n;
}

static void
crashed_worker_is_replaced(void **state)
{
	pid_t before[64], after[64];
	int n, m, i, tries;

	(void)state;
	n = workers(before, 64);
	assert_true(n >= 2);
	assert_int_equal(kill(before[0], SIGKILL), 0);
	for (tries = 0; tries < 50; tries++) {
		usleep(100 * 1000);
		m = workers(after, 64);
		for (i = 0; i < m && after[i] != before[0]; i++)
			;
		if (m == n && i == m)
			break;
	}
	assert_int_equal(m, n);
	for (i = 0; i < m; i++)
		assert_int_not_equal(after[i], before[0]);
	{
		struct client c;

		client_init(&c);
		for (i = 0; i < 20; i++)
			assert_int_equal(http_status(&c, "GET", "/api/v1/health", NULL), 200);
		client_free(&c);
	}
}

static void
application_role_cannot_rewrite_the_audit_trail(void **state)
{
	static const char *const attempts[] = {
		"UPDATE audit_log SET actor = 'x'",
		"DELETE FROM audit_log",
		"INSERT INTO audit_log SELECT * FROM audit_log LIMIT 1",
		"TRUNCATE audit_log",
	};
	PGconn *conn = PQconnectdb(test_env("RB_DB_CONNINFO"));
	size_t i;

	(void)state;
	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	for (i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
		PGresult *r = PQexec(conn, attempts[i]);

		assert_int_equal(PQresultStatus(r), PGRES_FATAL_ERROR);
		assert_string_equal(PQresultErrorField(r, PG_DIAG_SQLSTATE), "42501");
		PQclear(r);
	}
	PQfinish(conn);
}

static void
audit_chain_verifies(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s/rb-audit-verify >/dev/null", test_env("RB_BIN"));
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(oversized_bodies_are_413_json_and_change_nothing),
		cmocka_unit_test(unknown_routes_are_json_404_and_405),
		cmocka_unit_test(security_headers_and_https_redirect),
		cmocka_unit_test(database_down_is_503_and_recovers_by_itself),
		cmocka_unit_test(directory_down_is_503),
		cmocka_unit_test(crashed_worker_is_replaced),
		cmocka_unit_test(application_role_cannot_rewrite_the_audit_trail),
		cmocka_unit_test(audit_chain_verifies),
	};

	return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
