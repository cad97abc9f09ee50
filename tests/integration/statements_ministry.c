/*
 * The ministry-wide reports of an execution (fcgi/ministry.c) against the
 * real stack, on the executions the scheduler tests leave behind (made
 * here the same way, tests/lib/scenario.c, when this test runs alone):
 * 2026-12-08 (the demo copy 11000001: 3 renewals, 406,000 dirhams, from a
 * CLON account; 10000001/10000002 when the renewal tests subscribed them),
 * 2027-02-08 and 2027-03-08 (120 bulk companies each, 20 renewals of
 * 102,000 dirhams from BULK accounts).
 *
 * The workbooks are read back with openpyxl (tests/ministry_xlsx_check.py
 * prints what each sheet holds as JSON) and their figures compared with
 * the statements in the database. A company of this test's own, with a
 * name a spreadsheet would take for a formula, has an execution on a date
 * of its own (1999-11-08); a cycle still running with no statements yet
 * (1999-11-22) gives empty tables marked as running. Both are removed at
 * the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/xalloc.h"
#include "tests/integration/http_client.h"
#include "tests/lib/scenario.h"
#include "tests/lib/signin.h"

#define REVIEWER	"28863410006"
#define REVIEWER_PW	"demo-reviewer"
#define SIGNATORY	"27263410001"
#define SIGNATORY_PW	"demo-signatory"

#define SUMMARY		"/api/v1/backoffice/reports/execution-summary.xlsx"
#define DEBITS		"/api/v1/backoffice/reports/debits.xlsx"
#define XLSX_TYPE	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* The scratch company and its cycles. */
#define SCR		"10000097"
#define SCR_NAME_EN	"=HYPERLINK(\"http://evil.example\",\"Click\")"
#define SCR_NAME_AR	"@SUM(A1)"
#define SCR_DONE	"1999-11-08"	/* complete, one execution */
#define SCR_RUNNING	"1999-11-22"	/* running, nothing yet */

static struct client rev, sig;
static const struct signin signins[] = {
	{ &rev, REVIEWER, REVIEWER_PW },
	{ &sig, SIGNATORY, SIGNATORY_PW },
};

/* QAR in a cell as dirhams. */
static long long
dirhams(json_t *v)
{
	double q;

	assert_true(json_is_number(v));
	q = json_number_value(v) * 100.0;
	return (long long)(q + (q >= 0 ? 0.5 : -0.5));
}

static long long
count_of(json_t *v)
{
	assert_true(json_is_number(v));
	return (long long)json_number_value(v);
}

static const char *
str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	if (s == NULL)
		fail_msg("no text \"%s\"", k);
	return s;
}

/* The report's sheet named name. */
static json_t *
sheet(json_t *report, const char *name)
{
	json_t *s;
	size_t i;

	json_array_foreach(json_object_get(report, "sheets"), i, s)
		if (strcmp(json_string_value(json_object_get(s, "name")), name) == 0)
			return s;
	fail_msg("no sheet \"%s\"", name);
	return NULL;
}

/* The table row whose column col reads value, or NULL. */
static json_t *
row_where(json_t *sh, const char *col, const char *value)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(sh, "rows"), i, r)
		if (json_is_string(json_object_get(r, col)) &&
		    strcmp(json_string_value(json_object_get(r, col)), value) == 0)
			return r;
	return NULL;
}

/*
 * Downloads a report as the reviewer, checks the response and the workbook
 * things every report shares (no formula, text a spreadsheet could take
 * for one only as it is in the Text format "@", money as
 * numbers in a QAR format, a frozen header row and an auto-filter per
 * sheet), and returns what ministry_xlsx_check.py read from it.
 */
