/*
 * The enrollment gate on every route that makes or brings back a grant or
 * a renewal subscription (issue 15 §1), through nginx: a subscription's
 * PATCH and a reviewer's approval, and a representative's acceptance of an
 * offered grant (issue 16 §1), refused with the POSTs' 409s
 * (establishment_not_enrolled, establishment_suspended) for a company of
 * a compulsory sector that is not enrolled and for one that suspended its
 * own use, writing nothing; what only takes away (a rejection, a decline)
 * is not gated. And a change of a sector's compulsion in the catalogue
 * (sql/030) reaching /authorize at fully_consistent and through the
 * decision index at minimize_latency, and a check at a past instant
 * answering with the compulsion of that instant.
 * tests/fixtures/enrollment_gate.json has the companies (1630000x).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"

#define SIG		"29963416301"	/* signs for 16300001 and 16300002 */
#define USER		"29935616302"	/* employee of 16300001 */
#define REVIEWER	"28863410006"	/* base.json's reviewer */
#define EST		"16300001"	/* hotels (compulsory), enrolled */
#define EST_S		"16300002"	/* gate_test_sector, not enrolled */
#define IBAN		"QA50QNBA000000000000163000001"

static struct client sig, user, rev, svc;

static int
setup(void **state)
{
	char cmd[1024];

	(void)state;
	/* A sector of the test's own, so that flipping its compulsion moves no
	 * other test's company. */
	if (test_sql_ok("INSERT INTO sectors (code, name_ar, name_en, compulsory) VALUES"
	    " ('gate_test_sector', 'قطاع اختبار البوابة', 'Gate test sector', false)"
	    " ON CONFLICT (code) DO UPDATE SET compulsory = false") != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "%s/rb-load %s/tests/fixtures/enrollment_gate.json >/dev/null",
	    test_env("RB_BIN"), test_env("RB_ROOT"));
	if (system(cmd) != 0)
		return -1;
	/* Whatever an earlier run on this stack left. */
	if (test_sql_ok("DELETE FROM grants WHERE est_id LIKE '1630000_';"
	    " DELETE FROM outbox WHERE est_id LIKE '1630000_';"
	    " UPDATE companies SET enrolled = (est_id = '" EST "'), self_suspended_at = NULL,"
	    " self_suspended_reason = NULL WHERE est_id LIKE '1630000_'") != 0)
		return -1;
	test_clock_set(NULL);
	client_init(&sig);
	client_init(&user);
	client_init(&rev);
	client_init(&svc);
	if (client_signin(&sig, SIG, "test-gate-sig") != 201 ||
	    client_signin(&user, USER, "test-gate-user") != 201 ||
	    client_signin(&rev, REVIEWER, "demo-reviewer") != 201 ||
	    client_signin(&svc, "svc-visa", "demo-service") != 201)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(test_sql("UPDATE sectors SET compulsory = false WHERE code = 'gate_test_sector'"));
	client_free(&sig);
	client_free(&user);
	client_free(&rev);
	client_free(&svc);
	return 0;
}

/* The company as the registry or the company itself left it. */
enum gate { OPEN, NOT_ENROLLED, SUSPENDED };

static void
company_is(enum gate g)
{
	assert_int_equal(test_sql_ok(g == OPEN ?
	    "UPDATE companies SET enrolled = true, self_suspended_at = NULL,"
	    " self_suspended_reason = NULL WHERE est_id = '" EST "'" : g == NOT_ENROLLED ?
	    "UPDATE companies SET enrolled = false, self_suspended_at = NULL,"
	    " self_suspended_reason = NULL WHERE est_id = '" EST "'" :
	    "UPDATE companies SET enrolled = true, self_suspended_at = now(),"
	    " self_suspended_reason = 'Premises closed' WHERE est_id = '" EST "'"), 0);
}

