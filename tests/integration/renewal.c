/* Automatic renewal: subscription, approval, switches, exclusions (SPEC §4). */
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

#define SIG_A		"27263410001"	/* signs for 10000001 and 10000002 */
#define SIG_B		"27963410002"	/* signs for 10000003 */
#define REVIEWER	"28863410006"
#define REVIEWER_SIG	"28863410099"	/* a reviewer who also signs for 10000002 */
#define RAJESH		"28535610003"	/* holds RENEWAL_MANAGE for 10000001 (see setup) */
#define MARIA		"28560810004"	/* holds no renewal permission */
#define IBAN_A		"QA93QNBA000000000000123456789"
#define IBAN_A2		"QA90QNBA000000000000123400001"
#define IBAN_2		"QA45QNBA000000000000987654321"
#define IBAN_3		"QA21CBQA000000000000555000111"

static struct client sig_a, sig_b, rev, rev_sig, rajesh, maria;
static const struct signin signins[] = {
	{ &sig_a, SIG_A, "demo-signatory" },
	{ &sig_b, SIG_B, "demo-signatory2" },
	{ &rev, REVIEWER, "demo-reviewer" },
	{ &rev_sig, REVIEWER_SIG, "test-reviewer-sig" },
	{ &rajesh, RAJESH, "demo-hr" },
	{ &maria, MARIA, "demo-rep" },
};
/* Rajesh's grant when setup() made it (it_grants had not), 0 otherwise. */
static long long rajesh_grant;

/*
 * Rajesh's RENEWAL_MANAGE for 10000001: it_grants gives it him; so that
 * this test needs no other to run first, it is granted here when missing
 * and revoked again in teardown() (it_grants expects to grant it itself).
 */
static int
rajesh_manages(void)
{
	struct http_resp r;
	json_t *b;
	long st;

	char path[96];
	long long offered;

	/* Given by it_grants and not yet accepted: he accepts it (issue 16 §1). */
	offered = test_count("SELECT coalesce(max(id), 0) FROM grants WHERE est_id = '10000001'"
	    " AND qid = '" RAJESH "' AND service = 'RENEWAL_MANAGE' AND revoked_at IS NULL"
	    " AND acceptance = 'pending'");
	if (offered > 0) {
		snprintf(path, sizeof(path), "/api/v1/me/grants/%lld/accept", offered);
		if (http_status(&rajesh, "POST", path, NULL) != 200)
			return -1;
	}
	if (test_count("SELECT count(*) FROM grants WHERE est_id = '10000001' AND qid = '"
	    RAJESH "' AND service = 'RENEWAL_MANAGE' AND revoked_at IS NULL") != 0)
		return 0;
	b = json_pack("{s:s, s:[s], s:n}", "qid", RAJESH, "services", "RENEWAL_MANAGE",
	    "valid_until");
	st = http_json(&sig_a, "POST", "/api/v1/companies/10000001/grants", b, &r);
	json_decref(b);
	if (st == 201)
		rajesh_grant = json_integer_value(json_object_get(json_array_get(
		    json_object_get(r.json, "items"), 0), "id"));
	http_resp_free(&r);
	if (st != 201 || rajesh_grant <= 0)
		return -1;
	/* He accepts it (issue 16 §1): until then it gives him nothing. */
	snprintf(path, sizeof(path), "/api/v1/me/grants/%lld/accept", rajesh_grant);
	return http_status(&rajesh, "POST", path, NULL) == 200 ? 0 : -1;
}

static int
setup(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s/rb-load %s/tests/fixtures/renewal_extra.json >/dev/null",
	    test_env("RB_BIN"), test_env("RB_ROOT"));
	if (system(cmd) != 0)
		return -1;
	if (signin_setup(signins, SIGNIN_N(signins)) != 0)
		return -1;
	return rajesh_manages();
}

static int
teardown(void **state)
{
	char path[128];
	long st = 200;

	(void)state;
	if (rajesh_grant > 0) {
		snprintf(path, sizeof(path), "/api/v1/companies/10000001/grants/%lld",
		    rajesh_grant);
		st = http_status(&sig_a, "DELETE", path, NULL);
	}
	signin_teardown(signins, SIGNIN_N(signins));
	return st == 200 ? 0 : -1;
}

