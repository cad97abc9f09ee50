/*
 * Time in the authorization check (issue 13 §3): start-dated grants
 * (valid_from) by the injectable clock, and point-in-time answers (at=)
 * from the history: before a grant, during it, after its revocation, with
 * valid_from and valid_until, and across a status change.
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
#include "tests/lib/signin.h"

#define REP_FROM	"28435610011"	/* employee of 10000001 */
#define REP_AT		"28681810013"	/* employee of 10000001 */
/* A company and person of this file only, for the status change. */
#define CO_STATUS	"19000013"
#define P_STATUS	"29935697101"

static struct client svc, sig;
static const struct signin signins[] = {
	{ &svc, NULL, NULL },
	{ &sig, NULL, NULL },
};

/* Runs SQL as the owner (this file's own rows); fails the test if refused. */
static void
sql_ok(const char *sql)
{
	char *v = test_sql(sql);

	assert_non_null(v);
	free(v);
}

static int
setup(void **state)
{
	(void)state;
	/* Dates are this test's subject, not acceptance (it_grant_acceptance):
	 * its services are ones the ministry exempted, granted at once. */
	free(test_sql("INSERT INTO grant_acceptance_exempt (service, reason, decided_by)"
	    " SELECT code, 'authorize_time test', '28863410006' FROM services WHERE code IN"
	    " ('ENTRY_VISA', 'EXIT_PERMIT', 'RP_ISSUE', 'TRAVEL_NOTICE', 'VISA_CANCEL')"
	    " ON CONFLICT DO NOTHING"));
	return signin_setup(signins, SIGNIN_N(signins));
}

static int
teardown(void **state)
{
	(void)state;
	test_clock_set(NULL);
	free(test_sql("DELETE FROM grant_acceptance_exempt WHERE reason = 'authorize_time test'"));
	signin_teardown(signins, SIGNIN_N(signins));
	return 0;
}

/* Moves the clock; both clients sign in again at the new time. */
static void
travel(const char *instant)
{
	test_clock_set(instant);
	assert_int_equal(client_signin(&svc, "svc-visa", "demo-service"), 201);
	assert_int_equal(client_signin(&sig, "27263410001", "demo-signatory"), 201);
}

/* Asks as the service, at instant at (NULL: now); checks allowed and
 * rule, and that a point in time is echoed; returns the grant id. */
static long long
ask_at(const char *qid, const char *est, const char *service, const char *at,
    int allowed, const char *rule)
{
	struct http_resp r;
	char path[200];
	long long id;

	snprintf(path, sizeof(path), "/api/v1/authorize?qid=%s&est_id=%s&service=%s%s%s",
	    qid, est, service, at ? "&at=" : "", at ? at : "");
	assert_int_equal(http_json(&svc, "GET", path, NULL, &r), 200);
	assert_int_equal(json_is_true(json_object_get(r.json, "allowed")), allowed);
	assert_string_equal(resp_str(&r, "rule"), rule);
	if (at != NULL)
		assert_string_equal(resp_str(&r, "at"), at);
	else
		assert_null(json_object_get(r.json, "at"));
	id = json_integer_value(json_object_get(r.json, "grant_id"));
	http_resp_free(&r);
	return id;
}

/* Grants one service of 10000001; returns the new grant's id. */
static long long
grant_dated(const char *qid, const char *service, const char *from,
    const char *until, const char *state)
{
	struct http_resp r;
	json_t *b = json_pack("{s:s, s:[s]}", "qid", qid, "services", service), *it;
	long long id;

	if (from)
		json_object_set_new(b, "valid_from", json_string(from));
	if (until)
		json_object_set_new(b, "valid_until", json_string(until));
	assert_int_equal(http_json(&sig, "POST", "/api/v1/companies/10000001/grants",
	    b, &r), 201);
	it = json_array_get(json_object_get(r.json, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(it, "state")), state);
	if (from)
		assert_string_equal(json_string_value(json_object_get(it, "valid_from")), from);
	else
		assert_true(json_is_null(json_object_get(it, "valid_from")));
	id = json_integer_value(json_object_get(it, "id"));
	http_resp_free(&r);
	json_decref(b);
	return id;
}

static void
revoke(long long id)
{
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/companies/10000001/grants/%lld", id);
	assert_int_equal(http_status(&sig, "DELETE", path, NULL), 200);
}

