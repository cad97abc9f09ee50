/*
 * A representative accepts a grant before it works (issue 16 §1), through
 * nginx against the real servers: the offer and its SMS, accept, decline,
 * withdraw, the lapse of an unanswered offer by the injectable clock, a
 * service the ministry exempted, and the /authorize answer (its rule) at
 * each step, asked many times over so that every worker answers.
 *
 * The representatives are fixture persons no other test grants to
 * (29935600202, 29935600203, employees of 10000001 with accounts).
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

#define CO		"10000001"
#define SIGNATORY	"27263410001"
#define REP		"29935600202"
#define REP_PW		"test-pass-202"
#define REP2		"29935600203"
#define REP2_PW		"test-pass-203"
#define OTHER		"28560810004"	/* Maria: signs in, holds none of these */

/* Checks per step: with 4 workers of 8 threads, every worker takes some. */
#define EVERY_WORKER	40

static struct client svc, sig;

static void
reset(void)
{
	free(test_sql("DELETE FROM grants WHERE qid IN ('" REP "', '" REP2 "');"
	    "DELETE FROM grant_acceptance_exempt WHERE reason = 'read-only'; SELECT 1"));
}

static int
setup(void **state)
{
	(void)state;
	test_clock_set("2026-12-10T08:00:00Z");
	reset();
	client_init(&svc);
	client_init(&sig);
	if (client_signin(&svc, "svc-visa", "demo-service") != 201 ||
	    client_signin(&sig, SIGNATORY, "demo-signatory") != 201)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&svc);
	client_free(&sig);
	reset();
	test_clock_set(NULL);
	return 0;
}

/* Offers service to qid at CO; the grant's item (the caller frees it). */
static json_t *
offer(const char *qid, const char *service)
{
	json_t *b = json_pack("{s:s, s:[s]}", "qid", qid, "services", service), *it;
	struct http_resp r;

	assert_int_equal(http_json(&sig, "POST", "/api/v1/companies/" CO "/grants", b, &r),
	    201);
	it = json_incref(json_array_get(json_object_get(r.json, "items"), 0));
	assert_non_null(it);
	http_resp_free(&r);
	json_decref(b);
	return it;
}

static long long
item_id(json_t *it)
{
	return json_integer_value(json_object_get(it, "id"));
}

static const char *
jstr(json_t *j, const char *k)
{
	const char *s = json_string_value(json_object_get(j, k));

	return s ? s : "";
}

/* /authorize, without a token (minimize_latency), EVERY_WORKER times: each
 * answer is rule, and names grant id. A write's answer came back before
 * this is called, so no worker may still answer from before it. */
static void
rule_everywhere(const char *qid, const char *service, const char *rule, long long id)
{
	struct http_resp r;
	char path[160];
	int i;

	snprintf(path, sizeof(path), "/api/v1/authorize?qid=%s&est_id=" CO "&service=%s",
	    qid, service);
	for (i = 0; i < EVERY_WORKER; i++) {
		assert_int_equal(http_json(&svc, "GET", path, NULL, &r), 200);
		assert_string_equal(resp_str(&r, "rule"), rule);
		assert_int_equal(json_is_true(json_object_get(r.json, "allowed")),
		    strcmp(rule, "grant") == 0);
		assert_int_equal(json_integer_value(json_object_get(r.json, "grant_id")), id);
		http_resp_free(&r);
	}
	/* PostgreSQL says the same. */
	snprintf(path, sizeof(path), "/api/v1/authorize?qid=%s&est_id=" CO "&service=%s"
	    "&consistency=fully_consistent", qid, service);
	assert_int_equal(http_json(&svc, "GET", path, NULL, &r), 200);
	assert_string_equal(resp_str(&r, "rule"), rule);
	http_resp_free(&r);
}

/* The grant's row in the signatory's list: state and acceptance. */
static void
listed_as(long long id, const char *state, const char *acceptance)
{
	struct http_resp r;
	json_t *items, *it;
	size_t i;
	int found = 0;

	assert_int_equal(http_json(&sig, "GET", "/api/v1/companies/" CO "/grants"
	    "?include_revoked=true&limit=200", NULL, &r), 200);
	items = json_object_get(r.json, "items");
	json_array_foreach(items, i, it)
		if (json_integer_value(json_object_get(it, "id")) == id) {
			assert_string_equal(jstr(it, "state"), state);
			assert_string_equal(jstr(it, "acceptance"), acceptance);
			found = 1;
		}
	assert_true(found);
	http_resp_free(&r);
}

