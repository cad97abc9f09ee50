/*
 * The company pages' API (issue 12 §2): the employees list with its
 * filters, sort and paging, its CSV download, and the company home's
 * figures, which must be the preview's and then the statement's.
 *
 * A company of this test's own (97120001) with five residents, each
 * standing for one case, on dates no other test uses: the clock at
 * 2033-05-02, so the next execution is 2033-05-08 and its window ends on
 * 2033-06-07. That execution is run for this company alone (the other
 * companies' share of the cycle is marked done first), then the home's
 * "last execution" is compared with the statement it made.
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

#define EST	"97120001"
#define SIG	"29935712000"
#define P_OK	"29935712001"	/* expires 2033-05-20: in scope, renewed */
#define P_FINES	"29935712002"	/* 2033-05-25, owes fines: in scope, blocked */
#define P_EXCL	"29935712003"	/* 2033-06-20: within 60 days, excluded, out of scope */
#define P_LATER	"29935712004"	/* 2033-07-25: within 90; passport 2033-09-01; a formula name */
#define P_OLD	"29935712005"	/* expired 2033-04-01 */
#define TODAY	"2033-05-02T06:00:00Z"
#define EXEC_DATE	"2033-05-08"
#define IBAN	"QA00CPAG000000000000097120001"

static struct client rev, other;

static const char make[] =
	"INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES"
	" ('" EST "', 'شركة الصفحات', 'Company Pages Co', 'hr@pages.example', 'en');"
	"INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,"
	" in_country, status, permit_expiry, fines_dirhams) VALUES"
	" ('" SIG "', 'صاحب', 'Signatory Pages', 'IND', false, '+97455971200', 'en', true,"
	" 'active', '2036-01-01', 0),"
	" ('" P_OK "', 'أحمد', 'Alpha Renewed', 'IND', false, '+97455971201', 'en', true,"
	" 'active', '2033-05-20', 0),"
	" ('" P_FINES "', 'بكر', 'Bravo Fines', 'IND', false, '+97455971202', 'en', true,"
	" 'active', '2033-05-25', 50000),"
	" ('" P_EXCL "', 'جمال', 'Charlie Excluded', 'IND', false, '+97455971203', 'en', true,"
	" 'active', '2033-06-20', 0),"
	" ('" P_LATER "', 'داود', '=Delta Later', 'IND', false, '+97455971204', 'en', true,"
	" 'active', '2033-07-25', 0),"
	" ('" P_OLD "', 'زيد', 'Zed Expired', 'IND', false, '+97455971205', 'en', true,"
	" 'active', '2033-04-01', 0);"
	"INSERT INTO passports (qid, number, expiry) SELECT qid, 'C' || right(qid, 7),"
	" CASE WHEN qid = '" P_LATER "' THEN '2033-09-01'::date ELSE '2040-01-01' END"
	" FROM persons WHERE qid LIKE '299357120%';"
	"INSERT INTO employment (qid, est_id, since) SELECT qid, '" EST "', '2024-01-01'"
	" FROM persons WHERE qid LIKE '299357120%' AND qid <> '" SIG "';"
	"INSERT INTO signatories (qid, est_id) VALUES ('" SIG "', '" EST "');"
	"INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES"
	" ('" IBAN "', '" EST "', 100000000);"
	"INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid,"
	" submitted_by, submitted_at, reviewed_by, reviewed_at) VALUES ('" EST "',"
	" 'RN-CP97-1201', 'active', '" IBAN "', '" SIG "', '" SIG "', now(), '28863410006', now());"
	"INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years, email, mobile,"
	" language, delivery_address, updated_at) VALUES ('" EST "', true, 10000000, 1,"
	" 'hr@pages.example', '+97455971200', 'en', 'PO Box 9712, Doha', now());"
	"INSERT INTO renewal_exclusions (est_id, qid, note, added_by, added_at) VALUES"
	" ('" EST "', '" P_EXCL "', 'leaving', '" SIG "', now());"
	"SELECT count(*) FROM employment WHERE est_id = '" EST "'";

