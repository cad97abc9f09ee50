/*
 * Six languages through the real stack (issue 16 §3): a signatory grants a
 * permission to four employees who read French, Urdu, Malayalam and
 * Spanish, then revokes one; rb-notifier delivers each SMS to the stack's
 * SMS gateway in the employee's own language, the dates day first, the
 * e-service named, the reason of the revocation in words; the company by
 * its Arabic-script name for the Urdu reader, its Latin-script one for
 * the others (domain/reader_name.h). A person's
 * language outside the six is refused by the database.
 *
 * Its own company (16000071), made and removed here; the demo signatory
 * of tests/fixtures/base.json.
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

#define SIGNATORY	"27263410001"
#define SIGNATORY_PW	"demo-signatory"
#define CO		"16000071"
#define CO_PATH		"/api/v1/companies/" CO
#define EMP_FR		"29935671001"
#define EMP_UR		"29935671002"
#define EMP_ML		"29935671003"
#define EMP_ES		"29935671004"

static struct client sig;

static const char drop_sql[] =
	"DELETE FROM outbox WHERE qid IN ('" EMP_FR "', '" EMP_UR "', '" EMP_ML "', '" EMP_ES "');"
	"DELETE FROM grants WHERE est_id = '" CO "';"
	"DELETE FROM signatories WHERE est_id = '" CO "';"
	"DELETE FROM employment WHERE est_id = '" CO "';"
	"DELETE FROM persons WHERE qid IN ('" EMP_FR "', '" EMP_UR "', '" EMP_ML "', '" EMP_ES "');"
	"DELETE FROM companies WHERE est_id = '" CO "';"
	"SELECT count(*) FROM companies WHERE est_id = '" CO "'";

static const char make_sql[] =
	"INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES"
	" ('" CO "', 'شركة اللغات الست', 'Six Tongues Trading', 'hr@six.example', 'es');"
	"INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,"
	" in_country, status, permit_expiry) VALUES"
	" ('" EMP_FR "', 'لوك مارتن', 'Luc Martin', 'FRA', false, '+97455671001', 'fr', true,"
	"  'active', '2027-03-01'),"
	" ('" EMP_UR "', 'عمران خان', 'Imran Khan', 'PAK', false, '+97455671002', 'ur', true,"
	"  'active', '2027-03-01'),"
	" ('" EMP_ML "', 'أنيل مينون', 'Anil Menon', 'IND', false, '+97455671003', 'ml', true,"
	"  'active', '2027-03-01'),"
	" ('" EMP_ES "', 'لوسيا غارسيا', 'Lucia Garcia', 'ESP', false, '+97455671004', 'es', true,"
	"  'active', '2027-03-01');"
	"INSERT INTO employment (qid, est_id, since) SELECT qid, '" CO "', '2024-01-01'"
	" FROM persons WHERE qid IN ('" EMP_FR "', '" EMP_UR "', '" EMP_ML "', '" EMP_ES "');"
	"INSERT INTO signatories (qid, est_id) VALUES ('" SIGNATORY "', '" CO "');"
	"SELECT count(*) FROM employment WHERE est_id = '" CO "'";

static int
sql_ok(const char *sql, const char *want)
{
	char *got = test_sql(sql);
	int ok = got != NULL && strcmp(got, want) == 0;

	free(got);
	return ok;
}

static int
setup(void **state)
{
	(void)state;
	if (!sql_ok(drop_sql, "0") || !sql_ok(make_sql, "4"))
		return -1;
	/* The grant SMS of this test are the "you may now act" ones: its
	 * service is one the ministry exempted from acceptance (issue 16 §1;
	 * the offers are it_grant_acceptance's). */
	if (!sql_ok("INSERT INTO grant_acceptance_exempt (service, reason, decided_by)"
	    " VALUES ('EXIT_PERMIT', 'languages test', '28863410006') ON CONFLICT DO NOTHING;"
	    " SELECT count(*) FROM grant_acceptance_exempt WHERE service = 'EXIT_PERMIT'", "1"))
		return -1;
	client_init(&sig);
	return client_signin(&sig, SIGNATORY, SIGNATORY_PW) == 201 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&sig);
	free(test_sql("DELETE FROM grant_acceptance_exempt WHERE reason = 'languages test'"));
	return sql_ok(drop_sql, "0") ? 0 : -1;
}

