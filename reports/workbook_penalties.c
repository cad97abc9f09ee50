/*
 * The reviewers' workbook of the penalties issued in a period (issue 15
 * §2): one sheet in the reviewer's language (right to left in Arabic), a
 * header block (the report, the period, how many, the amounts by state),
 * then one table, a row per penalty in issue order, with a frozen header
 * row repeated on every printed page, an auto-filter, and a totals row
 * below the filtered range (so sorting never moves it). Printed on A4 like
 * the ministry reports (wb_print_setup()), its page header naming the
 * report and the period.
 *
 * The texts are the catalogues' "report.penalties.*" entries, read here
 * with texts_get() (English where the language has none; a key missing in
 * English too refuses the workbook before a cell is written), and the
 * statements' shared ones (establishment, company names, Total, Page) that
 * texts_load() reads. Both names of each company are given whatever the
 * language. The sums of the header block and of the totals row are made
 * here from the rows, never taken from the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "reports/penalties.h"
#include "reports/workbook_int.h"

/* Rows a table may have: Excel's limit less the header block and totals. */
#define PW_MAX_ROWS	((size_t)LXW_ROW_MAX - 64)

enum {
	P_TITLE, P_SHEET, P_FROM, P_TO, P_COUNT, P_AMOUNT, P_UNPAID, P_PAID, P_WAIVED,
	P_COL_ID, P_COL_ISSUED_ON, P_COL_LADDER, P_COL_STEP, P_COL_AMOUNT, P_COL_SUSPENDS,
	P_COL_STATE, P_COL_SETTLED_ON, P_COL_SETTLED_BY, P_COL_NOTE, P_COL_RULE_CODE,
	P_LADDER_NOT_ENROLLED, P_LADDER_INACCURATE, P_STATE_ISSUED, P_STATE_PAID,
	P_STATE_WAIVED, P__MAX
};
static const char *const keys[P__MAX] = {
	[P_TITLE] = "report.penalties.title",
	[P_SHEET] = "report.penalties.sheet",
	[P_FROM] = "report.penalties.from",
	[P_TO] = "report.penalties.to",
	[P_COUNT] = "report.penalties.count",
	[P_AMOUNT] = "report.penalties.amount",
	[P_UNPAID] = "report.penalties.unpaid",
	[P_PAID] = "report.penalties.paid",
	[P_WAIVED] = "report.penalties.waived",
	[P_COL_ID] = "report.penalties.col.id",
	[P_COL_ISSUED_ON] = "report.penalties.col.issued_on",
	[P_COL_LADDER] = "report.penalties.col.ladder",
	[P_COL_STEP] = "report.penalties.col.step",
	[P_COL_AMOUNT] = "report.penalties.col.amount",
	[P_COL_SUSPENDS] = "report.penalties.col.suspends",
	[P_COL_STATE] = "report.penalties.col.state",
	[P_COL_SETTLED_ON] = "report.penalties.col.settled_on",
	[P_COL_SETTLED_BY] = "report.penalties.col.settled_by",
	[P_COL_NOTE] = "report.penalties.col.note",
	[P_COL_RULE_CODE] = "report.penalties.col.rule_code",
	[P_LADDER_NOT_ENROLLED] = "report.penalties.ladder.not_enrolled",
	[P_LADDER_INACCURATE] = "report.penalties.ladder.inaccurate_data",
	[P_STATE_ISSUED] = "report.penalties.state.issued",
	[P_STATE_PAID] = "report.penalties.state.paid",
	[P_STATE_WAIVED] = "report.penalties.state.waived",
};

/* The table's columns: a shared text (T_*) or one of ours (P_*), and a width. */
struct pw_column {
	int		 shared;	/* header is an enum text_id */
	int		 header;
	double		 width;
};
enum { C_ID, C_ISSUED_ON, C_EST, C_NAME_EN, C_NAME_AR, C_LADDER, C_STEP, C_AMOUNT, C_SUSPENDS,
	C_STATE, C_SETTLED_ON, C_SETTLED_BY, C_NOTE, C_RULE_CODE, C__MAX };
