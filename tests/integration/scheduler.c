/*
 * The renewal scheduler against the real stack: the demo data's alert and
 * execution checked line by line against values worked out by hand, the
 * preview matching the execution, exactly once (re-run, kill -9, two
 * instances), catch-up after downtime, statements and their verification.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"
#include "tests/lib/scenario.h"
#include "tests/lib/signin.h"

static struct client sig, rev, maria;
static const struct signin signins[] = {
	{ &sig, CLONE_SIG, "demo-signatory" },
	{ &rev, "28863410006", "demo-reviewer" },
	{ &maria, "28560810004", "demo-rep" },
};

static int
setup(void **state)
{
	(void)state;
	if (scenario_load_clone() < 0)
		return -1;
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
subscribe_clone(void **state)
{
	(void)state;
	scenario_subscribe_clone(&sig, &rev);
}

struct expect {
	const char	*qid;		/* the demo QID; the copy's is derived */
	const char	*old_expiry;
	const char	*result;	/* in the execution */
	const char	*reason;
	int		 days_left;	/* in the alert of 2026-12-01 */
	long		 fee, fine;
	const char	*new_expiry;
};

/* Worked out by hand from SPEC §4 and the demo data: execution 2026-12-08,
 * cap 500,000 dirhams, 1 year, QAR 1,000 + QAR 20 delivery, fine QAR 10 a
 * day after 90 days' grace. The window ends 2027-01-07. */
static const struct expect demo[] = {
	/* expired 190 days: 100 days past grace, fine 100,000 */
	{ "28152410008", "2026-06-01", "RENEWED", NULL, -183, 202000, 100000, "2027-12-08" },
	{ "28035610007", "2026-10-01", "RENEWED", NULL, -61, 102000, 0, "2027-12-08" },
	{ "28905010016", "2026-11-30", "REJECTED", "PERSON_NOT_ACTIVE", -1, 102000, 0, NULL },
	{ "28852410015", "2026-12-11", "REJECTED", "PERSON_ABROAD", 10, 102000, 0, NULL },
	/* 406,000 so far */
	{ "28560810012", "2026-12-15", "RENEWED", NULL, 14, 102000, 0, "2027-12-15" },
	/* passport 2027-02-01, before 2027-06-08 */
	{ "28681810013", "2026-12-18", "REJECTED", "PASSPORT_VALIDITY", 17, 102000, 0, NULL },
	/* 508,000 would pass the cap */
	{ "28205010009", "2026-12-20", "REJECTED", "CAP_EXCEEDED", 19, 102000, 0, NULL },
	{ "28735610014", "2026-12-28", "REJECTED", "OUTSTANDING_FINES", 27, 102000, 0, NULL },
	{ "28358610010", "2027-01-05", "REJECTED", "CAP_EXCEEDED", 35, 102000, 0, NULL },
};
#define NDEMO (sizeof(demo) / sizeof(demo[0]))

/* The id of the company's statement of kind on date, fetched through the API. */
static long
statement_id(const char *kind, const char *date)
{
	struct http_resp r;
	char path[160];
	long id;

	snprintf(path, sizeof(path), "/api/v1/companies/" CLONE_EST
	    "/statements?kind=%s&date=%s", kind, date);
	assert_int_equal(http_json(&sig, "GET", path, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	id = (long)json_integer_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 0), "id"));
	http_resp_free(&r);
	return id;
}

