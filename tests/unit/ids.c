/*
 * domain/ids.h: identifiers and amounts checked at the edge (SPEC §2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/ids.h"
#include "lib/number.h"

/* ---- QID: 11 digits, century 2|3, year, ISO numeric nationality, serial */

static void
qid_valid(void **state)
{
	struct qid q;

	(void)state;
	assert_int_equal(qid_parse("28435612345", &q), RB_OK);
	assert_string_equal(q.s, "28435612345");
	assert_int_equal(qid_parse("30063400001", &q), RB_OK);
	assert_string_equal(q.s, "30063400001");
	/* Nationality 001 is the smallest allowed. */
	assert_int_equal(qid_parse("29900100000", &q), RB_OK);
	assert_int_equal(qid_parse("29999999999", &q), RB_OK);
}

static void
qid_century(void **state)
{
	struct qid q;

	(void)state;
	assert_int_equal(qid_parse("18435612345", &q), RB_EINVAL);
	assert_int_equal(qid_parse("48435612345", &q), RB_EINVAL);
	assert_int_equal(qid_parse("08435612345", &q), RB_EINVAL);
	assert_int_equal(qid_parse("98435612345", &q), RB_EINVAL);
}

static void
qid_nationality_000(void **state)
{
	struct qid q;

	(void)state;
	assert_int_equal(qid_parse("28400012345", &q), RB_EINVAL);
	assert_int_equal(qid_parse("39900000001", &q), RB_EINVAL);
}

static void
qid_bad_shape(void **state)
{
	struct qid q;

	(void)state;
	assert_int_equal(qid_parse("2843561234", &q), RB_EINVAL);	/* 10 */
	assert_int_equal(qid_parse("284356123456", &q), RB_EINVAL);	/* 12 */
	assert_int_equal(qid_parse("", &q), RB_EINVAL);
	assert_int_equal(qid_parse(NULL, &q), RB_EINVAL);
	assert_int_equal(qid_parse("2843561234A", &q), RB_EINVAL);
	assert_int_equal(qid_parse("A8435612345", &q), RB_EINVAL);
	assert_int_equal(qid_parse("QA435612345", &q), RB_EINVAL);
	/* Embedded non-digits of the right length. */
	assert_int_equal(qid_parse("28435 12345", &q), RB_EINVAL);
	assert_int_equal(qid_parse("28435-12345", &q), RB_EINVAL);
	assert_int_equal(qid_parse("284356.2345", &q), RB_EINVAL);
	assert_int_equal(qid_parse("+2843561234", &q), RB_EINVAL);
	assert_int_equal(qid_parse(" 2843561234", &q), RB_EINVAL);
	assert_int_equal(qid_parse("2843561234 ", &q), RB_EINVAL);
	assert_int_equal(qid_parse("2843561234\n", &q), RB_EINVAL);
	/* Arabic-Indic digit ٥ (2 bytes) in place of two ASCII digits. */
	assert_int_equal(qid_parse("284356123\xd9\xa5", &q), RB_EINVAL);
}

/* ---- Establishment number: 8 digits */

static void
est_id_cases(void **state)
{
	struct est_id e;

	(void)state;
	assert_int_equal(est_id_parse("20000001", &e), RB_OK);
	assert_string_equal(e.s, "20000001");
	assert_int_equal(est_id_parse("00000000", &e), RB_OK);
	assert_int_equal(est_id_parse("2000000", &e), RB_EINVAL);
	assert_int_equal(est_id_parse("200000011", &e), RB_EINVAL);
	assert_int_equal(est_id_parse("2000000A", &e), RB_EINVAL);
	assert_int_equal(est_id_parse("-2000000", &e), RB_EINVAL);
	assert_int_equal(est_id_parse("2000 001", &e), RB_EINVAL);
	assert_int_equal(est_id_parse("", &e), RB_EINVAL);
	assert_int_equal(est_id_parse(NULL, &e), RB_EINVAL);
}

/* ---- IBAN: Qatar shape and ISO 13616 mod-97 */

