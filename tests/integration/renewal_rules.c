/*
 * The fee rules and the candidate window as production applies them, not
 * a copy: the rules as seeded in the database (sql/007_scheduler.sql) and
 * the fees a real execution debits for 1, 2 and 3-year renewals, checked
 * against Qatar's published figures written here (QAR 1,000 a year, 20 %
 * off three years, QAR 20 delivery); and the window's edge through the
 * candidates query itself (a permit expiring on the window's last day is a
 * candidate, one expiring a day later is not).
 *
 * Three companies of this test's own, one per duration, take part in an
 * execution on a date no other test uses; the other companies' share of
 * that cycle is marked done beforehand, so the run touches only them. They
 * leave the renewal service afterwards and their messages are dropped.
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

#define EXEC_DATE	"2032-03-08"
/* EXEC_DATE + 30 days, the window's last day, and the day after. */
#define WINDOW_LAST	"2032-04-07"
#define WINDOW_PAST	"2032-04-08"
#define EXPIRY		"2032-03-20"	/* in the window, not expired: no fine */

#define EST1	"97000001"	/* renews for 1 year */
#define EST2	"97000002"	/* 2 years */
#define EST3	"97000003"	/* 3 years */
#define P1	"29935697001"
#define P2	"29935697002"
#define P3	"29935697003"
#define P_EDGE	"29935697004"	/* EST1's, expires on WINDOW_LAST */
#define P_PAST	"29935697005"	/* EST1's, expires on WINDOW_PAST */
#define MINE	"('" EST1 "', '" EST2 "', '" EST3 "')"

/* The published figures, in dirhams: not read from the code or the rules. */
#define FEE_PER_YEAR	100000
#define THREE_YEAR_OFF	20
#define DELIVERY	2000
static const long fee_for_years[4] = { 0, 102000, 202000, 242000 };

static struct client rev;
static const struct signin signins[] = {
	{ &rev, "28863410006", "demo-reviewer" },
};

static const char make[] =
	"INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES"
	" ('" EST1 "', 'شركة سنة', 'Rules One Year', 'hr@rules1.example', 'en'),"
	" ('" EST2 "', 'شركة سنتين', 'Rules Two Years', 'hr@rules2.example', 'en'),"
	" ('" EST3 "', 'شركة ثلاث', 'Rules Three Years', 'hr@rules3.example', 'en');"
	"INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,"
	" in_country, status, permit_expiry) VALUES"
	" ('" P1 "', 'أ', 'Rules One', 'IND', false, '+97455970001', 'en', true, 'active', '"
	EXPIRY "'),"
	" ('" P2 "', 'ب', 'Rules Two', 'IND', false, '+97455970002', 'en', true, 'active', '"
	EXPIRY "'),"
	" ('" P3 "', 'ج', 'Rules Three', 'IND', false, '+97455970003', 'en', true, 'active', '"
	EXPIRY "'),"
	" ('" P_EDGE "', 'د', 'Rules Edge', 'IND', false, '+97455970004', 'en', true, 'active', '"
	WINDOW_LAST "'),"
	" ('" P_PAST "', 'ه', 'Rules Past', 'IND', false, '+97455970005', 'en', true, 'active', '"
	WINDOW_PAST "');"
	"INSERT INTO passports (qid, number, expiry) SELECT qid, 'R' || right(qid, 7),"
	" '2040-01-01' FROM persons WHERE qid LIKE '299356970%';"
	"INSERT INTO employment (qid, est_id, since) VALUES ('" P1 "', '" EST1 "', '2024-01-01'),"
	" ('" P2 "', '" EST2 "', '2024-01-01'), ('" P3 "', '" EST3 "', '2024-01-01'),"
	" ('" P_EDGE "', '" EST1 "', '2024-01-01'), ('" P_PAST "', '" EST1 "', '2024-01-01');"
	"INSERT INTO bank_accounts (iban, est_id, balance_dirhams) SELECT"
	" 'QA00RULE00000000000000000' || right(est_id, 4), est_id, 100000000"
	" FROM companies WHERE est_id IN " MINE ";"
	"INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid,"
	" submitted_by, submitted_at, reviewed_by, reviewed_at) SELECT est_id,"
	" 'RN-RR97-000' || right(est_id, 1), 'active',"
	" 'QA00RULE00000000000000000' || right(est_id, 4), '" P1 "', '" P1 "', now(),"
	" '28863410006', now() FROM companies WHERE est_id IN " MINE ";"
	/* The mandate's signatory signs for each company (issue 11 §2). */
	"INSERT INTO signatories (qid, est_id) SELECT '" P1 "', est_id FROM companies"
	" WHERE est_id IN " MINE ";"
	"INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years, email, mobile,"
	" language, delivery_address, updated_at) SELECT est_id, true, 10000000,"
	" right(est_id, 1)::smallint, 'hr@rules.example', '+97455970000', 'en', 'PO Box 97, Doha',"
	" now() FROM companies WHERE est_id IN " MINE ";"
	"SELECT count(*) FROM renewal_settings WHERE est_id IN " MINE;

