/* GET /api/v1/authorize: every rule that allows or denies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"
#include "tests/lib/signin.h"

static struct client svc, sig;
static const struct signin signins[] = {
	{ &svc, "svc-visa", "demo-service" },
	{ &sig, "27263410001", "demo-signatory" },
};

static int
setup(void **state)
{
	(void)state;
	return signin_setup(signins, SIGNIN_N(signins));
}

/* Moves the server's clock; sessions would idle out across the jump, so
 * both clients sign in again at the new time. */
static void
travel(const char *instant)
{
	test_clock_set(instant);
	assert_int_equal(client_signin(&svc, "svc-visa", "demo-service"), 201);
	assert_int_equal(client_signin(&sig, "27263410001", "demo-signatory"), 201);
}

static int
teardown(void **state)
{
	(void)state;
	signin_teardown(signins, SIGNIN_N(signins));
	return 0;
}

/* Asks as c; checks allowed and rule; returns the grant id (0 if null). */
static long long
ask(struct client *c, const char *qid, const char *est, const char *service,
    int allowed, const char *rule)
{
	struct http_resp r;
	char path[160];
	long long id;

	snprintf(path, sizeof(path), "/api/v1/authorize?qid=%s&est_id=%s&service=%s",
	    qid, est, service);
	assert_int_equal(http_json(c, "GET", path, NULL, &r), 200);
	assert_int_equal(json_is_true(json_object_get(r.json, "allowed")), allowed);
	assert_string_equal(resp_str(&r, "rule"), rule);
	/* Every answer says the revision of the change feed it was decided at. */
	assert_true(resp_str(&r, "revision") != NULL && resp_str(&r, "revision")[0] != '\0');
	id = json_integer_value(json_object_get(r.json, "grant_id"));
	http_resp_free(&r);
	return id;
}

/* Grants service to qid at 10000001, accepted by the representative
 * (issue 16 §1; it_grant_acceptance covers the offer itself). */
static void
grant_one(const char *qid, const char *service, const char *until)
{
	json_t *b = json_pack("{s:s, s:[s]}", "qid", qid, "services", service);
	struct http_resp r;

	if (until)
		json_object_set_new(b, "valid_until", json_string(until));
	assert_int_equal(http_json(&sig, "POST", "/api/v1/companies/10000001/grants",
	    b, &r), 201);
	test_grant_accept(json_integer_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 0), "id")), NULL);
	http_resp_free(&r);
	json_decref(b);
}

static void
signatory_is_allowed_everything_for_own_company(void **state)
{
	(void)state;
	assert_int_equal(ask(&svc, "27263410001", "10000001", "VISA_CANCEL", 1,
	    "signatory"), 0);
	assert_int_equal(ask(&svc, "27263410001", "10000002", "RP_RENEW", 1,
	    "signatory"), 0);
	ask(&svc, "27263410001", "10000003", "RP_RENEW", 0, "no_grant");
}

static void
grant_allows_only_its_service(void **state)
{
	long long id;

	(void)state;
	grant_one("29935600206", "RP_RENEW", NULL);
	id = ask(&svc, "29935600206", "10000001", "RP_RENEW", 1, "grant");
	assert_true(id > 0);
	ask(&svc, "29935600206", "10000001", "EXIT_PERMIT", 0, "no_grant");
	ask(&svc, "29935600206", "10000002", "RP_RENEW", 0, "no_grant");
}

static void
revoked_grant_denies(void **state)
{
	char path[96];
	long long id;

	(void)state;
	grant_one("29935600207", "EXIT_PERMIT", NULL);
	id = ask(&svc, "29935600207", "10000001", "EXIT_PERMIT", 1, "grant");
	snprintf(path, sizeof(path), "/api/v1/companies/10000001/grants/%lld", id);
	assert_int_equal(http_status(&sig, "DELETE", path, NULL), 200);
	assert_int_equal(ask(&svc, "29935600207", "10000001", "EXIT_PERMIT", 0,
	    "grant_revoked"), id);
}

