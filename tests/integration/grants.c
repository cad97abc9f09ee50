/* Delegated authority through the API: who may grant what to whom. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"

#define SIGNATORY_A	"27263410001"	/* signs for 10000001 and 10000002 */
#define SIGNATORY_B	"27963410002"	/* signs for 10000003 */
#define MARIA		"28560810004"	/* employee of 10000002 (sister company) */
#define KARIM		"28581810005"	/* employee of 10000003 only */
#define RAJESH		"28535610003"	/* employee of 10000001 */

static long
grant_rows(void)
{
	return test_count("%s", "SELECT count(*) FROM grants");
}

static void
signin(struct client *c, const char *user, const char *pw)
{
	client_init(c);
	assert_int_equal(client_signin(c, user, pw), 201);
}

static long
grant(struct client *c, const char *est, const char *qid, const char *services,
    const char *until, struct http_resp *r)
{
	char path[96];
	json_t *b = json_pack("{s:s, s:o}", "qid", qid, "services",
	    json_loads(services, 0, NULL));
	long st;

	if (until != NULL)
		json_object_set_new(b, "valid_until", json_string(until));
	snprintf(path, sizeof(path), "/api/v1/companies/%s/grants", est);
	st = http_json(c, "POST", path, b, r);
	json_decref(b);
	return st;
}

static void
sister_company_employee_can_be_granted(void **state)
{
	struct client c;
	struct http_resp r;
	json_t *items;
	long before = test_count("%s", "SELECT count(*) FROM audit_log WHERE action = 'grant.create'");

	(void)state;
	signin(&c, SIGNATORY_A, "demo-signatory");
	assert_int_equal(grant(&c, "10000001", MARIA, "[\"EXIT_PERMIT\", \"ENTRY_VISA\"]",
	    NULL, &r), 201);
	items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0),
	    "service")), "EXIT_PERMIT");
	/* Offers, until she accepts them (issue 16 §1): she does, both. */
	{
		struct client maria;
		char path[96];
		size_t i;

		signin(&maria, MARIA, "demo-rep");
		for (i = 0; i < 2; i++) {
			assert_string_equal(json_string_value(json_object_get(
			    json_array_get(items, i), "state")), "pending");
			snprintf(path, sizeof(path), "/api/v1/me/grants/%lld/accept",
			    (long long)json_integer_value(json_object_get(
			    json_array_get(items, i), "id")));
			assert_int_equal(http_status(&maria, "POST", path, NULL), 200);
		}
		client_free(&maria);
	}
	http_resp_free(&r);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM audit_log WHERE action ="
	    " 'grant.create'"), before + 2);
	/* The basis is her employment at the sister company. */
	assert_int_equal(test_count("%s", "SELECT count(*) FROM grants g JOIN employment e"
	    " ON e.id = g.basis_employment_id WHERE g.qid = '" MARIA "'"
	    " AND g.est_id = '10000001' AND e.est_id = '10000002'"), 2);
	client_free(&c);
}

