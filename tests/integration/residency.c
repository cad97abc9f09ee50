/*
 * A resident's own page (issue 16 §4), GET /api/v1/me/residency, against
 * the real stack: a resident the next execution renews, one rejected for
 * each reason a resident can meet (fines, passport, abroad, sponsorship
 * transferred, the company's cap, its account), an excluded one, one not
 * yet due, one whose company never subscribed, a citizen; each answer the
 * same as the company's preview (the same plan and engine) and the
 * sentence in the person's language; after the execution, its result for
 * them; and nothing of anyone else.
 *
 * Its own companies (161000XX) and persons (...16100-16111),
 * tests/fixtures/residency.json; the execution of 2033-03-08.
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

#define EST		"16100001"
#define EST_NOSUB	"16100002"
#define EST_CAP		"16100003"
#define EST_DEBIT	"16100004"
#define SIG		"27263416100"	/* citizen, signs for all four */
#define R_RENEW		"28535616101"
#define R_FINES		"28581816102"	/* Arabic, QAR 500 of fines */
#define R_PASSPORT	"28535616103"
#define R_ABROAD	"28535616104"
#define R_EXCL		"28535616105"
#define R_NOTDUE	"28535616106"
#define R_NOSUB		"28535616108"
#define R_TRANSF	"28535616109"
#define R_CAP		"28535616110"
#define R_DEBIT		"28535616111"
#define PW		"test-residency-pw"
#define REVIEWER	"28863410006"
#define REVIEWER_PW	"demo-reviewer"

static struct client sig, rev;

static void
subscribe(const char *est, const char *iban, long long cap)
{
	struct http_resp r;
	char path[128];
	json_t *b;

	b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:i}", "iban", iban,
	    "authorizing_qid", SIG, "email", "hr@residency-works.example",
	    "mobile", "+97455166100", "language", "en",
	    "delivery_address", "PO Box 161, Doha", "cap_dirhams", (json_int_t)cap,
	    "duration_years", 1);
	snprintf(path, sizeof(path), "/api/v1/companies/%s/renewal/subscription", est);
	assert_int_equal(http_json(&sig, "POST", path, b, &r), 201);
	snprintf(path, sizeof(path), "/api/v1/backoffice/subscriptions/%s/approve",
	    resp_str(&r, "reference"));
	http_resp_free(&r);
	json_decref(b);
	assert_int_equal(http_status(&rev, "POST", path, NULL), 200);
}

/* qid's page, signed in as qid (a session of its own). */
static json_t *
page_of(const char *qid)
{
	struct client c;
	struct http_resp r;
	json_t *page;

	client_init(&c);
	assert_int_equal(client_signin(&c, qid, PW), 201);
	assert_int_equal(http_json(&c, "GET", "/api/v1/me/residency", NULL, &r), 200);
	page = json_incref(r.json);
	http_resp_free(&r);
	client_free(&c);
	return page;
}

static const char *
str(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	if (b != NULL)
		v = json_object_get(v, b);
	return json_string_value(v);
}

/* The preview's line of qid in est's run on the next execution, or NULL. */
static json_t *
preview_line(const char *est, const char *qid)
{
	struct http_resp r;
	char path[128];
	json_t *it, *found = NULL;
	size_t i;

	snprintf(path, sizeof(path), "/api/v1/companies/%s/renewal/preview?date=2033-03-08",
	    est);
	assert_int_equal(http_json(&sig, "GET", path, NULL, &r), 200);
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		if (strcmp(json_string_value(json_object_get(it, "qid")), qid) == 0)
			found = json_incref(it);
	http_resp_free(&r);
	return found;
}

/* A rejected resident: the reason, the action, the preview's own reason,
 * and the sentence (English unless said). */
static void
check_rejected(const char *qid, const char *est, const char *reason, const char *action,
    const char *sentence)
{
	json_t *p = page_of(qid), *n = json_object_get(p, "next_execution"), *line;

	assert_string_equal(str(p, "qid", NULL), qid);
	assert_string_equal(str(p, "sponsor", "est_id"), est);
	assert_false(json_is_true(json_object_get(n, "included")));
	assert_string_equal(str(n, "outlook", NULL), "NOT_RENEWED");
	assert_string_equal(str(n, "reason", NULL), reason);
	assert_string_equal(str(n, "action", NULL), action);
	assert_string_equal(str(n, "message", NULL), sentence);
	assert_non_null(line = preview_line(est, qid));
	assert_string_equal(str(line, "reason", NULL), reason);
	json_decref(line);
	json_decref(p);
}

