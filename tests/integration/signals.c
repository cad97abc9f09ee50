/*
 * Shared credentials caught (issue 16 §5), through nginx against the real
 * servers: each signal raised by a scripted sign-in pattern, once per
 * period, the person concerned told by SMS, the reviewers' list and
 * review; and nothing raised by normal use.
 *
 * The addresses are said with X-Forwarded-For, which the test stack's
 * application honours from its nginx only (RB_TRUSTED_PROXY=127.0.0.1,
 * tests/run.sh); they are documentation ranges (RFC 5737) no other test
 * uses. Sign-ins from loopback (every other test's) are no evidence.
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
#define REVIEWER	"28863410006"
#define CO		"10000001"
#define REP		"29935600203"	/* employee of CO, with an account */
#define REP_PW		"test-pass-203"
#define OTHER_REP	"29935600202"

static const struct { const char *user, *pw; } people[] = {
	{ "28535610003", "demo-hr" }, { "28560810004", "demo-rep" },
	{ "28581810005", "demo-rep3" }, { "29935600201", "test-pass-201" },
	{ "svc-test", "svc-test-pass" }, { "27963410002", "demo-signatory2" },
};

static void
clean(void)
{
	free(test_sql("DELETE FROM signals; DELETE FROM signins;"
	    "DELETE FROM outbox WHERE template = 'sms.signin.new_place';"
	    "DELETE FROM grants WHERE service = 'DOC_DELIVERY' AND qid IN ('" REP "', '"
	    OTHER_REP "'); SELECT 1"));
}

/* REP's employment at CO, made here when another test ended it (it_persons
 * does), and removed again: since = 1999-12-15 marks ours. */
static void
employ(int on)
{
	free(test_sql(on ?
	    "INSERT INTO employment (qid, est_id, since) SELECT '" REP "', '" CO "', '1999-12-15'"
	    " WHERE NOT EXISTS (SELECT 1 FROM employment WHERE qid = '" REP "' AND est_id = '"
	    CO "' AND ended_on IS NULL)" :
	    "DELETE FROM employment WHERE qid = '" REP "' AND est_id = '" CO "'"
	    " AND since = '1999-12-15'"));
}

static int
setup(void **state)
{
	(void)state;
	clean();
	employ(1);
	test_clock_set("2026-12-15T06:00:00Z");	/* 09:00 in Qatar */
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	test_clock_set(NULL);
	clean();
	employ(0);
	return 0;
}

/* Signs in as user from addr (X-Forwarded-For); the client is freed. */
static void
signin_from(const char *user, const char *pw, const char *addr)
{
	struct client c;

	client_init(&c);
	snprintf(c.forwarded_for, sizeof(c.forwarded_for), "%s", addr);
	assert_int_equal(client_signin(&c, user, pw), 201);
	client_free(&c);
}

static long long
signals_of(const char *kind)
{
	return test_count("SELECT count(*) FROM signals WHERE kind = '%s'", kind);
}

static long long
told(const char *qid)
{
	return test_count("SELECT count(*) FROM outbox WHERE template = 'sms.signin.new_place'"
	    " AND qid = '%s'", qid);
}

static void
normal_use_raises_nothing(void **state)
{
	size_t i;

	(void)state;
	/* Each person from their own place, one of them twice; every other
	 * test signs in from loopback, many people from one address. */
	for (i = 0; i < 4; i++) {
		char addr[32];

		snprintf(addr, sizeof(addr), "198.51.100.%zu", 10 + i);
		signin_from(people[i].user, people[i].pw, addr);
	}
	signin_from(people[0].user, people[0].pw, "198.51.100.10");
	for (i = 0; i < 6; i++)
		signin_from(people[i].user, people[i].pw, "127.0.0.1");
	/* Two addresses within the hour: under the three of RB_SIGNAL_USER_ADDRS. */
	signin_from(people[1].user, people[1].pw, "198.51.100.99");
	assert_int_equal(test_count("%s", "SELECT count(*) FROM signals"), 0);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM outbox WHERE template ="
	    " 'sms.signin.new_place'"), 0);
	/* Every sign-in is recorded, with its address as the proxy said it. */
	assert_int_equal(test_count("%s", "SELECT count(*) FROM signins WHERE client_addr ="
	    " '198.51.100.10' AND username = '28535610003'"), 2);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM signins WHERE NOT evidence"),
	    6);
	clean();
}

