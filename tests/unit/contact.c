/*
 * domain/contact.h: the one validator of emails and mobiles, table-driven
 * (kcgi's regress style): each row an input and the expected answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/contact.h"

static const struct {
	const char	*in;
	int		 ok;		/* email_ok */
	int		 deliverable;	/* email_deliverable */
} emails[] = {
	{ "hr@example.qa",		1, 1 },
	{ "hr@example",			1, 0 },	/* the registry's own example */
	{ "a@b",			1, 0 },
	{ "a.b+c@sub.example.qa",	1, 1 },
	{ "مدير@example.qa",		1, 1 },	/* UTF-8 local part */
	{ "",				0, 0 },
	{ "@example.qa",		0, 0 },
	{ "hr@",			0, 0 },
	{ "hr",				0, 0 },
	{ "hr@@example.qa",		0, 0 },
	{ "hr@a@example.qa",		0, 0 },
	{ "h r@example.qa",		0, 0 },
	{ "hr@example.qa ",		0, 0 },
	{ "hr\t@example.qa",		0, 0 },
	{ "hr\n@example.qa",		0, 0 },
	{ "hr\x7f@example.qa",		0, 0 },
	{ "hr\xc3@example.qa",		0, 0 },	/* broken UTF-8 */
	{ "hr@example.",		1, 1 },
};

static const struct {
	const char	*in;
	int		 ok;
} mobiles[] = {
	{ "+97455000004",	1 },
	{ "+12345678",		1 },	/* 8 digits: the shortest */
	{ "+123456789012345",	1 },	/* 15: the longest */
	{ "+1234567",		0 },
	{ "+1234567890123456",	0 },
	{ "97455000004",	0 },
	{ "+",			0 },
	{ "",			0 },
	{ "+974 55000004",	0 },
	{ "+9745500000a",	0 },
	{ "++97455000004",	0 },
	{ "+97455000004\n",	0 },
};

static void
email_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(emails) / sizeof(emails[0]); i++) {
		if (email_ok(emails[i].in) != emails[i].ok ||
		    email_deliverable(emails[i].in) != emails[i].deliverable)
			fail_msg("email row %zu (%s): want ok=%d deliverable=%d",
			    i, emails[i].in, emails[i].ok, emails[i].deliverable);
	}
	assert_int_equal(email_ok(NULL), 0);
	assert_int_equal(email_deliverable(NULL), 0);
}

static void
email_length(void **state)
{
	char s[300];

	(void)state;
	memset(s, 'a', sizeof(s));
	/* 250 + "@b.qa" = 255 bytes: one too many. */
	memcpy(s + 250, "@b.qa", 6);
	assert_int_equal(email_ok(s), 0);
	memcpy(s + 249, "@b.qa", 6);
	assert_int_equal(email_ok(s), 1);
}

static void
mobile_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(mobiles) / sizeof(mobiles[0]); i++)
		if (mobile_ok(mobiles[i].in) != mobiles[i].ok)
			fail_msg("mobile row %zu (%s): want %d", i, mobiles[i].in,
			    mobiles[i].ok);
	assert_int_equal(mobile_ok(NULL), 0);
}

static const struct {
	const char	*in;
	size_t		 max;
	enum name_fault	 want;
} names[] = {
	{ "Rajesh Kumar",		200, NAME_OK },
	{ "راجيش كومار",		200, NAME_OK },
	{ "ab",				2, NAME_OK },
	{ "abc",			2, NAME_LENGTH },
	{ "",				200, NAME_LENGTH },
	/* Two Arabic letters are 4 bytes but 2 characters. */
	{ "مح",				2, NAME_OK },
	{ "محم",			2, NAME_LENGTH },
	{ "Rajesh\tKumar",		200, NAME_CONTROL_CHAR },
	{ "Rajesh\nKumar",		200, NAME_CONTROL_CHAR },
	{ "Rajesh\x7f",			200, NAME_CONTROL_CHAR },
	{ "\x1b[31mRed",		200, NAME_CONTROL_CHAR },
	/* The control character is named even when the length is wrong too. */
	{ "abc\n",			2, NAME_CONTROL_CHAR },
};

static void
name_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (name_check(names[i].in, names[i].max) != names[i].want)
			fail_msg("name row %zu: want %d, got %d", i,
			    (int)names[i].want,
			    (int)name_check(names[i].in, names[i].max));
	assert_int_equal(name_check(NULL, 200), NAME_LENGTH);
}

static void
name_longest(void **state)
{
	char s[202];

	(void)state;
	memset(s, 'a', sizeof(s));
	s[200] = '\0';
	assert_int_equal(name_check(s, 200), NAME_OK);
	s[200] = 'a';
	s[201] = '\0';
	assert_int_equal(name_check(s, 200), NAME_LENGTH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(email_table),
		cmocka_unit_test(email_length),
		cmocka_unit_test(mobile_table),
		cmocka_unit_test(name_table),
		cmocka_unit_test(name_longest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