static int
setup(void **state)
{
	char *n;

	(void)state;
	n = test_sql(make);
	if (n == NULL || strcmp(n, "5") != 0) {
		free(n);
		return -1;
	}
	free(n);
	test_clock_set(TODAY);
	client_init(&rev);
	client_init(&other);
	/* The base fixture's reviewer, and an employee of another company. */
	if (client_signin(&rev, "28863410006", "demo-reviewer") != 201 ||
	    client_signin(&other, "28581810005", "demo-rep3") != 201)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(test_sql("UPDATE renewal_subscriptions SET status = 'replaced' WHERE est_id = '"
	    EST "'; DELETE FROM outbox WHERE est_id = '" EST "'"));
	test_clock_set(NULL);
	client_free(&rev);
	client_free(&other);
	return 0;
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

/* The QIDs of a list's items, comma-separated, into buf. */
static const char *
qids(json_t *items, char *buf, size_t sz)
{
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < json_array_size(items) && at + 13 < sz; i++)
		at += (size_t)snprintf(buf + at, sz - at, "%s%s", i ? "," : "",
		    str(json_array_get(items, i), "qid"));
	return buf;
}

/* GET the employees with query (after "?"), as the reviewer: the QIDs. */
static const char *
list(const char *query, char *buf, size_t sz)
{
	struct http_resp r;
	char path[256];

	snprintf(path, sizeof(path), "/api/v1/companies/" EST "/employees?%s", query);
	assert_int_equal(http_json(&rev, "GET", path, NULL, &r), 200);
	qids(json_object_get(r.json, "items"), buf, sz);
	http_resp_free(&r);
	return buf;
}

static void
employees_fields_and_scope_are_the_previews(void **state)
{
	struct http_resp r, pv;
	json_t *items, *pitems, *e;
	size_t i, j, in_scope = 0;

	(void)state;
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST "/employees?limit=100",
	    NULL, &r), 200);
	assert_int_equal(num(r.json, "total"), 5);
	assert_string_equal(str(r.json, "execution_date"), EXEC_DATE);
	assert_string_equal(str(r.json, "renewal_state"), "on");
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST "/renewal/preview",
	    NULL, &pv), 200);
	assert_string_equal(str(pv.json, "date"), EXEC_DATE);
	items = json_object_get(r.json, "items");
	pitems = json_object_get(pv.json, "items");
	/* Every employee in scope is a line of the preview, with its result. */
	for (i = 0; i < json_array_size(items); i++) {
		json_t *line = NULL;

		e = json_array_get(items, i);
		for (j = 0; j < json_array_size(pitems); j++)
			if (strcmp(str(json_array_get(pitems, j), "qid"), str(e, "qid")) == 0)
				line = json_array_get(pitems, j);
		assert_int_equal(json_is_true(json_object_get(e, "in_scope")), line != NULL);
		if (line != NULL) {
			in_scope++;
			assert_string_equal(str(e, "next_result"), str(line, "result"));
			if (str(line, "reason") && strcmp(str(line, "result"), "RENEWED") != 0)
				assert_string_equal(str(e, "next_reason"), str(line, "reason"));
		} else
			assert_null(str(e, "next_result"));
		if (strcmp(str(e, "qid"), P_FINES) == 0) {
			assert_int_equal(num(e, "fines_dirhams"), 50000);
			assert_string_equal(str(e, "next_reason"), "OUTSTANDING_FINES");
		}
		if (strcmp(str(e, "qid"), P_EXCL) == 0)
			assert_true(json_is_true(json_object_get(e, "excluded")));
		if (strcmp(str(e, "qid"), P_LATER) == 0) {
			assert_string_equal(str(e, "passport_expiry"), "2033-09-01");
			assert_false(json_is_true(json_object_get(e, "excluded")));
		}
		if (strcmp(str(e, "qid"), P_OK) == 0)
			assert_string_equal(str(e, "next_result"), "RENEWED");
	}
	assert_int_equal(in_scope, json_array_size(pitems));
	assert_true(in_scope >= 2);
	http_resp_free(&r);
	http_resp_free(&pv);
	/* Switched off, the same people are due but the page is told it does not run. */
	free(test_sql("UPDATE renewal_settings SET enabled = false WHERE est_id = '" EST "'"));
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST "/employees?in_scope=true",
	    NULL, &r), 200);
	assert_string_equal(str(r.json, "renewal_state"), "stopped");
	assert_int_equal((long)json_array_size(json_object_get(r.json, "items")), (long)in_scope);
	http_resp_free(&r);
	free(test_sql("UPDATE renewal_settings SET enabled = true WHERE est_id = '" EST "'"));
}

