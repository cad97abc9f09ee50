/* Sign-in, sessions, CSRF and sign-in throttling, through nginx. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"

static void
signin_sets_hardened_cookie_and_csrf(void **state)
{
	struct client c;
	struct http_resp r;
	json_t *b = json_pack("{s:s, s:s}", "username", "27263410001",
	    "password", "demo-signatory");
	char cookie[256];

	(void)state;
	client_init(&c);
	assert_int_equal(http_json(&c, "POST", "/api/v1/session", b, &r), 201);
	assert_true(http_header(&r, "Set-Cookie", cookie, sizeof(cookie)));
	assert_non_null(strstr(cookie, "__Host-session="));
	assert_non_null(strstr(cookie, "HttpOnly"));
	assert_non_null(strstr(cookie, "Secure"));
	assert_non_null(strstr(cookie, "SameSite=Strict"));
	assert_non_null(strstr(cookie, "Path=/"));
	/* 32 random bytes: 43 base64url characters. */
	assert_int_equal(strcspn(cookie + 15, ";"), 43);
	assert_non_null(resp_str(&r, "csrf_token"));
	assert_int_equal(strlen(resp_str(&r, "csrf_token")), 43);
	/* Only a hash of the token is stored. */
	{
		char sql[256], *found;

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE"
		    " encode(token_hash, 'escape') LIKE '%%%.43s%%'", cookie + 15);
		found = test_sql(sql);
		assert_string_equal(found, "0");
		free(found);
	}
	http_resp_free(&r);
	json_decref(b);
	client_free(&c);
}

static void
me_lists_companies_and_groups(void **state)
{
	struct client c;
	struct http_resp r;
	json_t *companies;

	(void)state;
	client_init(&c);
	assert_int_equal(client_signin(&c, "27263410001", "demo-signatory"), 201);
	assert_int_equal(http_json(&c, "GET", "/api/v1/me", NULL, &r), 200);
	assert_string_equal(resp_str(&r, "qid"), "27263410001");
	assert_string_equal(resp_str(&r, "name_en"), "Mohammed Al-Hajri");
	assert_string_equal(resp_str(&r, "name_ar"), "محمد الهاجري");
	companies = json_object_get(r.json, "signatory_of");
	assert_int_equal(json_array_size(companies), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(companies, 0), "est_id")), "10000001");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(companies, 1), "est_id")), "10000002");
	assert_int_equal(json_array_size(json_object_get(r.json, "groups")), 0);
	assert_string_equal(resp_str(&r, "csrf_token"), c.csrf);
	http_resp_free(&r);
	client_free(&c);

	client_init(&c);
	assert_int_equal(client_signin(&c, "28863410006", "demo-reviewer"), 201);
	assert_int_equal(http_json(&c, "GET", "/api/v1/me", NULL, &r), 200);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(r.json, "groups"), 0)), "reviewers");
	http_resp_free(&r);
	client_free(&c);

	/* A service account is no registered person: no names. */
	client_init(&c);
	assert_int_equal(client_signin(&c, "svc-test", "svc-test-pass"), 201);
	assert_int_equal(http_json(&c, "GET", "/api/v1/me", NULL, &r), 200);
	assert_true(json_is_null(json_object_get(r.json, "name_en")));
	assert_true(json_is_null(json_object_get(r.json, "qid")));
	http_resp_free(&r);
	client_free(&c);
}

/* A failure is recorded in the throttle's table, not appended to the audit
 * chain one by one (issue 11 §3: the chain summarizes them). */
static void
wrong_password_is_401_and_recorded(void **state)
{
	struct client c;
	struct http_resp r;
	long long audited = test_count("%s", "SELECT count(*) FROM audit_log WHERE"
	    " action = 'signin.failed'");
	long long before = test_count("%s", "SELECT count(*) FROM signin_failures WHERE"
	    " username = '28535610003' AND outcome = 'signin.failed'");

	(void)state;
	client_init(&c);
	assert_int_equal(client_signin(&c, "28535610003", "wrong"), 401);
	assert_int_equal(http_json(&c, "GET", "/api/v1/me", NULL, &r), 401);
	assert_string_equal(resp_str(&r, "error.code"), "not_signed_in");
	http_resp_free(&r);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM signin_failures WHERE"
	    " username = '28535610003' AND outcome = 'signin.failed'"), before + 1);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM audit_log WHERE"
	    " action = 'signin.failed'"), audited);
	/* The right password still works: one failure does not lock out. */
	assert_int_equal(client_signin(&c, "28535610003", "demo-hr"), 201);
	client_free(&c);
}