/* What a refused request must leave as it was. */
static char *
db_state(void)
{
	return test_sql("SELECT (SELECT coalesce(max(id), 0) FROM audit_log) || '/' ||"
	    " (SELECT count(*) FROM outbox) || '/' ||"
	    " coalesce((SELECT string_agg(reference || status, ',' ORDER BY reference)"
	    "  FROM renewal_subscriptions WHERE est_id = '" EST "'), '-') || '/' ||"
	    " coalesce((SELECT cap_dirhams::text FROM renewal_settings WHERE est_id = '" EST "'),"
	    " '-') || '/' ||"
	    " coalesce((SELECT string_agg(id || acceptance || (revoked_at IS NULL)::text, ','"
	    "  ORDER BY id) FROM grants WHERE est_id = '" EST "'), '-')");
}

static void
refused(long got, const struct http_resp *r, enum gate g, const char *before)
{
	const char *code = g == SUSPENDED ? "establishment_suspended" :
	    "establishment_not_enrolled";
	const char *err = resp_str(r, "error.code");
	char *after = db_state();

	if (got != 409 || err == NULL || strcmp(err, code) != 0)
		fail_msg("want 409 %s, got %ld: %s", code, got, r->body);
	assert_non_null(after);
	assert_string_equal(before, after);
	free(after);
}

static long
approve(const char *reference, struct http_resp *r)
{
	char path[160];

	snprintf(path, sizeof(path), "/api/v1/backoffice/subscriptions/%s/approve", reference);
	return http_json(&rev, "POST", path, NULL, r);
}

static long
patch_cap(int cap, struct http_resp *r)
{
	json_t *b = json_pack("{s:i}", "cap_dirhams", cap);
	long st = http_json(&sig, "PATCH", "/api/v1/companies/" EST "/renewal", b, r);

	json_decref(b);
	return st;
}

/*
 * Subscribed while the company was open; before a reviewer approves it,
 * the registry says it is not enrolled, then it suspends its own use:
 * the approval is refused both times, and goes through once it is open.
 * The subscription's PATCH likewise; a rejection is never gated.
 */
static void
subscription_patch_and_approval(void **state)
{
	struct http_resp r;
	char reference[64], path[160], *before, *cap, *pending;
	json_t *b;
	enum gate g;

	(void)state;
	b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "iban", IBAN,
	    "authorizing_qid", SIG, "email", "desk@gate-hotels.example", "mobile", "+97455163001",
	    "language", "en", "delivery_address", "PO Box 163, Doha", "cap_dirhams", 500000,
	    "duration_years", 1);
	assert_int_equal(http_json(&sig, "POST", "/api/v1/companies/" EST "/renewal/subscription",
	    b, &r), 201);
	json_decref(b);
	assert_non_null(resp_str(&r, "reference"));
	snprintf(reference, sizeof(reference), "%s", resp_str(&r, "reference"));
	http_resp_free(&r);
	for (g = NOT_ENROLLED; g <= SUSPENDED; g++) {
		company_is(g);
		before = db_state();
		refused(approve(reference, &r), &r, g, before);
		http_resp_free(&r);
		free(before);
	}
	company_is(OPEN);
	assert_int_equal(approve(reference, &r), 200);
	assert_string_equal(resp_str(&r, "status"), "active");
	http_resp_free(&r);

	for (g = NOT_ENROLLED; g <= SUSPENDED; g++) {
		company_is(g);
		before = db_state();
		refused(patch_cap(700000, &r), &r, g, before);
		if (g == NOT_ENROLLED)
			assert_non_null(strstr(r.body, "/api/v1/companies/" EST "/enrollment"));
		http_resp_free(&r);
		free(before);
	}
	company_is(OPEN);
	assert_int_equal(patch_cap(700000, &r), 200);
	http_resp_free(&r);
	cap = test_sql("SELECT cap_dirhams FROM renewal_settings WHERE est_id = '" EST "'");
	assert_non_null(cap);
	assert_string_equal(cap, "700000");
	free(cap);

	/* A new mandate asked for while open, rejected while not enrolled. */
	b = json_pack("{s:s}", "authorizing_qid", SIG);
	assert_int_equal(http_json(&sig, "PATCH", "/api/v1/companies/" EST "/renewal", b, &r),
	    200);
	json_decref(b);
	http_resp_free(&r);
	pending = test_sql("SELECT reference FROM renewal_subscriptions WHERE est_id = '" EST "'"
	    " AND status = 'pending'");
	assert_non_null(pending);
	assert_true(*pending != '\0');
	company_is(NOT_ENROLLED);
	snprintf(path, sizeof(path), "/api/v1/backoffice/subscriptions/%s/reject", pending);
	b = json_pack("{s:s}", "note", "The company is not enrolled");
	assert_int_equal(http_json(&rev, "POST", path, b, &r), 200);
	json_decref(b);
	http_resp_free(&r);
	free(pending);
	company_is(OPEN);
}

