/*
 * Ministry-wide reports of one execution, for reviewers, as .xlsx:
 *   GET /api/v1/backoffice/reports/execution-summary.xlsx?date=YYYY-MM-DD
 *   GET /api/v1/backoffice/reports/debits.xlsx?date=YYYY-MM-DD
 * One aggregate query per report, read into the typed values of
 * reports/ministry.h; the writers there make the workbook.
 *
 * The date is required. A date with no execution cycle is 404 no_execution
 * (not an empty workbook: a reviewer who mistypes the date should be told,
 * not handed zeros). A cycle that ran for no company gives a workbook with
 * empty tables; a cycle still running gives the figures so far, marked as
 * such in the header block (the cycle is read before the figures, so a
 * report never calls partial figures complete).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/handlers.h"
#include "lib/log.h"
#include "lib/number.h"
#include "lib/xalloc.h"
#include "reports/workbook_ministry.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Every line of each company's execution statement of the date, counted by result. */
static const char summary_sql[] =
	"SELECT s.est_id, c.name_en, c.name_ar, count(l.line_no),"
	" count(l.line_no) FILTER (WHERE l.result = 'RENEWED'),"
	" count(l.line_no) FILTER (WHERE l.result = 'REJECTED'),"
	" count(l.line_no) FILTER (WHERE l.result = 'EXCLUDED'),"
	" s.total_dirhams, s.cap_dirhams"
	" FROM statements s JOIN companies c ON c.est_id = s.est_id"
	" LEFT JOIN statement_lines l ON l.statement_id = s.id"
	" WHERE s.cycle_date = $1::date AND s.kind = 'execution'"
	" GROUP BY s.id, c.est_id ORDER BY s.est_id";

/*
 * The debits of the date, in one pass: rows with a grouping of 0 are per
 * company and account, rows with 3 per bank (IBAN characters 5-8).
 */
static const char debits_sql[] =
	"SELECT GROUPING(s.est_id, l.iban), s.est_id, min(c.name_en), min(c.name_ar), l.iban,"
	" substr(l.iban, 5, 4), count(*), sum(l.fee_dirhams)"
	" FROM statements s JOIN companies c ON c.est_id = s.est_id"
	" JOIN statement_lines l ON l.statement_id = s.id"
	" WHERE s.cycle_date = $1::date AND s.kind = 'debit_report' AND l.result = 'DEBITED'"
	" GROUP BY GROUPING SETS ((s.est_id, l.iban), (substr(l.iban, 5, 4)))"
	" ORDER BY 1, 2, 5, 6";

/*
 * Reviewers only, and the required date; then the execution cycle of that
 * date. Responds (403, 400, 404, 503) and returns -1 otherwise.
 */
static int
report_cycle(struct req *r, struct ministry_cycle *cy, char date[11])
{
	char buf[16];
	const char *p[1] = { date };
	PGresult *res = NULL;
	enum rb_err rc;
	int got;

	if ((got = req_query_param(r, "date", buf, sizeof(buf))) <= 0 ||
	    date_parse(buf, &cy->date) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", "date",
		    "date is required: the execution's date, YYYY-MM-DD");
		return -1;
	}
	date_format(cy->date, date);
	if ((rc = db_exec(&r->w->db, &res, "SELECT completed_at IS NOT NULL FROM cycles"
	    " WHERE kind = 'execution' AND cycle_date = $1::date", 1, p)) != RB_OK) {
		resp_rb_err(r, rc);
		return -1;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		resp_error_field(r, 404, "no_execution", "date",
		    "no execution ran on this date (executions are on the 8th and 22nd)");
		return -1;
	}
	cy->complete = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return 0;
}

/* A count or sum the database computed; RB_EINTERNAL (logged) if it is none. */
static enum rb_err
number(PGresult *res, int row, int col, int64_t *out)
{
	if (PQgetisnull(res, row, col) ||
	    int_parse(PQgetvalue(res, row, col), 0, INT64_MAX, out) != RB_OK) {
		log_error("row %d column %d: not a count: \"%.40s\"", row, col,
		    PQgetvalue(res, row, col));
		return RB_EINTERNAL;
	}
	return RB_OK;
}

static enum rb_err
est(PGresult *res, int row, int col, struct est_id *out)
{
	if (est_id_parse(PQgetvalue(res, row, col), out) != RB_OK) {
		log_error("row %d: bad est_id \"%.40s\"", row, PQgetvalue(res, row, col));
		return RB_EINTERNAL;
	}
	return RB_OK;
}

