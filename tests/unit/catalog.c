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

#include "domain/plural.h"
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

/* The noun of a counted form's key ("days.few", "days.=0"), or 0 when key
 * is not one: each language has the forms of its own grammar. */
static int
counted_noun(const char *key, char *noun, size_t nounsz)
{
	const char *dot = strrchr(key, '.'), *f;
	enum plural_category c;

	if (dot == NULL || (size_t)(dot - key) >= nounsz)
		return 0;
	f = dot + 1;
	if (f[0] == '=' && f[1] != '\0' && strspn(f + 1, "0123456789") == strlen(f + 1))
		goto yes;
	for (c = 0; c < PLURAL__MAX; c++)
		if (strcmp(f, plural_category_name(c)) == 0)
			goto yes;
	return 0;
yes:
	memcpy(noun, key, (size_t)(dot - key));
	noun[dot - key] = '\0';
	return 1;
}

/* 1 when lang's own catalogue has a form of noun for n (exact, its
 * category, or other), with no other placeholder than {n}. */
static int
has_own_form(const char *lang, const char *noun, long long n)
{
	char key[3][96], ph[256];
	const char *t = NULL;
	int i;

	snprintf(key[0], sizeof(key[0]), "%s.=%lld", noun, n);
	snprintf(key[1], sizeof(key[1]), "%s.%s", noun,
	    plural_category_name(plural_category(lang, n)));
	snprintf(key[2], sizeof(key[2]), "%s.other", noun);
	for (i = 0; i < 3 && t == NULL; i++)
		t = catalog_text_own(cat, lang, key[i]);
	if (t == NULL)
		return 0;
	placeholders(t, ph, sizeof(ph));
	return ph[0] == '\0' || strcmp(ph, "{n}") == 0;
}

/* Arabic and English, and every other catalogue, have exactly the same
 * keys, and each translation uses the same placeholders as English; the
 * forms of counted nouns are each language's own, and cover every number. */
static void
catalogues_complete(void **state)
{
	size_t l, k, plain_en = 0;
	char noun[64];

	(void)state;
	assert_true(catalog_has_language(cat, "ar"));
	assert_true(catalog_has_language(cat, "en"));
	assert_true(catalog_key_count(cat, "en") >= 20);
	for (k = 0; k < catalog_key_count(cat, "en"); k++)
		plain_en += !counted_noun(catalog_key(cat, "en", k), noun, sizeof(noun));
	for (l = 0; l < catalog_language_count(cat); l++) {
		const char *lang = catalog_language(cat, l);
		size_t plain = 0;

		for (k = 0; k < catalog_key_count(cat, lang); k++) {
			const char *key = catalog_key(cat, lang, k);
			char a[512], b[512];
			long long n;

			if (counted_noun(key, noun, sizeof(noun))) {
				for (n = 0; n <= 1000; n++)
					if (!has_own_form(lang, noun, n))
						fail_msg("%s: no form of %s for %lld", lang, noun, n);
				continue;
			}
			plain++;
			if (catalog_text_own(cat, "en", key) == NULL)
				fail_msg("%s: %s is not an English key", lang, key);
			placeholders(catalog_text(cat, "en", key), a, sizeof(a));
			placeholders(catalog_text(cat, lang, key), b, sizeof(b));
			if (strcmp(a, b) != 0)
				fail_msg("%s: %s uses %s, English %s", lang, key, b, a);
		}
		assert_int_equal(plain, plain_en);
		/* Every counted noun of English is counted in lang too. */
		for (k = 0; k < catalog_key_count(cat, "en"); k++)
			if (counted_noun(catalog_key(cat, "en", k), noun, sizeof(noun)) &&
			    !has_own_form(lang, noun, 7))
				fail_msg("%s: no forms of %s", lang, noun);
	}
}

/* "(in 0 days)" reads "today"; Arabic numbers agree with their nouns:
 * 1 and 2 have words of their own, 3-10 take أيام, 11-99 يومًا, 100 يوم. */