static void
iban_valid_demo(void **state)
{
	static const char *const good[] = {
		"QA93QNBA000000000000123456789",
		"QA45QNBA000000000000987654321",
		"QA21CBQA000000000000555000111",
	};
	struct iban b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(&b, 0, sizeof(b));
		assert_int_equal(iban_parse(good[i], &b), RB_OK);
		assert_string_equal(b.s, good[i]);
		assert_true(iban_mod97_ok(good[i]));
	}
}

static void
iban_wrong_checksum(void **state)
{
	struct iban b;

	(void)state;
	/* Check digits off by one. */
	assert_int_equal(iban_parse("QA94QNBA000000000000123456789", &b), RB_EINVAL);
	assert_false(iban_mod97_ok("QA94QNBA000000000000123456789"));
	/* Remainder 0, not 1: a check that only asks for "at most 1" passes it. */
	assert_false(iban_mod97_ok("QA92QNBA000000000000123456789"));
	assert_int_equal(iban_parse("QA92QNBA000000000000123456789", &b), RB_EINVAL);
	/* Two adjacent digits of the account swapped. */
	assert_int_equal(iban_parse("QA93QNBA000000000000123456798", &b), RB_EINVAL);
	/* Another bank with the same check digits. */
	assert_int_equal(iban_parse("QA93CBQA000000000000123456789", &b), RB_EINVAL);
	assert_int_equal(iban_parse("QA00QNBA000000000000123456789", &b), RB_EINVAL);
}

static void
iban_foreign(void **state)
{
	struct iban b;

	(void)state;
	/* A valid British IBAN: mod-97 holds, but it is not Qatari. */
	assert_true(iban_mod97_ok("GB82WEST12345698765432"));
	assert_int_equal(iban_parse("GB82WEST12345698765432", &b), RB_EINVAL);
	assert_false(iban_mod97_ok("GB83WEST12345698765432"));
}

static void
iban_bad_shape(void **state)
{
	struct iban b;

	(void)state;
	assert_int_equal(iban_parse("qa93qnba000000000000123456789", &b), RB_EINVAL);
	assert_int_equal(iban_parse("QA93qnba000000000000123456789", &b), RB_EINVAL);
	assert_int_equal(iban_parse("qA93QNBA000000000000123456789", &b), RB_EINVAL);
	assert_int_equal(iban_parse("QA93QNBA00000000000012345678", &b), RB_EINVAL);
	assert_int_equal(iban_parse("QA93QNBA0000000000001234567890", &b), RB_EINVAL);
	assert_int_equal(iban_parse("QA93 QNBA 0000 0000 0000 1234 5678 9", &b), RB_EINVAL);
	assert_int_equal(iban_parse(" QA93QNBA000000000000123456789", &b), RB_EINVAL);
	assert_int_equal(iban_parse("QA93QNBA000000000000123456789 ", &b), RB_EINVAL);
	assert_int_equal(iban_parse("", &b), RB_EINVAL);
	assert_int_equal(iban_parse(NULL, &b), RB_EINVAL);
	/* One character too many or too few, with check digits that make
	 * mod-97 hold: refused for the length alone. */
	assert_true(iban_mod97_ok("QA96QNBA0000000000001234567890"));
	assert_int_equal(iban_parse("QA96QNBA0000000000001234567890", &b), RB_EINVAL);
	assert_true(iban_mod97_ok("QA20QNBA00000000000012345678"));
	assert_int_equal(iban_parse("QA20QNBA00000000000012345678", &b), RB_EINVAL);
	/* Bank code must be four letters, check digits two digits. */
	assert_int_equal(iban_parse("QA93QNB1000000000000123456789", &b), RB_EINVAL);
	assert_int_equal(iban_parse("QAX3QNBA000000000000123456789", &b), RB_EINVAL);
	/* Account part: uppercase alphanumerics only. */
	assert_int_equal(iban_parse("QA93QNBA00000000000012345678-", &b), RB_EINVAL);
	assert_false(iban_mod97_ok("qa93qnba000000000000123456789"));
	assert_false(iban_mod97_ok("QA93"));
	assert_false(iban_mod97_ok(""));
}

/* ---- Service code: [A-Z][A-Z0-9_]{1,39} as in sql/001 */

