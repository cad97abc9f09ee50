/*
 * The reviewers' dashboard (GET /backoffice/dashboard) against what the
 * cycles did: the executions it_scheduler runs (scenario_executions():
 * the demo copy on 2026-12-08, 120 bulk companies on 2027-02-08 and on
 * 2027-03-08, run here when that test has not), each figure compared with
 * the statements, their lines and the sandbox bank's own debits, read
 * with SQL of this test's own; the demo copy's and the bulk companies'
 * figures also as worked out by hand in it_scheduler.
 * Named to run after it_scheduler (test programs run in name order): that
 * test subscribes the demo copy itself and must find it fresh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"
#include "tests/lib/scenario.h"

#define DASH		"/api/v1/backoffice/dashboard"
#define FROM		"2026-12-01"
#define TO		"2027-03-31"

static struct client rev, sig;

static int
setup(void **state)
{
	(void)state;
	if (scenario_executions() < 0)
		return -1;
	client_init(&rev);
	client_init(&sig);
	return client_signin(&rev, "28863410006", "demo-reviewer") == 201 &&
	    client_signin(&sig, "27263410001", "demo-signatory") == 201 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&rev);
	client_free(&sig);
	return 0;
}

static json_t *
dashboard(const char *query)
{
	struct http_resp r;
	char path[128];
	json_t *body;

	snprintf(path, sizeof(path), DASH "%s", query);
	assert_int_equal(http_json(&rev, "GET", path, NULL, &r), 200);
	assert_non_null(r.json);
	body = json_incref(r.json);
	http_resp_free(&r);
	return body;
}

static long long
num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/* Appends text to a malloc'd string. */
static char *
append(char *s, const char *text)
{
	size_t a = s ? strlen(s) : 0, b = strlen(text);

	s = realloc(s, a + b + 1);
	assert_non_null(s);
	memcpy(s + a, text, b + 1);
	return s;
}

static void
reviewers_only_and_bad_ranges(void **state)
{
	struct client anon;
	struct http_resp r;

	(void)state;
	assert_int_equal(http_status(&sig, "GET", DASH, NULL), 403);
	client_init(&anon);
	assert_int_equal(http_status(&anon, "GET", DASH, NULL), 401);
	client_free(&anon);
	/* Each bad field named at once. */
	assert_int_equal(http_json(&rev, "GET", DASH "?from=2026-13-01&to=yesterday", NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "from");
	assert_int_equal(json_array_size(json_object_get(json_object_get(r.json, "error"),
	    "fields")), 2);
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", DASH "?from=2026-12-01", NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "to");
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", DASH "?to=2026-12-01", NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "from");
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", DASH "?from=2026-12-09&to=2026-12-08", NULL, &r),
	    400);
	assert_string_equal(resp_str(&r, "error.field"), "to");
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", DASH "?from=2020-01-01&to=2026-12-08", NULL, &r),
	    400);
	assert_string_equal(resp_str(&r, "error.field"), "to");
	http_resp_free(&r);
}

/*
 * Each cycle's figures against its statements and the bank: renewed lines
 * are each one debit the bank honoured (bank_debits by the line's debit
 * reference), and what it debited is what the dashboard says.
 */
