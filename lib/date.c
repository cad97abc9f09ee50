#include <stdio.h>
#include <string.h>

#include "lib/date.h"

/* Howard Hinnant's days_from_civil / civil_from_days. */
static int32_t
days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_to_ymd(struct rb_date dt, int *y, int *m, int *d)
{
	int32_t z = dt.days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dim[m - 1];
}

enum rb_err
date_from_ymd(int y, int m, int d, struct rb_date *out)
{
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return RB_EINVAL;
	out->days = days_from_civil(y, m, d);
	return RB_OK;
}

enum rb_err
date_parse(const char *s, struct rb_date *out)
{
	int i, y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return RB_EINVAL;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return RB_EINVAL;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	return date_from_ymd(y, m, d, out);
}

void
date_format(struct rb_date dt, char buf[11])
{
	int y, m, d;

	date_to_ymd(dt, &y, &m, &d);
	y = ((y % 10000) + 10000) % 10000;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

struct rb_date
date_of_instant_qatar(int64_t epoch_s)
{
	int64_t local = epoch_s + QATAR_UTC_OFFSET_S;
	struct rb_date d;

	d.days = (int32_t)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
	return d;
}

struct rb_date
date_add_months(struct rb_date dt, int months)
{
	int y, m, d, idx, dim;
	struct rb_date out;

	date_to_ymd(dt, &y, &m, &d);
	idx = y * 12 + (m - 1) + months;
	y = idx / 12;
	m = idx % 12 + 1;
	dim = days_in_month(y, m);
	out.days = days_from_civil(y, m, d > dim ? dim : d);
	return out;
}
