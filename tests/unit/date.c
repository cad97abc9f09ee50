/*
 * lib/date.h and lib/clock.h: Qatar calendar dates and the
 * injectable clock (RB_CLOCK_FILE).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/clock.h"
#include "lib/date.h"

/* UTC instant of a civil time, computed by the C library, not by date.c. */
static int64_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm);
}

static struct rb_date
D(const char *s)
{
	struct rb_date d;

	assert_int_equal(date_parse(s, &d), RB_OK);
	return d;
}

static void
assert_date(struct rb_date d, const char *want)
{
	char buf[11];

	date_format(d, buf);
	assert_string_equal(buf, want);
}

/* ---- date_parse */

static void
parse_valid(void **state)
{
	struct rb_date d;

	(void)state;
	assert_int_equal(date_parse("1970-01-01", &d), RB_OK);
	assert_int_equal(d.days, 0);
	assert_int_equal(date_parse("2026-12-08", &d), RB_OK);
	assert_int_equal(d.days, 20795);
	assert_int_equal(date_parse("1900-01-01", &d), RB_OK);
	assert_int_equal(d.days, -25567);
	assert_int_equal(date_parse("2200-12-31", &d), RB_OK);
	assert_int_equal(d.days, 84370);
	assert_int_equal(date_parse("2028-02-29", &d), RB_OK);
	assert_int_equal(date_parse("2000-02-29", &d), RB_OK);
	assert_int_equal(date_parse("2026-04-30", &d), RB_OK);
	assert_int_equal(date_parse("2026-12-31", &d), RB_OK);
}

static void
parse_strict(void **state)
{
	static const char *const bad[] = {
		"2026-02-29",		/* 2026 is not a leap year */
		"2100-02-29",		/* nor is 2100 */
		"2026-02-30",
		"2026-04-31",
		"2026-13-01",
		"2026-00-10",
		"2026-01-00",
		"2026-01-32",
		"2026-1-01",
		"2026-01-1",
		"26-01-01",
		"2026-01-01 ",
		"2026-01-01x",
		"2026-01-01T00:00:00Z",
		" 2026-01-01",
		"2026/01/01",
		"20260101",
		"2026-01-0a",
		"+026-01-01",
		"-026-01-01",
		"1899-12-31",		/* before the range */
		"2201-01-01",		/* after it */
		"0000-01-01",
		"",
	};
	struct rb_date d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (date_parse(bad[i], &d) != RB_EINVAL)
			fail_msg("date_parse accepted \"%s\"", bad[i]);
	assert_int_equal(date_parse(NULL, &d), RB_EINVAL);
}

static void
from_ymd(void **state)
{
	struct rb_date d;
	int y, m, day;

	(void)state;
	assert_int_equal(date_from_ymd(2026, 12, 8, &d), RB_OK);
	assert_int_equal(d.days, 20795);
	date_to_ymd(d, &y, &m, &day);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 12);
	assert_int_equal(day, 8);
	assert_int_equal(date_from_ymd(2026, 2, 29, &d), RB_EINVAL);
	assert_int_equal(date_from_ymd(2026, 0, 1, &d), RB_EINVAL);
	assert_int_equal(date_from_ymd(2026, 13, 1, &d), RB_EINVAL);
	assert_int_equal(date_from_ymd(2026, 1, 0, &d), RB_EINVAL);
	assert_int_equal(date_from_ymd(1899, 12, 31, &d), RB_EINVAL);
	assert_int_equal(date_from_ymd(2201, 1, 1, &d), RB_EINVAL);
}

/*
 * Every day of the supported range: consecutive days have consecutive
 * day numbers (checked against a calendar walked here independently),
 * and format and parse are inverse.
 */
static void
format_roundtrip(void **state)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = 1900, m = 1, day = 1, yy, mm, dd, n = 0;
	int32_t expect = -25567;
	char buf[11], want[40];
	struct rb_date d, back;

	(void)state;
	while (y <= 2200) {
		assert_int_equal(date_from_ymd(y, m, day, &d), RB_OK);
		assert_int_equal(d.days, expect);
		date_to_ymd(d, &yy, &mm, &dd);
		assert_true(yy == y && mm == m && dd == day);
		date_format(d, buf);
		snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, day);
		assert_string_equal(buf, want);
		assert_int_equal(date_parse(buf, &back), RB_OK);
		assert_int_equal(back.days, d.days);

		expect++;
		n++;
		if (day < dim[m - 1] + (m == 2 &&
		    ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))) {
			day++;
		} else {
			day = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	assert_int_equal(n, 84370 + 25567 + 1);
}