static int
setup(void **state)
{
	char *n;

	(void)state;
	n = test_sql(make);
	if (n == NULL || strcmp(n, "3") != 0) {
		free(n);
		return -1;
	}
	free(n);
	return signin_setup(signins, SIGNIN_N(signins));
}

static int
teardown(void **state)
{
	(void)state;
	/* Out of every later cycle and of the notifier's way. */
	free(test_sql("UPDATE renewal_subscriptions SET status = 'replaced'"
	    " WHERE est_id IN " MINE ";"
	    "DELETE FROM outbox WHERE est_id IN " MINE));
	signin_teardown(signins, SIGNIN_N(signins));
	return 0;
}

static void
rules_as_seeded(void **state)
{
	char *v;

	(void)state;
	/* The row in force on the execution date is the seeded one. */
	v = test_sql("SELECT valid_from || ' ' || fee_per_year_dirhams || ' ' ||"
	    " three_year_discount_pct || ' ' || delivery_fee_dirhams || ' ' || window_days"
	    " FROM renewal_rules WHERE valid_from <= '" EXEC_DATE "'"
	    " ORDER BY valid_from DESC LIMIT 1");
	assert_non_null(v);
	assert_string_equal(v, "2000-01-01 100000 20 2000 30");
	free(v);
	/* The expected fees follow from the published figures. */
	assert_int_equal(fee_for_years[1], FEE_PER_YEAR + DELIVERY);
	assert_int_equal(fee_for_years[2], 2 * FEE_PER_YEAR + DELIVERY);
	assert_int_equal(fee_for_years[3], 3 * FEE_PER_YEAR * (100 - THREE_YEAR_OFF) / 100 +
	    DELIVERY);
}

/* The preview of est on EXEC_DATE: its items (borrowed from r). */
static json_t *
preview(const char *est, struct http_resp *r)
{
	char path[128];

	snprintf(path, sizeof(path), "/api/v1/companies/%s/renewal/preview?date=%s", est,
	    EXEC_DATE);
	assert_int_equal(http_json(&rev, "GET", path, NULL, r), 200);
	return json_object_get(r->json, "items");
}

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static long
num(json_t *o, const char *k)
{
	return (long)json_integer_value(json_object_get(o, k));
}

static void
window_edge_through_the_candidates_query(void **state)
{
	struct http_resp r;
	json_t *items;

	(void)state;
	/* Sorted by expiry: P1, then the last day's; the day after is out. */
	items = preview(EST1, &r);
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(str(json_array_get(items, 0), "qid"), P1);
	assert_string_equal(str(json_array_get(items, 1), "qid"), P_EDGE);
	assert_string_equal(str(json_array_get(items, 1), "result"), "RENEWED");
	http_resp_free(&r);
}

