/*
 * The decision log (issue 13 §3): every /authorize answer (single, batch,
 * at=) becomes a row within the flush bound, matching the answer; the
 * reviewers' list filters by person, company and time and is theirs
 * only; a full buffer drops and counts (GET /api/v1/health) without
 * holding the check; RB_DECISION_LOG=0 turns it off.
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

#include "tests/integration/http_client.h"
#include "tests/lib/signin.h"

#define REP	"28535610003"	/* employee of 10000001, RP_RENEW-free here */
#define OTHER	"28560810004"	/* employee of 10000002 */

static struct client svc, rev, sig;
static const struct signin signins[] = {
	{ &svc, "svc-visa", "demo-service" },
	{ &rev, "28863410006", "demo-reviewer" },
	{ &sig, "27263410001", "demo-signatory" },
};

static int
setup(void **state)
{
	(void)state;
	return signin_setup(signins, SIGNIN_N(signins));
}

static int
teardown(void **state)
{
	(void)state;
	test_clock_set(NULL);
	signin_teardown(signins, SIGNIN_N(signins));
	return 0;
}

/* The reviewers' list for query q, waiting up to 3 s (the flush bound is
 * 200 ms) for it to hold want items; the caller frees *r. */
static void
decisions(const char *q, size_t want, struct http_resp *r)
{
	char path[256];
	int i;

	snprintf(path, sizeof(path), "/api/v1/backoffice/decisions?%s", q);
	for (i = 0; i < 30; i++) {
		assert_int_equal(http_json(&rev, "GET", path, NULL, r), 200);
		if (json_array_size(json_object_get(r->json, "items")) >= want)
			return;
		http_resp_free(r);
		usleep(100000);
	}
	assert_int_equal(http_json(&rev, "GET", path, NULL, r), 200);
}

static const char *
item_str(json_t *items, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(items, i), key));
}

static void
rows_match_the_answers(void **state)
{
	struct http_resp r;
	json_t *items, *b;

	(void)state;
	test_clock_set("2027-08-01T08:00:00Z");
	assert_int_equal(signin_again(signins, SIGNIN_N(signins)), 0);
	/* Three answers, oldest first: denied, allowed (signatory), an error. */
	assert_int_equal(http_status(&svc, "GET", "/api/v1/authorize?qid=" REP
	    "&est_id=10000002&service=VEHICLE_RENEW", NULL), 200);
	test_clock_set("2027-08-01T08:00:05Z");
	b = json_pack("{s:[{s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}]}", "checks",
	    "qid", "27263410001", "est_id", "10000002", "service", "VEHICLE_RENEW",
	    "qid", REP, "est_id", "10000002", "service", "VEHICLE_RENEW",
	    "at", "2027-07-01T00:00:00Z");
	assert_int_equal(http_status(&svc, "POST", "/api/v1/authorize/batch", b), 200);
	json_decref(b);
	test_clock_set("2027-08-01T08:00:10Z");
	assert_int_equal(http_status(&svc, "GET", "/api/v1/authorize?qid=29935699999"
	    "&est_id=10000002&service=VEHICLE_RENEW", NULL), 404);

	decisions("est_id=10000002&from=2027-08-01T08:00:00Z&to=2027-08-01T08:01:00Z",
	    4, &r);
	items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 4);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 4);
	/* Newest first. */
	assert_string_equal(item_str(items, 0, "rule"), "unknown_person");
	assert_string_equal(item_str(items, 0, "decided_at"), "2027-08-01T08:00:10Z");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0),
	    "status")), 404);
	assert_string_equal(item_str(items, 0, "qid"), "29935699999");	/* nobody's */
	/* The batch's two, in either order within the same second. */
	for (size_t i = 1; i <= 2; i++) {
		json_t *it = json_array_get(items, i);

		assert_string_equal(item_str(items, i, "decided_at"), "2027-08-01T08:00:05Z");
		assert_string_equal(item_str(items, i, "caller"), "svc-visa");
		if (strcmp(item_str(items, i, "qid"), REP) == 0) {
			assert_string_equal(item_str(items, i, "rule"), "no_grant");
			assert_string_equal(item_str(items, i, "at"), "2027-07-01T00:00:00Z");
			assert_true(json_is_false(json_object_get(it, "allowed")));
			/* From the history: no revision of the feed. */
			assert_true(json_is_null(json_object_get(it, "revision")));
		} else {
			assert_string_equal(item_str(items, i, "rule"), "signatory");
			assert_true(json_is_null(json_object_get(it, "at")));
			assert_true(json_is_true(json_object_get(it, "allowed")));
			/* The revision the check was decided at. */
			assert_true(json_is_integer(json_object_get(it, "revision")));
			assert_true(json_integer_value(json_object_get(it, "revision")) > 0);
		}
	}
	assert_string_equal(item_str(items, 3, "qid"), REP);
	assert_string_equal(item_str(items, 3, "est_id"), "10000002");
	assert_string_equal(item_str(items, 3, "service"), "VEHICLE_RENEW");
	assert_string_equal(item_str(items, 3, "rule"), "no_grant");
	assert_true(json_is_false(json_object_get(json_array_get(items, 3), "allowed")));
	http_resp_free(&r);

	/* The filters: one person, a time window, both. */
	decisions("qid=" REP "&from=2027-08-01T08:00:00Z", 2, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 2);
	http_resp_free(&r);
	decisions("est_id=10000002&from=2027-08-01T08:00:05Z&to=2027-08-01T08:00:10Z", 2, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 2);
	http_resp_free(&r);
	decisions("qid=" OTHER "&from=2027-08-01T08:00:00Z", 0, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
	http_resp_free(&r);
	test_clock_set(NULL);
	assert_int_equal(signin_again(signins, SIGNIN_N(signins)), 0);
}