static void
expired_grant_denies(void **state)
{
	long long id;

	(void)state;
	travel("2027-01-10");
	grant_one("29935600208", "TRAVEL_NOTICE", "2027-01-31");
	id = ask(&svc, "29935600208", "10000001", "TRAVEL_NOTICE", 1, "grant");
	/* The end date is the last day it authorizes. */
	travel("2027-01-31T20:59:00Z");
	ask(&svc, "29935600208", "10000001", "TRAVEL_NOTICE", 1, "grant");
	travel("2027-01-31T21:00:00Z");	/* 2027-02-01 in Qatar */
	assert_int_equal(ask(&svc, "29935600208", "10000001", "TRAVEL_NOTICE", 0,
	    "grant_expired"), id);
	/* An expired grant can be given again; it supersedes the old one. */
	grant_one("29935600208", "TRAVEL_NOTICE", NULL);
	assert_int_not_equal(ask(&svc, "29935600208", "10000001", "TRAVEL_NOTICE", 1,
	    "grant"), id);
	travel(NULL);
}

static void
inactive_person_is_denied(void **state)
{
	json_t *b = json_pack("{s:s}", "status", "sponsorship_transferred");

	(void)state;
	grant_one("29935600205", "VEHICLE_RENEW", NULL);
	ask(&svc, "29935600205", "10000001", "VEHICLE_RENEW", 1, "grant");
	assert_int_equal(http_status(&svc, "POST", "/api/v1/persons/29935600205/status",
	    b), 200);
	ask(&svc, "29935600205", "10000001", "VEHICLE_RENEW", 0, "person_not_active");
	json_decref(b);
}

static void
who_may_ask(void **state)
{
	struct client rep, rev;
	struct http_resp r;

	(void)state;
	client_init(&rep);
	assert_int_equal(client_signin(&rep, "29935600201", "test-pass-201"), 201);
	/* A person may ask about themself only. */
	ask(&rep, "29935600201", "10000001", "RP_RENEW", 0, "no_grant");
	assert_int_equal(http_json(&rep, "GET", "/api/v1/authorize?qid=27263410001"
	    "&est_id=10000001&service=RP_RENEW", NULL, &r), 403);
	http_resp_free(&r);
	client_free(&rep);
	client_init(&rev);
	assert_int_equal(client_signin(&rev, "28863410006", "demo-reviewer"), 201);
	ask(&rev, "27263410001", "10000001", "RP_RENEW", 1, "signatory");
	client_free(&rev);
	client_init(&rep);
	assert_int_equal(http_status(&rep, "GET", "/api/v1/authorize?qid=27263410001"
	    "&est_id=10000001&service=RP_RENEW", NULL), 401);
	client_free(&rep);
}

static void
bad_questions(void **state)
{
	static const struct {
		const char *query, *field;
		long status;
	} cases[] = {
		{ "qid=2726341000&est_id=10000001&service=RP_RENEW", "qid", 400 },
		{ "qid=27263410001&est_id=1000001&service=RP_RENEW", "est_id", 400 },
		{ "qid=27263410001&est_id=10000001&service=rp_renew", "service", 400 },
		{ "qid=27263410001&est_id=10000001&service=NO_SUCH", "service", 400 },
		{ "qid=27263410001&est_id=10000001", "service", 400 },
		{ "qid=27263410001&est_id=10000001&service=%ZZ", "service", 400 },
		{ "qid=29935699999&est_id=10000001&service=RP_RENEW", "qid", 404 },
		{ "qid=27263410001&est_id=99999999&service=RP_RENEW", "est_id", 404 },
	};
	struct http_resp r;
	char path[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/authorize?%s", cases[i].query);
		assert_int_equal(http_json(&svc, "GET", path, NULL, &r), cases[i].status);
		assert_string_equal(resp_str(&r, "error.field"), cases[i].field);
		http_resp_free(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signatory_is_allowed_everything_for_own_company),
		cmocka_unit_test(grant_allows_only_its_service),
		cmocka_unit_test(revoked_grant_denies),
		cmocka_unit_test(expired_grant_denies),
		cmocka_unit_test(inactive_person_is_denied),
		cmocka_unit_test(who_may_ask),
		cmocka_unit_test(bad_questions),
	};

	return cmocka_run_group_tests_name("authorize", tests, setup, teardown);
}
