/*
 * Verified mobile numbers (issue 16 §2) against the real stack: a new
 * number registered at a service centre (a reviewer) or a kiosk (the
 * `services` group) is used only after the person confirms the code sent
 * to it, signed in or at the kiosk; wrong codes (5 tries, then a new code),
 * an expired code (the clock moved 10 minutes), the notice to the old
 * number, and SMS refused to a person without a verified number, kept as
 * undeliverable and counted per company for reviewers. The texts are read
 * from the SMS stand-in's spool, as the gateway received them.
 *
 * Its own company (16000001) and persons (...16001-16005),
 * tests/fixtures/verify.json; clock in 2034.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"

#define EST		"16000001"
#define SIG		"27263416001"
#define P_KIOSK		"28535616002"	/* English, verified +97455160002 */
#define P_CENTRE	"28581816003"	/* Arabic, verified +97455160003 */
#define P_UNVER		"28535616004"	/* English, +97455160004 not verified */
#define P_CONTROL	"28535616005"	/* English, verified +97455160005 */
#define PW		"test-verify-pw"
#define REVIEWER	"28863410006"
#define REVIEWER_PW	"demo-reviewer"

static struct client rev, svc, sig;

/* The code in the last SMS to mobile (a run of exactly 6 digits) into code. */
static void
last_code(const char *mobile, char code[7])
{
	json_t *t = test_sms_to(mobile);
	const char *s;
	size_t i, run = 0;

	assert_true(json_array_size(t) > 0);
	s = json_string_value(json_array_get(t, json_array_size(t) - 1));
	code[0] = '\0';
	for (i = 0; ; i++) {
		if (isdigit((unsigned char)s[i])) {
			run++;
			continue;
		}
		if (run == 6) {
			memcpy(code, s + i - 6, 6);
			code[6] = '\0';
			break;
		}
		run = 0;
		if (s[i] == '\0')
			break;
	}
	json_decref(t);
	assert_int_equal(strlen(code), 6);
}

/* Another code than code: its last digit changed. */
static void
wrong_of(const char code[7], char wrong[7])
{
	memcpy(wrong, code, 7);
	wrong[5] = code[5] == '9' ? '0' : (char)(code[5] + 1);
}

static long
post_code(struct client *c, const char *path, const char *code, struct http_resp *r)
{
	json_t *b = json_pack("{s:s}", "code", code);
	long st = http_json(c, "POST", path, b, r);

	json_decref(b);
	return st;
}

static long
register_mobile(struct client *c, const char *qid, const char *mobile, struct http_resp *r)
{
	char path[96];
	json_t *b = json_pack("{s:s}", "mobile", mobile);
	long st;

	snprintf(path, sizeof(path), "/api/v1/persons/%s/mobile", qid);
	st = http_json(c, "POST", path, b, r);
	json_decref(b);
	return st;
}

static int
setup(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s/rb-load %s/tests/fixtures/verify.json >/dev/null",
	    test_env("RB_BIN"), test_env("RB_ROOT"));
	if (system(cmd) != 0)
		return -1;
	test_clock_set("2034-03-01T08:00:00Z");
	client_init(&rev);
	client_init(&svc);
	client_init(&sig);
	if (client_signin(&rev, REVIEWER, REVIEWER_PW) != 201 ||
	    client_signin(&svc, "svc-test", "svc-test-pass") != 201 ||
	    client_signin(&sig, SIG, PW) != 201)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&rev);
	client_free(&svc);
	client_free(&sig);
	test_clock_set(NULL);
	return 0;
}

/* The registry's numbers are verified unless the feed says not. */
static void
feed_sets_verified(void **state)
{
	(void)state;
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid IN ('" P_KIOSK "',"
	    " '" P_CENTRE "', '" P_CONTROL "') AND mobile_verified"), 3);
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid = '" P_UNVER "'"
	    " AND NOT mobile_verified"), 1);
}

/* A service centre: the code to the new number in the person's language,
 * a notice to the old one; nothing changes until the person, signed in,
 * gives the right code; a wrong one is counted. */