static json_t *
subscription(const char *iban, const char *auth)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "iban", iban,
	    "authorizing_qid", auth, "email", "hr@alnoor.example",
	    "mobile", "+97455000001", "language", "ar",
	    "delivery_address", "PO Box 1234, Doha", "cap_dirhams", 500000,
	    "duration_years", 1);
}

static long
subscribe(struct client *c, const char *est, json_t *body, struct http_resp *r)
{
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/companies/%s/renewal/subscription", est);
	return http_json(c, "POST", path, body, r);
}

/* Sends a broken variant of a valid subscription; expects 400 naming field. */
static void
refused(const char *field, json_t *value, const char *code)
{
	struct http_resp r;
	json_t *b = subscription(IBAN_A, SIG_A);

	if (value == NULL)
		json_object_del(b, field);
	else
		json_object_set_new(b, field, value);
	assert_int_equal(subscribe(&sig_a, "10000001", b, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), field);
	if (code != NULL)
		assert_string_equal(resp_str(&r, "error.code"), code);
	http_resp_free(&r);
	json_decref(b);
}

static void
bad_subscriptions_write_nothing(void **state)
{
	long before = test_count("%s", "SELECT count(*) FROM renewal_subscriptions");
	struct http_resp r;
	json_t *b;

	(void)state;
	refused("iban", json_string("QA94QNBA000000000000123456789"), NULL);	/* checksum */
	refused("iban", json_string("GB82WEST12345698765432"), NULL);		/* foreign */
	refused("iban", json_string("qa93qnba000000000000123456789"), NULL);
	refused("iban", json_string(IBAN_2), "account_not_company");		/* 10000002's */
	refused("authorizing_qid", json_string(RAJESH), "not_signatory");
	refused("cap_dirhams", json_integer(-1), NULL);
	refused("cap_dirhams", json_integer(0), NULL);
	refused("cap_dirhams", json_integer(10000000001LL), NULL);
	refused("cap_dirhams", json_real(100.5), NULL);
	refused("cap_dirhams", json_string("500000"), NULL);
	refused("duration_years", json_integer(4), NULL);
	refused("duration_years", json_integer(0), NULL);
	refused("email", json_string("not-an-email"), NULL);
	/* A local mobile (55000001) is taken as +974 (issue 12); a fixed line is not. */
	refused("mobile", json_string("44000001"), NULL);
	refused("language", json_string("de"), NULL);	/* not one of the six */
	refused("delivery_address", json_string(""), NULL);
	refused("enabled", json_string("yes"), NULL);
	refused("delivery_address", NULL, NULL);	/* required */
	refused("no_such_field", json_true(), NULL);
	/* Only a signatory subscribes. */
	b = subscription(IBAN_A, SIG_A);
	assert_int_equal(subscribe(&rajesh, "10000001", b, &r), 403);
	http_resp_free(&r);
	assert_int_equal(subscribe(&rev, "10000001", b, &r), 403);
	http_resp_free(&r);
	assert_int_equal(subscribe(&sig_b, "10000001", b, &r), 403);
	http_resp_free(&r);
	/* An unknown company is told apart only to reviewers (issue 11 §3). */
	assert_int_equal(subscribe(&sig_a, "99999999", b, &r), 403);
	assert_string_equal(resp_str(&r, "error.code"), "not_signatory");
	http_resp_free(&r);
	json_decref(b);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM renewal_subscriptions"), before);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM renewal_settings WHERE est_id = '10000001'"), 0);
}

