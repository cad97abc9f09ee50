/*
 * Notifications against the real stack (SPEC §5): the outbox written with
 * the event, rb-notifier delivering to the stack's own SMTP server (with
 * STARTTLS and a login, storing mail in a Maildir) and SMS gateway
 * stand-in. Grants and revocations by SMS in the person's language; a
 * statement email whose attachment is the stored workbook byte for byte;
 * nothing for a company's cycle that rolled back; an SMTP outage, then
 * every message delivered once, by two workers at once; a message that
 * always fails parked after the configured attempts, listed for reviewers
 * and retried.
 *
 * What the messages say (issue 12 §1): an employee who will not be renewed
 * is told what blocks them and what to do, never that the company
 * subscribed; the same "not renewed" is not sent again at the next
 * execution when nothing changed; a company with nothing due gets no empty
 * statements by email; services granted at once are one SMS; "(today)",
 * and Arabic numbers agreeing with their nouns.
 *
 * Its own companies (1400000X) and cycles in 2030, which no other test
 * uses; tests/fixtures/notify.json and notify_messages.json.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/crypto.h"
#include "tests/integration/http_client.h"
#include "tests/lib/signin.h"

#define SIG		"27263414001"
#define SIG_PW		"test-notify-sig"
#define REVIEWER	"28863410006"
#define REVIEWER_PW	"demo-reviewer"
#define EST_AR		"14000001"	/* Arabic statements, reachable mailbox */
#define EST_BAD		"14000002"	/* its mailbox is in .invalid: always refused */
#define EST_RB		"14000003"	/* its first cycle is made to roll back */
#define REP_EN		"28535614004"	/* English, employee of EST_BAD */
#define MOB_REP_EN	"+97455140004"
#define RES_AR		"28581814002"	/* Arabic, resident of EST_AR */
#define MOB_RES_AR	"+97455140002"
#define MOB_RES_EN	"+97455140003"	/* English, resident of EST_AR, expired */
#define MOB_RES_RB	"+97455140006"	/* resident of EST_RB */
#define EST_MSG		"14000004"	/* one employee per message rule */
#define EST_EMPTY	"14000005"	/* nothing due at any cycle here */
#define MOB_FINES	"+97455140011"	/* Arabic, QAR 500 of fines, expires 01-18 */
#define QID_FINES	"28581814011"
#define MOB_EXCL	"+97455140012"	/* English, excluded, expires 01-26 */
#define QID_EXCL	"28535614012"
#define MOB_TODAY	"+97455140013"	/* English, expires on the alert's day */
#define MOB_AR11	"+97455140014"	/* Arabic, expires 11 days after the alert */
#define MOB_PAUSED	"+97455140016"	/* English, expires 2030-03-12 */

static struct client sig, rev;
static const struct signin signins[] = {
	{ &sig, SIG, SIG_PW },
	{ &rev, REVIEWER, REVIEWER_PW },
};

/* Index of the first text containing needle, or -1. */
static int
find_text(json_t *texts, const char *needle)
{
	size_t i;
	json_t *t;

	json_array_foreach(texts, i, t)
		if (strstr(json_string_value(t), needle))
			return (int)i;
	return -1;
}

static void
subscribe(const char *est, const char *iban, const char *email, const char *language)
{
	struct http_resp r;
	char path[128];
	json_t *b;

	b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "iban", iban,
	    "authorizing_qid", SIG, "email", email, "mobile", "+97455140001",
	    "language", language, "delivery_address", "PO Box 14, Doha",
	    "cap_dirhams", 50000000, "duration_years", 1);
	snprintf(path, sizeof(path), "/api/v1/companies/%s/renewal/subscription", est);
	assert_int_equal(http_json(&sig, "POST", path, b, &r), 201);
	snprintf(path, sizeof(path), "/api/v1/backoffice/subscriptions/%s/approve",
	    resp_str(&r, "reference"));
	http_resp_free(&r);
	json_decref(b);
	assert_int_equal(http_status(&rev, "POST", path, NULL), 200);
}

static int
setup(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s/rb-load %s/tests/fixtures/notify.json >/dev/null &&"
	    " %s/rb-load %s/tests/fixtures/notify_messages.json >/dev/null",
	    test_env("RB_BIN"), test_env("RB_ROOT"), test_env("RB_BIN"), test_env("RB_ROOT"));
	if (system(cmd) != 0)
		return -1;
	/* The emails earlier tests had delivered (it_languages and
	 * it_enrollment run the notifier too) leave the ledger this test keeps
	 * of the Maildir against the outbox: its sent rows would be purged
	 * once the clock moves years ahead, their mail staying. Both go. */
	snprintf(cmd, sizeof(cmd), "rm -f %s/new/* %s/cur/*", test_env("RB_MAILDIR"),
	    test_env("RB_MAILDIR"));
	if (system(cmd) != 0)
		return -1;
	free(test_sql("DELETE FROM outbox WHERE channel = 'email' AND status = 'sent'; SELECT 1"));
	test_clock_set("2030-01-10");
	return signin_setup(signins, SIGNIN_N(signins));
}

static int
teardown(void **state)
{
	(void)state;
	signin_teardown(signins, SIGNIN_N(signins));
	free(test_sql("DROP TRIGGER IF EXISTS test_fail_statement ON statements"));
	test_stack("mail-start");
	test_clock_set(NULL);
	return 0;
}

/* Subscriptions first: the cycles below need them. */
static void
companies_subscribe(void **state)
{
	json_t *b;

	(void)state;
	subscribe(EST_AR, "QA31QNBA000000000000014000001", "hr@gulf-trading.example", "ar");
	subscribe(EST_BAD, "QA04QNBA000000000000014000002", "hr@unreachable.invalid", "en");
	subscribe(EST_RB, "QA74QNBA000000000000014000003", "hr@rollback.example", "en");
	subscribe(EST_MSG, "QA47QNBA000000000000014000004", "hr@message-rules.example", "en");
	subscribe(EST_EMPTY, "QA20QNBA000000000000014000005", "hr@quiet.example", "en");
	b = json_pack("{s:s, s:s}", "qid", QID_EXCL, "note", "renews on his own");
	assert_int_equal(http_status(&sig, "POST", "/api/v1/companies/" EST_MSG "/exclusions",
	    b), 201);
	json_decref(b);
}

