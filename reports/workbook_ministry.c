/*
 * The ministry-wide workbooks of one execution (ministry.h): the execution
 * summary (one sheet) and the debit report (a sheet per company, a sheet
 * per bank, by code and by name). Each sheet: a header block (what, which
 * cycle, whether it is complete, the totals), then one table with a frozen
 * header row, column widths, an auto-filter and a totals row below the
 * filtered range (so sorting never moves it); printed on A4 like the
 * statements (wb_print_setup()). In the reviewer's language: the texts are
 * the catalogues' "report.ministry.*" (reports/texts.c), right to left in
 * Arabic; both names of each company are given whatever the language.
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

/* A column of a table: its header and width. */
struct mw_column {
	enum text_id	 header;
	double		 width;
};

/* A workbook being written: the shared cell writers' context and ours. */
struct mw {
	struct wb		 w;
	struct statement	 who;		/* names the report in wb_check's logs */
	lxw_format		*text_ar;	/* Arabic names: right-to-left reading order */
	const char		*title;		/* the report's, for the page header */
	double			 printed;	/* the width of the current sheet's columns */
};

static const struct mw_column exec_columns[] = {
	{ T_EST_ID, 14 },
	{ T_M_COL_COMPANY_EN, 32 },
	{ T_M_COL_COMPANY_AR, 32 },
	{ T_M_CANDIDATES, 12 },
	{ T_M_RENEWED, 11 },
	{ T_M_REJECTED, 11 },
	{ T_M_EXCLUDED, 11 },
	{ T_M_COL_TOTAL_DEBITED, 18 },
	{ T_M_COL_CAP, 16 },
};

static const struct mw_column company_columns[] = {
	{ T_EST_ID, 14 },
	{ T_M_COL_COMPANY_EN, 32 },
	{ T_M_COL_COMPANY_AR, 32 },
	{ T_COL_IBAN, 32 },
	{ T_M_DEBITS, 10 },
	{ T_M_COL_TOTAL, 18 },
};

static const struct mw_column bank_columns[] = {
	{ T_M_COL_BANK_CODE, 14 },
	{ T_M_COL_BANK, 32 },
	{ T_M_DEBITS, 10 },
	{ T_M_COL_TOTAL, 18 },
};

#define NCOLS(a)	(sizeof(a) / sizeof((a)[0]))

/* The statements' formats, and one for Arabic names in any language. */
static void
add_formats(struct mw *m)
{
	wb_add_formats(&m->w);
	if (m->w.err != RB_OK)
		return;
	if ((m->text_ar = workbook_add_format(m->w.book)) == NULL) {
		log_error("ministry report: workbook_add_format failed");
		m->w.err = RB_EIO;
		return;
	}
	format_set_reading_order(m->text_ar, 2);
	format_set_text_wrap(m->text_ar);
	format_set_align(m->text_ar, LXW_ALIGN_VERTICAL_TOP);
}

/* A new sheet becomes the one written to. */
static void
add_sheet(struct mw *m, enum text_id name)
{
	if (m->w.err != RB_OK)
		return;
	if ((m->w.sheet = workbook_add_worksheet(m->w.book, wb_text(&m->w, name))) == NULL) {
		log_error("ministry report: workbook_add_worksheet %s failed", wb_text(&m->w, name));
		m->w.err = RB_EIO;
	} else if (m->w.lang->rtl)
		worksheet_right_to_left(m->w.sheet);
}

/* A figure of the header block. */
struct mw_figure {
	enum text_id	 label;
	int		 money;		/* dirhams, else a count */
	int64_t		 value;
};

/*
 * Labels in the first column, values in the second: the report, the cycle
 * and its state, the figures. Returns the row of the table's header.
 */