/* live_grants() (sql/014) on day agrees with the check. */
static void
live_on(long long id, const char *day, long want)
{
	assert_int_equal(test_count("SELECT count(*) FROM live_grants('%s', '{active}')"
	    " WHERE id = %lld", day, id), want);
}

/* The company's list shows the grant with its start and state. */
static void
listed_as(long long id, const char *from, const char *state)
{
	struct http_resp r;
	json_t *it;
	size_t i;
	int seen = 0;

	assert_int_equal(http_json(&sig, "GET", "/api/v1/companies/10000001/grants"
	    "?qid=" REP_FROM "&limit=500", NULL, &r), 200);
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		if (json_integer_value(json_object_get(it, "id")) == id) {
			assert_string_equal(json_string_value(json_object_get(it,
			    "valid_from")), from);
			assert_string_equal(json_string_value(json_object_get(it,
			    "state")), state);
			seen = 1;
		}
	assert_true(seen);
	http_resp_free(&r);
}

static void
start_dated_grant_waits_for_its_day(void **state)
{
	long long id;

	(void)state;
	travel("2027-04-01T08:00:00Z");
	id = grant_dated(REP_FROM, "TRAVEL_NOTICE", "2027-04-10", "2027-04-20", "scheduled");
	assert_int_equal(ask_at(REP_FROM, "10000001", "TRAVEL_NOTICE", NULL, 0,
	    "grant_not_yet_valid"), id);
	listed_as(id, "2027-04-10", "scheduled");
	/* The SMS says from when (rendered in tests/unit/catalog.c). */
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE qid = '%s'"
	    " AND template = 'sms.grant.created_from_until'"
	    " AND params->>'valid_from' = '2027-04-10'"
	    " AND params->>'valid_until' = '2027-04-20'", REP_FROM), 1);
	live_on(id, "2027-04-09", 0);
	live_on(id, "2027-04-10", 1);
	live_on(id, "2027-04-20", 1);
	live_on(id, "2027-04-21", 0);
	/* A second grant of the service cannot queue behind it. */
	{
		json_t *b = json_pack("{s:s, s:[s]}", "qid", REP_FROM, "services",
		    "TRAVEL_NOTICE");

		assert_int_equal(http_status(&sig, "POST",
		    "/api/v1/companies/10000001/grants", b), 409);
		json_decref(b);
	}
	travel("2027-04-09T20:59:59Z");	/* still the 9th in Qatar */
	ask_at(REP_FROM, "10000001", "TRAVEL_NOTICE", NULL, 0, "grant_not_yet_valid");
	travel("2027-04-09T21:00:00Z");	/* the 10th in Qatar */
	assert_int_equal(ask_at(REP_FROM, "10000001", "TRAVEL_NOTICE", NULL, 1,
	    "grant"), id);
	listed_as(id, "2027-04-10", "active");
	travel("2027-04-20T21:00:00Z");
	ask_at(REP_FROM, "10000001", "TRAVEL_NOTICE", NULL, 0, "grant_expired");
	/* A start date today is an ordinary grant. */
	id = grant_dated(REP_FROM, "TRAVEL_NOTICE", "2027-04-21", NULL, "active");
	assert_int_equal(ask_at(REP_FROM, "10000001", "TRAVEL_NOTICE", NULL, 1,
	    "grant"), id);
	revoke(id);
}