/* A grant and a revocation tell the representative, in their language;
 * a refused grant (rolled back) tells nobody. */
static void
grant_sms_in_each_language(void **state)
{
	json_t *b, *en, *ar;
	struct http_resp r;
	long long before;
	char path[128];

	(void)state;
	/* REP_EN works for a sister company of EST_AR: two services. */
	b = json_pack("{s:s, s:[s, s]}", "qid", REP_EN, "services", "RP_RENEW", "EXIT_PERMIT");
	assert_int_equal(http_json(&sig, "POST", "/api/v1/companies/" EST_AR "/grants", b,
	    &r), 201);
	json_decref(b);
	snprintf(path, sizeof(path), "/api/v1/companies/" EST_AR "/grants/%lld",
	    (long long)json_integer_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 1), "id")));
	http_resp_free(&r);
	assert_int_equal(http_status(&sig, "DELETE", path, NULL), 200);
	/* A service the ministry exempted from acceptance (issue 16 §1) is
	 * granted at once, and its SMS says so. */
	free(test_sql("INSERT INTO grant_acceptance_exempt (service, reason, decided_by)"
	    " VALUES ('TRAVEL_NOTICE', 'notify test', '" REVIEWER "')"));
	b = json_pack("{s:s, s:[s], s:s}", "qid", RES_AR, "services", "TRAVEL_NOTICE",
	    "valid_until", "2030-12-31");
	assert_int_equal(http_status(&sig, "POST", "/api/v1/companies/" EST_AR "/grants", b),
	    201);
	json_decref(b);
	free(test_sql("DELETE FROM grant_acceptance_exempt WHERE service = 'TRAVEL_NOTICE'"));
	/* Refused (not a catalogue service): nothing is queued. */
	before = test_count("SELECT count(*) FROM outbox");
	b = json_pack("{s:s, s:[s, s]}", "qid", RES_AR, "services", "RP_RENEW", "NO_SUCH_SVC");
	assert_int_equal(http_status(&sig, "POST", "/api/v1/companies/" EST_AR "/grants", b),
	    400);
	json_decref(b);
	assert_int_equal(test_count("SELECT count(*) FROM outbox"), before);

	/* Two services offered at once are one SMS; the withdrawal of one,
	 * not yet accepted, another. */
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE qid = '" REP_EN "'"
	    " AND template LIKE 'sms.grant.%%' AND language = 'en'"), 2);
	assert_int_equal(test_notifier_once(1), 0);
	en = test_sms_to(MOB_REP_EN);
	assert_int_equal(json_array_size(en), 2);
	assert_true(find_text(en, "offers you authority to act for Gulf Trading in the"
	    " e-services \"Residence permit renewal\" and \"Exit permit\". They work only"
	    " once you accept them: sign in at https://") >= 0);
	assert_true(find_text(en, "\"Exit permit\" has ended: the signatory withdrew the"
	    " offer before you accepted it.") >= 0);
	ar = test_sms_to(MOB_RES_AR);
	assert_int_equal(json_array_size(ar), 1);
	assert_true(find_text(ar, "وزارة الداخلية: أصبح بإمكانك التصرف نيابة عن"
	    " شركة الخليج للتجارة") >= 0);
	assert_true(find_text(ar, "حتى 2030-12-31") >= 0);
	assert_true(find_text(ar, "MOI") < 0);
	json_decref(en);
	json_decref(ar);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE status <> 'sent'"
	    " AND template LIKE 'sms.grant.%%'"), 0);
}

/* Revocations by a registry event tell why, in the person's language; a
 * person who died is not sent anything. */
static void
automatic_revocation_sms(void **state)
{
	struct client svc;
	json_t *b, *t;

	(void)state;
	/* 28581814005 (EST_BAD) gets a grant, then dies. */
	b = json_pack("{s:s, s:[s]}", "qid", "28581814005", "services", "EXIT_PERMIT");
	assert_int_equal(http_status(&sig, "POST", "/api/v1/companies/" EST_BAD "/grants", b),
	    201);
	json_decref(b);
	/* REP_EN gets two services of EST_BAD (his employer) at once. */
	b = json_pack("{s:s, s:[s, s]}", "qid", REP_EN, "services", "ENTRY_VISA",
	    "TRAVEL_NOTICE");
	assert_int_equal(http_status(&sig, "POST", "/api/v1/companies/" EST_BAD "/grants", b),
	    201);
	json_decref(b);
	client_init(&svc);
	assert_int_equal(client_signin(&svc, "svc-test", "svc-test-pass"), 201);
	b = json_pack("{s:s}", "status", "sponsorship_transferred");
	assert_int_equal(http_status(&svc, "POST", "/api/v1/persons/" REP_EN "/status", b), 200);
	json_decref(b);
	b = json_pack("{s:s}", "status", "deceased");
	assert_int_equal(http_status(&svc, "POST", "/api/v1/persons/28581814005/status", b), 200);
	json_decref(b);
	client_free(&svc);
	assert_int_equal(test_count("SELECT count(*) FROM grants WHERE qid = '28581814005'"
	    " AND revoke_reason = 'deceased'"), 1);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE qid = '28581814005'"
	    " AND template = 'sms.grant.revoked'"), 0);
	assert_int_equal(test_notifier_once(1), 0);
	/* Granted together, ended together: one SMS each time, per company. */
	t = test_sms_to(MOB_REP_EN);
	assert_int_equal(json_array_size(t), 5);
	assert_true(find_text(t, "offers you authority to act for Unreachable Services in the"
	    " e-services \"Entry visa issue\" and \"Travel notification\". They work") >= 0);
	assert_true(find_text(t, "MOI: your permission to act for Gulf Trading in the"
	    " e-service \"Residence permit renewal\" has ended: your sponsorship"
	    " was transferred.") >= 0);
	assert_true(find_text(t, "MOI: your permission to act for Unreachable Services in the"
	    " e-services \"Entry visa issue\" and \"Travel notification\" has ended: your"
	    " sponsorship was transferred.") >= 0);
	json_decref(t);
	t = test_sms_to("+97455140005");
	assert_int_equal(json_array_size(t), 1);	/* the offer, not its end */
	json_decref(t);
}

