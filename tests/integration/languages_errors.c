/*
 * The API's error messages in the caller's language (issue 16 §3): the
 * same bad grant (a QID that is not one) sent by the demo signatory while
 * their registry language is French, then Urdu: the message and the
 * field's message are the catalogue's error.invalid_field.qid of that
 * language (read from po/<lang>.po, not written here); the code and the
 * field never change. A signed-in English reader keeps the server's own
 * English, whatever the browser asks; an anonymous caller reads the first
 * of the six its Accept-Language names (ml), else English. GET /me gives
 * the person's language and the name its reader sees.
 *
 * Changes the demo signatory's language and puts it back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"
#include "tests/lib/error_text.h"

#define SIG		"27263410001"
#define SIG_PW		"demo-signatory"
#define GRANTS		"/api/v1/companies/10000001/grants"
#define EN_QID		"a QID is 11 digits"	/* the start of the server's English */

static struct client sig, anon;
static char *was;	/* the signatory's language before */

/* The msgstr of key in po/<lang>.po (owned by the caller). */
static char *
po_text(const char *lang, const char *key)
{
	char *t = test_po_text(lang, key);

	if (t == NULL)
		fail_msg("no %s in po/%s.po", key, lang);
	return t;
}

static int
setup(void **state)
{
	(void)state;
	was = test_sql("SELECT language FROM persons WHERE qid = '" SIG "'");
	client_init(&sig);
	client_init(&anon);
	return was != NULL && client_signin(&sig, SIG, SIG_PW) == 201 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	if (was != NULL)
		free(test_sqlf("UPDATE persons SET language = '%s' WHERE qid = '" SIG "'", was));
	free(was);
	client_free(&sig);
	client_free(&anon);
	return 0;
}

/* The bad grant by c; its error's message, checked to be the same in
 * error.message and error.fields[0].message, into buf. */
static void
bad_grant(struct client *c, long want_status, const char *want_code, char *buf, size_t n)
{
	struct http_resp r;
	json_t *b = json_pack("{s:s, s:[s]}", "qid", "12345", "services", "EXIT_PERMIT");
	long before = test_count("SELECT count(*) FROM grants");

	assert_int_equal(http_json(c, "POST", GRANTS, b, &r), want_status);
	json_decref(b);
	assert_string_equal(resp_str(&r, "error.code"), want_code);
	snprintf(buf, n, "%s", resp_str(&r, "error.message"));
	if (strcmp(want_code, "invalid_field") == 0) {
		json_t *f0 = json_array_get(json_object_get(json_object_get(r.json, "error"),
		    "fields"), 0);

		assert_string_equal(resp_str(&r, "error.field"), "qid");
		assert_string_equal(json_string_value(json_object_get(f0, "code")), "invalid_field");
		assert_string_equal(json_string_value(json_object_get(f0, "message")), buf);
	}
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM grants"), before);
}

/* GET /me: the person's language, and the registry name a reader of it
 * sees (domain/reader_name.h): Arabic script for Urdu, Latin for French. */
static void
me_reads(const char *lang)
{
	struct http_resp r;
	char *ar = test_sql("SELECT name_ar FROM persons WHERE qid = '" SIG "'");
	char *en = test_sql("SELECT name_en FROM persons WHERE qid = '" SIG "'");

	assert_int_equal(http_json(&sig, "GET", "/api/v1/me", NULL, &r), 200);
	assert_string_equal(resp_str(&r, "language"), lang);
	assert_string_equal(resp_str(&r, "display_name"), strcmp(lang, "ur") == 0 ? ar : en);
	assert_string_not_equal(ar, en);
	http_resp_free(&r);
	free(ar);
	free(en);
}

static void
signed_in_person_reads_their_language(void **state)
{
	static const char *const langs[] = { "fr", "ur" };
	char got[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		char *want = po_text(langs[i], "error.invalid_field.qid");

		free(test_sqlf("UPDATE persons SET language = '%s' WHERE qid = '" SIG "'",
		    langs[i]));
		bad_grant(&sig, 400, "invalid_field", got, sizeof(got));
		assert_string_equal(got, want);
		free(want);
		me_reads(langs[i]);
	}
	/* Their own setting before the browser's: English is the server's words. */
	free(test_sql("UPDATE persons SET language = 'en' WHERE qid = '" SIG "'"));
	snprintf(sig.accept_language, sizeof(sig.accept_language), "ml");
	bad_grant(&sig, 400, "invalid_field", got, sizeof(got));
	assert_int_equal(strncmp(got, EN_QID, strlen(EN_QID)), 0);
	sig.accept_language[0] = '\0';
}

static void
anonymous_caller_reads_accept_language(void **state)
{
	char got[1024], *want = po_text("ml", "error.not_signed_in"), *en;
	struct http_resp r;

	(void)state;
	snprintf(anon.accept_language, sizeof(anon.accept_language), "de-DE, ml;q=0.8, en;q=0.5");
	bad_grant(&anon, 401, "not_signed_in", got, sizeof(got));
	assert_string_equal(got, want);
	free(want);
	/* A public route's field error too. */
	want = po_text("ml", "error.invalid_field.code");
	assert_int_equal(http_json(&anon, "GET", "/api/v1/statements/verify?code=", NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.code"), "invalid_field");
	assert_string_equal(resp_str(&r, "error.message"), want);
	http_resp_free(&r);
	free(want);
	/* None of the six named, or no header: the server's English. */
	snprintf(anon.accept_language, sizeof(anon.accept_language), "de, it;q=0.9");
	bad_grant(&anon, 401, "not_signed_in", got, sizeof(got));
	assert_string_equal(got, "sign in first");
	anon.accept_language[0] = '\0';
	bad_grant(&anon, 401, "not_signed_in", got, sizeof(got));
	assert_string_equal(got, "sign in first");
	en = po_text("en", "error.not_signed_in");
	assert_string_not_equal(en, "");
	free(en);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signed_in_person_reads_their_language),
		cmocka_unit_test(anonymous_caller_reads_accept_language),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