/* ---- date_add_months */

static void
add_months(void **state)
{
	(void)state;
	assert_date(date_add_months(D("2026-12-08"), 1), "2027-01-08");
	assert_date(date_add_months(D("2026-12-08"), 0), "2026-12-08");
	assert_date(date_add_months(D("2027-01-31"), 1), "2027-02-28");
	assert_date(date_add_months(D("2028-01-31"), 1), "2028-02-29");
	assert_date(date_add_months(D("2028-02-29"), 12), "2029-02-28");
	assert_date(date_add_months(D("2028-02-29"), 48), "2032-02-29");
	assert_date(date_add_months(D("2026-03-31"), 1), "2026-04-30");
	assert_date(date_add_months(D("2026-08-31"), 6), "2027-02-28");
	assert_date(date_add_months(D("2026-05-15"), 36), "2029-05-15");
	assert_date(date_add_months(D("2026-12-31"), 12), "2027-12-31");
	/* The passport rule looks 6 months ahead. */
	assert_date(date_add_months(D("2026-12-08"), 6), "2027-06-08");
	assert_date(date_add_months(D("2026-08-31"), 6), "2027-02-28");
	/* Backwards too. */
	assert_date(date_add_months(D("2027-03-31"), -1), "2027-02-28");
	assert_date(date_add_months(D("2027-01-15"), -1), "2026-12-15");
	assert_date(date_add_months(D("2026-12-15"), -12), "2025-12-15");
}

/* ---- date_of_instant_qatar: UTC+3, no daylight saving */

static void
instant_qatar(void **state)
{
	(void)state;
	assert_date(date_of_instant_qatar(utc(2026, 11, 30, 21, 0, 0)), "2026-12-01");
	assert_date(date_of_instant_qatar(utc(2026, 11, 30, 20, 59, 59)), "2026-11-30");
	assert_date(date_of_instant_qatar(utc(2026, 11, 30, 0, 0, 0)), "2026-11-30");
	assert_date(date_of_instant_qatar(utc(2026, 12, 31, 21, 0, 0)), "2027-01-01");
	assert_date(date_of_instant_qatar(utc(2028, 2, 28, 21, 0, 0)), "2028-02-29");
	/* Summer: still +3 (no DST). */
	assert_date(date_of_instant_qatar(utc(2026, 7, 1, 20, 59, 59)), "2026-07-01");
	assert_date(date_of_instant_qatar(utc(2026, 7, 1, 21, 0, 0)), "2026-07-02");
	/* Around and before the epoch (floor, not truncation). */
	assert_date(date_of_instant_qatar(0), "1970-01-01");
	assert_date(date_of_instant_qatar(-3 * 3600), "1970-01-01");
	assert_date(date_of_instant_qatar(-3 * 3600 - 1), "1969-12-31");
	assert_date(date_of_instant_qatar(utc(1950, 6, 1, 21, 0, 0)), "1950-06-02");
}

/* ---- clock_parse_instant */

static void
clock_parse_forms(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(clock_parse_instant("2026-12-08T06:30:15Z", &t), RB_OK);
	assert_true(t == utc(2026, 12, 8, 6, 30, 15));
	assert_int_equal(clock_parse_instant("2026-11-30T21:00:00Z", &t), RB_OK);
	assert_date(date_of_instant_qatar(t), "2026-12-01");
	assert_int_equal(clock_parse_instant("2026-12-08T23:59:59Z", &t), RB_OK);
	assert_true(t == utc(2026, 12, 8, 23, 59, 59));
	/* A bare date is 09:00 in Qatar, 06:00 UTC. */
	assert_int_equal(clock_parse_instant("2026-12-08", &t), RB_OK);
	assert_true(t == utc(2026, 12, 8, 6, 0, 0));
	assert_date(date_of_instant_qatar(t), "2026-12-08");
	/* As written by `echo` into the clock file. */
	assert_int_equal(clock_parse_instant("2026-12-08\n", &t), RB_OK);
	assert_true(t == utc(2026, 12, 8, 6, 0, 0));
	assert_int_equal(clock_parse_instant("2026-12-08T06:30:15Z\n", &t), RB_OK);
	assert_true(t == utc(2026, 12, 8, 6, 30, 15));
}

