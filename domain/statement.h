/*
 * A statement in typed values: what the scheduler decided for one company
 * and cycle, line by line. The store keeps it (store/statement_store.h)
 * and one report writer per kind turns it into a workbook
 * (reports/statement.h); both need the same types, so they live here, in
 * the layer under both.
 */
#ifndef RB_DOMAIN_STATEMENT_H
#define RB_DOMAIN_STATEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/renewal_engine.h"
#include "lib/date.h"

enum stmt_kind { STMT_ALERT, STMT_EXECUTION, STMT_DEBIT_REPORT };

struct stmt_line {
	char			 qid[12];
	const char		*name_ar;	/* borrowed */
	const char		*name_en;	/* borrowed */
	enum renewal_result	 result;
	enum renewal_reason	 reason;	/* RR_NONE when renewed or no obstacle */
	unsigned		 flags;		/* alerts only */
	struct rb_date		 old_expiry;
	int			 has_new_expiry;
	struct rb_date		 new_expiry;
	int			 days_left;	/* expiry minus the statement's date */
	int64_t			 fee_dirhams;	/* renewal + late fine + delivery */
	int64_t			 late_fine_dirhams;
	char			 debit_ref[40];	/* "" when nothing was debited */
	char			 iban[35];	/* debit reports */
	int			 has_delivery;
	struct rb_date		 delivery_from, delivery_to;
};

struct statement {
	enum stmt_kind		 kind;
	char			 est_id[9];
	const char		*company_ar;	/* borrowed */
	const char		*company_en;	/* borrowed */
	char			 language[3];	/* "ar" or "en" */
	struct rb_date		 cycle_date;	/* the date of the cycle, as scheduled */
	struct rb_date		 execution_date; /* alerts: the execution they announce */
	int64_t			 cap_dirhams;
	int64_t			 total_dirhams;	/* debited, or expected for an alert */
	char			 verification_code[24];
	struct stmt_line	*lines;		/* borrowed */
	size_t			 nlines;
};

#endif