static json_t *
fetch_lang(const char *route, const char *name, const char *date, const char *lang)
{
	struct http_resp r;
	char path[160], file[512], cmd[1400], hdr[256], want[128];
	json_t *report, *s, *v;
	size_t i, k;

	snprintf(path, sizeof(path), "%s?date=%s%s%s", route, date, lang ? "&lang=" : "",
	    lang ? lang : "");
	assert_int_equal(http_req(&rev, "GET", path, NULL, NULL, 0, &r), 200);
	assert_true(http_header(&r, "Content-Type", hdr, sizeof(hdr)));
	assert_string_equal(hdr, XLSX_TYPE);
	assert_true(http_header(&r, "Content-Disposition", hdr, sizeof(hdr)));
	snprintf(want, sizeof(want), "attachment; filename=\"%s-%s.xlsx\"", name, date);
	assert_string_equal(hdr, want);
	assert_true(r.len > 4 && memcmp(r.body, "PK", 2) == 0);
	snprintf(file, sizeof(file), "%s/ministry-%s-%s-%s.xlsx", test_env("RB_VAR"), name, date,
	    lang ? lang : "en");
	test_write_file(file, r.body, r.len);
	http_resp_free(&r);

	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tests/ministry_xlsx_check.py %s",
	    test_env("RB_ROOT"), file);
	report = test_command_json(cmd);

	assert_int_equal(json_array_size(json_object_get(report, "formulas")), 0);
	assert_int_equal(json_array_size(json_object_get(report, "unquoted")), 0);
	assert_true(json_array_size(json_object_get(report, "sheets")) >= 1);
	json_array_foreach(json_object_get(report, "sheets"), i, s) {
		json_t *fmts = json_object_get(s, "money_formats"), *pr, *hf;
		int ar = lang != NULL && strcmp(lang, "ar") == 0;
		char rows[32];

		assert_int_equal(json_is_true(json_object_get(s, "rtl")), ar);
		assert_string_equal(str(json_object_get(s, "header"),
		    ar ? "تاريخ الدورة" : "Cycle date"), date);
		/* No internal note about the headers' language any more. */
		assert_null(json_object_get(json_object_get(s, "header"), "Headers"));
		assert_true(json_is_string(json_object_get(s, "frozen")));
		assert_true(json_is_string(json_object_get(s, "auto_filter")));
		/* A totals row: its first column says "Total". */
		assert_true(json_is_object(json_object_get(s, "total")));
		assert_string_equal(str(json_object_get(s, "total"),
		    json_string_value(json_array_get(json_object_get(s, "columns"), 0))),
		    ar ? "الإجمالي" : "Total");
		assert_int_equal(json_array_size(json_object_get(s, "money_not_number")), 0);
		assert_true(json_array_size(fmts) >= 1);
		json_array_foreach(fmts, k, v)
			if (strstr(json_string_value(v), ar ? "ر.ق" : "QAR") == NULL)
				fail_msg("sheet %s: money format %s", str(s, "name"),
				    json_string_value(v));
		/* A4, one page wide, the header row on every page, the page
		 * header naming the sheet and the cycle, pages numbered. */
		pr = json_object_get(s, "print");
		assert_string_equal(str(pr, "paper"), "9");
		assert_true(json_is_true(json_object_get(pr, "fit_to_page")));
		assert_int_equal(json_integer_value(json_object_get(pr, "fit_height")), 0);
		snprintf(rows, sizeof(rows), "%lld:%lld",
		    (long long)json_integer_value(json_object_get(s, "head_row")),
		    (long long)json_integer_value(json_object_get(s, "head_row")));
		assert_string_equal(str(pr, "title_rows"), rows);
		assert_true(json_number_value(json_object_get(s, "head_height")) >= 15);
		hf = json_object_get(pr, "header");
		assert_string_equal(json_string_value(json_array_get(hf, 1)), str(s, "name"));
		assert_non_null(strstr(json_string_value(json_array_get(hf, 2)), date));
		hf = json_object_get(pr, "footer");
		assert_non_null(strstr(json_string_value(json_array_get(hf, 2)), "&P"));
		assert_non_null(strstr(json_string_value(json_array_get(hf, 2)), "&N"));
	}
	return report;
}

static json_t *
fetch(const char *route, const char *name, const char *date)
{
	return fetch_lang(route, name, date, NULL);
}

/* ---- the execution summary ------------------------------------------------ */

/* The summary of date against the execution statements of that date. */
static json_t *
summary_matches(const char *date)
{
	json_t *report = fetch(SUMMARY, "execution-summary", date), *sh, *row, *tot;
	char *want, *got = NULL, line[256];
	size_t i, len = 0;

	sh = sheet(report, "Execution summary");
	assert_string_equal(str(json_object_get(sh, "header"), "Cycle status"), "Complete");
	/* Row by row: est_id, candidates, renewed, rejected, excluded, debited, cap. */
	want = test_sqlf("SELECT coalesce(string_agg(s.est_id || ':' || s.lines_count || ':' ||"
	    " (SELECT count(*) FROM statement_lines l WHERE l.statement_id = s.id"
	    "  AND l.result = 'RENEWED') || ':' ||"
	    " (SELECT count(*) FROM statement_lines l WHERE l.statement_id = s.id"
	    "  AND l.result = 'REJECTED') || ':' ||"
	    " (SELECT count(*) FROM statement_lines l WHERE l.statement_id = s.id"
	    "  AND l.result = 'EXCLUDED') || ':' || s.total_dirhams || ':' || s.cap_dirhams,"
	    " ',' ORDER BY s.est_id), '') FROM statements s"
	    " WHERE s.kind = 'execution' AND s.cycle_date = '%s'", date);
	assert_non_null(want);
	got = calloc(1, 1);
	json_array_foreach(json_object_get(sh, "rows"), i, row) {
		int n = snprintf(line, sizeof(line), "%s%s:%lld:%lld:%lld:%lld:%lld:%lld",
		    i ? "," : "", str(row, "Establishment number"),
		    count_of(json_object_get(row, "Candidates")),
		    count_of(json_object_get(row, "Renewed")),
		    count_of(json_object_get(row, "Rejected")),
		    count_of(json_object_get(row, "Excluded")),
		    dirhams(json_object_get(row, "Total debited (QAR)")),
		    dirhams(json_object_get(row, "Cap (QAR)")));

		got = realloc(got, len + (size_t)n + 1);
		assert_non_null(got);
		memcpy(got + len, line, (size_t)n + 1);
		len += (size_t)n;
	}
	assert_string_equal(got, want);
	free(got);
	free(want);
	/* The totals row and the header block. */
	tot = json_object_get(sh, "total");
	assert_int_equal(dirhams(json_object_get(tot, "Total debited (QAR)")),
	    test_count("SELECT coalesce(sum(total_dirhams), 0) FROM statements"
	    " WHERE kind = 'execution' AND cycle_date = '%s'", date));
	assert_int_equal(dirhams(json_object_get(json_object_get(sh, "header"), "Total debited")),
	    dirhams(json_object_get(tot, "Total debited (QAR)")));
	assert_int_equal(count_of(json_object_get(tot, "Candidates")),
	    test_count("SELECT coalesce(sum(lines_count), 0) FROM statements"
	    " WHERE kind = 'execution' AND cycle_date = '%s'", date));
	assert_int_equal(count_of(json_object_get(tot, "Renewed")),
	    test_count("SELECT count(*) FROM statement_lines l JOIN statements s ON"
	    " s.id = l.statement_id WHERE s.kind = 'execution' AND s.cycle_date = '%s'"
	    " AND l.result = 'RENEWED'", date));
	assert_int_equal(count_of(json_object_get(json_object_get(sh, "header"), "Companies")),
	    json_array_size(json_object_get(sh, "rows")));
	return report;
}