static json_t *
statement_lines(long id, struct http_resp *r)
{
	char path[64];

	snprintf(path, sizeof(path), "/api/v1/statements/%ld", id);
	assert_int_equal(http_json(&sig, "GET", path, NULL, r), 200);
	return json_object_get(r->json, "items");
}

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void
demo_alert_of_december_first(void **state)
{
	struct http_resp r;
	json_t *items, *l;
	char qid[12];
	size_t i;
	int renewed;

	(void)state;
	assert_int_equal(test_scheduler_run("alert", "2026-12-01"), 0);
	items = statement_lines(statement_id("alert", "2026-12-01"), &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total_dirhams")), 406000);
	assert_string_equal(str(r.json, "execution_date"), "2026-12-08");
	assert_int_equal(json_array_size(items), NDEMO);
	for (i = 0; i < NDEMO; i++) {
		l = json_array_get(items, i);
		scenario_clone_qid(demo[i].qid, qid);
		assert_string_equal(str(l, "qid"), qid);
		assert_string_equal(str(l, "result"), "CANDIDATE");
		if (demo[i].reason)
			assert_string_equal(str(l, "reason"), demo[i].reason);
		else
			assert_null(str(l, "reason"));
		assert_string_equal(str(l, "old_expiry"), demo[i].old_expiry);
		assert_null(str(l, "new_expiry"));
		assert_int_equal(json_integer_value(json_object_get(l, "days_left")),
		    demo[i].days_left);
		/* Nothing is debited by an alert; the fee is expected for those
		 * the execution will renew, and for no one else. */
		renewed = strcmp(demo[i].result, "RENEWED") == 0;
		assert_int_equal(json_integer_value(json_object_get(l, "fee_dirhams")), 0);
		assert_int_equal(json_integer_value(json_object_get(l, "late_fine_dirhams")), 0);
		assert_int_equal(json_integer_value(json_object_get(l, "expected_fee_dirhams")),
		    renewed ? demo[i].fee : 0);
		assert_int_equal(json_integer_value(json_object_get(l,
		    "expected_late_fine_dirhams")), renewed ? demo[i].fine : 0);
		assert_true(json_equal(json_object_get(l, "will_renew"), json_boolean(renewed)));
		/* Every obstacle is flagged; the reason is the first of them. */
		if (demo[i].reason)
			assert_string_equal(json_string_value(json_array_get(
			    json_object_get(l, "flags"), 0)), demo[i].reason);
		else
			assert_int_equal(json_array_size(json_object_get(l, "flags")), 0);
	}
	http_resp_free(&r);
}

static void
preview_then_execution_of_december_eighth(void **state)
{
	struct http_resp pr, r;
	json_t *pitems, *items, *l, *p;
	char qid[12];
	long balance_before;
	size_t i;

	(void)state;
	assert_int_equal(http_json(&sig, "GET", "/api/v1/companies/" CLONE_EST
	    "/renewal/preview?date=2026-12-08", NULL, &pr), 200);
	pitems = json_object_get(pr.json, "items");
	balance_before = test_count("SELECT balance_dirhams FROM bank_accounts WHERE est_id = '%s'",
	    CLONE_EST);
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits"
	    " WHERE idempotency_key LIKE '%s:%%'", CLONE_EST), 0);	/* the preview wrote nothing */

	assert_int_equal(test_scheduler_run("execution", "2026-12-08"), 0);
	items = statement_lines(statement_id("execution", "2026-12-08"), &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total_dirhams")), 406000);
	assert_int_equal(json_array_size(items), NDEMO);
	for (i = 0; i < NDEMO; i++) {
		l = json_array_get(items, i);
		p = json_array_get(pitems, i);
		scenario_clone_qid(demo[i].qid, qid);
		assert_string_equal(str(l, "qid"), qid);
		assert_string_equal(str(l, "result"), demo[i].result);
		if (demo[i].reason)
			assert_string_equal(str(l, "reason"), demo[i].reason);
		else
			assert_null(str(l, "reason"));
		/* What was debited: nothing for a person not renewed. */
		assert_int_equal(json_integer_value(json_object_get(l, "fee_dirhams")),
		    demo[i].new_expiry ? demo[i].fee : 0);
		assert_int_equal(json_integer_value(json_object_get(l, "late_fine_dirhams")),
		    demo[i].new_expiry ? demo[i].fine : 0);
		if (demo[i].new_expiry) {
			char *now;

			assert_string_equal(str(l, "new_expiry"), demo[i].new_expiry);
			assert_string_equal(str(l, "delivery_from"), "2026-12-09");
			assert_string_equal(str(l, "delivery_to"), "2026-12-10");
			assert_non_null(str(l, "debit_reference"));
			now = test_sqlf("SELECT permit_expiry FROM persons WHERE qid = '%s'", qid);
			assert_string_equal(now, demo[i].new_expiry);
			free(now);
		} else {
			assert_null(str(l, "new_expiry"));
			assert_null(str(l, "debit_reference"));
		}
		/* The preview said the same, line by line. */
		assert_string_equal(str(p, "qid"), qid);
		assert_string_equal(str(p, "result"), demo[i].result);
		assert_true(json_equal(json_object_get(p, "reason"), json_object_get(l, "reason")));
		assert_true(json_equal(json_object_get(p, "fee_dirhams"),
		    json_object_get(l, "fee_dirhams")));
		assert_true(json_equal(json_object_get(p, "new_expiry"),
		    json_object_get(l, "new_expiry")));
	}
	http_resp_free(&r);
	http_resp_free(&pr);
	/* Debited once each, from the mandate's account. */
	assert_int_equal(test_count("SELECT balance_dirhams FROM bank_accounts WHERE est_id = '%s'",
	    CLONE_EST), balance_before - 406000);
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits WHERE idempotency_key LIKE"
	    " '%s:%%' AND status = 'debited'", CLONE_EST), 3);
	assert_int_equal(test_count("SELECT count(*) FROM card_deliveries WHERE est_id = '%s'",
	    CLONE_EST), 3);
	/* The debit report lists the three debits. */
	items = statement_lines(statement_id("debit_report", "2026-12-08"), &r);
	assert_int_equal(json_array_size(items), 3);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total_dirhams")), 406000);
	http_resp_free(&r);
}