static void
preview_fees_by_duration(void **state)
{
	static const char *const ests[4] = { NULL, EST1, EST2, EST3 };
	struct http_resp r;
	json_t *l;
	int y;

	(void)state;
	for (y = 1; y <= 3; y++) {
		l = json_array_get(preview(ests[y], &r), 0);
		assert_non_null(l);
		assert_int_equal(num(r.json, "duration_years"), y);
		assert_string_equal(str(l, "result"), "RENEWED");
		assert_int_equal(num(l, "fee_dirhams"), fee_for_years[y]);
		assert_int_equal(num(l, "late_fine_dirhams"), 0);
		http_resp_free(&r);
	}
}

static void
execution_debits_the_fees(void **state)
{
	static const char *const ests[4] = { NULL, EST1, EST2, EST3 };
	static const char *const qids[4] = { NULL, P1, P2, P3 };
	static const char *const new_expiry[4] = { NULL, "2033-03-20", "2034-03-20",
	    "2035-03-20" };
	struct http_resp r;
	char path[64];
	json_t *items, *l;
	long id;
	int y;

	(void)state;
	/* Only this test's companies take part in the cycle. */
	free(test_sql("INSERT INTO cycles (kind, cycle_date, created_at) VALUES"
	    " ('execution', '" EXEC_DATE "', now());"
	    "INSERT INTO cycle_companies (cycle_id, est_id, done_at) SELECT c.id, s.est_id, now()"
	    " FROM cycles c, renewal_subscriptions s WHERE c.kind = 'execution'"
	    " AND c.cycle_date = '" EXEC_DATE "' AND s.status = 'active'"
	    " AND s.est_id NOT IN " MINE));
	assert_int_equal(test_scheduler_run("execution", EXEC_DATE), 0);
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE cycle_date = '"
	    EXEC_DATE "' AND est_id NOT IN " MINE), 0);
	for (y = 1; y <= 3; y++) {
		id = (long)test_count("SELECT id FROM statements WHERE est_id = '%s'"
		    " AND kind = 'execution' AND cycle_date = '" EXEC_DATE "'", ests[y]);
		snprintf(path, sizeof(path), "/api/v1/statements/%ld", id);
		assert_int_equal(http_json(&rev, "GET", path, NULL, &r), 200);
		items = json_object_get(r.json, "items");
		assert_int_equal(json_array_size(items), y == 1 ? 2 : 1);
		l = json_array_get(items, 0);
		assert_string_equal(str(l, "qid"), qids[y]);
		assert_string_equal(str(l, "result"), "RENEWED");
		assert_int_equal(num(l, "fee_dirhams"), fee_for_years[y]);
		assert_string_equal(str(l, "new_expiry"), new_expiry[y]);
		assert_int_equal(num(r.json, "total_dirhams"),
		    fee_for_years[y] * (y == 1 ? 2 : 1));
		http_resp_free(&r);
		/* What the bank was asked for, and the permit as renewed. */
		assert_int_equal(test_count("SELECT amount_dirhams FROM bank_debits"
		    " WHERE idempotency_key LIKE '%s:%%:%s' AND status = 'debited'", ests[y],
		    qids[y]), fee_for_years[y]);
		assert_int_equal(test_count("SELECT permit_last_duration_years FROM persons"
		    " WHERE qid = '%s'", qids[y]), y);
	}
	/* The window's edge, in the execution too. */
	assert_int_equal(test_count("SELECT count(*) FROM statement_lines l JOIN statements s"
	    " ON s.id = l.statement_id WHERE s.cycle_date = '" EXEC_DATE "' AND l.qid = '"
	    P_PAST "'"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM statement_lines l JOIN statements s"
	    " ON s.id = l.statement_id WHERE s.cycle_date = '" EXEC_DATE "'"
	    " AND s.kind = 'execution' AND l.qid = '" P_EDGE "'"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_as_seeded),
		cmocka_unit_test(window_edge_through_the_candidates_query),
		cmocka_unit_test(preview_fees_by_duration),
		cmocka_unit_test(execution_debits_the_fees),
	};

	return cmocka_run_group_tests_name("renewal_rules", tests, setup, teardown);
}
