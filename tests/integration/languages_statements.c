/*
 * Statements in the subscription's language (issue 16 §3): four companies
 * whose statements are in French, Urdu, Malayalam and Spanish, one
 * employee each due at the execution; the alert cycle of 2035-03-01 for
 * them alone; each alert statement's workbook (through the API) and its
 * email (through rb-notifier and the stack's SMTP server) are read back
 * and compared with that language's catalogue by tests/languages_check.py
 * (openpyxl): sheet, labels and column headers, direction (Urdu right to
 * left), the email's subject and body, the company by the name its
 * reader sees. The API takes a statement language of the six and refuses
 * another, naming the field.
 *
 * Its own companies (1600008X) and cycle year (2035), which no other test
 * uses; the base fixture's reviewer and demo signatory.
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

#define ALERT_DATE	"2035-03-01"
#define SIG		"27263410001"	/* the base fixture's demo signatory */
#define SIG_PW		"demo-signatory"

static const struct co {
	const char	*lang, *est_id, *qid, *name_ar, *name_en, *seen;
} cases[] = {
	{ "fr", "16000081", "29935681001", "شركة الفرنسية", "Société Lumière", "Société Lumière" },
	{ "ur", "16000082", "29935681002", "شركة الأردية", "Indus Traders", "شركة الأردية" },
	{ "ml", "16000083", "29935681003", "شركة المالايالامية", "Kerala Spices", "Kerala Spices" },
	{ "es", "16000084", "29935681004", "شركة الإسبانية", "Sol y Mar", "Sol y Mar" },
};
#define NCOS	(sizeof(cases) / sizeof(cases[0]))

static struct client rev, sig;

static int
make_company(const struct co *c)
{
	char *n = test_sqlf(
	    "INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES"
	    " ('%1$s', '%2$s', '%3$s', 'hr-%4$s@langs.example', 'en');"
	    "INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,"
	    " in_country, status, permit_expiry, fines_dirhams) VALUES ('%5$s', 'موظف',"
	    " 'Employee %4$s', 'IND', false, '+9745568%6$s', '%4$s', true, 'active',"
	    " '2035-03-20', 0);"
	    "INSERT INTO passports (qid, number, expiry) VALUES ('%5$s', 'L%6$s', '2040-01-01');"
	    "INSERT INTO employment (qid, est_id, since) VALUES ('%5$s', '%1$s', '2024-01-01');"
	    "INSERT INTO signatories (qid, est_id) VALUES ('" SIG "', '%1$s');"
	    "INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES"
	    " ('QA00CPAG0000000000000%1$s', '%1$s', 100000000);"
	    "INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid,"
	    " submitted_by, submitted_at, reviewed_by, reviewed_at) VALUES ('%1$s',"
	    " 'RN-1608-' || right('%1$s', 4), 'active', 'QA00CPAG0000000000000%1$s',"
	    " '" SIG "', '" SIG "', now(),"
	    " '28863410006', now());"
	    "INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years, email,"
	    " mobile, language, delivery_address, updated_at) VALUES ('%1$s', true, 10000000, 1,"
	    " 'hr-%4$s@langs.example', '+97455680000', '%4$s', 'PO Box 1608, Doha', now());"
	    "SELECT count(*) FROM employment WHERE est_id = '%1$s'",
	    c->est_id, c->name_ar, c->name_en, c->lang, c->qid, c->qid + 7);
	int ok = n != NULL && strcmp(n, "1") == 0;

	free(n);
	return ok;
}

static int
setup(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NCOS; i++)
		if (!make_company(&cases[i]))
			return -1;
	test_clock_set(ALERT_DATE "T06:00:00Z");
	client_init(&rev);
	client_init(&sig);
	if (client_signin(&rev, "28863410006", "demo-reviewer") != 201)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	/* The demo signatory signs for these companies only during the test
	 * (it_session counts the companies they sign for). */
	free(test_sql("UPDATE renewal_subscriptions SET status = 'replaced' WHERE est_id"
	    " LIKE '1600008_'; DELETE FROM outbox WHERE est_id LIKE '1600008_';"
	    " DELETE FROM signatories WHERE est_id LIKE '1600008_'"));
	test_clock_set(NULL);
	client_free(&rev);
	client_free(&sig);
	return 0;
}