/* Downloads a statement's workbook and reads it back with openpyxl. */
static void
workbook_matches_json(long id)
{
	struct http_resp r, x;
	char path[96], wb[512], js[512], cmd[1600];
	FILE *f;

	snprintf(path, sizeof(path), "/api/v1/statements/%ld", id);
	assert_int_equal(http_json(&sig, "GET", path, NULL, &r), 200);
	snprintf(path, sizeof(path), "/api/v1/statements/%ld.xlsx", id);
	assert_int_equal(http_req(&sig, "GET", path, NULL, NULL, 0, &x), 200);
	snprintf(wb, sizeof(wb), "%s/statement-%ld.xlsx", test_env("RB_VAR"), id);
	snprintf(js, sizeof(js), "%s/statement-%ld.json", test_env("RB_VAR"), id);
	test_write_file(wb, x.body, x.len);
	f = fopen(js, "wb");
	assert_non_null(f);
	fputs(r.body, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tests/statement_xlsx_check.py %s %s",
	    test_env("RB_ROOT"), wb, js);
	assert_int_equal(system(cmd), 0);
	http_resp_free(&r);
	http_resp_free(&x);
}

static void
every_kind_of_workbook_reads_back(void **state)
{
	char *ar;

	(void)state;
	workbook_matches_json(statement_id("alert", "2026-12-01"));
	workbook_matches_json(statement_id("execution", "2026-12-08"));
	workbook_matches_json(statement_id("debit_report", "2026-12-08"));
	/* The copy's language is Arabic: right to left. */
	ar = test_sql("SELECT count(*) FROM statements WHERE est_id = '" CLONE_EST "'"
	    " AND language = 'ar'");
	assert_string_equal(ar, "3");
	free(ar);
}

