/*
 * The employees list as a workbook: one sheet in the page's language, a
 * title row, the header row (frozen, repeated on every printed page), one
 * row per employee, landscape and fit to the page's width. Texts through
 * the statements' cell writers (write_text: the formula guard); every word
 * is the catalogue's (report.employees.*, reasons and results in the
 * statements' own words: reports/texts.c), so the sheet comes in any
 * language the catalogues have, and the codes in the last two columns for
 * programs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/reader_name.h"
#include "lib/log.h"
#include "reports/employees.h"
#include "reports/workbook_int.h"

/* The columns; their headers are the catalogue's (T_E_COL_QID on, in
 * this order) but for the last two, which name the codes for programs and
 * so read the same in every language. */
enum { C_QID, C_NAME, C_STATUS, C_PERMIT, C_PASSPORT, C_FINES, C_EXCLUDED, C_IN_SCOPE, C_RESULT,
	C_REASON, C_RESULT_CODE, C_REASON_CODE, C__MAX };
static const double widths[C__MAX] = { 14, 28, 18, 14, 14, 12, 10, 12, 16, 34, 12, 20 };

static const char *
head(const struct wb *w, int c)
{
	if (c == C_RESULT_CODE)
		return "result_code";
	if (c == C_REASON_CODE)
		return "reason_code";
	return wb_text(w, (enum text_id)(T_E_COL_QID + c));
}

/*
 * The title: the catalogue's text with {est_id}, {date} and
 * {execution_date} put in (cut to out's size, as the old fixed format
 * was); any other brace is written as it stands.
 */
static void
title_fill(const char *tmpl, const char *est_id, const char *date, const char *exec, char *out,
    size_t outsz)
{
	static const char *const names[] = { "{est_id}", "{date}", "{execution_date}" };
	const char *vals[] = { est_id, date, exec };
	size_t o = 0, i, n;

	while (*tmpl != '\0' && o + 1 < outsz) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strncmp(tmpl, names[i], strlen(names[i])) == 0)
				break;
		if (i == sizeof(names) / sizeof(names[0])) {
			out[o++] = *tmpl++;
			continue;
		}
		n = strlen(vals[i]);
		if (n > outsz - 1 - o)
			n = outsz - 1 - o;
		memcpy(out + o, vals[i], n);
		o += n;
		tmpl += strlen(names[i]);
	}
	out[o] = '\0';
}

static lxw_format *
add_format(struct wb *w)
{
	lxw_format *f;

	if (w->err != RB_OK)
		return NULL;
	if ((f = workbook_add_format(w->book)) == NULL) {
		log_error("employees workbook: workbook_add_format failed");
		w->err = RB_EIO;
	}
	return f;
}

static void
formats(struct wb *w)
{
	if ((w->fmt.title = add_format(w)) != NULL) {
		format_set_bold(w->fmt.title);
		format_set_font_size(w->fmt.title, 13);
	}
	if ((w->fmt.head = add_format(w)) != NULL) {
		format_set_bold(w->fmt.head);
		format_set_text_wrap(w->fmt.head);
		format_set_align(w->fmt.head, LXW_ALIGN_VERTICAL_TOP);
		format_set_bottom(w->fmt.head, LXW_BORDER_THIN);
		format_set_bg_color(w->fmt.head, 0xD9D9D9);
	}
	w->fmt.text = add_format(w);
	if ((w->fmt.code = add_format(w)) != NULL)
		format_set_num_format(w->fmt.code, "@");
	if ((w->fmt.date = add_format(w)) != NULL)
		format_set_num_format(w->fmt.date, "yyyy-mm-dd");
	if ((w->fmt.money = add_format(w)) != NULL)
		format_set_num_format(w->fmt.money, w->lang->money_format);
}

struct job {
	const struct employee_sheet	*s;
	struct statement		 who;	/* names the list in wb_check's logs */
};