static void
days_counted_in_each_language(void **state)
{
	static const struct { const char *lang; int days; const char *want; } table[] = {
		{ "en", 0, "(today)" }, { "en", 1, "(tomorrow)" }, { "en", 2, "(in 2 days)" },
		{ "en", 13, "(in 13 days)" },
		{ "ar", 0, "(اليوم)" }, { "ar", 1, "(غدًا)" }, { "ar", 2, "(بعد يومين)" },
		{ "ar", 3, "(بعد 3 أيام)" }, { "ar", 10, "(بعد 10 أيام)" },
		{ "ar", 11, "(بعد 11 يومًا)" }, { "ar", 30, "(بعد 30 يومًا)" },
		{ "ar", 100, "(بعد 100 يوم)" }, { "ar", 103, "(بعد 103 أيام)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		json_t *p = json_pack("{s:s, s:i, s:s, s:s}", "expiry", "2030-01-20",
		    "days", table[i].days, "company_en", "Al Noor", "execution_date",
		    "2030-01-22");
		char *out = NULL, err[256];

		assert_int_equal(message_render(cat, table[i].lang, "sms.permit.expiring", p,
		    &out, err, sizeof(err)), RB_OK);
		if (strstr(out, table[i].want) == NULL)
			fail_msg("%s %d: %s", table[i].lang, table[i].days, out);
		free(out);
		json_decref(p);
	}
}

/* What blocks a renewal, with the remedy, its deadline and amounts; the
 * passport's months counted like days. */
static void
blocks_say_what_to_do(void **state)
{
	static const struct { const char *lang; int n; const char *want; } months[] = {
		{ "ar", 1, "ساريًا شهرًا واحدًا على الأقل" }, { "ar", 2, "ساريًا شهرين على الأقل" },
		{ "ar", 6, "ساريًا 6 أشهر على الأقل" }, { "ar", 12, "ساريًا 12 شهرًا على الأقل" },
		{ "en", 1, "valid at least 1 month after" }, { "en", 6, "at least 6 months after" },
	};
	char *t;
	size_t i;

	(void)state;
	t = render("en", "sms.permit.not_renewed", "{\"block\": \"OUTSTANDING_FINES\","
	    " \"fines_dirhams\": 123450, \"execution_date\": \"2030-02-08\", \"months\": 6,"
	    " \"cycle_date\": \"2030-01-22\", \"company_en\": \"Al Noor\"}");
	assert_string_equal(t, "MOI: your residence permit was not renewed automatically by"
	    " Al Noor on 2030-01-22: you have outstanding fines of QAR 1,234.50. Pay them"
	    " before 2030-02-08.");
	free(t);
	t = render("en", "sms.permit.expiring_blocked", "{\"block\": \"PASSPORT_VALIDITY\","
	    " \"expiry\": \"2030-01-20\", \"days\": 5, \"fines_dirhams\": 0,"
	    " \"execution_date\": \"2030-01-22\", \"months\": 6, \"company_en\": \"Al Noor\"}");
	assert_string_equal(t, "MOI: your residence permit expires on 2030-01-20 (in 5 days)"
	    " and will not be renewed automatically on 2030-01-22: your passport must stay"
	    " valid at least 6 months after 2030-01-22. Renew your passport before 2030-01-22.");
	assert_null(strstr(t, "subscribed"));
	free(t);
	t = render("ar", "sms.permit.expired_blocked", "{\"block\": \"PASSPORT_VALIDITY\","
	    " \"expiry\": \"2030-01-01\", \"fines_dirhams\": 0, \"execution_date\":"
	    " \"2030-01-22\", \"months\": 12, \"company_ar\": \"شركة النور\"}");
	assert_non_null(strstr(t, "ساريًا 12 شهرًا على الأقل بعد 2030-01-22"));
	assert_null(strstr(t, "اشتركت"));
	free(t);
	for (i = 0; i < sizeof(months) / sizeof(months[0]); i++) {
		char p[96];

		snprintf(p, sizeof(p), "{\"months\": %d, \"execution_date\": \"2030-01-22\"}",
		    months[i].n);
		t = render(months[i].lang, "block.PASSPORT_VALIDITY", p);
		if (strstr(t, months[i].want) == NULL)
			fail_msg("%s %d months: %s", months[i].lang, months[i].n, t);
		free(t);
	}
	t = render("en", "sms.permit.expiring_blocked", "{\"block\": \"RENEWAL_PAUSED\","
	    " \"expiry\": \"2030-01-20\", \"days\": 1, \"fines_dirhams\": 0,"
	    " \"execution_date\": \"2030-01-22\", \"months\": 6, \"company_en\": \"Al Noor\"}");
	assert_non_null(strstr(t, "(tomorrow) and will not be renewed automatically on"
	    " 2030-01-22: Al Noor has paused automatic renewal. Ask Al Noor to resume it"
	    " before 2030-01-22 or to renew your permit."));
	free(t);
}