static void
running_a_cycle_again_changes_nothing(void **state)
{
	long stmts = test_count("SELECT count(*) FROM statements");
	long debits = test_count("SELECT count(*) FROM bank_debits");
	long balance = test_count("SELECT sum(balance_dirhams) FROM bank_accounts");

	(void)state;
	assert_int_equal(test_scheduler_run("execution", "2026-12-08"), 0);
	assert_int_equal(test_scheduler_run("alert", "2026-12-01"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM statements"), stmts);
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits"), debits);
	assert_int_equal(test_count("SELECT sum(balance_dirhams) FROM bank_accounts"), balance);
	/* And a date that is no execution day is refused. */
	assert_int_not_equal(test_scheduler_run("execution", "2026-12-09"), 0);
}

static void
statements_are_verifiable(void **state)
{
	struct http_resp r, v;
	struct client anon;
	char path[96], code[32], ct[128];
	long id = statement_id("execution", "2026-12-08");

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/statements/%ld.xlsx", id);
	assert_int_equal(http_req(&sig, "GET", path, NULL, NULL, 0, &r), 200);
	assert_true(http_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_true(http_header(&r, "Content-Disposition", ct, sizeof(ct)));
	assert_non_null(strstr(ct, ".xlsx"));
	assert_int_equal(memcmp(r.body, "PK", 2), 0);
	/* Anyone holding it can check it, without signing in. */
	client_init(&anon);
	assert_int_equal(http_req(&anon, "POST", "/api/v1/statements/verify",
	    "application/octet-stream", r.body, r.len, &v), 200);
	if (!json_is_true(json_object_get(v.json, "genuine")))
		fail_msg("verify: %s", v.body);
	assert_string_equal(resp_str(&v, "est_id"), CLONE_EST);
	assert_string_equal(resp_str(&v, "kind"), "execution");
	assert_string_equal(resp_str(&v, "cycle_date"), "2026-12-08");
	snprintf(code, sizeof(code), "%s", resp_str(&v, "verification_code"));
	http_resp_free(&v);
	/* One altered byte and it is not the statement issued. */
	r.body[r.len / 2] ^= 1;
	assert_int_equal(http_req(&anon, "POST", "/api/v1/statements/verify",
	    "application/octet-stream", r.body, r.len, &v), 200);
	assert_true(json_is_false(json_object_get(v.json, "genuine")));
	http_resp_free(&v);
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/statements/verify?code=%s", code);
	assert_int_equal(http_json(&anon, "GET", path, NULL, &v), 200);
	assert_string_equal(resp_str(&v, "est_id"), CLONE_EST);
	http_resp_free(&v);
	assert_int_equal(http_status(&anon, "GET",
	    "/api/v1/statements/verify?code=0000-0000-0000", NULL), 404);
	/* Reading statements needs the company's signatory, STATEMENTS_VIEW or a reviewer. */
	snprintf(path, sizeof(path), "/api/v1/statements/%ld", id);
	assert_int_equal(http_status(&anon, "GET", path, NULL), 401);
	assert_int_equal(http_status(&maria, "GET", path, NULL), 403);
	assert_int_equal(http_status(&rev, "GET", path, NULL), 200);
	assert_int_equal(http_status(&maria, "GET", "/api/v1/companies/" CLONE_EST
	    "/statements", NULL), 403);
	assert_int_equal(http_json(&rev, "GET",
	    "/api/v1/backoffice/statements?date=2026-12-08&kind=execution", NULL, &v), 200);
	assert_true(json_integer_value(json_object_get(v.json, "total")) >= 1);
	http_resp_free(&v);
	assert_int_equal(http_status(&sig, "GET", "/api/v1/backoffice/statements", NULL), 403);
	client_free(&anon);
}

/* Set by a test: the child crashes once its batch is written, or waits
 * after each batch (scheduler/cycle.c). */
static int crash_when_written;
static const char *batch_delay_ms;

/* crash_after: RB_SCHED_TEST_CRASH_AFTER for the child (scheduler/cycle.c), or NULL. */
static pid_t
spawn_scheduler(const char *kind, const char *date, const char *crash_after)
{
	char bin[512], log[512];
	pid_t pid = fork();

	if (pid == 0) {
		if (crash_after)
			setenv("RB_SCHED_TEST_CRASH_AFTER", crash_after, 1);
		if (crash_when_written)
			setenv("RB_SCHED_TEST_CRASH_WRITTEN", "1", 1);
		if (batch_delay_ms)
			setenv("RB_SCHED_TEST_BATCH_DELAY_MS", batch_delay_ms, 1);
		snprintf(bin, sizeof(bin), "%s/rb-scheduler", test_env("RB_BIN"));
		snprintf(log, sizeof(log), "%s/log/scheduler.log", test_env("RB_VAR"));
		if (freopen(log, "a", stderr) == NULL || freopen(log, "a", stdout) == NULL)
			_exit(127);
		execl(bin, bin, "run", kind, date, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Every company of the cycle has exactly one statement of each kind and
 * nobody was debited twice. */
static void
exactly_once(const char *date)
{
	assert_int_equal(test_count("SELECT count(*) FROM (SELECT est_id, kind FROM statements"
	    " WHERE cycle_date = '%s' GROUP BY est_id, kind HAVING count(*) > 1) d", date), 0);
	/* The bulk companies are all enabled: each has both statements. */
	assert_int_equal(test_count("SELECT count(*) FROM cycle_companies cc JOIN cycles c ON"
	    " c.id = cc.cycle_id WHERE c.cycle_date = '%s' AND cc.est_id ~ '^1[23]' AND"
	    " (cc.done_at IS NULL OR (SELECT count(*) FROM statements s WHERE"
	    " s.cycle_id = c.id AND s.est_id = cc.est_id AND s.kind IN ('execution',"
	    " 'debit_report')) <> 2)", date), 0);
	assert_int_equal(test_count("SELECT count(*) FROM (SELECT split_part(idempotency_key, ':', 3)"
	    " FROM bank_debits d JOIN cycles c ON split_part(d.idempotency_key, ':', 2) ="
	    " c.id::text WHERE c.cycle_date = '%s' GROUP BY 1 HAVING count(*) > 1) x", date), 0);
	/* Every renewed line has its one debit, and the money adds up. */
	assert_int_equal(test_count("SELECT count(*) FROM statement_lines l JOIN statements s ON"
	    " s.id = l.statement_id WHERE s.cycle_date = '%s' AND s.kind = 'execution' AND"
	    " l.result = 'RENEWED'", date),
	    test_count("SELECT count(*) FROM bank_debits d JOIN cycles c ON"
	    " split_part(d.idempotency_key, ':', 2) = c.id::text WHERE c.cycle_date = '%s'"
	    " AND d.status = 'debited'", date));
	assert_int_equal(test_count("SELECT coalesce(sum(total_dirhams), 0) FROM statements WHERE"
	    " cycle_date = '%s' AND kind = 'execution'", date),
	    test_count("SELECT coalesce(sum(amount_dirhams), 0) FROM bank_debits d JOIN cycles c ON"
	    " split_part(d.idempotency_key, ':', 2) = c.id::text WHERE c.cycle_date = '%s'"
	    " AND d.status = 'debited'", date));
}

static void
kill_9_in_the_middle_then_restart(void **state)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	pid_t pid;
	int i, status;
	long done = 0, total;

	(void)state;
	scenario_bulk(12000000, 120, 95, "2027-02-10", "2027-03-05");
	pid = spawn_scheduler("execution", "2027-02-08", NULL);
	for (i = 0; i < 1500; i++) {
		nanosleep(&ts, NULL);
		done = test_count("SELECT count(*) FROM cycle_companies cc JOIN cycles c ON"
		    " c.id = cc.cycle_id WHERE c.cycle_date = '2027-02-08' AND cc.done_at IS NOT NULL");
		if (done >= 10)
			break;
	}
	assert_true(done >= 10);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	total = test_count("SELECT count(*) FROM cycle_companies cc JOIN cycles c ON"
	    " c.id = cc.cycle_id WHERE c.cycle_date = '2027-02-08'");
	assert_true(test_count("SELECT count(*) FROM cycle_companies cc JOIN cycles c ON"
	    " c.id = cc.cycle_id WHERE c.cycle_date = '2027-02-08' AND cc.done_at IS NOT NULL")
	    < total);
	assert_int_equal(test_scheduler_run("execution", "2027-02-08"), 0);
	exactly_once("2027-02-08");
	assert_int_equal(test_count("SELECT count(*) FROM cycles WHERE cycle_date = '2027-02-08'"
	    " AND completed_at IS NOT NULL"), 1);
	/* 120 bulk companies x 20 residents, all renewed once. */
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid LIKE '295356%%'"
	    " AND permit_expiry > '2028-01-01'"), 2400);
	/* Their residents were told (one SMS each), which later tests must not inherit. */
	assert_true(test_count("SELECT count(*) FROM outbox WHERE est_id LIKE '120%%'") >= 2400);
	scenario_retire("120");
}

static void
two_instances_share_a_cycle(void **state)
{
	pid_t a, b;
	int sa, sb;

	(void)state;
	scenario_bulk(13000000, 120, 96, "2027-03-20", "2027-04-05");
	a = spawn_scheduler("execution", "2027-03-08", NULL);
	b = spawn_scheduler("execution", "2027-03-08", NULL);
	assert_int_equal(waitpid(a, &sa, 0), a);
	assert_int_equal(waitpid(b, &sb, 0), b);
	assert_true(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
	assert_true(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
	exactly_once("2027-03-08");
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid LIKE '296356%%'"
	    " AND permit_expiry > '2028-01-01'"), 2400);
	assert_int_equal(test_count("SELECT count(*) FROM statements s JOIN cycles c ON"
	    " c.id = s.cycle_id WHERE c.cycle_date = '2027-03-08' AND s.est_id LIKE '130%%'"),
	    240);
	/* An English workbook, left to right, read back as a reviewer sees it. */
	{
		struct client keep = sig;

		client_init(&sig);
		assert_int_equal(client_signin(&sig, "28863410006", "demo-reviewer"), 201);
		workbook_matches_json(test_count("SELECT min(id) FROM statements WHERE"
		    " est_id = '13000000' AND kind = 'execution'"));
		workbook_matches_json(test_count("SELECT min(id) FROM statements WHERE"
		    " est_id = '13000000' AND kind = 'debit_report'"));
		client_free(&sig);
		sig = keep;
	}
	scenario_retire("130");
}

static void
missed_cycles_run_on_return_in_date_order(void **state)
{
	char *order;
	int i;

	(void)state;
	test_clock_set("2027-05-01T05:00:00Z");
	assert_int_equal(test_stack("scheduler-start"), 0);
	for (i = 0; i < 300 && test_count("SELECT count(*) FROM cycles WHERE cycle_date ="
	    " '2027-05-01' AND completed_at IS NOT NULL") == 0; i++)
		usleep(100 * 1000);
	assert_int_equal(test_stack("scheduler-stop"), 0);
	/* Down from the 1st to the 23rd: the 8th, 15th and 22nd were missed. */
	test_clock_set("2027-05-23T05:00:00Z");
	assert_int_equal(test_stack("scheduler-start"), 0);
	for (i = 0; i < 300 && test_count("SELECT count(*) FROM cycles WHERE cycle_date ="
	    " '2027-05-22' AND completed_at IS NOT NULL") == 0; i++)
		usleep(100 * 1000);
	assert_int_equal(test_stack("scheduler-stop"), 0);
	test_clock_set(NULL);
	order = test_sql("SELECT string_agg(kind || ' ' || cycle_date, ', ' ORDER BY id)"
	    " FROM cycles WHERE cycle_date BETWEEN '2027-05-01' AND '2027-05-31'");
	assert_string_equal(order, "alert 2027-05-01, execution 2027-05-08, alert 2027-05-15,"
	    " execution 2027-05-22");
	free(order);
	/* Dated as scheduled, and run once each. */
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE est_id = '%s' AND"
	    " cycle_date IN ('2027-05-08', '2027-05-22') AND kind = 'execution'", CLONE_EST), 2);
	assert_int_equal(test_count("SELECT count(*) FROM cycles WHERE cycle_date >= '2027-05-01'"
	    " AND completed_at IS NULL"), 0);
}

/* The cycle of date's id. */
static long
cycle_id_of(const char *date)
{
	return test_count("SELECT id FROM cycles WHERE kind = 'execution' AND cycle_date = '%s'",
	    date);
}

/*
 * Nothing of a company whose batch did not commit is written: no statement,
 * debit, renewed permit's delivery, message or audit record (ids after the
 * marks taken before the run).
 */
/* The companies of cycle %ld whose batch did not commit. */
#define UNDONE	"(SELECT est_id FROM cycle_companies WHERE cycle_id = %ld AND done_at IS NULL)"

static void
undone_companies_have_nothing(long cycle, long outbox_mark, long audit_mark)
{
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE cycle_id = %ld AND"
	    " est_id IN " UNDONE, cycle, cycle), 0);
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits WHERE split_part("
	    "idempotency_key, ':', 2) = '%ld' AND split_part(idempotency_key, ':', 1) IN "
	    UNDONE, cycle, cycle), 0);
	assert_int_equal(test_count("SELECT count(*) FROM card_deliveries WHERE cycle_id = %ld"
	    " AND est_id IN " UNDONE, cycle, cycle), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE id > %ld AND est_id IN "
	    UNDONE, outbox_mark, cycle), 0);
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE id > %ld AND"
	    " substr(target, 9) IN " UNDONE, audit_mark, cycle), 0);
}

