/*
 * Escalating penalties of establishments (issue 15 §2), through the
 * scheduler's daily evaluation (`rb-scheduler penalties`) with the
 * injectable clock, and the reviewers' and companies' API through nginx:
 * the not-enrolled ladder day by day and after downtime, exactly once
 * after a kill -9 and with two instances, the inaccurate-data ladder with
 * its 6-month window, waiver and payment, the renewal blocker, and the
 * reviewers' workbook of a period read back with openpyxl
 * (tests/ministry_xlsx_check.py) against the penalties issued.
 * Companies and days of its own (years 2031-2035), so that no other
 * test's counts move and no other test's days were evaluated before.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"
#include "tests/lib/scenario.h"

#define SIG		"27263410001"	/* Mohammed Al-Hajri: signs for the test companies */
#define REVIEWER	"28863410006"
#define EST_A		"10000881"	/* hotels, not enrolled, licensed 2031-01-01 */
#define EST_B		"10000882"	/* car park (not compulsory), not enrolled */
#define EST_C		"10000883"	/* hotels, enrolled */
#define EST_E		"10000885"	/* hotels, not enrolled, licensed 2032-01-01 */
#define EST_G		"10000887"	/* inaccurate data returns */
#define EST_H		"10000888"	/* the reviewer signs for it */
#define BULK_FIRST	16500000	/* subscribed, for the renewal blocker */

static struct client sig, rev;

static void	resume_others(void);

static int
company(const char *est, const char *sector, int enrolled, const char *licensed_on)
{
	char *v = test_sqlf("INSERT INTO companies (est_id, name_ar, name_en, email, language,"
	    " sector, licensed_on, enrolled) VALUES ('%s', 'منشأة المخالفات %s',"
	    " 'Penalty Test %s', 'office-%s@penalty-test.example', 'en', '%s', %s%s%s, %s);"
	    " INSERT INTO signatories (qid, est_id) VALUES ('" SIG "', '%s')",
	    est, est, est, est, sector, licensed_on ? "'" : "", licensed_on ? licensed_on : "NULL",
	    licensed_on ? "'" : "", enrolled ? "true" : "false", est);

	free(v);
	return v != NULL ? 0 : -1;
}