/* POST /me/grants/{id}/<what> as c; the status. */
static long
answer(struct client *c, long long id, const char *what, struct http_resp *r)
{
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/me/grants/%lld/%s", id, what);
	return http_json(c, "POST", path, NULL, r);
}

static void
offer_is_pending_until_accepted(void **state)
{
	struct client rep, other;
	struct http_resp r;
	json_t *it, *mine;
	long long id;
	long audits;

	(void)state;
	it = offer(REP, "RP_RENEW");
	id = item_id(it);
	assert_string_equal(jstr(it, "state"), "pending");
	assert_string_equal(jstr(it, "acceptance"), "pending");
	/* Seven days to answer, the offer's day included. */
	assert_string_equal(jstr(it, "answer_by"), "2026-12-17");
	json_decref(it);
	rule_everywhere(REP, "RP_RENEW", "grant_pending", id);
	listed_as(id, "pending", "pending");
	/* The representative is asked by SMS, naming who offers it. */
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE qid = '" REP "'"
	    " AND template = 'sms.grant.offered' AND params->>'answer_by' = '2026-12-17'"
	    " AND params->>'grantor_en' = (SELECT name_en FROM persons WHERE qid = '"
	    SIGNATORY "')"), 1);
	/* A pending grant gives no access to the company's pages either. */
	assert_int_equal(test_count("SELECT count(*) FROM live_grants('2026-12-10', '{active}')"
	    " WHERE id = %lld", id), 0);

	client_init(&rep);
	assert_int_equal(client_signin(&rep, REP, REP_PW), 201);
	assert_int_equal(http_json(&rep, "GET", "/api/v1/me/grants", NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	mine = json_array_get(json_object_get(r.json, "items"), 0);
	assert_int_equal(item_id(mine), id);
	assert_string_equal(jstr(mine, "state"), "pending");
	assert_string_equal(jstr(mine, "est_id"), CO);
	assert_string_equal(jstr(mine, "granted_by"), SIGNATORY);
	assert_string_equal(jstr(mine, "answer_by"), "2026-12-17");
	http_resp_free(&r);

	/* Someone else cannot answer it, nor learn that it exists. */
	client_init(&other);
	assert_int_equal(client_signin(&other, OTHER, "demo-rep"), 201);
	assert_int_equal(answer(&other, id, "accept", &r), 404);
	assert_string_equal(resp_str(&r, "error.code"), "unknown_grant");
	http_resp_free(&r);
	assert_int_equal(http_json(&other, "GET", "/api/v1/me/grants", NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
	http_resp_free(&r);
	client_free(&other);
	rule_everywhere(REP, "RP_RENEW", "grant_pending", id);

	audits = test_count("SELECT count(*) FROM audit_log WHERE action = 'grant.accept'"
	    " AND target = 'grant:%lld' AND actor = '" REP "'", id);
	assert_int_equal(answer(&rep, id, "accept", &r), 200);
	assert_string_equal(resp_str(&r, "acceptance"), "accepted");
	assert_true(resp_str(&r, "revision") != NULL);
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE action ="
	    " 'grant.accept' AND target = 'grant:%lld' AND actor = '" REP "'", id), audits + 1);
	rule_everywhere(REP, "RP_RENEW", "grant", id);
	listed_as(id, "active", "accepted");
	/* Once is enough. */
	assert_int_equal(answer(&rep, id, "accept", &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "not_pending");
	http_resp_free(&r);
	assert_int_equal(answer(&rep, id, "decline", &r), 409);
	http_resp_free(&r);
	/* Now the signatory's DELETE revokes: it had worked. */
	{
		char path[96];

		snprintf(path, sizeof(path), "/api/v1/companies/" CO "/grants/%lld", id);
		assert_int_equal(http_json(&sig, "DELETE", path, NULL, &r), 200);
		assert_string_equal(resp_str(&r, "state"), "revoked");
		assert_string_equal(resp_str(&r, "revoke_reason"), "revoked_by_signatory");
		http_resp_free(&r);
	}
	rule_everywhere(REP, "RP_RENEW", "grant_revoked", id);
	client_free(&rep);
}

static void
declined_offer_never_works(void **state)
{
	struct client rep;
	struct http_resp r;
	json_t *it;
	long long id, again;

	(void)state;
	it = offer(REP, "EXIT_PERMIT");
	id = item_id(it);
	json_decref(it);
	client_init(&rep);
	assert_int_equal(client_signin(&rep, REP, REP_PW), 201);
	assert_int_equal(answer(&rep, id, "decline", &r), 200);
	assert_string_equal(resp_str(&r, "acceptance"), "declined");
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE action ="
	    " 'grant.decline' AND target = 'grant:%lld'", id), 1);
	assert_int_equal(test_count("SELECT count(*) FROM grants WHERE id = %lld AND"
	    " revoke_reason = 'declined' AND revoked_by = '" REP "'", id), 1);
	rule_everywhere(REP, "EXIT_PERMIT", "grant_revoked", id);
	listed_as(id, "declined", "declined");
	/* Declining told nobody by SMS: the representative did it. */
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE qid = '" REP "'"
	    " AND template LIKE 'sms.grant.revoked%%' AND params->>'reason' = 'declined'"), 0);
	assert_int_equal(answer(&rep, id, "accept", &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "not_pending");
	http_resp_free(&r);
	/* The slot is free: the signatory may offer it again. */
	it = offer(REP, "EXIT_PERMIT");
	again = item_id(it);
	assert_true(again != id);
	json_decref(it);
	rule_everywhere(REP, "EXIT_PERMIT", "grant_pending", again);
	client_free(&rep);
}

