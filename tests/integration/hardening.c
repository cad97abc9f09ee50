/*
 * Issue 11 §3, through nginx: the sign-in throttle slows and never locks
 * out, failed sign-ins leave the audit chain and are summarized in it, an
 * unknown account costs the time a known one does, an unknown company is
 * refused like a forbidden one to anyone but a reviewer, and nginx's own
 * 414 and 494 answers are JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "tests/integration/http_client.h"

/* Instants of the injected clock, each far from the others (more than the
 * 900 s window), and all before the real time of the run. */
#define T_NEW_ADDRESS	1795168800	/* 2026-11-20T10:00:00Z */
#define T_BUSY_ADDRESS	1795255200	/* 2026-11-21T10:00:00Z */
#define T_GROWING	1795341600	/* 2026-11-22T10:00:00Z */
#define T_SUMMARY	1795428000	/* 2026-11-23T10:00:00Z */
#define T_TIMING	1790000000	/* 2026-09-21 */

static void
clock_at(int64_t epoch)
{
	char buf[32];
	time_t t = (time_t)epoch;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	test_clock_set(buf);
}

/* Signs in; the 429's message when refused so (else ""). */
static long
signin_msg(struct client *c, const char *user, const char *pw, char *msg, size_t n)
{
	struct http_resp r;
	json_t *b = json_pack("{s:s, s:s}", "username", user, "password", pw);
	long st = http_json(c, "POST", "/api/v1/session", b, &r);
	const char *m = resp_str(&r, "error.message");

	snprintf(msg, n, "%s", st == 429 && m != NULL ? m : "");
	http_resp_free(&r);
	json_decref(b);
	return st;
}

/* Signs in expecting 429 and the wait it tells: "try again in <s> seconds". */
static void
assert_waits(struct client *c, const char *user, const char *pw, int seconds)
{
	char msg[128], want[64];

	assert_int_equal(signin_msg(c, user, pw, msg, sizeof(msg)), 429);
	snprintf(want, sizeof(want), "try again in %d seconds", seconds);
	if (strstr(msg, want) == NULL)
		fail_msg("told \"%s\", expected \"%s\"", msg, want);
}

/*
 * n failures planted a second before at, as user_sql (an SQL expression of
 * g, the row's number) from addr, make user's right password wait exactly
 * wait seconds at at; once waited, it signs in.
 */
static void
planted_failures_make_wait(const char *user_sql, const char *addr, int n,
    int64_t at, const char *user, const char *pw, int wait)
{
	struct client c;
	char *v;

	v = test_sqlf("INSERT INTO signin_failures (username, client_addr, at)"
	    " SELECT %s, '%s', to_timestamp(%lld) FROM generate_series(1, %d) g",
	    user_sql, addr, (long long)at - 1, n);
	assert_non_null(v);
	free(v);
	client_init(&c);
	clock_at(at);
	assert_waits(&c, user, pw, wait);
	clock_at(at + wait);
	assert_int_equal(client_signin(&c, user, pw), 201);
	test_clock_set(NULL);
	client_free(&c);
}

/* Before: five failures anywhere locked the user out for 15 minutes, even
 * against the right password. Now 40 guesses from another address make the
 * right password from here wait 36 s at most. */
static void
right_password_from_a_new_address_waits_seconds(void **state)
{
	(void)state;
	planted_failures_make_wait("'29935600204'", "192.0.2.7", 40, T_NEW_ADDRESS,
	    "29935600204", "test-pass-204", 35);
}

/* Before: 50 failures from one address locked everyone behind it out. Now
 * they wait 3 s after the last. */
static void
a_busy_address_slows_others_by_seconds(void **state)
{
	(void)state;
	planted_failures_make_wait("'2993561' || lpad(g::text, 4, '0')", "127.0.0.1", 60,
	    T_BUSY_ADDRESS, "28581810005", "demo-rep3", 2);
}

