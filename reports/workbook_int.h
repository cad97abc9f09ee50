/*
 * Inside the statement workbooks (private to reports/): the catalogue of
 * sheet texts (texts.c), the writer's context with its shared formats and
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
	T__MAX
};

/* One language of the sheets (texts.c): adding a language is adding a row. */
struct sheet_texts {
	const char	*code;			/* "en", as in statement.language */
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

/* The row of language code; English for any code not in the catalogue. */
const struct sheet_texts *texts_find(const char *code);
/* The catalogue itself, for the tests that check it is complete. */
const struct sheet_texts *texts_at(size_t i);
size_t		 texts_count(void);

/* The workbook being written. */
struct wb {
	lxw_workbook			*book;
	lxw_worksheet			*sheet;
	const struct sheet_texts	*lang;
	const struct statement		*st;
	struct {
		lxw_format	*title;		/* the kind of statement */
		lxw_format	*label;		/* header block labels */
		lxw_format	*head;		/* the table's header row */
		lxw_format	*text;
		lxw_format	*code;		/* QIDs, codes, references: text "@" */
		lxw_format	*date;
		lxw_format	*money;
		lxw_format	*money_bold;
		lxw_format	*integer;
	} fmt;
	enum rb_err			 err;	/* the first failure */
	/* write_text()'s Text ("@") copies of the formats it was given. */
	struct {
		lxw_format	*from, *to;
	}				 as_text[8];
	size_t				 n_as_text;
};

/* A column of a statement's table. */
struct wb_column {
	enum text_id	header;
	double		width;
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
};

/* The tables of a kind, each with its length, in a struct wb_kind initializer. */
#define WB_KIND_TABLES(res, cols, fn)					\
	.results = (res), .nresults = sizeof(res) / sizeof((res)[0]),	\
	.columns = (cols), .ncolumns = sizeof(cols) / sizeof((cols)[0]),	\
	.line = (fn)

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
/* Records a libxlsxwriter failure (logged once, the first kept). */
void		 wb_check(struct wb *, lxw_error, const char *what, lxw_row_t,
		    lxw_col_t);

const char	*wb_text(const struct wb *, enum text_id);
/* Why the line is not renewed, with the person's status when not active. */
const char	*wb_reason(const struct wb *, const struct stmt_line *);
/* The person's name in the statement's language (the other one if missing). */
const char	*wb_name(const struct wb *, const struct stmt_line *);

/*
 * Builds a workbook with build(book, arg) (which closes it) into a new
 * buffer (*out, freed by the caller), through a private temporary file.
 * constant_memory: rows are flushed as written (top to bottom only).
 */
typedef enum rb_err	(*wb_build_fn)(lxw_workbook *, const void *arg);
enum rb_err	wb_to_memory(const char *what, int constant_memory, wb_build_fn build,
		    const void *arg, uint8_t **out, size_t *len);

#endif