static void
employees_filters_sort_and_paging(void **state)
{
	struct http_resp r;
	char b[256];

	(void)state;
	assert_string_equal(list("expiring=30", b, sizeof(b)), P_OK "," P_FINES);
	assert_string_equal(list("expiring=60", b, sizeof(b)), P_OK "," P_FINES "," P_EXCL);
	assert_string_equal(list("expiring=expired", b, sizeof(b)), P_OLD);
	assert_string_equal(list("excluded=true", b, sizeof(b)), P_EXCL);
	assert_string_equal(list("fines=true", b, sizeof(b)), P_FINES);
	assert_string_equal(list("in_scope=true&excluded=false&fines=false&sort=permit_expiry",
	    b, sizeof(b)), P_OLD "," P_OK);
	assert_string_equal(list("in_scope=false", b, sizeof(b)), P_EXCL "," P_LATER);
	/* Search: part of a name in either language, the start of a QID. */
	assert_string_equal(list("q=zed", b, sizeof(b)), P_OLD);
	assert_string_equal(list("q=%D8%AC%D9%85%D8%A7%D9%84", b, sizeof(b)), P_EXCL);
	assert_string_equal(list("q=2993571200", b, sizeof(b)),
	    P_OK "," P_FINES "," P_EXCL "," P_LATER "," P_OLD);
	assert_string_equal(list("q=9935712", b, sizeof(b)), "");
	/* Sorts, each ended by QID. */
	assert_string_equal(list("sort=permit_expiry&order=desc&limit=2", b, sizeof(b)),
	    P_LATER "," P_EXCL);
	assert_string_equal(list("sort=passport_expiry&limit=1", b, sizeof(b)), P_LATER);
	assert_string_equal(list("sort=name_en", b, sizeof(b)),
	    P_LATER "," P_OK "," P_FINES "," P_EXCL "," P_OLD);
	/* Paging: the total counts the filter's rows, past the last page too. */
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST
	    "/employees?expiring=90&limit=2&offset=2", NULL, &r), 200);
	assert_int_equal(num(r.json, "total"), 4);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST
	    "/employees?expiring=90&limit=2&offset=10", NULL, &r), 200);
	assert_int_equal(num(r.json, "total"), 4);
	http_resp_free(&r);
}

static void
employees_bad_parameters_all_reported(void **state)
{
	struct http_resp r;
	json_t *fields;

	(void)state;
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST
	    "/employees?expiring=400&fines=maybe&sort=salary&order=up", NULL, &r), 400);
	fields = json_object_get(json_object_get(r.json, "error"), "fields");
	assert_int_equal(json_array_size(fields), 4);
	assert_string_equal(str(json_array_get(fields, 0), "field"), "expiring");
	http_resp_free(&r);
	/* An employee of another company, with no grant here: refused. */
	assert_int_equal(http_status(&other, "GET", "/api/v1/companies/" EST "/employees", NULL),
	    403);
	assert_int_equal(http_status(&other, "GET", "/api/v1/companies/" EST "/overview", NULL),
	    403);
	assert_int_equal(http_status(&other, "GET", "/api/v1/companies/" EST "/employees.csv",
	    NULL), 403);
}