static void
signatory_withdraws_a_pending_offer(void **state)
{
	struct client rep;
	struct http_resp r;
	char path[96];
	json_t *it;
	long long id;

	(void)state;
	it = offer(REP, "VISA_CANCEL");
	id = item_id(it);
	json_decref(it);
	snprintf(path, sizeof(path), "/api/v1/companies/" CO "/grants/%lld", id);
	assert_int_equal(http_json(&sig, "DELETE", path, NULL, &r), 200);
	assert_string_equal(resp_str(&r, "state"), "withdrawn");
	assert_string_equal(resp_str(&r, "revoke_reason"), "withdrawn");
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE action ="
	    " 'grant.revoke' AND target = 'grant:%lld' AND detail::json->>'reason' ="
	    " 'withdrawn'", id), 1);
	rule_everywhere(REP, "VISA_CANCEL", "grant_revoked", id);
	listed_as(id, "withdrawn", "withdrawn");
	/* The representative, told of the offer, is told of its withdrawal. */
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE qid = '" REP "'"
	    " AND template = 'sms.grant.revoked' AND params->>'reason' = 'withdrawn'"), 1);
	client_init(&rep);
	assert_int_equal(client_signin(&rep, REP, REP_PW), 201);
	assert_int_equal(answer(&rep, id, "accept", &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "not_pending");
	http_resp_free(&r);
	assert_int_equal(http_json(&sig, "DELETE", path, NULL, &r), 409);
	http_resp_free(&r);
	client_free(&rep);
}

/* Moves the clock; sessions would idle out across the jump. */
static void
travel(const char *instant)
{
	test_clock_set(instant);
	assert_int_equal(client_signin(&svc, "svc-visa", "demo-service"), 201);
	assert_int_equal(client_signin(&sig, SIGNATORY, "demo-signatory"), 201);
}