/* The guesser at one address: 15 s after the fifth failure, 30 s after the
 * sixth; the right password after the wait signs in and forgives them. */
static void
the_wait_grows_with_each_failure(void **state)
{
	struct client c;
	int k;

	(void)state;
	client_init(&c);
	clock_at(T_GROWING);
	for (k = 0; k < 5; k++)
		assert_int_equal(client_signin(&c, "29935600204", "nope"), 401);
	assert_waits(&c, "29935600204", "test-pass-204", 15);
	/* Refused attempts while waiting do not lengthen the wait. */
	assert_waits(&c, "29935600204", "nope", 15);
	clock_at(T_GROWING + 15);
	assert_int_equal(client_signin(&c, "29935600204", "nope"), 401);
	assert_waits(&c, "29935600204", "test-pass-204", 30);
	clock_at(T_GROWING + 45);
	assert_int_equal(client_signin(&c, "29935600204", "test-pass-204"), 201);
	/* Forgiven: the next slips start from nothing. */
	assert_int_equal(client_signin(&c, "29935600204", "nope"), 401);
	assert_int_equal(client_signin(&c, "29935600204", "test-pass-204"), 201);
	test_clock_set(NULL);
	client_free(&c);
}

/* Failures stay out of the chain; the next audited act an hour later
 * writes one record covering them, whose digest the rows reproduce. */