static void
employees_csv_download(void **state)
{
	static const char head[] = "\xEF\xBB\xBFqid,name_ar,name_en,status,permit_expiry,";
	struct http_resp r;
	char ct[64];

	(void)state;
	assert_int_equal(http_req(&rev, "GET", "/api/v1/companies/" EST
	    "/employees.csv?sort=permit_expiry&order=desc", NULL, NULL, 0, &r), 200);
	assert_true(http_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_non_null(strstr(ct, "text/csv"));
	/* A BOM for Excel, the header, then the rows in the order asked. */
	assert_memory_equal(r.body, head, sizeof(head) - 1);
	/* The formula-looking name shown as typed, not run. */
	assert_non_null(strstr(r.body, "\n\"" P_LATER "\",\"داود\",\"'=Delta Later\",\"active\","
	    "\"2033-07-25\",\"2033-09-01\",\"0\",\"no\",\"no\",\"\",\"\""));
	assert_true(strstr(r.body, P_LATER) < strstr(r.body, P_EXCL));
	assert_non_null(strstr(r.body, "\"" P_FINES "\",\"بكر\",\"Bravo Fines\",\"active\","
	    "\"2033-05-25\",\"2040-01-01\",\"50000\",\"no\",\"yes\",\"REJECTED\","
	    "\"OUTSTANDING_FINES\""));
	http_resp_free(&r);
	/* The filters apply to the download too. */
	assert_int_equal(http_req(&rev, "GET", "/api/v1/companies/" EST
	    "/employees.csv?excluded=true", NULL, NULL, 0, &r), 200);
	assert_non_null(strstr(r.body, P_EXCL));
	assert_null(strstr(r.body, P_OK));
	http_resp_free(&r);
}

/* The employees workbook, read back with openpyxl: the list's rows in its
 * order, the sheet in the language asked, fit to print, no formula. With
 * lang, also checked against po/<lang>.po's words ("problems" empty). */
static json_t *
workbook(const char *query, const char *lang)
{
	struct http_resp r;
	char path[256], file[512], cmd[1200], ct[128];
	json_t *wb;

	snprintf(path, sizeof(path), "/api/v1/companies/" EST "/employees.xlsx?%s", query);
	assert_int_equal(http_req(&rev, "GET", path, NULL, NULL, 0, &r), 200);
	assert_true(http_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_non_null(strstr(ct, "spreadsheetml"));
	assert_true(http_header(&r, "Content-Disposition", ct, sizeof(ct)));
	assert_string_equal(ct, "attachment; filename=\"employees-" EST ".xlsx\"");
	snprintf(file, sizeof(file), "%s/employees-" EST ".xlsx", test_env("RB_VAR"));
	test_write_file(file, r.body, r.len);
	http_resp_free(&r);
	if (lang != NULL)
		snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tests/employees_xlsx_check.py %s"
		    " %s/po/%s.po " EST " 2033-05-02 " EXEC_DATE, test_env("RB_ROOT"), file,
		    test_env("RB_ROOT"), lang);
	else
		snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tests/employees_xlsx_check.py %s",
		    test_env("RB_ROOT"), file);
	wb = test_command_json(cmd);
	assert_int_equal(json_array_size(json_object_get(wb, "formulas")), 0);
	assert_int_equal(json_array_size(json_object_get(wb, "unquoted")), 0);
	assert_true(json_is_true(json_object_get(wb, "landscape")));
	assert_int_equal(num(wb, "fit_width"), 1);
	assert_string_equal(str(wb, "frozen"), "A3");
	assert_string_equal(str(wb, "print_titles"), "$2:$2");
	if (lang != NULL && json_array_size(json_object_get(wb, "problems")) != 0) {
		char *dump = json_dumps(json_object_get(wb, "problems"), 0);

		fail_msg("employees workbook in %s: %s", lang, dump);
	}
	return wb;
}