/*
 * Each bulk company of prefix est (20 residents, all renewed) has its two
 * statements, 20 debits, 20 deliveries, its messages (two emails, the
 * execution's SMS, one SMS per renewed person) and one audit record of the
 * cycle, each exactly once; and no message of the run is queued twice.
 */
static void
bulk_exactly_once(const char *date, const char *est, long outbox_mark, long audit_mark)
{
	long cycle = cycle_id_of(date);

	exactly_once(date);
	assert_int_equal(test_count("SELECT count(*) FROM companies c WHERE c.est_id LIKE '%s%%'"
	    " AND ((SELECT count(*) FROM statements s WHERE s.cycle_id = %ld AND s.est_id ="
	    " c.est_id) <> 2 OR (SELECT count(*) FROM bank_debits d WHERE d.idempotency_key"
	    " LIKE c.est_id || ':%ld:%%' AND d.status = 'debited') <> 20"
	    " OR (SELECT count(*) FROM card_deliveries k WHERE k.cycle_id = %ld AND k.est_id ="
	    " c.est_id) <> 20 OR (SELECT count(*) FROM outbox o WHERE o.id > %ld AND o.est_id ="
	    " c.est_id) <> 23 OR (SELECT count(*) FROM outbox o WHERE o.id > %ld AND o.est_id ="
	    " c.est_id AND o.template = 'sms.permit.renewed') <> 20 OR (SELECT count(*) FROM"
	    " audit_log a WHERE a.id > %ld AND a.action = 'cycle.execution' AND a.target ="
	    " 'company:' || c.est_id) <> 1)", est, cycle, cycle, cycle, outbox_mark, outbox_mark,
	    audit_mark), 0);
	assert_int_equal(test_count("SELECT count(*) FROM (SELECT 1 FROM outbox WHERE id > %ld"
	    " GROUP BY channel, recipient, template, statement_id, qid, params::text"
	    " HAVING count(*) > 1) d", outbox_mark), 0);
}

