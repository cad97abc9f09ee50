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
