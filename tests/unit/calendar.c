/*
 * domain/calendar.h: alerts on the 1st and 15th, executions on the 8th and
 * 22nd, and the next execution the preview shows by default.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/calendar.h"

static struct rb_date
ymd(int y, int m, int d)
{
	struct rb_date out;

	assert_int_equal(date_from_ymd(y, m, d, &out), RB_OK);
	return out;
}

static void
kinds_of_days(void **state)
{
	int d;

	(void)state;
	for (d = 1; d <= 31; d++) {
		int want = d == 1 || d == 15 ? CYCLE_ALERT : d == 8 || d == 22 ?
		    CYCLE_EXECUTION : -1;

		assert_int_equal(cycle_kind_of(ymd(2027, 1, d)), want);
	}
	assert_string_equal(cycle_kind_name(CYCLE_ALERT), "alert");
	assert_string_equal(cycle_kind_name(CYCLE_EXECUTION), "execution");
}

static void
alerts_announce_the_execution_a_week_later(void **state)
{
	(void)state;
	assert_int_equal(cycle_next_execution(ymd(2026, 12, 1)).days, ymd(2026, 12, 8).days);
	assert_int_equal(cycle_next_execution(ymd(2026, 12, 15)).days, ymd(2026, 12, 22).days);
}

static void
execution_from_a_date(void **state)
{
	(void)state;
	/* An execution day is its own next execution. */
	assert_int_equal(cycle_execution_from(ymd(2026, 12, 8)).days, ymd(2026, 12, 8).days);
	assert_int_equal(cycle_execution_from(ymd(2026, 12, 22)).days, ymd(2026, 12, 22).days);
	assert_int_equal(cycle_execution_from(ymd(2026, 12, 1)).days, ymd(2026, 12, 8).days);
	assert_int_equal(cycle_execution_from(ymd(2026, 12, 9)).days, ymd(2026, 12, 22).days);
	assert_int_equal(cycle_execution_from(ymd(2026, 12, 21)).days, ymd(2026, 12, 22).days);
	/* Past the 22nd: the next month's 8th, across a year's end too. */
	assert_int_equal(cycle_execution_from(ymd(2026, 12, 23)).days, ymd(2027, 1, 8).days);
	assert_int_equal(cycle_execution_from(ymd(2027, 2, 28)).days, ymd(2027, 3, 8).days);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kinds_of_days),
		cmocka_unit_test(alerts_announce_the_execution_a_week_later),
		cmocka_unit_test(execution_from_a_date),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
