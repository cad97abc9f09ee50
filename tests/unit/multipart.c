/*
 * lib/multipart.h (the boundary of a Content-Type, bodies parsed in place
 * and refused with a reason), lib/media_sniff.h (documents by content) and
 * domain/enrollment_rules.h (what a submission must say).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/enrollment_rules.h"
#include "lib/media_sniff.h"
#include "lib/multipart.h"

static void
boundaries(void **state)
{
	char b[MP_BOUNDARY_MAX + 1];
	const char *why = NULL;

	(void)state;
	assert_int_equal(mp_boundary("multipart/form-data; boundary=abc123", b,
	    &why), RB_OK);
	assert_string_equal(b, "abc123");
	assert_int_equal(mp_boundary("Multipart/Form-Data;charset=utf-8;"
	    " BOUNDARY=\"----WebKit Form:x\"", b, &why), RB_OK);
	assert_string_equal(b, "----WebKit Form:x");
	assert_int_equal(mp_boundary("application/json", b, &why), RB_EINVAL);
	assert_string_equal(why, "the content type must be multipart/form-data");
	assert_int_equal(mp_boundary(NULL, b, &why), RB_EINVAL);
	assert_int_equal(mp_boundary("multipart/form-data", b, &why), RB_EINVAL);
	assert_string_equal(why, "the content type has no boundary");
	assert_int_equal(mp_boundary("multipart/form-data; boundary=", b, &why),
	    RB_EINVAL);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=\"a b \"", b,
	    &why), RB_EINVAL);
	assert_string_equal(why, "the boundary ends with a space");
	assert_int_equal(mp_boundary("multipart/form-data; boundary=\"a<b\"", b,
	    &why), RB_EINVAL);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=a; "
	    "boundary=b", b, &why), RB_EINVAL);
	/* 70 characters pass, 71 do not. */
	assert_int_equal(mp_boundary("multipart/form-data; boundary="
	    "1234567890123456789012345678901234567890123456789012345678901234567890",
	    b, &why), RB_OK);
	assert_int_equal(mp_boundary("multipart/form-data; boundary="
	    "12345678901234567890123456789012345678901234567890123456789012345678901",
	    b, &why), RB_EINVAL);
}

#define B "XyZ"
static const char good[] =
    "--" B "\r\n"
    "Content-Disposition: form-data; name=\"data\"\r\n"
    "\r\n"
    "{\"a\":1}\r\n"
    "--" B "\r\n"
    "content-disposition: form-data; name=license; filename=\"lic \\\"1\\\".pdf\"\r\n"
    "Content-Type: application/pdf\r\n"
    "X-Other: ignored\r\n"
    "\r\n"
    "%PDF\r\n--not-the-boundary\r\n\0bin\r\n"
    "--" B "--\r\n";

static void
parse_good(void **state)
{
	struct mp_form f;
	const struct mp_part *p;
	const char *why = NULL;
	static const char empty[] = "--" B "\r\nContent-Disposition: form-data; "
	    "name=e\r\n\r\n\r\n--" B "--";

	(void)state;
	assert_int_equal(mp_parse(good, sizeof(good) - 1, B, &f, &why), RB_OK);
	assert_int_equal(f.nparts, 2);
	p = mp_find(&f, "data");
	assert_non_null(p);
	assert_false(p->has_filename);
	assert_int_equal(p->len, 7);
	assert_memory_equal(p->data, "{\"a\":1}", 7);
	assert_string_equal(p->content_type, "");
	p = mp_find(&f, "license");
	assert_non_null(p);
	assert_true(p->has_filename);
	assert_string_equal(p->filename, "lic \"1\".pdf");
	assert_string_equal(p->content_type, "application/pdf");
	/* In place, binary and with a look-alike delimiter inside. */
	assert_true(p->data > good && p->data < good + sizeof(good));
	assert_int_equal(p->len, 30);
	assert_memory_equal(p->data, "%PDF\r\n--not-the-boundary\r\n\0bin", 30);
	assert_null(mp_find(&f, "owner_id"));
	/* Without the final CRLF, and an empty part. */
	assert_int_equal(mp_parse(empty, strlen(empty), B, &f, &why), RB_OK);
	assert_int_equal(f.nparts, 1);
	assert_int_equal(f.parts[0].len, 0);
}

/* Each malformed body is refused with the reason given. */
static void
parse_bad(void **state)
{
	static const struct {
		const char *body, *why;
	} bad[] = {
		{ "preamble\r\n--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--" B "--",
		  "the body does not start with the boundary" },
		{ "--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\nx",
		  "the body ends before the closing boundary" },
		{ "--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--" B "--junk",
		  "data after the closing boundary" },
		{ "--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--" B "X",
		  "a boundary not followed by CRLF" },
		{ "--" B "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" B "--",
		  "a part has no Content-Disposition" },
		{ "--" B "\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--" B "--",
		  "a part's Content-Disposition is not form-data" },
		{ "--" B "\r\nContent-Disposition: form-data; filename=a\r\n\r\nx\r\n--" B "--",
		  "a part has no name" },
		{ "--" B "\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--" B "--",
		  "a part names itself twice" },
		{ "--" B "\r\nContent-Disposition: form-data; name=a\r\n filename=b\r\n\r\nx\r\n--" B "--",
		  "folded part headers" },
		{ "--" B "\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--" B "--",
		  "an unterminated quoted value" },
		{ "--" B "\r\nContent-Disposition: form-data; name=\"a\x01\"\r\n\r\nx\r\n--" B "--",
		  "a control character in a part header" },
		{ "--" B "\r\nContent-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: base64\r\n\r\neA==\r\n--" B "--",
		  "a part has a Content-Transfer-Encoding" },
		{ "--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--" B "\r\n"
		  "Content-Disposition: form-data; name=a\r\n\r\ny\r\n--" B "--",
		  "two parts of the same name" },
		{ "--" B "\r\nContent-Disposition: form-data; name=a",
		  "a part's headers do not end" },
		{ "--" B "\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\nx\r\n--" B "--",
		  "a bare CR or LF in the part headers" },
	};
	struct mp_form f;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (mp_parse(bad[i].body, strlen(bad[i].body), B, &f, &why) !=
		    RB_EINVAL)
			fail_msg("case %zu accepted", i);
		assert_non_null(why);
		if (strcmp(why, bad[i].why) != 0)
			fail_msg("case %zu: %s", i, why);
	}
}