/* A company whose cycle fails rolls back its messages with its statements;
 * when the cycle is run again they exist once. */
static void
rolled_back_cycle_sends_nothing(void **state)
{
	json_t *t;

	(void)state;
	free(test_sql("CREATE OR REPLACE FUNCTION test_fail_statement() RETURNS trigger"
	    " LANGUAGE plpgsql AS $$BEGIN IF NEW.est_id = '" EST_RB "' THEN"
	    " RAISE EXCEPTION 'test: statement refused'; END IF; RETURN NEW; END$$;"
	    " CREATE TRIGGER test_fail_statement BEFORE INSERT ON statements"
	    " FOR EACH ROW EXECUTE FUNCTION test_fail_statement()"));
	test_clock_set("2030-01-15");
	assert_int_not_equal(test_scheduler_run("alert", "2030-01-15"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE est_id = '" EST_RB
	    "'"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_RB "'"
	    " AND template NOT LIKE 'sms.grant.%%'"), 0);
	/* The others committed theirs. */
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_AR "'"
	    " AND template = 'email.alert.body'"), 1);
	assert_int_equal(test_notifier_once(1), 0);
	t = test_sms_to(MOB_RES_RB);
	assert_int_equal(json_array_size(t), 0);
	json_decref(t);

	free(test_sql("DROP TRIGGER test_fail_statement ON statements"));
	assert_int_equal(test_scheduler_run("alert", "2030-01-15"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_RB "'"
	    " AND template = 'email.alert.body'"), 1);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_AR "'"
	    " AND template = 'email.alert.body'"), 1);
	assert_int_equal(test_notifier_once(1), 0);
	t = test_sms_to(MOB_RES_RB);
	assert_int_equal(json_array_size(t), 1);
	assert_true(find_text(t, "MOI: your residence permit expires on 2030-01-28 (in 13 days)."
	    " Rollback Works has subscribed to automatic renewal.") >= 0);
	json_decref(t);
}

/* The alert's email: Arabic, the verification code, the stored workbook
 * attached byte for byte; the residents' SMS in their own languages. */
static void
alert_email_and_sms(void **state)
{
	char *sha, *code, *id, mid[96];
	json_t *mails, *m, *att, *t;
	size_t i;
	int found = 0;

	(void)state;
	sha = test_sql("SELECT encode(sha256, 'hex') FROM statements WHERE est_id = '" EST_AR
	    "' AND kind = 'alert' AND cycle_date = '2030-01-15'");
	code = test_sql("SELECT verification_code FROM statements WHERE est_id = '" EST_AR
	    "' AND kind = 'alert' AND cycle_date = '2030-01-15'");
	id = test_sql("SELECT id FROM outbox WHERE est_id = '" EST_AR "' AND"
	    " template = 'email.alert.body' AND status = 'sent'");
	assert_true(sha && code && id && strlen(sha) == 64 && *id);
	snprintf(mid, sizeof(mid), "<rb-outbox-%s@residency.example>", id);
	mails = test_mail_dump();
	json_array_foreach(mails, i, m) {
		if (strcmp(json_string_value(json_object_get(m, "message_id")), mid) != 0)
			continue;
		found++;
		assert_string_equal(json_string_value(json_object_get(m, "to")),
		    "hr@gulf-trading.example");
		assert_non_null(strstr(json_string_value(json_object_get(m, "subject")),
		    "تنبيه التجديد 2030-01-15 - شركة الخليج للتجارة (" EST_AR ")"));
		assert_non_null(strstr(json_string_value(json_object_get(m, "body")),
		    "رمز التحقق: "));
		assert_non_null(strstr(json_string_value(json_object_get(m, "body")), code));
		att = json_object_get(m, "attachments");
		assert_int_equal(json_array_size(att), 1);
		att = json_array_get(att, 0);
		assert_string_equal(json_string_value(json_object_get(att, "name")),
		    "statement-" EST_AR "-alert-2030-01-15.xlsx");
		assert_string_equal(json_string_value(json_object_get(att, "sha256")), sha);
		assert_int_equal(json_integer_value(json_object_get(att, "length")),
		    test_count("SELECT length(workbook) FROM statements WHERE sha256 ="
		    " decode('%s', 'hex')", sha));
	}
	assert_int_equal(found, 1);
	json_decref(mails);
	/* 3 to 10 days take the plural (أيام), not يومًا. */
	t = test_sms_to(MOB_RES_AR);
	assert_true(find_text(t, "وزارة الداخلية: تنتهي إقامتك في 2030-01-20 (بعد 5 أيام).") >= 0);
	assert_true(find_text(t, "يومًا") < 0);
	json_decref(t);
	t = test_sms_to(MOB_RES_EN);
	assert_int_equal(json_array_size(t), 1);
	assert_true(find_text(t, "MOI: your residence permit expired on 2029-12-01.") >= 0);
	json_decref(t);
	free(sha);
	free(code);
	free(id);
}

/* The one email to whom whose subject has subject has body in its text. */
static void
assert_mail_says(const char *to, const char *subject, const char *body)
{
	json_t *mails = test_mail_dump(), *m;
	size_t i;
	int found = 0;

	json_array_foreach(mails, i, m)
		if (strcmp(json_string_value(json_object_get(m, "to")), to) == 0 &&
		    strstr(json_string_value(json_object_get(m, "subject")), subject)) {
			found++;
			if (strstr(json_string_value(json_object_get(m, "body")), body) == NULL)
				fail_msg("%s: %s", to, json_string_value(json_object_get(m, "body")));
		}
	assert_int_equal(found, 1);
	json_decref(mails);
}