/* rb-scheduler penalties with the clock on date; crash: RB_PENALTY_TEST_CRASH_AFTER or NULL. */
static pid_t
spawn_penalties(const char *crash)
{
	char bin[512], log[512];
	pid_t pid = fork();

	if (pid == 0) {
		if (crash)
			setenv("RB_PENALTY_TEST_CRASH_AFTER", crash, 1);
		snprintf(bin, sizeof(bin), "%s/rb-scheduler", test_env("RB_BIN"));
		snprintf(log, sizeof(log), "%s/log/scheduler.log", test_env("RB_VAR"));
		if (freopen(log, "a", stderr) == NULL || freopen(log, "a", stdout) == NULL)
			_exit(127);
		execl(bin, bin, "penalties", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int
run_penalties(const char *date)
{
	int status;
	pid_t pid;

	test_clock_set(date);
	pid = spawn_penalties(NULL);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Signs both in again at the real time: a session would have expired on
 * the clock's years ahead. */
static void
signin_now(void)
{
	test_clock_set(NULL);
	client_free(&sig);
	client_free(&rev);
	client_init(&sig);
	client_init(&rev);
	assert_int_equal(client_signin(&sig, SIG, "demo-signatory"), 201);
	assert_int_equal(client_signin(&rev, REVIEWER, "demo-reviewer"), 201);
}

static int
setup(void **state)
{
	(void)state;
	if (company(EST_A, "hotels_residences", 0, "2031-01-01") != 0 ||
	    company(EST_B, "car_parks", 0, "2031-01-01") != 0 ||
	    company(EST_C, "hotels_residences", 1, "2031-01-01") != 0 ||
	    company(EST_E, "gold_jewellery", 0, "2032-01-01") != 0 ||
	    company(EST_G, "health_clubs", 1, "2020-01-01") != 0 ||
	    company(EST_H, "travel_tourism", 0, "2020-01-01") != 0 ||
	    test_sql_ok("INSERT INTO signatories (qid, est_id) VALUES ('" REVIEWER "', '" EST_H "')") != 0)
		return -1;
	client_init(&sig);
	client_init(&rev);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	test_clock_set(NULL);
	resume_others();
	/* The signatory signs for the demo companies only again: later tests
	 * (it_session) count what they sign for. The companies and their
	 * penalties stay, as history. */
	free(test_sql("DELETE FROM signatories WHERE qid IN ('" SIG "', '" REVIEWER "')"
	    " AND est_id IN (SELECT est_id FROM companies WHERE name_en LIKE 'Penalty Test %')"));
	client_free(&sig);
	client_free(&rev);
	return 0;
}

/* "step:issued_on:amount" of each penalty of est, in step order, comma-joined. */
static char *
ladder_of(const char *est)
{
	return test_sqlf("SELECT coalesce(string_agg(step || ':' || issued_on || ':' ||"
	    " amount_dirhams || ':' || suspends, ',' ORDER BY issued_on, step), '')"
	    " FROM penalties WHERE est_id = '%s'", est);
}

static void
assert_ladder(const char *est, const char *want)
{
	char *got = ladder_of(est);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Warning 30 days after the licence, a fine 30 days after the warning, a
 * higher fine with suspension 30 days after that; each with its email to
 * the company and SMS to the signatory (it never enrolled, so no main
 * user), and an audit record. Nothing for a company of a sector where
 * enrollment is optional, nor for one enrolled. */
static void
not_enrolled_ladder_day_by_day(void **state)
{
	(void)state;
	assert_int_equal(run_penalties("2031-01-30"), 0);
	assert_ladder(EST_A, "");
	assert_int_equal(run_penalties("2031-01-31"), 0);
	assert_ladder(EST_A, "1:2031-01-31:0:false");
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_A "'"
	    " AND channel = 'email' AND template = 'email.penalty.warning.body'"
	    " AND recipient = 'office-" EST_A "@penalty-test.example'"
	    " AND params->>'penalty' = 'not_enrolled_warning'"
	    " AND params->>'cycle_date' = '2031-01-31'"), 1);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_A "'"
	    " AND channel = 'sms' AND template = 'sms.penalty.warning' AND qid = '" SIG "'"), 1);
	/* The same day again: nothing more. */
	assert_int_equal(run_penalties("2031-01-31"), 0);
	assert_ladder(EST_A, "1:2031-01-31:0:false");
	assert_int_equal(run_penalties("2031-03-01"), 0);
	assert_ladder(EST_A, "1:2031-01-31:0:false");
	assert_int_equal(run_penalties("2031-03-02"), 0);
	assert_ladder(EST_A, "1:2031-01-31:0:false,2:2031-03-02:1000000:false");
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_A "'"
	    " AND template = 'email.penalty.fine.body' AND (params->>'amount_dirhams')::int ="
	    " 1000000"), 1);
	assert_int_equal(run_penalties("2031-04-01"), 0);
	assert_ladder(EST_A, "1:2031-01-31:0:false,2:2031-03-02:1000000:false,"
	    "3:2031-04-01:2500000:true");
	assert_int_equal(run_penalties("2031-12-31"), 0);
	assert_ladder(EST_A, "1:2031-01-31:0:false,2:2031-03-02:1000000:false,"
	    "3:2031-04-01:2500000:true");
	assert_ladder(EST_B, "");
	assert_ladder(EST_C, "");
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_A "'"
	    " AND template LIKE '%%penalty%%'"), 6);
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE action ="
	    " 'penalty.issue' AND target = '" EST_A "'"), 3);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id IN ('" EST_B "',"
	    " '" EST_C "')"), 0);
}

/* How many SMS the gateway received for mobile that contain needle. */
static int
sms_count(const char *mobile, const char *needle)
{
	json_t *texts = test_sms_to(mobile), *t;
	int found = 0;
	size_t i;

	json_array_foreach(texts, i, t)
		if (strstr(json_string_value(t), needle) != NULL)
			found++;
	json_decref(texts);
	return found;
}

/* What the company and its signatory read, as the mail and SMS stand-ins
 * received it: the warning says there is nothing to pay and what to do;
 * the fine its amount and that renewals stop until it is paid. */
static void
notices_read_as_sent(void **state)
{
	json_t *mails, *m;
	size_t i;
	int warning = 0, fine = 0;
	char *mobile = test_sql("SELECT mobile FROM persons WHERE qid = '" SIG "'");

	(void)state;
	/* Queued on the simulated days, due then. */
	test_clock_set("2031-12-31");
	assert_int_equal(test_notifier_once(1), 0);
	mails = test_mails_to("office-" EST_A "@penalty-test.example");
	json_array_foreach(mails, i, m) {
		const char *subject = json_string_value(json_object_get(m, "subject"));
		const char *body = json_string_value(json_object_get(m, "body"));

		assert_non_null(strstr(subject, "Penalty notice"));
		assert_non_null(strstr(subject, "Penalty Test " EST_A));
		if (strstr(body, "received a warning: the establishment of a sector where"
		    " enrollment is compulsory is not enrolled")) {
			warning++;
			assert_non_null(strstr(body, "There is nothing to pay for a warning"));
			assert_non_null(strstr(body, "submits the establishment's enrollment"));
		} else if (strstr(body, "received a fine: the establishment is still not enrolled")) {
			fine++;
			assert_non_null(strstr(body, "Amount: QAR 10,000"));
			assert_non_null(strstr(body, "renews nobody"));
		}
	}
	assert_int_equal(json_array_size(mails), 3);
	assert_int_equal(warning, 1);
	assert_int_equal(fine, 1);
	json_decref(mails);
	/* The signatory's SMS, in their own language. */
	assert_non_null(mobile);
	assert_int_equal(sms_count(mobile, "منشأة المخالفات " EST_A), 3);
	free(mobile);
}