static void
one_address_many_people(void **state)
{
	struct http_resp r;
	json_t *it;
	size_t i;

	(void)state;
	/* Four people from one address: not yet. */
	for (i = 0; i < 4; i++)
		signin_from(people[i].user, people[i].pw, "203.0.113.5");
	assert_int_equal(signals_of("shared_address"), 0);
	/* The fifth (a service account) completes the pattern. */
	signin_from(people[4].user, people[4].pw, "203.0.113.5");
	assert_int_equal(signals_of("shared_address"), 1);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM signals WHERE kind ="
	    " 'shared_address' AND subject = '203.0.113.5' AND period = '2026-12-15'"
	    " AND (details->>'people')::int = 5 AND reviewed_at IS NULL"), 1);
	/* Each registered person concerned is told; a service account has
	 * nobody to tell. */
	for (i = 0; i < 4; i++)
		assert_int_equal(told(people[i].user), 1);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM outbox WHERE template ="
	    " 'sms.signin.new_place' AND params->>'address' = '203.0.113.5'"
	    " AND params->>'day' = '2026-12-15'"), 4);
	/* A sixth the same day, and the first again: the same signal. */
	signin_from(people[5].user, people[5].pw, "203.0.113.5");
	signin_from(people[0].user, people[0].pw, "203.0.113.5");
	assert_int_equal(signals_of("shared_address"), 1);
	assert_int_equal(told(people[5].user), 0);

	/* The reviewers see it. */
	{
		struct client rev;

		client_init(&rev);
		assert_int_equal(client_signin(&rev, REVIEWER, "demo-reviewer"), 201);
		assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/signals?state=open",
		    NULL, &r), 200);
		assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
		it = json_array_get(json_object_get(r.json, "items"), 0);
		assert_string_equal(json_string_value(json_object_get(it, "kind")),
		    "shared_address");
		assert_string_equal(json_string_value(json_object_get(it, "state")), "open");
		assert_int_equal(json_array_size(json_object_get(json_object_get(it, "details"),
		    "usernames")), 5);
		http_resp_free(&r);
		client_free(&rev);
	}
	/* The next day, the same pattern is a new signal. */
	test_clock_set("2026-12-16T06:00:00Z");
	for (i = 0; i < 5; i++)
		signin_from(people[i].user, people[i].pw, "203.0.113.5");
	assert_int_equal(signals_of("shared_address"), 2);
	test_clock_set("2026-12-15T06:00:00Z");
	clean();
}

static void
one_account_many_addresses(void **state)
{
	const char *ali = people[5].user, *pw = people[5].pw;

	(void)state;
	/* Three addresses, each more than an hour after the one before: the
	 * person moved, nothing to look at. */
	signin_from(ali, pw, "198.51.100.31");
	test_clock_set("2026-12-15T07:01:00Z");
	signin_from(ali, pw, "198.51.100.32");
	test_clock_set("2026-12-15T08:02:00Z");
	signin_from(ali, pw, "198.51.100.33");
	assert_int_equal(signals_of("many_addresses"), 0);
	/* Within the hour, a third address completes it. */
	test_clock_set("2026-12-15T08:30:00Z");
	signin_from(ali, pw, "198.51.100.34");
	assert_int_equal(signals_of("many_addresses"), 0);
	test_clock_set("2026-12-15T08:40:00Z");
	signin_from(ali, pw, "2001:db8::35");
	assert_int_equal(signals_of("many_addresses"), 1);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM signals WHERE kind ="
	    " 'many_addresses' AND subject = '27963410002' AND period = '2026-12-15T08:00Z'"
	    " AND (details->>'count')::int = 3 AND details->'addresses' ?"
	    " '2001:db8::35'"), 1);
	assert_int_equal(told(ali), 1);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM outbox WHERE template ="
	    " 'sms.signin.new_place' AND params->>'address' = '2001:db8::35'"), 1);
	/* A fourth within the same hour adds nothing. */
	test_clock_set("2026-12-15T08:50:00Z");
	signin_from(ali, pw, "198.51.100.36");
	assert_int_equal(signals_of("many_addresses"), 1);
	assert_int_equal(told(ali), 1);
	test_clock_set("2026-12-15T06:00:00Z");
	clean();
}

/* The signatory offers DOC_DELIVERY to qid from addr; the status. */
static long
offer_from(const char *addr, const char *qid)
{
	struct client sig;
	json_t *b = json_pack("{s:s, s:[s]}", "qid", qid, "services", "DOC_DELIVERY");
	long st;

	client_init(&sig);
	snprintf(sig.forwarded_for, sizeof(sig.forwarded_for), "%s", addr);
	assert_int_equal(client_signin(&sig, SIGNATORY, "demo-signatory"), 201);
	st = http_status(&sig, "POST", "/api/v1/companies/" CO "/grants", b);
	json_decref(b);
	client_free(&sig);
	return st;
}

