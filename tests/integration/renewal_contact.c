/*
 * Where statements and renewed cards go, and the mandate at approval
 * (issue 11 §2): a RENEWAL_MANAGE holder cannot change the statement
 * email, the mobile or the delivery address; a signatory can, and every
 * change is told to the company's signatories and to the previous
 * address, as the mail and SMS stand-ins receive it. A reviewer's
 * approval re-checks that the authorizer still signs and that the IBAN
 * is still the company's.
 * On a company of its own (EST), so that no other test's counts move.
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
#include "tests/lib/signin.h"

#define EST		"10000777"
#define SIG_A		"27263410001"	/* Mohammed Al-Hajri, Arabic */
#define SIG_B		"27963410002"	/* Ali Hassan, Arabic */
#define RAJESH		"28535610003"	/* given RENEWAL_MANAGE for EST in setup */
#define REVIEWER	"28863410006"
#define IBAN_1		"QA02QNBA000000000000777000001"
#define IBAN_2		"QA72QNBA000000000000777000002"
#define OLD_EMAIL	"statements@contact-test.example"
#define OLD_MOBILE	"+97455077001"
#define OLD_ADDRESS	"PO Box 777, Doha"
#define PATH		"/api/v1/companies/" EST "/renewal"

static struct client sig_a, sig_b, rajesh, rev;
static const struct signin signins[] = {
	{ &sig_a, SIG_A, "demo-signatory" },
	{ &sig_b, SIG_B, "demo-signatory2" },
	{ &rajesh, RAJESH, "demo-hr" },
	{ &rev, REVIEWER, "demo-reviewer" },
};

static int
setup(void **state)
{
	struct http_resp r;
	json_t *b;
	char path[128];
	long st;

	(void)state;
	if (test_sql_ok("INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES"
	    " ('" EST "', 'شركة اختبار التواصل', 'Contact Test Co', 'office@contact-test.example', 'en');"
	    " INSERT INTO signatories (qid, est_id) VALUES ('" SIG_A "', '" EST "'),"
	    " ('" SIG_B "', '" EST "');"
	    " INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES"
	    " ('" IBAN_1 "', '" EST "', 100000000), ('" IBAN_2 "', '" EST "', 100000000);"
	    " INSERT INTO employment (qid, est_id, since) VALUES ('" RAJESH "', '" EST "',"
	    " '2022-01-01')") != 0)
		return -1;
	if (signin_setup(signins, SIGNIN_N(signins)) != 0)
		return -1;
	b = json_pack("{s:s, s:[s], s:n}", "qid", RAJESH, "services", "RENEWAL_MANAGE",
	    "valid_until");
	st = http_json(&sig_a, "POST", "/api/v1/companies/" EST "/grants", b, &r);
	json_decref(b);
	if (st != 201)
		return -1;
	/* Rajesh accepts it (issue 16 §1). */
	{
		snprintf(path, sizeof(path), "/api/v1/me/grants/%lld/accept",
		    (long long)json_integer_value(json_object_get(json_array_get(
		    json_object_get(r.json, "items"), 0), "id")));
		http_resp_free(&r);
		if (http_status(&rajesh, "POST", path, NULL) != 200)
			return -1;
	}
	b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "iban", IBAN_1,
	    "authorizing_qid", SIG_B, "email", OLD_EMAIL, "mobile", OLD_MOBILE,
	    "language", "en", "delivery_address", OLD_ADDRESS, "cap_dirhams", 500000,
	    "duration_years", 1);
	st = http_json(&sig_a, "POST", PATH "/subscription", b, &r);
	json_decref(b);
	if (st != 201)
		return -1;
	snprintf(path, sizeof(path), "/api/v1/backoffice/subscriptions/%s/approve",
	    resp_str(&r, "reference"));
	http_resp_free(&r);
	return http_status(&rev, "POST", path, NULL) == 200 ? 0 : -1;
}

/* The company goes again, so that no later test finds the signatories
 * signing for one more company or Rajesh holding one more grant. */