static void
execution_summary_of_december_eighth(void **state)
{
	json_t *report = summary_matches("2026-12-08"), *row;
	char *name;

	(void)state;
	/* The demo copy, worked out by hand in tests/integration/scheduler.c. */
	row = row_where(sheet(report, "Execution summary"), "Establishment number", "11000001");
	assert_non_null(row);
	assert_int_equal(count_of(json_object_get(row, "Candidates")), 9);
	assert_int_equal(count_of(json_object_get(row, "Renewed")), 3);
	assert_int_equal(count_of(json_object_get(row, "Rejected")), 6);
	assert_int_equal(count_of(json_object_get(row, "Excluded")), 0);
	assert_int_equal(dirhams(json_object_get(row, "Total debited (QAR)")), 406000);
	assert_int_equal(dirhams(json_object_get(row, "Cap (QAR)")), 500000);
	name = test_sql("SELECT name_en FROM companies WHERE est_id = '11000001'");
	assert_string_equal(str(row, "Company (English)"), name);
	free(name);
	name = test_sql("SELECT name_ar FROM companies WHERE est_id = '11000001'");
	assert_string_equal(str(row, "Company (Arabic)"), name);
	free(name);
	json_decref(report);
}

static void
execution_summary_of_the_bulk_cycles(void **state)
{
	static const char *const dates[] = { "2027-02-08", "2027-03-08" };
	static const char *const first[] = { "12000000", "13000000" };
	json_t *report, *row;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		report = summary_matches(dates[i]);
		row = row_where(sheet(report, "Execution summary"), "Establishment number",
		    first[i]);
		assert_non_null(row);
		assert_int_equal(count_of(json_object_get(row, "Renewed")), 20);
		assert_int_equal(dirhams(json_object_get(row, "Total debited (QAR)")),
		    20 * 102000);
		json_decref(report);
	}
}

/* ---- the debit report ------------------------------------------------------ */

/* Sum of a money or count column over a sheet's rows. */
static long long
column_sum(json_t *sh, const char *col, int money)
{
	json_t *r;
	long long s = 0;
	size_t i;

	json_array_foreach(json_object_get(sh, "rows"), i, r)
		s += money ? dirhams(json_object_get(r, col)) : count_of(json_object_get(r, col));
	return s;
}

/* The debit report of date against the debit lines of that date. */
static json_t *
debits_match(const char *date)
{
	json_t *report = fetch(DEBITS, "debits", date), *co, *bk, *row;
	long long grand, lines;
	char *want, *got, line[256];
	size_t i, len = 0;

	co = sheet(report, "By company");
	bk = sheet(report, "By bank");
	grand = test_count("SELECT coalesce(sum(l.fee_dirhams), 0) FROM statement_lines l"
	    " JOIN statements s ON s.id = l.statement_id"
	    " WHERE s.kind = 'debit_report' AND s.cycle_date = '%s'", date);
	lines = test_count("SELECT count(*) FROM statement_lines l JOIN statements s ON"
	    " s.id = l.statement_id WHERE s.kind = 'debit_report' AND s.cycle_date = '%s'", date);
	assert_true(grand > 0);
	/* The grand total: header blocks, totals rows and the rows themselves. */
	assert_int_equal(dirhams(json_object_get(json_object_get(co, "header"), "Grand total")),
	    grand);
	assert_int_equal(dirhams(json_object_get(json_object_get(bk, "header"), "Grand total")),
	    grand);
	assert_int_equal(count_of(json_object_get(json_object_get(co, "header"), "Debits")), lines);
	assert_int_equal(dirhams(json_object_get(json_object_get(co, "total"), "Total (QAR)")),
	    grand);
	assert_int_equal(dirhams(json_object_get(json_object_get(bk, "total"), "Total (QAR)")),
	    grand);
	assert_int_equal(count_of(json_object_get(json_object_get(bk, "total"), "Debits")), lines);
	assert_int_equal(column_sum(co, "Total (QAR)", 1), grand);
	assert_int_equal(column_sum(bk, "Total (QAR)", 1), grand);
	assert_int_equal(column_sum(co, "Debits", 0), lines);
	assert_int_equal(column_sum(bk, "Debits", 0), lines);
	/* Per company: the debit report statement's own total and lines. */
	want = test_sqlf("SELECT string_agg(s.est_id || ':' || s.lines_count || ':' || s.total_dirhams,"
	    " ',' ORDER BY s.est_id) FROM statements s WHERE s.kind = 'debit_report'"
	    " AND s.cycle_date = '%s' AND s.lines_count > 0", date);
	assert_non_null(want);
	got = calloc(1, 1);
	json_array_foreach(json_object_get(co, "rows"), i, row) {
		int n = snprintf(line, sizeof(line), "%s%s:%lld:%lld", i ? "," : "",
		    str(row, "Establishment number"), count_of(json_object_get(row, "Debits")),
		    dirhams(json_object_get(row, "Total (QAR)")));

		got = realloc(got, len + (size_t)n + 1);
		assert_non_null(got);
		memcpy(got + len, line, (size_t)n + 1);
		len += (size_t)n;
		/* The bank is the IBAN's characters 5-8, and it has a row. */
		snprintf(line, sizeof(line), "%.4s", str(row, "IBAN") + 4);
		assert_non_null(row_where(bk, "Bank code", line));
	}
	assert_string_equal(got, want);
	free(got);
	free(want);
	return report;
}