/* The mobile received exactly one SMS, and it reads want. */
static void
assert_only_sms(const char *mobile, const char *want)
{
	json_t *t = test_sms_to(mobile);

	assert_int_equal(json_array_size(t), 1);
	assert_string_equal(json_string_value(json_array_get(t, 0)), want);
	json_decref(t);
}

/* The alert of 2030-01-15 to EST_MSG's employees: whoever will not be
 * renewed as things stand is told why and what to do by when, and not that
 * the company subscribed; the others that they are due to be renewed. */
static void
alert_sms_say_what_blocks(void **state)
{
	json_t *t;

	(void)state;
	assert_only_sms(MOB_FINES, "وزارة الداخلية: تنتهي إقامتك في 2030-01-18"
	    " (بعد 3 أيام) ولن تُجدَّد تلقائيًا في 2030-01-22: عليك مخالفات مستحقة بقيمة"
	    " 500.00 ر.ق. سدِّدها قبل 2030-01-22.");
	/* Excluded: what to do, and no word of a subscription. */
	assert_only_sms(MOB_EXCL, "MOI: your residence permit expires on 2030-01-26"
	    " (in 11 days) and will not be renewed automatically on 2030-01-22: Message Rules"
	    " has excluded you from automatic renewal. Ask Message Rules to renew your permit.");
	assert_only_sms(MOB_TODAY, "MOI: your residence permit expires on 2030-01-15"
	    " (today). Message Rules has subscribed to automatic renewal. It is due to be"
	    " renewed on 2030-01-22.");
	/* 11 and more: the singular accusative. */
	t = test_sms_to(MOB_AR11);
	assert_true(find_text(t, "(بعد 11 يومًا). اشتركت شركة قواعد الرسائل في التجديد"
	    " التلقائي، ومن المقرر تجديدها في 2030-01-22.") >= 0);
	json_decref(t);
	/* The company's email counts as the SMS tell: 2 of 4 will be renewed. */
	assert_int_equal(test_notifier_once(1), 0);
	assert_mail_says("hr@message-rules.example", "Renewal alert 2030-01-15",
	    "At the execution of 2030-01-22, 4 residence permits are due for renewal.\n"
	    "As things stand, renewed: 2. Not renewed: 2 (the statement says why and what"
	    " to do).\n");
	/* Nothing due: the alert is kept (and downloadable: rendered by the
	 * scheduler before the cycle completed, issue 14 §2), not mailed. */
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE est_id = '"
	    EST_EMPTY "' AND kind = 'alert' AND cycle_date = '2030-01-15'"
	    " AND workbook IS NOT NULL"), 1);
	{
		char *id = test_sql("SELECT id FROM statements WHERE est_id = '" EST_EMPTY "'"
		    " AND kind = 'alert' AND cycle_date = '2030-01-15'"), path[96];
		struct http_resp r;

		snprintf(path, sizeof(path), "/api/v1/statements/%s.xlsx", id);
		assert_int_equal(client_signin(&sig, SIG, SIG_PW), 201);	/* the clock moved */
		assert_int_equal(http_req(&sig, "GET", path, NULL, NULL, 0, &r), 200);
		assert_int_equal(test_count("SELECT length(workbook) FROM statements"
		    " WHERE id = %s", id), (long long)r.len);
		http_resp_free(&r);
		free(id);
	}
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_EMPTY
	    "'"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_MSG
	    "' AND template = 'email.alert.body'"), 1);
}

/* The execution of 2030-01-22: who was not renewed is told why and what to
 * do before the next execution; a company with nothing due is sent
 * nothing, neither statements nor its execution SMS. */
static void
execution_sms_say_what_to_do(void **state)
{
	json_t *t;

	(void)state;
	t = test_sms_to(MOB_FINES);
	assert_int_equal(json_array_size(t), 2);
	assert_true(find_text(t, "وزارة الداخلية: لم تُجدَّد إقامتك تلقائيًا لدى شركة قواعد"
	    " الرسائل في 2030-01-22: عليك مخالفات مستحقة بقيمة 500.00 ر.ق. سدِّدها قبل"
	    " 2030-02-08.") == 1);
	json_decref(t);
	t = test_sms_to(MOB_EXCL);
	assert_true(find_text(t, "MOI: your residence permit was not renewed automatically by"
	    " Message Rules on 2030-01-22: Message Rules has excluded you from automatic"
	    " renewal. Ask Message Rules to renew your permit.") == 1);
	json_decref(t);
	t = test_sms_to(MOB_TODAY);
	assert_true(find_text(t, "MOI: your residence permit was renewed until") == 1);
	json_decref(t);
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE est_id = '"
	    EST_EMPTY "' AND cycle_date = '2030-01-22'"), 2);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_EMPTY
	    "'"), 0);
}

/* Executions of 2030-02-08 and 02-22: the same reason as at the previous
 * execution is not sent again; fines that changed are. Between them, the
 * alert of 02-15 while the company paused renewal says so. */