/* Index of the text equal to want, or -1 (each listed when missing). */
static int
find_exact(json_t *texts, const char *want)
{
	size_t i;
	json_t *t;

	json_array_foreach(texts, i, t)
		if (strcmp(json_string_value(t), want) == 0)
			return (int)i;
	json_array_foreach(texts, i, t)
		fprintf(stderr, "  got: %s\n", json_string_value(t));
	fprintf(stderr, " want: %s\n", want);
	return -1;
}

static long long
grant(const char *qid)
{
	struct http_resp r;
	long long id;
	json_t *b = json_pack("{s:s, s:[s], s:s}", "qid", qid, "services", "EXIT_PERMIT",
	    "valid_until", "2030-12-31");

	assert_int_equal(http_json(&sig, "POST", CO_PATH "/grants", b, &r), 201);
	id = (long long)json_integer_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 0), "id"));
	http_resp_free(&r);
	json_decref(b);
	return id;
}

/* Each employee reads the grant in their language; the revoked one is told
 * why in words. */
static void
grant_sms_in_four_languages(void **state)
{
	static const struct { const char *mobile, *granted; } want[] = {
		{ "+97455671001", "Ministère de l'Intérieur : vous pouvez désormais agir pour"
		  " le compte de Six Tongues Trading dans le service en ligne « Exit permit »"
		  " jusqu'au 31/12/2030." },
		{ "+97455671002", "وزارتِ داخلہ: اب آپ 31/12/2030 تک ای-سروس \"Exit permit\""
		  " میں شركة اللغات الست کی جانب سے کارروائی کر سکتے ہیں۔" },
		{ "+97455671003", "ആഭ്യന്തര മന്ത്രാലയം: \"Exit permit\" എന്ന ഇ-സേവനത്തിൽ"
		  " Six Tongues Trading എന്ന സ്ഥാപനത്തിനുവേണ്ടി 31/12/2030 വരെ പ്രവർത്തിക്കാൻ"
		  " താങ്കൾക്ക് ഇനി അനുമതിയുണ്ട്." },
		{ "+97455671004", "Ministerio del Interior: a partir de ahora puede actuar en"
		  " nombre de Six Tongues Trading en el servicio electrónico «Exit permit»"
		  " hasta el 31/12/2030." },
	};
	char path[128];
	json_t *texts;
	long long es;
	size_t i;

	(void)state;
	grant(EMP_FR);
	grant(EMP_UR);
	grant(EMP_ML);
	es = grant(EMP_ES);
	snprintf(path, sizeof(path), CO_PATH "/grants/%lld", es);
	assert_int_equal(http_status(&sig, "DELETE", path, NULL), 200);
	/* Queued in each person's language, as the registry has it. */
	assert_int_equal(test_count("SELECT count(DISTINCT language) FROM outbox WHERE qid IN"
	    " ('" EMP_FR "', '" EMP_UR "', '" EMP_ML "', '" EMP_ES "')"), 4);
	assert_int_equal(test_notifier_once(1), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		texts = test_sms_to(want[i].mobile);
		if (find_exact(texts, want[i].granted) < 0)
			fail_msg("%s: no SMS reads as wanted", want[i].mobile);
		json_decref(texts);
	}
	texts = test_sms_to("+97455671004");
	assert_int_equal(json_array_size(texts), 2);
	assert_true(find_exact(texts, "Ministerio del Interior: ha finalizado su autorización"
	    " para actuar en nombre de Six Tongues Trading en el servicio electrónico"
	    " «Exit permit»: el firmante la ha revocado.") >= 0);
	json_decref(texts);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE status <> 'sent' AND qid IN"
	    " ('" EMP_FR "', '" EMP_UR "', '" EMP_ML "', '" EMP_ES "')"), 0);
}

/* Two letters are not enough: a language without catalogues is refused by
 * the database itself, whoever writes. */
static void
language_outside_the_six_refused(void **state)
{
	char *out;

	(void)state;
	out = test_sql("UPDATE persons SET language = 'de' WHERE qid = '" EMP_FR "'");
	assert_null(out);
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid = '" EMP_FR "'"
	    " AND language = 'fr'"), 1);
	free(test_sql("UPDATE companies SET language = 'ml' WHERE est_id = '" CO "'"));
	assert_int_equal(test_count("SELECT count(*) FROM companies WHERE est_id = '" CO "'"
	    " AND language = 'ml'"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grant_sms_in_four_languages),
		cmocka_unit_test(language_outside_the_six_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
