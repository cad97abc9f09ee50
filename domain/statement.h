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
	/* What was debited for the person (renewal + late fine + delivery):
	 * 0 for a line not renewed, and for every alert line. */
	int64_t			 fee_dirhams;
	int64_t			 late_fine_dirhams;	/* the part of it that is the fine */
	/* Alerts: what the execution is expected to debit as things stand
	 * (0 for a line that will be blocked), and its late fine. */
	int64_t			 expected_fee_dirhams;
	int64_t			 expected_late_fine_dirhams;
	int			 will_renew;	/* alerts: renewed if nothing changes */
	/* Not renewed: the blocker (reason), what to do and how much. */
	enum person_status	 status;	/* the person's, for PERSON_NOT_ACTIVE */
	enum renewal_remedy	 remedy;
	int			 has_blocker_amount;
	int64_t			 blocker_amount_dirhams;
	int			 has_remedy_before;
	struct rb_date		 remedy_before;	/* alerts: the execution date */
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