static void
subscribe_then_approve(void **state)
{
	struct http_resp r;
	json_t *b = subscription(IBAN_A, SIG_A);
	char reference[16], path[128];
	const char *ref;
	long before = test_count("%s", "SELECT count(*) FROM audit_log WHERE action = 'renewal.approve'");

	(void)state;
	assert_int_equal(subscribe(&sig_a, "10000001", b, &r), 201);
	ref = resp_str(&r, "reference");
	assert_non_null(ref);
	assert_int_equal(strlen(ref), 12);
	assert_int_equal(strncmp(ref, "RN-", 3), 0);
	assert_null(strpbrk(ref + 3, "ILOU"));
	snprintf(reference, sizeof(reference), "%s", ref);
	assert_string_equal(resp_str(&r, "status"), "pending");
	http_resp_free(&r);
	/* Pending: it says so, switch on or not, in the settings and the
	 * preview alike; nothing runs until a reviewer approves. */
	assert_int_equal(http_json(&sig_a, "GET", "/api/v1/companies/10000001/renewal",
	    NULL, &r), 200);
	assert_string_equal(resp_str(&r, "status"), "pending");
	assert_true(json_is_true(json_object_get(r.json, "enabled")));
	assert_string_equal(resp_str(&r, "renewal_state"), "awaiting_review");
	http_resp_free(&r);
	assert_int_equal(http_json(&sig_a, "GET",
	    "/api/v1/companies/10000001/renewal/preview?date=2026-12-08", NULL, &r), 200);
	assert_string_equal(resp_str(&r, "renewal_state"), "awaiting_review");
	assert_true(json_is_false(json_object_get(r.json, "subscribed")));
	http_resp_free(&r);
	/* One open subscription per company. */
	assert_int_equal(subscribe(&sig_a, "10000001", b, &r), 409);
	assert_string_equal(resp_str(&r, "error.code"), "already_subscribed");
	http_resp_free(&r);
	json_decref(b);

	/* The reviewer finds it by establishment number and by name. */
	assert_int_equal(http_json(&rev, "GET",
	    "/api/v1/backoffice/subscriptions?status=pending&q=10000001", NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 0), "reference")), reference);
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET",
	    "/api/v1/backoffice/subscriptions?q=Noor%20Contr", NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET",
	    "/api/v1/backoffice/subscriptions?q=%25", NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
	http_resp_free(&r);
	assert_int_equal(http_status(&sig_a, "GET", "/api/v1/backoffice/subscriptions",
	    NULL), 403);
	assert_int_equal(http_status(&rev, "GET",
	    "/api/v1/backoffice/subscriptions?status=bogus", NULL), 400);

	/* Only a reviewer approves. */
	snprintf(path, sizeof(path), "/api/v1/backoffice/subscriptions/%s/approve", reference);
	assert_int_equal(http_status(&sig_a, "POST", path, NULL), 403);
	b = json_pack("{s:s}", "note", "mandate checked");
	assert_int_equal(http_json(&rev, "POST", path, b, &r), 200);
	assert_string_equal(resp_str(&r, "status"), "active");
	http_resp_free(&r);
	assert_int_equal(http_status(&rev, "POST", path, b), 409);
	json_decref(b);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM audit_log WHERE action ="
	    " 'renewal.approve'"), before + 1);

	/* The signatory sees the state and the note. */
	assert_int_equal(http_json(&sig_a, "GET", "/api/v1/companies/10000001/renewal",
	    NULL, &r), 200);
	assert_string_equal(resp_str(&r, "status"), "active");
	assert_string_equal(resp_str(&r, "review_note"), "mandate checked");
	assert_string_equal(resp_str(&r, "iban"), IBAN_A);
	assert_int_equal(json_integer_value(json_object_get(r.json, "cap_dirhams")), 500000);
	assert_true(json_is_true(json_object_get(r.json, "enabled")));
	assert_string_equal(resp_str(&r, "renewal_state"), "on");
	http_resp_free(&r);
	assert_int_equal(http_json(&sig_a, "GET",
	    "/api/v1/companies/10000001/renewal/preview?date=2026-12-08", NULL, &r), 200);
	assert_string_equal(resp_str(&r, "renewal_state"), "on");
	http_resp_free(&r);
	assert_int_equal(http_status(&rev, "POST",
	    "/api/v1/backoffice/subscriptions/RN-0000-0000/approve", NULL), 404);
	assert_int_equal(http_status(&rev, "POST",
	    "/api/v1/backoffice/subscriptions/RN-IIII-0000/approve", NULL), 400);
}