static int
teardown(void **state)
{
	(void)state;
	if (test_sql_ok("DELETE FROM outbox WHERE est_id = '" EST "';"
	    " DELETE FROM renewal_subscriptions WHERE est_id = '" EST "';"
	    " DELETE FROM renewal_settings WHERE est_id = '" EST "';"
	    " DELETE FROM grants WHERE est_id = '" EST "';"
	    " DELETE FROM bank_accounts WHERE est_id = '" EST "';"
	    " DELETE FROM signatories WHERE est_id = '" EST "';"
	    " DELETE FROM employment WHERE est_id = '" EST "';"
	    " DELETE FROM companies WHERE est_id = '" EST "'") != 0)
		return -1;
	signin_teardown(signins, SIGNIN_N(signins));
	return 0;
}

/* The contact notices queued for EST so far. */
static long long
notices(void)
{
	return test_count("%s", "SELECT count(*) FROM outbox WHERE est_id = '" EST "'"
	    " AND template LIKE '%renewal.contact_changed%'");
}

/* Delivers what is due, as the daemon would. */
static void
deliver(void)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/rb-notifier --once >>%s/log/notifier.log 2>&1",
	    test_env("RB_BIN"), test_env("RB_VAR"));
	assert_int_equal(system(cmd), 0);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM outbox WHERE est_id = '" EST
	    "' AND status <> 'sent'"), 0);
}

/* How many texts sent to `to` (SMS stand-in when sms, else the Maildir's
 * bodies, with their subjects before them) contain every one of the
 * needles, a NULL-terminated list; each such text must equal want when
 * want is not NULL. */
static int
received(int sms, const char *to, const char *want, ...)
{
	json_t *all, *m;
	const char *text, *needle;
	char buf[8192], cmd[1024];
	size_t i;
	int n = 0, hit;
	va_list ap;

	if (sms)
		snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c 'import glob, json, sys; json.dump("
		    "[json.load(open(f)) for f in sorted(glob.glob(sys.argv[1] + \"/*.json\"))],"
		    " sys.stdout)' %s", test_env("RB_SMS_DIR"));
	else
		snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tests/mail_dump.py %s",
		    test_env("RB_ROOT"), test_env("RB_MAILDIR"));
	all = test_command_json(cmd);
	json_array_foreach(all, i, m) {
		if (strcmp(json_string_value(json_object_get(m, "to")), to) != 0)
			continue;
		if (sms)
			snprintf(buf, sizeof(buf), "%s", json_string_value(json_object_get(m, "text")));
		else
			snprintf(buf, sizeof(buf), "%s\n%s",
			    json_string_value(json_object_get(m, "subject")),
			    json_string_value(json_object_get(m, "body")));
		text = buf;
		hit = 1;
		va_start(ap, want);
		while ((needle = va_arg(ap, const char *)) != NULL)
			hit = hit && strstr(text, needle) != NULL;
		va_end(ap);
		if (!hit)
			continue;
		n++;
		if (want != NULL)
			assert_string_equal(text, want);
	}
	json_decref(all);
	return n;
}

static void
manager_cannot_redirect(void **state)
{
	static const char *const fields[][2] = {
		{ "email", "rajesh@attacker.example" },
		{ "mobile", "+97455000003" },
		{ "delivery_address", "Rajesh's flat, Doha" },
	};
	long long before = notices();
	struct http_resp r;
	json_t *b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		b = json_pack("{s:s, s:i}", fields[i][0], fields[i][1], "cap_dirhams", 400000);
		assert_int_equal(http_json(&rajesh, "PATCH", PATH, b, &r), 403);
		assert_string_equal(resp_str(&r, "error.code"), "not_signatory");
		assert_true(test_error_message_ok(&r, RAJESH, "error.not_signatory",
		    "only a signatory may change where statements and renewed cards go"));
		http_resp_free(&r);
		json_decref(b);
	}
	/* Nothing changed, not even the cap sent with them; nothing told. */
	assert_int_equal(test_count("%s", "SELECT count(*) FROM renewal_settings WHERE est_id"
	    " = '" EST "' AND email = '" OLD_EMAIL "' AND mobile = '" OLD_MOBILE "'"
	    " AND delivery_address = '" OLD_ADDRESS "' AND cap_dirhams = 500000"), 1);
	assert_int_equal(notices(), before);
	/* The values in force, sent back with the holder's own switches, are no
	 * change: the settings page sends only what changed, a script may not. */
	b = json_pack("{s:s, s:s, s:s, s:i}", "email", OLD_EMAIL, "mobile", "55077001",
	    "delivery_address", OLD_ADDRESS, "cap_dirhams", 450000);
	assert_int_equal(http_json(&rajesh, "PATCH", PATH, b, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "cap_dirhams")), 450000);
	http_resp_free(&r);
	json_decref(b);
	assert_int_equal(notices(), before);
}