static void
not_renewed_told_once(void **state)
{
	json_t *t, *b;

	(void)state;
	test_clock_set("2030-02-08");
	assert_int_equal(test_scheduler_run("execution", "2030-02-08"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE est_id = '" EST_MSG
	    "' AND kind = 'execution' AND cycle_date = '2030-02-08'"), 1);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE template ="
	    " 'sms.permit.not_renewed' AND qid IN ('" QID_FINES "', '" QID_EXCL "')"), 2);
	assert_int_equal(test_count("SELECT count(*) FROM notify_memory WHERE est_id = '"
	    EST_MSG "' AND qid = '" QID_EXCL "' AND topic = 'permit.not_renewed'"
	    " AND fingerprint = 'EXCLUDED' AND told_on = '2030-01-22'"
	    " AND last_seen = '2030-02-08'"), 1);
	test_clock_set("2030-02-14");
	assert_int_equal(client_signin(&sig, SIG, SIG_PW), 201);
	b = json_pack("{s:b}", "enabled", 0);
	assert_int_equal(http_status(&sig, "PATCH", "/api/v1/companies/" EST_MSG "/renewal", b),
	    200);
	json_decref(b);
	test_clock_set("2030-02-15");
	assert_int_equal(test_scheduler_run("alert", "2030-02-15"), 0);
	assert_int_equal(test_notifier_once(1), 0);
	assert_only_sms(MOB_PAUSED, "MOI: your residence permit expires on 2030-03-12"
	    " (in 25 days) and will not be renewed automatically on 2030-02-22: Message Rules"
	    " has paused automatic renewal. Ask Message Rules to resume it before 2030-02-22"
	    " or to renew your permit.");
	/* The person's own obstacle comes first: they can act on it. */
	t = test_sms_to(MOB_FINES);
	assert_true(find_text(t, "ولن تُجدَّد تلقائيًا في 2030-02-22: عليك مخالفات مستحقة") == 2);
	json_decref(t);
	assert_int_equal(client_signin(&sig, SIG, SIG_PW), 201);	/* a day went by */
	b = json_pack("{s:b}", "enabled", 1);
	assert_int_equal(http_status(&sig, "PATCH", "/api/v1/companies/" EST_MSG "/renewal", b),
	    200);
	json_decref(b);

	free(test_sql("UPDATE persons SET fines_dirhams = 80000 WHERE qid = '" QID_FINES "'"));
	test_clock_set("2030-02-22");
	assert_int_equal(test_scheduler_run("execution", "2030-02-22"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE template ="
	    " 'sms.permit.not_renewed' AND qid = '" QID_EXCL "'"), 1);
	assert_int_equal(test_notifier_once(1), 0);
	t = test_sms_to(MOB_FINES);
	assert_int_equal(json_array_size(t), 4);	/* 2 alerts, 2 executions */
	assert_true(find_text(t, "في 2030-02-22: عليك مخالفات مستحقة بقيمة 800.00 ر.ق."
	    " سدِّدها قبل 2030-03-08.") == 3);
	json_decref(t);
	/* Two alerts and the first execution: not the two after it. */
	t = test_sms_to(MOB_EXCL);
	assert_int_equal(json_array_size(t), 3);
	assert_true(find_text(t, "was not renewed") == 1);
	json_decref(t);
}

/* Each sent email is in the Maildir exactly once (none twice, none lost). */
static void
assert_every_email_once(void)
{
	json_t *mails = test_mail_dump(), *m;
	char *ids, *tok, *save = NULL;
	size_t i;
	long n_sent = test_count("SELECT count(*) FROM outbox WHERE channel = 'email'"
	    " AND status = 'sent'");

	assert_int_equal(json_array_size(mails), n_sent);
	ids = test_sql("SELECT string_agg(id::text, ' ') FROM outbox WHERE channel = 'email'"
	    " AND status = 'sent'");
	assert_non_null(ids);
	for (tok = strtok_r(ids, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char mid[96];
		int seen = 0;

		snprintf(mid, sizeof(mid), "<rb-outbox-%s@residency.example>", tok);
		json_array_foreach(mails, i, m)
			seen += strcmp(json_string_value(json_object_get(m, "message_id")), mid) == 0;
		if (seen != 1)
			fail_msg("message %s delivered %d times", mid, seen);
	}
	free(ids);
	json_decref(mails);
}

/* The mail server is down during an execution: the emails wait, the SMS
 * go; back up, two workers deliver every email once. */
static void
smtp_outage_then_exactly_once(void **state)
{
	json_t *t;
	long long waiting;

	(void)state;
	assert_int_equal(test_stack("mail-stop"), 0);
	test_clock_set("2030-01-22");
	assert_int_equal(test_scheduler_run("execution", "2030-01-22"), 0);
	waiting = test_count("SELECT count(*) FROM outbox WHERE channel = 'email'"
	    " AND status = 'pending' AND est_id IN ('" EST_AR "', '" EST_RB "')");
	assert_int_equal(waiting, 4);	/* execution + debit report, two companies */
	assert_int_equal(test_notifier_once(1), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE channel = 'email'"
	    " AND est_id IN ('" EST_AR "', '" EST_RB "') AND status = 'pending' AND attempts = 1"
	    " AND last_error LIKE 'smtp:%%'"), 4);
	/* SMS do not wait for mail: renewed, in Arabic, with the delivery window. */
	t = test_sms_to(MOB_RES_AR);
	assert_true(find_text(t, "وزارة الداخلية: جُددت إقامتك حتى 2031-01-22.") >= 0);
	assert_true(find_text(t, "بين 2030-01-23 و2030-01-24") >= 0);
	json_decref(t);
	/* The company's mobile: the execution's figures. */
	t = test_sms_to("+97455140001");
	assert_true(find_text(t, "وزارة الداخلية: تنفيذ التجديد بتاريخ 2030-01-22 لدى"
	    " شركة الخليج للتجارة: جُدد 2") >= 0);
	json_decref(t);

	assert_int_equal(test_stack("mail-start"), 0);
	test_clock_set("2030-01-22T07:00:00Z");	/* past the backoff */
	assert_int_equal(test_notifier_once(2), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE channel = 'email'"
	    " AND est_id IN ('" EST_AR "', '" EST_RB "') AND status = 'sent' AND attempts = 2"
	    " AND created_at >= '2030-01-22'"), 4);
	assert_every_email_once();
	/* Another round finds nothing more to send. */
	assert_int_equal(test_notifier_once(1), 0);
	assert_every_email_once();
}

/* Mail the relay always refuses is parked after RB_NOTIFY_MAX_ATTEMPTS,
 * shown to reviewers, and retried by one. */
