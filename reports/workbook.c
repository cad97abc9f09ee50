/*
 * Statement workbooks (.xlsx): the dispatcher statement_workbook(), the
 * shared formats, the header block above every table, the totals row under
 * it, the A4 page setup, and the cell writers. Every text cell goes through write_text(), which blocks formula
 * injection. One sheet per workbook; the kinds of statement differ only by
 * their struct wb_kind (workbook_alert.c, workbook_execution.c,
 * workbook_debits.c).
 *
 * libxlsxwriter 1.1.4 writes only to a named file: the workbook goes to an
 * anonymous memory file (memfd_create), named /proc/self/fd/N for
 * libxlsxwriter and read back through its descriptor. The workbook's
 * creation time is the cycle date, so the same statement always gives the
 * same bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "domain/reader_name.h"
#include "lib/csv.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "reports/statement.h"
#include "reports/workbook_int.h"

/* Rows a statement may have: Excel's limit less the header block. */
#define WB_MAX_LINES	((size_t)LXW_ROW_MAX - 64)

static const struct wb_kind *const kinds[STMT_KIND__COUNT] = {
	[STMT_ALERT] = &wb_alert,
	[STMT_EXECUTION] = &wb_execution,
	[STMT_DEBIT_REPORT] = &wb_debits,
};

void
wb_check(struct wb *w, lxw_error e, const char *what, lxw_row_t row, lxw_col_t col)
{
	if (e == LXW_NO_ERROR || w->err != RB_OK)
		return;
	log_error("statement %s kind %d: %s at row %u column %u: %s", w->st->est_id,
	    (int)w->st->kind, what, (unsigned)row + 1, (unsigned)col + 1, lxw_strerror(e));
	w->err = RB_EIO;
}

const char *
wb_text(const struct wb *w, enum text_id id)
{
	return w->lang->text[id];
}

const char *
wb_reason(const struct wb *w, const struct stmt_line *l)
{
	if (l->reason == RR_PERSON_NOT_ACTIVE && (unsigned)l->status < PS__MAX)
		return w->lang->not_active[l->status];
	return w->lang->reason[l->reason];
}

/* The registry name a reader of the statement's language sees (Arabic
 * script for ar and ur, else Latin: domain/reader_name.h), the other one
 * when missing. */
static const char *
pick(const struct wb *w, const char *ar, const char *en)
{
	return reader_name(w->lang->code, ar, en);
}

const char *
wb_name(const struct wb *w, const struct stmt_line *l)
{
	return pick(w, l->name_ar, l->name_en);
}

/*
 * f with the number format Text ("@"): the same format when it has it,
 * else a copy made on first use and kept in w->as_text. libxlsxwriter
 * 1.1.4 has no format copy: the new format takes f's properties and keeps
 * its own links into the workbook (its list entry, the index tables) and
 * its own indices, still unset (f's may be set already by a cell written
 * with it). NULL (logged) on failure.
 */
static lxw_format *
text_format(struct wb *w, lxw_format *f)
{
	lxw_format *n, own;
	size_t i;

	if (f != NULL && strcmp(f->num_format, "@") == 0)
		return f;
	for (i = 0; i < w->n_as_text; i++)
		if (w->as_text[i].from == f)
			return w->as_text[i].to;
	if (w->n_as_text == sizeof(w->as_text) / sizeof(w->as_text[0])) {
		log_error("statement %s: more than %zu text formats", w->st->est_id, i);
		w->err = RB_EIO;
		return NULL;
	}
	if ((n = workbook_add_format(w->book)) == NULL) {
		log_error("statement %s: workbook_add_format failed", w->st->est_id);
		w->err = RB_EIO;
		return NULL;
	}
	if (f != NULL) {
		own = *n;
		*n = *f;
		n->file = own.file;
		n->xf_format_indices = own.xf_format_indices;
		n->dxf_format_indices = own.dxf_format_indices;
		n->num_xf_formats = own.num_xf_formats;
		n->num_dxf_formats = own.num_dxf_formats;
		n->xf_index = own.xf_index;
		n->dxf_index = own.dxf_index;
		n->xf_id = own.xf_id;
		n->list_pointers = own.list_pointers;
	} else if (w->lang->rtl) {
		format_set_reading_order(n, 2);
	}
	format_set_num_format(n, "@");
	w->as_text[w->n_as_text].from = f;
	w->as_text[w->n_as_text++].to = n;
	return n;
}