/* Down from before the first step fell due until after the last: one run
 * evaluates each day in order, so each step bears the day it fell due. */
static void
catch_up_after_downtime(void **state)
{
	(void)state;
	assert_int_equal(run_penalties("2032-01-01"), 0);
	assert_ladder(EST_E, "");
	assert_int_equal(run_penalties("2032-04-15"), 0);
	/* 2032 is a leap year: 31 January + 30 days is 1 March. */
	assert_ladder(EST_E, "1:2032-01-31:0:false,2:2032-03-01:1000000:false,"
	    "3:2032-03-31:2500000:true");
	assert_int_equal(test_count("SELECT count(*) FROM penalty_days WHERE day BETWEEN"
	    " '2032-01-02' AND '2032-04-15'"), 105);
}

/* Killed inside a day's transaction, nothing of that day stays; a rerun by
 * two instances at once issues each company's step exactly once. */
static void
exactly_once_after_kill_and_with_two_instances(void **state)
{
	int status, sa, sb;
	pid_t pid, a, b;
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		char est[9] = "1000089_";

		est[7] = (char)('0' + i);
		assert_int_equal(company(est, "security_guarding", 0, "2033-01-01"), 0);
	}
	test_clock_set("2033-01-30");
	assert_int_equal(run_penalties("2033-01-30"), 0);
	test_clock_set("2033-01-31");
	pid = spawn_penalties("3");
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_int_equal(test_count("SELECT count(*) FROM penalties WHERE est_id LIKE '1000089_'"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM penalty_days WHERE day = '2033-01-31'"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id LIKE '1000089_'"), 0);
	a = spawn_penalties(NULL);
	b = spawn_penalties(NULL);
	assert_int_equal(waitpid(a, &sa, 0), a);
	assert_int_equal(waitpid(b, &sb, 0), b);
	assert_true(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
	assert_true(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
	assert_int_equal(test_count("SELECT count(*) FROM penalties WHERE est_id LIKE '1000089_'"
	    " AND step = 1 AND issued_on = '2033-01-31'"), 5);
	assert_int_equal(test_count("SELECT count(*) FROM penalties WHERE est_id LIKE '1000089_'"), 5);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id LIKE '1000089_'"
	    " AND channel = 'email'"), 5);
	assert_int_equal(test_count("SELECT count(*) FROM penalty_days WHERE day = '2033-01-31'"), 1);
}

/* One enrollment of EST_G, returned again and again (a returned one is
 * corrected and resubmitted under its reference). */
static void
inaccurate_return(const char *returned_at, int inaccurate)
{
	char *v = test_sqlf("INSERT INTO enrollments (reference, est_id, status, sector,"
	    " licensing_authority, license_number, license_expiry, region, main_user_qid,"
	    " main_user_mobile, submitted_by, submitted_at) VALUES ('ENR-887-000001', '" EST_G "',"
	    " 'returned', 'health_clubs', 'Ministry of Commerce', 'CL-887', '2040-01-01', 'Doha',"
	    " '" SIG "', '+97455887001', '" SIG "', '2034-01-01') ON CONFLICT DO NOTHING;"
	    " INSERT INTO enrollment_returns (reference, est_id, returned_by, returned_at, note,"
	    " inaccurate) VALUES ('ENR-887-000001', '" EST_G "', '" REVIEWER "', '%s',"
	    " 'The licence number does not match the licence', %s)",
	    returned_at, inaccurate ? "true" : "false");

	assert_non_null(v);
	free(v);
}

/* First inaccurate return a warning, the second within 6 months a fine of
 * 5,000, the third within 6 months of the second 25,000; a return more
 * than 6 months after the previous one starts again with a warning. A
 * return not marked inaccurate counts for nothing. The SMS goes to the
 * main user the enrollment names. */