/* Several services granted at once: one list, quoted, in each language. */
static void
services_listed(void **state)
{
	const char *p = "{\"company_en\": \"Al Noor\", \"company_ar\": \"شركة النور\","
	    " \"services_en\": [\"Exit permit\", \"Entry visa issue\", \"Travel notice\"],"
	    " \"services_ar\": [\"تصريح الخروج\", \"إصدار تأشيرة الدخول\"],"
	    " \"valid_until\": \"2030-12-31\"}";
	char *t;

	(void)state;
	t = render("en", "sms.grant.created_many", p);
	assert_string_equal(t, "MOI: you may now act for Al Noor in the e-services"
	    " \"Exit permit\", \"Entry visa issue\" and \"Travel notice\".");
	free(t);
	t = render("ar", "sms.grant.created_many_until", p);
	assert_string_equal(t, "وزارة الداخلية: أصبح بإمكانك التصرف نيابة عن شركة النور في"
	    " الخدمات الإلكترونية \"تصريح الخروج\" و\"إصدار تأشيرة الدخول\" حتى 2030-12-31.");
	free(t);
}

/* A start-dated grant says from when, with or without its end. */
static void
start_dated_grant_sms(void **state)
{
	const char *p = "{\"company_en\": \"Al Noor\", \"company_ar\": \"شركة النور\","
	    " \"service_en\": \"Exit permit\", \"service_ar\": \"تصريح الخروج\","
	    " \"services_en\": [\"Exit permit\", \"Travel notice\"],"
	    " \"services_ar\": [\"تصريح الخروج\", \"إشعار السفر\"],"
	    " \"valid_from\": \"2030-06-01\", \"valid_until\": \"2030-12-31\"}";
	char *t;

	(void)state;
	t = render("en", "sms.grant.created_from", p);
	assert_string_equal(t, "MOI: from 2030-06-01 you may act for Al Noor in the"
	    " e-service \"Exit permit\".");
	free(t);
	t = render("en", "sms.grant.created_many_from_until", p);
	assert_string_equal(t, "MOI: from 2030-06-01 until 2030-12-31 you may act for"
	    " Al Noor in the e-services \"Exit permit\" and \"Travel notice\".");
	free(t);
	t = render("ar", "sms.grant.created_from_until", p);
	assert_string_equal(t, "وزارة الداخلية: من 2030-06-01 حتى 2030-12-31 يمكنك التصرف"
	    " نيابة عن شركة النور في الخدمة الإلكترونية \"تصريح الخروج\".");
	free(t);
	t = render("ar", "sms.grant.created_many_from", p);
	assert_string_equal(t, "وزارة الداخلية: ابتداءً من 2030-06-01 يمكنك التصرف نيابة"
	    " عن شركة النور في الخدمات الإلكترونية \"تصريح الخروج\" و\"إشعار السفر\".");
	free(t);
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
	en = render("en", "sms.grant.revoked", "{\"reason\": \"employment_ended\","
	    " \"service_en\": \"Exit permit\", \"company_ar\": \"شركة النور\","
	    " \"company_en\": \"Al Noor\"}");
	assert_string_equal(en, "MOI: your permission to act for Al Noor in the e-service"
	    " \"Exit permit\" has ended: your employment that it relied on has ended.");
	ar = render("ar", "sms.permit.not_renewed", "{\"block\": \"PASSPORT_VALIDITY\","
	    " \"months\": 6, \"execution_date\": \"2030-02-08\", \"cycle_date\": \"2030-01-22\","
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
	t = render("de", "sms.grant.revoked", "{\"company_ar\": \"شركة\", \"company_en\": \"Co\","
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
	    " \"company_en\": \"{expiry} & Co\", \"execution_date\": \"2026-10-08\"}");
	assert_string_equal(t, "MOI: your residence permit expired on 2026-10-01."
	    " {expiry} & Co has subscribed to automatic renewal. It is due to be renewed"
	    " on 2026-10-08.");
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

/* Six languages (issue 16 §3): a whole SMS and email in French, Spanish,
 * Urdu and Malayalam, as the person reads it: the amounts in the marks of
 * their language (French groups with U+202F), the dates day first, the
 * counted days and months in their grammar, names in English (no name in
 * these languages is kept), codes turned into sentences. */
static void
four_languages_rendered(void **state)
{
	const char *fines = "{\"block\": \"OUTSTANDING_FINES\", \"fines_dirhams\": 123456789,"
	    " \"execution_date\": \"2030-02-08\", \"cycle_date\": \"2030-01-22\","
	    " \"company_ar\": \"شركة النور\", \"company_en\": \"Al Noor\"}";
	const char *passport = "{\"block\": \"PASSPORT_VALIDITY\", \"expiry\": \"2030-01-20\","
	    " \"days\": 5, \"months\": 6, \"execution_date\": \"2030-01-22\","
	    " \"company_en\": \"Al Noor\"}";
	char *t;

	(void)state;
	t = render("fr", "sms.permit.not_renewed", fines);
	assert_string_equal(t, "Ministère de l'Intérieur : votre titre de séjour n'a pas été"
	    " renouvelé automatiquement par Al Noor le 22/01/2030 : vous avez des amendes"
	    " impayées d'un montant de 1\u202f234\u202f567,89 QAR. Veuillez les régler avant"
	    " le 08/02/2030.");
	free(t);
	t = render("es", "sms.permit.not_renewed", fines);
	assert_string_equal(t, "Ministerio del Interior: Al Noor no renovó automáticamente su"
	    " permiso de residencia el 22/01/2030: tiene multas pendientes por un importe de"
	    " 1.234.567,89 QAR. Abónelas antes del 08/02/2030.");
	free(t);
	t = render("ur", "sms.permit.not_renewed", fines);
	/* The Urdu reader sees the company's Arabic-script name (domain/reader_name.h). */
	assert_string_equal(t, "وزارتِ داخلہ: 22/01/2030 کو شركة النور کی جانب سے آپ کے اقامتی"
	    " اجازت نامے کی خودکار تجدید نہیں ہوئی: آپ کے ذمے 1,234,567.89 ریال قطری کے جرمانے"
	    " واجب الادا ہیں۔ انہیں 08/02/2030 سے پہلے ادا کریں۔");
	free(t);
	t = render("ml", "sms.permit.not_renewed", fines);
	assert_string_equal(t, "ആഭ്യന്തര മന്ത്രാലയം: 22/01/2030 തീയതിയിൽ Al Noor എന്ന"
	    " സ്ഥാപനം താങ്കളുടെ റെസിഡൻസ് പെർമിറ്റ് സ്വയമേവ പുതുക്കിയില്ല: താങ്കൾക്ക്"
	    " 12,34,567.89 QAR പിഴ അടയ്ക്കാൻ ബാക്കിയുണ്ട്. 08/02/2030 തീയതിക്ക് മുമ്പ് അത്"
	    " അടയ്ക്കുക.");
	free(t);
	t = render("fr", "sms.permit.expiring_blocked", passport);
	assert_non_null(strstr(t, "expire le 20/01/2030 (dans 5 jours)"));
	assert_non_null(strstr(t, "valide au moins 6 mois après le 22/01/2030"));
	free(t);
	t = render("es", "sms.permit.expiring_blocked", passport);
	assert_non_null(strstr(t, "vence el 20/01/2030 (dentro de 5 días)"));
	assert_non_null(strstr(t, "al menos 6 meses después del 22/01/2030"));
	free(t);
	t = render("ur", "sms.permit.expiring_blocked", passport);
	assert_non_null(strstr(t, "20/01/2030 کو ختم ہو رہا ہے (5 دن میں)"));
	assert_non_null(strstr(t, "کم از کم 6 ماہ تک"));
	free(t);
	t = render("ml", "sms.permit.expiring_blocked", passport);
	assert_non_null(strstr(t, "20/01/2030 തീയതിയിൽ അവസാനിക്കും (5 ദിവസത്തിനുള്ളിൽ)"));
	assert_non_null(strstr(t, "കുറഞ്ഞത് 6 മാസം"));
	free(t);
	t = render("es", "sms.grant.created_many", "{\"company_en\": \"Al Noor\","
	    " \"services_en\": [\"Exit permit\", \"Entry visa\", \"Fines\"]}");
	assert_string_equal(t, "Ministerio del Interior: a partir de ahora puede actuar en"
	    " nombre de Al Noor en los servicios electrónicos «Exit permit», «Entry visa» y"
	    " «Fines».");
	free(t);
	t = render("fr", "sms.grant.revoked", "{\"company_en\": \"Al Noor\","
	    " \"service_en\": \"Exit permit\", \"reason\": \"employment_ended\"}");
	assert_string_equal(t, "Ministère de l'Intérieur : votre habilitation à agir pour le"
	    " compte de Al Noor dans le service en ligne « Exit permit » a pris fin : l'emploi"
	    " sur lequel elle reposait a pris fin.");
	free(t);
	t = render("fr", "sms.permit.expiring", "{\"expiry\": \"2030-01-20\", \"days\": 1,"
	    " \"company_en\": \"Al Noor\", \"execution_date\": \"2030-01-22\"}");
	assert_non_null(strstr(t, "(demain)"));
	free(t);
	t = render("ml", "email.execution.body", "{\"company_en\": \"Al Noor\","
	    " \"cycle_date\": \"2030-01-22\", \"est_id\": \"10000001\", \"renewed\": 3,"
	    " \"not_renewed\": 1, \"total_dirhams\": 1020000, \"cap_dirhams\": 50000000,"
	    " \"verification_code\": \"ABCD-1234\", \"site\": \"https://moi.example/\"}");
	assert_non_null(strstr(t, "ഈടാക്കിയ തുക: 10,200.00 QAR (താങ്കളുടെ പരിധി:"
	    " 5,00,000.00 QAR)."));
	assert_non_null(strstr(t, "{est_id} എന്ന") == NULL ? strstr(t, "10000001 എന്ന") : NULL);
	assert_non_null(strstr(t, "https://moi.example/#/verify?code=ABCD-1234"));
	free(t);
	/* The statement emails' subject and body: the kind named, the amounts
	 * in the reader's marks, the cycle's date day first. */
	t = render("fr", "email.statement.subject", "{\"kind\": \"alert\", \"cycle_date\":"
	    " \"2026-12-01\", \"company_en\": \"Al Noor\", \"est_id\": \"10000001\"}");
	assert_string_equal(t, "Avis de renouvellement du 01/12/2026 - Al Noor (10000001)");
	free(t);
	t = render("es", "email.alert.body", "{\"company_en\": \"Al Noor\", \"cycle_date\":"
	    " \"2026-12-01\", \"execution_date\": \"2026-12-08\", \"est_id\": \"10000001\","
	    " \"lines\": 12, \"renewed\": 10, \"not_renewed\": 2, \"total_dirhams\": 1224000,"
	    " \"cap_dirhams\": 2000000, \"verification_code\": \"ABCD-1234\", \"site\": \"https://moi.example/\"}");
	assert_non_null(strstr(t, "A la atención de Al Noor\n\nEstimados señores:\n"));
	assert_non_null(strstr(t, "En la ejecución del 08/12/2026 corresponde renovar 12 permisos"));
	assert_non_null(strstr(t, "Importe total previsto: 12.240,00 QAR (su límite: 20.000,00 QAR)."));
	free(t);
	t = render("ur", "email.debit_report.body", "{\"company_en\": \"Al Noor\", \"cycle_date\":"
	    " \"2026-12-08\", \"est_id\": \"10000001\", \"lines\": 3, \"total_dirhams\": 306000,"
	    " \"verification_code\": \"ABCD-1234\", \"site\": \"https://moi.example/\"}");
	assert_non_null(strstr(t, "محترم Al Noor،\n"));
	assert_non_null(strstr(t, "کٹوتیاں: 3، کل 3,060.00 ریال قطری۔"));
	assert_non_null(strstr(t, "ادارہ 10000001 کے لیے 08/12/2026 کی"));
	free(t);
}

/* A key a language lacks is read in English, the rest in that language. */
static void
missing_key_in_english(void **state)
{
	char dir[] = "/tmp/rb-catalog-XXXXXX", cmd[4096], path[1200], err[256];
	struct catalog *c = NULL;
	const char *po = "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
	    "msgid \"reason.employment_ended\"\nmsgstr \"se ha extinguido su contrato\"\n";
	json_t *p;
	char *out = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/es.po", dir);
	write_file(path, po, strlen(po));
	snprintf(cmd, sizeof(cmd), "msgfmt -o %s/es.mo %s && cp %s/en.mo %s/",
	    dir, path, locale_dir(), dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(catalog_load_dir(dir, &c, err, sizeof(err)), RB_OK);
	p = json_pack("{s:s, s:s, s:s}", "company_en", "Al Noor", "service_en", "Exit permit",
	    "reason", "employment_ended");
	assert_int_equal(message_render(c, "es", "sms.grant.revoked", p, &out, err,
	    sizeof(err)), RB_OK);
	assert_string_equal(out, "MOI: your permission to act for Al Noor in the e-service"
	    " \"Exit permit\" has ended: se ha extinguido su contrato.");
	free(out);
	json_decref(p);
	catalog_free(c);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Amounts in each language's marks and grouping, as the browsers' Intl
 * writes them (the web interface shows the same). */
static void
dirhams_format_by_language(void **state)
{
	static const struct { const char *lang; long long d; const char *want; } table[] = {
		{ "en", 123456789, "1,234,567.89" }, { "ar", 102000, "1,020.00" },
		{ "ur", 123456789, "1,234,567.89" }, { "xx", 5, "0.05" },
		{ "fr", 102000, "1\u202f020,00" }, { "fr", 99999, "999,99" },
		{ "fr", -123456789, "-1\u202f234\u202f567,89" },
		{ "es", 123400, "1234,00" }, { "es", 1234500, "12.345,00" },
		{ "es", 123456789, "1.234.567,89" },
		{ "ml", 102000, "1,020.00" }, { "ml", 12345600, "1,23,456.00" },
		{ "ml", 123456789, "12,34,567.89" }, { "ml", 100, "1.00" },
		{ "ml", 9223372036854775807LL, "92,23,37,20,36,85,47,758.07" },
		{ "fr", 9223372036854775807LL,
		  "92\u202f233\u202f720\u202f368\u202f547\u202f758,07" },
	};
	char out[MONEY_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		message_format_dirhams_lang(table[i].lang, table[i].d, out);
		if (strcmp(out, table[i].want) != 0)
			fail_msg("%s %lld: %s, want %s", table[i].lang, table[i].d, out,
			    table[i].want);
	}
}

/* A catalogue whose texts lead to each other is cut off, not followed. */
static void
nesting_is_bounded(void **state)
{
	char dir[] = "/tmp/rb-catalog-XXXXXX", cmd[4096], path[1200], err[256];
	struct catalog *c = NULL;
	const char *po = "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
	    "msgid \"a.x\"\nmsgstr \"<{a}>\"\n\nmsgid \"loop\"\nmsgstr \"{a}\"\n";
	json_t *p;
	char *out = (char *)"untouched";

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/en.po", dir);
	write_file(path, po, strlen(po));
	snprintf(cmd, sizeof(cmd), "msgfmt -o %s/en.mo %s", dir, path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(catalog_load_dir(dir, &c, err, sizeof(err)), RB_OK);
	p = json_pack("{s:s}", "a", "x");
	assert_int_equal(message_render(c, "en", "loop", p, &out, err, sizeof(err)), RB_EINVAL);
	assert_null(out);
	assert_non_null(strstr(err, "nested"));
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
		cmocka_unit_test(days_counted_in_each_language),
		cmocka_unit_test(blocks_say_what_to_do),
		cmocka_unit_test(services_listed),
		cmocka_unit_test(start_dated_grant_sms),
		cmocka_unit_test(nesting_is_bounded),
		cmocka_unit_test(new_language_is_a_file),
		cmocka_unit_test(damaged_catalogue_refused),
		cmocka_unit_test(four_languages_rendered),
		cmocka_unit_test(missing_key_in_english),
		cmocka_unit_test(dirhams_format_by_language),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