static void
signatory_act_from_a_representative_address(void **state)
{
	(void)state;
	/* Normal use: the signatory grants from their own place. */
	signin_from(REP, REP_PW, "198.51.100.40");
	assert_int_equal(offer_from("198.51.100.41", OTHER_REP), 201);
	assert_int_equal(signals_of("signatory_act_from_representative_address"), 0);
	/* From where the representative signed in today, the signatory's
	 * card offers that representative a grant: nobody can be granted
	 * the granting itself. */
	assert_int_equal(offer_from("198.51.100.40", REP), 201);
	assert_int_equal(signals_of("signatory_act_from_representative_address"), 1);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM signals WHERE kind ="
	    " 'signatory_act_from_representative_address' AND subject = '" SIGNATORY "@" CO "'"
	    " AND details->>'act' = 'grant.create' AND details->'representatives' ? '" REP "'"
	    " AND details->>'address' = '198.51.100.40'"), 1);
	assert_int_equal(told(SIGNATORY), 1);
	assert_int_equal(told(REP), 0);
	clean();
}

static void
reviewers_review_with_a_note(void **state)
{
	struct client rev, rep;
	struct http_resp r;
	char path[96];
	long long id;
	json_t *b;

	(void)state;
	signin_from(people[5].user, people[5].pw, "198.51.100.51");
	signin_from(people[5].user, people[5].pw, "198.51.100.52");
	signin_from(people[5].user, people[5].pw, "198.51.100.53");
	id = test_count("%s", "SELECT id FROM signals WHERE kind = 'many_addresses'");
	assert_true(id > 0);
	snprintf(path, sizeof(path), "/api/v1/backoffice/signals/%lld/review", id);

	/* Not for anyone else. */
	client_init(&rep);
	assert_int_equal(client_signin(&rep, REP, REP_PW), 201);
	assert_int_equal(http_status(&rep, "GET", "/api/v1/backoffice/signals", NULL), 403);
	client_free(&rep);

	client_init(&rev);
	assert_int_equal(client_signin(&rev, REVIEWER, "demo-reviewer"), 201);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/signals?state=nope", NULL,
	    &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "state");
	http_resp_free(&r);
	b = json_pack("{s:s}", "note", "");
	assert_int_equal(http_json(&rev, "POST", path, b, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "note");
	http_resp_free(&r);
	json_decref(b);
	assert_int_equal(test_count("SELECT count(*) FROM signals WHERE id = %lld AND"
	    " reviewed_at IS NULL", id), 1);
	b = json_pack("{s:s}", "note", "Called him: travelling with a new phone.");
	assert_int_equal(http_json(&rev, "POST", path, b, &r), 200);
	assert_string_equal(resp_str(&r, "state"), "reviewed");
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE action ="
	    " 'signal.review' AND target = 'signal:%lld' AND actor = '" REVIEWER "'", id), 1);
	assert_int_equal(http_json(&rev, "POST", path, b, &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "already_reviewed");
	http_resp_free(&r);
	json_decref(b);
	b = json_pack("{s:s}", "note", "x");
	assert_int_equal(http_status(&rev, "POST", "/api/v1/backoffice/signals/999999999/review",
	    b), 404);
	json_decref(b);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/signals?state=open", NULL,
	    &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/signals?state=reviewed",
	    NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 0), "note")),
	    "Called him: travelling with a new phone.");
	http_resp_free(&r);
	client_free(&rev);
	clean();
}

static void
client_is_recorded_bounded(void **state)
{
	struct client c;
	char *ua;

	(void)state;
	client_init(&c);
	snprintf(c.forwarded_for, sizeof(c.forwarded_for), "%s", "10.0.0.1, 198.51.100.60");
	memset(c.user_agent, 'A', 400);
	c.user_agent[0] = 'M';
	c.user_agent[1] = '\xc3';	/* é: not kept as is (not printable ASCII) */
	c.user_agent[2] = '\xa9';
	c.user_agent[400] = '\0';
	assert_int_equal(client_signin(&c, REP, REP_PW), 201);
	client_free(&c);
	/* The last entry is the one next to our proxy (a proxy appends the
	 * address it saw); the earlier ones are the client's own claim. */
	ua = test_sql("SELECT user_agent FROM signins WHERE client_addr = '198.51.100.60'");
	assert_non_null(ua);
	assert_int_equal(strlen(ua), 256);
	assert_int_equal(ua[0], 'M');
	assert_int_equal(ua[1], '?');
	assert_int_equal(ua[2], '?');
	assert_int_equal(ua[3], 'A');
	free(ua);
	clean();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normal_use_raises_nothing),
		cmocka_unit_test(one_address_many_people),
		cmocka_unit_test(one_account_many_addresses),
		cmocka_unit_test(signatory_act_from_a_representative_address),
		cmocka_unit_test(reviewers_review_with_a_note),
		cmocka_unit_test(client_is_recorded_bounded),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