static int
setup(void **state)
{
	char cmd[1024];
	json_t *b;
	struct http_resp r;

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s/rb-load %s/tests/fixtures/residency.json >/dev/null",
	    test_env("RB_BIN"), test_env("RB_ROOT"));
	if (system(cmd) != 0)
		return -1;
	test_clock_set("2033-03-02");
	client_init(&sig);
	client_init(&rev);
	if (client_signin(&sig, SIG, PW) != 201 ||
	    client_signin(&rev, REVIEWER, REVIEWER_PW) != 201)
		return -1;
	subscribe(EST, "QA23QNBA000000000000016100001", 50000000);
	subscribe(EST_CAP, "QA66QNBA000000000000016100003", 50000);	/* QAR 500 */
	subscribe(EST_DEBIT, "QA39QNBA000000000000016100004", 50000000);	/* no money */
	b = json_pack("{s:s, s:s}", "qid", R_EXCL, "note", "renews on his own");
	if (http_json(&sig, "POST", "/api/v1/companies/" EST "/exclusions", b, &r) != 201)
		return -1;
	http_resp_free(&r);
	json_decref(b);
	b = json_pack("{s:s, s:[s]}", "qid", R_RENEW, "services", "EXIT_PERMIT");
	if (http_json(&sig, "POST", "/api/v1/companies/" EST "/grants", b, &r) != 201)
		return -1;
	/* A grant works, and is one the resident holds, once accepted (issue
	 * 16 §1). */
	test_grant_accept((long long)json_integer_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 0), "id")), NULL);
	http_resp_free(&r);
	json_decref(b);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&sig);
	client_free(&rev);
	test_clock_set(NULL);
	return 0;
}

/* Renewed at the next execution: the permit, the sponsor, the fee, the
 * new expiry, the grants held; the preview says the same. */
static void
renewed_resident(void **state)
{
	json_t *p = page_of(R_RENEW), *n = json_object_get(p, "next_execution"), *g, *line;

	(void)state;
	assert_string_equal(str(p, "name_en", NULL), "Arun Menon");
	assert_string_equal(str(p, "permit", "expiry"), "2033-03-20");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(p, "permit"),
	    "days_left")), 18);
	assert_string_equal(str(p, "sponsor", "est_id"), EST);
	assert_string_equal(str(p, "sponsor", "name_en"), "Residency Works");
	assert_string_equal(str(n, "date", NULL), "2033-03-08");
	assert_true(json_is_true(json_object_get(n, "included")));
	assert_string_equal(str(n, "outlook", NULL), "RENEWED");
	assert_true(json_is_null(json_object_get(n, "reason")));
	assert_string_equal(str(n, "new_expiry", NULL), "2034-03-20");
	/* QAR 1,000 a year and QAR 20 for the card by post */
	assert_int_equal(json_integer_value(json_object_get(n, "fee_dirhams")), 102000);
	assert_string_equal(str(n, "message", NULL), "Your residence permit will be renewed"
	    " automatically by Residency Works at the execution of 2033-03-08, until"
	    " 2034-03-20.");
	assert_non_null(line = preview_line(EST, R_RENEW));
	assert_string_equal(str(line, "result", NULL), "RENEWED");
	assert_string_equal(str(line, "new_expiry", NULL), "2034-03-20");
	json_decref(line);
	g = json_object_get(p, "grants");
	assert_int_equal(json_array_size(g), 1);
	assert_string_equal(str(json_array_get(g, 0), "service", NULL), "EXIT_PERMIT");
	assert_true(json_is_null(json_object_get(p, "last_execution")));
	assert_true(json_is_true(json_object_get(json_object_get(p, "mobile"), "verified")));
	json_decref(p);
}

/* Each reason a resident meets, with what they can do about it. */
static void
rejected_residents(void **state)
{
	json_t *p;

	(void)state;
	check_rejected(R_FINES, EST, "OUTSTANDING_FINES", "PAY_FINES",
	    "عليك مخالفات مستحقة بقيمة 500.00 ر.ق. سدِّدها قبل 2033-03-08.");
	p = page_of(R_FINES);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(p,
	    "next_execution"), "amount_dirhams")), 50000);
	assert_string_equal(str(p, "language", NULL), "ar");
	json_decref(p);
	check_rejected(R_PASSPORT, EST, "PASSPORT_VALIDITY", "RENEW_PASSPORT",
	    "your passport must stay valid at least 6 months after 2033-03-08. Renew your"
	    " passport before 2033-03-08.");
	check_rejected(R_ABROAD, EST, "PERSON_ABROAD", "RETURN_TO_COUNTRY",
	    "a permit cannot be renewed while its holder is outside Qatar. Be back in"
	    " Qatar by 2033-03-08.");
	check_rejected(R_TRANSF, EST, "PERSON_NOT_ACTIVE", "ASK_NEW_SPONSOR",
	    "Your sponsorship has been transferred, so your new sponsor renews your permit."
	    " Ask your new sponsor.");
	check_rejected(R_CAP, EST_CAP, "CAP_EXCEEDED", "ASK_COMPANY",
	    "the fee would take Low Cap Co over its spending cap. Ask Low Cap Co to raise"
	    " the cap before 2033-03-08.");
	check_rejected(R_DEBIT, EST_DEBIT, "DEBIT_DECLINED", "ASK_COMPANY",
	    "Empty Account Co's bank account cannot pay the fee. Ask Empty Account Co to"
	    " fund it before 2033-03-08.");
}

