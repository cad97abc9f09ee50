/*
 * domain/penalty_rules.h: the two ladders of the seed figures (sql/029),
 * day by day. Not enrolled: a warning 30 days after the licence, a fine 30
 * days after the warning, a higher fine with suspension 30 days after that,
 * and nothing once enrolled. Inaccurate data: warning, then fines for the
 * second and third returns each within 6 months of the one before.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/penalty_rules.h"

static struct rb_date
d(const char *s)
{
	struct rb_date out = { 0 };

	assert_int_equal(date_parse(s, &out), RB_OK);
	return out;
}

static struct penalty_ladder_rules
not_enrolled(void)
{
	struct penalty_ladder_rules r = { .n = 3 };

	r.steps[0] = (struct penalty_rule){ "not_enrolled_warning", 1, 30, 0, 0, 0 };
	r.steps[1] = (struct penalty_rule){ "not_enrolled_fine", 2, 30, 0, 1000000, 0 };
	r.steps[2] = (struct penalty_rule){ "not_enrolled_suspension", 3, 30, 0, 2500000, 1 };
	return r;
}

static struct penalty_ladder_rules
inaccurate(void)
{
	struct penalty_ladder_rules r = { .n = 3 };

	r.steps[0] = (struct penalty_rule){ "inaccurate_warning", 1, 0, 0, 0, 0 };
	r.steps[1] = (struct penalty_rule){ "inaccurate_fine", 2, 0, 6, 500000, 0 };
	r.steps[2] = (struct penalty_rule){ "inaccurate_fine_high", 3, 0, 6, 2500000, 0 };
	return r;
}

static void
not_enrolled_steps_fall_due_30_days_apart(void **state)
{
	struct penalty_ladder_rules r = not_enrolled();
	struct penalty_company_facts f = { .compulsory = 1, .enrolled = 0,
		.has_licensed_on = 1, .licensed_on = d("2026-01-01") };

	(void)state;
	assert_int_equal(penalty_not_enrolled_due(&r, &f, d("2026-01-30")), 0);
	assert_int_equal(penalty_not_enrolled_due(&r, &f, d("2026-01-31")), 1);
	f.last_step = 1;
	f.last_issued_on = d("2026-01-31");
	assert_int_equal(penalty_not_enrolled_due(&r, &f, d("2026-03-01")), 0);
	assert_int_equal(penalty_not_enrolled_due(&r, &f, d("2026-03-02")), 2);
	f.last_step = 2;
	f.last_issued_on = d("2026-03-02");
	assert_int_equal(penalty_not_enrolled_due(&r, &f, d("2026-03-31")), 0);
	assert_int_equal(penalty_not_enrolled_due(&r, &f, d("2026-04-01")), 3);
	/* After the last step nothing more is due, however long it lasts. */
	f.last_step = 3;
	f.last_issued_on = d("2026-04-01");
	assert_int_equal(penalty_not_enrolled_due(&r, &f, d("2027-04-01")), 0);
}

static void
nothing_for_enrolled_optional_or_unlicensed(void **state)
{
	struct penalty_ladder_rules r = not_enrolled();
	struct penalty_company_facts f = { .compulsory = 1, .enrolled = 1,
		.has_licensed_on = 1, .licensed_on = d("2026-01-01") };

	(void)state;
	assert_int_equal(penalty_not_enrolled_due(&r, &f, d("2026-06-01")), 0);
	f.enrolled = 0;
	f.compulsory = 0;
	assert_int_equal(penalty_not_enrolled_due(&r, &f, d("2026-06-01")), 0);
	f.compulsory = 1;
	f.has_licensed_on = 0;
	assert_int_equal(penalty_not_enrolled_due(&r, &f, d("2026-06-01")), 0);
	/* A step a day at most: a long outage issues step 1 first. */
	f.has_licensed_on = 1;
	assert_int_equal(penalty_not_enrolled_due(&r, &f, d("2026-12-01")), 1);
}

static void
inaccurate_ladder_within_six_months(void **state)
{
	struct penalty_ladder_rules r = inaccurate();

	(void)state;
	assert_int_equal(penalty_inaccurate_step(&r, 0, d("1970-01-01"), d("2026-01-10")), 1);
	/* Second within 6 months of the first: a fine. */
	assert_int_equal(penalty_inaccurate_step(&r, 1, d("2026-01-10"), d("2026-07-10")), 2);
	/* A day past the window: a warning again. */
	assert_int_equal(penalty_inaccurate_step(&r, 1, d("2026-01-10"), d("2026-07-11")), 1);
	/* Third within 6 months of the second. */
	assert_int_equal(penalty_inaccurate_step(&r, 2, d("2026-03-01"), d("2026-08-31")), 3);
	assert_int_equal(penalty_inaccurate_step(&r, 2, d("2026-03-01"), d("2026-09-02")), 1);
	/* The top step repeats. */
	assert_int_equal(penalty_inaccurate_step(&r, 3, d("2026-03-01"), d("2026-04-01")), 3);
}

static void
ladders_are_checked(void **state)
{
	struct penalty_ladder_rules r = not_enrolled();
	struct penalty_ladder_rules i = inaccurate();

	(void)state;
	assert_true(penalty_ladder_valid(PL_NOT_ENROLLED, &r));
	assert_true(penalty_ladder_valid(PL_INACCURATE_DATA, &i));
	r.steps[1].after_days = 0;
	assert_false(penalty_ladder_valid(PL_NOT_ENROLLED, &r));
	i.steps[2].step = 2;
	assert_false(penalty_ladder_valid(PL_INACCURATE_DATA, &i));
	r.n = 0;
	assert_false(penalty_ladder_valid(PL_NOT_ENROLLED, &r));
	assert_int_equal(penalty_ladder_parse("inaccurate_data"), PL_INACCURATE_DATA);
	assert_int_equal(penalty_ladder_parse("x"), -1);
	assert_string_equal(penalty_ladder_name(PL_NOT_ENROLLED), "not_enrolled");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(not_enrolled_steps_fall_due_30_days_apart),
		cmocka_unit_test(nothing_for_enrolled_optional_or_unlicensed),
		cmocka_unit_test(inaccurate_ladder_within_six_months),
		cmocka_unit_test(ladders_are_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