static lxw_row_t
header_block(struct mw *m, enum text_id title, const struct ministry_cycle *cy,
    const struct mw_figure *figs, size_t nfigs, double label_width)
{
	struct wb *w = &m->w;
	lxw_row_t r = 0;
	size_t i;

	wb_label(w, r, wb_text(w, T_M_REPORT), label_width);
	write_text(w, r++, 1, wb_text(w, title), w->fmt.title);
	wb_label(w, r, wb_text(w, T_CYCLE_DATE), label_width);
	write_date(w, r++, 1, cy->date);
	wb_label(w, r, wb_text(w, T_M_CYCLE_STATUS), label_width);
	write_text(w, r++, 1, wb_text(w, cy->complete ? T_M_COMPLETE : T_M_RUNNING),
	    w->fmt.text);
	for (i = 0; i < nfigs; i++) {
		wb_label(w, r, wb_text(w, figs[i].label), label_width);
		if (figs[i].money)
			write_money(w, r++, 1, figs[i].value, w->fmt.money_bold);
		else
			write_int(w, r++, 1, figs[i].value);
	}
	return r + 1;
}

/* The table's header row (frozen, tall enough for its titles) and the
 * column widths. */
static void
table_head(struct mw *m, lxw_row_t head, const struct mw_column *cols, size_t ncols)
{
	const char *heads[16];
	double widths[16];
	lxw_col_t c;

	m->printed = 0;
	for (c = 0; c < ncols && c < 16 && m->w.err == RB_OK; c++) {
		heads[c] = wb_text(&m->w, cols[c].header);
		widths[c] = cols[c].width;
		m->printed += widths[c];
		write_text(&m->w, head, c, heads[c], m->w.fmt.head);
		if (m->w.err == RB_OK)
			wb_check(&m->w, worksheet_set_column(m->w.sheet, c, c, cols[c].width, NULL),
			    "worksheet_set_column", head, c);
	}
	wb_head_height(&m->w, head, heads, widths, c);
	if (m->w.err == RB_OK)
		worksheet_freeze_panes(m->w.sheet, head + 1, 0);
}