static void
inaccurate_ladder_with_six_month_window(void **state)
{
	(void)state;
	inaccurate_return("2034-01-10T09:00:00+03", 1);
	assert_int_equal(run_penalties("2034-01-10"), 0);
	assert_ladder(EST_G, "1:2034-01-10:0:false");
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '" EST_G "'"
	    " AND channel = 'sms' AND recipient = '+97455887001'"
	    " AND params->>'penalty' = 'inaccurate_warning'"), 1);
	inaccurate_return("2034-03-01T09:00:00+03", 0);
	inaccurate_return("2034-07-10T09:00:00+03", 1);
	assert_int_equal(run_penalties("2034-07-11"), 0);
	assert_ladder(EST_G, "1:2034-01-10:0:false,2:2034-07-10:500000:false");
	inaccurate_return("2035-01-09T09:00:00+03", 1);
	assert_int_equal(run_penalties("2035-01-09"), 0);
	assert_ladder(EST_G, "1:2034-01-10:0:false,2:2034-07-10:500000:false,"
	    "3:2035-01-09:2500000:false");
	/* More than 6 months after the previous return. */
	inaccurate_return("2035-07-10T09:00:00+03", 1);
	assert_int_equal(run_penalties("2035-07-10"), 0);
	assert_ladder(EST_G, "1:2034-01-10:0:false,2:2034-07-10:500000:false,"
	    "3:2035-01-09:2500000:false,1:2035-07-10:0:false");
}

static long long
penalty_id(const char *est, int step)
{
	return test_count("SELECT id FROM penalties WHERE est_id = '%s' AND step = %d"
	    " ORDER BY issued_on LIMIT 1", est, step);
}

/* POST /api/v1/backoffice/penalties/{id}/{action}, body given away. */
static long
post(struct client *c, const char *action, long long id, json_t *body, struct http_resp *out)
{
	char path[128];
	long st;

	snprintf(path, sizeof(path), "/api/v1/backoffice/penalties/%lld/%s", id, action);
	st = http_json(c, "POST", path, body, out);
	json_decref(body);
	return st;
}

/* Reviewers list and settle; a waiver needs a note, a warning cannot be
 * paid, nothing is settled twice, a reviewer who signs for the company
 * cannot settle its penalties; the company sees its own only. */
static void
waive_and_pay(void **state)
{
	struct http_resp r;
	long long warning = penalty_id(EST_A, 1), fine = penalty_id(EST_A, 2);
	char path[128];

	(void)state;
	signin_now();
	assert_true(warning > 0 && fine > 0);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/penalties?est_id=" EST_A
	    "&state=issued", NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 0), "rule")), "not_enrolled_suspension");
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/penalties?from=2031-03-01"
	    "&to=2031-03-31&est_id=" EST_A, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	http_resp_free(&r);
	assert_int_equal(http_status(&rev, "GET", "/api/v1/backoffice/penalties?state=unpaid",
	    NULL), 400);
	assert_int_equal(http_status(&rev, "GET", "/api/v1/backoffice/penalties?from=2031-04-01"
	    "&to=2031-03-01", NULL), 400);
	/* A waiver without a note changes nothing. */
	assert_int_equal(post(&rev, "waive", warning, NULL, &r),
	    400);
	assert_string_equal(resp_str(&r, "error.field"), "note");
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM penalties WHERE id = %lld AND state ="
	    " 'issued'", warning), 1);
	assert_int_equal(post(&rev, "paid", warning, NULL, &r),
	    409);
	http_resp_free(&r);
	assert_int_equal(post(&rev, "waive", warning,
	    json_pack("{s:s}", "note", "First licence; the owner was abroad"), &r), 200);
	assert_string_equal(resp_str(&r, "state"), "waived");
	http_resp_free(&r);
	assert_int_equal(post(&rev, "waive", warning,
	    json_pack("{s:s}", "note", "again"), &r), 409);
	http_resp_free(&r);
	assert_int_equal(post(&rev, "paid", fine,
	    json_pack("{s:s}", "note", "Receipt 2031/77"), &r), 200);
	assert_string_equal(resp_str(&r, "state"), "paid");
	http_resp_free(&r);
	assert_int_equal(post(&rev, "waive", 999999999,
	    json_pack("{s:s}", "note", "x"), &r), 404);
	http_resp_free(&r);
	assert_int_equal(post(&rev, "waive", fine,
	    json_pack("{s:s, s:b}", "note", "x", "force", 1), &r), 400);
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE target = '" EST_A "'"
	    " AND action IN ('penalty.waive', 'penalty.paid') AND actor = '" REVIEWER "'"), 2);
	/* Separation of duties: EST_H (licensed 2020, never enrolled) has its
	 * ladder from the first day evaluated. */
	assert_true(penalty_id(EST_H, 2) > 0);
	assert_int_equal(post(&rev, "waive", penalty_id(EST_H, 2),
	    json_pack("{s:s}", "note", "mine"), &r), 403);
	assert_string_equal(resp_str(&r, "error.code"), "own_company");
	http_resp_free(&r);
	/* Not for a signatory through the back office; the company's own page. */
	assert_int_equal(http_status(&sig, "GET", "/api/v1/backoffice/penalties", NULL), 403);
	assert_int_equal(http_json(&sig, "GET", "/api/v1/companies/" EST_A "/penalties", NULL, &r),
	    200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 3);
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/companies/" EST_A "/penalties?est_id=" EST_E);
	assert_int_equal(http_json(&sig, "GET", path, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 3);
	http_resp_free(&r);
	assert_int_equal(http_status(&sig, "GET", "/api/v1/companies/10000003/penalties", NULL),
	    403);
}

