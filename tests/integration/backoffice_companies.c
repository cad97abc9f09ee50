/*
 * GET /api/v1/backoffice/companies: the reviewers' company search (by the
 * start of an establishment number, or part of a name in either language),
 * paged, with each company's subscription state; reviewers only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"
#include "tests/lib/signin.h"

static struct client rev, sig;
static const struct signin signins[] = {
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
	signin_teardown(signins, SIGNIN_N(signins));
	return 0;
}

/* A reviewer's search (the query string), which must answer want_status. */
static void
search(const char *query, long want_status, struct http_resp *r)
{
	char path[256];

	snprintf(path, sizeof(path), "/api/v1/backoffice/companies?%s", query);
	assert_int_equal(http_req(&rev, "GET", path, NULL, NULL, 0, r), want_status);
}

static int
has_est(const struct http_resp *r, const char *est)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(r->json, "items"), i, v)
		if (strcmp(json_string_value(json_object_get(v, "est_id")), est) == 0)
			return 1;
	return 0;
}

static void
by_name_in_both_languages(void **state)
{
	struct http_resp r;
	json_t *v;
	size_t i;

	(void)state;
	search("q=noor", 200, &r);
	assert_true(has_est(&r, "10000001"));
	assert_true(has_est(&r, "10000002"));
	assert_false(has_est(&r, "10000003"));
	json_array_foreach(json_object_get(r.json, "items"), i, v) {
		assert_non_null(strcasestr(json_string_value(json_object_get(v, "name_en")), "noor"));
		json_t *st = json_object_get(v, "subscription_status");
		char *want = test_sqlf("SELECT coalesce((SELECT s.status FROM renewal_subscriptions s"
		    " WHERE s.est_id = '%s' ORDER BY (s.status = 'active') DESC, s.id DESC LIMIT 1),"
		    " '(never subscribed)')", json_string_value(json_object_get(v, "est_id")));

		/* The active subscription's status, else the latest's; null (not
		 * absent) for a company that never subscribed. */
		assert_non_null(want);
		assert_true(json_is_string(st) || json_is_null(st));
		assert_string_equal(json_is_null(st) ? "(never subscribed)" : json_string_value(st),
		    want);
		free(want);
		assert_non_null(json_string_value(json_object_get(v, "email")));
	}
	http_resp_free(&r);
	/* Arabic, URL-encoded: الدوحة */
	search("q=%D8%A7%D9%84%D8%AF%D9%88%D8%AD%D8%A9", 200, &r);
	assert_true(has_est(&r, "10000003"));
	assert_false(has_est(&r, "10000001"));
	http_resp_free(&r);
}

static void
by_establishment_number_prefix(void **state)
{
	struct http_resp r;
	json_t *items;

	(void)state;
	search("q=1000000", 200, &r);
	assert_true(has_est(&r, "10000001"));
	assert_true(has_est(&r, "10000003"));
	http_resp_free(&r);
	search("q=10000003", 200, &r);
	items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "name_en")),
	    "Doha Trading");
	http_resp_free(&r);
}

static void
wildcards_are_text(void **state)
{
	struct http_resp r;

	(void)state;
	search("q=%25", 200, &r);	/* "%" */
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
	http_resp_free(&r);
	search("q=_", 200, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
	http_resp_free(&r);
}

static void
paged(void **state)
{
	struct http_resp r;
	json_int_t total;

	(void)state;
	search("q=noor&limit=1", 200, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	total = json_integer_value(json_object_get(r.json, "total"));
	assert_true(total >= 2);
	http_resp_free(&r);
	search("q=noor&limit=1&offset=1000", 200, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), total);
	http_resp_free(&r);
}

static void
refusals(void **state)
{
	struct http_resp r;

	(void)state;
	search("", 400, &r);
	assert_string_equal(resp_str(&r, "error.field"), "q");
	http_resp_free(&r);
	search("q=", 400, &r);
	http_resp_free(&r);
	assert_int_equal(http_status(&sig, "GET", "/api/v1/backoffice/companies?q=noor", NULL), 403);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(by_name_in_both_languages),
		cmocka_unit_test(by_establishment_number_prefix),
		cmocka_unit_test(wildcards_are_text),
		cmocka_unit_test(paged),
		cmocka_unit_test(refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
