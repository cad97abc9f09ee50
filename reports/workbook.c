/*
 * Statement workbooks (.xlsx): the dispatcher statement_workbook(), the
 * shared formats, the header block above every table, and the cell
 * writers. Every text cell goes through write_text(), which blocks formula
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* The text in the statement's language, the other one when missing. */
static const char *
pick(const struct wb *w, const char *ar, const char *en)
{
	const char *first = strcmp(w->lang->code, "ar") == 0 ? ar : en;
	const char *second = first == ar ? en : ar;

	return first != NULL && *first != '\0' ? first : second;
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

/* A new format, right to left for such languages; NULL (logged) on failure. */
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
	return f;
}

static void
add_formats(struct wb *w)
{
	if ((w->fmt.title = new_format(w)) != NULL) {
		format_set_bold(w->fmt.title);
		format_set_font_size(w->fmt.title, 13);
	}
	if ((w->fmt.label = new_format(w)) != NULL)
		format_set_bold(w->fmt.label);
	if ((w->fmt.head = new_format(w)) != NULL) {
		format_set_bold(w->fmt.head);
		format_set_text_wrap(w->fmt.head);
		format_set_align(w->fmt.head, LXW_ALIGN_VERTICAL_TOP);
		format_set_bottom(w->fmt.head, LXW_BORDER_THIN);
		format_set_bg_color(w->fmt.head, 0xD9D9D9);
	}
	w->fmt.text = new_format(w);
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
	int shown;

	for (i = 0; i < st->nlines; i++) {
		count[st->lines[i].result]++;
		will += st->lines[i].will_renew != 0;
	}

	write_text(w, r, 0, wb_text(w, T_STATEMENT), w->fmt.label);
	write_text(w, r++, 1, w->lang->kind[st->kind], w->fmt.title);
	write_text(w, r, 0, wb_text(w, T_COMPANY), w->fmt.label);
	write_text(w, r++, 1, pick(w, st->company_ar, st->company_en), w->fmt.text);
	write_text(w, r, 0, wb_text(w, T_EST_ID), w->fmt.label);
	write_text(w, r++, 1, st->est_id, w->fmt.code);
	write_text(w, r, 0, wb_text(w, T_CYCLE_DATE), w->fmt.label);
	write_date(w, r++, 1, st->cycle_date);
	if (k->has_execution_date) {
		write_text(w, r, 0, wb_text(w, T_EXECUTION_DATE), w->fmt.label);
		write_date(w, r++, 1, st->execution_date);
	}
	write_text(w, r, 0, wb_text(w, k->total_label), w->fmt.label);
	write_money(w, r++, 1, st->total_dirhams, w->fmt.money_bold);
	write_text(w, r, 0, wb_text(w, T_CAP), w->fmt.label);
	write_money(w, r++, 1, st->cap_dirhams, NULL);
	for (i = 0; i < RES__COUNT; i++) {
		shown = count[i] > 0;
		for (j = 0; j < k->nresults; j++)
			shown |= k->results[j] == (enum renewal_result)i;
		if (!shown)
			continue;
		write_text(w, r, 0, w->lang->result[i], w->fmt.label);
		write_int(w, r++, 1, (int64_t)count[i]);
	}
	if (k->counts_outlook) {
		/* The total above covers exactly the lines that will be renewed. */
		write_text(w, r, 0, wb_text(w, T_WILL_RENEW), w->fmt.label);
		write_int(w, r++, 1, (int64_t)will);
		write_text(w, r, 0, wb_text(w, T_BLOCKED), w->fmt.label);
		write_int(w, r++, 1, (int64_t)(st->nlines - will));
	}
	write_text(w, r, 0, wb_text(w, T_LINES), w->fmt.label);
	write_int(w, r++, 1, (int64_t)st->nlines);
	write_text(w, r, 0, wb_text(w, T_VERIFICATION_CODE), w->fmt.label);
	write_text(w, r++, 1, st->verification_code, w->fmt.code);
	return r + 1;
}

/* The header row (frozen), the column widths, the lines and the auto-filter. */
static void
table(struct wb *w, const struct wb_kind *k, lxw_row_t head)
{
	const struct statement *st = w->st;
	lxw_col_t c;
	size_t i;

	for (c = 0; c < k->ncolumns; c++) {
		write_text(w, head, c, wb_text(w, k->columns[c].header), w->fmt.head);
		if (w->err == RB_OK)
			wb_check(w, worksheet_set_column(w->sheet, c, c, k->columns[c].width,
			    NULL), "worksheet_set_column", head, c);
	}
	if (w->err != RB_OK)
		return;
	worksheet_freeze_panes(w->sheet, head + 1, 0);
	for (i = 0; i < st->nlines && w->err == RB_OK; i++)
		k->line(w, head + 1 + (lxw_row_t)i, &st->lines[i]);
	if (w->err == RB_OK)
		wb_check(w, worksheet_autofilter(w->sheet, head, 0,
		    head + (lxw_row_t)st->nlines, (lxw_col_t)(k->ncolumns - 1)),
		    "worksheet_autofilter", head, 0);
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
	w.lang = texts_find(st->language);

	memset(&props, 0, sizeof(props));
	props.title = (char *)w.lang->kind[st->kind];
	props.created = (time_t)st->cycle_date.days * 86400;
	wb_check(&w, workbook_set_properties(book, &props), "workbook_set_properties", 0, 0);
	if (w.err == RB_OK &&
	    (w.sheet = workbook_add_worksheet(book, wb_text(&w, T_SHEET_NAME))) == NULL) {
		log_error("statement %s: workbook_add_worksheet failed", st->est_id);
		w.err = RB_EIO;
	}
	if (w.err == RB_OK) {
		if (w.lang->rtl)
			worksheet_right_to_left(w.sheet);
		add_formats(&w);
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