/* A4 printing, the page header naming the report, the sheet and the cycle. */
static void
print_setup(struct mw *m, lxw_row_t head, enum text_id sheet, struct rb_date cycle)
{
	wb_print_setup(&m->w, head, m->printed, m->title, wb_text(&m->w, sheet), cycle, NULL);
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
		{ T_M_COMPANIES, 0, (int64_t)s->nrows },
		{ T_M_CANDIDATES, 0, t->candidates },
		{ T_M_RENEWED, 0, t->renewed },
		{ T_M_TOTAL_DEBITED, 1, t->debited },
	};
	struct wb *w = &m->w;
	lxw_row_t head, r;
	lxw_col_t c;
	size_t i;

	add_sheet(m, T_M_EXECUTION_SUMMARY);
	if (w->err != RB_OK)
		return;
	head = header_block(m, T_M_EXECUTION_SUMMARY_TITLE, &s->cycle, figs, NCOLS(figs),
	    exec_columns[0].width);
	table_head(m, head, exec_columns, NCOLS(exec_columns));
	for (i = 0, r = head + 1; i < s->nrows && w->err == RB_OK; i++, r++) {
		const struct ministry_exec_row *x = &s->rows[i];

		c = 0;
		write_text(w, r, c++, x->est.s, w->fmt.code);
		write_text(w, r, c++, x->name_en, w->fmt.wrap);
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
	write_text(w, r, 0, wb_text(w, T_TOTAL), w->fmt.label);
	write_count_bold(w, r, 3, t->candidates);
	write_count_bold(w, r, 4, t->renewed);
	write_count_bold(w, r, 5, t->rejected);
	write_count_bold(w, r, 6, t->excluded);
	write_money(w, r, 7, t->debited, w->fmt.money_bold);
	print_setup(m, head, T_M_EXECUTION_SUMMARY, s->cycle.date);
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
debits_header(struct mw *m, const struct ministry_debits *d, const struct debit_totals *t,
    double label_width)
{
	const struct mw_figure figs[] = {
		{ T_M_COMPANIES, 0, (int64_t)d->ncompanies },
		{ T_M_BANKS, 0, (int64_t)d->nbanks },
		{ T_M_DEBITS, 0, t->debits },
		{ T_M_GRAND_TOTAL, 1, t->total },
	};

	return header_block(m, T_M_DEBITS_TITLE, &d->cycle, figs, NCOLS(figs), label_width);
}

static void
company_sheet(struct mw *m, const struct ministry_debits *d, const struct debit_totals *t)
{
	struct wb *w = &m->w;
	lxw_row_t head, r;
	lxw_col_t c;
	size_t i;

	add_sheet(m, T_M_BY_COMPANY);
	if (w->err != RB_OK)
		return;
	head = debits_header(m, d, t, company_columns[0].width);
	table_head(m, head, company_columns, NCOLS(company_columns));
	for (i = 0, r = head + 1; i < d->ncompanies && w->err == RB_OK; i++, r++) {
		const struct ministry_debit_company *x = &d->companies[i];

		c = 0;
		write_text(w, r, c++, x->est.s, w->fmt.code);
		write_text(w, r, c++, x->name_en, w->fmt.wrap);
		write_text(w, r, c++, x->name_ar, m->text_ar);
		write_text(w, r, c++, x->iban.s, w->fmt.code);
		write_int(w, r, c++, x->debits);
		write_money(w, r, c++, x->total_dirhams, NULL);
	}
	table_filter(m, head, d->ncompanies, NCOLS(company_columns));
	write_text(w, r, 0, wb_text(w, T_TOTAL), w->fmt.label);
	write_count_bold(w, r, 4, t->debits);
	write_money(w, r, 5, t->total, w->fmt.money_bold);
	print_setup(m, head, T_M_BY_COMPANY, d->cycle.date);
}

static void
bank_sheet(struct mw *m, const struct ministry_debits *d, const struct debit_totals *t)
{
	struct wb *w = &m->w;
	lxw_row_t head, r;
	size_t i;

	add_sheet(m, T_M_BY_BANK);
	if (w->err != RB_OK)
		return;
	head = debits_header(m, d, t, bank_columns[0].width);
	table_head(m, head, bank_columns, NCOLS(bank_columns));
	for (i = 0, r = head + 1; i < d->nbanks && w->err == RB_OK; i++, r++) {
		write_text(w, r, 0, d->banks[i].code, w->fmt.code);
		/* A bank the catalogues do not name yet: its code alone. */
		write_text(w, r, 1, texts_bank(w->lang, d->banks[i].code), w->fmt.wrap);
		write_int(w, r, 2, d->banks[i].debits);
		write_money(w, r, 3, d->banks[i].total_dirhams, NULL);
	}
	table_filter(m, head, d->nbanks, NCOLS(bank_columns));
	write_text(w, r, 0, wb_text(w, T_TOTAL), w->fmt.label);
	write_count_bold(w, r, 2, t->debits);
	write_money(w, r, 3, t->total, w->fmt.money_bold);
	print_setup(m, head, T_M_BY_BANK, d->cycle.date);
}

/* ---- the workbook and its bytes ----------------------------------------- */

/* What one report writes into the open workbook (its sheets). */
typedef void	(*mw_sheets_fn)(struct mw *, const void *);

struct mw_job {
	enum text_id		 title;
	const char		*lang;		/* the reviewer's */
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
	m.w.lang = &m.w.texts;
	if ((m.w.err = texts_load(job->lang, &m.w.texts)) == RB_OK) {
		m.title = wb_text(&m.w, job->title);
		memset(&props, 0, sizeof(props));
		props.title = (char *)m.title;
		props.created = (time_t)job->date.days * 86400;
		wb_check(&m.w, workbook_set_properties(book, &props), "workbook_set_properties",
		    0, 0);
	}
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
ministry_execution_workbook(const struct ministry_execution_summary *s, const char *lang,
    uint8_t **out, size_t *len)
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
	job.title = T_M_EXECUTION_SUMMARY_TITLE;
	job.lang = lang;
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
ministry_debits_workbook(const struct ministry_debits *d, const char *lang, uint8_t **out,
    size_t *len)
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
	job.title = T_M_DEBITS_TITLE;
	job.lang = lang;
	job.kind = STMT_DEBIT_REPORT;
	job.date = d->cycle.date;
	job.sheets = debits_sheets;
	job.in = &in;
	return to_memory(&job, out, len);
}