/*
 * A crash inside a batch (killed once some of its companies are done, before
 * it commits): the batches before it are whole, nothing of the interrupted
 * one is left, and the rerun does the rest once.
 */
static void
crash_inside_a_batch_then_rerun(void **state)
{
	char crash[24];
	long outbox_mark, audit_mark, others, cycle, done;
	pid_t pid;
	int status;

	(void)state;
	scenario_bulk(17000000, 120, 97, "2027-06-10", "2027-07-05");
	outbox_mark = test_count("SELECT coalesce(max(id), 0) FROM outbox");
	audit_mark = test_count("SELECT coalesce(max(id), 0) FROM audit_log");
	/* The companies before ours in the cycle, so that the crash falls in
	 * the middle of our 120. */
	others = test_count("SELECT count(*) FROM renewal_subscriptions s JOIN renewal_settings"
	    " st ON st.est_id = s.est_id WHERE s.status = 'active' AND st.enabled AND"
	    " s.est_id NOT LIKE '170%%'");
	snprintf(crash, sizeof(crash), "%ld", others + 45);
	pid = spawn_scheduler("execution", "2027-06-08", crash);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	cycle = cycle_id_of("2027-06-08");
	done = test_count("SELECT count(*) FROM cycle_companies WHERE cycle_id = %ld AND"
	    " done_at IS NOT NULL", cycle);
	/* The interrupted batch had done some companies: none of them stayed. */
	assert_true(done < others + 45);
	assert_true(done > 0);
	undone_companies_have_nothing(cycle, outbox_mark, audit_mark);
	/* The companies done have everything. */
	assert_int_equal(test_count("SELECT count(*) FROM cycle_companies cc WHERE cc.cycle_id ="
	    " %ld AND cc.done_at IS NOT NULL AND (SELECT count(*) FROM statements s WHERE"
	    " s.cycle_id = cc.cycle_id AND s.est_id = cc.est_id) <> 2", cycle), 0);
	assert_int_equal(test_scheduler_run("execution", "2027-06-08"), 0);
	bulk_exactly_once("2027-06-08", "170", outbox_mark, audit_mark);
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid LIKE '297356%%'"
	    " AND permit_expiry > '2028-01-01'"), 2400);
	scenario_retire("170");
}

/*
 * A crash in the middle of a batch, once its debits, statements, lines,
 * renewed permits and deliveries are written and before its messages,
 * audit record and commit (issue 14 §5): none of the batch stays, the
 * batches before it are whole, and the rerun does every company's lines,
 * debits and messages exactly once.
 */