static const struct pw_column columns[C__MAX] = {
	[C_ID] = { 0, P_COL_ID, 20 },	/* also the header block's labels */
	[C_ISSUED_ON] = { 0, P_COL_ISSUED_ON, 18 },	/* and its amounts */
	[C_EST] = { 1, T_EST_ID, 14 },
	[C_NAME_EN] = { 1, T_M_COL_COMPANY_EN, 28 },
	[C_NAME_AR] = { 1, T_M_COL_COMPANY_AR, 28 },
	[C_LADDER] = { 0, P_COL_LADDER, 20 },
	[C_STEP] = { 0, P_COL_STEP, 8 },
	[C_AMOUNT] = { 0, P_COL_AMOUNT, 14 },
	[C_SUSPENDS] = { 0, P_COL_SUSPENDS, 12 },
	[C_STATE] = { 0, P_COL_STATE, 12 },
	[C_SETTLED_ON] = { 0, P_COL_SETTLED_ON, 12 },
	[C_SETTLED_BY] = { 0, P_COL_SETTLED_BY, 14 },
	[C_NOTE] = { 0, P_COL_NOTE, 30 },
	[C_RULE_CODE] = { 0, P_COL_RULE_CODE, 24 },
};

struct pw_sums {
	int64_t	count, amount, by_state[PEN__MAX];
};

struct pw_job {
	const struct penalty_report	*p;
	const char			*lang;
	struct pw_sums			 sums;
};

struct pw {
	struct wb		 w;
	struct statement	 who;		/* names the report in wb_check's logs */
	const char		*t[P__MAX];
	lxw_format		*text_ar;	/* Arabic names: right-to-left reading order */
};

/* Our texts in the workbook's language; RB_EINTERNAL (logged) when one is missing. */
static enum rb_err
load_texts(struct pw *m)
{
	size_t i;

	for (i = 0; i < P__MAX; i++)
		if ((m->t[i] = texts_get(m->w.lang->code, keys[i])) == NULL) {
			log_error("penalties workbook: no \"%s\" in the %s or English catalogue",
			    keys[i], m->w.lang->code);
			return RB_EINTERNAL;
		}
	return RB_OK;
}

/* The sums, and RB_EINVAL (logged) for what a sheet cannot hold. */
static enum rb_err
sums(const struct penalty_report *p, struct pw_sums *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	if (p->nrows > 0 && p->rows == NULL) {
		log_error("penalties workbook: %zu rows and no array", p->nrows);
		return RB_EINVAL;
	}
	if (p->nrows > PW_MAX_ROWS) {
		log_error("penalties workbook: %zu penalties, more than a sheet holds", p->nrows);
		return RB_EINVAL;
	}
	for (i = 0; i < p->nrows; i++) {
		const struct penalty_report_row *x = &p->rows[i];

		if (x->amount_dirhams < 0 || (unsigned)x->state >= PEN__MAX ||
		    __builtin_add_overflow(s->amount, x->amount_dirhams, &s->amount) ||
		    __builtin_add_overflow(s->by_state[x->state], x->amount_dirhams,
		    &s->by_state[x->state])) {
			log_error("penalties workbook: penalty %lld: amount %lld, state %d",
			    (long long)x->id, (long long)x->amount_dirhams, (int)x->state);
			return RB_EINVAL;
		}
		s->count++;
	}
	return RB_OK;
}

static const char *
head_text(const struct pw *m, int c)
{
	return columns[c].shared ? wb_text(&m->w, (enum text_id)columns[c].header) :
	    m->t[columns[c].header];
}