static void
rejection_needs_a_note_and_allows_resubmission(void **state)
{
	struct http_resp r;
	json_t *b = subscription(IBAN_3, SIG_B), *note;
	char path[128];

	(void)state;
	json_object_set_new(b, "email", json_string("admin@dohatrading.example"));
	assert_int_equal(subscribe(&sig_b, "10000003", b, &r), 201);
	snprintf(path, sizeof(path), "/api/v1/backoffice/subscriptions/%s/reject",
	    resp_str(&r, "reference"));
	http_resp_free(&r);
	assert_int_equal(http_status(&rev, "POST", path, NULL), 400);
	note = json_pack("{s:s}", "note", "");
	assert_int_equal(http_status(&rev, "POST", path, note), 400);
	json_decref(note);
	note = json_pack("{s:s}", "note", "the mandate form is not signed");
	assert_int_equal(http_status(&rev, "POST", path, note), 200);
	json_decref(note);
	assert_int_equal(http_json(&sig_b, "GET", "/api/v1/companies/10000003/renewal",
	    NULL, &r), 200);
	assert_string_equal(resp_str(&r, "status"), "rejected");
	assert_string_equal(resp_str(&r, "review_note"), "the mandate form is not signed");
	http_resp_free(&r);
	/* Switches need a pending or active subscription. */
	note = json_pack("{s:i}", "cap_dirhams", 1000);
	assert_int_equal(http_status(&sig_b, "PATCH", "/api/v1/companies/10000003/renewal",
	    note), 409);
	json_decref(note);
	assert_int_equal(subscribe(&sig_b, "10000003", b, &r), 201);
	assert_string_equal(resp_str(&r, "status"), "pending");
	http_resp_free(&r);
	json_decref(b);
}

/* Whether REVIEWER_SIG signs for 10000002: until ended_on (an SQL date), or
 * again (NULL). */
static void
reviewer_sig_ends(const char *ended_on)
{
	free(test_sqlf("UPDATE signatories SET ended_on = %s WHERE qid = '" REVIEWER_SIG "'"
	    " AND est_id = '10000002'", ended_on));
}

/* c's review at path answers status with code. */
static void
review_answers(struct client *c, const char *path, long status, const char *code)
{
	struct http_resp r;

	assert_int_equal(http_json(c, "POST", path, NULL, &r), status);
	assert_string_equal(resp_str(&r, "error.code"), code);
	http_resp_free(&r);
}

static void
separation_of_duties(void **state)
{
	struct http_resp r;
	json_t *b = subscription(IBAN_2, REVIEWER_SIG);
	char path[128];

	(void)state;
	assert_int_equal(subscribe(&rev_sig, "10000002", b, &r), 201);
	snprintf(path, sizeof(path), "/api/v1/backoffice/subscriptions/%s/approve",
	    resp_str(&r, "reference"));
	http_resp_free(&r);
	json_decref(b);
	/* A reviewer who signs for the company cannot approve it... */
	review_answers(&rev_sig, path, 403, "separation_of_duties");
	/* ...nor, having stopped signing for it, their own submission. */
	reviewer_sig_ends("'2026-11-01'");
	review_answers(&rev_sig, path, 403, "separation_of_duties");
	assert_int_equal(test_count("%s", "SELECT count(*) FROM renewal_subscriptions WHERE"
	    " est_id = '10000002' AND status = 'pending'"), 1);
	/* Nor another reviewer while the one who authorized the debits does not
	 * sign (issue 11 §2: an approval re-checks the mandate)... */
	review_answers(&rev, path, 409, "mandate_invalid");
	/* ... but once they sign again, another reviewer can; they stop signing
	 * again after, as the tests after this one expect. */
	reviewer_sig_ends("NULL");
	assert_int_equal(http_status(&rev, "POST", path, NULL), 200);
	reviewer_sig_ends("'2026-11-01'");
}