static void
empty_password_and_filter_injection_fail(void **state)
{
	static const char *const users[] = { "*", ")(uid=*", "*)(uid=*))(|(uid=*",
	    "27263410001)(|(uid=*", "2726341000*", "\\2a" };
	struct client c;
	size_t i;

	(void)state;
	client_init(&c);
	/* An empty password would bind anonymously: refused before any bind. */
	assert_int_equal(client_signin(&c, "27263410001", ""), 400);
	assert_int_equal(c.cookie[0], '\0');
	/* Not a canonical username: refused before the directory is asked. */
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		assert_int_equal(client_signin(&c, users[i], "demo-signatory"), 400);
		assert_int_equal(c.cookie[0], '\0');
	}
	client_free(&c);
}

/* Spellings the directory's uid matching would take for 28863410006 (the
 * reviewer) or svc-visa: each with the right password. */
static const char *const loose_spellings[] = {
	"28863410006 ", " 28863410006", "28863410006\xc2\xa0",
	"28863410006\xe3\x80\x80", "\xc2\xa0" "28863410006",
	"\xef\xbc\x92\xef\xbc\x98\xef\xbc\x98\xef\xbc\x96\xef\xbc\x93\xef\xbc\x94"
	"\xef\xbc\x91\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90\xef\xbc\x96",
	"SVC-VISA", "Svc-Visa", "svc-visa ",
};

static void
identity_is_the_canonical_uid(void **state)
{
	struct client c;
	struct http_resp r;
	json_t *b;
	long long ok_before, failed_before;
	size_t i;

	(void)state;
	ok_before = test_count("%s", "SELECT count(*) FROM audit_log WHERE action ="
	    " 'signin.ok'");
	failed_before = test_count("%s", "SELECT count(*) FROM signin_failures");
	client_init(&c);
	for (i = 0; i < sizeof(loose_spellings) / sizeof(loose_spellings[0]); i++) {
		const char *pw = loose_spellings[i][0] == 'S' || loose_spellings[i][0] == 's' ?
		    "demo-service" : "demo-reviewer";

		b = json_pack("{s:s, s:s}", "username", loose_spellings[i], "password", pw);
		if (http_json(&c, "POST", "/api/v1/session", b, &r) != 400)
			fail_msg("spelling %zu signed in or was asked of the directory", i);
		assert_string_equal(resp_str(&r, "error.code"), "invalid_field");
		assert_string_equal(resp_str(&r, "error.field"), "username");
		assert_int_equal(c.cookie[0], '\0');
		http_resp_free(&r);
		json_decref(b);
	}
	/* Nothing was signed in, nothing was recorded under those spellings. */
	assert_int_equal(test_count("%s", "SELECT count(*) FROM audit_log WHERE action ="
	    " 'signin.ok'"), ok_before);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM signin_failures"),
	    failed_before);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM audit_log WHERE"
	    " action LIKE 'signin.%%' AND actor ~ '[^a-z0-9-]'"), 0);
	/* The canonical spelling: the session is the directory's uid, with its QID. */
	assert_int_equal(client_signin(&c, "28863410006", "demo-reviewer"), 201);
	assert_int_equal(http_json(&c, "GET", "/api/v1/me", NULL, &r), 200);
	assert_string_equal(resp_str(&r, "username"), "28863410006");
	assert_string_equal(resp_str(&r, "qid"), "28863410006");
	http_resp_free(&r);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM audit_log WHERE action ="
	    " 'signin.ok' AND actor = '28863410006'") >= 1, 1);
	client_free(&c);
}