static void
always_failing_is_parked(void **state)
{
	char *id, path[128], when[48], err[600];
	long max = atol(test_env("RB_NOTIFY_MAX_ATTEMPTS")), round;
	struct http_resp r;
	json_t *items, *it;
	size_t i;
	int listed = 0;

	(void)state;
	assert_true(max >= 2);
	id = test_sql("SELECT id FROM outbox WHERE est_id = '" EST_BAD "'"
	    " AND template = 'email.alert.body'");
	assert_true(id && *id);
	for (round = 0; round < 2 * max; round++) {
		snprintf(when, sizeof(when), "2030-02-%02dT06:00:00Z", (int)(round % 28) + 1);
		test_clock_set(when);
		assert_int_equal(test_notifier_once(1), 0);
	}
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE id = %s AND"
	    " status = 'failed' AND attempts = %ld AND last_error LIKE '%%550%%'", id, max), 1);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_BAD "'"
	    " AND channel = 'email' AND status <> 'failed'"), 0);
	/* Weeks went by on the clock: the sessions timed out. */
	assert_int_equal(client_signin(&sig, SIG, SIG_PW), 201);
	assert_int_equal(client_signin(&rev, REVIEWER, REVIEWER_PW), 201);

	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/outbox?status=failed"
	    "&est_id=" EST_BAD "&channel=email", NULL, &r), 200);
	items = json_object_get(r.json, "items");
	json_array_foreach(items, i, it) {
		assert_string_equal(json_string_value(json_object_get(it, "status")), "failed");
		assert_string_equal(json_string_value(json_object_get(it, "recipient")),
		    "hr@unreachable.invalid");
		if (json_integer_value(json_object_get(it, "id")) == atoll(id)) {
			listed = 1;
			assert_int_equal(json_integer_value(json_object_get(it, "attempts")), max);
			snprintf(err, sizeof(err), "%s",
			    json_string_value(json_object_get(it, "last_error")));
			assert_non_null(strstr(err, "550"));
		}
	}
	assert_int_equal(listed, 1);
	/* The alert and the execution; its debit report has no debits: kept,
	 * not mailed. */
	assert_int_equal(json_array_size(items), 2);
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE est_id = '" EST_BAD
	    "' AND kind = 'debit_report' AND cycle_date = '2030-01-22' AND lines_count = 0"), 1);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_BAD
	    "' AND template = 'email.debit_report.body'"), 0);
	assert_int_equal(http_status(&sig, "GET", "/api/v1/backoffice/outbox", NULL), 403);
	assert_int_equal(http_status(&rev, "GET", "/api/v1/backoffice/outbox?status=lost",
	    NULL), 400);

	snprintf(path, sizeof(path), "/api/v1/backoffice/outbox/%s/retry", id);
	assert_int_equal(http_status(&sig, "POST", path, NULL), 403);
	assert_int_equal(http_json(&rev, "POST", path, NULL, &r), 200);
	assert_string_equal(resp_str(&r, "status"), "pending");
	assert_int_equal(json_integer_value(json_object_get(r.json, "attempts")), 0);
	http_resp_free(&r);
	assert_int_equal(http_status(&rev, "POST", path, NULL), 409);
	assert_int_equal(http_status(&rev, "POST", "/api/v1/backoffice/outbox/999999999/retry",
	    NULL), 404);
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE action ="
	    " 'outbox.retry' AND target = 'outbox:%s'", id), 1);
	/* Sent again at the next round (and refused again). */
	assert_int_equal(test_notifier_once(1), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE id = %s AND"
	    " status = 'pending' AND attempts = 1", id), 1);
	free(id);
}

/* The SHA-256 (hex) of the workbook a download of statement id gives. */
static void
download_sha(const char *id, char hex[65])
{
	char path[96];
	unsigned char sha[32];
	struct http_resp r;

	snprintf(path, sizeof(path), "/api/v1/statements/%s.xlsx", id);
	assert_int_equal(http_req(&sig, "GET", path, NULL, NULL, 0, &r), 200);
	assert_true(r.len > 1000);
	crypto_sha256(r.body, r.len, sha);
	hex_encode(sha, 32, hex);
	http_resp_free(&r);
}

/* The attachment's SHA-256 of the one email carrying statement id. */
static void
attachment_sha(const char *statement_id, char hex[65])
{
	char *oid = test_sqlf("SELECT id FROM outbox WHERE statement_id = %s AND status = 'sent'",
	    statement_id), mid[96];
	json_t *mails = test_mail_dump(), *m;
	size_t i;
	int found = 0;

	assert_true(oid && *oid);
	snprintf(mid, sizeof(mid), "<rb-outbox-%s@residency.example>", oid);
	json_array_foreach(mails, i, m)
		if (strcmp(json_string_value(json_object_get(m, "message_id")), mid) == 0) {
			json_t *a = json_array_get(json_object_get(m, "attachments"), 0);

			snprintf(hex, 65, "%s", json_string_value(json_object_get(a, "sha256")));
			found++;
		}
	assert_int_equal(found, 1);
	json_decref(mails);
	free(oid);
}

/*
 * Issue 14 §2: a cycle whose scheduler renders none (RB_SCHED_RENDER_WORKERS=0)
 * stores no workbook; the first download renders it
 * from the stored lines and records its SHA-256, the email sent after
 * attaches those very bytes, and a download after the email is them
 * again. The verification code answers before any rendering, with the
 * hash of the workbook it renders then.
 */