/* The offers' ids, from the grant's answer. */
static void
offer(long long ids[2])
{
	struct http_resp r;
	json_t *b = json_pack("{s:s, s:[s, s]}", "qid", USER, "services", "EXIT_PERMIT",
	    "ENTRY_VISA"), *items;

	assert_int_equal(http_json(&sig, "POST", "/api/v1/companies/" EST "/grants", b, &r), 201);
	json_decref(b);
	items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 2);
	ids[0] = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
	ids[1] = json_integer_value(json_object_get(json_array_get(items, 1), "id"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0),
	    "acceptance")), "pending");
	http_resp_free(&r);
}

static long
answer(long long id, const char *what, struct http_resp *r)
{
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/me/grants/%lld/%s", id, what);
	return http_json(&user, "POST", path, NULL, r);
}

/*
 * Offered while open; the representative cannot accept while the company
 * is not enrolled or suspended (the offer stays pending, to be accepted
 * later), and can decline; accepted once the company is open again.
 */
static void
grant_acceptance(void **state)
{
	struct http_resp r;
	long long ids[2];
	char *before;
	enum gate g;

	(void)state;
	company_is(OPEN);
	offer(ids);
	for (g = NOT_ENROLLED; g <= SUSPENDED; g++) {
		company_is(g);
		before = db_state();
		refused(answer(ids[0], "accept", &r), &r, g, before);
		http_resp_free(&r);
		free(before);
	}
	assert_int_equal(test_count("SELECT count(*) FROM grants WHERE id = %lld AND"
	    " acceptance = 'pending' AND revoked_at IS NULL", ids[0]), 1);
	/* Declining takes away: not gated. */
	assert_int_equal(answer(ids[1], "decline", &r), 200);
	http_resp_free(&r);
	/* Not one's own offer: 404 as before, gate or not. */
	assert_int_equal(answer(999999999, "accept", &r), 404);
	http_resp_free(&r);
	company_is(OPEN);
	assert_int_equal(answer(ids[0], "accept", &r), 200);
	assert_string_equal(resp_str(&r, "acceptance"), "accepted");
	http_resp_free(&r);
}

/* ---- a sector's compulsion ------------------------------------------- */

static json_t *
authorize(const char *consistency, const char *at)
{
	struct http_resp r;
	char path[256];
	json_t *j;

	snprintf(path, sizeof(path), "/api/v1/authorize?qid=" SIG "&est_id=" EST_S
	    "&service=EXIT_PERMIT&consistency=%s%s%s", consistency, at ? "&at=" : "",
	    at ? at : "");
	assert_int_equal(http_json(&svc, "GET", path, NULL, &r), 200);
	j = json_incref(r.json);
	http_resp_free(&r);
	return j;
}

static void
expect(const char *at, int allowed, const char *rule)
{
	json_t *j = authorize("fully_consistent", at);
	const char *got = json_string_value(json_object_get(j, "rule"));

	if (got == NULL || strcmp(got, rule) != 0 ||
	    json_is_true(json_object_get(j, "allowed")) != allowed)
		fail_msg("at %s: want %s, got %s", at ? at : "now", rule, got ? got : "?");
	json_decref(j);
}

