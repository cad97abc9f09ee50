/*
 * domain/exclusion_rules.h: the checks of an exclusion upload's lines and
 * their codes, which clients match on (SPEC §4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/exclusion_rules.h"

#define QID	"28152410008"

static enum excl_refusal
check(const char *a, const char *b, size_t nf, struct qid *q, const char **note,
    const char **shown)
{
	const char *f[3] = { a, b, "x" };

	return excl_line_check(f, nf, 2, q, note, shown);
}

static void
good_lines(void **state)
{
	struct qid q;
	const char *note = "unset", *shown;

	(void)state;
	assert_int_equal(check(QID, "on leave", 2, &q, &note, &shown), EXCL_OK);
	assert_string_equal(q.s, QID);
	assert_string_equal(note, "on leave");
	/* The note is optional: "" when the line has only the QID. */
	assert_int_equal(check(QID, NULL, 1, &q, &note, &shown), EXCL_OK);
	assert_string_equal(note, "");
	/* Arabic counts by characters: 500 letters of two bytes each. */
	{
		char ar[1001];
		size_t i;

		for (i = 0; i < 1000; i += 2)
			memcpy(ar + i, "\xd9\x85", 2);
		ar[1000] = '\0';
		assert_int_equal(check(QID, ar, 2, &q, &note, &shown), EXCL_OK);
	}
}

static void
bad_lines(void **state)
{
	char longnote[EXCL_NOTE_MAX + 2];
	struct qid q;
	const char *note, *shown = "unset";

	(void)state;
	assert_int_equal(check(QID, "a", 3, &q, &note, &shown), EXCL_TOO_MANY_FIELDS);
	assert_null(shown);
	/* Under a qid,note,name header (the downloaded list) a third field is
	 * the name, not read; a fourth is too many. */
	{
		const char *f[4] = { QID, "on leave", "Rajesh Kumar", "x" };

		note = NULL;
		assert_int_equal(excl_line_check(f, 3, 3, &q, &note, &shown), EXCL_OK);
		assert_string_equal(note, "on leave");
		assert_int_equal(excl_line_check(f, 4, 3, &q, &note, &shown),
		    EXCL_TOO_MANY_FIELDS);
	}
	assert_int_equal(check("12345678901", "a", 2, &q, &note, &shown), EXCL_INVALID_QID);
	assert_string_equal(shown, "12345678901");
	assert_int_equal(check("2815241000", "", 2, &q, &note, &shown), EXCL_INVALID_QID);
	/* Not echoed: too long, or not printable text. */
	assert_int_equal(check("281524100082815241000899", "", 2, &q, &note, &shown),
	    EXCL_INVALID_QID);
	assert_null(shown);
	assert_int_equal(check("", "", 2, &q, &note, &shown), EXCL_INVALID_QID);
	assert_null(shown);
	assert_int_equal(check("2815\x01", "", 2, &q, &note, &shown), EXCL_INVALID_QID);
	assert_null(shown);
	memset(longnote, 'n', sizeof(longnote) - 1);
	longnote[sizeof(longnote) - 1] = '\0';
	assert_int_equal(check(QID, longnote, 2, &q, &note, &shown), EXCL_INVALID_NOTE);
	assert_string_equal(shown, QID);
	longnote[EXCL_NOTE_MAX] = '\0';
	assert_int_equal(check(QID, longnote, 2, &q, &note, &shown), EXCL_OK);
	assert_int_equal(check(QID, "two\nlines", 2, &q, &note, &shown), EXCL_INVALID_NOTE);
	assert_int_equal(check(QID, "\xff\xfe", 2, &q, &note, &shown), EXCL_INVALID_NOTE);
}

static void
header_and_blank(void **state)
{
	const char *ok[] = { "qid", "note", "name", "x" }, *upper[] = { "QID", "Note", "Name" },
	    *swapped[] = { "note", "qid" }, *other[] = { "qid", "note", "name_en" },
	    *blank[] = { "" };
	size_t cols = 9;

	(void)state;
	assert_int_equal(excl_header_check(ok, 2, &cols), EXCL_OK);
	assert_int_equal(cols, 2);
	assert_int_equal(excl_header_check(upper, 2, &cols), EXCL_OK);
	/* The downloaded list's header, in any case: lines may have 3 fields. */
	assert_int_equal(excl_header_check(ok, 3, &cols), EXCL_OK);
	assert_int_equal(cols, 3);
	assert_int_equal(excl_header_check(upper, 3, &cols), EXCL_OK);
	assert_int_equal(excl_header_check(ok, 4, &cols), EXCL_BAD_HEADER);
	assert_int_equal(cols, 0);
	assert_int_equal(excl_header_check(other, 3, &cols), EXCL_BAD_HEADER);
	assert_int_equal(excl_header_check(ok, 1, &cols), EXCL_BAD_HEADER);
	assert_int_equal(excl_header_check(swapped, 2, &cols), EXCL_BAD_HEADER);
	assert_true(excl_line_blank(blank, 1));
	assert_false(excl_line_blank(ok, 1));
	assert_false(excl_line_blank(blank, 2));
}

static void
note_rule(void **state)
{
	(void)state;
	assert_true(excl_note_ok(""));
	assert_true(excl_note_ok("moving to Doha branch"));
	assert_false(excl_note_ok("tab\there"));
}

/* Clients and the translations match on these codes: they never change. */
static void
refusal_codes(void **state)
{
	static const char *const codes[EXCL__MAX] = {
		"ok", "malformed_csv", "bad_header", "too_many_fields", "invalid_qid",
		"invalid_note", "empty_file", "not_employee",
	};
	int i;

	(void)state;
	for (i = 0; i < EXCL__MAX; i++) {
		assert_string_equal(excl_refusal_code((enum excl_refusal)i), codes[i]);
		assert_true(strlen(excl_refusal_reason((enum excl_refusal)i)) > 0);
	}
	assert_string_equal(excl_refusal_code(EXCL__MAX), "unknown");
	assert_string_equal(excl_refusal_reason(EXCL__MAX), "unknown");
	assert_string_equal(excl_refusal_reason(EXCL_BAD_HEADER),
	    "the header must be qid,note (or qid,note,name, as the list downloads)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_lines),
		cmocka_unit_test(bad_lines),
		cmocka_unit_test(header_and_blank),
		cmocka_unit_test(note_rule),
		cmocka_unit_test(refusal_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