static void
row(struct wb *w, lxw_row_t r, const struct employee_row *e)
{
	write_text(w, r, C_QID, e->qid, w->fmt.code);
	/* The name in the reader's script, as every other paper gives it. */
	write_text(w, r, C_NAME, reader_name(w->lang->code, e->name_ar, e->name_en), w->fmt.text);
	write_text(w, r, C_STATUS, (unsigned)e->status < PS__MAX ?
	    wb_text(w, (enum text_id)(T_E_STATUS_ACTIVE + e->status)) : "", w->fmt.text);
	if (e->has_permit)
		write_date(w, r, C_PERMIT, e->permit_expiry);
	if (e->has_passport)
		write_date(w, r, C_PASSPORT, e->passport_expiry);
	write_money(w, r, C_FINES, e->fines_dirhams, NULL);
	write_yes(w, r, C_EXCLUDED, e->excluded);
	write_yes(w, r, C_IN_SCOPE, e->in_scope);
	if (!e->in_scope)
		return;
	write_text(w, r, C_RESULT, w->lang->result[e->next_result], w->fmt.text);
	if (e->next_reason != RR_NONE && (unsigned)e->next_reason < RR__MAX)
		write_text(w, r, C_REASON, e->next_reason == RR_PERSON_NOT_ACTIVE &&
		    (unsigned)e->status < PS__MAX ? w->lang->not_active[e->status] :
		    w->lang->reason[e->next_reason], w->fmt.text);
	write_text(w, r, C_RESULT_CODE, renewal_result_code(e->next_result), w->fmt.code);
	if (e->next_reason != RR_NONE)
		write_text(w, r, C_REASON_CODE, renewal_reason_code(e->next_reason), w->fmt.code);
}

static enum rb_err
build(lxw_workbook *book, const void *arg)
{
	const struct job *job = arg;
	const struct employee_sheet *s = job->s;
	struct wb w;
	char today[11], exec[11], title[256];
	int c;
	size_t i;
	lxw_error le;

	memset(&w, 0, sizeof(w));
	w.book = book;
	w.st = &job->who;
	w.lang = &w.texts;
	if ((w.err = texts_load(s->language, &w.texts)) != RB_OK)
		return w.err;
	if ((w.sheet = workbook_add_worksheet(book, wb_text(&w, T_E_SHEET_NAME))) == NULL) {
		log_error("employees workbook: workbook_add_worksheet failed");
		w.err = RB_EIO;
	}
	formats(&w);
	if (w.err == RB_OK) {
		if (w.lang->rtl)
			worksheet_right_to_left(w.sheet);
		worksheet_set_landscape(w.sheet);
		worksheet_set_paper(w.sheet, 9);		/* A4 */
		worksheet_fit_to_pages(w.sheet, 1, 0);
		worksheet_repeat_rows(w.sheet, 1, 1);
		worksheet_freeze_panes(w.sheet, 2, 0);
		date_format(s->today, today);
		date_format(s->execution_date, exec);
		title_fill(wb_text(&w, T_E_TITLE), s->est_id, today, exec, title, sizeof(title));
		write_text(&w, 0, 0, title, w.fmt.title);
		for (c = 0; c < C__MAX; c++) {
			wb_check(&w, worksheet_set_column(w.sheet, (lxw_col_t)c, (lxw_col_t)c, widths[c],
			    NULL), "worksheet_set_column", 0, (lxw_col_t)c);
			write_text(&w, 1, (lxw_col_t)c, head(&w, c), w.fmt.head);
		}
		wb_check(&w, worksheet_set_row(w.sheet, 1, 32, NULL), "worksheet_set_row", 1, 0);
		for (i = 0; i < s->n && w.err == RB_OK; i++)
			row(&w, (lxw_row_t)(i + 2), &s->rows[i]);
		if (s->n > 0)
			wb_check(&w, worksheet_autofilter(w.sheet, 1, 0, (lxw_row_t)(s->n + 1),
			    C__MAX - 1), "worksheet_autofilter", 1, 0);
	}
	if ((le = workbook_close(book)) != LXW_NO_ERROR && w.err == RB_OK) {
		log_error("employees workbook: workbook_close: %s", lxw_strerror(le));
		w.err = RB_EIO;
	}
	return w.err;
}

enum rb_err
employee_workbook(const struct employee_sheet *s, uint8_t **out, size_t *len)
{
	struct job job;

	if (s == NULL || out == NULL || len == NULL || s->language == NULL || s->est_id == NULL) {
		log_error("employees workbook: nothing to write");
		return RB_EINVAL;
	}
	*out = NULL;
	memset(&job, 0, sizeof(job));
	job.s = s;
	snprintf(job.who.est_id, sizeof(job.who.est_id), "%s", s->est_id);
	return wb_to_memory("employees workbook", 0, build, &job, out, len);
}