static void
service_centre_right_and_wrong_code(void **state)
{
	struct client p;
	struct http_resp r;
	char code[7], wrong[7];
	json_t *t, *it;
	size_t i;
	int seen = 0;

	(void)state;
	assert_int_equal(register_mobile(&rev, P_CENTRE, "+97455169003", &r), 202);
	assert_string_equal(resp_str(&r, "status"), "pending_confirmation");
	assert_string_equal(resp_str(&r, "channel"), "service_centre");
	assert_null(strstr(r.body, "code\""));
	http_resp_free(&r);
	/* The code is kept hashed, never as typed. */
	assert_int_equal(test_count("SELECT count(*) FROM mobile_verifications WHERE qid = '"
	    P_CENTRE "' AND status = 'pending' AND length(code_hash) = 32"), 1);
	assert_int_equal(test_notifier_once(1), 0);
	t = test_sms_to("+97455169003");
	assert_int_equal(json_array_size(t), 1);
	assert_non_null(strstr(json_string_value(json_array_get(t, 0)),
	    "وزارة الداخلية: رمز تأكيد رقم الجوال هذا هو "));
	assert_non_null(strstr(json_string_value(json_array_get(t, 0)), "صالح لمدة 10 دقائق"));
	json_decref(t);
	t = test_sms_to("+97455160003");
	assert_int_equal(json_array_size(t), 1);
	assert_non_null(strstr(json_string_value(json_array_get(t, 0)),
	    "سُجِّل لك رقم جوال جديد (+974\u2022\u2022\u20229003) في مركز خدمة تابع للوزارة"));
	json_decref(t);
	last_code("+97455169003", code);
	/* Until confirmed the old number stays the one in use. */
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid = '" P_CENTRE "'"
	    " AND mobile = '+97455160003' AND mobile_verified"), 1);
	/* A reviewer reading the queue does not see the code. */
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/outbox?status=sent&channel=sms",
	    NULL, &r), 200);
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		if (strcmp(json_string_value(json_object_get(it, "template")),
		    "sms.mobile.code") == 0 && strcmp(json_string_value(json_object_get(it,
		    "recipient")), "+97455169003") == 0) {
			assert_string_equal(json_string_value(json_object_get(json_object_get(it,
			    "params"), "code")), "******");
			seen = 1;
		}
	assert_true(seen);
	assert_null(strstr(r.body, code));
	/* Sent ones are not counted per company (only what is held back). */
	assert_null(json_object_get(r.json, "by_company"));
	http_resp_free(&r);

	/* An SMS queued to the old number before the change is confirmed. */
	{
		json_t *b = json_pack("{s:s, s:[s]}", "qid", P_CENTRE, "services", "TRAVEL_NOTICE");

		assert_int_equal(http_status(&sig, "POST", "/api/v1/companies/" EST "/grants", b),
		    201);
		json_decref(b);
	}
	client_init(&p);
	assert_int_equal(client_signin(&p, P_CENTRE, PW), 201);
	wrong_of(code, wrong);
	assert_int_equal(post_code(&p, "/api/v1/me/mobile/confirm", wrong, &r), 400);
	assert_string_equal(resp_str(&r, "error.code"), "wrong_code");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r.json, "error"),
	    "tries_left")), 4);
	http_resp_free(&r);
	assert_int_equal(post_code(&p, "/api/v1/me/mobile/confirm", "12345", &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "code");
	http_resp_free(&r);
	assert_int_equal(post_code(&p, "/api/v1/me/mobile/confirm", code, &r), 200);
	assert_string_equal(resp_str(&r, "mobile"), "+97455169003");
	assert_true(json_is_true(json_object_get(r.json, "mobile_verified")));
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid = '" P_CENTRE "'"
	    " AND mobile = '+97455169003' AND mobile_verified"), 1);
	/* Used once: the same code again finds nothing pending. */
	assert_int_equal(post_code(&p, "/api/v1/me/mobile/confirm", code, &r), 404);
	assert_string_equal(resp_str(&r, "error.code"), "no_pending_mobile");
	http_resp_free(&r);
	client_free(&p);
	/* It was for the number no longer the person's: kept, not sent there. */
	assert_int_equal(test_notifier_once(1), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE qid = '" P_CENTRE "'"
	    " AND template LIKE 'sms.grant.%%' AND recipient = '+97455160003'"
	    " AND status = 'undeliverable'"
	    " AND last_error = 'not the person''s verified mobile number'"), 1);
	t = test_sms_to("+97455160003");
	assert_int_equal(json_array_size(t), 1);	/* the notice only */
	json_decref(t);
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE target = 'person:"
	    P_CENTRE "' AND action IN ('person.mobile.requested', 'person.mobile.wrong_code',"
	    " 'person.mobile.confirmed') AND actor IN ('" REVIEWER "', '" P_CENTRE "')"), 3);
}

/* A kiosk: five wrong codes and the code is dead, even the right one; a
 * new request sends a new code, which the person types at the kiosk. */
