/*
 * The ministry-wide workbooks of one execution (ministry.h): the execution
 * summary (one sheet) and the debit report (a sheet per company, a sheet
 * per bank). Each sheet: a header block (what, which cycle, whether it is
 * complete, the totals, and that it is an English reviewers' workbook),
 * then one table with a frozen header row, column widths, an auto-filter
 * and a totals row below the filtered range (so sorting never moves it).
 *
 * The cells go through the statement writers' cell functions
 * (workbook_int.h): write_text() is the one place text enters a sheet and
 * blocks formula injection, write_money() writes QAR numbers with the
 * money format, and wb_check() keeps the first libxlsxwriter failure. Their
 * struct wb names a statement for its log lines; here that is a stand-in
 * whose est_id reads "ministry".
 *
 * Built in memory by wb_to_memory(), like every statement. The creation
 * time is the cycle date, so the same figures give the same bytes. Constant-memory mode: every sheet is written strictly
 * top to bottom (a cell above the current row would be dropped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "lib/xalloc.h"
#include "reports/workbook_int.h"
#include "reports/workbook_ministry.h"

/* Rows a table may have: Excel's limit less the header block and totals. */
#define MW_MAX_ROWS	((size_t)LXW_ROW_MAX - 64)

/* A column of a table: its header (English) and width. */
struct mw_column {
	const char	*header;
	double		 width;
};

/* A workbook being written: the shared cell writers' context and ours. */
struct mw {
	struct wb		 w;
	struct statement	 who;		/* names the report in wb_check's logs */
	lxw_format		*count_bold;	/* totals row counts */
	lxw_format		*text_ar;	/* Arabic names: right-to-left reading order */
};

static const struct mw_column exec_columns[] = {
	{ "Establishment number", 14 },
	{ "Company (English)", 36 },
	{ "Company (Arabic)", 36 },
	{ "Candidates", 12 },
	{ "Renewed", 11 },
	{ "Rejected", 11 },
	{ "Excluded", 11 },
	{ "Total debited (QAR)", 20 },
	{ "Cap (QAR)", 18 },
};

static const struct mw_column company_columns[] = {
	{ "Establishment number", 14 },
	{ "Company (English)", 36 },
	{ "Company (Arabic)", 36 },
	{ "IBAN", 34 },
	{ "Debits", 10 },
	{ "Total (QAR)", 20 },
};

static const struct mw_column bank_columns[] = {
	{ "Bank code", 12 },
	{ "Debits", 10 },
	{ "Total (QAR)", 20 },
};

#define NCOLS(a)	(sizeof(a) / sizeof((a)[0]))

/* A new format; NULL (logged, kept in err) on failure. */
static lxw_format *
add_format(struct mw *m)
{
	lxw_format *f;

	if (m->w.err != RB_OK)
		return NULL;
	if ((f = workbook_add_format(m->w.book)) == NULL) {
		log_error("ministry report: workbook_add_format failed");
		m->w.err = RB_EIO;
	}
	return f;
}

static void
add_formats(struct mw *m)
{
	const char *money = m->w.lang->money_format;

	if ((m->w.fmt.title = add_format(m)) != NULL) {
		format_set_bold(m->w.fmt.title);
		format_set_font_size(m->w.fmt.title, 13);
	}
	if ((m->w.fmt.label = add_format(m)) != NULL)
		format_set_bold(m->w.fmt.label);
	if ((m->w.fmt.head = add_format(m)) != NULL) {
		format_set_bold(m->w.fmt.head);
		format_set_text_wrap(m->w.fmt.head);
		format_set_align(m->w.fmt.head, LXW_ALIGN_VERTICAL_TOP);
		format_set_bottom(m->w.fmt.head, LXW_BORDER_THIN);
		format_set_bg_color(m->w.fmt.head, 0xD9D9D9);
	}
	m->w.fmt.text = add_format(m);
	if ((m->w.fmt.code = add_format(m)) != NULL)
		format_set_num_format(m->w.fmt.code, "@");
	if ((m->w.fmt.date = add_format(m)) != NULL)
		format_set_num_format(m->w.fmt.date, "yyyy-mm-dd");
	if ((m->w.fmt.money = add_format(m)) != NULL)
		format_set_num_format(m->w.fmt.money, money);
	if ((m->w.fmt.money_bold = add_format(m)) != NULL) {
		format_set_num_format(m->w.fmt.money_bold, money);
		format_set_bold(m->w.fmt.money_bold);
	}
	if ((m->w.fmt.integer = add_format(m)) != NULL)
		format_set_num_format(m->w.fmt.integer, "0");
	if ((m->count_bold = add_format(m)) != NULL) {
		format_set_num_format(m->count_bold, "0");
		format_set_bold(m->count_bold);
	}
	if ((m->text_ar = add_format(m)) != NULL)
		format_set_reading_order(m->text_ar, 2);
}

