/*
 * domain/mobile_code.h: the one-time code of a new mobile number: 10
 * minutes, 5 wrong tries, then a new code; the format of a code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/mobile_code.h"

#define T0	1796000000
#define EXP	(T0 + MOBILE_CODE_TTL_S)

static void
right_code_in_time_confirms(void **state)
{
	int after, left;

	(void)state;
	assert_int_equal(mobile_code_decide(T0, EXP, 0, 1, &after, &left), MC_CONFIRMED);
	assert_int_equal(after, 0);
	/* the last second of the ten minutes still counts; a wrong try before */
	assert_int_equal(mobile_code_decide(EXP - 1, EXP, 4, 1, &after, &left), MC_CONFIRMED);
	assert_null(mobile_code_error(MC_CONFIRMED));
}

static void
five_wrong_tries_exhaust_the_code(void **state)
{
	int wrong = 0, after, left, i;

	(void)state;
	for (i = 1; i < MOBILE_CODE_TRIES; i++) {
		assert_int_equal(mobile_code_decide(T0, EXP, wrong, 0, &after, &left), MC_WRONG);
		assert_int_equal(after, wrong + 1);
		assert_int_equal(left, MOBILE_CODE_TRIES - i);
		wrong = after;
	}
	assert_int_equal(mobile_code_decide(T0, EXP, wrong, 0, &after, &left), MC_EXHAUSTED);
	assert_int_equal(after, 5);
	assert_int_equal(left, 0);
	/* after that even the right code is refused: a new code is needed */
	assert_int_equal(mobile_code_decide(T0, EXP, 5, 1, &after, &left), MC_EXHAUSTED);
	assert_string_equal(mobile_code_error(MC_EXHAUSTED), "code_exhausted");
	assert_string_equal(mobile_code_error(MC_WRONG), "wrong_code");
}

static void
expired_code_is_refused_and_not_counted(void **state)
{
	int after, left;

	(void)state;
	assert_int_equal(mobile_code_decide(EXP, EXP, 2, 1, &after, &left), MC_EXPIRED);
	assert_int_equal(after, 2);
	assert_int_equal(mobile_code_decide(EXP + 3600, EXP, 0, 0, &after, &left), MC_EXPIRED);
	assert_int_equal(after, 0);
	assert_string_equal(mobile_code_error(MC_EXPIRED), "code_expired");
}

static void
codes_are_six_digits(void **state)
{
	char c[MOBILE_CODE_DIGITS + 1];

	(void)state;
	mobile_code_format(42, c);
	assert_string_equal(c, "000042");
	mobile_code_format(4294967295u, c);
	assert_string_equal(c, "967295");
	assert_true(mobile_code_ok("012345"));
	assert_false(mobile_code_ok("12345"));
	assert_false(mobile_code_ok("1234567"));
	assert_false(mobile_code_ok("12345a"));
	assert_false(mobile_code_ok(" 12345"));
	assert_false(mobile_code_ok(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(right_code_in_time_confirms),
		cmocka_unit_test(five_wrong_tries_exhaust_the_code),
		cmocka_unit_test(expired_code_is_refused_and_not_counted),
		cmocka_unit_test(codes_are_six_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