void
write_text(struct wb *w, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *f)
{
	if (w->err != RB_OK || s == NULL || *s == '\0')
		return;
	/*
	 * Always a string cell (never write_formula), so nothing we write is
	 * a formula. Text a spreadsheet could take for one (lib/csv.h's
	 * cell_guard(), the test CSV downloads use to prefix a quote) is
	 * written as it is, in a Text ("@") format, so that editing the cell
	 * in Excel or LibreOffice keeps it text (docs/DECISIONS.md, issue 11 §3).
	 */
	if (*cell_guard(s) != '\0' && (f = text_format(w, f)) == NULL)
		return;
	wb_check(w, worksheet_write_string(w->sheet, row, col, s, f),
	    "worksheet_write_string", row, col);
}

void
write_money(struct wb *w, lxw_row_t row, lxw_col_t col, int64_t dirhams, lxw_format *f)
{
	if (w->err != RB_OK)
		return;
	wb_check(w, worksheet_write_number(w->sheet, row, col, (double)dirhams / 100.0,
	    f != NULL ? f : w->fmt.money), "worksheet_write_number", row, col);
}

void
write_date(struct wb *w, lxw_row_t row, lxw_col_t col, struct rb_date d)
{
	lxw_datetime dt;

	if (w->err != RB_OK)
		return;
	memset(&dt, 0, sizeof(dt));
	date_to_ymd(d, &dt.year, &dt.month, &dt.day);
	if (dt.year < 1900 || dt.year > 9999) {
		log_error("statement %s: date out of Excel's range at row %u column %u",
		    w->st->est_id, (unsigned)row + 1, (unsigned)col + 1);
		w->err = RB_EINVAL;
		return;
	}
	wb_check(w, worksheet_write_datetime(w->sheet, row, col, &dt, w->fmt.date),
	    "worksheet_write_datetime", row, col);
}

void
write_int(struct wb *w, lxw_row_t row, lxw_col_t col, int64_t n)
{
	if (w->err != RB_OK)
		return;
	wb_check(w, worksheet_write_number(w->sheet, row, col, (double)n, w->fmt.integer),
	    "worksheet_write_number", row, col);
}

void
write_yes(struct wb *w, lxw_row_t row, lxw_col_t col, int set)
{
	if (set)
		write_text(w, row, col, wb_text(w, T_YES), w->fmt.text);
}

void
write_count_bold(struct wb *w, lxw_row_t row, lxw_col_t col, int64_t n)
{
	if (w->err != RB_OK)
		return;
	wb_check(w, worksheet_write_number(w->sheet, row, col, (double)n, w->fmt.count_bold),
	    "worksheet_write_number", row, col);
}

/* A new format, right to left for such languages, aligned to the top;
 * NULL (logged) on failure. */
static lxw_format *
new_format(struct wb *w)
{
	lxw_format *f;

	if (w->err != RB_OK)
		return NULL;
	if ((f = workbook_add_format(w->book)) == NULL) {
		log_error("statement %s: workbook_add_format failed", w->st->est_id);
		w->err = RB_EIO;
		return NULL;
	}
	if (w->lang->rtl)
		format_set_reading_order(f, 2);
	/* A wrapped cell makes its row taller: the rest of the row stays
	 * level with its first line. */
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	return f;
}

