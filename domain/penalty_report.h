/*
 * The reviewers' workbook of the penalties issued in a period (issue 15
 * §2), as typed values: store/penalty_store.c fills them from the
 * penalties table, reports/workbook_penalties.c writes them. Plain data,
 * in domain/ because both layers read it and neither may include the other.
 */
#ifndef RB_PENALTY_REPORT_H
#define RB_PENALTY_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/ids.h"
#include "lib/date.h"

enum penalty_state { PEN_ISSUED, PEN_PAID, PEN_WAIVED, PEN__MAX };

/* One penalty, as issued and as settled since. */
struct penalty_report_row {
	int64_t			 id;
	struct est_id		 est;
	char			*name_en;	/* owned by the report */
	char			*name_ar;
	char			*rule_code;	/* penalty_rules.code */
	int			 inaccurate;	/* ladder inaccurate_data, else not_enrolled */
	int			 step;
	struct rb_date		 issued_on;
	int64_t			 amount_dirhams;
	int			 suspends;
	enum penalty_state	 state;
	int			 has_settled;
	struct rb_date		 settled_on;	/* Qatar date of settled_at */
	char			*settled_by;	/* NULL while issued */
	char			*note;		/* NULL when none */
};

/* The period asked for and what was issued in it, by issue date then id. */
struct penalty_report {
	struct rb_date			 from, to;	/* issued_on, inclusive */
	struct penalty_report_row	*rows;
	size_t				 nrows;
};

#endif