#define XLSX_TYPE	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* QAR (a cell's number) in dirhams, rounded. */
static long long
dirhams(double qar)
{
	return (long long)(qar * 100 + (qar >= 0 ? 0.5 : -0.5));
}

/* The workbook of query as the reviewer, its name checked, as
 * ministry_xlsx_check.py read it: its one sheet. */
static json_t *
workbook(const char *query, const char *want_name, json_t **doc)
{
	struct http_resp r;
	char path[256], file[512], cmd[1200], hdr[256], want[160];

	snprintf(path, sizeof(path), "/api/v1/backoffice/penalties.xlsx?%s", query);
	assert_int_equal(http_req(&rev, "GET", path, NULL, NULL, 0, &r), 200);
	assert_true(http_header(&r, "Content-Type", hdr, sizeof(hdr)));
	assert_string_equal(hdr, XLSX_TYPE);
	assert_true(http_header(&r, "Content-Disposition", hdr, sizeof(hdr)));
	snprintf(want, sizeof(want), "attachment; filename=\"%s\"", want_name);
	assert_string_equal(hdr, want);
	snprintf(file, sizeof(file), "%s/penalties-workbook.xlsx", test_env("RB_VAR"));
	test_write_file(file, r.body, r.len);
	http_resp_free(&r);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tests/ministry_xlsx_check.py %s",
	    test_env("RB_ROOT"), file);
	*doc = test_command_json(cmd);
	assert_int_equal(json_array_size(json_object_get(*doc, "formulas")), 0);
	assert_int_equal(json_array_size(json_object_get(*doc, "unquoted")), 0);
	assert_int_equal(json_array_size(json_object_get(*doc, "sheets")), 1);
	return json_array_get(json_object_get(*doc, "sheets"), 0);
}

/* A cell as the database query below prints it: amounts (the "(QAR)"
 * columns, in QAR) back in dirhams, nothing for an empty cell. */
static void
cell(char *buf, size_t n, json_t *v, int money)
{
	if (json_is_string(v))
		snprintf(buf, n, "%s", json_string_value(v));
	else if (money && json_is_number(v))
		snprintf(buf, n, "%lld", dirhams(json_number_value(v)));
	else if (json_is_integer(v))
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
	else
		snprintf(buf, n, "%s", "");
}

/* The sheet's rows, a line each, its cells joined by '|'. */
static char *
sheet_rows(json_t *sh)
{
	json_t *cols = json_object_get(sh, "columns"), *row;
	size_t len = 0, i, k;
	char *out = calloc(1, 1), c[2100];

	assert_non_null(out);
	json_array_foreach(json_object_get(sh, "rows"), i, row) {
		for (k = 0; k < json_array_size(cols); k++) {
			const char *name = json_string_value(json_array_get(cols, k));

			cell(c, sizeof(c), json_object_get(row, name), strstr(name, "(QAR)") ||
			    strstr(name, "(ر.ق)"));
			out = realloc(out, len + strlen(c) + 2);
			assert_non_null(out);
			len += (size_t)sprintf(out + len, "%s%s", k > 0 ? "|" : (i > 0 ? "\n" : ""),
			    c);
		}
	}
	return out;
}

/* The same from the penalties table, in the words of lang (en or ar). */
static char *
db_rows(const char *from, const char *to, const char *est, int ar)
{
	return test_sqlf("SELECT coalesce(string_agg(concat_ws('|', p.id, p.issued_on, p.est_id,"
	    " coalesce(c.name_en, ''), coalesce(c.name_ar, ''),"
	    " CASE p.ladder WHEN 'not_enrolled' THEN '%s' ELSE '%s' END, p.step, p.amount_dirhams,"
	    " CASE WHEN p.suspends THEN '%s' ELSE '' END,"
	    " CASE p.state WHEN 'issued' THEN '%s' WHEN 'paid' THEN '%s' ELSE '%s' END,"
	    " coalesce((p.settled_at AT TIME ZONE 'Asia/Qatar')::date::text, ''),"
	    " coalesce(p.settled_by, ''), coalesce(p.note, ''), p.rule_code), E'\\n'"
	    " ORDER BY p.issued_on, p.id), '')"
	    " FROM penalties p JOIN companies c ON c.est_id = p.est_id"
	    " WHERE p.issued_on BETWEEN '%s' AND '%s' AND ('%s' = '' OR p.est_id = '%s')",
	    ar ? "عدم التسجيل" : "Not enrolled", ar ? "بيانات غير صحيحة" : "Inaccurate data",
	    ar ? "نعم" : "Yes", ar ? "صادرة، غير مسددة" : "Issued, unpaid", ar ? "مسددة" : "Paid",
	    ar ? "معفى منها" : "Waived", from, to, est, est);
}