/* A count in bold, for the totals rows. */
static void
write_count_bold(struct mw *m, lxw_row_t row, lxw_col_t col, int64_t n)
{
	if (m->w.err != RB_OK)
		return;
	wb_check(&m->w, worksheet_write_number(m->w.sheet, row, col, (double)n, m->count_bold),
	    "worksheet_write_number", row, col);
}

/* A new sheet becomes the one written to. */
static void
add_sheet(struct mw *m, const char *name)
{
	if (m->w.err != RB_OK)
		return;
	if ((m->w.sheet = workbook_add_worksheet(m->w.book, name)) == NULL) {
		log_error("ministry report: workbook_add_worksheet %s failed", name);
		m->w.err = RB_EIO;
	}
}

/* A figure of the header block. */
struct mw_figure {
	const char	*label;
	int		 money;		/* dirhams, else a count */
	int64_t		 value;
};

/*
 * Labels in the first column, values in the second: the report, the cycle
 * and its state, the figures, the headers' language. Returns the row of
 * the table's header.
 */
static lxw_row_t
header_block(struct mw *m, const char *title, const struct ministry_cycle *cy,
    const struct mw_figure *figs, size_t nfigs)
{
	struct wb *w = &m->w;
	lxw_row_t r = 0;
	size_t i;

	write_text(w, r, 0, "Report", w->fmt.label);
	write_text(w, r++, 1, title, w->fmt.title);
	write_text(w, r, 0, "Cycle date", w->fmt.label);
	write_date(w, r++, 1, cy->date);
	write_text(w, r, 0, "Cycle status", w->fmt.label);
	write_text(w, r++, 1, cy->complete ? "Complete" :
	    "Running: the figures may still grow", w->fmt.text);
	for (i = 0; i < nfigs; i++) {
		write_text(w, r, 0, figs[i].label, w->fmt.label);
		if (figs[i].money)
			write_money(w, r++, 1, figs[i].value, w->fmt.money_bold);
		else
			write_int(w, r++, 1, figs[i].value);
	}
	write_text(w, r, 0, "Headers", w->fmt.label);
	write_text(w, r++, 1, "English: a ministry workbook for reviewers, all companies",
	    w->fmt.text);
	return r + 1;
}

/* The table's header row (frozen) and the column widths. */
static void
table_head(struct mw *m, lxw_row_t head, const struct mw_column *cols, size_t ncols)
{
	lxw_col_t c;

	for (c = 0; c < ncols && m->w.err == RB_OK; c++) {
		write_text(&m->w, head, c, cols[c].header, m->w.fmt.head);
		if (m->w.err == RB_OK)
			wb_check(&m->w, worksheet_set_column(m->w.sheet, c, c, cols[c].width, NULL),
			    "worksheet_set_column", head, c);
	}
	if (m->w.err == RB_OK)
		worksheet_freeze_panes(m->w.sheet, head + 1, 0);
}

/* The auto-filter over the header row and the data rows, not the totals. */
static void
table_filter(struct mw *m, lxw_row_t head, size_t nrows, size_t ncols)
{
	if (m->w.err == RB_OK)
		wb_check(&m->w, worksheet_autofilter(m->w.sheet, head, 0, head + (lxw_row_t)nrows,
		    (lxw_col_t)(ncols - 1)), "worksheet_autofilter", head, 0);
}

