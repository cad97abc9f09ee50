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

static const struct signin_limits sl = { 900, 5, 50 };

/* Failures seen: n for (user, address), u for the user, a for the address,
 * each last seen at NOW - ago. */
static struct signin_seen
seen(int64_t n, int64_t u, int64_t a, int64_t ago)
{
	struct signin_seen s = { { n, NOW - ago }, { u, NOW - ago }, { a, NOW - ago } };

	return s;
}

static void
throttle_window(void **state)
{
	(void)state;
	assert_int_equal(signin_window_start(&sl, NOW), NOW - 900);
}

/* The old limit, five failures, still holds the sixth attempt at one
 * address, but only for a while: 15 s, doubling with each failure more. */
static void
pair_waits_grow_per_failure(void **state)
{
	static const struct { int64_t n, wait; } c[] = {
		{ 0, 0 }, { 4, 0 }, { 5, 15 }, { 6, 30 }, { 7, 60 }, { 8, 120 },
		{ 9, 240 }, { 10, 480 }, { 11, 900 }, { 12, 900 }, { 1000000, 900 },
	};
	struct signin_seen s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		/* Only this pair failed (the user-wide and address counts as
		 * low as they can be while holding it). */
		s = seen(c[i].n, c[i].n < 10 ? c[i].n : 9, c[i].n < 50 ? c[i].n : 49, 0);
		if (signin_wait(&sl, &s, NOW) != c[i].wait)
			fail_msg("%lld failures: wait %lld, expected %lld", (long long)c[i].n,
			    (long long)signin_wait(&sl, &s, NOW), (long long)c[i].wait);
	}
	/* The wait counts from the last failure, and ends. */
	s = seen(5, 5, 5, 10);
	assert_int_equal(signin_wait(&sl, &s, NOW), 5);
	s = seen(5, 5, 5, 15);
	assert_int_equal(signin_wait(&sl, &s, NOW), 0);
	s = seen(11, 9, 11, 899);
	assert_int_equal(signin_wait(&sl, &s, NOW), 1);
}

/*
 * Failures from other addresses never shut the user out: past ten, each
 * attempt waits 36 s at most, however many there are; fifty failures from
 * an address slow everyone behind it by 3 s.
 */
static void
user_and_address_limits_only_slow(void **state)
{
	static const struct { int64_t u, a, ago, wait; } c[] = {
		{ 9, 0, 0, 0 }, { 10, 0, 0, SIGNIN_USER_WAIT_S }, { 100000, 0, 0, 36 },
		{ 100000, 0, 36, 0 }, { 100000, 0, 30, 6 },
		{ 0, 49, 0, 0 }, { 0, 50, 0, SIGNIN_ADDR_WAIT_S }, { 0, 1000000, 1, 2 },
		{ 0, 1000000, 3, 0 },
	};
	struct signin_seen s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		s = seen(0, c[i].u, c[i].a, c[i].ago);
		if (signin_wait(&sl, &s, NOW) != c[i].wait)
			fail_msg("case %zu: wait %lld, expected %lld", i,
			    (long long)signin_wait(&sl, &s, NOW), (long long)c[i].wait);
	}
	/* 100 guesses an hour at most, past the free ones. */
	assert_int_equal(3600 / SIGNIN_USER_WAIT_S, 100);
}

/* The longest of the three waits applies. */
static void
longest_wait_applies(void **state)
{
	struct signin_seen s = { { 6, NOW - 20 }, { 12, NOW - 1 }, { 60, NOW } };

	(void)state;
	assert_int_equal(signin_wait(&sl, &s, NOW), 35);
	s.pair.last = NOW;
	assert_int_equal(signin_wait(&sl, &s, NOW), 35);
	s.pair.n = 7;
	assert_int_equal(signin_wait(&sl, &s, NOW), 60);
}

static void
summary_every_hour_or_thousand(void **state)
{
	(void)state;
	assert_false(signin_summary_due(0, 0, NOW));
	assert_false(signin_summary_due(1, NOW - 3599, NOW));
	assert_true(signin_summary_due(1, NOW - 3600, NOW));
	assert_false(signin_summary_due(999, NOW, NOW));
	assert_true(signin_summary_due(1000, NOW, NOW));
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
	/* A throttled attempt is recorded apart: were it counted, the wait
	 * would never end. */
	assert_int_equal(signin_outcome_effect(SIGNIN_THROTTLED), SIGNIN_ADD_THROTTLED);
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
		cmocka_unit_test(throttle_window),
		cmocka_unit_test(pair_waits_grow_per_failure),
		cmocka_unit_test(user_and_address_limits_only_slow),
		cmocka_unit_test(longest_wait_applies),
		cmocka_unit_test(summary_every_hour_or_thousand),
		cmocka_unit_test(outcomes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
