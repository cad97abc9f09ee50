#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/clock.h"

static const char *clock_path;

void
clock_init(const char *clock_file)
{
	clock_path = (clock_file && *clock_file) ? clock_file : NULL;
}

static int
two(const char *p)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

enum rb_err
clock_parse_instant(const char *s, int64_t *out)
{
	char day[11];
	struct rb_date d;
	int hh, mm, ss;
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	if (n != 10 && n != 20)
		return RB_EINVAL;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (date_parse(day, &d) != RB_OK)
		return RB_EINVAL;
	if (n == 10) {
		*out = (int64_t)d.days * 86400 + 9 * 3600 - QATAR_UTC_OFFSET_S;
		return RB_OK;
	}
	if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return RB_EINVAL;
	hh = two(s + 11);
	mm = two(s + 14);
	ss = two(s + 17);
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
		return RB_EINVAL;
	*out = (int64_t)d.days * 86400 + hh * 3600 + mm * 60 + ss;
	return RB_OK;
}

void
clock_format_iso(int64_t t, char out[CLOCK_ISO_LEN])
{
	/* Floor division, so an instant before 1970 still lands in its day. */
	int64_t days = t / 86400 - (t % 86400 < 0);
	int s = (int)(t - days * 86400), v[3] = { s / 3600, s / 60 % 60, s % 60 }, i;
	struct rb_date d = { (int32_t)days };

	date_format(d, out);
	for (i = 0; i < 3; i++) {
		out[10 + 3 * i] = i == 0 ? 'T' : ':';
		out[11 + 3 * i] = (char)('0' + v[i] / 10);
		out[12 + 3 * i] = (char)('0' + v[i] % 10);
	}
	out[19] = 'Z';
	out[20] = '\0';
}

int64_t
clock_now(void)
{
	char buf[64];
	FILE *f;
	size_t n;
	int64_t t;

	if (clock_path != NULL && (f = fopen(clock_path, "r")) != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		if (n > 0 && clock_parse_instant(buf, &t) == RB_OK)
			return t;
	}
	return (int64_t)time(NULL);
}

struct rb_date
clock_today(void)
{
	return date_of_instant_qatar(clock_now());
}