static void
switches_for_signatory_and_renewal_managers(void **state)
{
	struct http_resp r;
	json_t *b;
	char *audit;

	(void)state;
	/* Rajesh holds RENEWAL_MANAGE for 10000001. */
	b = json_pack("{s:i, s:i, s:s, s:b}", "cap_dirhams", 300000, "duration_years", 3,
	    "language", "en", "enabled", 0);
	assert_int_equal(http_json(&rajesh, "PATCH", "/api/v1/companies/10000001/renewal",
	    b, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "cap_dirhams")), 300000);
	assert_int_equal(json_integer_value(json_object_get(r.json, "duration_years")), 3);
	assert_true(json_is_false(json_object_get(r.json, "enabled")));
	assert_string_equal(resp_str(&r, "renewal_state"), "stopped");
	assert_string_equal(resp_str(&r, "language"), "en");
	http_resp_free(&r);
	json_decref(b);
	audit = test_sql("SELECT detail FROM audit_log WHERE action = 'renewal.settings'"
	    " AND target = 'renewal:10000001' ORDER BY id DESC LIMIT 1");
	assert_non_null(strstr(audit, "\"cap_dirhams\":{\"new\":300000,\"old\":500000}"));
	assert_non_null(strstr(audit, "\"enabled\":{\"new\":false,\"old\":true}"));
	free(audit);
	/* Reactivated for the next execution. */
	b = json_pack("{s:b}", "enabled", 1);
	assert_int_equal(http_status(&sig_a, "PATCH", "/api/v1/companies/10000001/renewal",
	    b), 200);
	json_decref(b);
	/* Nothing of 10000002, and never the debit account. */
	b = json_pack("{s:i}", "cap_dirhams", 1);
	assert_int_equal(http_status(&rajesh, "PATCH", "/api/v1/companies/10000002/renewal",
	    b), 403);
	assert_int_equal(http_status(&rajesh, "GET", "/api/v1/companies/10000002/renewal",
	    NULL), 403);
	json_decref(b);
	b = json_pack("{s:s}", "iban", IBAN_A2);
	assert_int_equal(http_status(&rajesh, "PATCH", "/api/v1/companies/10000001/renewal",
	    b), 403);
	json_decref(b);
	/* Without the permission: nothing. A reviewer reads but does not change. */
	b = json_pack("{s:i}", "cap_dirhams", 1);
	assert_int_equal(http_status(&maria, "GET", "/api/v1/companies/10000001/renewal",
	    NULL), 403);
	assert_int_equal(http_status(&maria, "PATCH", "/api/v1/companies/10000001/renewal",
	    b), 403);
	assert_int_equal(http_status(&rev, "GET", "/api/v1/companies/10000001/renewal",
	    NULL), 200);
	assert_int_equal(http_status(&rev, "PATCH", "/api/v1/companies/10000001/renewal",
	    b), 403);
	json_decref(b);
	/* Bad values change nothing. */
	b = json_pack("{s:i, s:i}", "cap_dirhams", 999, "duration_years", 4);
	assert_int_equal(http_status(&sig_a, "PATCH", "/api/v1/companies/10000001/renewal",
	    b), 400);
	json_decref(b);
	assert_int_equal(test_count("%s", "SELECT cap_dirhams FROM renewal_settings"
	    " WHERE est_id = '10000001'"), 300000);
}

static void
changing_the_debit_account_needs_a_new_approval(void **state)
{
	struct http_resp r;
	json_t *b;
	char path[128];

	(void)state;
	b = json_pack("{s:s}", "iban", IBAN_2);
	assert_int_equal(http_json(&sig_a, "PATCH", "/api/v1/companies/10000001/renewal",
	    b, &r), 400);
	assert_string_equal(resp_str(&r, "error.code"), "account_not_company");
	http_resp_free(&r);
	json_decref(b);
	b = json_pack("{s:s}", "iban", IBAN_A2);
	assert_int_equal(http_json(&sig_a, "PATCH", "/api/v1/companies/10000001/renewal",
	    b, &r), 200);
	/* Still debiting the approved account until the change is approved. */
	assert_string_equal(resp_str(&r, "status"), "active");
	assert_string_equal(resp_str(&r, "iban"), IBAN_A);
	assert_string_equal(resp_str(&r, "pending_change.iban"), IBAN_A2);
	snprintf(path, sizeof(path), "/api/v1/backoffice/subscriptions/%s/approve",
	    resp_str(&r, "pending_change.reference"));
	http_resp_free(&r);
	assert_int_equal(http_status(&sig_a, "PATCH", "/api/v1/companies/10000001/renewal",
	    b), 409);
	json_decref(b);
	assert_int_equal(http_status(&rev, "POST", path, NULL), 200);
	assert_int_equal(http_json(&sig_a, "GET", "/api/v1/companies/10000001/renewal",
	    NULL, &r), 200);
	assert_string_equal(resp_str(&r, "iban"), IBAN_A2);
	assert_true(json_is_null(json_object_get(r.json, "pending_change")));
	http_resp_free(&r);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM renewal_subscriptions WHERE"
	    " est_id = '10000001' AND status = 'replaced' AND iban = '" IBAN_A "'"), 1);

	/* A refused change: the company sees the refusal and its note. */
	b = json_pack("{s:s}", "iban", IBAN_A);
	assert_int_equal(http_json(&sig_a, "PATCH", "/api/v1/companies/10000001/renewal",
	    b, &r), 200);
	json_decref(b);
	snprintf(path, sizeof(path), "/api/v1/backoffice/subscriptions/%s/reject",
	    resp_str(&r, "pending_change.reference"));
	http_resp_free(&r);
	b = json_pack("{s:s, s:s}", "note", "no", "extra", "x");
	assert_int_equal(http_status(&rev, "POST", path, b), 400);
	json_decref(b);
	b = json_pack("{s:s}", "note", "the bank letter is missing");
	assert_int_equal(http_status(&rev, "POST", path, b), 200);
	json_decref(b);
	assert_int_equal(http_json(&sig_a, "GET", "/api/v1/companies/10000001/renewal",
	    NULL, &r), 200);
	assert_string_equal(resp_str(&r, "iban"), IBAN_A2);
	assert_string_equal(resp_str(&r, "rejected_change.review_note"),
	    "the bank letter is missing");
	assert_true(json_is_null(json_object_get(r.json, "pending_change")));
	http_resp_free(&r);
	/* Past the last page the reviewers' list still counts. */
	assert_int_equal(http_json(&rev, "GET",
	    "/api/v1/backoffice/subscriptions?status=rejected&offset=500", NULL, &r), 200);
	assert_true(json_integer_value(json_object_get(r.json, "total")) >= 2);
	http_resp_free(&r);
}