static void
employee_outside_the_group_is_refused(void **state)
{
	struct client c;
	struct http_resp r;
	long before = grant_rows();

	(void)state;
	signin(&c, SIGNATORY_A, "demo-signatory");
	assert_int_equal(grant(&c, "10000001", KARIM, "[\"EXIT_PERMIT\"]", NULL, &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "not_in_group");
	assert_string_equal(resp_str(&r, "error.field"), "qid");
	http_resp_free(&r);
	assert_int_equal(grant_rows(), before);
	client_free(&c);
}

static void
grants_are_all_or_nothing(void **state)
{
	struct client c;
	struct http_resp r;
	long before;

	(void)state;
	signin(&c, SIGNATORY_A, "demo-signatory");
	assert_int_equal(grant(&c, "10000001", RAJESH, "[\"RENEWAL_MANAGE\"]", NULL, &r), 201);
	/* Rajesh accepts it (issue 16 §1): it_renewal relies on it. */
	{
		struct client rajesh;
		char path[96];

		signin(&rajesh, RAJESH, "demo-hr");
		snprintf(path, sizeof(path), "/api/v1/me/grants/%lld/accept",
		    (long long)json_integer_value(json_object_get(json_array_get(
		    json_object_get(r.json, "items"), 0), "id")));
		assert_int_equal(http_status(&rajesh, "POST", path, NULL), 200);
		client_free(&rajesh);
	}
	http_resp_free(&r);
	before = grant_rows();
	/* The second code is already granted: the first is not kept either. */
	assert_int_equal(grant(&c, "10000001", RAJESH,
	    "[\"STATEMENTS_VIEW\", \"RENEWAL_MANAGE\"]", NULL, &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "already_granted");
	http_resp_free(&r);
	assert_int_equal(grant_rows(), before);
	/* A code outside the catalogue fails the whole request too. */
	assert_int_equal(grant(&c, "10000001", RAJESH,
	    "[\"STATEMENTS_VIEW\", \"NOT_A_SERVICE\"]", NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "services");
	http_resp_free(&r);
	assert_int_equal(grant(&c, "10000001", RAJESH, "[\"bad code\"]", NULL, &r), 400);
	http_resp_free(&r);
	assert_int_equal(grant(&c, "10000001", RAJESH, "[\"STATEMENTS_VIEW\"]",
	    "2026-02-30", &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "valid_until");
	http_resp_free(&r);
	assert_int_equal(grant(&c, "10000001", RAJESH, "[\"STATEMENTS_VIEW\"]",
	    "2020-01-01", &r), 400);
	assert_string_equal(resp_str(&r, "error.code"), "valid_until_past");
	http_resp_free(&r);
	assert_int_equal(grant(&c, "10000001", "12345678901", "[\"STATEMENTS_VIEW\"]",
	    NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "qid");
	http_resp_free(&r);
	assert_int_equal(grant(&c, "10000001", "29935699999", "[\"STATEMENTS_VIEW\"]",
	    NULL, &r), 404);
	assert_string_equal(resp_str(&r, "error.code"), "unknown_person");
	http_resp_free(&r);
	assert_int_equal(grant_rows(), before);
	client_free(&c);
}

/* Posts a grant of STATEMENTS_VIEW to RAJESH with these dates; checks the
 * 400, its code and field, and that nothing was written. */
static void
dates_refused(struct client *c, const char *from, const char *until,
    const char *code, const char *field)
{
	struct http_resp r;
	json_t *b = json_pack("{s:s, s:[s]}", "qid", RAJESH, "services", "STATEMENTS_VIEW");
	long before = grant_rows();

	json_object_set_new(b, "valid_from", from ? json_string(from) : json_integer(7));
	if (until)
		json_object_set_new(b, "valid_until", json_string(until));
	assert_int_equal(http_json(c, "POST", "/api/v1/companies/10000001/grants", b, &r),
	    400);
	assert_string_equal(resp_str(&r, "error.code"), code);
	assert_string_equal(resp_str(&r, "error.field"), field);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_object_get(r.json, "error"), "fields"), 0), "field")), field);
	http_resp_free(&r);
	json_decref(b);
	assert_int_equal(grant_rows(), before);
}

static void
start_dates_are_checked(void **state)
{
	struct client c;

	(void)state;
	signin(&c, SIGNATORY_A, "demo-signatory");
	dates_refused(&c, "2099-06-02", "2099-06-01", "valid_from_after_until", "valid_from");
	dates_refused(&c, "2020-01-01", NULL, "valid_from_past", "valid_from");
	dates_refused(&c, "2099-02-30", NULL, "invalid_field", "valid_from");
	dates_refused(&c, NULL, NULL, "invalid_field", "valid_from");	/* a number */
	client_free(&c);
}