static void
crash_after_a_batch_is_written_then_rerun(void **state)
{
	char crash[24];
	long outbox_mark, audit_mark, others, cycle, done;
	pid_t pid;
	int status;

	(void)state;
	scenario_bulk(15500000, 120, 93, "2027-10-10", "2027-11-05");
	outbox_mark = test_count("SELECT coalesce(max(id), 0) FROM outbox");
	audit_mark = test_count("SELECT coalesce(max(id), 0) FROM audit_log");
	others = test_count("SELECT count(*) FROM renewal_subscriptions s JOIN renewal_settings"
	    " st ON st.est_id = s.est_id WHERE s.status = 'active' AND st.enabled AND"
	    " s.est_id NOT LIKE '155%%'");
	snprintf(crash, sizeof(crash), "%ld", others + 70);
	crash_when_written = 1;
	pid = spawn_scheduler("execution", "2027-10-08", crash);
	crash_when_written = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	cycle = cycle_id_of("2027-10-08");
	done = test_count("SELECT count(*) FROM cycle_companies WHERE cycle_id = %ld AND"
	    " done_at IS NOT NULL", cycle);
	/* The batch written but not committed left nothing; earlier ones did commit. */
	assert_true(done < others + 70);
	assert_true(done > others);
	undone_companies_have_nothing(cycle, outbox_mark, audit_mark);
	assert_int_equal(test_count("SELECT count(*) FROM statement_lines l JOIN statements s"
	    " ON s.id = l.statement_id WHERE s.cycle_id = %ld AND s.est_id IN " UNDONE,
	    cycle, cycle), 0);
	/* Only the committed companies' residents were renewed. */
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid LIKE '293356%%'"
	    " AND permit_expiry > '2028-01-01'"), 20 * test_count("SELECT count(*) FROM"
	    " cycle_companies WHERE cycle_id = %ld AND done_at IS NOT NULL AND est_id LIKE"
	    " '155%%'", cycle));
	assert_int_equal(test_scheduler_run("execution", "2027-10-08"), 0);
	bulk_exactly_once("2027-10-08", "155", outbox_mark, audit_mark);
	/* Each company's lines once: 20 on its execution statement, 20 on its
	 * debit report, each person once on each. */
	assert_int_equal(test_count("SELECT count(*) FROM statements s WHERE s.cycle_id = %ld"
	    " AND s.est_id LIKE '155%%' AND ((SELECT count(*) FROM statement_lines l WHERE"
	    " l.statement_id = s.id) <> 20 OR (SELECT count(DISTINCT qid) FROM statement_lines l"
	    " WHERE l.statement_id = s.id) <> 20 OR s.lines_count <> 20)", cycle), 0);
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE cycle_id = %ld AND"
	    " est_id LIKE '155%%'", cycle), 240);
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid LIKE '293356%%'"
	    " AND permit_expiry > '2028-01-01'"), 2400);
	scenario_retire("155");
}

/*
 * PostgreSQL restarted while a one-shot `rb-scheduler run` is in progress:
 * the run waits for it, goes on and completes, everything once.
 */