/* minimize_latency answers from the decision index: it reaches rule. */
static int
index_reaches(int allowed, const char *rule)
{
	int ms, ok;

	for (ms = 3000; ms > 0; ms -= 50) {
		json_t *j = authorize("minimize_latency", NULL);

		ok = strcmp(json_string_value(json_object_get(j, "decided_from")), "index") == 0 &&
		    strcmp(json_string_value(json_object_get(j, "rule")), rule) == 0 &&
		    json_is_true(json_object_get(j, "allowed")) == allowed;
		json_decref(j);
		if (ok)
			return 1;
		usleep(50 * 1000);
	}
	return 0;
}

/* The database's now, as an instant of the API. */
static void
instant(char out[32])
{
	char *v = test_sql("SELECT to_char(now() AT TIME ZONE 'UTC',"
	    " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");

	assert_non_null(v);
	snprintf(out, 32, "%s", v);
	free(v);
}

/*
 * The sector of EST_S (not enrolled) becomes compulsory: every check for
 * it denies, live and from the index, a new grant is refused; and back.
 * At an instant before the change, and after it was undone, the answer
 * is the one of that instant.
 */
static void
sector_compulsion_reaches_the_decisions(void **state)
{
	struct http_resp r;
	char t0[32], t1[32], t2[32];
	long long feed_before, changes_before;
	json_t *b;

	(void)state;
	expect(NULL, 1, "signatory");
	assert_true(index_reaches(1, "signatory"));
	sleep(1);
	instant(t0);
	sleep(1);
	feed_before = test_count("SELECT count(*) FROM decision_changes WHERE est_id = '" EST_S "'");
	changes_before = test_count("SELECT count(*) FROM sector_changes WHERE code ="
	    " 'gate_test_sector' AND compulsory_after");
	assert_int_equal(test_sql_ok("UPDATE sectors SET compulsory = true WHERE code ="
	    " 'gate_test_sector'"), 0);
	/* One change for the company not enrolled; none for an enrolled one. */
	assert_int_equal(test_count("SELECT count(*) FROM decision_changes WHERE est_id = '"
	    EST_S "'"), feed_before + 1);
	assert_int_equal(test_count("SELECT count(*) FROM sector_changes WHERE code ="
	    " 'gate_test_sector' AND compulsory_after"), changes_before + 1);
	expect(NULL, 0, "establishment_not_enrolled");
	assert_true(index_reaches(0, "establishment_not_enrolled"));
	b = json_pack("{s:s, s:[s]}", "qid", USER, "services", "EXIT_PERMIT");
	assert_int_equal(http_json(&sig, "POST", "/api/v1/companies/" EST_S "/grants", b, &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "establishment_not_enrolled");
	json_decref(b);
	http_resp_free(&r);
	sleep(1);
	instant(t1);
	sleep(1);
	assert_int_equal(test_sql_ok("UPDATE sectors SET compulsory = false WHERE code ="
	    " 'gate_test_sector'"), 0);
	expect(NULL, 1, "signatory");
	assert_true(index_reaches(1, "signatory"));
	sleep(1);
	instant(t2);
	/* History: open before, denied in between, open after. */
	expect(t0, 1, "signatory");
	expect(t1, 0, "establishment_not_enrolled");
	expect(t2, 1, "signatory");
	/* An update that does not change the flag adds nothing to the feed. */
	feed_before = test_count("SELECT count(*) FROM decision_changes WHERE est_id = '" EST_S "'");
	assert_int_equal(test_sql_ok("UPDATE sectors SET compulsory = false, name_en = 'Gate test"
	    " sector' WHERE code = 'gate_test_sector'"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM decision_changes WHERE est_id = '"
	    EST_S "'"), feed_before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(subscription_patch_and_approval),
		cmocka_unit_test(grant_acceptance),
		cmocka_unit_test(sector_compulsion_reaches_the_decisions),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
