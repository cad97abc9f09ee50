/*
 * domain/plural.h: the form a counted noun takes, table by table. The
 * Arabic rows are the grammar the SMS must follow: 1 and 2 have words of
 * their own (يوم واحد, يومين), 3 to 10 take the plural (أيام), 11 to 99
 * the singular accusative (يومًا), a round hundred the singular (يوم); the
 * last two digits decide past a hundred.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/plural.h"

static const struct {
	const char		*lang;
	long long		 n;
	enum plural_category	 want;
} table[] = {
	{ "ar", 0, PLURAL_ZERO }, { "ar", 1, PLURAL_ONE }, { "ar", 2, PLURAL_TWO },
	{ "ar", 3, PLURAL_FEW }, { "ar", 5, PLURAL_FEW }, { "ar", 10, PLURAL_FEW },
	{ "ar", 11, PLURAL_MANY }, { "ar", 13, PLURAL_MANY }, { "ar", 30, PLURAL_MANY },
	{ "ar", 99, PLURAL_MANY }, { "ar", 100, PLURAL_OTHER }, { "ar", 101, PLURAL_OTHER },
	{ "ar", 102, PLURAL_OTHER }, { "ar", 103, PLURAL_FEW }, { "ar", 110, PLURAL_FEW },
	{ "ar", 111, PLURAL_MANY }, { "ar", 200, PLURAL_OTHER }, { "ar", 1000, PLURAL_OTHER },
	{ "ar", -5, PLURAL_FEW }, { "ar", -1, PLURAL_ONE },
	{ "en", 0, PLURAL_OTHER }, { "en", 1, PLURAL_ONE }, { "en", 2, PLURAL_OTHER },
	{ "en", 5, PLURAL_OTHER }, { "en", 11, PLURAL_OTHER }, { "en", 101, PLURAL_OTHER },
	{ "en", -1, PLURAL_ONE },
	{ "fr", 0, PLURAL_ONE }, { "fr", 1, PLURAL_ONE }, { "fr", 2, PLURAL_OTHER },
	{ "fr", 11, PLURAL_OTHER }, { "fr", 100, PLURAL_OTHER }, { "fr", -1, PLURAL_ONE },
	{ "fr", 1000, PLURAL_OTHER }, { "fr", 1000000, PLURAL_MANY },
	{ "fr", 2000000, PLURAL_MANY }, { "fr", 1000001, PLURAL_OTHER },
	{ "es", 0, PLURAL_OTHER }, { "es", 1, PLURAL_ONE }, { "es", 2, PLURAL_OTHER },
	{ "es", 21, PLURAL_OTHER }, { "es", -1, PLURAL_ONE }, { "es", 1000000, PLURAL_MANY },
	{ "es", 3000000, PLURAL_MANY }, { "es", 1000010, PLURAL_OTHER },
	{ "ur", 0, PLURAL_OTHER }, { "ur", 1, PLURAL_ONE }, { "ur", 3, PLURAL_OTHER },
	{ "ur", 1000000, PLURAL_OTHER },
	{ "ml", 0, PLURAL_OTHER }, { "ml", 1, PLURAL_ONE }, { "ml", 2, PLURAL_OTHER },
	{ "ml", 101, PLURAL_OTHER }, { "ml", -1, PLURAL_ONE },
	/* No rule of its own: as English. */
	{ "xx", 0, PLURAL_OTHER }, { "xx", 1, PLURAL_ONE },
	{ NULL, 1, PLURAL_ONE },
};

static void
categories_by_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (plural_category(table[i].lang, table[i].n) != table[i].want)
			fail_msg("%s %lld: %s, want %s", table[i].lang ? table[i].lang : "(null)",
			    table[i].n, plural_category_name(plural_category(table[i].lang,
			    table[i].n)), plural_category_name(table[i].want));
}

static void
category_names(void **state)
{
	(void)state;
	assert_string_equal(plural_category_name(PLURAL_ZERO), "zero");
	assert_string_equal(plural_category_name(PLURAL_FEW), "few");
	assert_string_equal(plural_category_name(PLURAL_MANY), "many");
	assert_string_equal(plural_category_name(PLURAL_OTHER), "other");
	assert_string_equal(plural_category_name(PLURAL__MAX), "other");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(categories_by_table),
		cmocka_unit_test(category_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
