/*
 * Identifiers and numbers (domain/ids.c, lib/number.c, domain/reference.c).
 * Properties: a parsed QID, establishment number, IBAN, service code or
 * language is the input itself, and parses again; the shapes hold (11
 * digits starting with 2 or 3, QA and mod-97, ...); int_parse gives back
 * the decimal it was given, inside its bounds.
 */
#include <inttypes.h>
#include <string.h>

#include "domain/ids.h"
#include "domain/reference.h"
#include "lib/number.h"
#include "tests/fuzz/fuzz.h"

/* s is n digits and nothing else. */
static int
all_digits(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789") == n;
}

static void
check_ids(const char *s)
{
	struct qid q, q2;
	struct est_id e, e2;
	struct iban b, b2;
	struct svc_code c, c2;
	struct lang l;

	if (qid_parse(s, &q) == RB_OK) {
		FUZZ_CHECK(strcmp(q.s, s) == 0 && all_digits(q.s, 11));
		FUZZ_CHECK(q.s[0] == '2' || q.s[0] == '3');
		FUZZ_CHECK(qid_parse(q.s, &q2) == RB_OK && strcmp(q.s, q2.s) == 0);
		FUZZ_CHECK(uid_ok(s));
	}
	if (est_id_parse(s, &e) == RB_OK) {
		FUZZ_CHECK(strcmp(e.s, s) == 0 && all_digits(e.s, 8));
		FUZZ_CHECK(est_id_parse(e.s, &e2) == RB_OK);
	}
	if (iban_parse(s, &b) == RB_OK) {
		FUZZ_CHECK(strcmp(b.s, s) == 0 && strncmp(b.s, "QA", 2) == 0);
		FUZZ_CHECK(strlen(b.s) == 29 && iban_mod97_ok(b.s));
		FUZZ_CHECK(iban_parse(b.s, &b2) == RB_OK);
	}
	if (svc_code_parse(s, &c) == RB_OK) {
		FUZZ_CHECK(strcmp(c.s, s) == 0 && strspn(s,
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(s));
		FUZZ_CHECK(svc_code_parse(c.s, &c2) == RB_OK);
	}
	if (lang_parse(s, &l) == RB_OK)
		FUZZ_CHECK(strcmp(l.s, s) == 0 && strlen(s) == 2 &&
		    strspn(s, "abcdefghijklmnopqrstuvwxyz") == 2);
	if (uid_ok(s))
		FUZZ_CHECK(qid_parse(s, &q) == RB_OK || (strlen(s) <= UID_MAX_LEN &&
		    s[0] >= 'a' && s[0] <= 'z' &&
		    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(s)));
	if (plain_key_ok(s))
		FUZZ_CHECK(strlen(s) >= 1 && strlen(s) <= 64);
	if (reference_check(s) == RB_OK)
		FUZZ_CHECK(strlen(s) == 12 && strncmp(s, "RN-", 3) == 0 && s[7] == '-');
}

static void
check_number(const char *s)
{
	int64_t v = -1;
	char back[32];

	if (int_parse(s, 0, INT64_MAX, &v) == RB_OK) {
		FUZZ_CHECK(v >= 0);
		snprintf(back, sizeof(back), "%" PRId64, v);
		const char *digits = s + (s[0] == '-');

		/* Leading zeros are the one spelling that does not come back;
		 * a minus sign only before a zero. */
		FUZZ_CHECK(s[0] != '-' || v == 0);
		FUZZ_CHECK(strcmp(back, digits + strspn(digits, "0")) == 0 ||
		    (v == 0 && strspn(digits, "0") == strlen(digits)));
	}
	if (int_parse(s, 1, 500, &v) == RB_OK)
		FUZZ_CHECK(v >= 1 && v <= 500);
}

FUZZ_STRING_DRIVER(check_ids, check_number)