/* Limits: parts, header block size. */
static void
parse_limits(void **state)
{
	char body[8192], hdr[MP_HEADERS_MAX + 100];
	struct mp_form f;
	const char *why;
	size_t n = 0, i;

	(void)state;
	for (i = 0; i <= MP_MAX_PARTS; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "--" B "\r\n"
		    "Content-Disposition: form-data; name=p%zu\r\n\r\nx\r\n", i);
	n -= 2;
	n += (size_t)snprintf(body + n, sizeof(body) - n, "\r\n--" B "--");
	assert_int_equal(mp_parse(body, n, B, &f, &why), RB_EINVAL);
	assert_string_equal(why, "too many parts");
	memset(hdr, 'a', sizeof(hdr));
	hdr[sizeof(hdr) - 1] = '\0';
	n = (size_t)snprintf(body, sizeof(body), "--" B "\r\n"
	    "Content-Disposition: form-data; name=a\r\nX-Long: %s\r\n\r\nx\r\n--"
	    B "--", hdr);
	assert_int_equal(mp_parse(body, n, B, &f, &why), RB_EINVAL);
	assert_string_equal(why, "a part's headers are too long");
}

static void
sniff(void **state)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1,
	    8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde };
	static const unsigned char jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 0x10 };
	static const char pdf[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n";
	static const char cut[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n";
	static const char text[] = "This file says it is a .pdf but it is text.";

	(void)state;
	assert_int_equal(media_sniff(png, sizeof(png)), MEDIA_KIND_PNG);
	assert_int_equal(media_sniff(png, 20), MEDIA_UNKNOWN);
	assert_int_equal(media_sniff(jpeg, sizeof(jpeg)), MEDIA_KIND_JPEG);
	assert_int_equal(media_sniff((const unsigned char *)pdf, strlen(pdf)),
	    MEDIA_KIND_PDF);
	assert_int_equal(media_sniff((const unsigned char *)cut, strlen(cut)),
	    MEDIA_UNKNOWN);
	assert_int_equal(media_sniff((const unsigned char *)text, strlen(text)),
	    MEDIA_UNKNOWN);
	assert_int_equal(media_sniff(NULL, 0), MEDIA_UNKNOWN);
	assert_string_equal(media_kind_type(MEDIA_KIND_PNG), "image/png");
	assert_string_equal(media_kind_type(MEDIA_KIND_PDF), "application/pdf");
	assert_string_equal(media_kind_type(MEDIA_KIND_JPEG), "image/jpeg");
	assert_null(media_kind_type(MEDIA_UNKNOWN));
}

static void
rules(void **state)
{
	struct enrollment_facts f;
	char m[MOBILE_E164_SZ];

	(void)state;
	assert_true(sector_code_ok("vehicle_transport"));
	assert_false(sector_code_ok("Vehicle"));
	assert_false(sector_code_ok("a"));
	assert_true(license_number_ok("CR-12345/2"));
	assert_false(license_number_ok(""));
	assert_false(license_number_ok("CR 1"));
	assert_false(license_number_ok("12345678901234567890123456789012345678901"));
	memset(&f, 0, sizeof(f));
	f.sector_exists = 1;
	f.license_number = "CR-1";
	f.today.days = 20000;
	f.license_expiry.days = 20001;
	f.main_user_exists = 1;
	f.main_user_employed = 1;
	f.mobile = "5555 1234";
	assert_int_equal(enrollment_decide(&f, m), ENROLL_OK);
	assert_string_equal(m, "+97455551234");
	f.mobile = "+97455551234x";
	assert_int_equal(enrollment_decide(&f, m), ENROLL_MOBILE);
	assert_string_equal(enrollment_refusal_field(ENROLL_MOBILE),
	    "main_user_mobile");
	f.main_user_employed = 0;
	assert_int_equal(enrollment_decide(&f, m), ENROLL_MAIN_USER_NOT_EMPLOYED);
	f.main_user_exists = 0;
	assert_int_equal(enrollment_decide(&f, m), ENROLL_MAIN_USER_UNKNOWN);
	f.license_expiry.days = 20000;	/* expiring today: refused */
	assert_int_equal(enrollment_decide(&f, m), ENROLL_LICENSE_EXPIRED);
	f.license_number = "bad number";
	assert_int_equal(enrollment_decide(&f, m), ENROLL_LICENSE_NUMBER);
	f.sector_exists = 0;
	assert_int_equal(enrollment_decide(&f, m), ENROLL_UNKNOWN_SECTOR);
	assert_string_equal(enrollment_refusal_code(ENROLL_UNKNOWN_SECTOR),
	    "unknown_sector");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(boundaries),
		cmocka_unit_test(parse_good),
		cmocka_unit_test(parse_bad),
		cmocka_unit_test(parse_limits),
		cmocka_unit_test(sniff),
		cmocka_unit_test(rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