static void
signatory_change_is_told(void **state)
{
	long long before = notices();
	struct http_resp r;
	json_t *b;

	(void)state;
	b = json_pack("{s:s, s:s}", "email", "accounts@contact-test.example",
	    "mobile", "+97455077002");
	assert_int_equal(http_json(&sig_a, "PATCH", PATH, b, &r), 200);
	assert_string_equal(resp_str(&r, "email"), "accounts@contact-test.example");
	assert_string_equal(resp_str(&r, "mobile"), "+97455077002");
	http_resp_free(&r);
	json_decref(b);
	/* Per field: both signatories, the previous email; the previous mobile. */
	assert_int_equal(notices(), before + 2 * 3 + 1);
	deliver();

	/* The signatories, in their language (Arabic), from the registry. */
	assert_int_equal(received(1, "+97455000001",
	    "وزارة الداخلية: غيّر محمد الهاجري البريد الإلكتروني للكشوف لـ شركة اختبار التواصل"
	    " (" EST ") في التجديد التلقائي من \"" OLD_EMAIL "\" إلى"
	    " \"accounts@contact-test.example\". إن لم يكن هذا متفقًا عليه، سجّل الدخول وأعده كما كان.",
	    "(" EST ")", "accounts@contact-test.example", NULL), 1);
	assert_int_equal(received(1, "+97455000002", NULL, "(" EST ")",
	    "رقم الجوال للتجديد", "\"" OLD_MOBILE "\"", "\"+97455077002\"", NULL), 1);
	assert_int_equal(received(1, "+97455000002", NULL, "(" EST ")", NULL), 2);
	/* The previous mobile, in the statements' language. */
	assert_int_equal(received(1, OLD_MOBILE,
	    "MOI: the renewal mobile of Contact Test Co (" EST ") for automatic renewal was"
	    " changed from \"" OLD_MOBILE "\" to \"+97455077002\" by Mohammed Al-Hajri."
	    " If this was not agreed, sign in and change it back.", NULL), 1);
	/* The previous statement email, once per field; the new one nothing. */
	assert_int_equal(received(0, OLD_EMAIL, NULL, "Renewal contact details changed",
	    "Contact Test Co (" EST ")", NULL), 2);
	assert_int_equal(received(0, OLD_EMAIL, NULL, "Mohammed Al-Hajri changed the statement"
	    " email of establishment " EST " for automatic renewal.\nBefore: " OLD_EMAIL
	    "\nNow: accounts@contact-test.example\n", NULL), 1);
	assert_int_equal(received(0, OLD_EMAIL, NULL, "changed the renewal mobile",
	    "Before: " OLD_MOBILE "\nNow: +97455077002\n", NULL), 1);
	assert_int_equal(received(0, "accounts@contact-test.example", NULL, "", NULL), 0);
}

static void
address_change_is_told(void **state)
{
	long long before = notices();
	json_t *b;

	(void)state;
	b = json_pack("{s:s}", "delivery_address", "Building 7, Street 70, Doha");
	assert_int_equal(http_status(&sig_b, "PATCH", PATH, b), 200);
	json_decref(b);
	assert_int_equal(notices(), before + 3);
	deliver();
	assert_int_equal(test_count("%s", "SELECT count(*) FROM renewal_settings WHERE est_id"
	    " = '" EST "' AND delivery_address = 'Building 7, Street 70, Doha'"), 1);
	/* A card address has no inbox: the statement email in force hears of it. */
	assert_int_equal(received(0, "accounts@contact-test.example", NULL,
	    "Ali Hassan changed the delivery address of renewed residence cards",
	    "Before: " OLD_ADDRESS "\nNow: Building 7, Street 70, Doha\n", NULL), 1);
	assert_int_equal(received(1, "+97455000001", NULL, "علي حسن",
	    "عنوان تسليم بطاقات الإقامة المجددة", OLD_ADDRESS, NULL), 1);
	assert_int_equal(received(1, "+97455000002", NULL, "عنوان تسليم بطاقات الإقامة المجددة",
	    "Building 7, Street 70, Doha", NULL), 1);
}

