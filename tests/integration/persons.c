/* Registry events end authority in the same transaction (SPEC §3). */
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

static int
teardown(void **state)
{
	(void)state;
	signin_teardown(signins, SIGNIN_N(signins));
	return 0;
}

static void
grant_two(const char *qid)
{
	json_t *b = json_pack("{s:s, s:[s,s]}", "qid", qid, "services",
	    "EXIT_PERMIT", "DOC_DELIVERY");

	assert_int_equal(http_status(&sig, "POST", "/api/v1/companies/10000001/grants",
	    b), 201);
	json_decref(b);
}

static void
status_change_revokes(const char *qid, const char *status)
{
	struct http_resp r;
	char path[96], *live, *reason, *audits;
	json_t *b = json_pack("{s:s}", "status", status);

	grant_two(qid);
	snprintf(path, sizeof(path), "/api/v1/persons/%s/status", qid);
	assert_int_equal(http_json(&svc, "POST", path, b, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "grants_revoked")), 2);
	assert_true(json_is_true(json_object_get(r.json, "changed")));
	http_resp_free(&r);
	live = test_sqlf("SELECT count(*) FROM grants WHERE qid = '%s' AND revoked_at IS NULL", qid);
	assert_string_equal(live, "0");
	reason = test_sqlf("SELECT string_agg(DISTINCT revoke_reason, ',') FROM grants"
	    " WHERE qid = '%s'", qid);
	assert_string_equal(reason, status);
	audits = test_sqlf("SELECT count(*) FROM audit_log WHERE action = 'grant.revoke'"
	    " AND detail LIKE '%%\"qid\":\"%s\"%%'", qid);
	assert_string_equal(audits, "2");
	free(live);
	free(reason);
	free(audits);
	live = test_sqlf("SELECT status FROM persons WHERE qid = '%s'", qid);
	assert_string_equal(live, status);
	free(live);
	json_decref(b);
	/* Nobody can grant to them any more. */
	b = json_pack("{s:s, s:[s]}", "qid", qid, "services", "RP_RENEW");
	assert_int_equal(http_json(&sig, "POST", "/api/v1/companies/10000001/grants",
	    b, &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "person_not_active");
	http_resp_free(&r);
	json_decref(b);
}

static void
sponsorship_transfer_revokes(void **state)
{
	(void)state;
	status_change_revokes("29935600209", "sponsorship_transferred");
}

static void
residency_cancellation_revokes(void **state)
{
	(void)state;
	status_change_revokes("29935600210", "residency_cancelled");
}

static void
death_revokes(void **state)
{
	(void)state;
	status_change_revokes("29935600204", "deceased");
}

static void
employment_end_revokes_grants_it_supported(void **state)
{
	struct http_resp r;
	json_t *b = json_pack("{s:s}", "ended_on", "2026-11-20");
	char *live, *reason;

	(void)state;
	grant_two("29935600203");
	assert_int_equal(http_json(&svc, "POST",
	    "/api/v1/persons/29935600203/employment/10000001/end", b, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "grants_revoked")), 2);
	http_resp_free(&r);
	live = test_sql("SELECT count(*) FROM grants WHERE qid = '29935600203'"
	    " AND revoked_at IS NULL");
	assert_string_equal(live, "0");
	reason = test_sql("SELECT string_agg(DISTINCT revoke_reason, ',') FROM grants"
	    " WHERE qid = '29935600203'");
	assert_string_equal(reason, "employment_ended");
	free(live);
	free(reason);
	/* Ended already: nothing more to end. */
	assert_int_equal(http_status(&svc, "POST",
	    "/api/v1/persons/29935600203/employment/10000001/end", b), 404);
	json_decref(b);
}

static void
only_services_report_events(void **state)
{
	json_t *b = json_pack("{s:s}", "status", "deceased");
	char *st;

	(void)state;
	assert_int_equal(http_status(&sig, "POST", "/api/v1/persons/29935600211/status",
	    b), 403);
	st = test_sql("SELECT status FROM persons WHERE qid = '29935600211'");
	assert_string_equal(st, "active");
	free(st);
	json_decref(b);
}

static void
bad_events_change_nothing(void **state)
{
	struct http_resp r;
	json_t *b;
	char *before, *after;

	(void)state;
	before = test_sql("SELECT md5(string_agg(qid || status, ',' ORDER BY qid)) FROM persons");
	b = json_pack("{s:s}", "status", "retired");
	assert_int_equal(http_json(&svc, "POST", "/api/v1/persons/29935600211/status",
	    b, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "status");
	http_resp_free(&r);
	json_decref(b);
	b = json_pack("{s:s, s:s}", "status", "deceased", "extra", "x");
	assert_int_equal(http_status(&svc, "POST", "/api/v1/persons/29935600211/status",
	    b), 400);
	json_decref(b);
	b = json_pack("{s:s}", "status", "deceased");
	assert_int_equal(http_status(&svc, "POST", "/api/v1/persons/2993560021/status",
	    b), 400);
	assert_int_equal(http_status(&svc, "POST", "/api/v1/persons/29935699999/status",
	    b), 404);
	json_decref(b);
	b = json_pack("{s:s}", "ended_on", "2026-13-01");
	assert_int_equal(http_status(&svc, "POST",
	    "/api/v1/persons/29935600211/employment/10000001/end", b), 400);
	json_decref(b);
	after = test_sql("SELECT md5(string_agg(qid || status, ',' ORDER BY qid)) FROM persons");
	assert_string_equal(before, after);
	free(before);
	free(after);
	after = test_sql("SELECT count(*) FROM employment WHERE qid = '29935600211'"
	    " AND ended_on IS NULL");
	assert_string_equal(after, "1");
	free(after);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sponsorship_transfer_revokes),
		cmocka_unit_test(residency_cancellation_revokes),
		cmocka_unit_test(death_revokes),
		cmocka_unit_test(employment_end_revokes_grants_it_supported),
		cmocka_unit_test(only_services_report_events),
		cmocka_unit_test(bad_events_change_nothing),
	};

	return cmocka_run_group_tests_name("persons", tests, setup, teardown);
}