static void
throttle_counts_one_identity_whatever_the_spelling(void **state)
{
	struct client c;
	size_t i;
	int k;

	(void)state;
	client_init(&c);
	for (k = 0; k < 5; k++)
		assert_int_equal(client_signin(&c, "29935600203", "nope"), 401);
	/* Other spellings are not five more guesses each: they are not tried. */
	for (i = 0; i < 5; i++) {
		static const char *const more[] = { "29935600203 ", " 29935600203",
		    "29935600203\xc2\xa0", "29935600203\t", "\xef\xbc\x92" "9935600203" };

		assert_int_equal(client_signin(&c, more[i], "test-pass-203"), 400);
	}
	assert_int_equal(client_signin(&c, "29935600203", "test-pass-203"), 429);
	/* Every failure of that person is under the one spelling. */
	assert_int_equal(test_count("%s", "SELECT count(*) FROM signin_failures WHERE"
	    " username LIKE '%%29935600203%%'"),
	    test_count("%s", "SELECT count(*) FROM signin_failures WHERE"
	    " username = '29935600203'"));
	assert_true(test_count("%s", "SELECT count(*) FROM signin_failures WHERE"
	    " username = '29935600203'") >= 6);
	client_free(&c);
}

static void
signout_ends_the_session_on_the_server(void **state)
{
	struct client c;
	char cookie[128];

	(void)state;
	client_init(&c);
	assert_int_equal(client_signin(&c, "28535610003", "demo-hr"), 201);
	snprintf(cookie, sizeof(cookie), "%s", c.cookie);
	assert_int_equal(http_status(&c, "GET", "/api/v1/me", NULL), 200);
	assert_int_equal(http_status(&c, "DELETE", "/api/v1/session", NULL), 200);
	/* Replaying the old cookie does not bring the session back. */
	snprintf(c.cookie, sizeof(c.cookie), "%s", cookie);
	assert_int_equal(http_status(&c, "GET", "/api/v1/me", NULL), 401);
	client_free(&c);
}

static void
new_session_at_every_signin(void **state)
{
	struct client c;
	char first[128];

	(void)state;
	client_init(&c);
	assert_int_equal(client_signin(&c, "28535610003", "demo-hr"), 201);
	snprintf(first, sizeof(first), "%s", c.cookie);
	assert_int_equal(client_signin(&c, "28535610003", "demo-hr"), 201);
	assert_string_not_equal(first, c.cookie);
	assert_int_equal(http_status(&c, "GET", "/api/v1/me", NULL), 200);
	/* The session the browser held before signing in again has ended. */
	snprintf(c.cookie, sizeof(c.cookie), "%s", first);
	assert_int_equal(http_status(&c, "GET", "/api/v1/me", NULL), 401);
	client_free(&c);
}

static void
csrf_token_required_on_state_changes(void **state)
{
	struct client c;
	struct http_resp r;
	char csrf[64];

	(void)state;
	client_init(&c);
	assert_int_equal(client_signin(&c, "28535610003", "demo-hr"), 201);
	snprintf(csrf, sizeof(csrf), "%s", c.csrf);
	c.csrf[0] = '\0';
	assert_int_equal(http_json(&c, "DELETE", "/api/v1/session", NULL, &r), 403);
	assert_string_equal(resp_str(&r, "error.code"), "csrf");
	http_resp_free(&r);
	snprintf(c.csrf, sizeof(c.csrf), "%.42sA", csrf);
	if (strcmp(c.csrf, csrf) == 0)
		c.csrf[42] = 'B';
	assert_int_equal(http_status(&c, "DELETE", "/api/v1/session", NULL), 403);
	/* The session survived both attempts. */
	assert_int_equal(http_status(&c, "GET", "/api/v1/me", NULL), 200);
	snprintf(c.csrf, sizeof(c.csrf), "%s", csrf);
	assert_int_equal(http_status(&c, "DELETE", "/api/v1/session", NULL), 200);
	client_free(&c);
}

static void
idle_timeout_with_injected_clock(void **state)
{
	struct client c;

	(void)state;
	client_init(&c);
	test_clock_set("2026-12-01T06:00:00Z");
	assert_int_equal(client_signin(&c, "28535610003", "demo-hr"), 201);
	test_clock_set("2026-12-01T06:14:00Z");
	assert_int_equal(http_status(&c, "GET", "/api/v1/me", NULL), 200);
	test_clock_set("2026-12-01T06:28:30Z");
	assert_int_equal(http_status(&c, "GET", "/api/v1/me", NULL), 200);
	/* More than 15 minutes after the last request. */
	test_clock_set("2026-12-01T06:44:00Z");
	assert_int_equal(http_status(&c, "GET", "/api/v1/me", NULL), 401);
	/* Ended for good, even if the clock comes back. */
	test_clock_set("2026-12-01T06:29:00Z");
	assert_int_equal(http_status(&c, "GET", "/api/v1/me", NULL), 401);
	test_clock_set(NULL);
	client_free(&c);
}

