/*
 * One employee as the employees page and its downloads show them (issue 12
 * §2): typed values, so that the workbook (reports/) gets no database rows.
 */
#ifndef RB_EMPLOYEE_ROW_H
#define RB_EMPLOYEE_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "domain/person_status.h"
#include "domain/renewal_engine.h"
#include "lib/date.h"

struct employee_row {
	const char		*qid, *name_ar, *name_en;	/* borrowed */
	enum person_status	 status;
	int			 has_permit, has_passport;	/* a citizen has no permit */
	struct rb_date		 permit_expiry, passport_expiry;
	int64_t			 fines_dirhams;
	int			 excluded;
	/* A candidate of the next execution, with what it would do (the
	 * preview's): next_reason is RR_NONE when renewed. */
	int			 in_scope;
	enum renewal_result	 next_result;
	enum renewal_reason	 next_reason;
};

/* The list as downloaded: the company, the language of the sheet, the rows. */
struct employee_sheet {
	const char			*est_id;
	const char			*language;	/* "en", "ar" */
	struct rb_date			 today, execution_date;
	const struct employee_row	*rows;
	size_t				 n;
};

#endif