static void
failures_are_summarized_in_the_chain(void **state)
{
	struct client c;
	long long first, last, audited, summary, ok;
	char *same;
	int k;

	(void)state;
	first = test_count("%s", "SELECT coalesce(max(id), 0) FROM signin_failures") + 1;
	audited = test_count("%s", "SELECT count(*) FROM audit_log");
	client_init(&c);
	clock_at(T_SUMMARY);
	for (k = 0; k < 3; k++)
		assert_int_equal(client_signin(&c, "29935600204", "nope"), 401);
	/* No audit record per failure, and so no wait on the chain's lock. */
	assert_int_equal(test_count("%s", "SELECT count(*) FROM audit_log"), audited);
	last = test_count("%s", "SELECT max(id) FROM signin_failures");
	assert_int_equal(last - first + 1, 3);
	assert_int_equal(test_count("SELECT count(*) FROM signin_failures WHERE id >= %lld"
	    " AND username = '29935600204' AND outcome = 'signin.failed'"
	    " AND NOT summarized", first), 3);
	/* An hour later, the next sign-in summarizes them before its own record. */
	clock_at(T_SUMMARY + 3600);
	assert_int_equal(client_signin(&c, "29935600204", "test-pass-204"), 201);
	assert_int_equal(test_count("SELECT count(*) FROM signin_failures WHERE id <= %lld"
	    " AND NOT summarized", last), 0);
	summary = test_count("%s", "SELECT max(id) FROM audit_log WHERE action = 'signin.failures'");
	ok = test_count("%s", "SELECT max(id) FROM audit_log WHERE action = 'signin.ok'"
	    " AND actor = '29935600204'");
	assert_true(summary > 0 && summary < ok);
	assert_true(test_count("SELECT (detail::json->>'last_id')::bigint FROM audit_log"
	    " WHERE id = %lld", summary) >= last);
	assert_true(test_count("SELECT (detail::json->>'failed')::bigint FROM audit_log"
	    " WHERE id = %lld", summary) >= 3);
	same = test_sqlf("SELECT (SELECT encode(sha256(convert_to(string_agg(f.id || '|' ||"
	    " f.username || '|' || f.client_addr || '|' || extract(epoch FROM f.at)::bigint"
	    " || '|' || f.outcome, E'\\n' ORDER BY f.id), 'UTF8')), 'hex') FROM signin_failures f, audit_log a"
	    " WHERE a.id = %lld AND f.id BETWEEN (a.detail::json->>'first_id')::bigint"
	    " AND (a.detail::json->>'last_id')::bigint)"
	    " = (SELECT detail::json->>'sha256' FROM audit_log WHERE id = %lld)", summary, summary);
	assert_non_null(same);
	assert_string_equal(same, "t");
	free(same);
	test_clock_set(NULL);
	client_free(&c);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#define TIMING_N	41

/*
 * A wrong password for a known user and any password for an unknown one
 * take the same time. Before, the unknown user was refused after one
 * search, without the group searches, the second connection and the bind:
 * this test measured the medians 3.3 ms apart in the sanitizer build of
 * make test (9.8 against 6.6 ms). With the dummy entry they came 0.14 ms
 * apart. The bound, 0.5 ms between the medians of 41 interleaved pairs, is
 * under a sixth of the gap it must catch and over three times the noise
 * seen, on two cores shared with other runs.
 */
/* The medians of one round of TIMING_N interleaved pairs, from instant base. */
static void
timing_round(struct client *c, int64_t base, double *dk, double *du)
{
	double known[TIMING_N], unknown[TIMING_N], t;
	int i, j;

	for (i = 0; i < TIMING_N; i++) {
		/* Each pair at its own instant, past the window of the last. */
		clock_at(base + (int64_t)i * 1000);
		/* The order alternates, so that neither path is always first. */
		for (j = 0; j < 2; j++) {
			int unk = (i + j) % 2;

			t = now_ms();
			assert_int_equal(client_signin(c, unk ? "29935699999" :
			    "29935600201", "nope"), 401);
			(unk ? unknown : known)[i] = now_ms() - t;
		}
	}
	qsort(known, TIMING_N, sizeof(double), cmp_double);
	qsort(unknown, TIMING_N, sizeof(double), cmp_double);
	*dk = known[TIMING_N / 2];
	*du = unknown[TIMING_N / 2];
}

static void
unknown_and_known_users_take_the_same_time(void **state)
{
	struct client c;
	double dk = 0, du = 0;
	int round;

	(void)state;
	client_init(&c);
	/* Warm the worker's connections first. */
	clock_at(T_TIMING - 5000);
	client_signin(&c, "29935600201", "nope");
	client_signin(&c, "29935699999", "nope");
	/*
	 * A leak shows in every round; a burst of load on the shared machine
	 * in one round only. So up to three rounds, and the first one within
	 * the bound passes.
	 */
	for (round = 0; round < 3; round++) {
		timing_round(&c, T_TIMING + (int64_t)round * TIMING_N * 1000, &dk, &du);
		fprintf(stderr, "sign-in medians, round %d: known user %.3f ms,"
		    " unknown user %.3f ms, difference %.3f ms\n", round + 1, dk, du,
		    dk - du);
		if (dk - du <= 0.5 && du - dk <= 0.5)
			break;
	}
	test_clock_set(NULL);
	if (dk - du > 0.5 || du - dk > 0.5)
		fail_msg("medians differ by %.3f ms in three rounds", dk - du);
	client_free(&c);
}

/* The same refusal, status and body alike, for a company the caller has
 * nothing to do with and for one that does not exist; reviewers, who may
 * look at any company, are told it does not exist. */
static void
unknown_company_is_refused_like_a_forbidden_one(void **state)
{
	static const char *const routes[] = { "/employees", "/renewal/preview",
	    "/statements" };
	struct client sig, rev;
	struct http_resp a, b;
	char p1[96], p2[96];
	size_t i;

	(void)state;
	client_init(&sig);
	client_init(&rev);
	assert_int_equal(client_signin(&sig, "27963410002", "demo-signatory2"), 201);
	assert_int_equal(client_signin(&rev, "28863410006", "demo-reviewer"), 201);
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		snprintf(p1, sizeof(p1), "/api/v1/companies/10000001%s", routes[i]);
		snprintf(p2, sizeof(p2), "/api/v1/companies/99999999%s", routes[i]);
		assert_int_equal(http_json(&sig, "GET", p1, NULL, &a), 403);
		assert_int_equal(http_json(&sig, "GET", p2, NULL, &b), 403);
		if (strcmp(a.body, b.body) != 0)
			fail_msg("%s: %s against %s", routes[i], a.body, b.body);
		http_resp_free(&a);
		http_resp_free(&b);
		assert_int_equal(http_json(&rev, "GET", p2, NULL, &b), 404);
		assert_string_equal(resp_str(&b, "error.code"), "unknown_company");
		http_resp_free(&b);
	}
	client_free(&sig);
	client_free(&rev);
}