/* Labels in column A, values in column B; returns the table's header row. */
static lxw_row_t
header_block(struct pw *m, const struct penalty_report *p, const struct pw_sums *s)
{
	static const int money[] = { P_AMOUNT, P_UNPAID, P_PAID, P_WAIVED };
	const int64_t values[] = { s->amount, s->by_state[PEN_ISSUED], s->by_state[PEN_PAID],
		s->by_state[PEN_WAIVED] };
	struct wb *w = &m->w;
	double lw = columns[0].width;
	lxw_row_t r = 0;
	size_t i;

	wb_label(w, r, wb_text(w, T_M_REPORT), lw);
	write_text(w, r++, 1, m->t[P_TITLE], w->fmt.title);
	wb_label(w, r, m->t[P_FROM], lw);
	write_date(w, r++, 1, p->from);
	wb_label(w, r, m->t[P_TO], lw);
	write_date(w, r++, 1, p->to);
	wb_label(w, r, m->t[P_COUNT], lw);
	write_int(w, r++, 1, s->count);
	for (i = 0; i < sizeof(money) / sizeof(money[0]); i++) {
		wb_label(w, r, m->t[money[i]], lw);
		write_money(w, r++, 1, values[i], w->fmt.money_bold);
	}
	return r + 1;
}

static void
row(struct pw *m, lxw_row_t r, const struct penalty_report_row *x)
{
	static const int states[PEN__MAX] = { P_STATE_ISSUED, P_STATE_PAID, P_STATE_WAIVED };
	struct wb *w = &m->w;

	write_int(w, r, C_ID, x->id);
	write_date(w, r, C_ISSUED_ON, x->issued_on);
	write_text(w, r, C_EST, x->est.s, w->fmt.code);
	write_text(w, r, C_NAME_EN, x->name_en, w->fmt.wrap);
	write_text(w, r, C_NAME_AR, x->name_ar, m->text_ar);
	write_text(w, r, C_LADDER, m->t[x->inaccurate ? P_LADDER_INACCURATE :
	    P_LADDER_NOT_ENROLLED], w->fmt.wrap);
	write_int(w, r, C_STEP, x->step);
	write_money(w, r, C_AMOUNT, x->amount_dirhams, NULL);
	write_yes(w, r, C_SUSPENDS, x->suspends);
	write_text(w, r, C_STATE, m->t[states[x->state]], w->fmt.text);
	if (x->has_settled)
		write_date(w, r, C_SETTLED_ON, x->settled_on);
	write_text(w, r, C_SETTLED_BY, x->settled_by, w->fmt.code);
	write_text(w, r, C_NOTE, x->note, w->fmt.wrap);
	write_text(w, r, C_RULE_CODE, x->rule_code, w->fmt.code);
}

/* Text for a page header: '&' doubled (a code otherwise), buf at most size bytes. */
static void
hf_append(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);

	for (; s != NULL && *s != '\0' && n + 2 < size; s++) {
		if (*s == '&')
			buf[n++] = '&';
		buf[n++] = *s;
	}
	/* Cut short: never in the middle of a UTF-8 character. */
	if (s != NULL && *s != '\0' && ((unsigned char)*s & 0xC0) == 0x80)
		while (n > 0 && ((unsigned char)buf[--n] & 0xC0) == 0x80)
			;
	buf[n] = '\0';
}

/*
 * A4 as the ministry reports (the page footer "Page P of N", the header
 * row repeated), then the page header: the report on the left, the period
 * on the right, its dates isolated left to right (LRI ... PDI) so that a
 * right-to-left header keeps 2026-11-01 as it is.
 */
static void
print_setup(struct pw *m, const struct penalty_report *p, lxw_row_t head)
{
	char hdr[256], from[11], to[11];
	double width = 0;
	int c;

	for (c = 0; c < C__MAX; c++)
		width += columns[c].width;
	wb_print_setup(&m->w, head, width, m->t[P_TITLE], NULL, p->to, NULL);
	if (m->w.err != RB_OK)
		return;
	date_format(p->from, from);
	date_format(p->to, to);
	snprintf(hdr, sizeof(hdr), "&L");
	hf_append(hdr, 120, m->t[P_TITLE]);
	snprintf(hdr + strlen(hdr), sizeof(hdr) - strlen(hdr), "&R\u2066%s \u2013 %s\u2069",
	    from, to);
	wb_check(&m->w, worksheet_set_header(m->w.sheet, hdr), "worksheet_set_header", 0, 0);
}