static void
svc_code_cases(void **state)
{
	struct svc_code c;
	char long40[41], long41[42];

	(void)state;
	assert_int_equal(svc_code_parse("RP_RENEW", &c), RB_OK);
	assert_string_equal(c.s, "RP_RENEW");
	assert_int_equal(svc_code_parse("TRAFFIC_FINES_PAY", &c), RB_OK);
	assert_int_equal(svc_code_parse("A1", &c), RB_OK);
	assert_int_equal(svc_code_parse("A_", &c), RB_OK);
	memset(long40, 'A', 40);
	long40[40] = '\0';
	assert_int_equal(svc_code_parse(long40, &c), RB_OK);
	assert_string_equal(c.s, long40);
	memset(long41, 'A', 41);
	long41[41] = '\0';
	assert_int_equal(svc_code_parse(long41, &c), RB_EINVAL);

	assert_int_equal(svc_code_parse("A", &c), RB_EINVAL);
	assert_int_equal(svc_code_parse("", &c), RB_EINVAL);
	assert_int_equal(svc_code_parse(NULL, &c), RB_EINVAL);
	assert_int_equal(svc_code_parse("rp_renew", &c), RB_EINVAL);
	assert_int_equal(svc_code_parse("Rp_RENEW", &c), RB_EINVAL);
	assert_int_equal(svc_code_parse("1RP", &c), RB_EINVAL);
	assert_int_equal(svc_code_parse("_RP", &c), RB_EINVAL);
	assert_int_equal(svc_code_parse("RP-RENEW", &c), RB_EINVAL);
	assert_int_equal(svc_code_parse("RP RENEW", &c), RB_EINVAL);
	assert_int_equal(svc_code_parse("RP_RENEW'", &c), RB_EINVAL);
}

/* ---- Language: two lowercase letters */

static void
lang_cases(void **state)
{
	struct lang l;

	(void)state;
	assert_int_equal(lang_parse("ar", &l), RB_OK);
	assert_string_equal(l.s, "ar");
	assert_int_equal(lang_parse("en", &l), RB_OK);
	assert_string_equal(l.s, "en");
	assert_int_equal(lang_parse("fr", &l), RB_OK);
	assert_string_equal(l.s, "fr");
	assert_int_equal(lang_parse("ur", &l), RB_OK);
	assert_string_equal(l.s, "ur");
	assert_int_equal(lang_parse("ml", &l), RB_OK);
	assert_string_equal(l.s, "ml");
	assert_int_equal(lang_parse("es", &l), RB_OK);
	assert_string_equal(l.s, "es");
	/* Two letters, but no catalogue. */
	assert_int_equal(lang_parse("de", &l), RB_EINVAL);
	assert_int_equal(lang_parse("hi", &l), RB_EINVAL);
	assert_int_equal(lang_parse("Ur", &l), RB_EINVAL);
	assert_int_equal(lang_parse("EN", &l), RB_EINVAL);
	assert_int_equal(lang_parse("eN", &l), RB_EINVAL);
	assert_int_equal(lang_parse("e", &l), RB_EINVAL);
	assert_int_equal(lang_parse("eng", &l), RB_EINVAL);
	assert_int_equal(lang_parse("e1", &l), RB_EINVAL);
	assert_int_equal(lang_parse("", &l), RB_EINVAL);
	assert_int_equal(lang_parse(NULL, &l), RB_EINVAL);
}

/* ---- Money */

static void
dirhams_cases(void **state)
{
	(void)state;
	assert_int_equal(dirhams_check(0, 100000), RB_OK);
	assert_int_equal(dirhams_check(100000, 100000), RB_OK);
	assert_int_equal(dirhams_check(100001, 100000), RB_EINVAL);
	assert_int_equal(dirhams_check(-1, 100000), RB_EINVAL);
	assert_int_equal(dirhams_check(INT64_MIN, INT64_MAX), RB_EINVAL);
	assert_int_equal(dirhams_check(INT64_MAX, INT64_MAX), RB_OK);
	assert_int_equal(dirhams_check(0, 0), RB_OK);
	assert_int_equal(dirhams_check(1, 0), RB_EINVAL);
}

/* ---- Bounded integers */