static void
kiosk_five_wrong_tries_then_new_code(void **state)
{
	const char *path = "/api/v1/persons/" P_KIOSK "/mobile/confirm";
	struct http_resp r;
	char code[7], wrong[7];
	int i;

	(void)state;
	/* A local number as typed at the kiosk. */
	assert_int_equal(register_mobile(&svc, P_KIOSK, "5516 9002", &r), 202);
	assert_string_equal(resp_str(&r, "mobile"), "+97455169002");
	assert_string_equal(resp_str(&r, "channel"), "kiosk");
	http_resp_free(&r);
	assert_int_equal(test_notifier_once(1), 0);
	last_code("+97455169002", code);
	wrong_of(code, wrong);
	for (i = 1; i < 5; i++) {
		assert_int_equal(post_code(&svc, path, wrong, &r), 400);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(r.json,
		    "error"), "tries_left")), 5 - i);
		http_resp_free(&r);
	}
	assert_int_equal(post_code(&svc, path, wrong, &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "code_exhausted");
	http_resp_free(&r);
	assert_int_equal(post_code(&svc, path, code, &r), 404);
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid = '" P_KIOSK "'"
	    " AND mobile = '+97455160002' AND mobile_verified"), 1);

	/* A new code; the old one is worth nothing, the new one confirms. */
	assert_int_equal(register_mobile(&svc, P_KIOSK, "+97455169002", &r), 202);
	http_resp_free(&r);
	assert_int_equal(test_notifier_once(1), 0);
	{
		char code2[7];

		last_code("+97455169002", code2);
		if (strcmp(code2, code) != 0) {
			assert_int_equal(post_code(&svc, path, code, &r), 400);
			http_resp_free(&r);
		}
		assert_int_equal(post_code(&svc, path, code2, &r), 200);
		http_resp_free(&r);
	}
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid = '" P_KIOSK "'"
	    " AND mobile = '+97455169002' AND mobile_verified"), 1);
	/* Both requests told the old number, in English. */
	{
		json_t *t = test_sms_to("+97455160002");

		assert_int_equal(json_array_size(t), 2);
		assert_string_equal(json_string_value(json_array_get(t, 0)),
		    "MOI: a new mobile number (+974\u2022\u2022\u20229002) was registered for you"
		    " at a self-service kiosk. It replaces this number once confirmed. If you did"
		    " not ask for this, visit a service centre at once.");
		json_decref(t);
	}
}

/* Ten minutes after the request the right code is refused; the number
 * stays unverified. A number nobody verified gets no notice of change. */
static void
expired_code(void **state)
{
	struct client p;
	struct http_resp r;
	char code[7];

	(void)state;
	/* Within the sessions' idle limit (15 minutes) of the requests before. */
	test_clock_set("2034-03-01T08:01:00Z");
	assert_int_equal(register_mobile(&rev, P_UNVER, "+97455160004", &r), 202);
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE qid = '" P_UNVER "'"
	    " AND template = 'sms.mobile.change_notice'"), 0);
	assert_int_equal(test_notifier_once(1), 0);
	last_code("+97455160004", code);
	client_init(&p);
	assert_int_equal(client_signin(&p, P_UNVER, PW), 201);
	test_clock_set("2034-03-01T08:11:00Z");
	assert_int_equal(post_code(&p, "/api/v1/me/mobile/confirm", code, &r), 410);
	assert_string_equal(resp_str(&r, "error.code"), "code_expired");
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid = '" P_UNVER "'"
	    " AND NOT mobile_verified"), 1);
	assert_int_equal(post_code(&p, "/api/v1/me/mobile/confirm", code, &r), 404);
	http_resp_free(&r);
	client_free(&p);
}

/* A grant's SMS to a person without a verified number is not sent: kept
 * as undeliverable with its reason, counted for the company, listed for
 * reviewers; a verified colleague's is sent. Once the person verifies
 * the number, a retried message goes. */