/* A debit-account change waiting for review; its approve path in path. */
static void
pending_change(const char *iban, const char *auth, char path[128])
{
	struct http_resp r;
	json_t *b = json_pack("{s:s, s:s}", "iban", iban, "authorizing_qid", auth);

	assert_int_equal(http_json(&sig_a, "PATCH", PATH, b, &r), 200);
	snprintf(path, 128, "/api/v1/backoffice/subscriptions/%s/approve",
	    resp_str(&r, "pending_change.reference"));
	http_resp_free(&r);
	json_decref(b);
}

/* The approval at path is refused for field, and nothing changes. */
static void
approval_refused(const char *path, const char *field)
{
	long long audits = test_count("%s", "SELECT count(*) FROM audit_log");
	char *active = test_sql("SELECT iban FROM renewal_subscriptions WHERE est_id = '" EST
	    "' AND status = 'active'");
	struct http_resp r;

	assert_int_equal(http_json(&rev, "POST", path, NULL, &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "mandate_invalid");
	assert_string_equal(resp_str(&r, "error.field"), field);
	{
		char key[64];

		snprintf(key, sizeof(key), "error.mandate_invalid.%s", field);
		assert_true(test_error_message_ok(&r, REVIEWER, key, "cannot be approved"));
	}
	http_resp_free(&r);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM audit_log"), audits);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM renewal_subscriptions WHERE"
	    " est_id = '" EST "' AND status = 'pending'"), 1);
	assert_int_equal(test_count("SELECT count(*) FROM renewal_subscriptions WHERE est_id ="
	    " '" EST "' AND status = 'active' AND iban = '%s'", active), 1);
	free(active);
}

static void
approval_rechecks_the_mandate(void **state)
{
	char path[128];
	json_t *note;

	(void)state;
	/* The authorizer stops signing between the submission and the review. */
	pending_change(IBAN_2, SIG_B, path);
	assert_int_equal(test_sql_ok("UPDATE signatories SET ended_on = '2026-11-30' WHERE qid = '"
	    SIG_B "' AND est_id = '" EST "'"), 0);
	approval_refused(path, "authorizing_qid");
	/* Signing again, the same change is approved. */
	assert_int_equal(test_sql_ok("UPDATE signatories SET ended_on = NULL WHERE qid = '"
	    SIG_B "' AND est_id = '" EST "'"), 0);
	assert_int_equal(http_status(&rev, "POST", path, NULL), 200);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM renewal_subscriptions WHERE"
	    " est_id = '" EST "' AND status = 'active' AND iban = '" IBAN_2 "'"), 1);

	/* The account leaves the company before the review. */
	pending_change(IBAN_1, SIG_A, path);
	assert_int_equal(test_sql_ok("UPDATE bank_accounts SET est_id = '10000001' WHERE iban = '"
	    IBAN_1 "'"), 0);
	approval_refused(path, "iban");
	/* It can still be rejected, with its reason. */
	path[strlen(path) - strlen("approve")] = '\0';
	strcat(path, "reject");
	note = json_pack("{s:s}", "note", "the account is no longer the company's");
	assert_int_equal(http_status(&rev, "POST", path, note), 200);
	json_decref(note);
	assert_int_equal(test_sql_ok("UPDATE bank_accounts SET est_id = '" EST "' WHERE iban = '"
	    IBAN_1 "'"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(manager_cannot_redirect),
		cmocka_unit_test(signatory_change_is_told),
		cmocka_unit_test(address_change_is_told),
		cmocka_unit_test(approval_rechecks_the_mandate),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
