/*
 * Free text and contact details (lib/text.c, domain/contact.c). text_ok is
 * checked against a decoder written here from RFC 3629 (a second,
 * independent reading): both must agree on every input, and on the count
 * of characters. Accepted emails and mobiles keep their stated shapes; a
 * normalized mobile passes mobile_ok and normalizes to itself.
 */
#include <string.h>

#include "domain/contact.h"
#include "lib/text.h"
#include "tests/fuzz/fuzz.h"

/* The characters of s, or -1 when it is not text_ok's kind of text. */
static long
reference_count(const unsigned char *s, int multiline)
{
	long n = 0;

	while (*s != '\0') {
		unsigned long cp;
		int len, i;

		if (*s < 0x80) {
			cp = *s;
			len = 1;
		} else if (*s >= 0xC2 && *s <= 0xDF) {
			cp = *s & 0x1F;
			len = 2;
		} else if (*s >= 0xE0 && *s <= 0xEF) {
			cp = *s & 0x0F;
			len = 3;
		} else if (*s >= 0xF0 && *s <= 0xF4) {
			cp = *s & 0x07;
			len = 4;
		} else
			return -1;
		for (i = 1; i < len; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return -1;
			cp = cp << 6 | (s[i] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		if ((cp < 0x20 && !(multiline && (cp == '\n' || cp == '\r'))) ||
		    (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return -1;
		s += len;
		n++;
	}
	return n;
}

static void
check_text(const char *s)
{
	int ml;

	for (ml = 0; ml <= 1; ml++) {
		long n = reference_count((const unsigned char *)s, ml);

		FUZZ_CHECK(text_ok(s, 0, 100000, ml) == (n >= 0));
		if (n >= 0) {
			FUZZ_CHECK(text_ok(s, (size_t)n, (size_t)n, ml));
			FUZZ_CHECK(!text_ok(s, (size_t)n + 1, 100000, ml));
			if (n > 0)
				FUZZ_CHECK(!text_ok(s, 0, (size_t)n - 1, ml));
		}
	}
}

static void
check_contact(const char *s)
{
	char mobile[MOBILE_E164_SZ], again[MOBILE_E164_SZ];
	enum name_fault nf;

	if (email_ok(s)) {
		const char *at = strchr(s, '@');

		FUZZ_CHECK(strlen(s) <= 254 && at != NULL && at > s && at[1] != '\0');
		FUZZ_CHECK(strchr(at + 1, '@') == NULL && strpbrk(s, " \t\r\n") == NULL);
	}
	if (email_deliverable(s))
		FUZZ_CHECK(email_ok(s) && strchr(strchr(s, '@'), '.') != NULL);
	if (mobile_ok(s))
		FUZZ_CHECK(s[0] == '+' && strlen(s) >= 9 && strlen(s) <= 16 &&
		    strspn(s + 1, "0123456789") == strlen(s) - 1);
	if (mobile_normalize(s, mobile) == RB_OK) {
		FUZZ_CHECK(mobile_ok(mobile));
		FUZZ_CHECK(mobile_normalize(mobile, again) == RB_OK &&
		    strcmp(mobile, again) == 0);
	} else
		FUZZ_CHECK(mobile[0] == '\0');
	nf = name_check(s, 200);
	FUZZ_CHECK(nf >= NAME_OK && nf < NAME__MAX);
	if (nf == NAME_OK)
		FUZZ_CHECK(strlen(s) >= 1 && strpbrk(s, "\t\r\n\x7f") == NULL);
}

FUZZ_STRING_DRIVER(check_text, check_contact)