static size_t
collect(char *p, size_t sz, size_t n, void *ud)
{
	struct http_resp *r = ud;
	size_t len = sz * n;

	r->body = realloc(r->body, r->len + len + 1);
	memcpy(r->body + r->len, p, len);
	r->len += len;
	r->body[r->len] = '\0';
	return len;
}

/* GET path with one extra header (may be NULL); status, body, type. */
static long
raw_get(const char *path, const char *header, struct http_resp *r, char *type, size_t n)
{
	CURL *cu = curl_easy_init();
	struct curl_slist *h = header ? curl_slist_append(NULL, header) : NULL;
	char *url = malloc(strlen(path) + 256), *ct = NULL;

	memset(r, 0, sizeof(*r));
	sprintf(url, "%s%s", test_env("RB_BASE_URL"), path);
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_CAINFO, test_env("RB_TLS_CERT"));
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(cu, CURLOPT_TIMEOUT, 30L);
	if (curl_easy_perform(cu) == CURLE_OK) {
		curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &r->status);
		curl_easy_getinfo(cu, CURLINFO_CONTENT_TYPE, &ct);
	}
	snprintf(type, n, "%s", ct ? ct : "");
	if (r->body != NULL)
		r->json = json_loads(r->body, 0, NULL);
	curl_slist_free_all(h);
	curl_easy_cleanup(cu);
	free(url);
	return r->status;
}

static void
nginx_own_errors_are_json(void **state)
{
	struct http_resp r;
	char type[128], *path, *hdr;

	(void)state;
	/* A request line longer than nginx's header buffers (8 KiB). */
	path = malloc(12001);
	snprintf(path, 12001, "/api/v1/%0*d", 11900, 0);
	assert_int_equal(raw_get(path, NULL, &r, type, sizeof(type)), 414);
	assert_non_null(strstr(type, "application/json"));
	assert_string_equal(resp_str(&r, "error.code"), "uri_too_long");
	http_resp_free(&r);
	/* A header beyond them: nginx's 494, answered as 400. */
	hdr = malloc(12001);
	snprintf(hdr, 12001, "Cookie: x=%0*d", 11900, 0);
	assert_int_equal(raw_get("/api/v1/me", hdr, &r, type, sizeof(type)), 400);
	assert_non_null(strstr(type, "application/json"));
	assert_string_equal(resp_str(&r, "error.code"), "header_too_large");
	http_resp_free(&r);
	/* The benchmark's location is in the benchmark's configuration only. */
	assert_int_equal(raw_get("/bench/static", NULL, &r, type, sizeof(type)), 404);
	http_resp_free(&r);
	free(path);
	free(hdr);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(right_password_from_a_new_address_waits_seconds),
		cmocka_unit_test(a_busy_address_slows_others_by_seconds),
		cmocka_unit_test(the_wait_grows_with_each_failure),
		cmocka_unit_test(failures_are_summarized_in_the_chain),
		cmocka_unit_test(unknown_and_known_users_take_the_same_time),
		cmocka_unit_test(unknown_company_is_refused_like_a_forbidden_one),
		cmocka_unit_test(nginx_own_errors_are_json),
	};

	return cmocka_run_group_tests_name("hardening", tests, NULL, NULL);
}
