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

/* What a form's mobile field turns into at the edge ("" when refused). */
static const struct {
	const char	*in;
	const char	*want;
} typed_mobiles[] = {
	{ "+97455000004",	"+97455000004" },
	{ "55000004",		"+97455000004" },	/* local: +974 in front */
	{ "33123456",		"+97433123456" },
	{ "66123456",		"+97466123456" },
	{ "77123456",		"+97477123456" },
	{ "5500 0004",		"+97455000004" },	/* as written on a card */
	{ " +974 5500 0004 ",	"+97455000004" },
	{ "+12345678",		"+12345678" },		/* any E.164 stays as is */
	{ "44123456",		"" },			/* a fixed line: no SMS */
	{ "1234567",		"" },			/* 7 digits */
	{ "550000041",		"" },			/* 9 digits, no + */
	{ "97455000004",	"" },			/* country code without + */
	{ "0097455000004",	"" },
	{ "5500-0004",		"" },
	{ "5500  0004",		"" },			/* two spaces */
	{ "+ 97455000004",	"" },
	{ "+9745500000a",	"" },
	{ "++97455000004",	"" },
	{ "+1234567890123456",	"" },			/* 16 digits */
	{ "+97455000004\n",	"" },
	{ "",			"" },
	{ " ",			"" },
	{ "+",			"" },
	{ "٥٥٠٠٠٠٠٤",		"" },	/* Arabic-Indic digits: the page converts them */
};

static void
mobile_normalize_table(void **state)
{
	char out[MOBILE_E164_SZ];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(typed_mobiles) / sizeof(typed_mobiles[0]); i++) {
		enum rb_err rc = mobile_normalize(typed_mobiles[i].in, out);

		if (strcmp(out, typed_mobiles[i].want) != 0 ||
		    (rc == RB_OK) != (typed_mobiles[i].want[0] != '\0'))
			fail_msg("typed mobile row %zu (\"%s\"): got \"%s\" (%d), want \"%s\"",
			    i, typed_mobiles[i].in, out, (int)rc, typed_mobiles[i].want);
	}
	assert_int_equal(mobile_normalize(NULL, out), RB_EINVAL);
	assert_string_equal(out, "");
}

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

/* issue 16 §2: which number, not the whole of it. */
static void
mobile_mask_table(void **state)
{
	char out[MOBILE_MASK_SZ];

	(void)state;
	mobile_mask("+97455123456", out);
	assert_string_equal(out, "+974\u2022\u2022\u20223456");
	mobile_mask("+441234567890123", out);
	assert_string_equal(out, "+441\u2022\u2022\u20220123");
	mobile_mask("+1234", out);
	assert_string_equal(out, "\u2022\u2022\u2022");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(email_table),
		cmocka_unit_test(email_length),
		cmocka_unit_test(mobile_table),
		cmocka_unit_test(mobile_normalize_table),
		cmocka_unit_test(name_table),
		cmocka_unit_test(name_longest),
		cmocka_unit_test(mobile_mask_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