static void
unverified_number_gets_no_sms(void **state)
{
	struct http_resp r;
	struct client p;
	char code[7], path[96];
	json_t *b, *t, *it;
	long long id;
	size_t i;
	int counted = 0;

	(void)state;
	b = json_pack("{s:s, s:[s]}", "qid", P_UNVER, "services", "EXIT_PERMIT");
	assert_int_equal(http_status(&sig, "POST", "/api/v1/companies/" EST "/grants", b), 201);
	json_decref(b);
	b = json_pack("{s:s, s:[s]}", "qid", P_CONTROL, "services", "EXIT_PERMIT");
	assert_int_equal(http_status(&sig, "POST", "/api/v1/companies/" EST "/grants", b), 201);
	json_decref(b);
	assert_int_equal(test_notifier_once(1), 0);
	t = test_sms_to("+97455160004");
	/* only the earlier code (expired_code), no grant */
	assert_int_equal(json_array_size(t), 1);
	json_decref(t);
	t = test_sms_to("+97455160005");
	assert_int_equal(json_array_size(t), 1);
	json_decref(t);
	id = test_count("SELECT id FROM outbox WHERE qid = '" P_UNVER "' AND template LIKE"
	    " 'sms.grant.%%' AND status = 'undeliverable' AND last_error ="
	    " 'no verified mobile number' AND est_id = '" EST "'");
	assert_true(id > 0);

	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/outbox?status=undeliverable"
	    "&channel=sms", NULL, &r), 200);
	assert_true(strstr(r.body, "\"no verified mobile number\"") != NULL);
	json_array_foreach(json_object_get(r.json, "by_company"), i, it)
		if (json_string_value(json_object_get(it, "est_id")) &&
		    strcmp(json_string_value(json_object_get(it, "est_id")), EST) == 0) {
			/* this one and the one to P_CENTRE's old number */
			assert_int_equal(json_integer_value(json_object_get(it, "count")), 2);
			assert_string_equal(json_string_value(json_object_get(it, "name_en")),
			    "Verify Trading");
			counted = 1;
		}
	assert_true(counted);
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/outbox?status=nope",
	    NULL, &r), 400);
	http_resp_free(&r);

	/* Verified at a service centre (the same number), then retried: sent. */
	assert_int_equal(register_mobile(&rev, P_UNVER, "+97455160004", &r), 202);
	http_resp_free(&r);
	assert_int_equal(test_notifier_once(1), 0);
	last_code("+97455160004", code);
	client_init(&p);
	assert_int_equal(client_signin(&p, P_UNVER, PW), 201);
	assert_int_equal(post_code(&p, "/api/v1/me/mobile/confirm", code, &r), 200);
	http_resp_free(&r);
	client_free(&p);
	snprintf(path, sizeof(path), "/api/v1/backoffice/outbox/%lld/retry", id);
	assert_int_equal(http_status(&rev, "POST", path, NULL), 200);
	assert_int_equal(test_notifier_once(1), 0);
	t = test_sms_to("+97455160004");
	assert_int_equal(json_array_size(t), 3);
	/* The grant's SMS, an offer to accept (issue 16 §1). */
	assert_non_null(strstr(json_string_value(json_array_get(t, 2)),
	    "offers you authority to act for Verify Trading"));
	json_decref(t);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE id = %lld AND"
	    " status = 'sent'", id), 1);
}

/* Who may do what, and bad input leaves the database as it was. */
static void
refusals(void **state)
{
	struct client p;
	struct http_resp r;
	long long before = test_count("SELECT count(*) FROM mobile_verifications");
	json_t *b;

	(void)state;
	client_init(&p);
	assert_int_equal(client_signin(&p, P_CONTROL, PW), 401);	/* no account */
	assert_int_equal(client_signin(&p, P_KIOSK, PW), 201);
	/* A person never registers a number themself, even their own. */
	assert_int_equal(register_mobile(&p, P_KIOSK, "+97455169999", &r), 403);
	http_resp_free(&r);
	/* The kiosk's confirmation is the kiosk's. */
	assert_int_equal(post_code(&p, "/api/v1/persons/" P_KIOSK "/mobile/confirm", "123456",
	    &r), 403);
	http_resp_free(&r);
	client_free(&p);
	/* A service account is no person. */
	assert_int_equal(post_code(&svc, "/api/v1/me/mobile/confirm", "123456", &r), 403);
	http_resp_free(&r);
	/* A reviewer does not register their own number. */
	assert_int_equal(register_mobile(&rev, REVIEWER, "+97455169998", &r), 403);
	assert_string_equal(resp_str(&r, "error.code"), "own_number");
	http_resp_free(&r);
	assert_int_equal(register_mobile(&rev, P_KIOSK, "00974 5516", &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "mobile");
	http_resp_free(&r);
	assert_int_equal(register_mobile(&rev, "28535699999", "+97455169997", &r), 404);
	http_resp_free(&r);
	/* Already the verified number. */
	assert_int_equal(register_mobile(&rev, P_KIOSK, "+97455169002", &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "mobile_unchanged");
	http_resp_free(&r);
	b = json_pack("{s:s, s:s}", "mobile", "+97455169996", "verified", "yes");
	assert_int_equal(http_json(&rev, "POST", "/api/v1/persons/" P_KIOSK "/mobile", b, &r),
	    400);
	assert_string_equal(resp_str(&r, "error.field"), "verified");
	http_resp_free(&r);
	json_decref(b);
	assert_int_equal(test_count("SELECT count(*) FROM mobile_verifications"), before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(feed_sets_verified),
		cmocka_unit_test(service_centre_right_and_wrong_code),
		cmocka_unit_test(kiosk_five_wrong_tries_then_new_code),
		cmocka_unit_test(expired_code),
		cmocka_unit_test(unverified_number_gets_no_sms),
		cmocka_unit_test(refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