void
wb_add_formats(struct wb *w)
{
	if ((w->fmt.title = new_format(w)) != NULL) {
		format_set_bold(w->fmt.title);
		format_set_font_size(w->fmt.title, 13);
	}
	/* Labels wrap inside the first column: the value beside them would
	 * cut them off (wb_head_height() makes their rows tall enough). */
	if ((w->fmt.label = new_format(w)) != NULL) {
		format_set_bold(w->fmt.label);
		format_set_text_wrap(w->fmt.label);
	}
	if ((w->fmt.head = new_format(w)) != NULL) {
		format_set_bold(w->fmt.head);
		format_set_text_wrap(w->fmt.head);
		format_set_bottom(w->fmt.head, LXW_BORDER_THIN);
		format_set_bg_color(w->fmt.head, 0xD9D9D9);
	}
	w->fmt.text = new_format(w);
	if ((w->fmt.wrap = new_format(w)) != NULL)
		format_set_text_wrap(w->fmt.wrap);
	if ((w->fmt.code = new_format(w)) != NULL)
		format_set_num_format(w->fmt.code, "@");
	if ((w->fmt.date = new_format(w)) != NULL)
		format_set_num_format(w->fmt.date, "yyyy-mm-dd");
	if ((w->fmt.money = new_format(w)) != NULL)
		format_set_num_format(w->fmt.money, w->lang->money_format);
	if ((w->fmt.money_bold = new_format(w)) != NULL) {
		format_set_num_format(w->fmt.money_bold, w->lang->money_format);
		format_set_bold(w->fmt.money_bold);
	}
	if ((w->fmt.integer = new_format(w)) != NULL)
		format_set_num_format(w->fmt.integer, "0");
	if ((w->fmt.count_bold = new_format(w)) != NULL) {
		format_set_num_format(w->fmt.count_bold, "0");
		format_set_bold(w->fmt.count_bold);
	}
}

/*
 * The lines s takes, wrapped at spaces in a column width characters wide
 * (less one for the cell's margins; a word longer than a line is broken,
 * as spreadsheets do).
 */
static int
wrapped_lines(const char *s, double width)
{
	int per = (int)width - 1, lines = 1, col = 0, wl;
	const char *p;

	if (per < 1)
		per = 1;
	while (s != NULL && *s != '\0') {
		for (p = s, wl = 0; *p != '\0' && *p != ' '; p++)
			wl += ((unsigned char)*p & 0xC0) != 0x80;	/* characters, not bytes */
		if (col > 0 && col + 1 + wl > per) {
			lines++;
			col = 0;
		}
		col += (col > 0) + wl;
		while (col > per) {
			lines++;
			col -= per;
		}
		s = *p != '\0' ? p + 1 : p;
	}
	return lines;
}

void
wb_head_height(struct wb *w, lxw_row_t row, const char *const *heads, const double *widths,
    size_t n)
{
	int lines = 1, l;
	size_t i;

	if (w->err != RB_OK)
		return;
	for (i = 0; i < n; i++)
		if ((l = wrapped_lines(heads[i], widths[i])) > lines)
			lines = l;
	/* An explicit height: a spreadsheet that does not fit rows to their
	 * text on opening would otherwise draw the titles over the next row. */
	wb_check(w, worksheet_set_row(w->sheet, row, 15.0 * lines + 3.0, NULL),
	    "worksheet_set_row", row, 0);
}

