/*
 * lib/text.h: free text is valid UTF-8 without control characters, the
 * bidirectional overrides included, and its length is in characters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "lib/text.h"

/* UTF-8 of a code point of three bytes (U+0800-U+FFFF). */
static void
utf8_3(unsigned cp, char out[4])
{
	out[0] = (char)(0xe0 | cp >> 12);
	out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	out[3] = '\0';
}

static void
bidi_controls_are_refused(void **state)
{
	char buf[32], c[4];
	unsigned cp;

	(void)state;
	for (cp = 0x2028; cp <= 0x206f; cp++) {
		int bidi = (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);

		utf8_3(cp, c);
		/* Alone, inside a name, at its end, and in multiline text. */
		snprintf(buf, sizeof(buf), "Ali %s Co", c);
		if (text_ok(buf, 1, 100, 0) != !bidi)
			fail_msg("U+%04X inside text: %d", cp, text_ok(buf, 1, 100, 0));
		snprintf(buf, sizeof(buf), "%s", c);
		assert_int_equal(text_ok(buf, 1, 100, 0), !bidi);
		snprintf(buf, sizeof(buf), "line\n%s", c);
		assert_int_equal(text_ok(buf, 1, 100, 1), !bidi);
	}
}

static void
trojan_source_name_is_refused(void **state)
{
	(void)state;
	/* RLO then "gnp.exe": shows as "exe.png". */
	assert_false(text_ok("invoice\xe2\x80\xae" "gnp.exe", 1, 100, 0));
	/* An isolate closed by PDI. */
	assert_false(text_ok("\xe2\x81\xa7" "abc" "\xe2\x81\xa9", 1, 100, 0));
	/* The marks LRM and RLM are no override: still allowed, as Arabic is. */
	assert_true(text_ok("\xe2\x80\x8f" "محمد" "\xe2\x80\x8e", 1, 100, 0));
}

static void
controls_and_encoding_still_refused(void **state)
{
	(void)state;
	assert_false(text_ok("a\tb", 1, 10, 0));
	assert_false(text_ok("a\x7f", 1, 10, 0));
	assert_false(text_ok("a\xc2\x85", 1, 10, 0));	/* NEL, C1 */
	assert_false(text_ok("a\nb", 1, 10, 0));
	assert_true(text_ok("a\nb", 1, 10, 1));
	assert_false(text_ok("\xc0\xaf", 1, 10, 0));	/* overlong */
	assert_false(text_ok("\xed\xa0\x80", 1, 10, 0));	/* surrogate */
	assert_false(text_ok("\xe2\x80", 1, 10, 0));	/* cut short */
}

static void
length_is_in_characters(void **state)
{
	(void)state;
	assert_true(text_ok("محمد", 4, 4, 0));
	assert_false(text_ok("محمد", 5, 10, 0));
	assert_false(text_ok("", 1, 10, 0));
	assert_true(text_ok("", 0, 10, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bidi_controls_are_refused),
		cmocka_unit_test(trojan_source_name_is_refused),
		cmocka_unit_test(controls_and_encoding_still_refused),
		cmocka_unit_test(length_is_in_characters),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