static void
cycles_are_what_the_cycles_wrote(void **state)
{
	json_t *d = dashboard("?from=" FROM "&to=" TO), *c;
	char *want, *got = NULL, line[256];
	size_t i;

	(void)state;
	want = test_sql("SELECT string_agg(c.cycle_date || ':' || (c.completed_at IS NOT NULL)"
	    " || ':' || (SELECT count(*) FROM statements s WHERE s.cycle_id = c.id"
	    "   AND s.kind = 'execution')"
	    " || ':' || (SELECT count(*) FROM statements s JOIN statement_lines l"
	    "   ON l.statement_id = s.id WHERE s.cycle_id = c.id AND s.kind = 'execution')"
	    " || ':' || (SELECT count(*) FROM statements s JOIN statement_lines l"
	    "   ON l.statement_id = s.id WHERE s.cycle_id = c.id AND s.kind = 'execution'"
	    "   AND l.result = 'RENEWED')"
	    " || ':' || (SELECT count(*) FROM statements s JOIN statement_lines l"
	    "   ON l.statement_id = s.id WHERE s.cycle_id = c.id AND s.kind = 'execution'"
	    "   AND l.result = 'REJECTED')"
	    " || ':' || (SELECT count(*) FROM statements s JOIN statement_lines l"
	    "   ON l.statement_id = s.id WHERE s.cycle_id = c.id AND s.kind = 'execution'"
	    "   AND l.result = 'EXCLUDED')"
	    " || ':' || (SELECT count(*) FROM bank_debits b WHERE b.status = 'debited'"
	    "   AND b.reference IN (SELECT l.debit_reference FROM statements s"
	    "   JOIN statement_lines l ON l.statement_id = s.id WHERE s.cycle_id = c.id"
	    "   AND s.kind = 'execution' AND l.result = 'RENEWED'))"
	    " || ':' || (SELECT coalesce(sum(b.amount_dirhams), 0) FROM bank_debits b"
	    "   WHERE b.status = 'debited' AND b.reference IN (SELECT l.debit_reference"
	    "   FROM statements s JOIN statement_lines l ON l.statement_id = s.id"
	    "   WHERE s.cycle_id = c.id AND s.kind = 'execution' AND l.result = 'RENEWED')),"
	    " ',' ORDER BY c.cycle_date) FROM cycles c WHERE c.kind = 'execution'"
	    " AND c.cycle_date BETWEEN '" FROM "' AND '" TO "'");
	assert_non_null(want);
	got = append(NULL, "");
	json_array_foreach(json_object_get(d, "cycles"), i, c) {
		snprintf(line, sizeof(line), "%s%s:%s:%lld:%lld:%lld:%lld:%lld:%lld:%lld",
		    i ? "," : "", json_string_value(json_object_get(c, "date")),
		    json_is_true(json_object_get(c, "completed")) ? "true" : "false",
		    num(c, "companies"), num(c, "candidates"), num(c, "renewed"),
		    num(c, "rejected"), num(c, "excluded"), num(c, "debits"),
		    num(c, "debited_dirhams"));
		got = append(got, line);
	}
	assert_string_equal(got, want);
	free(got);
	free(want);
	/* Per cycle and reason: the lines not renewed. */
	want = test_sql("SELECT string_agg(x, ',' ORDER BY x) FROM (SELECT s.cycle_date || ':'"
	    " || l.reason || ':' || count(*) AS x FROM statements s JOIN statement_lines l"
	    " ON l.statement_id = s.id WHERE s.kind = 'execution' AND s.cycle_date BETWEEN '"
	    FROM "' AND '" TO "' AND l.result IN ('REJECTED', 'EXCLUDED')"
	    " GROUP BY s.cycle_date, l.reason) y");
	assert_non_null(want);
	{
		/* Sorted like the SQL: collect, then sort the strings. */
		char *items[256];
		size_t n = 0, j, k;
		const char *reason;
		json_t *v;
		long long sum;

		json_array_foreach(json_object_get(d, "cycles"), i, c) {
			sum = 0;
			json_object_foreach(json_object_get(c, "rejected_by_reason"), reason, v) {
				assert_true(n < 256);
				snprintf(line, sizeof(line), "%s:%s:%lld",
				    json_string_value(json_object_get(c, "date")), reason,
				    (long long)json_integer_value(v));
				items[n++] = strdup(line);
				sum += json_integer_value(v);
			}
			/* Every line not renewed has a reason. */
			assert_int_equal(sum, num(c, "rejected") + num(c, "excluded"));
		}
		for (j = 1; j < n; j++)
			for (k = j; k > 0 && strcmp(items[k - 1], items[k]) > 0; k--) {
				char *t = items[k];

				items[k] = items[k - 1];
				items[k - 1] = t;
			}
		got = append(NULL, "");
		for (j = 0; j < n; j++) {
			if (j)
				got = append(got, ",");
			got = append(got, items[j]);
			free(items[j]);
		}
	}
	assert_string_equal(got, *want ? want : "");
	free(got);
	free(want);
	json_decref(d);
}

/* The demo copy's 2026-12-08 and the bulk cycles, as it_scheduler worked them out. */
static void
figures_worked_out_by_hand(void **state)
{
	json_t *d = dashboard("?from=" FROM "&to=" TO), *c, *dec = NULL, *feb = NULL, *b;
	long long bulk_debits = -1, bulk_dirhams = -1;
	size_t i;

	(void)state;
	json_array_foreach(json_object_get(d, "cycles"), i, c) {
		const char *date = json_string_value(json_object_get(c, "date"));

		if (strcmp(date, "2026-12-08") == 0)
			dec = c;
		else if (strcmp(date, "2027-02-08") == 0)
			feb = c;
	}
	assert_non_null(dec);
	assert_non_null(feb);
	assert_true(json_is_true(json_object_get(dec, "completed")));
	/* At least the copy's 3 renewed (QAR 4,060 debited) and 6 rejected. */
	assert_true(num(dec, "renewed") >= 3);
	assert_true(num(dec, "rejected") >= 6);
	assert_true(num(dec, "debited_dirhams") >= 406000);
	/* 120 bulk companies x 20 renewals of QAR 1,020; the demo copy's
	 * statement of that day (its remaining candidates) comes with them. */
	assert_true(num(feb, "companies") >= 120);
	assert_true(num(feb, "renewed") >= 2400);
	assert_int_equal(num(feb, "debits"), num(feb, "renewed"));
	assert_true(num(feb, "debited_dirhams") >= 2400LL * 102000);
	/* Both bulk cycles debit the bank BULK, and nobody else does. */
	json_array_foreach(json_object_get(d, "debits_by_bank"), i, b)
		if (strcmp(json_string_value(json_object_get(b, "bank_code")), "BULK") == 0) {
			bulk_debits = num(b, "debits");
			bulk_dirhams = num(b, "debited_dirhams");
		}
	assert_int_equal(bulk_debits, 2 * 2400);
	assert_int_equal(bulk_dirhams, 2LL * 2400 * 102000);
	json_decref(d);
}