static long long
header_dirhams(json_t *sh, const char *label)
{
	json_t *v = json_object_get(json_object_get(sh, "header"), label);

	if (!json_is_number(v))
		fail_msg("header: no %s", label);
	return dirhams(json_number_value(v));
}

/*
 * The reviewers' workbook of a period: every penalty issued in it, and
 * none other, one row each with what the database holds (the waived
 * warning with its note, the paid fine, the suspension still issued);
 * the header block's count and amounts by state and the totals row are
 * the sums of the database's; printed on A4 with the header row repeated
 * and the period in the page header; in the reviewer's language (Arabic
 * right to left). A period is required, at most 366 days; reviewers only.
 */
static void
workbook_of_a_period(void **state)
{
	static const char *const labels[2][4] = {
		{ "Amount of the penalties (QAR)", "Unpaid (QAR)", "Paid (QAR)", "Waived (QAR)" },
		{ "مبلغ المخالفات (ر.ق)", "غير المسدد (ر.ق)", "المسدد (ر.ق)", "المعفى منه (ر.ق)" },
	};
	static const char *const states[4] = { NULL, "issued", "paid", "waived" };
	struct http_resp r;
	json_t *doc, *sh, *pr;
	char *got, *want;
	int ar, k;

	(void)state;
	signin_now();
	for (ar = 0; ar < 2; ar++) {
		sh = workbook(ar ? "from=2031-01-01&to=2031-12-31&lang=ar" :
		    "from=2031-01-01&to=2031-12-31", "penalties-2031-01-01-2031-12-31.xlsx", &doc);
		assert_int_equal(json_is_true(json_object_get(sh, "rtl")), ar);
		assert_string_equal(json_string_value(json_object_get(sh, "name")),
		    ar ? "المخالفات" : "Penalties");
		got = sheet_rows(sh);
		want = db_rows("2031-01-01", "2031-12-31", "", ar);
		assert_non_null(want);
		assert_string_equal(got, want);
		/* The settled ones of the test's company are among them. */
		assert_non_null(strstr(got, ar ? "|معفى منها|" : "|Waived|"));
		assert_non_null(strstr(got, "First licence; the owner was abroad"));
		assert_non_null(strstr(got, "Receipt 2031/77"));
		free(got);
		free(want);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(sh, "header"),
		    ar ? "عدد المخالفات" : "Penalties")), test_count("SELECT count(*) FROM penalties"
		    " WHERE issued_on BETWEEN '2031-01-01' AND '2031-12-31'"));
		for (k = 0; k < 4; k++)
			assert_int_equal(header_dirhams(sh, labels[ar][k]), test_count("SELECT"
			    " coalesce(sum(amount_dirhams), 0) FROM penalties WHERE issued_on"
			    " BETWEEN '2031-01-01' AND '2031-12-31' AND ('%s' = '' OR state = '%s')",
			    states[k] ? states[k] : "", states[k] ? states[k] : ""));
		assert_true(header_dirhams(sh, labels[ar][0]) >= 3500000);
		assert_string_equal(json_string_value(json_object_get(json_object_get(sh, "total"),
		    ar ? "رقم المخالفة" : "Penalty no.")), ar ? "الإجمالي" : "Total");
		assert_int_equal(dirhams(json_number_value(json_object_get(json_object_get(sh,
		    "total"), ar ? "المبلغ (ر.ق)" : "Amount (QAR)"))),
		    header_dirhams(sh, labels[ar][0]));
		assert_int_equal(json_array_size(json_object_get(sh, "money_not_number")), 0);
		pr = json_object_get(sh, "print");
		assert_string_equal(json_string_value(json_object_get(pr, "paper")), "9");
		assert_string_equal(json_string_value(json_object_get(pr, "orientation")),
		    "landscape");
		assert_true(json_is_true(json_object_get(pr, "fit_to_page")));
		assert_string_equal(json_string_value(json_object_get(pr, "title_rows")), "10:10");
		assert_string_equal(json_string_value(json_object_get(sh, "frozen")), "A11");
		assert_string_equal(json_string_value(json_array_get(json_object_get(pr, "header"),
		    0)), ar ? "المخالفات الصادرة خلال فترة" : "Penalties issued in a period");
		assert_non_null(strstr(json_string_value(json_array_get(json_object_get(pr,
		    "header"), 2)), "2031-01-01 \u2013 2031-12-31"));
		json_decref(doc);
	}
	/* Filtered: the test company's issued ones only, of March to April. */
	sh = workbook("from=2031-03-01&to=2031-04-30&est_id=" EST_A "&state=issued",
	    "penalties-2031-03-01-2031-04-30.xlsx", &doc);
	got = sheet_rows(sh);
	assert_int_equal(json_array_size(json_object_get(sh, "rows")), 1);
	assert_non_null(strstr(got, "|2031-04-01|" EST_A "|Penalty Test " EST_A "|"));
	assert_non_null(strstr(got, "|Not enrolled|3|2500000|Yes|Issued, unpaid||||"
	    "not_enrolled_suspension"));
	free(got);
	json_decref(doc);
	/* A period with nothing: the header, an empty table, a zero total. */
	sh = workbook("from=2040-01-01&to=2040-01-31", "penalties-2040-01-01-2040-01-31.xlsx",
	    &doc);
	assert_int_equal(json_array_size(json_object_get(sh, "rows")), 0);
	assert_int_equal(header_dirhams(sh, "Amount of the penalties (QAR)"), 0);
	json_decref(doc);
	/* The period is required, in order, a year at most; reviewers only. */
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/penalties.xlsx?to=2031-12-31",
	    NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "from");
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/penalties.xlsx?"
	    "from=2031-01-01", NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "to");
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/penalties.xlsx?"
	    "from=2031-01-01&to=2032-01-02", NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "to");
	http_resp_free(&r);
	assert_int_equal(http_status(&rev, "GET", "/api/v1/backoffice/penalties.xlsx?"
	    "from=2031-01-01&to=2032-01-01", NULL), 200);
	assert_int_equal(http_status(&rev, "GET", "/api/v1/backoffice/penalties.xlsx?"
	    "from=2031-02-01&to=2031-01-01", NULL), 400);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/backoffice/penalties.xlsx?"
	    "from=2031-01-01&to=2031-12-31&lang=ARA", NULL, &r), 400);
	assert_string_equal(resp_str(&r, "error.field"), "lang");
	http_resp_free(&r);
	assert_int_equal(http_status(&sig, "GET", "/api/v1/backoffice/penalties.xlsx?"
	    "from=2031-01-01&to=2031-12-31", NULL), 403);
}