static void
unanswered_offer_lapses_by_the_clock(void **state)
{
	struct client rep;
	struct http_resp r;
	json_t *it;
	long long id, again;

	(void)state;
	travel("2026-12-10T08:00:00Z");
	it = offer(REP2, "RP_RENEW");
	id = item_id(it);
	json_decref(it);
	/* Its last day, to the end of it in Qatar (UTC+3). */
	travel("2026-12-17T20:59:00Z");
	rule_everywhere(REP2, "RP_RENEW", "grant_pending", id);
	travel("2026-12-17T21:00:00Z");
	rule_everywhere(REP2, "RP_RENEW", "grant_offer_expired", id);
	listed_as(id, "expired", "expired");
	/* The lapse wrote no change: the index compares the day itself. */
	assert_int_equal(test_count("SELECT count(*) FROM decision_changes WHERE kind LIKE"
	    " 'grant%%' AND grant_id = %lld", id), 1);
	client_init(&rep);
	assert_int_equal(client_signin(&rep, REP2, REP2_PW), 201);
	assert_int_equal(answer(&rep, id, "accept", &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "offer_expired");
	http_resp_free(&r);
	/* A new offer takes the lapsed one's place. */
	it = offer(REP2, "RP_RENEW");
	again = item_id(it);
	assert_string_equal(jstr(it, "answer_by"), "2026-12-25");
	json_decref(it);
	assert_int_equal(test_count("SELECT count(*) FROM grants WHERE id = %lld AND"
	    " revoke_reason = 'superseded'", id), 1);
	rule_everywhere(REP2, "RP_RENEW", "grant_pending", again);
	assert_int_equal(answer(&rep, again, "accept", &r), 200);
	http_resp_free(&r);
	rule_everywhere(REP2, "RP_RENEW", "grant", again);
	client_free(&rep);
	travel("2026-12-10T08:00:00Z");
}

static void
exempt_service_needs_no_acceptance(void **state)
{
	json_t *it;
	long long id;

	(void)state;
	free(test_sql("INSERT INTO grant_acceptance_exempt (service, reason, decided_by)"
	    " VALUES ('STATEMENTS_VIEW', 'read-only', '28863410006')"));
	it = offer(REP2, "STATEMENTS_VIEW");
	id = item_id(it);
	assert_string_equal(jstr(it, "state"), "active");
	assert_string_equal(jstr(it, "acceptance"), "accepted");
	assert_true(json_is_null(json_object_get(it, "answer_by")) ||
	    json_object_get(it, "answer_by") == NULL);
	json_decref(it);
	rule_everywhere(REP2, "STATEMENTS_VIEW", "grant", id);
	listed_as(id, "active", "accepted");
	/* Its SMS says it works, as before acceptance existed. */
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE qid = '" REP2 "'"
	    " AND template = 'sms.grant.created' AND params->>'service_en' ="
	    " (SELECT name_en FROM services WHERE code = 'STATEMENTS_VIEW')"), 1);
	/* Only that service: another one of the same request would be offered. */
	it = offer(REP2, "EXIT_PERMIT");
	assert_string_equal(jstr(it, "state"), "pending");
	json_decref(it);
}

/* A point-in-time check sees the grant pending before its acceptance. */
static void
history_knows_when_it_was_accepted(void **state)
{
	struct client rep;
	struct http_resp r;
	char path[200];
	json_t *it;
	long long id;

	(void)state;
	travel("2026-12-10T08:00:00Z");
	it = offer(REP2, "VISA_CANCEL");
	id = item_id(it);
	json_decref(it);
	travel("2026-12-11T08:00:00Z");
	client_init(&rep);
	assert_int_equal(client_signin(&rep, REP2, REP2_PW), 201);
	assert_int_equal(answer(&rep, id, "accept", &r), 200);
	http_resp_free(&r);
	client_free(&rep);
	travel("2026-12-12T08:00:00Z");
	snprintf(path, sizeof(path), "/api/v1/authorize?qid=" REP2 "&est_id=" CO
	    "&service=VISA_CANCEL&at=2026-12-10T12:00:00Z");
	assert_int_equal(http_json(&svc, "GET", path, NULL, &r), 200);
	assert_string_equal(resp_str(&r, "rule"), "grant_pending");
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/authorize?qid=" REP2 "&est_id=" CO
	    "&service=VISA_CANCEL&at=2026-12-11T12:00:00Z");
	assert_int_equal(http_json(&svc, "GET", path, NULL, &r), 200);
	assert_string_equal(resp_str(&r, "rule"), "grant");
	http_resp_free(&r);
	travel("2026-12-10T08:00:00Z");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(offer_is_pending_until_accepted),
		cmocka_unit_test(declined_offer_never_works),
		cmocka_unit_test(signatory_withdraws_a_pending_offer),
		cmocka_unit_test(unanswered_offer_lapses_by_the_clock),
		cmocka_unit_test(exempt_service_needs_no_acceptance),
		cmocka_unit_test(history_knows_when_it_was_accepted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