static void
other_companies_signatory_sees_and_changes_nothing(void **state)
{
	struct client c;
	struct http_resp r;
	char *id;
	char path[96];
	long before = grant_rows();

	(void)state;
	signin(&c, SIGNATORY_B, "demo-signatory2");
	assert_int_equal(http_status(&c, "GET", "/api/v1/companies/10000001/grants",
	    NULL), 403);
	assert_int_equal(http_status(&c, "GET", "/api/v1/companies/10000001/employees",
	    NULL), 403);
	assert_int_equal(grant(&c, "10000001", RAJESH, "[\"EXIT_PERMIT\"]", NULL, &r), 403);
	http_resp_free(&r);
	id = test_sql("SELECT min(id) FROM grants WHERE est_id = '10000001'"
	    " AND revoked_at IS NULL");
	assert_non_null(id);
	snprintf(path, sizeof(path), "/api/v1/companies/10000001/grants/%s", id);
	assert_int_equal(http_status(&c, "DELETE", path, NULL), 403);
	/* Nor through its own company's path. */
	snprintf(path, sizeof(path), "/api/v1/companies/10000003/grants/%s", id);
	assert_int_equal(http_status(&c, "DELETE", path, NULL), 404);
	free(id);
	assert_int_equal(grant_rows(), before);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM grants WHERE est_id ="
	    " '10000001' AND revoked_at IS NOT NULL AND revoked_by = '" SIGNATORY_B "'"), 0);
	/* Its own company works. */
	assert_int_equal(http_status(&c, "GET", "/api/v1/companies/10000003/grants",
	    NULL), 200);
	client_free(&c);
}

static void
representative_sees_only_own_grants(void **state)
{
	struct client c;
	struct http_resp r;
	json_t *items;
	size_t i;

	(void)state;
	signin(&c, MARIA, "demo-rep");
	assert_int_equal(http_json(&c, "GET", "/api/v1/companies/10000001/grants",
	    NULL, &r), 200);
	items = json_object_get(r.json, "items");
	assert_true(json_array_size(items) >= 1);
	for (i = 0; i < json_array_size(items); i++)
		assert_string_equal(json_string_value(json_object_get(
		    json_array_get(items, i), "qid")), MARIA);
	http_resp_free(&r);
	/* Not a signatory: cannot grant, see employees, or see a company she
	 * holds nothing of. */
	assert_int_equal(grant(&c, "10000001", MARIA, "[\"TRAVEL_NOTICE\"]", NULL, &r), 403);
	http_resp_free(&r);
	assert_int_equal(http_status(&c, "GET", "/api/v1/companies/10000001/employees",
	    NULL), 403);
	assert_int_equal(http_status(&c, "GET", "/api/v1/companies/10000003/grants",
	    NULL), 403);
	client_free(&c);

	signin(&c, "28863410006", "demo-reviewer");
	assert_int_equal(http_json(&c, "GET", "/api/v1/companies/10000001/grants",
	    NULL, &r), 200);
	assert_true(json_integer_value(json_object_get(r.json, "total")) >= 3);
	http_resp_free(&r);
	/* A reviewer, who may look at any company, learns that an id is unknown. */
	assert_int_equal(http_json(&c, "GET", "/api/v1/companies/99999999/grants",
	    NULL, &r), 404);
	assert_string_equal(resp_str(&r, "error.code"), "unknown_company");
	http_resp_free(&r);
	/* A reviewer reads, but does not grant. */
	assert_int_equal(grant(&c, "10000001", RAJESH, "[\"TRAVEL_NOTICE\"]", NULL, &r), 403);
	http_resp_free(&r);
	client_free(&c);
}