static void
run_survives_a_postgres_restart(void **state)
{
	long outbox_mark, audit_mark, done = 0;
	pid_t pid;
	int i, status;

	(void)state;
	scenario_bulk(19000000, 120, 94, "2027-08-10", "2027-09-05");
	outbox_mark = test_count("SELECT coalesce(max(id), 0) FROM outbox");
	audit_mark = test_count("SELECT coalesce(max(id), 0) FROM audit_log");
	/* Batches spaced out: the run is surely still going when PostgreSQL stops. */
	batch_delay_ms = "400";
	pid = spawn_scheduler("execution", "2027-08-08", NULL);
	batch_delay_ms = NULL;
	for (i = 0; i < 3000 && done == 0; i++) {
		usleep(10 * 1000);
		done = test_count("SELECT count(*) FROM cycle_companies cc JOIN cycles c ON"
		    " c.id = cc.cycle_id WHERE c.cycle_date = '2027-08-08' AND"
		    " cc.done_at IS NOT NULL");
	}
	assert_true(done > 0);
	assert_int_equal(test_stack("pg-stop"), 0);
	sleep(2);
	/* Still waiting, not gone. */
	assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
	assert_int_equal(test_stack("pg-start"), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(test_count("SELECT count(*) FROM cycle_companies cc JOIN cycles c ON"
	    " c.id = cc.cycle_id WHERE c.cycle_date = '2027-08-08' AND cc.done_at IS NOT NULL")
	    > done);
	assert_int_equal(test_count("SELECT count(*) FROM cycles WHERE cycle_date = '2027-08-08'"
	    " AND completed_at IS NOT NULL"), 1);
	bulk_exactly_once("2027-08-08", "190", outbox_mark, audit_mark);
	scenario_retire("190");
}

/*
 * An execution whose mandate no longer holds (issue 11 §2): its signatory
 * no longer signs for the company, or its account is no longer the
 * company's. Nothing is debited, each line says MANDATE_INVALID with its
 * remedy, as the preview said; the residents are told why.
 */
static void
invalid_mandate_debits_nothing(void **state)
{
	struct http_resp r;
	struct client keep = sig;
	json_t *items;
	size_t i;
	long bal0, bal1, id;

	(void)state;
	scenario_bulk(18000000, 3, 98, "2027-07-10", "2027-08-05");
	/* 18000000: its signatory stepped down; 18000001: its account moved to 18000002. */
	free(test_sql("UPDATE signatories SET ended_on = '2027-01-01' WHERE est_id = '18000000';"
	    "UPDATE bank_accounts SET est_id = '18000002' WHERE est_id = '18000001'"));
	bal0 = test_count("SELECT balance_dirhams FROM bank_accounts b JOIN renewal_subscriptions"
	    " s ON s.iban = b.iban WHERE s.est_id = '18000000'");
	bal1 = test_count("SELECT balance_dirhams FROM bank_accounts b JOIN renewal_subscriptions"
	    " s ON s.iban = b.iban WHERE s.est_id = '18000001'");
	client_init(&sig);
	assert_int_equal(client_signin(&sig, "28863410006", "demo-reviewer"), 201);
	/* The preview says it before the execution. */
	assert_int_equal(http_json(&sig, "GET", "/api/v1/companies/18000000/renewal/preview"
	    "?date=2027-07-08", NULL, &r), 200);
	items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 20);
	for (i = 0; i < json_array_size(items); i++)
		assert_string_equal(str(json_array_get(items, i), "reason"), "MANDATE_INVALID");
	assert_int_equal(json_integer_value(json_object_get(r.json, "total_dirhams")), 0);
	http_resp_free(&r);
	assert_int_equal(test_scheduler_run("execution", "2027-07-08"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits WHERE idempotency_key LIKE"
	    " '1800000_:%%' AND split_part(idempotency_key, ':', 1) <> '18000002'"), 0);
	assert_int_equal(test_count("SELECT balance_dirhams FROM bank_accounts b JOIN"
	    " renewal_subscriptions s ON s.iban = b.iban WHERE s.est_id = '18000000'"), bal0);
	assert_int_equal(test_count("SELECT balance_dirhams FROM bank_accounts b JOIN"
	    " renewal_subscriptions s ON s.iban = b.iban WHERE s.est_id = '18000001'"), bal1);
	assert_int_equal(test_count("SELECT count(*) FROM card_deliveries WHERE est_id IN"
	    " ('18000000', '18000001')"), 0);
	/* The valid one renews as before. */
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits WHERE idempotency_key LIKE"
	    " '18000002:%%' AND status = 'debited'"), 20);
	/* The statement says why on every line, with the remedy, in the API and the workbook. */
	id = test_count("SELECT id FROM statements WHERE est_id = '18000001' AND kind ="
	    " 'execution' AND cycle_date = '2027-07-08'");
	items = statement_lines(id, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total_dirhams")), 0);
	assert_int_equal(json_array_size(items), 20);
	for (i = 0; i < json_array_size(items); i++) {
		assert_string_equal(str(json_array_get(items, i), "result"), "REJECTED");
		assert_string_equal(str(json_array_get(items, i), "reason"), "MANDATE_INVALID");
		assert_string_equal(str(json_array_get(items, i), "remedy"), "RENEW_MANDATE");
		assert_int_equal(json_integer_value(json_object_get(json_array_get(items, i),
		    "fee_dirhams")), 0);
	}
	http_resp_free(&r);
	workbook_matches_json(id);
	client_free(&sig);
	sig = keep;
	/* Each resident is told why, and nobody is told of a renewal. */
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id IN ('18000000',"
	    " '18000001') AND template = 'sms.permit.not_renewed' AND params->>'block' ="
	    " 'MANDATE_INVALID'"), 40);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id IN ('18000000',"
	    " '18000001') AND template = 'sms.permit.renewed'"), 0);
	/* The trail says why nothing was debited. */
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE action ="
	    " 'cycle.execution' AND target IN ('company:18000000', 'company:18000001')"
	    " AND detail::jsonb->>'mandate_invalid' = 'true'"), 2);
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE action ="
	    " 'cycle.execution' AND target = 'company:18000002' AND detail::jsonb ?"
	    " 'mandate_invalid'"), 0);
	scenario_retire("180");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(subscribe_clone),
		cmocka_unit_test(demo_alert_of_december_first),
		cmocka_unit_test(preview_then_execution_of_december_eighth),
		cmocka_unit_test(every_kind_of_workbook_reads_back),
		cmocka_unit_test(running_a_cycle_again_changes_nothing),
		cmocka_unit_test(statements_are_verifiable),
		cmocka_unit_test(kill_9_in_the_middle_then_restart),
		cmocka_unit_test(two_instances_share_a_cycle),
		cmocka_unit_test(missed_cycles_run_on_return_in_date_order),
		cmocka_unit_test(crash_inside_a_batch_then_rerun),
		cmocka_unit_test(crash_after_a_batch_is_written_then_rerun),
		cmocka_unit_test(invalid_mandate_debits_nothing),
		cmocka_unit_test(run_survives_a_postgres_restart),
	};

	return cmocka_run_group_tests_name("scheduler", tests, setup, teardown);
}