static void
text_limits_count_characters(void **state)
{
	char address[1200] = "", *saved;
	struct http_resp r;
	json_t *b;
	int i;

	(void)state;
	/* 400 Arabic letters: 800 bytes, within the 500-character limit. */
	for (i = 0; i < 400; i++)
		strcat(address, "\xd8\xa8");
	b = json_pack("{s:s}", "delivery_address", address);
	assert_int_equal(http_json(&sig_a, "PATCH", "/api/v1/companies/10000001/renewal",
	    b, &r), 200);
	http_resp_free(&r);
	json_decref(b);
	saved = test_sql("SELECT length(delivery_address) FROM renewal_settings"
	    " WHERE est_id = '10000001'");
	assert_string_equal(saved, "400");
	free(saved);
	for (; i < 501; i++)
		strcat(address, "\xd8\xa8");
	b = json_pack("{s:s}", "delivery_address", address);
	assert_int_equal(http_status(&sig_a, "PATCH", "/api/v1/companies/10000001/renewal",
	    b), 400);
	json_decref(b);
}

static long
upload(struct client *c, const char *est, const char *csv, size_t len,
    struct http_resp *r)
{
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/companies/%s/exclusions", est);
	return http_req(c, "POST", path, "text/csv", csv, len, r);
}

static void
exclusions_one_by_one(void **state)
{
	struct http_resp r;
	json_t *b;
	long before;

	(void)state;
	b = json_pack("{s:s, s:s}", "qid", "28035610007", "note", "leaving in January");
	assert_int_equal(http_status(&sig_a, "POST", "/api/v1/companies/10000001/exclusions",
	    b), 201);
	/* Excluding twice is harmless. */
	assert_int_equal(http_status(&sig_a, "POST", "/api/v1/companies/10000001/exclusions",
	    b), 200);
	/* Reviewers and representatives without the permission cannot. */
	assert_int_equal(http_status(&rev, "POST", "/api/v1/companies/10000001/exclusions",
	    b), 403);
	assert_int_equal(http_status(&maria, "POST", "/api/v1/companies/10000001/exclusions",
	    b), 403);
	assert_int_equal(http_status(&rajesh, "POST", "/api/v1/companies/10000002/exclusions",
	    b), 403);
	json_decref(b);
	before = test_count("%s", "SELECT count(*) FROM renewal_exclusions");
	/* Only the company's employees. */
	b = json_pack("{s:s}", "qid", "28581810005");
	assert_int_equal(http_json(&rajesh, "POST", "/api/v1/companies/10000001/exclusions",
	    b, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "qid");
	assert_non_null(strstr(resp_str(&r, "error.message"), "28581810005"));
	http_resp_free(&r);
	json_decref(b);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM renewal_exclusions"), before);
	b = json_pack("{s:s}", "qid", "28152410008");
	assert_int_equal(http_status(&rajesh, "POST", "/api/v1/companies/10000001/exclusions",
	    b), 201);
	json_decref(b);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/10000001/exclusions",
	    NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 2);
	http_resp_free(&r);
	assert_int_equal(http_status(&rajesh, "DELETE",
	    "/api/v1/companies/10000001/exclusions/28152410008", NULL), 200);
	assert_int_equal(http_status(&rajesh, "DELETE",
	    "/api/v1/companies/10000001/exclusions/28152410008", NULL), 404);
	assert_int_equal(http_status(&maria, "DELETE",
	    "/api/v1/companies/10000001/exclusions/28035610007", NULL), 403);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM audit_log WHERE target ="
	    " 'exclusions:10000001' AND action IN ('exclusion.add', 'exclusion.remove')"), 3);
}