static void
point_in_time_follows_the_history(void **state)
{
	struct http_resp r;
	long long id, dated;

	(void)state;
	travel("2027-05-01T08:00:00Z");
	id = grant_dated(REP_AT, "EXIT_PERMIT", NULL, NULL, "active");
	travel("2027-05-03T08:00:00Z");
	revoke(id);
	travel("2027-05-10T08:00:00Z");
	dated = grant_dated(REP_AT, "ENTRY_VISA", "2027-05-12", "2027-05-14", "scheduled");
	travel("2027-05-20T08:00:00Z");

	/* Before the grant, during it, after its revocation, and now; then
	 * the start-dated one: granted, not started; started; ended. */
	static const struct {
		const char *service, *at;
		int allowed;
		const char *rule;
		int which;	/* the grant named: 0 none, 1 id, 2 dated */
	} cases[] = {
		{ "EXIT_PERMIT", "2027-05-01T07:59:59Z", 0, "no_grant", 0 },
		{ "EXIT_PERMIT", "2027-05-01T08:00:00Z", 1, "grant", 1 },
		{ "EXIT_PERMIT", "2027-05-02T10:00:00Z", 1, "grant", 1 },
		{ "EXIT_PERMIT", "2027-05-03T08:00:00Z", 0, "grant_revoked", 1 },
		{ "EXIT_PERMIT", NULL, 0, "grant_revoked", 1 },
		{ "ENTRY_VISA", "2027-05-09T08:00:00Z", 0, "no_grant", 0 },
		{ "ENTRY_VISA", "2027-05-11T08:00:00Z", 0, "grant_not_yet_valid", 2 },
		{ "ENTRY_VISA", "2027-05-13T08:00:00Z", 1, "grant", 2 },
		{ "ENTRY_VISA", "2027-05-14T20:59:59Z", 1, "grant", 2 },
		{ "ENTRY_VISA", "2027-05-14T21:00:00Z", 0, "grant_expired", 2 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(ask_at(REP_AT, "10000001", cases[i].service, cases[i].at,
		    cases[i].allowed, cases[i].rule),
		    cases[i].which == 0 ? 0 : cases[i].which == 1 ? id : dated);
	/* A signatory then, as now. */
	ask_at("27263410001", "10000001", "VISA_CANCEL", "2027-05-02T10:00:00Z", 1,
	    "signatory");

	/* The future is not history; a malformed instant is refused. */
	assert_int_equal(http_json(&svc, "GET", "/api/v1/authorize?qid=" REP_AT
	    "&est_id=10000001&service=EXIT_PERMIT&at=2027-05-21T08:00:00Z", NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "at");
	http_resp_free(&r);
	assert_int_equal(http_json(&svc, "GET", "/api/v1/authorize?qid=" REP_AT
	    "&est_id=10000001&service=EXIT_PERMIT&at=yesterday", NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "at");
	http_resp_free(&r);
	revoke(dated);
}

static void
point_in_time_reads_the_status_then(void **state)
{
	struct http_resp r;
	json_t *b;
	long long id;

	(void)state;
	sql_ok((
	    "INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES"
	    " ('" CO_STATUS "', 'شركة اختبار الزمن', 'Time Test Co', 'hr@time.example', 'en');"
	    "INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile,"
	    " language, in_country, status, permit_expiry) VALUES ('" P_STATUS "',"
	    " 'نادر سليم', 'Nader Salim', 'JOR', false, '+97455971010', 'en', true,"
	    " 'active', '2030-01-01');"
	    "INSERT INTO employment (qid, est_id, since) VALUES"
	    " ('" P_STATUS "', '" CO_STATUS "', '2027-01-01');"
	    "INSERT INTO grants (est_id, qid, service, granted_by, basis_employment_id,"
	    " granted_at) SELECT '" CO_STATUS "', '" P_STATUS "', 'RP_ISSUE',"
	    " '27263410001', id, '2027-06-01T08:00:00Z' FROM employment"
	    " WHERE qid = '" P_STATUS "'"));
	id = test_count("SELECT id FROM grants WHERE qid = '%s'", P_STATUS);
	travel("2027-06-05T08:00:00Z");
	b = json_pack("{s:s}", "status", "sponsorship_transferred");
	assert_int_equal(http_json(&svc, "POST", "/api/v1/persons/" P_STATUS "/status",
	    b, &r), 200);
	http_resp_free(&r);
	json_decref(b);
	travel("2027-06-10T08:00:00Z");
	/* Before the change the person was active and held the grant. */
	assert_int_equal(ask_at(P_STATUS, CO_STATUS, "RP_ISSUE", "2027-06-03T08:00:00Z",
	    1, "grant"), id);
	ask_at(P_STATUS, CO_STATUS, "RP_ISSUE", "2027-06-06T08:00:00Z", 0,
	    "person_not_active");
	ask_at(P_STATUS, CO_STATUS, "RP_ISSUE", NULL, 0, "person_not_active");
	sql_ok(("DELETE FROM grants WHERE qid = '" P_STATUS "';"
	    "DELETE FROM employment WHERE qid = '" P_STATUS "';"
	    "DELETE FROM persons WHERE qid = '" P_STATUS "';"
	    "DELETE FROM companies WHERE est_id = '" CO_STATUS "'"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(start_dated_grant_waits_for_its_day),
		cmocka_unit_test(point_in_time_follows_the_history),
		cmocka_unit_test(point_in_time_reads_the_status_then),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
