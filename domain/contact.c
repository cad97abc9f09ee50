#include <stdio.h>
#include <string.h>

#include "domain/contact.h"
#include "lib/text.h"

int
email_ok(const char *s)
{
	const char *at = NULL, *p;

	if (s == NULL || strlen(s) > 254 || !text_ok(s, 3, 254, 0))
		return 0;
	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return 0;
		if (*p == '@') {
			if (at != NULL)
				return 0;
			at = p;
		}
	}
	return at != NULL && at != s && at[1] != '\0';
}

int
email_deliverable(const char *s)
{
	return email_ok(s) && strchr(strchr(s, '@') + 1, '.') != NULL;
}

int
mobile_ok(const char *s)
{
	size_t i;

	if (s == NULL || s[0] != '+')
		return 0;
	for (i = 1; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return i - 1 >= 8 && i - 1 <= 15;
}

enum rb_err
mobile_normalize(const char *in, char out[MOBILE_E164_SZ])
{
	char digits[MOBILE_E164_SZ];
	const char *p, *end;
	size_t n = 0;
	int plus;

	out[0] = '\0';
	if (in == NULL)
		return RB_EINVAL;
	for (p = in; *p == ' '; p++)
		;
	for (end = p + strlen(p); end > p && end[-1] == ' '; end--)
		;
	if ((plus = p < end && *p == '+'))
		p++;
	for (; p < end; p++) {
		/* One space between digit groups, as people write them. */
		if (*p == ' ' && n > 0 && p[-1] != ' ' && p + 1 < end && p[1] != ' ')
			continue;
		/* E.164 has at most 15 digits: more is refused, not cut. */
		if (*p < '0' || *p > '9' || n >= MOBILE_E164_SZ - 2)
			return RB_EINVAL;
		digits[n++] = *p;
	}
	digits[n] = '\0';
	/* A local Qatari mobile: 8 digits starting with 3, 5, 6 or 7 (a 4 is a
	 * fixed line, which receives no SMS). */
	if (plus) {
		out[0] = '+';
		memcpy(out + 1, digits, n + 1);
	} else if (n == 8 && strchr("3567", digits[0]) != NULL) {
		memcpy(out, "+974", 4);
		memcpy(out + 4, digits, n + 1);
	}
	if (!mobile_ok(out)) {
		out[0] = '\0';
		return RB_EINVAL;
	}
	return RB_OK;
}

enum name_fault
name_check(const char *s, size_t max_chars)
{
	const unsigned char *p;
	size_t chars = 0;

	if (s == NULL)
		return NAME_LENGTH;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return NAME_CONTROL_CHAR;
		/* Counts the lead bytes: one per character. */
		if ((*p & 0xc0) != 0x80)
			chars++;
	}
	return chars < 1 || chars > max_chars ? NAME_LENGTH : NAME_OK;
}

void
mobile_mask(const char *m, char out[MOBILE_MASK_SZ])
{
	size_t n = strlen(m);

	/* Shorter than 9 characters it is no E.164 mobile: the bullets alone. */
	snprintf(out, MOBILE_MASK_SZ, "%.4s\u2022\u2022\u2022%s", n > 8 ? m : "",
	    n > 8 ? m + n - 4 : "");
}
