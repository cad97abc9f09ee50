/*
 * notify/catalog.h and notify/message_render.h: the compiled message
 * catalogues (po/LANG.po, built into $RB_BIN/locale) and the texts made from
 * them.
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
#include <jansson.h>

#include "notify/catalog.h"
#include "notify/message_render.h"

static struct catalog *cat;

static const char *
locale_dir(void)
{
	static char dir[1024];
	const char *bin = getenv("RB_BIN");

	snprintf(dir, sizeof(dir), "%s/locale", bin && *bin ? bin : "build");
	return dir;
}

static int
setup(void **state)
{
	char err[256];

	(void)state;
	if (catalog_load_dir(locale_dir(), &cat, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	catalog_free(cat);
	return 0;
}

static char *
render(const char *lang, const char *key, const char *params_json)
{
	json_t *params = json_loads(params_json, 0, NULL);
	char *out = NULL, err[256];

	assert_non_null(params);
	assert_int_equal(message_render(cat, lang, key, params, &out, err, sizeof(err)), RB_OK);
	json_decref(params);
	return out;
}

/* The placeholders of a text, sorted and joined: "{a}{b}". */
static void
placeholders(const char *t, char *out, size_t outsz)
{
	char names[32][64];
	int n = 0, i, j;

	for (; (t = strchr(t, '{')) != NULL && n < 32; t++) {
		size_t len = strspn(t + 1, "abcdefghijklmnopqrstuvwxyz0123456789_");

		if (len > 0 && len < 64 && t[1 + len] == '}') {
			memcpy(names[n], t + 1, len);
			names[n][len] = '\0';
			for (j = 0; j < n && strcmp(names[j], names[n]) != 0; j++)
				;
			if (j == n)
				n++;
		}
	}
	for (i = 1; i < n; i++)		/* insertion sort: a handful at most */
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char tmp[64];

			memcpy(tmp, names[j], 64);
			memcpy(names[j], names[j - 1], 64);
			memcpy(names[j - 1], tmp, 64);
		}
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		strncat(out, "{", outsz - strlen(out) - 1);
		strncat(out, names[i], outsz - strlen(out) - 1);
		strncat(out, "}", outsz - strlen(out) - 1);
	}
}

/* Arabic and English, and every other catalogue, have exactly the same
 * keys, and each translation uses the same placeholders as English. */
static void
catalogues_complete(void **state)
{
	size_t l, k;

	(void)state;
	assert_true(catalog_has_language(cat, "ar"));
	assert_true(catalog_has_language(cat, "en"));
	assert_true(catalog_key_count(cat, "en") >= 20);
	for (l = 0; l < catalog_language_count(cat); l++) {
		const char *lang = catalog_language(cat, l);

		assert_int_equal(catalog_key_count(cat, lang), catalog_key_count(cat, "en"));
		for (k = 0; k < catalog_key_count(cat, "en"); k++) {
			const char *key = catalog_key(cat, "en", k);
			char a[512], b[512];

			assert_string_equal(catalog_key(cat, lang, k), key);
			placeholders(catalog_text(cat, "en", key), a, sizeof(a));
			placeholders(catalog_text(cat, lang, key), b, sizeof(b));
			if (strcmp(a, b) != 0)
				fail_msg("%s: %s uses %s, English %s", lang, key, b, a);
		}
	}
}

static void
renewed_sms_in_each_language(void **state)
{
	const char *p = "{\"new_expiry\": \"2027-12-08\", \"delivery_from\": \"2026-12-09\","
	    " \"delivery_to\": \"2026-12-10\", \"company_ar\": \"شركة النور\","
	    " \"company_en\": \"Al Noor\"}";
	char *en, *ar;

	(void)state;
	en = render("en", "sms.permit.renewed", p);
	ar = render("ar", "sms.permit.renewed", p);
	assert_string_equal(en, "MOI: your residence permit was renewed until 2027-12-08."
	    " Your new card will be delivered between 2026-12-09 and 2026-12-10.");
	assert_non_null(strstr(ar, "جُددت إقامتك حتى 2027-12-08"));
	assert_non_null(strstr(ar, "2026-12-09"));
	free(en);
	free(ar);
}

/* Names come in the reader's language; codes become words; dirhams riyals. */
static void
names_codes_and_money(void **state)
{
	char *en, *ar;

	(void)state;
	en = render("en", "sms.permit.not_renewed", "{\"reason\": \"PASSPORT_VALIDITY\","
	    " \"company_ar\": \"شركة النور\", \"company_en\": \"Al Noor\"}");
	assert_string_equal(en, "MOI: your residence permit was not renewed automatically"
	    " by Al Noor: your passport must stay valid at least 6 months longer.");
	ar = render("ar", "sms.permit.not_renewed", "{\"reason\": \"PASSPORT_VALIDITY\","
	    " \"company_ar\": \"شركة النور\", \"company_en\": \"Al Noor\"}");
	assert_non_null(strstr(ar, "شركة النور"));
	assert_non_null(strstr(ar, "جواز سفرك"));
	assert_null(strstr(ar, "PASSPORT_VALIDITY"));
	free(en);
	free(ar);
	en = render("en", "sms.execution.done", "{\"cycle_date\": \"2026-12-08\","
	    " \"company_en\": \"Al Noor\", \"renewed\": 3, \"not_renewed\": 6,"
	    " \"total_dirhams\": 123456789}");
	assert_non_null(strstr(en, "3 renewed, 6 not renewed, QAR 1,234,567.89 debited"));
	free(en);
}

/* A language without a catalogue of its own reads English; a name given
 * only in Arabic is still shown. */