/* *acc += v; RB_EINVAL (logged) on a negative value or an overflow. */
static enum rb_err
add(int64_t *acc, int64_t v, const char *what)
{
	if (v < 0 || __builtin_add_overflow(*acc, v, acc)) {
		log_error("ministry report: %s %lld out of range", what, (long long)v);
		return RB_EINVAL;
	}
	return RB_OK;
}

/* ---- the execution summary --------------------------------------------- */

struct exec_totals {
	int64_t	candidates, renewed, rejected, excluded, debited;
};

static enum rb_err
exec_totals(const struct ministry_execution_summary *s, struct exec_totals *t)
{
	enum rb_err rc = RB_OK;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (s->nrows > 0 && s->rows == NULL) {
		log_error("ministry report: %zu rows and no array", s->nrows);
		return RB_EINVAL;
	}
	if (s->nrows > MW_MAX_ROWS) {
		log_error("ministry report: %zu companies, more than a sheet holds", s->nrows);
		return RB_EINVAL;
	}
	for (i = 0; i < s->nrows && rc == RB_OK; i++) {
		const struct ministry_exec_row *x = &s->rows[i];

		if ((rc = add(&t->candidates, x->candidates, "candidates")) == RB_OK &&
		    (rc = add(&t->renewed, x->renewed, "renewed")) == RB_OK &&
		    (rc = add(&t->rejected, x->rejected, "rejected")) == RB_OK &&
		    (rc = add(&t->excluded, x->excluded, "excluded")) == RB_OK &&
		    (rc = add(&t->debited, x->debited_dirhams, "debited")) == RB_OK &&
		    x->cap_dirhams < 0) {
			log_error("ministry report: %s: cap %lld", x->est.s,
			    (long long)x->cap_dirhams);
			rc = RB_EINVAL;
		}
	}
	return rc;
}

static void
exec_sheet(struct mw *m, const struct ministry_execution_summary *s,
    const struct exec_totals *t)
{
	const struct mw_figure figs[] = {
		{ "Companies", 0, (int64_t)s->nrows },
		{ "Candidates", 0, t->candidates },
		{ "Renewed", 0, t->renewed },
		{ "Total debited", 1, t->debited },
	};
	struct wb *w = &m->w;
	lxw_row_t head, r;
	lxw_col_t c;
	size_t i;

	add_sheet(m, "Execution summary");
	if (w->err != RB_OK)
		return;
	head = header_block(m, "Execution summary, all companies", &s->cycle, figs,
	    NCOLS(figs));
	table_head(m, head, exec_columns, NCOLS(exec_columns));
	for (i = 0, r = head + 1; i < s->nrows && w->err == RB_OK; i++, r++) {
		const struct ministry_exec_row *x = &s->rows[i];

		c = 0;
		write_text(w, r, c++, x->est.s, w->fmt.code);
		write_text(w, r, c++, x->name_en, w->fmt.text);
		write_text(w, r, c++, x->name_ar, m->text_ar);
		write_int(w, r, c++, x->candidates);
		write_int(w, r, c++, x->renewed);
		write_int(w, r, c++, x->rejected);
		write_int(w, r, c++, x->excluded);
		write_money(w, r, c++, x->debited_dirhams, NULL);
		write_money(w, r, c++, x->cap_dirhams, NULL);
	}
	table_filter(m, head, s->nrows, NCOLS(exec_columns));
	/* The caps of different companies do not add up to anything: no total. */
	write_text(w, r, 0, "Total", w->fmt.label);
	write_count_bold(m, r, 3, t->candidates);
	write_count_bold(m, r, 4, t->renewed);
	write_count_bold(m, r, 5, t->rejected);
	write_count_bold(m, r, 6, t->excluded);
	write_money(w, r, 7, t->debited, w->fmt.money_bold);
}

/* ---- the debit report --------------------------------------------------- */

struct debit_totals {
	int64_t	debits, total;
};

static enum rb_err
debit_totals(const struct ministry_debits *d, struct debit_totals *by_company,
    struct debit_totals *by_bank)
{
	enum rb_err rc = RB_OK;
	size_t i;

