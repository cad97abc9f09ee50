/*
 * Ministry-wide reports of one execution, for reviewers (SPEC §4 "The
 * calendar": "the ministry-wide debit report totals per company and per
 * bank"), as .xlsx workbooks: the execution summary (one row per company
 * that had an execution statement) and the debit report (per company and
 * per bank). The handler (fcgi/ministry_api.c) runs the aggregate queries and
 * fills these typed values; the writers (reports/workbook_ministry.c) hold
 * no SQL and do the sums of the totals rows themselves.
 *
 * Reviewers' workbooks: English headers, left to right, whatever the
 * companies' statement languages; both company names are given.
 */
#ifndef RB_MINISTRY_H
#define RB_MINISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "domain/ids.h"
#include "lib/date.h"
#include "lib/rb_err.h"

/* The execution the report is about. */
struct ministry_cycle {
	struct rb_date	 date;		/* the execution's cycle date (8th or 22nd) */
	int		 complete;	/* 0: still running, the figures may grow */
};

/* One company's execution statement. */
struct ministry_exec_row {
	struct est_id	 est;
	const char	*name_en;	/* borrowed */
	const char	*name_ar;	/* borrowed */
	int64_t		 candidates;	/* every line of the statement */
	int64_t		 renewed;
	int64_t		 rejected;
	int64_t		 excluded;
	int64_t		 debited_dirhams;	/* the statement's total */
	int64_t		 cap_dirhams;
};

struct ministry_execution_summary {
	struct ministry_cycle		 cycle;
	const struct ministry_exec_row	*rows;	/* borrowed, by est_id */
	size_t				 nrows;
};

/* The debits of one company from one account. */
struct ministry_debit_company {
	struct est_id	 est;
	const char	*name_en;	/* borrowed */
	const char	*name_ar;	/* borrowed */
	struct iban	 iban;
	int64_t		 debits;
	int64_t		 total_dirhams;
};

/* The debits from the accounts of one bank. */
struct ministry_debit_bank {
	char		 code[5];	/* IBAN characters 5-8: "QNBA" */
	int64_t		 debits;
	int64_t		 total_dirhams;
};

struct ministry_debits {
	struct ministry_cycle			 cycle;
	const struct ministry_debit_company	*companies;	/* borrowed */
	size_t					 ncompanies;
	const struct ministry_debit_bank	*banks;		/* borrowed */
	size_t					 nbanks;
};

/*
 * Write the workbook into a new buffer (*out, *len; the caller frees *out).
 * RB_EINVAL for input a sheet cannot hold (too many rows, a date outside
 * Excel's range, counts below zero); RB_EINTERNAL when the debits per company
 * and per bank do not add up to the same total; RB_EIO when libxlsxwriter
 * or the temporary file fails. Everything is logged.
 */
enum rb_err	ministry_execution_workbook(const struct ministry_execution_summary *,
		    uint8_t **out, size_t *len);
enum rb_err	ministry_debits_workbook(const struct ministry_debits *, uint8_t **out,
		    size_t *len);

#endif
