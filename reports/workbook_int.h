/*
 * Inside the statement workbooks (private to reports/): the sheet texts
 * of a language, read from the message catalogues (texts.c), the writer's context with its shared formats and
 * the cell writers (workbook.c), and one table of columns and one line
 * writer per kind of statement (workbook_alert.c, workbook_execution.c,
 * workbook_debits.c).
 *
 * Errors: every libxlsxwriter call is checked by the cell writers; the
 * first failure is logged and kept in wb->err (later cells are skipped),
 * and statement_workbook() returns it once the workbook is closed.
 */
#ifndef RB_WORKBOOK_INT_H
#define RB_WORKBOOK_INT_H

#include <stddef.h>
#include <stdint.h>

#include <xlsxwriter.h>

#include "reports/statement.h"

#define STMT_KIND__COUNT	(STMT_DEBIT_REPORT + 1)
#define RES__COUNT		(RES_DEBITED + 1)

/* Every text of a sheet that is not data: one entry per language. */
enum text_id {
	T_SHEET_NAME,
	T_YES,
	/* The header block. */
	T_STATEMENT,
	T_COMPANY,
	T_EST_ID,
	T_CYCLE_DATE,
	T_EXECUTION_DATE,
	T_TOTAL_EXPECTED,
	T_TOTAL_DEBITED,
	T_CAP,
	T_LINES,
	T_VERIFICATION_CODE,
	T_WILL_RENEW,		/* alerts: how many will be renewed as things stand */
	T_BLOCKED,		/* and how many will not */
	T_TOTAL,		/* the totals row under the lines */
	T_PAGE,			/* the footer: "Page {page} of {pages}" */
	/* The table's columns. */
	T_COL_QID,
	T_COL_NAME,
	T_COL_EXPIRY,
	T_COL_DAYS_LEFT,
	T_COL_EXPECTED_FEE,
	T_COL_EXPECTED_LATE_FINE,
	T_COL_OBSTACLE,
	T_COL_FLAG_EXCLUDED,
	T_COL_FLAG_PASSPORT,
	T_COL_FLAG_FINES,
	T_COL_FLAG_OVER_CAP,
	T_COL_FLAG_NOT_ACTIVE,
	T_COL_FLAG_ABROAD,
	T_COL_RESULT,
	T_COL_RESULT_CODE,
	T_COL_REASON,
	T_COL_REASON_CODE,
	T_COL_OLD_EXPIRY,
	T_COL_NEW_EXPIRY,
	T_COL_FEE,
	T_COL_LATE_FINE,
	T_COL_DEBIT_REF,
	T_COL_DELIVERY_FROM,
	T_COL_DELIVERY_TO,
	T_COL_IBAN,
	T_COL_AMOUNT,
	T_COL_OUTLOOK,
	T_COL_BLOCKER_AMOUNT,
	T_COL_REMEDY,
	T_COL_REMEDY_BEFORE,
	/* The ministry reports (workbook_ministry.c). */
	T_M_REPORT,
	T_M_CYCLE_STATUS,
	T_M_COMPLETE,
	T_M_RUNNING,
	T_M_COMPANIES,
	T_M_CANDIDATES,
	T_M_RENEWED,
	T_M_REJECTED,
	T_M_EXCLUDED,
	T_M_TOTAL_DEBITED,
	T_M_BANKS,
	T_M_DEBITS,
	T_M_GRAND_TOTAL,
	T_M_EXECUTION_SUMMARY,
	T_M_EXECUTION_SUMMARY_TITLE,
	T_M_DEBITS_TITLE,
	T_M_BY_COMPANY,
	T_M_BY_BANK,
	T_M_COL_COMPANY_EN,
	T_M_COL_COMPANY_AR,
	T_M_COL_TOTAL_DEBITED,
	T_M_COL_CAP,
	T_M_COL_TOTAL,
	T_M_COL_BANK_CODE,
	T_M_COL_BANK,
	/* The employees list (reports/workbook_employees.c). */
	T_E_SHEET_NAME,
	T_E_TITLE,		/* "... {est_id} ... {date} ... {execution_date}" */
	T_E_COL_QID,
	T_E_COL_NAME,
	T_E_COL_STATUS,
	T_E_COL_PERMIT_EXPIRY,
	T_E_COL_PASSPORT_EXPIRY,
	T_E_COL_FINES,
	T_E_COL_EXCLUDED,
	T_E_COL_IN_SCOPE,
	T_E_COL_NEXT_RESULT,
	T_E_COL_REASON,
	T_E_STATUS_ACTIVE,	/* in enum person_status's order */
	T_E_STATUS_SPONSORSHIP_TRANSFERRED,
	T_E_STATUS_RESIDENCY_CANCELLED,
	T_E_STATUS_DECEASED,
	T__MAX
};

/* One language of the sheets, as texts_load() read it from the catalogue:
 * every string lives as long as the catalogue. */
struct sheet_texts {
	char		 code[3];		/* "en", as in statement.language */
	int		 rtl;			/* right-to-left sheet */
	const char	*money_format;		/* Excel number format of QAR amounts */
	const char	*text[T__MAX];
	const char	*kind[STMT_KIND__COUNT];
	const char	*result[RES__COUNT];
	const char	*reason[RR__MAX];	/* reason[RR_NONE] is "" */
	/* PERSON_NOT_ACTIVE, said with the status (not_active[PS_ACTIVE] is
	 * the plain reason, for a line that has no status). */
	const char	*not_active[PS__MAX];
	const char	*remedy[REM__MAX];	/* remedy[REM_NONE] is "" */
};

/* Every text of lang (English where lang has none); RB_EINTERNAL (logged)
 * when one is in no catalogue or none was given (report_texts_init()). */