static void
absolute_timeout_after_eight_hours(void **state)
{
	char at[32];
	struct client c;
	int minutes;

	(void)state;
	client_init(&c);
	test_clock_set("2026-12-02T04:00:00Z");
	assert_int_equal(client_signin(&c, "28535610003", "demo-hr"), 201);
	/* Active every 10 minutes for 7h50m: still signed in. */
	for (minutes = 10; minutes <= 470; minutes += 10) {
		snprintf(at, sizeof(at), "2026-12-02T%02d:%02d:00Z",
		    4 + minutes / 60, minutes % 60);
		test_clock_set(at);
		assert_int_equal(http_status(&c, "GET", "/api/v1/me", NULL), 200);
	}
	test_clock_set("2026-12-02T12:00:01Z");
	assert_int_equal(http_status(&c, "GET", "/api/v1/me", NULL), 401);
	test_clock_set(NULL);
	client_free(&c);
}

static void
failed_signins_are_throttled_per_username(void **state)
{
	struct client c;
	struct http_resp r;
	json_t *b;
	int i;

	(void)state;
	client_init(&c);
	for (i = 0; i < 5; i++)
		assert_int_equal(client_signin(&c, "29935600202", "nope"), 401);
	/* Even the right password is not tried against the directory now. */
	b = json_pack("{s:s, s:s}", "username", "29935600202",
	    "password", "test-pass-202");
	assert_int_equal(http_json(&c, "POST", "/api/v1/session", b, &r), 429);
	assert_string_equal(resp_str(&r, "error.code"), "too_many_attempts");
	/* The wait the person is told is the first delay: 15 s, not 15 min. */
	assert_non_null(strstr(resp_str(&r, "error.message"), "try again in 1"));
	http_resp_free(&r);
	json_decref(b);
	assert_true(test_count("%s", "SELECT count(*) FROM signin_failures WHERE"
	    " outcome = 'signin.throttled' AND username = '29935600202'") >= 1);
	/* Another user from the same address is not locked out by it. */
	assert_int_equal(client_signin(&c, "29935600201", "test-pass-201"), 201);
	client_free(&c);
}

static void
bad_signin_bodies_are_400(void **state)
{
	struct client c;
	struct http_resp r;

	(void)state;
	client_init(&c);
	assert_int_equal(http_req(&c, "POST", "/api/v1/session", "application/json",
	    "{\"username\":", 12, &r), 400);
	assert_string_equal(resp_str(&r, "error.code"), "malformed_json");
	http_resp_free(&r);
	assert_int_equal(http_req(&c, "POST", "/api/v1/session", "text/plain",
	    "x", 1, &r), 415);
	http_resp_free(&r);
	assert_int_equal(http_req(&c, "POST", "/api/v1/session", "application/json",
	    "{\"username\":5,\"password\":\"x\"}", 29, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "username");
	http_resp_free(&r);
	client_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signin_sets_hardened_cookie_and_csrf),
		cmocka_unit_test(me_lists_companies_and_groups),
		cmocka_unit_test(wrong_password_is_401_and_recorded),
		cmocka_unit_test(empty_password_and_filter_injection_fail),
		cmocka_unit_test(signout_ends_the_session_on_the_server),
		cmocka_unit_test(new_session_at_every_signin),
		cmocka_unit_test(csrf_token_required_on_state_changes),
		cmocka_unit_test(idle_timeout_with_injected_clock),
		cmocka_unit_test(absolute_timeout_after_eight_hours),
		cmocka_unit_test(failed_signins_are_throttled_per_username),
		cmocka_unit_test(bad_signin_bodies_are_400),
		cmocka_unit_test(identity_is_the_canonical_uid),
		cmocka_unit_test(throttle_counts_one_identity_whatever_the_spelling),
	};

	return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