	memset(by_company, 0, sizeof(*by_company));
	memset(by_bank, 0, sizeof(*by_bank));
	if ((d->ncompanies > 0 && d->companies == NULL) || (d->nbanks > 0 && d->banks == NULL)) {
		log_error("ministry report: rows and no array");
		return RB_EINVAL;
	}
	if (d->ncompanies > MW_MAX_ROWS || d->nbanks > MW_MAX_ROWS) {
		log_error("ministry report: %zu companies, %zu banks: more than a sheet holds",
		    d->ncompanies, d->nbanks);
		return RB_EINVAL;
	}
	for (i = 0; i < d->ncompanies && rc == RB_OK; i++)
		if ((rc = add(&by_company->debits, d->companies[i].debits, "debits")) == RB_OK)
			rc = add(&by_company->total, d->companies[i].total_dirhams, "total");
	for (i = 0; i < d->nbanks && rc == RB_OK; i++)
		if ((rc = add(&by_bank->debits, d->banks[i].debits, "debits")) == RB_OK)
			rc = add(&by_bank->total, d->banks[i].total_dirhams, "total");
	if (rc == RB_OK && (by_company->debits != by_bank->debits ||
	    by_company->total != by_bank->total)) {
		log_error("ministry report: per company %lld debits, %lld dirhams; per bank"
		    " %lld debits, %lld dirhams", (long long)by_company->debits,
		    (long long)by_company->total, (long long)by_bank->debits,
		    (long long)by_bank->total);
		rc = RB_EINTERNAL;
	}
	return rc;
}

/* The header block both sheets share; returns the table's header row. */
static lxw_row_t
debits_header(struct mw *m, const struct ministry_debits *d, const struct debit_totals *t)
{
	const struct mw_figure figs[] = {
		{ "Companies", 0, (int64_t)d->ncompanies },
		{ "Banks", 0, (int64_t)d->nbanks },
		{ "Debits", 0, t->debits },
		{ "Grand total", 1, t->total },
	};

	return header_block(m, "Debit report, all companies", &d->cycle, figs, NCOLS(figs));
}

static void
company_sheet(struct mw *m, const struct ministry_debits *d, const struct debit_totals *t)
{
	struct wb *w = &m->w;
	lxw_row_t head, r;
	lxw_col_t c;
	size_t i;

	add_sheet(m, "By company");
	if (w->err != RB_OK)
		return;
	head = debits_header(m, d, t);
	table_head(m, head, company_columns, NCOLS(company_columns));
	for (i = 0, r = head + 1; i < d->ncompanies && w->err == RB_OK; i++, r++) {
		const struct ministry_debit_company *x = &d->companies[i];

		c = 0;
		write_text(w, r, c++, x->est.s, w->fmt.code);
		write_text(w, r, c++, x->name_en, w->fmt.text);
		write_text(w, r, c++, x->name_ar, m->text_ar);
		write_text(w, r, c++, x->iban.s, w->fmt.code);
		write_int(w, r, c++, x->debits);
		write_money(w, r, c++, x->total_dirhams, NULL);
	}
	table_filter(m, head, d->ncompanies, NCOLS(company_columns));
	write_text(w, r, 0, "Total", w->fmt.label);
	write_count_bold(m, r, 4, t->debits);
	write_money(w, r, 5, t->total, w->fmt.money_bold);
}

static void
bank_sheet(struct mw *m, const struct ministry_debits *d, const struct debit_totals *t)
{
	struct wb *w = &m->w;
	lxw_row_t head, r;
	size_t i;

	add_sheet(m, "By bank");
	if (w->err != RB_OK)
		return;
	head = debits_header(m, d, t);
	table_head(m, head, bank_columns, NCOLS(bank_columns));
	for (i = 0, r = head + 1; i < d->nbanks && w->err == RB_OK; i++, r++) {
		write_text(w, r, 0, d->banks[i].code, w->fmt.code);
		write_int(w, r, 1, d->banks[i].debits);
		write_money(w, r, 2, d->banks[i].total_dirhams, NULL);
	}
	table_filter(m, head, d->nbanks, NCOLS(bank_columns));
	write_text(w, r, 0, "Total", w->fmt.label);
	write_count_bold(m, r, 1, t->debits);
	write_money(w, r, 2, t->total, w->fmt.money_bold);
}