/* An unpaid fine of the establishment blocks every renewal that would
 * otherwise happen, with the amount and the remedy; paid, they renew. */
static void
unpaid_fine_blocks_renewal(void **state)
{
	char est[9], path[128];
	struct http_resp r;
	json_t *items;
	size_t i, blocked = 0;

	(void)state;
	signin_now();
	scenario_bulk(BULK_FIRST, 1, 91, "2034-05-10", "2034-05-30");
	snprintf(est, sizeof(est), "%d", BULK_FIRST);
	assert_int_equal(test_count("SELECT count(*) FROM (SELECT 1 FROM persons WHERE qid LIKE"
	    " '291356%%') p"), 21);
	free(test_sqlf("INSERT INTO penalties (est_id, rule_code, ladder, step, licensed_on,"
	    " issued_on, amount_dirhams, suspends, created_at) VALUES ('%s', 'not_enrolled_fine',"
	    " 'not_enrolled', 2, '2020-01-01', '2034-01-01', 1000000, false, now())", est));
	snprintf(path, sizeof(path), "/api/v1/companies/%s/renewal/preview?date=2034-05-08", est);
	assert_int_equal(http_json(&rev, "GET", path, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total_dirhams")), 0);
	items = json_object_get(r.json, "items");
	assert_true(json_array_size(items) > 0);
	for (i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);

		assert_string_equal(json_string_value(json_object_get(it, "reason")),
		    "ESTABLISHMENT_FINES");
		assert_string_equal(json_string_value(json_object_get(it, "remedy")),
		    "PAY_ESTABLISHMENT_FINES");
		assert_int_equal(json_integer_value(json_object_get(it, "blocker_amount_dirhams")),
		    1000000);
		assert_int_equal(json_integer_value(json_object_get(it, "fee_dirhams")), 0);
		blocked++;
	}
	http_resp_free(&r);
	assert_int_equal(test_sql_ok("UPDATE penalties SET state = 'paid', settled_by = 'cashier',"
	    " settled_at = now() WHERE est_id = '16500000'"), 0);
	assert_int_equal(http_json(&rev, "GET", path, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "renewed_count")),
	    (json_int_t)blocked);
	http_resp_free(&r);
}

/* The subscriptions unpaid_fine_on_the_alert_and_the_execution switched off. */
static void
resume_others(void)
{
	free(test_sql("DO $$ BEGIN IF to_regclass('penalties_test_paused') IS NOT NULL THEN"
	    " UPDATE renewal_settings SET enabled = true WHERE est_id IN (SELECT est_id FROM"
	    " penalties_test_paused); DROP TABLE penalties_test_paused; END IF; END $$"));
}