static void
reviewers_only_and_filters_checked(void **state)
{
	struct client anon;
	struct http_resp r;

	(void)state;
	client_init(&anon);
	assert_int_equal(http_status(&svc, "GET", "/api/v1/backoffice/decisions", NULL), 403);
	assert_int_equal(http_status(&sig, "GET", "/api/v1/backoffice/decisions", NULL), 403);
	assert_int_equal(http_status(&anon, "GET", "/api/v1/backoffice/decisions", NULL), 401);
	client_free(&anon);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/decisions?qid=123",
	    NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "qid");
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/decisions?est_id=x",
	    NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "est_id");
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/decisions?from=monday",
	    NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "from");
	http_resp_free(&r);
}

/* The health's decision_log member, as numbers. */
static void
health_log(int *enabled, long long *buffered, long long *dropped)
{
	struct http_resp r;
	json_t *dl;

	assert_int_equal(http_json(&svc, "GET", "/api/v1/health", NULL, &r), 200);
	dl = json_object_get(r.json, "decision_log");
	*enabled = json_is_true(json_object_get(dl, "enabled"));
	*buffered = json_integer_value(json_object_get(dl, "buffered"));
	*dropped = json_integer_value(json_object_get(dl, "dropped"));
	http_resp_free(&r);
}

/* Restarts the application with the given decision log settings (NULL:
 * the defaults). */
static void
restart_with(const char *on, const char *buffer, const char *flush_ms)
{
	if (on) setenv("RB_DECISION_LOG", on, 1); else unsetenv("RB_DECISION_LOG");
	if (buffer) setenv("RB_DECISION_LOG_BUFFER", buffer, 1);
	else unsetenv("RB_DECISION_LOG_BUFFER");
	if (flush_ms) setenv("RB_DECISION_LOG_FLUSH_MS", flush_ms, 1);
	else unsetenv("RB_DECISION_LOG_FLUSH_MS");
	assert_int_equal(test_stack("app-restart"), 0);
}

static void
full_buffer_drops_and_counts(void **state)
{
	long long before, buffered, dropped;
	int enabled, i;

	(void)state;
	/* One entry per worker, written only after 10 s: the rest is dropped. */
	restart_with(NULL, "1", "10000");
	health_log(&enabled, &buffered, &dropped);
	assert_true(enabled);
	assert_int_equal(buffered + dropped, 0);
	for (i = 0; i < 20; i++)
		assert_int_equal(http_status(&svc, "GET", "/api/v1/authorize?qid=" REP
		    "&est_id=10000001&service=RP_ISSUE", NULL), 200);
	health_log(&enabled, &buffered, &dropped);
	assert_int_equal(buffered + dropped, 20);
	assert_true(buffered >= 1 && buffered <= 64);	/* at most one per worker */
	assert_true(dropped >= 20 - buffered);

	/* Off: nothing is recorded, and health says so. */
	restart_with("0", NULL, NULL);
	before = test_count("%s", "SELECT count(*) FROM decision_log");
	assert_int_equal(http_status(&svc, "GET", "/api/v1/authorize?qid=" REP
	    "&est_id=10000001&service=RP_ISSUE", NULL), 200);
	health_log(&enabled, &buffered, &dropped);
	assert_false(enabled);
	usleep(500000);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM decision_log"), before);
	restart_with(NULL, NULL, NULL);
	health_log(&enabled, &buffered, &dropped);
	assert_true(enabled);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows_match_the_answers),
		cmocka_unit_test(reviewers_only_and_filters_checked),
		cmocka_unit_test(full_buffer_drops_and_counts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