/* The characters (not bytes) from s up to end. */
static long
utf8_chars(const char *s, const char *end)
{
	long n = 0;

	for (; s < end; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* A page header or footer being built: at most LXW_HEADER_FOOTER_MAX bytes. */
struct hf {
	char	buf[LXW_HEADER_FOOTER_MAX];	/* less one: some versions count the NUL */
	size_t	len;
};

/* Excel's codes (&L, &P...), as they are. */
static void
hf_code(struct hf *h, const char *code)
{
	size_t n = strlen(code);

	if (h->len + n < sizeof(h->buf)) {
		memcpy(h->buf + h->len, code, n + 1);
		h->len += n;
	}
}

/* Text: at most max characters, each '&' doubled (a code starts with it),
 * whole characters only, so that the result stays valid UTF-8. */
static void
hf_text(struct hf *h, const char *s, size_t max)
{
	size_t n, len;

	for (n = 0; s != NULL && *s != '\0' && n < max; n++) {
		for (len = 1; (((unsigned char)s[len]) & 0xC0) == 0x80; len++)
			;
		if (h->len + len + (*s == '&') >= sizeof(h->buf))
			break;
		if (*s == '&')
			h->buf[h->len++] = '&';
		memcpy(h->buf + h->len, s, len);
		h->len += len;
		s += len;
	}
	h->buf[h->len] = '\0';
}

/* The footer's "Page {page} of {pages}": the codes &P and &N for the two. */
static void
hf_page(struct hf *h, const char *text, int rtl)
{
	const char *p;

	while (text != NULL && *text != '\0') {
		if (strncmp(text, "{page}", 6) == 0 || strncmp(text, "{pages}", 7) == 0) {
			/* Right to left, LibreOffice shows the spaces beside a
			 * page number out of place; Arabic letter marks around
			 * it keep the one after it (the one before is still
			 * lost: docs/DECISIONS.md). Nothing left to right. */
			hf_code(h, rtl ? "\u061c" : "");
			hf_code(h, text[5] == '}' ? "&P" : "&N");
			hf_code(h, rtl ? "\u061c" : "");
			text += text[5] == '}' ? 6 : 7;
		} else {
			p = strchr(text + 1, '{');
			hf_text(h, text, p != NULL ? (size_t)utf8_chars(text, p) : SIZE_MAX);
			text = p != NULL ? p : text + strlen(text);
		}
	}
}

void
wb_print_setup(struct wb *w, lxw_row_t head, double width, const char *company,
    const char *kind, struct rb_date cycle, const char *verification_code)
{
	struct hf hdr, ftr;
	char date[11];

	if (w->err != RB_OK)
		return;
	worksheet_set_paper(w->sheet, 9);		/* A4 */
	/* A portrait A4 page holds about 100 characters of columns at 100%:
	 * up to 130 it is only a little smaller, and holds more lines than a
	 * landscape page would. */
	if (width > 130)
		worksheet_set_landscape(w->sheet);
	worksheet_fit_to_pages(w->sheet, 1, 0);	/* one page wide, as long as needed */
	worksheet_set_margins(w->sheet, 0.4, 0.4, 0.75, 0.75);
	wb_check(w, worksheet_repeat_rows(w->sheet, head, head), "worksheet_repeat_rows",
	    head, 0);

	/* 255 bytes at most each (Excel's limit): the company's name is cut
	 * to leave room for the rest. */
	date_format(cycle, date);
	memset(&hdr, 0, sizeof(hdr));
	hf_code(&hdr, "&L");
	hf_text(&hdr, company, 60);
	hf_code(&hdr, "&C");
	hf_text(&hdr, kind, 40);
	hf_code(&hdr, "&R");
	hf_text(&hdr, wb_text(w, T_CYCLE_DATE), 30);
	hf_text(&hdr, " ", 1);
	/* Isolated left to right (LRI ... PDI): a right-to-left header would
	 * otherwise show 2025-03-08 as 08-03-2025. */
	hf_code(&hdr, "\u2066");
	hf_text(&hdr, date, 10);
	hf_code(&hdr, "\u2069");
	wb_check(w, worksheet_set_header(w->sheet, hdr.buf), "worksheet_set_header", 0, 0);

	memset(&ftr, 0, sizeof(ftr));
	if (verification_code != NULL && *verification_code != '\0') {
		hf_code(&ftr, "&L");
		hf_text(&ftr, wb_text(w, T_VERIFICATION_CODE), 40);
		hf_text(&ftr, ": ", 2);
		hf_code(&ftr, "\u2066");
		hf_text(&ftr, verification_code, 30);
		hf_code(&ftr, "\u2069");
	}
	hf_code(&ftr, "&R");
	hf_page(&ftr, wb_text(w, T_PAGE), w->lang->rtl);
	wb_check(w, worksheet_set_footer(w->sheet, ftr.buf), "worksheet_set_footer", 0, 0);
}
void
wb_label(struct wb *w, lxw_row_t row, const char *label, double width)
{
	write_text(w, row, 0, label, w->fmt.label);
	wb_head_height(w, row, &label, &width, 1);
}

/*
 * Labels in the first column, values in the second: the kind of statement,
 * the company, the dates, the totals against the cap, the lines by result
 * and the verification code. Returns the row of the table's header.
 */
static lxw_row_t
header_block(struct wb *w, const struct wb_kind *k)
{
	const struct statement *st = w->st;
	size_t count[RES__COUNT] = { 0 }, i, j, will = 0;
	lxw_row_t r = 0;
	double lw = k->columns[0].width;
	int shown;

	for (i = 0; i < st->nlines; i++) {
		count[st->lines[i].result]++;
		will += st->lines[i].will_renew != 0;
	}

	wb_label(w, r, wb_text(w, T_STATEMENT), lw);
	write_text(w, r++, 1, w->lang->kind[st->kind], w->fmt.title);
	wb_label(w, r, wb_text(w, T_COMPANY), lw);
	write_text(w, r++, 1, pick(w, st->company_ar, st->company_en), w->fmt.text);
	wb_label(w, r, wb_text(w, T_EST_ID), lw);
	write_text(w, r++, 1, st->est_id, w->fmt.code);
	wb_label(w, r, wb_text(w, T_CYCLE_DATE), lw);
	write_date(w, r++, 1, st->cycle_date);
	if (k->has_execution_date) {
		wb_label(w, r, wb_text(w, T_EXECUTION_DATE), lw);
		write_date(w, r++, 1, st->execution_date);
	}
	wb_label(w, r, wb_text(w, k->total_label), lw);
	write_money(w, r++, 1, st->total_dirhams, w->fmt.money_bold);
	wb_label(w, r, wb_text(w, T_CAP), lw);
	write_money(w, r++, 1, st->cap_dirhams, NULL);
	for (i = 0; i < RES__COUNT; i++) {
		shown = count[i] > 0;
		for (j = 0; j < k->nresults; j++)
			shown |= k->results[j] == (enum renewal_result)i;
		if (!shown)
			continue;
		wb_label(w, r, w->lang->result[i], lw);
		write_int(w, r++, 1, (int64_t)count[i]);
	}
	if (k->counts_outlook) {
		/* The total above covers exactly the lines that will be renewed. */
		wb_label(w, r, wb_text(w, T_WILL_RENEW), lw);
		write_int(w, r++, 1, (int64_t)will);
		wb_label(w, r, wb_text(w, T_BLOCKED), lw);
		write_int(w, r++, 1, (int64_t)(st->nlines - will));
	}
	wb_label(w, r, wb_text(w, T_LINES), lw);
	write_int(w, r++, 1, (int64_t)st->nlines);
	wb_label(w, r, wb_text(w, T_VERIFICATION_CODE), lw);
	write_text(w, r++, 1, st->verification_code, w->fmt.code);
	return r + 1;
}

/*
 * The header row (frozen, tall enough for its wrapped titles, repeated on
 * every printed page), the column widths (codes hidden), the lines, the
 * auto-filter over them and the totals row below it (so that sorting or
 * filtering never moves it).
 */
static void
table(struct wb *w, const struct wb_kind *k, lxw_row_t head)
{
	const struct statement *st = w->st;
	const char *heads[32];
	double widths[32], printed = 0;
	lxw_row_col_options hidden;
	lxw_row_t total;
	lxw_col_t c;
	size_t i;

	memset(&hidden, 0, sizeof(hidden));
	hidden.hidden = 1;

	for (c = 0; c < k->ncolumns && c < 32; c++) {
		heads[c] = wb_text(w, k->columns[c].header);
		widths[c] = k->columns[c].width;
		write_text(w, head, c, heads[c], w->fmt.head);
		if (!k->columns[c].hidden)
			printed += widths[c];
		if (w->err == RB_OK)
			wb_check(w, worksheet_set_column_opt(w->sheet, c, c, k->columns[c].width,
			    NULL, k->columns[c].hidden ? &hidden : NULL),
			    "worksheet_set_column", head, c);
	}
	wb_head_height(w, head, heads, widths, c);
	if (w->err != RB_OK)
		return;
	worksheet_freeze_panes(w->sheet, head + 1, 0);
	for (i = 0; i < st->nlines && w->err == RB_OK; i++)
		k->line(w, head + 1 + (lxw_row_t)i, &st->lines[i]);
	if (w->err == RB_OK)
		wb_check(w, worksheet_autofilter(w->sheet, head, 0,
		    head + (lxw_row_t)st->nlines, (lxw_col_t)(k->ncolumns - 1)),
		    "worksheet_autofilter", head, 0);
	total = head + 1 + (lxw_row_t)st->nlines;
	write_text(w, total, 0, wb_text(w, T_TOTAL), w->fmt.label);
	k->totals(w, total, st);
	wb_print_setup(w, head, printed, pick(w, st->company_ar, st->company_en),
	    w->lang->kind[st->kind], st->cycle_date, st->verification_code);
}

static enum rb_err
check_statement(const struct statement *st)
{
	size_t i;

	if ((unsigned)st->kind >= STMT_KIND__COUNT) {
		log_error("statement %s: unknown kind %d", st->est_id, (int)st->kind);
		return RB_EINVAL;
	}
	if (st->nlines > 0 && st->lines == NULL) {
		log_error("statement %s: %zu lines and no array", st->est_id, st->nlines);
		return RB_EINVAL;
	}
	if (st->nlines > WB_MAX_LINES) {
		log_error("statement %s: %zu lines, more than a sheet holds", st->est_id,
		    st->nlines);
		return RB_ETOOLARGE;
	}
	for (i = 0; i < st->nlines; i++)
		if ((unsigned)st->lines[i].result >= RES__COUNT ||
		    (unsigned)st->lines[i].reason >= RR__MAX ||
		    (unsigned)st->lines[i].remedy >= REM__MAX ||
		    (unsigned)st->lines[i].status >= PS__MAX) {
			log_error("statement %s line %zu: result %d reason %d out of range",
			    st->est_id, i + 1, (int)st->lines[i].result,
			    (int)st->lines[i].reason);
			return RB_EINVAL;
		}
	return RB_OK;
}

/* Builds the workbook into book, then closes (and frees) it. */
static enum rb_err
write_book(lxw_workbook *book, const struct statement *st)
{
	const struct wb_kind *k = kinds[st->kind];
	lxw_doc_properties props;
	struct wb w;
	lxw_error e;

	memset(&w, 0, sizeof(w));
	w.book = book;
	w.st = st;
	w.lang = &w.texts;
	w.err = texts_load(st->language, &w.texts);

	memset(&props, 0, sizeof(props));
	props.title = (char *)(w.lang->kind[st->kind] != NULL ? w.lang->kind[st->kind] : "");
	props.created = (time_t)st->cycle_date.days * 86400;
	if (w.err == RB_OK)
		wb_check(&w, workbook_set_properties(book, &props), "workbook_set_properties",
		    0, 0);
	if (w.err == RB_OK &&
	    (w.sheet = workbook_add_worksheet(book, wb_text(&w, T_SHEET_NAME))) == NULL) {
		log_error("statement %s: workbook_add_worksheet failed", st->est_id);
		w.err = RB_EIO;
	}
	if (w.err == RB_OK) {
		if (w.lang->rtl)
			worksheet_right_to_left(w.sheet);
		wb_add_formats(&w);
		table(&w, k, header_block(&w, k));
	}
	/* Closed whatever happened: it also frees the workbook. */
	if ((e = workbook_close(book)) != LXW_NO_ERROR) {
		log_error("statement %s: workbook_close: %s", st->est_id, lxw_strerror(e));
		if (w.err == RB_OK)
			w.err = RB_EIO;
	}
	return w.err;
}

/* The whole file behind fd into a new buffer. */
static enum rb_err
read_back(int fd, uint8_t **out, size_t *len)
{
	struct stat sb;
	uint8_t *buf;
	size_t off = 0, size;
	ssize_t n;

	if (fstat(fd, &sb) == -1) {
		log_error("fstat workbook: %s", strerror(errno));
		return RB_EIO;
	}
	if (sb.st_size <= 0) {
		log_error("the workbook is empty");
		return RB_EIO;
	}
	size = (size_t)sb.st_size;
	buf = xmalloc(size);
	while (off < size) {
		n = pread(fd, buf + off, size - off, (off_t)off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_error("read workbook: %s", n == 0 ? "short file" : strerror(errno));
			free(buf);
			return RB_EIO;
		}
		off += (size_t)n;
	}
	*out = buf;
	*len = size;
	return RB_OK;
}

/*
 * libxlsxwriter's own temporary files (one per part of the workbook) are
 * created and unlinked at once, but a kill between the two leaves one:
 * they go to a directory of this process's own, $TMPDIR/rb-workbook-<pid>,
 * and the first workbook of a process removes those of processes that are
 * gone (and the mkstemp() files of earlier versions, rb-workbook-XXXXXX).
 */
static pthread_mutex_t	tmp_mu = PTHREAD_MUTEX_INITIALIZER;
static pid_t		tmp_pid;	/* whose tmp_dir it is: a forked child makes its own */
static char		tmp_dir[PATH_MAX];

/* Removes base/name: a file, or a directory of files. */
static void
remove_stale(const char *base, const char *name)
{
	char *path = xasprintf("%s/%s", base, name);
	struct dirent *e;
	DIR *d;

	if ((d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL)
			if (e->d_name[0] != '.')
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
		rmdir(path);
	} else
		unlink(path);
	free(path);
}

static void
sweep(const char *base)
{
	struct dirent *e;
	char *end;
	long pid;
	DIR *d;

	if ((d = opendir(base)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "rb-workbook-", 12) != 0)
			continue;
		pid = strtol(e->d_name + 12, &end, 10);
		if (*end == '\0' && end != e->d_name + 12 &&
		    (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;	/* a live process's */
		remove_stale(base, e->d_name);
	}
	closedir(d);
}

/* This process's directory for libxlsxwriter; NULL (logged) when it cannot be made. */
static const char *
wb_tmpdir(void)
{
	const char *base, *dir = tmp_dir;

	pthread_mutex_lock(&tmp_mu);
	if (tmp_pid != getpid()) {
		if ((base = getenv("TMPDIR")) == NULL || *base == '\0')
			base = "/tmp";
		sweep(base);
		snprintf(tmp_dir, sizeof(tmp_dir), "%s/rb-workbook-%ld", base, (long)getpid());
		if (mkdir(tmp_dir, 0700) == -1 && errno != EEXIST) {
			log_error("mkdir %s: %s", tmp_dir, strerror(errno));
			dir = NULL;
		} else
			tmp_pid = getpid();
	}
	pthread_mutex_unlock(&tmp_mu);
	return dir;
}

enum rb_err
wb_to_memory(const char *what, int constant_memory, wb_build_fn build, const void *arg,
    uint8_t **out, size_t *len)
{
	lxw_workbook_options opts;
	lxw_workbook *book;
	const char *tmpdir;
	char path[64];
	enum rb_err rc;
	int fd;

	/* libxlsxwriter 1.1.4 writes to a named file only: an anonymous one in
	 * memory, named through /proc, which no kill can leave behind (a
	 * mkstemp() file in /dev/shm could be, between its creation and its
	 * unlink); libxlsxwriter's own in wb_tmpdir(). */
	if ((tmpdir = wb_tmpdir()) == NULL)
		return RB_EIO;
	if ((fd = memfd_create("rb-workbook", MFD_CLOEXEC)) == -1) {
		log_error("%s: memfd_create: %s", what, strerror(errno));
		return RB_EIO;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(&opts, 0, sizeof(opts));
	opts.tmpdir = (char *)tmpdir;
	opts.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
	if ((book = workbook_new_opt(path, &opts)) == NULL) {
		log_error("%s: workbook_new_opt %s failed", what, path);
		rc = RB_EIO;
	} else if ((rc = build(book, arg)) == RB_OK)
		rc = read_back(fd, out, len);
	if (close(fd) == -1)
		log_error("%s: close workbook: %s", what, strerror(errno));
	return rc;
}

static enum rb_err
build_statement(lxw_workbook *book, const void *st)
{
	return write_book(book, st);
}

enum rb_err
statement_workbook(const struct statement *st, uint8_t **out, size_t *len)
{
	enum rb_err rc;

	if (out == NULL || len == NULL || st == NULL) {
		log_error("no statement or no output");
		return RB_EINVAL;
	}
	*out = NULL;
	*len = 0;
	if ((rc = check_statement(st)) != RB_OK)
		return rc;
	return wb_to_memory(st->est_id, 0, build_statement, st, out, len);
}
