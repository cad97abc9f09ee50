/*
 * Dates and instants (lib/date.c, lib/date_json.c, lib/clock.c's
 * clock_parse_instant). Properties: a parsed date formats to its input,
 * its y-m-d come back through date_from_ymd, its JSON string is that
 * text; an instant in the "YYYY-MM-DDTHH:MM:SSZ" form formats back to
 * itself (a clock file's trailing newline aside), a Qatar date alone is 09:00 in Qatar of that day.
 */
#include <string.h>

#include "lib/clock.h"
#include "lib/date.h"
#include "lib/date_json.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), buf[11], iso[CLOCK_ISO_LEN];
	struct rb_date d, d2;
	int64_t t;
	int y, m, dd;

	if (date_parse(s, &d) == RB_OK) {
		json_t *j = date_json(1, d);

		date_format(d, buf);
		FUZZ_CHECK(strcmp(buf, s) == 0);
		date_to_ymd(d, &y, &m, &dd);
		FUZZ_CHECK(y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && dd >= 1 && dd <= 31);
		FUZZ_CHECK(date_from_ymd(y, m, dd, &d2) == RB_OK && d2.days == d.days);
		FUZZ_CHECK(json_is_string(j) && strcmp(json_string_value(j), s) == 0);
		json_decref(j);
		d2 = date_add_months(d, 1);
		FUZZ_CHECK(d2.days > d.days && d2.days - d.days <= 31);
	}
	if (clock_parse_instant(s, &t) == RB_OK) {
		/* The clock file's trailing newline or spaces are allowed. */
		size_t n = strlen(s);

		while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
			s[--n] = '\0';
		clock_format_iso(t, iso);
		if (n == 10) {
			FUZZ_CHECK(date_parse(s, &d) == RB_OK);
			FUZZ_CHECK(date_of_instant_qatar(t).days == d.days);
			FUZZ_CHECK(strncmp(iso + 10, "T06:00:00Z", 10) == 0);
		} else
			FUZZ_CHECK(strcmp(iso, s) == 0);
	}
	free(s);
	return 0;
}