static void
fallbacks(void **state)
{
	char *t;

	(void)state;
	t = render("ur", "sms.grant.revoked", "{\"company_ar\": \"شركة\", \"company_en\": \"Co\","
	    " \"service_en\": \"Exit permit\", \"reason\": \"revoked_by_signatory\"}");
	assert_string_equal(t, "MOI: your permission to act for Co in the e-service"
	    " \"Exit permit\" has ended: the signatory revoked it.");
	free(t);
	t = render("en", "sms.grant.created", "{\"company\": \"X\", \"service_ar\": \"خدمة\"}");
	assert_non_null(strstr(t, "\"خدمة\""));
	free(t);
}

static void
missing_value_or_key(void **state)
{
	json_t *p = json_pack("{s:s}", "company_en", "X");
	char *out = (char *)"untouched", err[256] = "";

	(void)state;
	assert_int_equal(message_render(cat, "en", "sms.permit.renewed", p, &out, err,
	    sizeof(err)), RB_EINVAL);
	assert_null(out);
	assert_non_null(strstr(err, "{new_expiry}"));
	assert_int_equal(message_render(cat, "en", "no.such.key", p, &out, err,
	    sizeof(err)), RB_ENOTFOUND);
	json_decref(p);
}

/* Values are text: braces in a company's name are not placeholders. */
static void
values_not_interpreted(void **state)
{
	char *t;

	(void)state;
	t = render("en", "sms.permit.expired", "{\"expiry\": \"2026-10-01\","
	    " \"company_en\": \"{expiry} & Co\"}");
	assert_string_equal(t, "MOI: your residence permit expired on 2026-10-01."
	    " {expiry} & Co has subscribed to automatic renewal.");
	free(t);
}

static void
dirhams_format(void **state)
{
	char out[32];

	(void)state;
	message_format_dirhams(0, out);
	assert_string_equal(out, "0.00");
	message_format_dirhams(5, out);
	assert_string_equal(out, "0.05");
	message_format_dirhams(102000, out);
	assert_string_equal(out, "1,020.00");
	message_format_dirhams(100000000, out);
	assert_string_equal(out, "1,000,000.00");
	message_format_dirhams(-250, out);
	assert_string_equal(out, "-2.50");
}

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* A new language is one more .po file: compiled the way the build does,
 * it is used with no change to the code. */
static void
new_language_is_a_file(void **state)
{
	char dir[] = "/tmp/rb-catalog-XXXXXX", cmd[4096], path[1200], err[256];
	struct catalog *c = NULL;
	const char *po = "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
	    "msgid \"sms.permit.expired\"\n"
	    "msgstr \"MOI : votre titre de séjour a expiré le {expiry} ({company}).\"\n";
	json_t *p;
	char *out = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fr.po", dir);
	write_file(path, po, strlen(po));
	snprintf(cmd, sizeof(cmd), "msgfmt -o %s/fr.mo %s && cp %s/en.mo %s/",
	    dir, path, locale_dir(), dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(catalog_load_dir(dir, &c, err, sizeof(err)), RB_OK);
	p = json_pack("{s:s, s:s}", "expiry", "2026-10-01", "company_en", "Al Noor");
	assert_int_equal(message_render(c, "fr", "sms.permit.expired", p, &out, err,
	    sizeof(err)), RB_OK);
	assert_string_equal(out, "MOI : votre titre de séjour a expiré le 2026-10-01 (Al Noor).");
	free(out);
	/* What French does not have yet comes in English. */
	assert_int_equal(message_render(c, "fr", "sms.permit.renewed", p, &out, err,
	    sizeof(err)), RB_EINVAL);
	json_decref(p);
	catalog_free(c);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Damaged catalogues are refused whole, never read out of bounds. */
static void
damaged_catalogue_refused(void **state)
{
	char dir[] = "/tmp/rb-catalog-XXXXXX", path[1200], err[256], cmd[1200];
	uint8_t mo[64];
	uint32_t v;
	struct catalog *c = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/en.mo", dir);
	write_file(path, "not a catalogue", 15);
	assert_int_equal(catalog_load_dir(dir, &c, err, sizeof(err)), RB_EIO);
	assert_null(c);
	/* Right magic, one entry whose string points past the end. */
	memset(mo, 0, sizeof(mo));
	v = 0x950412de; memcpy(mo, &v, 4);
	v = 1; memcpy(mo + 8, &v, 4);
	v = 28; memcpy(mo + 12, &v, 4);
	v = 36; memcpy(mo + 16, &v, 4);
	v = 5; memcpy(mo + 28, &v, 4);
	v = 1000; memcpy(mo + 32, &v, 4);
	write_file(path, mo, sizeof(mo));
	assert_int_equal(catalog_load_dir(dir, &c, err, sizeof(err)), RB_EIO);
	/* A huge count. */
	v = 0xffffffff; memcpy(mo + 8, &v, 4);
	write_file(path, mo, sizeof(mo));
	assert_int_equal(catalog_load_dir(dir, &c, err, sizeof(err)), RB_EIO);
	/* No English at all. */
	unlink(path);
	assert_int_equal(catalog_load_dir(dir, &c, err, sizeof(err)), RB_ENOTFOUND);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catalogues_complete),
		cmocka_unit_test(renewed_sms_in_each_language),
		cmocka_unit_test(names_codes_and_money),
		cmocka_unit_test(fallbacks),
		cmocka_unit_test(missing_value_or_key),
		cmocka_unit_test(values_not_interpreted),
		cmocka_unit_test(dirhams_format),
		cmocka_unit_test(new_language_is_a_file),
		cmocka_unit_test(damaged_catalogue_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
