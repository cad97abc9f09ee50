/*
 * The activation letter (reports/activation_letter.c), read back the way a
 * person would: pdftotext extracts its text (the reference, both names of
 * the company, the code, the Arabic heading shaped from real characters),
 * and pdftoppm renders its page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <fontconfig/fontconfig.h>

#include "reports/activation_letter.h"

static struct activation_letter
letter(const char *lang)
{
	struct activation_letter a;

	memset(&a, 0, sizeof(a));
	a.lang = lang;
	a.reference = "ENR-7K3M-Q9TX";
	a.est_id = "16000001";
	a.name_ar = "شركة الريان لنقل المركبات";
	a.name_en = "Al Rayyan Vehicle Transport";
	a.sector_ar = "شركات نقل المركبات";
	a.sector_en = "Vehicle transport companies";
	a.licensing_authority = "Ministry of Commerce";
	a.license_number = "CR-160001";
	date_parse("2029-08-31", &a.license_expiry);
	a.region = "Al Rayyan";
	a.main_user_ar = "رافي مينون";
	a.main_user_en = "Ravi Menon";
	a.main_user_mobile = "+97455016002";
	a.code = "7K3M-Q9TX-2B4D";
	a.site = "https://moi.example/verify";
	date_parse("2026-12-02", &a.issued);
	return a;
}

/* The text pdftotext extracts from pdf, into a new string. */
static char *
pdf_text(const uint8_t *pdf, size_t len, const char *dir)
{
	char path[256], cmd[600], *text;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/letter.pdf", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(pdf, 1, len, f), len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 %s/letter.pdf %s/letter.txt",
	    dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/letter.txt", dir);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

/*
 * s without white space and bidi controls, in place: pdftotext puts
 * embedding marks around a right-to-left run in a left-to-right line, and
 * spaces where glyph advances leave gaps; neither is the letter's text.
 */
static char *
squeeze(char *s)
{
	char *w = s;
	const unsigned char *r = (const unsigned char *)s;

	while (*r != '\0') {
		if (*r == ' ' || *r == '\n' || *r == '\t' || *r == '\f') {
			r++;
			continue;
		}
		/* U+200E, U+200F, U+202A..U+202E, U+2066..U+2069 */
		if ((r[0] == 0xe2 && r[1] == 0x80 && (r[2] == 0x8e || r[2] == 0x8f ||
		    (r[2] >= 0xaa && r[2] <= 0xae))) ||
		    (r[0] == 0xe2 && r[1] == 0x81 && r[2] >= 0xa6 && r[2] <= 0xa9)) {
			r += 3;
			continue;
		}
		*w++ = (char)*r++;
	}
	*w = '\0';
	return s;
}

static void
check(const char *lang, const char *const *want, size_t nwant)
{
	struct activation_letter a = letter(lang);
	char dir[] = "/tmp/rb-letter.XXXXXX", cmd[600], png[300];
	uint8_t *pdf = NULL;
	size_t len, i;
	char *text;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(activation_letter_pdf(&a, &pdf, &len), RB_OK);
	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	text = squeeze(pdf_text(pdf, len, dir));
	for (i = 0; i < nwant; i++) {
		char *w = squeeze(strdup(want[i]));

		if (strstr(text, w) == NULL)
			fail_msg("%s letter lacks \"%s\"; it reads:\n%s", lang, want[i], text);
		free(w);
	}
	/* Page 1 renders, and is not blank: a PNG of some size. */
	snprintf(cmd, sizeof(cmd), "pdftoppm -r 50 -png -f 1 -l 1 %s/letter.pdf %s/page",
	    dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(png, sizeof(png), "%s/page-1.png", dir);
	assert_int_equal(access(png, R_OK), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(text);
	free(pdf);
}

static void
english(void **state)
{
	static const char *const want[] = { "Ministry of Interior",
	    "ENR-7K3M-Q9TX", "Al Rayyan Vehicle Transport", "16000001",
	    "7K3M-Q9TX-2B4D", "What to do next", "CR-160001", "2029-08-31",
	    "Vehicle transport companies", "Ravi Menon",
	    "شركة الريان لنقل المركبات" };

	(void)state;
	check("en", want, sizeof(want) / sizeof(want[0]));
}

static void
arabic(void **state)
{
	static const char *const want[] = { "وزارة الداخلية", "الخطوات التالية",
	    "ENR-7K3M-Q9TX", "Al Rayyan Vehicle Transport", "16000001",
	    "7K3M-Q9TX-2B4D", "شركة الريان لنقل المركبات", "رافي مينون" };

	(void)state;
	check("ar", want, sizeof(want) / sizeof(want[0]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(english),
		cmocka_unit_test(arabic),
	};

	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	/* Fontconfig keeps its configuration for the process's life; the
	 * letter's own font map is freed with each letter. */
	FcFini();
	return failed;
}
