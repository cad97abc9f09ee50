/* The scheduler tests' data; see scenario.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/ids.h"
#include "tests/lib/scenario.h"

void
scenario_clone_qid(const char *in, char out[12])
{
	snprintf(out, 12, "%.6s9%s", in, in + 7);
}

void
scenario_make_iban(const char *bban, char out[30])
{
	int d;

	for (d = 2; d <= 98; d++) {
		snprintf(out, 30, "QA%02d%s", d, bban);
		if (iban_mod97_ok(out))
			return;
	}
	fail_msg("no check digits for %s", bban);
}

int
scenario_load_clone(void)
{
	char path[512], qid[12], est[9], iban[30], bban[26], cmd[1024];
	json_t *demo, *out, *v, *arr;
	const char *key;
	size_t i;
	int rc;

	snprintf(path, sizeof(path), "%s/fixtures/demo.json", test_env("RB_ROOT"));
	if ((demo = json_load_file(path, 0, NULL)) == NULL)
		return -1;
	out = json_pack("{s:s}", "format", "registry-fixture/1");
	json_object_foreach(demo, key, arr) {
		json_t *copy;

		if (!json_is_array(arr))
			continue;
		copy = json_array();
		json_array_foreach(arr, i, v) {
			json_t *e = json_deep_copy(v);
			const char *q = json_string_value(json_object_get(e, "qid"));
			const char *s = json_string_value(json_object_get(e, "est_id"));
			const char *u = json_string_value(json_object_get(e, "uid"));
			const char *ib = json_string_value(json_object_get(e, "iban"));

			if (q) {
				scenario_clone_qid(q, qid);
				json_object_set_new(e, "qid", json_string(qid));
			}
			if (s) {
				snprintf(est, sizeof(est), "11%s", s + 2);
				json_object_set_new(e, "est_id", json_string(est));
			}
			if (ib) {
				snprintf(bban, sizeof(bban), "CLON%s", ib + 8);
				scenario_make_iban(bban, iban);
				json_object_set_new(e, "iban", json_string(iban));
			}
			if (strcmp(key, "directory") == 0) {
				/* Only the signatory signs in; no groups for the copies. */
				if (u == NULL || strcmp(u, "27263410001") != 0) {
					json_decref(e);
					continue;
				}
				json_object_set_new(e, "uid", json_string(CLONE_SIG));
				json_object_set_new(e, "groups", json_array());
			}
			json_array_append_new(copy, e);
		}
		json_object_set_new(out, key, copy);
	}
	snprintf(path, sizeof(path), "%s/demo-clone.json", test_env("RB_VAR"));
	rc = json_dump_file(out, path, JSON_INDENT(1));
	json_decref(out);
	json_decref(demo);
	if (rc != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "%s/rb-load %s >/dev/null", test_env("RB_BIN"), path);
	return system(cmd) == 0 ? 0 : -1;
}

void
scenario_subscribe_clone(struct client *sig, struct client *rev)
{
	struct http_resp r;
	char iban[30], path[128];
	json_t *b;

	scenario_make_iban("CLON000000000000123456789", iban);
	b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "iban", iban,
	    "authorizing_qid", CLONE_SIG, "email", "hr@alnoor.example", "mobile",
	    "+97455000001", "language", "ar", "delivery_address", "PO Box 1, Doha",
	    "cap_dirhams", 500000, "duration_years", 1);
	assert_int_equal(http_json(sig, "POST", "/api/v1/companies/" CLONE_EST
	    "/renewal/subscription", b, &r), 201);
	snprintf(path, sizeof(path), "/api/v1/backoffice/subscriptions/%s/approve",
	    resp_str(&r, "reference"));
	http_resp_free(&r);
	json_decref(b);
	assert_int_equal(http_status(rev, "POST", path, NULL), 200);
}

/*
 * Bulk companies for the crash and concurrency tests, made with SQL:
 * companies first..first+n-1, 20 residents each, all expiring on dates
 * from lo to hi, an approved enabled subscription each.
 */
