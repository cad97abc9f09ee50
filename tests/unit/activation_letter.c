/*
 * The activation letter (reports/activation_letter.c), read back the way a
 * person would: pdftotext extracts its text (the reference, both names of
 * the company, the code, the Arabic heading shaped from real characters),
 * and pdftoppm renders its page. In each of the six languages (issue 16
 * §3): the catalogue's own words (read from the compiled catalogues, not
 * written here) are in the text, and pdffonts shows the script's Noto font
 * embedded (Naskh Arabic for Arabic and Urdu, Sans Malayalam for
 * Malayalam, Sans for the others).
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

#include "notify/catalog.h"
#include "reports/activation_letter.h"
#include "reports/statement.h"

static struct catalog *cat;

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
 * s without white space, bidi controls and vowel marks, in place:
 * pdftotext puts embedding marks around a right-to-left run in a
 * left-to-right line, and spaces where glyph advances leave gaps; neither
 * is the letter's text.
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
		/* Arabic-script vowel marks (U+064B..U+065F, U+0670): pdftotext
		 * may put one on the letter before its own in a right-to-left
		 * line (وزارِت for وزارتِ). */
		if (r[0] == 0xd9 && ((r[1] >= 0x8b && r[1] <= 0x9f) || r[1] == 0xb0)) {
			r += 2;
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

/* What pdffonts lists for pdf, into a new string. */
static char *
pdf_fonts(const uint8_t *pdf, size_t len)
{
	char dir[] = "/tmp/rb-fonts.XXXXXX", cmd[600], *out = calloc(1, 16384);
	size_t n;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "%s/l.pdf", dir);
	assert_non_null(f = fopen(cmd, "wb"));
	assert_int_equal(fwrite(pdf, 1, len, f), len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "pdffonts %s/l.pdf; rm -rf %s", dir, dir);
	assert_non_null(f = popen(cmd, "r"));
	n = fread(out, 1, 16383, f);
	assert_int_equal(pclose(f), 0);
	out[n] = '\0';
	return out;
}

/* The letter in lang: the catalogue's heading, title, next steps and
 * verification label, the code; font embedded, and not other (a script's
 * font standing in for another's). */
static void
in_language(const char *lang, const char *font, const char *other)
{
	static const char *const keys[] = { "letter.ministry", "letter.title",
	    "letter.next_title", "letter.code", "letter.reference" };
	const char *want[sizeof(keys) / sizeof(keys[0]) + 2];
	struct activation_letter a = letter(lang);
	uint8_t *pdf = NULL;
	size_t i, len;
	char *fonts;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		want[i] = catalog_text_own(cat, lang, keys[i]);
		if (want[i] == NULL)
			fail_msg("%s: no %s in its own catalogue", lang, keys[i]);
	}
	want[i++] = "7K3M-Q9TX-2B4D";
	want[i++] = "ENR-7K3M-Q9TX";
	check(lang, want, i);
	assert_int_equal(activation_letter_pdf(&a, &pdf, &len), RB_OK);
	fonts = pdf_fonts(pdf, len);
	if (strstr(fonts, font) == NULL)
		fail_msg("%s letter: %s not embedded:\n%s", lang, font, fonts);
	if (other != NULL && strstr(fonts, other) != NULL)
		fail_msg("%s letter: %s embedded:\n%s", lang, other, fonts);
	/* Every font embedded (pdffonts' "emb" column says yes). */
	assert_null(strstr(fonts, " no  "));
	free(fonts);
	free(pdf);
}

static void
six_languages(void **state)
{
	(void)state;
	in_language("en", "NotoSans-", "Arabic");
	in_language("ar", "NotoNaskhArabic", "Nastaliq");
	in_language("fr", "NotoSans-", "Arabic");
	/* Urdu in Naskh: Nastaliq's stacked letters come out of the PDF's text
	 * (copying, searching, pdftotext) in pieces (docs/DECISIONS.md). */
	in_language("ur", "NotoNaskhArabic", "Nastaliq");
	in_language("ml", "NotoSansMalayalam", "Arabic");
	in_language("es", "NotoSans-", "Arabic");
}

/* The Urdu letter's Latin values keep their order inside the right-to-left
 * lines; its names are the Arabic-script ones (domain/reader_name.h). */
static void
urdu_reads_arabic_script_names(void **state)
{
	static const char *const want[] = { "رافي مينون", "شركات نقل المركبات",
	    "97455016002", "2029-08-31" };	/* pdftotext puts the + after it */

	(void)state;
	check("ur", want, sizeof(want) / sizeof(want[0]));
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
		cmocka_unit_test(six_languages),
		cmocka_unit_test(urdu_reads_arabic_script_names),
	};
	char dir[512], err[256];
	const char *bin = getenv("RB_BIN");
	int failed;

	/* The compiled catalogues of the build, as rb-fcgi loads them. */
	snprintf(dir, sizeof(dir), "%s/locale", bin != NULL && *bin ? bin : "build");
	if (catalog_load_dir(dir, &cat, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	report_texts_init(catalog_text, cat);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	catalog_free(cat);

	/* Fontconfig keeps its configuration for the process's life; the
	 * letter's own font map is freed with each letter. */
	FcFini();
	return failed;
}
