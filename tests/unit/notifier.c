/*
 * notifier/: the pieces of delivery that need no server: the header
 * encoding of non-ASCII subjects (RFC 2047) and the retry delays.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "notifier/deliver.h"
#include "notifier/smtp_send.h"

static void
ascii_subject_unchanged(void **state)
{
	char *s = smtp_header_encode("Renewal alert 2026-12-01 - Al Noor (10000001)");

	(void)state;
	assert_string_equal(s, "Renewal alert 2026-12-01 - Al Noor (10000001)");
	free(s);
}

/* Decodes every =?UTF-8?B?...?= word of s and joins them. */
static void
decode_words(const char *s, char *out, size_t outsz)
{
	size_t len = 0;

	out[0] = '\0';
	while ((s = strstr(s, "=?UTF-8?B?")) != NULL) {
		const char *b = s + 10, *e = strstr(b, "?=");
		unsigned char buf[128];
		int n, pad = 0;

		assert_non_null(e);
		/* RFC 2047: an encoded word is at most 75 characters. */
		assert_true(e + 2 - s <= 75);
		n = EVP_DecodeBlock(buf, (const unsigned char *)b, (int)(e - b));
		assert_true(n >= 0);
		if (e - b >= 1 && e[-1] == '=')
			pad++;
		if (e - b >= 2 && e[-2] == '=')
			pad++;
		n -= pad;
		assert_true(len + (size_t)n < outsz);
		memcpy(out + len, buf, (size_t)n);
		len += (size_t)n;
		out[len] = '\0';
		s = e + 2;
	}
}

/* Arabic: encoded words that decode to the subject, no character split. */
static void
arabic_subject_encoded(void **state)
{
	const char *subject = "كشف تنفيذ التجديد 2026-12-08 - شركة النور للمقاولات"
	    " لإدارة المرافق والخدمات العامة (10000001)";
	char *s = smtp_header_encode(subject), back[1024];
	const char *p;

	(void)state;
	assert_null(strchr(s, '\r'));
	assert_null(strchr(s, '\n'));
	for (p = s; *p; p++)
		assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
	assert_non_null(strstr(s, "?= =?UTF-8?B?"));	/* more than one word */
	decode_words(s, back, sizeof(back));
	assert_string_equal(back, subject);
	free(s);
}

static void
backoff_doubles_to_an_hour(void **state)
{
	(void)state;
	assert_int_equal(deliver_backoff(60, 1), 60);
	assert_int_equal(deliver_backoff(60, 2), 120);
	assert_int_equal(deliver_backoff(60, 3), 240);
	assert_int_equal(deliver_backoff(60, 7), 3600);
	assert_int_equal(deliver_backoff(60, 100), 3600);
	assert_int_equal(deliver_backoff(86400, 1), 3600);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ascii_subject_unchanged),
		cmocka_unit_test(arabic_subject_encoded),
		cmocka_unit_test(backoff_doubles_to_an_hour),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