static void
excluded_resident(void **state)
{
	(void)state;
	check_rejected(R_EXCL, EST, "EXCLUDED", "ASK_COMPANY",
	    "Residency Works has excluded you from automatic renewal. Ask Residency Works"
	    " to renew your permit.");
}

/* Not in the window yet; a company that never subscribed; a citizen. */
static void
not_due_unsubscribed_and_citizen(void **state)
{
	json_t *p, *n;

	(void)state;
	p = page_of(R_NOTDUE);
	n = json_object_get(p, "next_execution");
	assert_string_equal(str(n, "outlook", NULL), "NOT_DUE");
	assert_string_equal(str(n, "due_from", NULL), "2033-08-08");
	assert_true(json_is_null(json_object_get(n, "action")));
	assert_string_equal(str(n, "message", NULL), "Your permit is not due for renewal yet:"
	    " Residency Works will renew it from the execution of 2033-08-08.");
	json_decref(p);

	p = page_of(R_NOSUB);
	n = json_object_get(p, "next_execution");
	assert_string_equal(str(n, "outlook", NULL), "NOT_SUBSCRIBED");
	assert_string_equal(str(n, "action", NULL), "ASK_COMPANY");
	assert_string_equal(str(n, "message", NULL), "Unsubscribed Co has not subscribed to"
	    " automatic renewal. Ask Unsubscribed Co to renew your permit.");
	json_decref(p);

	p = page_of(SIG);
	n = json_object_get(p, "next_execution");
	assert_true(json_is_true(json_object_get(p, "citizen")));
	assert_true(json_is_null(json_object_get(p, "permit")));
	assert_true(json_is_null(json_object_get(p, "sponsor")));
	assert_string_equal(str(n, "outlook", NULL), "NO_PERMIT");
	assert_string_equal(str(n, "message", NULL), "بصفتك مواطنًا لا تحمل تصريح إقامة.");
	json_decref(p);
}

/* Only the signed-in person: a QID in the query changes nothing, the
 * page holds nobody else's name, number or grant; no person, no page. */
static void
nothing_of_anyone_else(void **state)
{
	struct client c;
	struct http_resp r;

	(void)state;
	client_init(&c);
	assert_int_equal(client_signin(&c, R_FINES, PW), 201);
	assert_int_equal(http_json(&c, "GET", "/api/v1/me/residency?qid=" R_RENEW, NULL, &r),
	    200);
	assert_string_equal(resp_str(&r, "qid"), R_FINES);
	assert_null(strstr(r.body, R_RENEW));
	assert_null(strstr(r.body, "Arun Menon"));
	assert_null(strstr(r.body, "EXIT_PERMIT"));
	assert_null(strstr(r.body, "+97455166101"));
	assert_null(strstr(r.body, R_EXCL));
	/* their own number, masked */
	assert_null(strstr(r.body, "+97455166102"));
	http_resp_free(&r);
	client_free(&c);
	client_init(&c);
	assert_int_equal(client_signin(&c, "svc-test", "svc-test-pass"), 201);
	assert_int_equal(http_json(&c, "GET", "/api/v1/me/residency", NULL, &r), 403);
	assert_string_equal(resp_str(&r, "error.code"), "not_a_person");
	http_resp_free(&r);
	client_free(&c);
	client_init(&c);
	assert_int_equal(http_json(&c, "GET", "/api/v1/me/residency", NULL, &r), 401);
	http_resp_free(&r);
	client_free(&c);
}

/* After the execution: its result for each, and the renewed permit. */
static void
after_the_execution(void **state)
{
	json_t *p, *l;

	(void)state;
	test_clock_set("2033-03-08");
	assert_int_equal(test_scheduler_run("execution", "2033-03-08"), 0);
	p = page_of(R_RENEW);
	l = json_object_get(p, "last_execution");
	assert_string_equal(str(l, "date", NULL), "2033-03-08");
	assert_string_equal(str(l, "result", NULL), "RENEWED");
	assert_string_equal(str(l, "new_expiry", NULL), "2034-03-20");
	assert_string_equal(str(l, "est_id", NULL), EST);
	assert_string_equal(str(p, "permit", "expiry"), "2034-03-20");
	assert_string_equal(str(p, "next_execution", "outlook"), "NOT_DUE");
	json_decref(p);
	p = page_of(R_FINES);
	l = json_object_get(p, "last_execution");
	assert_string_equal(str(l, "result", NULL), "REJECTED");
	assert_string_equal(str(l, "reason", NULL), "OUTSTANDING_FINES");
	json_decref(p);
	p = page_of(R_EXCL);
	assert_string_equal(str(p, "last_execution", "result"), "EXCLUDED");
	json_decref(p);
	p = page_of(R_NOTDUE);
	assert_true(json_is_null(json_object_get(p, "last_execution")));
	json_decref(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(renewed_resident),
		cmocka_unit_test(rejected_residents),
		cmocka_unit_test(excluded_resident),
		cmocka_unit_test(not_due_unsubscribed_and_citizen),
		cmocka_unit_test(nothing_of_anyone_else),
		cmocka_unit_test(after_the_execution),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