/*
 * The same through the scheduler's own cycles (issue 15 §2): the alert of
 * the 1st shows the fine as the blocker of every line that would be
 * renewed (not renewed as things stand, the amount owed, the remedy, the
 * day to act before), and the execution of the 8th renews nobody, with
 * ESTABLISHMENT_FINES on each line and no debit. A company of its own,
 * out of every later cycle afterwards.
 */
static void
unpaid_fine_on_the_alert_and_the_execution(void **state)
{
	char est[9], prefix[8];

	(void)state;
	snprintf(est, sizeof(est), "%d", BULK_FIRST + 1);
	scenario_bulk(BULK_FIRST + 1, 1, 92, "2034-06-10", "2034-06-30");
	free(test_sqlf("INSERT INTO penalties (est_id, rule_code, ladder, step, licensed_on,"
	    " issued_on, amount_dirhams, suspends, created_at) VALUES ('%s', 'not_enrolled_fine',"
	    " 'not_enrolled', 2, '2020-01-01', '2034-02-01', 1000000, false, now())", est));
	/* Other tests' subscriptions renew nobody on this test's execution
	 * (their permits would move for the tests after): switched off for
	 * it, switched on again in teardown(), even after a failure. */
	assert_int_equal(test_sql_ok("CREATE TABLE IF NOT EXISTS penalties_test_paused (est_id text"
	    " PRIMARY KEY); INSERT INTO penalties_test_paused SELECT est_id FROM renewal_settings"
	    " WHERE enabled AND est_id NOT LIKE '1650000_' ON CONFLICT DO NOTHING;"
	    " UPDATE renewal_settings SET enabled = false WHERE est_id IN (SELECT est_id FROM"
	    " penalties_test_paused)"), 0);
	test_clock_set("2034-06-01");
	assert_int_equal(test_scheduler_run("alert", "2034-06-01"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM statement_lines l JOIN statements s ON"
	    " s.id = l.statement_id WHERE s.est_id = '%s' AND s.kind = 'alert' AND s.cycle_date ="
	    " '2034-06-01'", est), 20);
	assert_int_equal(test_count("SELECT count(*) FROM statement_lines l JOIN statements s ON"
	    " s.id = l.statement_id WHERE s.est_id = '%s' AND s.kind = 'alert' AND s.cycle_date ="
	    " '2034-06-01' AND l.reason = 'ESTABLISHMENT_FINES' AND l.remedy ="
	    " 'PAY_ESTABLISHMENT_FINES' AND l.blocker_amount_dirhams = 1000000 AND NOT l.will_renew"
	    " AND l.expected_fee_dirhams = 0 AND l.remedy_before IS NOT NULL", est), 20);
	test_clock_set("2034-06-08");
	assert_int_equal(test_scheduler_run("execution", "2034-06-08"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM statement_lines l JOIN statements s ON"
	    " s.id = l.statement_id WHERE s.est_id = '%s' AND s.kind = 'execution' AND"
	    " s.cycle_date = '2034-06-08' AND l.result = 'REJECTED' AND l.reason ="
	    " 'ESTABLISHMENT_FINES' AND l.fee_dirhams = 0 AND l.new_expiry IS NULL", est), 20);
	assert_int_equal(test_count("SELECT total_dirhams FROM statements WHERE est_id = '%s' AND"
	    " kind = 'execution' AND cycle_date = '2034-06-08'", est), 0);
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits d JOIN bank_accounts b ON"
	    " b.iban = d.iban WHERE b.est_id = '%s'", est), 0);
	/* Nobody else's execution ran. */
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE kind = 'execution' AND"
	    " cycle_date = '2034-06-08' AND est_id NOT LIKE '1650000_'"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM persons WHERE qid LIKE '292356%%' AND"
	    " permit_expiry > '2034-06-30'"), 0);
	test_clock_set(NULL);
	snprintf(prefix, sizeof(prefix), "%.7s", est);
	scenario_retire(prefix);
	resume_others();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(not_enrolled_ladder_day_by_day),
		cmocka_unit_test(notices_read_as_sent),
		cmocka_unit_test(catch_up_after_downtime),
		cmocka_unit_test(exactly_once_after_kill_and_with_two_instances),
		cmocka_unit_test(inaccurate_ladder_with_six_month_window),
		cmocka_unit_test(waive_and_pay),
		cmocka_unit_test(workbook_of_a_period),
		cmocka_unit_test(unpaid_fine_blocks_renewal),
		cmocka_unit_test(unpaid_fine_on_the_alert_and_the_execution),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