/* The message of the Maildir to recipient, or NULL (owned by the caller). */
static json_t *
mail_to(const char *recipient)
{
	json_t *doc = test_mail_dump(), *m, *found = NULL;
	size_t i;

	json_array_foreach(doc, i, m)
		if (strstr(json_string_value(json_object_get(m, "to")), recipient) != NULL) {
			json_decref(found);
			found = json_incref(m);
		}
	json_decref(doc);
	return found;
}

static void
alert_statements_in_four_languages(void **state)
{
	char path[256], wb[512], mail[512], cmd[2048], rcpt[64];
	struct http_resp x;
	json_t *m;
	size_t i;

	(void)state;
	/* The cycle for these companies alone: every other subscription's
	 * company is marked done beforehand. */
	free(test_sql("INSERT INTO cycles (kind, cycle_date, created_at) VALUES"
	    " ('alert', '" ALERT_DATE "', now());"
	    "INSERT INTO cycle_companies (cycle_id, est_id, done_at) SELECT c.id, s.est_id, now()"
	    " FROM cycles c, renewal_subscriptions s WHERE c.kind = 'alert'"
	    " AND c.cycle_date = '" ALERT_DATE "' AND s.status = 'active'"
	    " AND s.est_id NOT LIKE '1600008_'"));
	assert_int_equal(test_scheduler_run("alert", ALERT_DATE), 0);
	assert_int_equal(test_notifier_once(1), 0);
	for (i = 0; i < NCOS; i++) {
		const struct co *c = &cases[i];
		long id = (long)test_count("SELECT id FROM statements WHERE est_id = '%s'"
		    " AND kind = 'alert' AND cycle_date = '" ALERT_DATE "' AND language = '%s'",
		    c->est_id, c->lang);

		assert_true(id > 0);
		snprintf(path, sizeof(path), "/api/v1/statements/%ld.xlsx", id);
		assert_int_equal(http_req(&rev, "GET", path, NULL, NULL, 0, &x), 200);
		snprintf(wb, sizeof(wb), "%s/lang-%s.xlsx", test_env("RB_VAR"), c->lang);
		test_write_file(wb, x.body, x.len);
		http_resp_free(&x);
		snprintf(rcpt, sizeof(rcpt), "hr-%s@langs.example", c->lang);
		if ((m = mail_to(rcpt)) == NULL)
			fail_msg("%s: no statement email", c->lang);
		snprintf(mail, sizeof(mail), "%s/lang-%s.json", test_env("RB_VAR"), c->lang);
		assert_int_equal(json_dump_file(m, mail, 0), 0);
		json_decref(m);
		snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tests/languages_check.py"
		    " %s/po/%s.po %s %s '%s'", test_env("RB_ROOT"), test_env("RB_ROOT"),
		    c->lang, wb, mail, c->seen);
		if (system(cmd) != 0)
			fail_msg("%s: the statement or its email is not in the catalogue's words",
			    c->lang);
		/* The check tells languages apart: against the next one's catalogue,
		 * the same statement and email fail it. */
		snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tests/languages_check.py"
		    " %s/po/%s.po %s %s '%s' >/dev/null", test_env("RB_ROOT"), test_env("RB_ROOT"),
		    cases[(i + 1) % NCOS].lang, wb, mail, c->seen);
		if (system(cmd) == 0)
			fail_msg("%s: the check passed with the %s catalogue", c->lang,
			    cases[(i + 1) % NCOS].lang);
	}
}

/* The switches' statement language: any of the six, nothing else, and a
 * refused one changes nothing. */
static void
statement_language_is_one_of_six(void **state)
{
	static const char *const six[] = { "ar", "en", "fr", "ur", "ml", "es" };
	const char *path = "/api/v1/companies/16000081/renewal";
	struct http_resp r;
	json_t *b;
	size_t i;

	(void)state;
	assert_int_equal(client_signin(&sig, SIG, SIG_PW), 201);
	for (i = 0; i < sizeof(six) / sizeof(six[0]); i++) {
		b = json_pack("{s:s}", "language", six[i]);
		assert_int_equal(http_json(&sig, "PATCH", path, b, &r), 200);
		json_decref(b);
		http_resp_free(&r);
		assert_int_equal(test_count("SELECT count(*) FROM renewal_settings WHERE"
		    " est_id = '16000081' AND language = '%s'", six[i]), 1);
	}
	b = json_pack("{s:s}", "language", "de");
	assert_int_equal(http_json(&sig, "PATCH", path, b, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "language");
	json_decref(b);
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM renewal_settings WHERE"
	    " est_id = '16000081' AND language = 'es'"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alert_statements_in_four_languages),
		cmocka_unit_test(statement_language_is_one_of_six),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