enum rb_err	 texts_load(const char *lang, struct sheet_texts *);
/* One text of lang by its key, else English; NULL when neither has it. */
const char	*texts_get(const char *lang, const char *key);
/* The name of the bank of a four-letter IBAN bank code; NULL when unknown. */
const char	*texts_bank(const struct sheet_texts *, const char *code);

/* The workbook being written. */
struct wb {
	lxw_workbook			*book;
	lxw_worksheet			*sheet;
	const struct sheet_texts	*lang;	/* &texts, or a caller's */
	struct sheet_texts		 texts;
	const struct statement		*st;
	struct {
		lxw_format	*title;		/* the kind of statement */
		lxw_format	*label;		/* header block labels */
		lxw_format	*head;		/* the table's header row */
		lxw_format	*text;
		lxw_format	*wrap;		/* long texts: names, reasons, remedies */
		lxw_format	*code;		/* QIDs, codes, references: text "@" */
		lxw_format	*date;
		lxw_format	*money;
		lxw_format	*money_bold;
		lxw_format	*integer;
		lxw_format	*count_bold;	/* counts of the totals row */
	} fmt;
	enum rb_err			 err;	/* the first failure */
	/* write_text()'s Text ("@") copies of the formats it was given. */
	struct {
		lxw_format	*from, *to;
	}				 as_text[8];
	size_t				 n_as_text;
};

/* A column of a statement's table. Codes for programs (the result and
 * reason codes) are hidden, after the columns a person reads. */
struct wb_column {
	enum text_id	header;
	double		width;
	int		hidden;
};

/* What differs between the kinds of statement. */
struct wb_kind {
	enum text_id			 total_label;
	int				 has_execution_date;
	/* Alerts: the header counts lines that will and will not be renewed. */
	int				 counts_outlook;
	/* Results always counted in the header block (others when present). */
	const enum renewal_result	*results;
	size_t				 nresults;
	const struct wb_column		*columns;
	size_t				 ncolumns;
	void				(*line)(struct wb *, lxw_row_t,
					    const struct stmt_line *);
	/* The sums of the totals row under the lines (its label is written
	 * by the caller). */
	void				(*totals)(struct wb *, lxw_row_t,
					    const struct statement *);
};

/* The tables of a kind, each with its length, in a struct wb_kind initializer. */
#define WB_KIND_TABLES(res, cols, fn, tot)				\
	.results = (res), .nresults = sizeof(res) / sizeof((res)[0]),	\
	.columns = (cols), .ncolumns = sizeof(cols) / sizeof((cols)[0]),	\
	.line = (fn), .totals = (tot)

extern const struct wb_kind	wb_alert;
extern const struct wb_kind	wb_execution;
extern const struct wb_kind	wb_debits;

/*
 * The one function that writes text into a cell. Text that a spreadsheet
 * could take for a formula (first character =, +, -, @, tab or CR) is
 * written as it is, as a string, with a copy of the format whose number
 * format is Text ("@"). NULL or "" writes nothing.
 */
void		 write_text(struct wb *, lxw_row_t, lxw_col_t, const char *,
		    lxw_format *);
/* dirhams as a number of QAR with the language's money format. */
void		 write_money(struct wb *, lxw_row_t, lxw_col_t, int64_t dirhams,
		    lxw_format *);
/* A real Excel date, formatted yyyy-mm-dd. */
void		 write_date(struct wb *, lxw_row_t, lxw_col_t, struct rb_date);
void		 write_int(struct wb *, lxw_row_t, lxw_col_t, int64_t);
/* The localized "yes" when set, nothing otherwise. */
void		 write_yes(struct wb *, lxw_row_t, lxw_col_t, int set);
/* A count in bold, for the totals rows. */
void		 write_count_bold(struct wb *, lxw_row_t, lxw_col_t, int64_t);
/* Records a libxlsxwriter failure (logged once, the first kept). */
void		 wb_check(struct wb *, lxw_error, const char *what, lxw_row_t,
		    lxw_col_t);

const char	*wb_text(const struct wb *, enum text_id);
/* Why the line is not renewed, with the person's status when not active. */
const char	*wb_reason(const struct wb *, const struct stmt_line *);
/* The person's name in the statement's language (the other one if missing). */
const char	*wb_name(const struct wb *, const struct stmt_line *);

/* The shared formats of w->book, right to left for such languages. */
void		 wb_add_formats(struct wb *);
/* A label of a header block in column A, its row tall enough for it
 * wrapped in a column width wide. */
void		 wb_label(struct wb *, lxw_row_t, const char *, double width);
/* A header row tall enough for its wrapped titles: heads[i] in a column
 * widths[i] wide. */
void		 wb_head_height(struct wb *, lxw_row_t, const char *const *heads,
		    const double *widths, size_t n);
/*
 * A4 printing (issue 12 §3): landscape when the printed columns are wider
 * than a portrait page, fit to the page's width, the header row head
 * repeated on every page; the page header (company or title, kind and
 * cycle date, any of them NULL) and the footer (the verification code
 * when there is one, and "Page P of N").
 */
void		 wb_print_setup(struct wb *, lxw_row_t head, double width,
		    const char *company, const char *kind, struct rb_date cycle,
		    const char *verification_code);

/*
 * Builds a workbook with build(book, arg) (which closes it) into a new
 * buffer (*out, freed by the caller), through a private temporary file.
 * constant_memory: rows are flushed as written (top to bottom only).
 */
typedef enum rb_err	(*wb_build_fn)(lxw_workbook *, const void *arg);
enum rb_err	wb_to_memory(const char *what, int constant_memory, wb_build_fn build,
		    const void *arg, uint8_t **out, size_t *len);

#endif