static void
employees_workbook_download(void **state)
{
	struct http_resp r;
	json_t *wb, *rows, *items, *row;
	size_t i;

	(void)state;
	/* The list's rows in the list's order. */
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST
	    "/employees?sort=permit_expiry&order=desc", NULL, &r), 200);
	items = json_object_get(r.json, "items");
	wb = workbook("sort=permit_expiry&order=desc", "en");
	assert_false(json_is_true(json_object_get(wb, "rtl")));
	assert_string_equal(str(wb, "title"),
	    "Employees of " EST " on 2033-05-02 (next execution " EXEC_DATE ")");
	assert_string_equal(json_string_value(json_array_get(json_object_get(wb, "columns"), 0)),
	    "QID");
	rows = json_object_get(wb, "rows");
	assert_int_equal(json_array_size(rows), json_array_size(items));
	for (i = 0; i < json_array_size(items); i++) {
		json_t *e = json_array_get(items, i);

		row = json_array_get(rows, i);
		assert_string_equal(json_string_value(json_array_get(row, 0)), str(e, "qid"));
		assert_string_equal(json_string_value(json_array_get(row, 3)), str(e, "permit_expiry"));
		assert_string_equal(json_string_value(json_array_get(row, 4)),
		    str(e, "passport_expiry"));
		assert_true(json_number_value(json_array_get(row, 5)) * 100 + 0.5 >=
		    (double)num(e, "fines_dirhams"));
		if (json_is_true(json_object_get(e, "in_scope")))
			assert_string_equal(json_string_value(json_array_get(row, 10)),
			    str(e, "next_result"));
		else
			assert_true(json_is_null(json_array_get(row, 10)));
	}
	/* The formula-looking name written as typed (a Text cell, never a formula), and the fines in QAR. */
	row = json_array_get(rows, 0);
	assert_string_equal(json_string_value(json_array_get(row, 0)), P_LATER);
	assert_string_equal(json_string_value(json_array_get(row, 1)), "=Delta Later");
	for (i = 0; i < json_array_size(rows); i++) {
		row = json_array_get(rows, i);
		if (strcmp(json_string_value(json_array_get(row, 0)), P_FINES) == 0) {
			assert_true(json_number_value(json_array_get(row, 5)) == 500.0);
			assert_string_equal(json_string_value(json_array_get(row, 9)),
			    "Outstanding fines");
			assert_string_equal(json_string_value(json_array_get(row, 11)),
			    "OUTSTANDING_FINES");
		}
	}
	json_decref(wb);
	http_resp_free(&r);
	/* In Arabic, right to left, with the filters applied. */
	wb = workbook("lang=ar&excluded=true", "ar");
	assert_true(json_is_true(json_object_get(wb, "rtl")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(wb, "columns"), 1)),
	    "الاسم");
	rows = json_object_get(wb, "rows");
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0), 0)), P_EXCL);
	assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0), 1)), "جمال");
	json_decref(wb);
	/* In French, left to right, the Latin-script name; in Urdu, right to
	 * left, the Arabic-script one: each in its catalogue's words. */
	wb = workbook("lang=fr&excluded=true", "fr");
	assert_false(json_is_true(json_object_get(wb, "rtl")));
	rows = json_object_get(wb, "rows");
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0), 1)),
	    "Charlie Excluded");
	json_decref(wb);
	wb = workbook("lang=ur", "ur");
	assert_true(json_is_true(json_object_get(wb, "rtl")));
	rows = json_object_get(wb, "rows");
	for (i = 0; i < json_array_size(rows); i++) {
		row = json_array_get(rows, i);
		if (strcmp(json_string_value(json_array_get(row, 0)), P_EXCL) == 0)
			assert_string_equal(json_string_value(json_array_get(row, 1)), "جمال");
		if (strcmp(json_string_value(json_array_get(row, 0)), P_FINES) == 0)
			assert_string_equal(json_string_value(json_array_get(row, 11)),
			    "OUTSTANDING_FINES");
	}
	assert_true(json_array_size(rows) > 1);
	json_decref(wb);
	/* A language with no catalogue: English. */
	wb = workbook("lang=xx", "en");
	json_decref(wb);
	/* Bad filters: the JSON error, as the list. */
	assert_int_equal(http_status(&rev, "GET", "/api/v1/companies/" EST
	    "/employees.xlsx?fines=perhaps", NULL), 400);
	assert_int_equal(http_status(&other, "GET", "/api/v1/companies/" EST "/employees.xlsx",
	    NULL), 403);
}