static void
debits_of_december_eighth(void **state)
{
	json_t *report = debits_match("2026-12-08"), *row;

	(void)state;
	row = row_where(sheet(report, "By company"), "Establishment number", "11000001");
	assert_non_null(row);
	assert_int_equal(count_of(json_object_get(row, "Debits")), 3);
	assert_int_equal(dirhams(json_object_get(row, "Total (QAR)")), 406000);
	assert_memory_equal(str(row, "IBAN"), "QA", 2);
	assert_memory_equal(str(row, "IBAN") + 4, "CLON", 4);
	row = row_where(sheet(report, "By bank"), "Bank code", "CLON");
	assert_non_null(row);
	assert_true(count_of(json_object_get(row, "Debits")) >= 3);
	json_decref(report);
}

static void	expect_error(struct client *, const char *path, long status,
		    const char *code, const char *field);

/*
 * Issue 12 §3: the reports in the reviewer's language. The Arabic ones hold
 * the same figures under Arabic headers, right to left, each bank by code
 * and by name (a code no catalogue names: its code alone); any other lang
 * than two lowercase letters is refused.
 */
static void
reports_in_the_reviewers_language(void **state)
{
	static const char *const bad[] = { "", "AR", "arabic", "a", "a1", "ar%00" };
	json_t *en, *ar, *row_en, *row_ar;
	char path[160];
	size_t i;

	(void)state;
	en = fetch(SUMMARY, "execution-summary", "2026-12-08");
	ar = fetch_lang(SUMMARY, "execution-summary", "2026-12-08", "ar");
	row_en = row_where(sheet(en, "Execution summary"), "Establishment number", "11000001");
	row_ar = row_where(sheet(ar, "ملخص التنفيذ"), "رقم المنشأة", "11000001");
	assert_non_null(row_en);
	assert_non_null(row_ar);
	assert_int_equal(count_of(json_object_get(row_ar, "المرشحون للتجديد")),
	    count_of(json_object_get(row_en, "Candidates")));
	assert_int_equal(dirhams(json_object_get(row_ar, "إجمالي المخصوم (ر.ق)")),
	    dirhams(json_object_get(row_en, "Total debited (QAR)")));
	assert_string_equal(str(row_ar, "اسم الشركة (بالعربية)"), str(row_en, "Company (Arabic)"));
	assert_string_equal(str(json_object_get(sheet(ar, "ملخص التنفيذ"), "header"),
	    "حالة الدورة"), "مكتملة");
	json_decref(en);
	json_decref(ar);

	en = fetch(DEBITS, "debits", "2026-12-08");
	ar = fetch_lang(DEBITS, "debits", "2026-12-08", "ar");
	row_en = row_where(sheet(en, "By bank"), "Bank code", "CLON");
	row_ar = row_where(sheet(ar, "حسب البنك"), "رمز البنك", "CLON");
	assert_non_null(row_en);
	assert_non_null(row_ar);
	assert_true(json_is_null(json_object_get(row_en, "Bank")));
	assert_true(json_is_null(json_object_get(row_ar, "البنك")));
	assert_int_equal(count_of(json_object_get(row_ar, "عمليات الخصم")),
	    count_of(json_object_get(row_en, "Debits")));
	assert_int_equal(dirhams(json_object_get(json_object_get(sheet(ar, "حسب الشركة"), "total"),
	    "الإجمالي (ر.ق)")), dirhams(json_object_get(json_object_get(sheet(en, "By company"),
	    "total"), "Total (QAR)")));
	json_decref(en);
	json_decref(ar);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), "%s?date=2026-12-08&lang=%s", DEBITS, bad[i]);
		expect_error(&rev, path, 400, "invalid_field", "lang");
	}
}

static void
debits_of_the_bulk_cycles_per_bank(void **state)
{
	static const char *const dates[] = { "2027-02-08", "2027-03-08" };
	json_t *report, *row;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		report = debits_match(dates[i]);
		row = row_where(sheet(report, "By bank"), "Bank code", "BULK");
		assert_non_null(row);
		/* 120 companies x 20 renewals of QAR 1,020. */
		assert_int_equal(count_of(json_object_get(row, "Debits")), 120 * 20);
		assert_int_equal(dirhams(json_object_get(row, "Total (QAR)")), 120LL * 20 * 102000);
		assert_true(json_number_value(json_object_get(row, "Total (QAR)")) ==
		    120.0 * 20 * 102000 / 100);
		json_decref(report);
	}
}

/* ---- text that looks like a formula, a running cycle ---------------------- */

static const char scr_drop[] =
	"DELETE FROM statement_lines WHERE statement_id IN"
	" (SELECT id FROM statements WHERE est_id = '" SCR "');"
	"DELETE FROM statements WHERE est_id = '" SCR "';"
	"DELETE FROM cycles c WHERE c.kind = 'execution' AND c.cycle_date IN"
	" ('" SCR_DONE "', '" SCR_RUNNING "')"
	" AND NOT EXISTS (SELECT 1 FROM statements s WHERE s.cycle_id = c.id)"
	" AND NOT EXISTS (SELECT 1 FROM cycle_companies cc WHERE cc.cycle_id = c.id);"
	"DELETE FROM companies WHERE est_id = '" SCR "';"
	"SELECT (SELECT count(*) FROM companies WHERE est_id = '" SCR "')"
	" + (SELECT count(*) FROM cycles WHERE cycle_date IN ('" SCR_DONE "', '" SCR_RUNNING "'))";

