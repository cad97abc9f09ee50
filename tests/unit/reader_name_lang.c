/*
 * domain/reader_name.h: which of the registry's two names each of the six
 * languages reads, and the other standing in when one is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/reader_name.h"

#define AR	"محمد الهاجري"
#define EN	"Mohammed Al-Hajri"

static void
each_language_reads_its_script(void **state)
{
	(void)state;
	assert_string_equal(reader_name("ar", AR, EN), AR);
	assert_string_equal(reader_name("ur", AR, EN), AR);
	assert_string_equal(reader_name("en", AR, EN), EN);
	assert_string_equal(reader_name("fr", AR, EN), EN);
	assert_string_equal(reader_name("es", AR, EN), EN);
	assert_string_equal(reader_name("ml", AR, EN), EN);
	/* A language outside the six (an old outbox row) reads like English. */
	assert_string_equal(reader_name("de", AR, EN), EN);
	assert_string_equal(reader_name(NULL, AR, EN), EN);
	assert_true(reader_name_arabic("ur"));
	assert_false(reader_name_arabic("ml"));
}

static void
the_other_name_stands_in(void **state)
{
	(void)state;
	assert_string_equal(reader_name("ur", "", EN), EN);
	assert_string_equal(reader_name("ur", NULL, EN), EN);
	assert_string_equal(reader_name("ml", AR, ""), AR);
	assert_string_equal(reader_name("fr", AR, NULL), AR);
	assert_string_equal(reader_name("es", NULL, NULL), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_language_reads_its_script),
		cmocka_unit_test(the_other_name_stands_in),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