/* The home's figures: the preview's, then the statement's. */
static void
overview_is_the_preview_then_the_statement(void **state)
{
	struct http_resp o, pv, st;
	json_t *next, *blocked, *items;
	char path[64];
	long sum = 0, id;
	size_t i, j;

	(void)state;
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST "/overview", NULL, &o),
	    200);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST "/renewal/preview",
	    NULL, &pv), 200);
	/* What expires: today 2033-05-02. */
	assert_int_equal(num(json_object_get(o.json, "expiring"), "expired"), 1);
	assert_int_equal(num(json_object_get(o.json, "expiring"), "within_30"), 2);
	assert_int_equal(num(json_object_get(o.json, "expiring"), "within_60"), 3);
	assert_int_equal(num(json_object_get(o.json, "expiring"), "within_90"), 4);
	next = json_object_get(o.json, "next_execution");
	assert_string_equal(str(next, "date"), str(pv.json, "date"));
	assert_string_equal(str(next, "renewal_state"), "on");
	assert_int_equal(num(next, "cap_dirhams"), num(pv.json, "cap_dirhams"));
	assert_int_equal(num(next, "total_dirhams"), num(pv.json, "total_dirhams"));
	assert_true(num(next, "total_dirhams") > 0);
	assert_int_equal(num(next, "renewed_count"), num(pv.json, "renewed_count"));
	assert_int_equal(num(next, "not_renewed_count"), num(pv.json, "not_renewed_count"));
	/* Blocked by reason: each count is the preview's lines of that reason. */
	blocked = json_object_get(next, "blocked");
	items = json_object_get(pv.json, "items");
	for (i = 0; i < json_array_size(blocked); i++) {
		json_t *b = json_array_get(blocked, i);
		long n = 0;

		for (j = 0; j < json_array_size(items); j++)
			n += strcmp(str(json_array_get(items, j), "result"), "RENEWED") != 0 &&
			    str(json_array_get(items, j), "reason") != NULL &&
			    strcmp(str(json_array_get(items, j), "reason"), str(b, "reason")) == 0;
		assert_int_equal(num(b, "count"), n);
		sum += num(b, "count");
	}
	assert_int_equal(sum, num(next, "not_renewed_count"));
	assert_true(json_is_null(json_object_get(o.json, "last_execution")));

	/* The execution, for this company alone; then the home shows its result. */
	free(test_sql("INSERT INTO cycles (kind, cycle_date, created_at) VALUES"
	    " ('execution', '" EXEC_DATE "', now());"
	    "INSERT INTO cycle_companies (cycle_id, est_id, done_at) SELECT c.id, s.est_id, now()"
	    " FROM cycles c, renewal_subscriptions s WHERE c.kind = 'execution'"
	    " AND c.cycle_date = '" EXEC_DATE "' AND s.status = 'active'"
	    " AND s.est_id <> '" EST "'"));
	assert_int_equal(test_scheduler_run("execution", EXEC_DATE), 0);
	id = (long)test_count("SELECT id FROM statements WHERE est_id = '" EST "'"
	    " AND kind = 'execution' AND cycle_date = '" EXEC_DATE "'");
	snprintf(path, sizeof(path), "/api/v1/statements/%ld", id);
	assert_int_equal(http_json(&rev, "GET", path, NULL, &st), 200);
	/* The execution did what the home said it would. */
	assert_int_equal(num(st.json, "total_dirhams"), num(next, "total_dirhams"));
	http_resp_free(&o);
	/* A day later: a session does not last a week, so the reviewer signs in again. */
	test_clock_set("2033-05-09T06:00:00Z");
	client_free(&rev);
	client_init(&rev);
	assert_int_equal(client_signin(&rev, "28863410006", "demo-reviewer"), 201);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST "/overview", NULL, &o),
	    200);
	next = json_object_get(o.json, "last_execution");
	assert_int_equal(num(next, "id"), id);
	assert_string_equal(str(next, "cycle_date"), EXEC_DATE);
	assert_int_equal(num(next, "total_dirhams"), num(st.json, "total_dirhams"));
	assert_int_equal(num(next, "renewed_count"), num(st.json, "renewed_count"));
	assert_int_equal(num(next, "not_renewed_count"), num(st.json, "not_renewed_count"));
	/* The statements list's date range and kind (issue 12 §2). */
	http_resp_free(&st);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST "/statements"
	    "?kind=execution&from=2033-05-01&to=2033-05-08", NULL, &st), 200);
	assert_int_equal(num(st.json, "total"), 1);
	assert_int_equal(num(json_array_get(json_object_get(st.json, "items"), 0), "id"), id);
	http_resp_free(&st);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST "/statements"
	    "?from=2033-05-09", NULL, &st), 200);
	assert_int_equal(num(st.json, "total"), 0);
	http_resp_free(&st);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST "/statements"
	    "?to=2033-05-07", NULL, &st), 200);
	assert_int_equal(num(st.json, "total"), 0);
	http_resp_free(&st);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST "/statements"
	    "?from=2033-06-01&to=2033-05-01&kind=weekly", NULL, &st), 400);
	assert_int_equal(json_array_size(json_object_get(json_object_get(st.json, "error"),
	    "fields")), 2);
	/* The next one is the 22nd's now. */
	assert_string_equal(str(json_object_get(o.json, "next_execution"), "date"), "2033-05-22");
	test_clock_set(TODAY);
	http_resp_free(&o);
	http_resp_free(&pv);
	http_resp_free(&st);
}

/* The help pages' fees are the engine's: a 1-year renewal in the preview
 * costs what the rules say, public to anyone. */
