/*
 * The figures of the ministry-wide reports of one execution (SPEC §4 "The
 * calendar"), as typed values: store/report_store.c fills them from the
 * aggregate queries, reports/workbook_ministry.c writes them. Plain data,
 * in domain/ because both layers read it and neither may include the other.
 */
#ifndef RB_MINISTRY_REPORT_H
#define RB_MINISTRY_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/ids.h"
#include "lib/date.h"

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

#endif
