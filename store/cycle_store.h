/*
 * The claims that make a cycle happen once (SPEC §4, sql/007_scheduler.sql):
 * a cycle row per kind and date, a membership row per company, each claimed
 * in batches with FOR UPDATE SKIP LOCKED and marked done in the batch's
 * transaction, and the scheduler's first day, where catching up starts.
 */
#ifndef RB_CYCLE_STORE_H
#define RB_CYCLE_STORE_H

#include <stdint.h>

#include "domain/calendar.h"
#include "lib/db.h"

/*
 * Creates the cycle and its membership (every approved subscription for an
 * alert, the enabled ones for an execution) once; *completed when the
 * cycle was already done, and then nothing else is written.
 */
enum rb_err	cycle_open(struct db *, enum cycle_kind, struct rb_date, int64_t now,
		    int64_t *id, int *completed);
/*
 * Inside the caller's transaction, locks up to max companies of the cycle
 * not yet done whose est_id sorts after `after` ("" for the first), in
 * est_id order, skipping those another instance holds: est[0..*n).
 */
enum rb_err	cycle_claim_batch(struct db *, int64_t cycle_id, const char *after, size_t max,
		    char (*est)[9], size_t *n);
/* Marks the n claimed companies done, in their transaction. */
enum rb_err	cycle_mark_done(struct db *, int64_t cycle_id, const char *const *est, size_t n,
		    int64_t now);
/* Completes the cycle when no company is left to do and, if rendered, no
 * statement of it is without its workbook (issue 14 §2). */
enum rb_err	cycle_complete(struct db *, int64_t cycle_id, int64_t now, int rendered);
/* What a one-shot run needs to tell before it starts (scheduler/main.c). */
struct cycle_status {
	int	completed;		/* the cycle exists and is done */
	char	completed_at[24];	/* "YYYY-MM-DD HH:MM UTC" when completed */
	int64_t	statements;		/* written by it, debit reports included */
};
/* The cycle of kind and date as it stands; all zero when it never ran. */
enum rb_err	cycle_status(struct db *, enum cycle_kind, struct rb_date,
		    struct cycle_status *);
/* The calendar's first day: set to today the first time a scheduler runs. */
enum rb_err	scheduler_first_day(struct db *, struct rb_date today, struct rb_date *first);

#endif