static void
int_in_bounds(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(int_parse("0", 0, 10, &v), RB_OK);
	assert_int_equal(v, 0);
	assert_int_equal(int_parse("10", 0, 10, &v), RB_OK);
	assert_int_equal(v, 10);
	assert_int_equal(int_parse("7", 0, 10, &v), RB_OK);
	assert_int_equal(v, 7);
	assert_int_equal(int_parse("-5", -10, 10, &v), RB_OK);
	assert_int_equal(v, -5);
	assert_int_equal(int_parse("-10", -10, 10, &v), RB_OK);
	assert_int_equal(v, -10);
	assert_int_equal(int_parse("123456789012345678", 0, INT64_MAX, &v), RB_OK);
	assert_true(v == INT64_C(123456789012345678));
	assert_int_equal(int_parse("-12345678901234567", INT64_MIN, 0, &v), RB_OK);
	assert_true(v == -INT64_C(12345678901234567));
}

static void
int_out_of_bounds(void **state)
{
	int64_t v = 42;

	(void)state;
	assert_int_equal(int_parse("11", 0, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse("-1", 0, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse("-11", -10, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse("1000", 1, 999, &v), RB_EINVAL);
	/* Zero has one spelling, even where negatives are allowed. */
	assert_int_equal(int_parse("-0", -10, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse("-00", -10, 10, &v), RB_EINVAL);
	/* A refusal leaves the output alone. */
	assert_int_equal(v, 42);
}

static void
int_overflow(void **state)
{
	int64_t v = 42;

	(void)state;
	assert_int_equal(int_parse("9223372036854775808", INT64_MIN, INT64_MAX, &v),
	    RB_EINVAL);
	assert_int_equal(int_parse("-9223372036854775809", INT64_MIN, INT64_MAX, &v),
	    RB_EINVAL);
	assert_int_equal(int_parse("18446744073709551616", INT64_MIN, INT64_MAX, &v),
	    RB_EINVAL);
	assert_int_equal(int_parse("99999999999999999999999999999999", INT64_MIN,
	    INT64_MAX, &v), RB_EINVAL);
	/* Wraps to a small number if computed naively in 64 bits. */
	assert_int_equal(int_parse("18446744073709551621", 0, 10, &v), RB_EINVAL);
	assert_int_equal(v, 42);
}

static void
int_bad_shape(void **state)
{
	int64_t v = 42;

	(void)state;
	assert_int_equal(int_parse("", 0, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse(NULL, 0, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse("-", -10, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse("--5", -10, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse("+5", 0, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse(" 5", 0, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse("5 ", 0, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse("5\n", 0, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse("5a", 0, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse("0x5", 0, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse("5.0", 0, 10, &v), RB_EINVAL);
	assert_int_equal(int_parse("1e1", 0, 100, &v), RB_EINVAL);
	assert_int_equal(int_parse("-+5", -10, 10, &v), RB_EINVAL);
	assert_int_equal(v, 42);
}

/* ---- Generic shapes of the registry feed: table-driven */

static const struct {
	const char	*in;
	int		 alnum_5_20;	/* upper_alnum_ok(s, 5, 20): passports */
	int		 alpha_3;	/* upper_alpha_ok(s, 3, 3): nationalities */
} uppers[] = {
	{ "QAT",			0, 1 },
	{ "IND",			0, 1 },
	{ "Q4T",			0, 0 },
	{ "qat",			0, 0 },
	{ "QATA",			0, 0 },
	{ "QA",				0, 0 },
	{ "",				0, 0 },
	{ "P1234567",			1, 0 },
	{ "ABCDE",			1, 0 },
	{ "ABCD",			0, 0 },
	{ "12345",			1, 0 },
	{ "A1234567890123456789",	1, 0 },	/* 20 */
	{ "A12345678901234567890",	0, 0 },	/* 21 */
	{ "P123 4567",			0, 0 },
	{ "p1234567",			0, 0 },
	{ "P1234567\n",			0, 0 },
	{ "P\xc3\x89" "1234567",	0, 0 },	/* É */
};

static void
upper_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(uppers) / sizeof(uppers[0]); i++)
		if (upper_alnum_ok(uppers[i].in, 5, 20) != uppers[i].alnum_5_20 ||
		    upper_alpha_ok(uppers[i].in, 3, 3) != uppers[i].alpha_3)
			fail_msg("upper row %zu (%s): want alnum=%d alpha=%d", i,
			    uppers[i].in, uppers[i].alnum_5_20, uppers[i].alpha_3);
	assert_int_equal(upper_alnum_ok(NULL, 0, 20), 0);
	assert_int_equal(upper_alpha_ok(NULL, 0, 3), 0);
}

static const struct {
	const char	*in;
	int		 uid;		/* uid_ok */
	int		 plain;		/* plain_key_ok */
} words[] = {
	{ "svc-registry",	1, 0 },
	{ "28435612345",	1, 1 },
	{ "a",			1, 1 },
	{ "svc-2",		1, 0 },
	/* Not canonical: the directory would match these loosely. */
	{ "first.last",		0, 0 },
	{ "a_b",		0, 1 },
	{ "A",			0, 1 },
	{ "SVC-VISA",		0, 0 },
	{ "Svc-visa",		0, 0 },
	{ "28863410006 ",	0, 0 },
	{ " 28863410006",	0, 0 },
	{ "28863410006\xc2\xa0",	0, 0 },	/* U+00A0 */
	{ "28863410006\xe3\x80\x80",	0, 0 },	/* U+3000 */
	{ "\xef\xbc\x92\xef\xbc\x98\xef\xbc\x98\xef\xbc\x96\xef\xbc\x93\xef\xbc\x94"
	  "\xef\xbc\x91\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90\xef\xbc\x96", 0, 0 }, /* full width */
	{ "18863410006",	0, 1 },	/* digits, but no QID (century 1) */
	{ "2886341000",		0, 1 },	/* ten digits */
	{ "-svc",		0, 0 },
	{ "9svc",		0, 1 },
	{ "",			0, 0 },
	{ "a b",		0, 0 },
	{ "a,b",		0, 0 },	/* a DN separator */
	{ "a=b",		0, 0 },
	{ "a+b",		0, 0 },
	{ "a*",			0, 0 },	/* a filter wildcard */
	{ "(a)",		0, 0 },
	{ "a\\b",		0, 0 },
	{ "#a",			0, 0 },
	{ "a\n",		0, 0 },
	{ "\xd9\xa5",		0, 0 },	/* an Arabic-Indic digit */
};

static void
uid_and_key_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (uid_ok(words[i].in) != words[i].uid ||
		    plain_key_ok(words[i].in) != words[i].plain)
			fail_msg("word row %zu (%s): want uid=%d plain=%d", i,
			    words[i].in, words[i].uid, words[i].plain);
	assert_int_equal(uid_ok(NULL), 0);
	assert_int_equal(plain_key_ok(NULL), 0);
}

static void
uid_and_key_length(void **state)
{
	char s[UID_MAX_LEN + 2];

	(void)state;
	memset(s, 'a', sizeof(s));
	s[UID_MAX_LEN] = '\0';
	assert_int_equal(uid_ok(s), 1);
	assert_int_equal(plain_key_ok(s), 1);
	s[UID_MAX_LEN] = 'a';
	s[UID_MAX_LEN + 1] = '\0';
	assert_int_equal(uid_ok(s), 0);
	assert_int_equal(plain_key_ok(s), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qid_valid),
		cmocka_unit_test(qid_century),
		cmocka_unit_test(qid_nationality_000),
		cmocka_unit_test(qid_bad_shape),
		cmocka_unit_test(est_id_cases),
		cmocka_unit_test(iban_valid_demo),
		cmocka_unit_test(iban_wrong_checksum),
		cmocka_unit_test(iban_foreign),
		cmocka_unit_test(iban_bad_shape),
		cmocka_unit_test(svc_code_cases),
		cmocka_unit_test(lang_cases),
		cmocka_unit_test(dirhams_cases),
		cmocka_unit_test(int_in_bounds),
		cmocka_unit_test(int_out_of_bounds),
		cmocka_unit_test(int_overflow),
		cmocka_unit_test(int_bad_shape),
		cmocka_unit_test(upper_table),
		cmocka_unit_test(uid_and_key_table),
		cmocka_unit_test(uid_and_key_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