static void
csv_upload_is_all_or_nothing(void **state)
{
	static const char bad[] =
	    "qid,note\n"
	    "28205010009,ok\n"
	    "2820501000,too short\n"		/* line 3 */
	    "28358610010,\"unterminated\n"	/* line 4: the quote runs to the end */
	    ;
	static const char bad2[] =
	    "qid,note\n"
	    "28205010009,ok\n"
	    "12345678901,bad century\n"		/* line 3 */
	    "28358610010,a,b\n"			/* line 4 */
	    "28435610011,fine\n"
	    "28581810005,not ours\n";		/* line 6: in the same answer (issue 12) */
	static const char not_ours[] =
	    "qid,note\n28205010009,ok\n28581810005,not ours\n29081810017,\n";
	struct http_resp r;
	json_t *lines;
	long before = test_count("%s", "SELECT count(*) FROM renewal_exclusions");

	(void)state;
	assert_int_equal(upload(&sig_a, "10000001", bad2, strlen(bad2), &r), 400);
	assert_string_equal(resp_str(&r, "error.code"), "invalid_csv");
	lines = json_object_get(json_object_get(r.json, "error"), "lines");
	assert_int_equal(json_array_size(lines), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(lines, 0), "line")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(lines, 1), "line")), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(lines, 0), "code")),
	    "invalid_qid");
	assert_string_equal(json_string_value(json_object_get(json_array_get(lines, 1), "code")),
	    "too_many_fields");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(lines, 2), "line")), 6);
	assert_string_equal(json_string_value(json_object_get(json_array_get(lines, 2), "code")),
	    "not_employee");
	http_resp_free(&r);
	assert_int_equal(upload(&sig_a, "10000001", bad, strlen(bad), &r), 400);
	lines = json_object_get(json_object_get(r.json, "error"), "lines");
	assert_int_equal(json_array_size(lines), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(lines, 0), "line")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(lines, 1), "line")), 4);
	http_resp_free(&r);
	/* Every QID that is not an employee, with its line. */
	assert_int_equal(upload(&sig_a, "10000001", not_ours, strlen(not_ours), &r), 400);
	lines = json_object_get(json_object_get(r.json, "error"), "lines");
	assert_int_equal(json_array_size(lines), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(lines, 0), "line")), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(lines, 1), "qid")),
	    "29081810017");
	assert_string_equal(json_string_value(json_object_get(json_array_get(lines, 1), "code")),
	    "not_employee");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(lines, 1), "line")), 4);
	http_resp_free(&r);
	/* Bytes that are not UTF-8, in the QID or the note, are reported by line. */
	{
		static const char latin1[] =
		    "qid,note\n28205010009,caf\xe9\n\xff\xfe,x\n28435610011,fine\n";
		assert_int_equal(upload(&sig_a, "10000001", latin1, strlen(latin1), &r), 400);
		lines = json_object_get(json_object_get(r.json, "error"), "lines");
		assert_int_equal(json_array_size(lines), 2);
		assert_int_equal(json_integer_value(json_object_get(json_array_get(lines, 0),
		    "line")), 2);
		assert_int_equal(json_integer_value(json_object_get(json_array_get(lines, 1),
		    "line")), 3);
		http_resp_free(&r);
	}
	/* Wrong header, empty file. */
	assert_int_equal(upload(&sig_a, "10000001", "id,remark\n28205010009,x\n", 24, &r), 400);
	lines = json_object_get(json_object_get(r.json, "error"), "lines");
	assert_string_equal(json_string_value(json_object_get(json_array_get(lines, 0), "code")),
	    "bad_header");
	http_resp_free(&r);
	assert_int_equal(upload(&sig_a, "10000001", "", 0, &r), 400);
	lines = json_object_get(json_object_get(r.json, "error"), "lines");
	assert_string_equal(json_string_value(json_object_get(json_array_get(lines, 0), "code")),
	    "empty_file");
	http_resp_free(&r);
	assert_int_equal(test_count("%s", "SELECT count(*) FROM renewal_exclusions"), before);
}