/* The scratch company's execution of SCR_DONE as the scheduler would store
 * it (one renewed, one rejected; one debit), and a cycle still running. */
static int
scratch_make(void)
{
	char iban[30], *r;
	int ok;

	scenario_make_iban("EVIL000000000000000970001", iban);
	r = test_sqlf("INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES"
	    " ('" SCR "', $q$" SCR_NAME_AR "$q$, $q$" SCR_NAME_EN "$q$, 'hr@evil.example', 'en');"
	    "INSERT INTO cycles (kind, cycle_date, created_at, completed_at) VALUES"
	    " ('execution', '" SCR_DONE "', now(), now()),"
	    " ('execution', '" SCR_RUNNING "', now(), NULL);"
	    "INSERT INTO statements (est_id, cycle_id, kind, cycle_date, execution_date, language,"
	    " cap_dirhams, total_dirhams, lines_count, verification_code, sha256, workbook,"
	    " created_at) SELECT '" SCR "', id, k, cycle_date, cycle_date, 'en', 300000, 102000,"
	    " n, 'M1N1-STRY-' || c, sha256(convert_to(k, 'UTF8')), convert_to(k, 'UTF8'), now()"
	    " FROM cycles, (VALUES ('execution', 2, 'TST1'), ('debit_report', 1, 'TST2')) AS x(k, n, c)"
	    " WHERE kind = 'execution' AND cycle_date = '" SCR_DONE "';"
	    "INSERT INTO statement_lines (cycle_date, statement_id, line_no, qid, name_ar, name_en, result,"
	    " reason, old_expiry, new_expiry, days_left, fee_dirhams, late_fine_dirhams,"
	    " debit_reference, iban) SELECT s.cycle_date, s.id, x.* FROM statements s, (VALUES"
	    " (1, '29935697001', '-1', '+1', 'RENEWED', NULL, '1999-11-01'::date,"
	    "  '2000-11-08'::date, -7, 102000::bigint, 0::bigint, 'SBX-97', NULL),"
	    " (2, '29935697002', '-2', '+2', 'REJECTED', 'PERSON_ABROAD', '1999-11-20', NULL, 12,"
	    "  102000, 0, NULL, NULL)) AS x"
	    " WHERE s.est_id = '" SCR "' AND s.kind = 'execution';"
	    "INSERT INTO statement_lines (cycle_date, statement_id, line_no, qid, name_ar, name_en, result,"
	    " reason, old_expiry, new_expiry, days_left, fee_dirhams, late_fine_dirhams,"
	    " debit_reference, iban) SELECT s.cycle_date, s.id, 1, '29935697001', '-1', '+1', 'DEBITED', NULL,"
	    " '1999-11-01', '2000-11-08', -7, 102000, 0, 'SBX-97', '%s'"
	    " FROM statements s WHERE s.est_id = '" SCR "' AND s.kind = 'debit_report';"
	    "SELECT count(*) FROM statement_lines l JOIN statements s ON s.id = l.statement_id"
	    " WHERE s.est_id = '" SCR "'", iban);
	ok = r != NULL && strcmp(r, "3") == 0;
	free(r);
	return ok ? 0 : -1;
}

static void
text_that_looks_like_a_formula_stays_text(void **state)
{
	json_t *report, *row;

	(void)state;
	report = fetch(SUMMARY, "execution-summary", SCR_DONE);
	assert_int_equal(json_array_size(json_object_get(sheet(report, "Execution summary"),
	    "rows")), 1);
	row = row_where(sheet(report, "Execution summary"), "Establishment number", SCR);
	assert_non_null(row);
	assert_string_equal(str(row, "Company (English)"), SCR_NAME_EN);
	assert_string_equal(str(row, "Company (Arabic)"), SCR_NAME_AR);
	assert_int_equal(count_of(json_object_get(row, "Candidates")), 2);
	assert_int_equal(count_of(json_object_get(row, "Renewed")), 1);
	assert_int_equal(count_of(json_object_get(row, "Rejected")), 1);
	assert_int_equal(dirhams(json_object_get(row, "Total debited (QAR)")), 102000);
	assert_int_equal(dirhams(json_object_get(row, "Cap (QAR)")), 300000);
	json_decref(report);

	report = fetch(DEBITS, "debits", SCR_DONE);
	row = row_where(sheet(report, "By company"), "Establishment number", SCR);
	assert_non_null(row);
	assert_string_equal(str(row, "Company (English)"), SCR_NAME_EN);
	assert_memory_equal(str(row, "IBAN") + 4, "EVIL", 4);
	assert_non_null(row_where(sheet(report, "By bank"), "Bank code", "EVIL"));
	json_decref(report);
}

static void
a_running_cycle_gives_what_there_is_so_far(void **state)
{
	json_t *report, *sh;

	(void)state;
	report = fetch(SUMMARY, "execution-summary", SCR_RUNNING);
	sh = sheet(report, "Execution summary");
	assert_non_null(strstr(str(json_object_get(sh, "header"), "Cycle status"), "Running"));
	assert_int_equal(json_array_size(json_object_get(sh, "rows")), 0);
	assert_int_equal(dirhams(json_object_get(json_object_get(sh, "total"),
	    "Total debited (QAR)")), 0);
	json_decref(report);
	report = fetch(DEBITS, "debits", SCR_RUNNING);
	sh = sheet(report, "By bank");
	assert_non_null(strstr(str(json_object_get(sh, "header"), "Cycle status"), "Running"));
	assert_int_equal(json_array_size(json_object_get(sh, "rows")), 0);
	assert_int_equal(json_array_size(json_object_get(sheet(report, "By company"), "rows")), 0);
	assert_int_equal(dirhams(json_object_get(json_object_get(sh, "header"), "Grand total")), 0);
	json_decref(report);
}

