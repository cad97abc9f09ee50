/*
 * The escalating penalties of establishments (issue 15 §2), as pure rules:
 * which step of a ladder is due on a day, given what was issued before.
 * The ladders' figures and delays are rows (table penalty_rules) that the
 * store loads; nothing here reads a database or a clock.
 *
 * Not enrolled: a company of a compulsory sector not enrolled gets step 1
 * after_days after its licence date, and each later step after_days after
 * the previous one was issued, while it is still not enrolled.
 * Inaccurate data: each return marked inaccurate is one penalty; it is the
 * step after the previous one when it comes within within_months of the
 * previous one's return, else step 1 again (the top step repeats).
 */
#ifndef RB_PENALTY_RULES_H
#define RB_PENALTY_RULES_H

#include <stdint.h>

#include "lib/date.h"

#define PENALTY_MAX_STEPS	9

enum penalty_ladder { PL_NOT_ENROLLED, PL_INACCURATE_DATA, PL__MAX };

struct penalty_rule {
	char		code[41];
	int		step;		/* 1..n, in order in the ladder */
	int		after_days;	/* not_enrolled */
	int		within_months;	/* inaccurate_data, steps after 1 */
	int64_t		amount_dirhams;
	int		suspends;
};

struct penalty_ladder_rules {
	struct penalty_rule	steps[PENALTY_MAX_STEPS];	/* steps[i].step == i + 1 */
	int			n;
};

struct penalty_company_facts {
	int		compulsory;	/* its sector requires enrollment */
	int		enrolled;
	int		has_licensed_on;
	struct rb_date	licensed_on;
	int		last_step;	/* of this licence's ladder; 0 for none */
	struct rb_date	last_issued_on;
};

/* "not_enrolled" / "inaccurate_data"; -1 from parse for anything else. */
const char	*penalty_ladder_name(enum penalty_ladder);
int		 penalty_ladder_parse(const char *);

/*
 * The step of the not-enrolled ladder due on day (0 for none): at most one
 * step a day, so that a catch-up over many days issues each step on the
 * day it fell due.
 */
int		 penalty_not_enrolled_due(const struct penalty_ladder_rules *,
		    const struct penalty_company_facts *, struct rb_date day);

/*
 * The step of an inaccurate-data return made on date, the company's
 * previous inaccurate-data penalty being prev_step (0 for none), for a
 * return made on prev_date.
 */
int		 penalty_inaccurate_step(const struct penalty_ladder_rules *, int prev_step,
		    struct rb_date prev_date, struct rb_date date);

/* 1 when the ladder's rows make sense: steps 1..n in order, delays set. */
int		 penalty_ladder_valid(enum penalty_ladder, const struct penalty_ladder_rules *);

#endif
