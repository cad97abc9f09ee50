/*
 * domain/session_rules.h: when a stored session stops being accepted, when
 * its last use is rewritten, and when sign-ins are throttled (SPEC §6).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/session_rules.h"

#define NOW	1796000000
static const struct session_limits lim = { 1800, 43200 };	/* 30 min, 12 h */

static void
idle_limit_is_inclusive(void **state)
{
	(void)state;
	assert_int_equal(session_check(&lim, NOW, NOW - 100, NOW - 1800), SESSION_OK);
	assert_int_equal(session_check(&lim, NOW, NOW - 100, NOW - 1801), SESSION_IDLE);
}

static void
absolute_limit_holds_for_a_busy_session(void **state)
{
	(void)state;
	/* Used a second ago, but signed in more than 12 h ago. */
	assert_int_equal(session_check(&lim, NOW, NOW - 43200, NOW - 1), SESSION_OK);
	assert_int_equal(session_check(&lim, NOW, NOW - 43201, NOW - 1), SESSION_TOO_OLD);
}

static void
idle_is_told_before_too_old(void **state)
{
	(void)state;
	assert_int_equal(session_check(&lim, NOW, NOW - 50000, NOW - 5000), SESSION_IDLE);
}

static void
refusal_names(void **state)
{
	(void)state;
	assert_string_equal(session_refusal_name(SESSION_OK), "ok");
	assert_string_equal(session_refusal_name(SESSION_IDLE), "idle");
	assert_string_equal(session_refusal_name(SESSION_TOO_OLD), "too_old");
	assert_string_equal(session_refusal_name(SESSION__MAX), "unknown");
}

static void
touch_every_30_seconds(void **state)
{
	(void)state;
	assert_false(session_needs_touch(NOW, NOW - 29));
	assert_true(session_needs_touch(NOW, NOW - 30));
	assert_true(session_needs_touch(NOW, NOW - 3000));
}

static void
groups_round_trip(void **state)
{
	static const struct { int rev, svc; const char *lit, *csv; } c[] = {
		{ 0, 0, "{}", "" },
		{ 1, 0, "{reviewers}", "reviewers" },
		{ 0, 1, "{services}", "services" },
		{ 1, 1, "{reviewers,services}", "reviewers,services" },
	};
	struct session_groups g;
	char out[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		g.reviewer = c[i].rev;
		g.service = c[i].svc;
		session_groups_format(&g, out, sizeof(out));
		assert_string_equal(out, c[i].lit);
		memset(&g, 0x5a, sizeof(g));
		session_groups_parse(c[i].csv, &g);
		assert_int_equal(g.reviewer, c[i].rev);
		assert_int_equal(g.service, c[i].svc);
	}
}

static void
groups_ignore_unknown_and_prefixes(void **state)
{
	struct session_groups g;

	(void)state;
	session_groups_parse("admins,reviewer,servicesx,,services", &g);
	assert_int_equal(g.reviewer, 0);
	assert_int_equal(g.service, 1);
	session_groups_parse(NULL, &g);
	assert_int_equal(g.reviewer + g.service, 0);
}

static void
throttle_at_the_maximum(void **state)
{
	const struct signin_limits sl = { 900, 5, 20 };

	(void)state;
	assert_int_equal(signin_window_start(&sl, NOW), NOW - 900);
	assert_false(signin_throttled(&sl, 4, 19));
	assert_true(signin_throttled(&sl, 5, 0));
	assert_true(signin_throttled(&sl, 0, 20));
}

static void
outcomes(void **state)
{
	(void)state;
	assert_string_equal(signin_outcome_action(SIGNIN_OK), "signin.ok");
	assert_string_equal(signin_outcome_action(SIGNIN_FAILED), "signin.failed");
	assert_string_equal(signin_outcome_action(SIGNIN_THROTTLED), "signin.throttled");
	assert_int_equal(signin_outcome_effect(SIGNIN_OK), SIGNIN_CLEAR_FAILURES);
	assert_int_equal(signin_outcome_effect(SIGNIN_FAILED), SIGNIN_ADD_FAILURE);
	/* A throttled attempt must not count, or the lock-out never ends. */
	assert_int_equal(signin_outcome_effect(SIGNIN_THROTTLED), SIGNIN_KEEP);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(idle_limit_is_inclusive),
		cmocka_unit_test(absolute_limit_holds_for_a_busy_session),
		cmocka_unit_test(idle_is_told_before_too_old),
		cmocka_unit_test(refusal_names),
		cmocka_unit_test(touch_every_30_seconds),
		cmocka_unit_test(groups_round_trip),
		cmocka_unit_test(groups_ignore_unknown_and_prefixes),
		cmocka_unit_test(throttle_at_the_maximum),
		cmocka_unit_test(outcomes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