static void
download_is_the_attachment(void **state)
{
	char *first, *other, before[65], again[65], att[65], *sha, *code;
	struct http_resp r;
	char path[128];

	(void)state;
	test_clock_set("2030-03-01");
	assert_int_equal(client_signin(&sig, SIG, SIG_PW), 201);
	/* The on-demand path: a scheduler rendering nothing after the cycle
	 * (RB_SCHED_RENDER_WORKERS=0); tests/integration/scheduler_render.c
	 * covers the workbooks rendered by the scheduler. */
	setenv("RB_SCHED_RENDER_WORKERS", "0", 1);
	assert_int_equal(test_scheduler_run("alert", "2030-03-01"), 0);
	unsetenv("RB_SCHED_RENDER_WORKERS");
	/* A statement emailed (to a mailbox that takes it), and another one. */
	first = test_sql("SELECT min(o.statement_id) FROM outbox o JOIN statements s"
	    " ON s.id = o.statement_id WHERE s.cycle_date = '2030-03-01'"
	    " AND o.recipient NOT LIKE '%.invalid'");
	assert_true(first && *first);
	other = test_sqlf("SELECT min(id) FROM statements WHERE cycle_date = '2030-03-01'"
	    " AND id <> %s", first);
	assert_true(other && *other);
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE cycle_date ="
	    " '2030-03-01' AND (workbook IS NOT NULL OR sha256 IS NOT NULL)"), 0);

	code = test_sqlf("SELECT lower(verification_code) FROM statements WHERE id = %s", other);
	snprintf(path, sizeof(path), "/api/v1/statements/verify?code=%s", code);
	assert_int_equal(http_json(&rev, "GET", path, NULL, &r), 200);
	sha = test_sqlf("SELECT encode(sha256, 'hex') FROM statements WHERE id = %s", other);
	assert_true(sha && strlen(sha) == 64);
	assert_string_equal(resp_str(&r, "sha256"), sha);
	http_resp_free(&r);
	download_sha(other, again);
	assert_string_equal(again, sha);

	download_sha(first, before);
	download_sha(first, again);
	assert_string_equal(before, again);
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE id = %s"
	    " AND sha256 = decode('%s', 'hex')", first, before), 1);
	assert_int_equal(test_notifier_once(2), 0);
	attachment_sha(first, att);
	assert_string_equal(att, before);
	download_sha(first, again);
	assert_string_equal(again, before);
	/* Recorded once: the database refuses another workbook for it. */
	assert_null(test_sqlf("UPDATE statements SET workbook = 'x', sha256 = sha256('x')"
	    " WHERE id = %s", first));
	free(first);
	free(other);
	free(code);
	free(sha);
}

/* Posts an SMS to the gateway stand-in as the notifier does; its status. */
static long
gateway_post(const char *to, const char *text, const char *ref)
{
	char cmd[1024];
	FILE *f;
	long status = 0;

	snprintf(cmd, sizeof(cmd), "curl -s -o /dev/null -w '%%{http_code}'"
	    " -H 'Authorization: Bearer %s' -H 'Content-Type: application/json'"
	    " -d '{\"to\": \"%s\", \"text\": \"%s\", \"client_ref\": \"%s\"}' %s",
	    test_env("RB_SMS_TOKEN"), to, text, ref, test_env("RB_SMS_URL"));
	assert_non_null(f = popen(cmd, "r"));
	assert_int_equal(fscanf(f, "%ld", &status), 1);
	pclose(f);
	return status;
}

/*
 * Issue 11 §4: a worker killed between sending an SMS and marking it sent
 * leaves it pending; the gateway refuses its client_ref the second time
 * (409), and the notifier counts that as delivered: one SMS, not two.
 */
static void
sms_repeat_refused_not_delivered(void **state)
{
	char *id, ref[48];
	json_t *t;

	(void)state;
	id = test_sql("INSERT INTO outbox (channel, recipient, language, template, params,"
	    " next_attempt_at, created_at) SELECT 'sms', '+97455149999', language, template,"
	    " params, '2030-01-01', '2030-01-01' FROM outbox WHERE template = 'sms.grant.revoked'"
	    " ORDER BY id LIMIT 1 RETURNING id");
	assert_true(id && *id);
	snprintf(ref, sizeof(ref), "rb-outbox-%s", id);
	/* What the killed worker had sent. */
	assert_int_equal(gateway_post("+97455149999", "the first attempt", ref), 202);
	assert_int_equal(gateway_post("+97455149999", "a repeat", ref), 409);
	assert_int_equal(test_notifier_once(1), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE id = %s"
	    " AND status = 'sent' AND attempts = 1", id), 1);
	t = test_sms_to("+97455149999");
	assert_int_equal(json_array_size(t), 1);
	assert_string_equal(json_string_value(json_array_get(t, 0)), "the first attempt");
	json_decref(t);
	free(id);
}

/* The SMTP sessions and messages the mail sink counted (its stats files). */
static void
sink_counts(long *connections, long *messages)
{
	char cmd[512];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "cat %s/mail-stats/mail-*.stats | awk '/^connections/"
	    " { c += $2 } /^messages/ { m += $2 } END { print c + 0, m + 0 }'",
	    test_env("RB_VAR"));
	assert_non_null(f = popen(cmd, "r"));
	assert_int_equal(fscanf(f, "%ld %ld", connections, messages), 2);
	pclose(f);
}

/*
 * Issue 14 §3: two workers deliver a queue of 3,000 emails, the SMTP
 * server restarted while they do: each email arrives exactly once, and a
 * worker's connection carries many messages (one session, one TLS
 * handshake, for a run of messages, not one per message).
 */