/* Sends the workbook, or the error that stopped it. */
static void
send_workbook(struct req *r, enum rb_err rc, uint8_t *book, size_t len, const char *name,
    const char *date)
{
	char disp[96];

	if (rc != RB_OK) {
		resp_error(r, 500, "internal", "the workbook could not be made");
		return;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s-%s.xlsx\"", name, date);
	resp_raw(r, 200, XLSX_TYPE, disp, (const char *)book, len);
	free(book);
}

void
h_report_execution_summary(struct req *r)
{
	struct ministry_execution_summary s;
	struct ministry_exec_row *rows = NULL;
	char date[11];
	const char *p[1] = { date };
	PGresult *res = NULL;
	uint8_t *book = NULL;
	size_t len = 0;
	enum rb_err rc;
	int i, n;

	memset(&s, 0, sizeof(s));
	if (report_cycle(r, &s.cycle, date) < 0)
		return;
	if ((rc = db_exec(&r->w->db, &res, summary_sql, 1, p)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	n = PQntuples(res);
	rows = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*rows));
	for (i = 0; i < n && rc == RB_OK; i++) {
		struct ministry_exec_row *x = &rows[i];

		x->name_en = PQgetvalue(res, i, 1);
		x->name_ar = PQgetvalue(res, i, 2);
		if ((rc = est(res, i, 0, &x->est)) == RB_OK &&
		    (rc = number(res, i, 3, &x->candidates)) == RB_OK &&
		    (rc = number(res, i, 4, &x->renewed)) == RB_OK &&
		    (rc = number(res, i, 5, &x->rejected)) == RB_OK &&
		    (rc = number(res, i, 6, &x->excluded)) == RB_OK &&
		    (rc = number(res, i, 7, &x->debited_dirhams)) == RB_OK)
			rc = number(res, i, 8, &x->cap_dirhams);
	}
	s.rows = rows;
	s.nrows = (size_t)n;
	if (rc == RB_OK)
		rc = ministry_execution_workbook(&s, &book, &len);
	send_workbook(r, rc, book, len, "execution-summary", date);
	free(rows);
	PQclear(res);
}

/* A per-bank row: the bank code is four capital letters. */
static enum rb_err
bank_row(PGresult *res, int i, struct ministry_debit_bank *b)
{
	const char *code = PQgetvalue(res, i, 5);
	size_t k;

	for (k = 0; k < 4 && isupper((unsigned char)code[k]); k++)
		;
	if (PQgetisnull(res, i, 5) || k != 4 || code[4] != '\0') {
		log_error("row %d: bad bank code \"%.40s\"", i, code);
		return RB_EINTERNAL;
	}
	memcpy(b->code, code, 5);
	if ((number(res, i, 6, &b->debits)) != RB_OK)
		return RB_EINTERNAL;
	return number(res, i, 7, &b->total_dirhams);
}

static enum rb_err
company_row(PGresult *res, int i, struct ministry_debit_company *c)
{
	enum rb_err rc;

	c->name_en = PQgetvalue(res, i, 2);
	c->name_ar = PQgetvalue(res, i, 3);
	if ((rc = est(res, i, 1, &c->est)) != RB_OK)
		return rc;
	if (iban_parse(PQgetvalue(res, i, 4), &c->iban) != RB_OK) {
		log_error("%s: bad IBAN on a debit line", c->est.s);
		return RB_EINTERNAL;
	}
	if ((rc = number(res, i, 6, &c->debits)) != RB_OK)
		return rc;
	return number(res, i, 7, &c->total_dirhams);
}

void
h_report_debits(struct req *r)
{
	struct ministry_debits d;
	struct ministry_debit_company *companies = NULL;
	struct ministry_debit_bank *banks = NULL;
	char date[11];
	const char *p[1] = { date };
	PGresult *res = NULL;
	uint8_t *book = NULL;
	size_t len = 0;
	enum rb_err rc;
	int i, n;

	memset(&d, 0, sizeof(d));
	if (report_cycle(r, &d.cycle, date) < 0)
		return;
	if ((rc = db_exec(&r->w->db, &res, debits_sql, 1, p)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	n = PQntuples(res);
	companies = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*companies));
	banks = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*banks));
	for (i = 0; i < n && rc == RB_OK; i++) {
		const char *set = PQgetvalue(res, i, 0);

		if (strcmp(set, "0") == 0)
			rc = company_row(res, i, &companies[d.ncompanies++]);
		else if (strcmp(set, "3") == 0)
			rc = bank_row(res, i, &banks[d.nbanks++]);
		else {
			log_error("row %d: grouping %s", i, set);
			rc = RB_EINTERNAL;
		}
	}
	d.companies = companies;
	d.banks = banks;
	if (rc == RB_OK)
		rc = ministry_debits_workbook(&d, &book, &len);
	send_workbook(r, rc, book, len, "debits", date);
	free(companies);
	free(banks);
	PQclear(res);
}
