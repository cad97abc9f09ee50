/*
 * domain/accept_lang.h: the first of the six languages an Accept-Language
 * header names, by q then order; the rest of the world's languages, q=0
 * and unreadable ranges are passed over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/accept_lang.h"

static const struct {
	const char	*header;
	const char	*want;	/* "" for none */
} table[] = {
	{ "ml", "ml" },
	{ "fr-CA,fr;q=0.9,en;q=0.8", "fr" },
	{ "de-DE,de;q=0.9,ur;q=0.5,en;q=0.4", "ur" },
	{ "en;q=0.5, es;q=0.8", "es" },
	{ "ES", "es" },
	{ "ar-QA", "ar" },
	{ "fr;q=0, en", "en" },
	{ "de, it", "" },
	{ "*", "" },
	{ "", "" },
	{ "f", "" },
	{ "fra", "" },		/* three letters: not "fr" */
	{ "fr;q=abc, es", "es" },
	{ "fr;q=2, ml;q=0.1", "ml" },
	{ "ur;q=0.5, ml;q=0.5", "ur" },	/* a tie: the first written */
	{ " , ,ml ;q=1.0", "ml" },
	{ "x-klingon, ml", "ml" },
};

static void
picks_the_first_of_the_six(void **state)
{
	char out[3];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		int got = accept_language_pick(table[i].header, out);

		if (strcmp(out, table[i].want) != 0 || got != (table[i].want[0] != '\0'))
			fail_msg("%s: got \"%s\" (%d), want \"%s\"", table[i].header, out, got,
			    table[i].want);
	}
	assert_int_equal(accept_language_pick(NULL, out), 0);
	assert_string_equal(out, "");
}

/* A header longer than any real one is read up to its limit, no further. */
static void
long_header_read_to_its_limit(void **state)
{
	char h[5000], out[3];

	(void)state;
	memset(h, ' ', sizeof(h));
	memcpy(h + 2000, ",ml", 3);
	h[sizeof(h) - 1] = '\0';
	assert_int_equal(accept_language_pick(h, out), 0);
	memcpy(h, "de,es", 5);
	assert_int_equal(accept_language_pick(h, out), 1);
	assert_string_equal(out, "es");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(picks_the_first_of_the_six),
		cmocka_unit_test(long_header_read_to_its_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
