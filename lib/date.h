/*
 * Business dates: Asia/Qatar calendar dates (UTC+3, no daylight saving).
 * A date is a day count since 1970-01-01 inside, a struct outside.
 */
#ifndef RB_DATE_H
#define RB_DATE_H

#include <stdint.h>

#include "lib/rb_err.h"

#define QATAR_UTC_OFFSET_S	(3 * 3600)

struct rb_date {
	int32_t	days;	/* since 1970-01-01 */
};

/* Strict "YYYY-MM-DD", years 1900..2200, real calendar days only. */
enum rb_err	date_parse(const char *s, struct rb_date *out);
/* Writes "YYYY-MM-DD" and a NUL: buf must hold 11 bytes. */
void		date_format(struct rb_date d, char buf[11]);
enum rb_err	date_from_ymd(int y, int m, int d, struct rb_date *out);
void		date_to_ymd(struct rb_date dt, int *y, int *m, int *d);
/* The Qatar calendar date of a UTC instant (seconds since the epoch). */
struct rb_date	date_of_instant_qatar(int64_t epoch_s);
/* Whole months later, clamped to the month's last day (Jan 31 + 1 = Feb 28/29). */
struct rb_date	date_add_months(struct rb_date d, int months);

#endif
