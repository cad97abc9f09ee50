/*
 * The establishments' penalties (issue 15 §2): the daily evaluation the
 * scheduler runs, and what reviewers and companies read and settle. The
 * ladders are rows (penalty_rules); which step is due is decided by
 * domain/penalty_rules.c from the facts loaded here.
 */
#ifndef RB_PENALTY_STORE_H
#define RB_PENALTY_STORE_H

#include <signal.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/penalty_report.h"
#include "domain/penalty_rules.h"
#include "lib/date.h"
#include "lib/db.h"
#include "store/audit.h"

struct penalty_day_stats {
	int	days;		/* days evaluated by this call */
	int	issued;		/* penalties issued by this call */
};

/* The ladders of table penalty_rules; RB_EINTERNAL when they make no sense. */
enum rb_err	penalty_rules_load(struct db *, struct penalty_ladder_rules out[PL__MAX]);

/*
 * Evaluates day in one transaction of its own (the caller has none open):
 * every step due that day, with its email and SMS and audit record, then
 * the day marked done. A day done already, by this or another instance,
 * changes nothing; a crash before the commit leaves nothing of it.
 */
enum rb_err	penalty_day_run(struct db *, struct rb_date day, int64_t now,
		    struct penalty_day_stats *);

/*
 * Every day not yet evaluated from the last one evaluated on or before
 * today (today alone the first time) up to today, in date order.
 */
enum rb_err	penalty_catch_up(struct db *, struct rb_date today, int64_t now,
		    volatile sig_atomic_t *stop, struct penalty_day_stats *);

struct penalty_filter {
	const char	*state;		/* NULL: any */
	const char	*est_id;	/* NULL: any */
	int		 has_from, has_to;
	struct rb_date	 from, to;	/* issued_on, inclusive */
	int		 limit, offset;
};

/* {items: [...], total} of the penalties matching f, newest first. */
enum rb_err	penalty_list(struct db *, const struct penalty_filter *, json_t **out);

/*
 * Every penalty matching f (its from and to required; state and est_id
 * as in penalty_list; paging ignored), by issue date then id, for the
 * reviewers' workbook; at most max_rows (RB_ETOOLARGE beyond, nothing
 * kept). The rows are freed by penalty_report_free().
 */
enum rb_err	penalty_report_load(struct db *, const struct penalty_filter *, size_t max_rows,
		    struct penalty_report *out);
void		penalty_report_free(struct penalty_report *);

/*
 * Settles an issued penalty in the caller's transaction: state "paid" (a
 * fine) or "waived" (with a note), by a->actor (whose QID is actor_qid,
 * or NULL), audited. RB_ENOTFOUND; RB_EFORBIDDEN when the actor signs
 * for or works at the company (separation of duties); RB_ECONFLICT when
 * it is settled already (or a warning said to be paid).
 */
enum rb_err	penalty_settle(struct db *, const struct audit_ctx *, const char *actor_qid,
		    int64_t id, const char *state, const char *note, json_t **out);

#endif