/* ---- who and what may be asked --------------------------------------------- */

static void
expect_error(struct client *c, const char *path, long status, const char *code,
    const char *field)
{
	struct http_resp r;

	assert_int_equal(http_req(c, "GET", path, NULL, NULL, 0, &r), status);
	if (resp_str(&r, "error.code") == NULL || strcmp(resp_str(&r, "error.code"), code) != 0)
		fail_msg("GET %s: %ld %.200s, expected code %s", path, status, r.body, code);
	if (field != NULL)
		assert_string_equal(resp_str(&r, "error.field"), field);
	http_resp_free(&r);
}

static void
reviewers_only_a_date_with_an_execution(void **state)
{
	static const char *const routes[] = { SUMMARY, DEBITS };
	static const char *const bad[] = {
		"", "?date=", "?date=2026-13-01", "?date=2026-12-8", "?date=2026-12-08x",
		"?date=08-12-2026", "?date=2026-12-08%00", "?date=20261208000000000000",
		"?when=2026-12-08",
	};
	struct client anon;
	char path[160];
	size_t i, k;

	(void)state;
	client_init(&anon);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s?date=2026-12-08", routes[i]);
		expect_error(&anon, path, 401, "not_signed_in", NULL);
		/* A signatory, however many companies: not a reviewer. */
		expect_error(&sig, path, 403, "forbidden", NULL);
		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			snprintf(path, sizeof(path), "%s%s", routes[i], bad[k]);
			expect_error(&rev, path, 400, "invalid_field", "date");
		}
		/* Not an execution day; an execution day nothing ran on. */
		snprintf(path, sizeof(path), "%s?date=2026-12-09", routes[i]);
		expect_error(&rev, path, 404, "no_execution", "date");
		snprintf(path, sizeof(path), "%s?date=2031-01-08", routes[i]);
		expect_error(&rev, path, 404, "no_execution", "date");
		/* GET only. */
		snprintf(path, sizeof(path), "%s?date=2026-12-08", routes[i]);
		assert_int_equal(http_status(&rev, "POST", path, NULL), 405);
	}
	client_free(&anon);
}

/* ---- the company's own statements: fees are what was debited ---- */

/* The clone's statement of kind on date, with its lines (r: the caller frees). */
static json_t *
clone_statement(const char *kind, const char *date, struct http_resp *r)
{
	char path[160];
	long long id;

	snprintf(path, sizeof(path), "/api/v1/companies/" CLONE_EST
	    "/statements?kind=%s&date=%s", kind, date);
	assert_int_equal(http_json(&rev, "GET", path, NULL, r), 200);
	assert_int_equal(json_integer_value(json_object_get(r->json, "total")), 1);
	id = json_integer_value(json_object_get(json_array_get(json_object_get(r->json,
	    "items"), 0), "id"));
	http_resp_free(r);
	snprintf(path, sizeof(path), "/api/v1/statements/%lld", id);
	assert_int_equal(http_json(&rev, "GET", path, NULL, r), 200);
	return r->json;
}

/* The line of the demo person qid (a demo QID, cloned here). */
static json_t *
line_of(json_t *st, const char *demo_qid)
{
	char qid[12];
	json_t *l;
	size_t i;

	scenario_clone_qid(demo_qid, qid);
	json_array_foreach(json_object_get(st, "items"), i, l)
		if (strcmp(str(l, "qid"), qid) == 0)
			return l;
	fail_msg("no line for %s", qid);
	return NULL;
}

static long long
int_of(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	if (!json_is_integer(v))
		fail_msg("\"%s\" is not an integer", k);
	return json_integer_value(v);
}

/* Reads the statement's workbook back with tests/statement_xlsx_check.py. */
static void
workbook_agrees(json_t *st, const char *tag)
{
	struct http_resp r;
	char path[64], file[512], doc[512], cmd[1400];
	char *out;
	int status;

	snprintf(path, sizeof(path), "/api/v1/statements/%lld.xlsx", int_of(st, "id"));
	snprintf(file, sizeof(file), "%s/fees-%s.xlsx", test_env("RB_VAR"), tag);
	snprintf(doc, sizeof(doc), "%s/fees-%s.json", test_env("RB_VAR"), tag);
	assert_int_equal(json_dump_file(st, doc, 0), 0);
	assert_int_equal(http_req(&rev, "GET", path, NULL, NULL, 0, &r), 200);
	test_write_file(file, r.body, r.len);
	http_resp_free(&r);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tests/statement_xlsx_check.py %s %s 2>&1",
	    test_env("RB_ROOT"), file, doc);
	out = test_capture(cmd, &status);
	if (status != 0)
		fail_msg("statement_xlsx_check.py: %s", out);
	free(out);
}

/*
 * The demo copy's execution of 2026-12-08 renewed 3 of 9 for 406,000: the
 * fee column adds up to that, a person not renewed shows no fee, and each
 * says what to do before the next execution (2026-12-22).
 */