static void
two_workers_bulk_smtp_restart(void **state)
{
	long conn0, msg0, conn1, msg1;
	char cmd[1024];
	int i, rc;

	(void)state;
	test_clock_set("2030-03-02");
	free(test_sql("INSERT INTO outbox (channel, recipient, language, template, params,"
	    " est_id, next_attempt_at, created_at)"
	    " SELECT 'email', 'bulk' || g || '@bulk.example', o.language, o.template, o.params,"
	    " 'bulk', '2030-03-01', '2030-03-01' FROM generate_series(1, 3000) g,"
	    " (SELECT * FROM outbox WHERE template = 'email.alert.body' AND est_id = '"
	    EST_AR "' ORDER BY id LIMIT 1) o"));
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = 'bulk'"), 3000);
	sink_counts(&conn0, &msg0);
	snprintf(cmd, sizeof(cmd), "%s/rb-notifier --once >>%s/log/notifier.log 2>&1 & a=$!;"
	    " %s/rb-notifier --once >>%s/log/notifier.log 2>&1 & b=$!;"
	    " for i in $(seq 600); do [ $(psql -qAt \"$RB_DB_OWNER_CONNINFO\" -c \"SELECT"
	    " count(*) FROM outbox WHERE est_id = 'bulk' AND status = 'sent'\") -ge 600 ]"
	    " && break; sleep 0.1; done;"
	    " bash %s/scripts/stack.sh mail-stop >/dev/null && sleep 0.5 &&"
	    " bash %s/scripts/stack.sh mail-start >/dev/null; wait $a && wait $b",
	    test_env("RB_BIN"), test_env("RB_VAR"), test_env("RB_BIN"), test_env("RB_VAR"),
	    test_env("RB_ROOT"), test_env("RB_ROOT"));
	rc = system(cmd);
	assert_int_equal(WEXITSTATUS(rc), 0);
	/* The restart cost some a retry; they wait their backoff. */
	assert_true(test_count("SELECT count(*) FROM outbox WHERE est_id = 'bulk'"
	    " AND attempts = 1 AND status = 'pending' AND last_error LIKE 'smtp:%%'") > 0);
	test_clock_set("2030-03-02T12:00:00Z");	/* a date alone is 06:00Z */
	for (i = 0; i < 5 && test_count("SELECT count(*) FROM outbox WHERE est_id = 'bulk'"
	    " AND status <> 'sent'") > 0; i++)
		assert_int_equal(test_notifier_once(2), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = 'bulk'"
	    " AND status = 'sent'"), 3000);
	assert_every_email_once();
	/* Each sink process keeps its own file: the sums are cumulative.
	 * Connections reused: a handful per worker, not one per message. */
	sink_counts(&conn1, &msg1);
	assert_true(msg1 - msg0 >= 3000);
	assert_true(conn1 - conn0 >= 2);
	assert_true((conn1 - conn0) * 20 < msg1 - msg0);
	/* Gone again, rows and mail: later tests read the whole Maildir. */
	snprintf(cmd, sizeof(cmd), "grep -l -Z '^To: bulk[0-9]*@bulk.example' %s/new/* |"
	    " xargs -0 rm -f", test_env("RB_MAILDIR"));
	assert_int_equal(system(cmd), 0);
	free(test_sql("DELETE FROM outbox WHERE est_id = 'bulk'"));
	assert_every_email_once();
}

/* The daemon delivers on its own and stops cleanly (the sanitizer build
 * checks its worker for leaks when it exits). */
static void
daemon_delivers_then_stops(void **state)
{
	json_t *b, *t;
	int i;

	(void)state;
	test_clock_set(NULL);
	assert_int_equal(client_signin(&sig, SIG, SIG_PW), 201);
	b = json_pack("{s:s, s:[s]}", "qid", RES_AR, "services", "VISA_CANCEL");
	assert_int_equal(http_status(&sig, "POST", "/api/v1/companies/" EST_AR "/grants", b),
	    201);
	json_decref(b);
	assert_int_equal(test_stack("notifier-start"), 0);
	for (i = 0; i < 100 && test_count("SELECT count(*) FROM outbox WHERE qid = '" RES_AR "'"
	    " AND template = 'sms.grant.offered' AND status = 'pending'") > 0; i++)
		usleep(100 * 1000);
	assert_int_equal(test_stack("notifier-stop"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE qid = '" RES_AR "'"
	    " AND template = 'sms.grant.offered' AND status = 'pending'"), 0);
	t = test_sms_to(MOB_RES_AR);
	assert_true(find_text(t, "\"إلغاء التأشيرة\"") >= 0);
	json_decref(t);
}

/* Sent messages are deleted after RB_NOTIFY_KEEP_DAYS (180); parked and
 * pending ones stay, and so do recent ones. */
static void
old_sent_messages_deleted(void **state)
{
	/* Retried meanwhile, some pending ones may be parked: count both. */
	long long unsent = test_count("SELECT count(*) FROM outbox WHERE status <> 'sent'");
	/* Other tests' clocks may have sent messages after the cut (in 2033,
	 * say): those are recent too, and stay. */
	long long recent = test_count("SELECT count(*) FROM outbox WHERE status = 'sent'"
	    " AND sent_at >= timestamptz '2030-12-03 00:00:00+03'");
	json_t *b;

	(void)state;
	assert_true(test_count("SELECT count(*) FROM outbox WHERE status = 'sent'"
	    " AND sent_at < timestamptz '2030-12-03 00:00:00+03'") > 10);
	test_clock_set("2031-05-30");
	assert_int_equal(client_signin(&sig, SIG, SIG_PW), 201);
	b = json_pack("{s:s, s:[s]}", "qid", RES_AR, "services", "ENTRY_VISA");
	assert_int_equal(http_status(&sig, "POST", "/api/v1/companies/" EST_AR "/grants", b),
	    201);
	json_decref(b);
	assert_int_equal(test_notifier_once(1), 0);
	/* Two days later, 180 days back is 2030-12-03: everything sent before. */
	test_clock_set("2031-06-01");
	assert_int_equal(test_notifier_once(1), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE status = 'sent'"
	    " AND sent_at < timestamptz '2030-12-03 00:00:00+03'"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE status = 'sent'"), recent + 1);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE status = 'sent'"
	    " AND qid = '" RES_AR "' AND params->>'service_en' = 'Entry visa issue'"
	    " AND sent_at >= timestamptz '2031-05-30 00:00:00+03'"), 1);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE status <> 'sent'"), unsent);
	test_clock_set(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(companies_subscribe),
		cmocka_unit_test(grant_sms_in_each_language),
		cmocka_unit_test(automatic_revocation_sms),
		cmocka_unit_test(rolled_back_cycle_sends_nothing),
		cmocka_unit_test(alert_email_and_sms),
		cmocka_unit_test(alert_sms_say_what_blocks),
		cmocka_unit_test(smtp_outage_then_exactly_once),
		cmocka_unit_test(execution_sms_say_what_to_do),
		cmocka_unit_test(always_failing_is_parked),
		cmocka_unit_test(not_renewed_told_once),
		cmocka_unit_test(download_is_the_attachment),
		cmocka_unit_test(sms_repeat_refused_not_delivered),
		cmocka_unit_test(two_workers_bulk_smtp_restart),
		cmocka_unit_test(daemon_delivers_then_stops),
		cmocka_unit_test(old_sent_messages_deleted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