static void
csv_with_bom_crlf_and_quotes_is_accepted(void **state)
{
	static const char csv[] =
	    "\xEF\xBB\xBFqid,note\r\n"
	    "28205010009,\"contract ends, not renewing\"\r\n"
	    "\"28358610010\",\"says \"\"no\"\"\"\r\n"
	    "28435610011,\r\n"
	    "28205010009,\"=cmd|' /C calc'!A0\"\r\n"	/* listed twice: the last note wins */
	    "\r\n";
	struct http_resp r;
	char *note;

	(void)state;
	assert_int_equal(upload(&rajesh, "10000001", csv, strlen(csv), &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "lines")), 4);
	http_resp_free(&r);
	note = test_sql("SELECT note FROM renewal_exclusions WHERE est_id = '10000001'"
	    " AND qid = '28358610010'");
	assert_string_equal(note, "says \"no\"");
	free(note);
	note = test_sql("SELECT note FROM renewal_exclusions WHERE est_id = '10000001'"
	    " AND qid = '28205010009'");
	assert_string_equal(note, "=cmd|' /C calc'!A0");
	free(note);
	/* The download: header, every row, and no cell a spreadsheet would run. */
	assert_int_equal(http_req(&sig_a, "GET", "/api/v1/companies/10000001/exclusions.csv",
	    NULL, NULL, 0, &r), 200);
	assert_int_equal(strncmp(r.body, "\xEF\xBB\xBFqid,note,name\r\n", 18), 0);
	assert_non_null(strstr(r.body, "\"28358610010\",\"says \"\"no\"\"\""));
	assert_non_null(strstr(r.body, "\"'=cmd|"));
	assert_null(strstr(r.body, ",\"=cmd"));
	{
		char ct[128];

		assert_true(http_header(&r, "Content-Type", ct, sizeof(ct)));
		assert_non_null(strstr(ct, "text/csv"));
	}
	http_resp_free(&r);
	assert_int_equal(http_status(&maria, "GET",
	    "/api/v1/companies/10000001/exclusions.csv", NULL), 403);
}

static void
csv_over_50000_lines_is_refused(void **state)
{
	size_t n = 60000, i, len = 0;
	char *csv = malloc(16 + n * 16);
	struct http_resp r;
	long before = test_count("%s", "SELECT count(*) FROM renewal_exclusions");
	char *note;

	(void)state;
	len += (size_t)sprintf(csv, "qid,note\n");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(csv + len, "28205010009,\n");
	assert_int_equal(upload(&sig_a, "10000001", csv, len, &r), 413);
	assert_string_equal(resp_str(&r, "error.code"), "too_many_lines");
	http_resp_free(&r);
	/* The refused upload stored nothing. */
	assert_int_equal(test_count("%s", "SELECT count(*) FROM renewal_exclusions"), before);
	/* Blank lines are not lines of the list: 60,000 of them and one QID pass. */
	len = (size_t)sprintf(csv, "qid,note\n");
	for (i = 0; i < n; i++)
		csv[len++] = '\n';
	len += (size_t)sprintf(csv + len, "28205010009,blank lines around\n");
	assert_int_equal(upload(&sig_a, "10000001", csv, len, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "lines")), 1);
	http_resp_free(&r);
	free(csv);
	note = test_sql("SELECT note FROM renewal_exclusions WHERE est_id = '10000001'"
	    " AND qid = '28205010009'");
	assert_string_equal(note, "blank lines around");
	free(note);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_subscriptions_write_nothing),
		cmocka_unit_test(subscribe_then_approve),
		cmocka_unit_test(rejection_needs_a_note_and_allows_resubmission),
		cmocka_unit_test(separation_of_duties),
		cmocka_unit_test(switches_for_signatory_and_renewal_managers),
		cmocka_unit_test(changing_the_debit_account_needs_a_new_approval),
		cmocka_unit_test(text_limits_count_characters),
		cmocka_unit_test(exclusions_one_by_one),
		cmocka_unit_test(csv_upload_is_all_or_nothing),
		cmocka_unit_test(csv_with_bom_crlf_and_quotes_is_accepted),
		cmocka_unit_test(csv_over_50000_lines_is_refused),
	};

	return cmocka_run_group_tests_name("renewal", tests, setup, teardown);
}