static void
execution_fees_are_what_was_debited(void **state)
{
	struct http_resp r;
	json_t *st, *l;
	long long sum = 0, debited;
	size_t i, renewed = 0;

	(void)state;
	st = clone_statement("execution", "2026-12-08", &r);
	json_array_foreach(json_object_get(st, "items"), i, l) {
		sum += int_of(l, "fee_dirhams");
		if (strcmp(str(l, "result"), "RENEWED") == 0) {
			renewed++;
			assert_true(int_of(l, "fee_dirhams") > 0);
			assert_true(json_is_null(json_object_get(l, "remedy")));
		} else {
			assert_int_equal(int_of(l, "fee_dirhams"), 0);
			assert_int_equal(int_of(l, "late_fine_dirhams"), 0);
		}
	}
	debited = test_count("SELECT coalesce(sum(d.amount_dirhams), 0) FROM bank_debits d,"
	    " cycles c WHERE c.kind = 'execution' AND c.cycle_date = '2026-12-08'"
	    " AND d.idempotency_key LIKE '" CLONE_EST ":' || c.id || ':%%'"
	    " AND d.status = 'debited'");
	assert_int_equal(sum, 406000);
	assert_int_equal(int_of(st, "total_dirhams"), 406000);
	assert_int_equal(debited, 406000);
	assert_int_equal(renewed, 3);
	assert_int_equal(int_of(st, "renewed_count"), 3);
	assert_int_equal(int_of(st, "not_renewed_count"), 6);
	/* Which status, and nothing to be done; abroad: be here by the 22nd. */
	l = line_of(st, "28905010016");
	assert_string_equal(str(l, "person_status"), "residency_cancelled");
	assert_string_equal(str(l, "remedy"), "NOT_RENEWABLE");
	assert_true(json_is_null(json_object_get(l, "remedy_before")));
	l = line_of(st, "28852410015");
	assert_string_equal(str(l, "remedy"), "BE_IN_COUNTRY");
	assert_string_equal(str(l, "remedy_before"), "2026-12-22");
	workbook_agrees(st, "execution");
	http_resp_free(&r);
}

/*
 * Its alert of 2026-12-01: nothing debited yet (no fee), the expected fees
 * add up to the total and cover exactly the 3 who will be renewed; the
 * fined person's line says how much and by when.
 */
static void
alert_expects_what_will_be_renewed(void **state)
{
	struct http_resp r;
	json_t *st, *l;
	long long expected = 0;
	size_t i, will = 0;

	(void)state;
	st = clone_statement("alert", "2026-12-01", &r);
	json_array_foreach(json_object_get(st, "items"), i, l) {
		assert_string_equal(str(l, "result"), "CANDIDATE");
		assert_int_equal(int_of(l, "fee_dirhams"), 0);
		expected += int_of(l, "expected_fee_dirhams");
		if (json_is_true(json_object_get(l, "will_renew"))) {
			will++;
			assert_true(json_is_null(json_object_get(l, "reason")));
		} else {
			assert_true(json_is_false(json_object_get(l, "will_renew")));
			assert_int_equal(int_of(l, "expected_fee_dirhams"), 0);
			assert_non_null(str(l, "reason"));
			assert_non_null(str(l, "remedy"));
		}
	}
	assert_int_equal(expected, int_of(st, "total_dirhams"));
	assert_int_equal(expected, 406000);
	assert_int_equal(will, 3);
	assert_int_equal(int_of(st, "renewed_count"), 3);
	assert_int_equal(int_of(st, "not_renewed_count"), 6);
	assert_int_equal(int_of(st, "lines_count"), 9);
	l = line_of(st, "28735610014");
	assert_string_equal(str(l, "reason"), "OUTSTANDING_FINES");
	assert_string_equal(str(l, "remedy"), "PAY_FINES");
	assert_int_equal(int_of(l, "blocker_amount_dirhams"), 150000);
	assert_string_equal(str(l, "remedy_before"), "2026-12-08");
	l = line_of(st, "28205010009");
	assert_string_equal(str(l, "reason"), "CAP_EXCEEDED");
	assert_int_equal(int_of(l, "blocker_amount_dirhams"), 102000);
	l = line_of(st, "28905010016");
	assert_string_equal(str(l, "person_status"), "residency_cancelled");
	workbook_agrees(st, "alert");
	http_resp_free(&r);
}

/* The preview of the next execution: the same rule, the fee column adds up. */
static void
preview_fees_add_up(void **state)
{
	struct http_resp r;
	json_t *l;
	long long sum = 0;
	size_t i, renewed = 0;

	(void)state;
	assert_int_equal(http_json(&rev, "GET", "/api/v1/companies/" CLONE_EST
	    "/renewal/preview?date=2026-12-22", NULL, &r), 200);
	assert_true(json_array_size(json_object_get(r.json, "items")) > 0);
	json_array_foreach(json_object_get(r.json, "items"), i, l) {
		sum += int_of(l, "fee_dirhams");
		if (strcmp(str(l, "result"), "RENEWED") == 0)
			renewed++;
		else {
			assert_int_equal(int_of(l, "fee_dirhams"), 0);
			assert_int_equal(int_of(l, "late_fine_dirhams"), 0);
			assert_non_null(str(l, "remedy"));
		}
	}
	assert_int_equal(sum, int_of(r.json, "total_dirhams"));
	assert_int_equal(int_of(r.json, "renewed_count"), (long long)renewed);
	assert_int_equal(int_of(r.json, "renewed_count") + int_of(r.json, "not_renewed_count"),
	    (long long)json_array_size(json_object_get(r.json, "items")));
	l = line_of(r.json, "28735610014");
	assert_string_equal(str(l, "remedy"), "PAY_FINES");
	assert_int_equal(int_of(l, "blocker_amount_dirhams"), 150000);
	assert_string_equal(str(l, "remedy_before"), "2026-12-22");
	http_resp_free(&r);
}