/* ---- the workbook and its bytes ----------------------------------------- */

/* What one report writes into the open workbook (its sheets). */
typedef void	(*mw_sheets_fn)(struct mw *, const void *);

struct mw_job {
	const char		*title;
	enum stmt_kind		 kind;		/* for the log lines only */
	struct rb_date		 date;
	mw_sheets_fn		 sheets;
	const void		*in;
};

/* Builds the workbook into book, then closes (and frees) it. */
static enum rb_err
write_book(lxw_workbook *book, const struct mw_job *job)
{
	lxw_doc_properties props;
	struct mw m;
	lxw_error e;

	memset(&m, 0, sizeof(m));
	m.who.kind = job->kind;
	snprintf(m.who.est_id, sizeof(m.who.est_id), "ministry");
	m.w.book = book;
	m.w.st = &m.who;
	m.w.lang = texts_find("en");

	memset(&props, 0, sizeof(props));
	props.title = (char *)job->title;
	props.created = (time_t)job->date.days * 86400;
	wb_check(&m.w, workbook_set_properties(book, &props), "workbook_set_properties", 0, 0);
	add_formats(&m);
	if (m.w.err == RB_OK)
		job->sheets(&m, job->in);
	/* Closed whatever happened: it also frees the workbook. */
	if ((e = workbook_close(book)) != LXW_NO_ERROR) {
		log_error("ministry report: workbook_close: %s", lxw_strerror(e));
		if (m.w.err == RB_OK)
			m.w.err = RB_EIO;
	}
	return m.w.err;
}

static enum rb_err
build_report(lxw_workbook *book, const void *job)
{
	return write_book(book, job);
}

/*
 * A national execution has a row per company (50,000): in constant-memory
 * mode each row is flushed once the next one starts, instead of every cell
 * staying in memory. The sheets are written top to bottom.
 */
static enum rb_err
to_memory(const struct mw_job *job, uint8_t **out, size_t *len)
{
	return wb_to_memory("ministry report", 1, build_report, job, out, len);
}

/* ---- the two reports ------------------------------------------------------ */

struct exec_in {
	const struct ministry_execution_summary	*s;
	struct exec_totals			 t;
};

static void
exec_sheets(struct mw *m, const void *in)
{
	const struct exec_in *x = in;

	exec_sheet(m, x->s, &x->t);
}

enum rb_err
ministry_execution_workbook(const struct ministry_execution_summary *s, uint8_t **out,
    size_t *len)
{
	struct exec_in in;
	struct mw_job job;
	enum rb_err rc;

	if (s == NULL || out == NULL || len == NULL) {
		log_error("no report or no output");
		return RB_EINVAL;
	}
	*out = NULL;
	*len = 0;
	in.s = s;
	if ((rc = exec_totals(s, &in.t)) != RB_OK)
		return rc;
	memset(&job, 0, sizeof(job));
	job.title = "Execution summary";
	job.kind = STMT_EXECUTION;
	job.date = s->cycle.date;
	job.sheets = exec_sheets;
	job.in = &in;
	return to_memory(&job, out, len);
}

struct debits_in {
	const struct ministry_debits	*d;
	struct debit_totals		 t;
};

static void
debits_sheets(struct mw *m, const void *in)
{
	const struct debits_in *x = in;

	company_sheet(m, x->d, &x->t);
	bank_sheet(m, x->d, &x->t);
}

enum rb_err
ministry_debits_workbook(const struct ministry_debits *d, uint8_t **out, size_t *len)
{
	struct debit_totals by_bank;
	struct debits_in in;
	struct mw_job job;
	enum rb_err rc;

	if (d == NULL || out == NULL || len == NULL) {
		log_error("no report or no output");
		return RB_EINVAL;
	}
	*out = NULL;
	*len = 0;
	in.d = d;
	if ((rc = debit_totals(d, &in.t, &by_bank)) != RB_OK)
		return rc;
	memset(&job, 0, sizeof(job));
	job.title = "Debit report, all companies";
	job.kind = STMT_DEBIT_REPORT;
	job.date = d->cycle.date;
	job.sheets = debits_sheets;
	job.in = &in;
	return to_memory(&job, out, len);
}