static void
signatory_revokes_once(void **state)
{
	struct client c;
	struct http_resp r;
	char path[96], *id, *reason;

	(void)state;
	signin(&c, SIGNATORY_A, "demo-signatory");
	id = test_sql("SELECT id FROM grants WHERE qid = '" MARIA "' AND service ="
	    " 'ENTRY_VISA' AND revoked_at IS NULL");
	assert_non_null(id);
	assert_true(*id != '\0');
	snprintf(path, sizeof(path), "/api/v1/companies/10000001/grants/%s", id);
	/* Without the CSRF token nothing happens. */
	{
		char csrf[64];

		snprintf(csrf, sizeof(csrf), "%s", c.csrf);
		c.csrf[0] = '\0';
		assert_int_equal(http_status(&c, "DELETE", path, NULL), 403);
		snprintf(c.csrf, sizeof(c.csrf), "%s", csrf);
	}
	assert_int_equal(test_count("%s", "SELECT count(*) FROM grants WHERE qid = '" MARIA "'"
	    " AND service = 'ENTRY_VISA' AND revoked_at IS NULL"), 1);
	assert_int_equal(http_json(&c, "DELETE", path, NULL, &r), 200);
	http_resp_free(&r);
	assert_int_equal(http_json(&c, "DELETE", path, NULL, &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "already_revoked");
	http_resp_free(&r);
	reason = test_sql("SELECT revoke_reason FROM grants WHERE id = (SELECT id FROM"
	    " grants WHERE qid = '" MARIA "' AND service = 'ENTRY_VISA' ORDER BY id DESC LIMIT 1)");
	assert_string_equal(reason, "revoked_by_signatory");
	free(reason);
	free(id);
	assert_int_equal(http_status(&c, "DELETE",
	    "/api/v1/companies/10000001/grants/999999999", NULL), 404);
	assert_int_equal(http_status(&c, "DELETE",
	    "/api/v1/companies/10000001/grants/abc", NULL), 400);
	/* The other grant of the pair still stands. */
	assert_int_equal(test_count("%s", "SELECT count(*) FROM grants WHERE qid = '" MARIA "'"
	    " AND service = 'EXIT_PERMIT' AND revoked_at IS NULL"), 1);
	client_free(&c);
}

static long
post_raw(struct client *c, const char *body, struct http_resp *r)
{
	return http_req(c, "POST", "/api/v1/companies/10000001/grants",
	    "application/json", body, strlen(body), r);
}

static void
bad_paths_and_bodies(void **state)
{
	struct client c;
	struct http_resp r;
	long before = grant_rows();
	json_int_t total;

	(void)state;
	signin(&c, SIGNATORY_A, "demo-signatory");
	assert_int_equal(http_json(&c, "GET", "/api/v1/companies/1000000X/grants",
	    NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "est_id");
	http_resp_free(&r);
	/* An unknown company is answered as a company of someone else's. */
	assert_int_equal(http_json(&c, "GET", "/api/v1/companies/99999999/grants",
	    NULL, &r), 403);
	assert_string_equal(resp_str(&r, "error.code"), "forbidden");
	http_resp_free(&r);
	assert_int_equal(post_raw(&c, "{\"qid\": \"28535610003\", \"services\": [",
	    &r), 400);
	assert_string_equal(resp_str(&r, "error.code"), "malformed_json");
	http_resp_free(&r);
	assert_int_equal(post_raw(&c, "[1,2]", &r), 400);
	http_resp_free(&r);
	/* Duplicate keys are refused, not resolved silently. */
	assert_int_equal(post_raw(&c, "{\"qid\":\"28535610003\",\"qid\":\"28535610003\","
	    "\"services\":[\"EXIT_PERMIT\"]}", &r), 400);
	http_resp_free(&r);
	assert_int_equal(http_json(&c, "GET",
	    "/api/v1/companies/10000001/grants?limit=0", NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "limit");
	http_resp_free(&r);
	assert_int_equal(http_json(&c, "GET",
	    "/api/v1/companies/10000001/grants?limit=1&offset=0", NULL, &r), 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	total = json_integer_value(json_object_get(r.json, "total"));
	assert_true(total >= 2);
	http_resp_free(&r);
	/* Past the last page: no items, and still the real total. */
	assert_int_equal(http_json(&c, "GET",
	    "/api/v1/companies/10000001/grants?offset=100000", NULL, &r), 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), total);
	http_resp_free(&r);
	assert_int_equal(http_json(&c, "GET",
	    "/api/v1/companies/10000001/employees?offset=100000", NULL, &r), 200);
	assert_true(json_integer_value(json_object_get(r.json, "total")) >= 10);
	http_resp_free(&r);
	assert_int_equal(grant_rows(), before);
	client_free(&c);
}

static void
services_catalogue_in_two_languages(void **state)
{
	struct client c;
	struct http_resp r;
	json_t *items, *it;
	size_t i;
	int manage = 0, view = 0;

	(void)state;
	signin(&c, MARIA, "demo-rep");
	assert_int_equal(http_json(&c, "GET", "/api/v1/services", NULL, &r), 200);
	items = json_object_get(r.json, "items");
	assert_true(json_array_size(items) >= 12);
	json_array_foreach(items, i, it) {
		const char *code = json_string_value(json_object_get(it, "code"));

		assert_non_null(json_string_value(json_object_get(it, "name_ar")));
		assert_non_null(json_string_value(json_object_get(it, "name_en")));
		manage |= strcmp(code, "RENEWAL_MANAGE") == 0;
		view |= strcmp(code, "STATEMENTS_VIEW") == 0;
	}
	assert_true(manage && view);
	http_resp_free(&r);
	client_free(&c);
}

static void
employees_for_signatory_and_reviewer(void **state)
{
	struct client c;
	struct http_resp r;
	json_t *first;
	char *want, got[64];

	(void)state;
	signin(&c, SIGNATORY_A, "demo-signatory");
	assert_int_equal(http_json(&c, "GET", "/api/v1/companies/10000001/employees",
	    NULL, &r), 200);
	assert_true(json_integer_value(json_object_get(r.json, "total")) >= 10);
	first = json_array_get(json_object_get(r.json, "items"), 0);
	/* What the person's row says: the status a text, the permit's expiry a
	 * date (null only for a citizen). */
	want = test_sqlf("SELECT status || ' ' || coalesce(permit_expiry::text, 'citizen')"
	    " FROM persons WHERE qid = '%s'", json_string_value(json_object_get(first, "qid")));
	assert_non_null(want);
	assert_true(json_is_string(json_object_get(first, "status")));
	assert_true(json_is_string(json_object_get(first, "permit_expiry")) ||
	    json_is_null(json_object_get(first, "permit_expiry")));
	snprintf(got, sizeof(got), "%s %s", json_string_value(json_object_get(first, "status")),
	    json_is_null(json_object_get(first, "permit_expiry")) ? "citizen" :
	    json_string_value(json_object_get(first, "permit_expiry")));
	assert_string_equal(got, want);
	free(want);
	http_resp_free(&r);
	client_free(&c);
	signin(&c, "28863410006", "demo-reviewer");
	assert_int_equal(http_status(&c, "GET", "/api/v1/companies/10000003/employees",
	    NULL), 200);
	client_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sister_company_employee_can_be_granted),
		cmocka_unit_test(employee_outside_the_group_is_refused),
		cmocka_unit_test(grants_are_all_or_nothing),
		cmocka_unit_test(start_dates_are_checked),
		cmocka_unit_test(other_companies_signatory_sees_and_changes_nothing),
		cmocka_unit_test(representative_sees_only_own_grants),
		cmocka_unit_test(signatory_revokes_once),
		cmocka_unit_test(bad_paths_and_bodies),
		cmocka_unit_test(services_catalogue_in_two_languages),
		cmocka_unit_test(employees_for_signatory_and_reviewer),
	};

	return cmocka_run_group_tests_name("grants", tests, NULL, NULL);
}