void
scenario_bulk(int first, int n, int qid_prefix, const char *lo, const char *hi)
{
	char *r;
	int i;

	r = test_sqlf("INSERT INTO companies SELECT (%d + g)::text, 'شركة ' || g, 'Bulk ' || (%d + g),"
	    " 'hr@bulk.example', 'en' FROM generate_series(0, %d) g", first, first, n - 1);
	assert_non_null(r);
	free(r);
	r = test_sqlf("INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile,"
	    " language, in_country, status, permit_expiry, fines_dirhams)"
	    " SELECT '2%02d356' || lpad(g::text, 5, '0'), 'موظف', 'Worker ' || g, 'IND', false,"
	    " '+97455000000', 'en', true, 'active',"
	    " '%s'::date + (g %% ('%s'::date - '%s'::date + 1)), 0"
	    " FROM generate_series(0, %d) g", qid_prefix, lo, hi, lo, n * 20 - 1);
	assert_non_null(r);
	free(r);
	r = test_sqlf("INSERT INTO passports SELECT '2%02d356' || lpad(g::text, 5, '0'),"
	    " 'P' || lpad(g::text, 7, '0'), '2035-01-01' FROM generate_series(0, %d) g",
	    qid_prefix, n * 20 - 1);
	assert_non_null(r);
	free(r);
	r = test_sqlf("INSERT INTO employment (qid, est_id, since) SELECT"
	    " '2%02d356' || lpad(g::text, 5, '0'), (%d + g / 20)::text, '2020-01-01'"
	    " FROM generate_series(0, %d) g", qid_prefix, first, n * 20 - 1);
	assert_non_null(r);
	free(r);
	/* Who signs for the companies and authorized their mandates (an
	 * execution checks it, issue 11 §2): a citizen of their own. */
	r = test_sqlf("INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile,"
	    " language, in_country, status) VALUES ('2%02d35699999', 'مفوض', 'Bulk Signatory',"
	    " 'QAT', true, '+97455000000', 'en', true, 'active')", qid_prefix);
	assert_non_null(r);
	free(r);
	for (i = 0; i < n; i++) {
		char bban[26], iban[30];

		snprintf(bban, sizeof(bban), "BULK%021d", first + i);
		scenario_make_iban(bban, iban);
		r = test_sqlf("INSERT INTO bank_accounts VALUES ('%s', '%d', 100000000);"
		    " INSERT INTO renewal_settings VALUES ('%d', true, 100000000, 1,"
		    " 'hr@bulk.example', '+97455000000', 'en', 'Doha', now());"
		    " INSERT INTO renewal_subscriptions (est_id, reference, status, iban,"
		    " authorizing_qid, submitted_by, submitted_at, reviewed_by, reviewed_at)"
		    " VALUES ('%d', 'RN-%04d-%04d', 'active', '%s', '2%02d35699999', 'test',"
		    " now(), 'test', now());"
		    " INSERT INTO signatories (qid, est_id) VALUES ('2%02d35699999', '%d')",
		    iban, first + i, first + i, first + i, (first + i) / 10000 % 10000,
		    (first + i) % 10000, iban, qid_prefix, qid_prefix, first + i);
		assert_non_null(r);
		free(r);
	}
}

void
scenario_retire(const char *prefix)
{
	free(test_sqlf("UPDATE renewal_subscriptions SET status = 'replaced' WHERE est_id LIKE"
	    " '%s%%' AND status = 'active'; DELETE FROM outbox WHERE est_id LIKE '%s%%'"
	    " AND status = 'pending'", prefix, prefix));
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id LIKE '%s%%'"
	    " AND status = 'pending'", prefix), 0);
	assert_int_equal(test_count("SELECT count(*) FROM renewal_subscriptions WHERE est_id"
	    " LIKE '%s%%' AND status = 'active'", prefix), 0);
}

int
scenario_executions(void)
{
	struct client sig, rev;
	int ok;

	if (test_count("SELECT count(*) FROM statements WHERE est_id = '" CLONE_EST "'"
	    " AND cycle_date = '2026-12-08' AND kind = 'execution'") > 0)
		return 0;
	/* In it_scheduler's order: the copy, its alert and execution; then
	 * each bulk cycle. */
	if (scenario_load_clone() < 0)
		return -1;
	client_init(&sig);
	client_init(&rev);
	ok = client_signin(&sig, CLONE_SIG, "demo-signatory") == 201 &&
	    client_signin(&rev, "28863410006", "demo-reviewer") == 201;
	if (ok)
		scenario_subscribe_clone(&sig, &rev);
	client_free(&sig);
	client_free(&rev);
	if (!ok || test_scheduler_run("alert", "2026-12-01") != 0 ||
	    test_scheduler_run("execution", "2026-12-08") != 0)
		return -1;
	scenario_bulk(12000000, 120, 95, "2027-02-10", "2027-03-05");
	if (test_scheduler_run("execution", "2027-02-08") != 0)
		return -1;
	scenario_retire("120");
	scenario_bulk(13000000, 120, 96, "2027-03-20", "2027-04-05");
	if (test_scheduler_run("execution", "2027-03-08") != 0)
		return -1;
	scenario_retire("130");
	return 0;
}