/* Statement id's workbook as a download gives it (*len bytes; the caller frees). */
static char *
download(long long id, size_t *len)
{
	struct http_resp r;
	char path[64], *body;

	snprintf(path, sizeof(path), "/api/v1/statements/%lld.xlsx", id);
	assert_int_equal(http_req(&rev, "GET", path, NULL, NULL, 0, &r), 200);
	body = xmalloc(r.len);
	memcpy(body, r.body, r.len);
	*len = r.len;
	http_resp_free(&r);
	return body;
}

/* Forgets statement id's recorded workbook, as if never rendered (the
 * database refuses this to anyone but its owner, with its trigger off). */
static void
forget_workbook(long long id)
{
	char *done = test_sqlf("ALTER TABLE statements DISABLE TRIGGER statements_workbook_once;"
	    " UPDATE statements SET workbook = NULL, sha256 = NULL WHERE id = %lld;"
	    " ALTER TABLE statements ENABLE TRIGGER statements_workbook_once;"
	    " SELECT count(*) FROM statements WHERE id = %lld AND sha256 IS NULL", id, id);

	assert_non_null(done);
	assert_string_equal(done, "1");
	free(done);
}

/*
 * Issue 14 §2: a workbook is rendered from the stored lines, byte for byte
 * the same each time: rendered again after its record is forgotten, it is
 * the same file, its hash recorded again, and the file verifies as
 * genuine (an altered copy does not). Two first renderings at once record
 * one hash, the one both hand out.
 */
static void
workbook_rendered_twice_is_identical_and_verifies(void **state)
{
	struct http_resp r;
	json_t *st;
	char *a, *b, *c, *code, cmd[1500];
	size_t alen, blen, clen;
	long long id;

	(void)state;
	st = clone_statement("execution", "2026-12-08", &r);
	id = int_of(st, "id");
	http_resp_free(&r);
	a = download(id, &alen);
	forget_workbook(id);
	b = download(id, &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE id = %lld"
	    " AND sha256 = sha256(workbook) AND length(workbook) = %zu", id, blen), 1);

	assert_int_equal(http_req(&rev, "POST", "/api/v1/statements/verify", XLSX_TYPE, b, blen,
	    &r), 200);
	assert_true(json_is_true(json_object_get(r.json, "genuine")));
	code = test_sqlf("SELECT verification_code FROM statements WHERE id = %lld", id);
	assert_string_equal(resp_str(&r, "verification_code"), code);
	http_resp_free(&r);
	b[blen / 2] ^= 1;
	assert_int_equal(http_req(&rev, "POST", "/api/v1/statements/verify", XLSX_TYPE, b, blen,
	    &r), 200);
	assert_true(json_is_false(json_object_get(r.json, "genuine")));
	http_resp_free(&r);

	/* Two verifications by code at once, each rendering it first. */
	forget_workbook(id);
	snprintf(cmd, sizeof(cmd), "u='%s/api/v1/statements/verify?code=%s';"
	    " curl -sf --cacert %s \"$u\" >/dev/null & x=$!; curl -sf --cacert %s \"$u\" >/dev/null"
	    " & y=$!; wait $x && wait $y", test_env("RB_BASE_URL"), code, test_env("RB_TLS_CERT"),
	    test_env("RB_TLS_CERT"));
	assert_int_equal(system(cmd), 0);
	c = download(id, &clen);
	assert_int_equal(clen, alen);
	assert_memory_equal(a, c, alen);
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE id = %lld"
	    " AND sha256 = sha256(workbook)", id), 1);
	free(a);
	free(b);
	free(c);
	free(code);
}

static int
setup(void **state)
{
	char *left;

	(void)state;
	if (signin_setup(signins, SIGNIN_N(signins)) != 0)
		return -1;
	if (scenario_executions() < 0) {
		print_error("cannot make the executions to report on\n");
		return -1;
	}
	/* Whatever an interrupted run left behind, then ours. */
	left = test_sql(scr_drop);
	free(left);
	return scratch_make();
}

static int
teardown(void **state)
{
	char *left;
	int ok;

	(void)state;
	left = test_sql(scr_drop);
	ok = left != NULL && strcmp(left, "0") == 0;
	free(left);
	signin_teardown(signins, SIGNIN_N(signins));
	return ok ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reviewers_only_a_date_with_an_execution),
		cmocka_unit_test(execution_summary_of_december_eighth),
		cmocka_unit_test(execution_summary_of_the_bulk_cycles),
		cmocka_unit_test(debits_of_december_eighth),
		cmocka_unit_test(debits_of_the_bulk_cycles_per_bank),
		cmocka_unit_test(reports_in_the_reviewers_language),
		cmocka_unit_test(text_that_looks_like_a_formula_stays_text),
		cmocka_unit_test(a_running_cycle_gives_what_there_is_so_far),
		cmocka_unit_test(execution_fees_are_what_was_debited),
		cmocka_unit_test(alert_expects_what_will_be_renewed),
		cmocka_unit_test(preview_fees_add_up),
		cmocka_unit_test(workbook_rendered_twice_is_identical_and_verifies),
	};

	return cmocka_run_group_tests_name("statements_ministry", tests, setup, teardown);
}