static void
rules_are_what_the_engine_charges(void **state)
{
	struct client anon;
	struct http_resp rules, pv;
	json_t *items, *l;
	size_t i;

	(void)state;
	client_init(&anon);
	assert_int_equal(http_json(&anon, "GET", "/api/v1/renewal/rules", NULL, &rules), 200);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST "/renewal/preview",
	    NULL, &pv), 200);
	assert_int_equal(num(pv.json, "duration_years"), 1);
	items = json_object_get(pv.json, "items");
	for (i = 0; i < json_array_size(items); i++) {
		l = json_array_get(items, i);
		if (strcmp(str(l, "qid"), P_OK) == 0) {
			assert_int_equal(num(l, "late_fine_dirhams"), 0);
			assert_int_equal(num(l, "fee_dirhams"), num(json_array_get(
			    json_object_get(rules.json, "fees"), 0), "total_dirhams"));
		}
	}
	assert_int_equal(num(json_array_get(json_object_get(rules.json, "fees"), 0),
	    "total_dirhams"), num(rules.json, "fee_per_year_dirhams") +
	    num(rules.json, "delivery_fee_dirhams"));
	assert_int_equal(num(rules.json, "window_days"), 30);
	http_resp_free(&rules);
	http_resp_free(&pv);
	client_free(&anon);
}

/* The permissions list: who granted and revoked each grant, and when;
 * search by name or QID, filter by service and state. */
static void
grants_list_names_who_granted_and_revoked(void **state)
{
	struct http_resp r;
	json_t *g;
	char b[256];

	(void)state;
	free(test_sql("INSERT INTO grants (est_id, qid, service, granted_by, basis_employment_id,"
	    " granted_at, revoked_at, revoked_by, revoke_reason) SELECT '" EST "', e.qid, x.svc, '"
	    SIG "', e.id, '2033-04-01 09:00+03', CASE WHEN x.rev THEN"
	    " '2033-04-20 10:00+03'::timestamptz END, CASE WHEN x.rev THEN '" SIG "' END,"
	    " CASE WHEN x.rev THEN 'revoked_by_signatory' END FROM employment e,"
	    " (VALUES ('" P_OK "', 'TRAVEL_NOTICE', false), ('" P_FINES "', 'EXIT_PERMIT', true),"
	    " ('" P_FINES "', 'TRAVEL_NOTICE', false)) AS x(qid, svc, rev)"
	    " WHERE e.est_id = '" EST "' AND e.qid = x.qid AND e.ended_on IS NULL"));
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST
	    "/grants?state=revoked", NULL, &r), 200);
	assert_int_equal(num(r.json, "total"), 1);
	g = json_array_get(json_object_get(r.json, "items"), 0);
	assert_string_equal(str(g, "qid"), P_FINES);
	assert_string_equal(str(g, "service"), "EXIT_PERMIT");
	assert_string_equal(str(g, "granted_by"), SIG);
	assert_string_equal(str(g, "granted_by_name_en"), "Signatory Pages");
	assert_string_equal(str(g, "granted_at"), "2033-04-01T06:00:00Z");
	assert_string_equal(str(g, "revoked_by"), SIG);
	assert_string_equal(str(g, "revoked_by_name_ar"), "صاحب");
	assert_string_equal(str(g, "revoked_at"), "2033-04-20T07:00:00Z");
	http_resp_free(&r);
	/* Without include_revoked, the live ones; then the filters. */
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST "/grants", NULL, &r),
	    200);
	assert_int_equal(num(r.json, "total"), 2);
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(r.json, "items"),
	    0), "revoked_by")));
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST
	    "/grants?include_revoked=true&q=bravo", NULL, &r), 200);
	assert_int_equal(num(r.json, "total"), 2);
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST
	    "/grants?include_revoked=true&service=TRAVEL_NOTICE&state=active", NULL, &r), 200);
	assert_int_equal(num(r.json, "total"), 2);
	qids(json_object_get(r.json, "items"), b, sizeof(b));
	assert_string_equal(b, P_OK "," P_FINES);
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST
	    "/grants?q=" P_OK, NULL, &r), 200);
	assert_int_equal(num(r.json, "total"), 1);
	http_resp_free(&r);
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" EST
	    "/grants?state=gone&service=no-such", NULL, &r), 400);
	assert_int_equal(json_array_size(json_object_get(json_object_get(r.json, "error"),
	    "fields")), 2);
	http_resp_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(employees_fields_and_scope_are_the_previews),
		cmocka_unit_test(employees_filters_sort_and_paging),
		cmocka_unit_test(employees_bad_parameters_all_reported),
		cmocka_unit_test(employees_csv_download),
		cmocka_unit_test(employees_workbook_download),
		cmocka_unit_test(rules_are_what_the_engine_charges),
		cmocka_unit_test(grants_list_names_who_granted_and_revoked),
		cmocka_unit_test(overview_is_the_preview_then_the_statement),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