static void
sheet(struct pw *m, const struct pw_job *job)
{
	const struct penalty_report *p = job->p;
	struct wb *w = &m->w;
	const char *heads[C__MAX];
	double widths[C__MAX];
	lxw_row_t head, r;
	lxw_col_t c;
	size_t i;

	if ((w->sheet = workbook_add_worksheet(w->book, m->t[P_SHEET])) == NULL) {
		log_error("penalties workbook: workbook_add_worksheet failed");
		w->err = RB_EIO;
		return;
	}
	if (w->lang->rtl)
		worksheet_right_to_left(w->sheet);
	head = header_block(m, p, &job->sums);
	for (c = 0; c < C__MAX && w->err == RB_OK; c++) {
		heads[c] = head_text(m, c);
		widths[c] = columns[c].width;
		write_text(w, head, c, heads[c], w->fmt.head);
		wb_check(w, worksheet_set_column(w->sheet, c, c, widths[c], NULL),
		    "worksheet_set_column", head, c);
	}
	wb_head_height(w, head, heads, widths, C__MAX);
	if (w->err == RB_OK)
		worksheet_freeze_panes(w->sheet, head + 1, 0);
	for (i = 0, r = head + 1; i < p->nrows && w->err == RB_OK; i++, r++)
		row(m, r, &p->rows[i]);
	if (w->err == RB_OK)
		wb_check(w, worksheet_autofilter(w->sheet, head, 0, head + (lxw_row_t)p->nrows,
		    C__MAX - 1), "worksheet_autofilter", head, 0);
	/* Below the filtered range: their amount (the count is in the header
	 * block; under a column of steps it would read as a sum of steps). */
	write_text(w, r, 0, wb_text(w, T_TOTAL), w->fmt.label);
	write_money(w, r, C_AMOUNT, job->sums.amount, w->fmt.money_bold);
	print_setup(m, p, head);
}

static enum rb_err
build(lxw_workbook *book, const void *arg)
{
	const struct pw_job *job = arg;
	lxw_doc_properties props;
	struct pw m;
	lxw_error e;

	memset(&m, 0, sizeof(m));
	snprintf(m.who.est_id, sizeof(m.who.est_id), "penalty");
	m.w.book = book;
	m.w.st = &m.who;
	m.w.lang = &m.w.texts;
	if ((m.w.err = texts_load(job->lang, &m.w.texts)) == RB_OK &&
	    (m.w.err = load_texts(&m)) == RB_OK) {
		memset(&props, 0, sizeof(props));
		props.title = (char *)m.t[P_TITLE];
		/* The period's end, so the same penalties give the same bytes. */
		props.created = (time_t)job->p->to.days * 86400;
		wb_check(&m.w, workbook_set_properties(book, &props), "workbook_set_properties",
		    0, 0);
	}
	wb_add_formats(&m.w);
	if (m.w.err == RB_OK) {
		if ((m.text_ar = workbook_add_format(book)) == NULL) {
			log_error("penalties workbook: workbook_add_format failed");
			m.w.err = RB_EIO;
		} else {
			format_set_reading_order(m.text_ar, 2);
			format_set_text_wrap(m.text_ar);
			format_set_align(m.text_ar, LXW_ALIGN_VERTICAL_TOP);
		}
	}
	if (m.w.err == RB_OK)
		sheet(&m, job);
	/* Closed whatever happened: it also frees the workbook. */
	if ((e = workbook_close(book)) != LXW_NO_ERROR) {
		log_error("penalties workbook: workbook_close: %s", lxw_strerror(e));
		if (m.w.err == RB_OK)
			m.w.err = RB_EIO;
	}
	return m.w.err;
}

enum rb_err
penalty_workbook(const struct penalty_report *p, const char *lang, uint8_t **out, size_t *len)
{
	struct pw_job job;
	enum rb_err rc;

	if (p == NULL || out == NULL || len == NULL) {
		log_error("penalties workbook: no report or no output");
		return RB_EINVAL;
	}
	*out = NULL;
	*len = 0;
	memset(&job, 0, sizeof(job));
	job.p = p;
	job.lang = lang != NULL ? lang : "en";
	if ((rc = sums(p, &job.sums)) != RB_OK)
		return rc;
	/* Constant memory: a year of a national ladder is many rows, written
	 * strictly top to bottom. */
	return wb_to_memory("penalties workbook", 1, build, &job, out, len);
}