/* The totals over the cycles: by reason and by bank, against SQL and in order. */
static void
totals_by_reason_and_bank(void **state)
{
	json_t *d = dashboard("?from=" FROM "&to=" TO), *x;
	char *want, *got = NULL, line[160];
	long long prev = -1;
	size_t i;

	(void)state;
	want = test_sql("SELECT coalesce(string_agg(r || ':' || n, ',' ORDER BY n DESC, r), '')"
	    " FROM (SELECT l.reason AS r, count(*) AS n FROM statements s JOIN statement_lines l"
	    " ON l.statement_id = s.id WHERE s.kind = 'execution' AND s.cycle_date BETWEEN '"
	    FROM "' AND '" TO "' AND l.result IN ('REJECTED', 'EXCLUDED') GROUP BY 1) y");
	assert_non_null(want);
	got = append(NULL, "");
	json_array_foreach(json_object_get(d, "rejections_by_reason"), i, x) {
		snprintf(line, sizeof(line), "%s%s:%lld", i ? "," : "",
		    json_string_value(json_object_get(x, "reason")), num(x, "count"));
		got = append(got, line);
		assert_true(prev < 0 || num(x, "count") <= prev);
		prev = num(x, "count");
	}
	assert_string_equal(got, want);
	free(got);
	free(want);
	/* Per bank, from the bank's own debits of the renewed lines. */
	want = test_sql("SELECT coalesce(string_agg(k || ':' || n || ':' || m, ',' ORDER BY m DESC, k),"
	    " '') FROM (SELECT substr(b.iban, 5, 4) AS k, count(*) AS n, sum(b.amount_dirhams) AS m"
	    " FROM bank_debits b WHERE b.status = 'debited' AND b.reference IN"
	    " (SELECT l.debit_reference FROM statements s JOIN statement_lines l"
	    " ON l.statement_id = s.id WHERE s.kind = 'execution' AND s.cycle_date BETWEEN '"
	    FROM "' AND '" TO "' AND l.result = 'RENEWED') GROUP BY 1) y");
	assert_non_null(want);
	got = append(NULL, "");
	json_array_foreach(json_object_get(d, "debits_by_bank"), i, x) {
		snprintf(line, sizeof(line), "%s%s:%lld:%lld", i ? "," : "",
		    json_string_value(json_object_get(x, "bank_code")), num(x, "debits"),
		    num(x, "debited_dirhams"));
		got = append(got, line);
	}
	assert_string_equal(got, want);
	free(got);
	free(want);
	json_decref(d);
}

/* Without dates: the last 12 executions, oldest first; the queue as it is. */
static void
default_is_the_last_twelve_and_the_queue(void **state)
{
	json_t *d = dashboard(""), *cy;
	char *want;
	size_t n;

	(void)state;
	cy = json_object_get(d, "cycles");
	n = json_array_size(cy);
	assert_int_equal((long long)n, test_count("SELECT least(12, count(*)) FROM cycles"
	    " WHERE kind = 'execution'"));
	assert_true(n >= 3);
	want = test_sql("SELECT max(cycle_date)::text FROM cycles WHERE kind = 'execution'");
	assert_string_equal(json_string_value(json_object_get(json_array_get(cy, n - 1), "date")),
	    want);
	free(want);
	assert_true(strcmp(json_string_value(json_object_get(json_array_get(cy, 0), "date")),
	    json_string_value(json_object_get(json_array_get(cy, n - 1), "date"))) < 0);
	assert_int_equal(num(json_object_get(d, "queue"), "pending"),
	    test_count("SELECT count(*) FROM renewal_subscriptions WHERE status = 'pending'"));
	json_decref(d);
	/* A range with no execution: empty lists, not an error. */
	d = dashboard("?from=1999-01-01&to=1999-01-31");
	assert_int_equal(json_array_size(json_object_get(d, "cycles")), 0);
	assert_int_equal(json_array_size(json_object_get(d, "debits_by_bank")), 0);
	json_decref(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reviewers_only_and_bad_ranges),
		cmocka_unit_test(cycles_are_what_the_cycles_wrote),
		cmocka_unit_test(figures_worked_out_by_hand),
		cmocka_unit_test(totals_by_reason_and_bank),
		cmocka_unit_test(default_is_the_last_twelve_and_the_queue),
	};

	return cmocka_run_group_tests_name("dashboard", tests, setup, teardown);
}