static void
clock_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"",
		"now",
		"2026-12-08T06:30:15",
		"2026-12-08 06:30:15Z",
		"2026-12-08t06:30:15z",
		"2026-12-08T06:30:15+03:00",
		"2026-12-08T06:30:15z",
		"2026-12-08T06:30:15X",
		"2026-12-08T06:30:15 ",
		"2026-12-08T06:30:15Z0",
		"2026-12-08T06:30:15Zjunk",
		"2026-12-08 junk",
		"2026-12-08T06:30:15.000Z",
		"2026-12-08T6:30:15Z",
		"2026-12-08T24:00:00Z",
		"2026-12-08T23:60:00Z",
		"2026-12-08T23:59:60Z",
		"2026-12-08T0a:30:15Z",
		"2026-12-08T06-30-15Z",
		"2026-02-29T06:00:00Z",
		"2026-02-29",
		"2026-13-01",
		"1899-12-31",
		"2026-12-8",
		"2026-12-08x",
		"x2026-12-08",
	};
	size_t i;
	int64_t t;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (clock_parse_instant(bad[i], &t) != RB_EINVAL)
			fail_msg("clock_parse_instant accepted \"%s\"", bad[i]);
}

/* ---- The clock file */

struct clock_fixture {
	char path[64];
};

static int
clock_setup(void **state)
{
	struct clock_fixture *f = calloc(1, sizeof(*f));
	int fd;

	if (f == NULL)
		return -1;
	strcpy(f->path, "/tmp/rb-unit-clock-XXXXXX");
	if ((fd = mkstemp(f->path)) < 0) {
		free(f);
		return -1;
	}
	close(fd);
	*state = f;
	return 0;
}

static int
clock_teardown(void **state)
{
	struct clock_fixture *f = *state;

	unlink(f->path);
	free(f);
	clock_init(NULL);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void
assert_real_time(void)
{
	int64_t before = (int64_t)time(NULL), now = clock_now();

	assert_true(now >= before - 2 && now <= (int64_t)time(NULL) + 2);
}

static void
clock_file_follows(void **state)
{
	struct clock_fixture *f = *state;

	write_file(f->path, "2026-12-08\n");
	clock_init(f->path);
	assert_date(clock_today(), "2026-12-08");
	assert_true(clock_now() == utc(2026, 12, 8, 6, 0, 0));

	/* Read at every call: moving the file moves the clock. */
	write_file(f->path, "2027-01-22");
	assert_date(clock_today(), "2027-01-22");
	write_file(f->path, "2027-01-22T20:59:59Z\n");
	assert_date(clock_today(), "2027-01-22");
	assert_true(clock_now() == utc(2027, 1, 22, 20, 59, 59));
	write_file(f->path, "2027-01-22T21:00:00Z\n");
	assert_date(clock_today(), "2027-01-23");
}

static void
clock_file_fallbacks(void **state)
{
	struct clock_fixture *f = *state;

	/* Empty file: the system clock. */
	write_file(f->path, "");
	clock_init(f->path);
	assert_real_time();

	/* Missing file: the system clock. */
	assert_int_equal(unlink(f->path), 0);
	assert_real_time();

	/* It comes back: followed again. */
	write_file(f->path, "2026-12-22");
	assert_date(clock_today(), "2026-12-22");

	/* No clock file at all. */
	clock_init(NULL);
	assert_real_time();
	clock_init("");
	assert_real_time();
	{
		struct rb_date want = date_of_instant_qatar((int64_t)time(NULL));
		struct rb_date got = clock_today();

		/* Equal unless a Qatar midnight falls between the two calls. */
		assert_true(got.days == want.days || got.days == want.days + 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_valid),
		cmocka_unit_test(parse_strict),
		cmocka_unit_test(from_ymd),
		cmocka_unit_test(format_roundtrip),
		cmocka_unit_test(add_months),
		cmocka_unit_test(instant_qatar),
		cmocka_unit_test(clock_parse_forms),
		cmocka_unit_test(clock_parse_rejects),
		cmocka_unit_test_setup_teardown(clock_file_follows, clock_setup,
		    clock_teardown),
		cmocka_unit_test_setup_teardown(clock_file_fallbacks, clock_setup,
		    clock_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
