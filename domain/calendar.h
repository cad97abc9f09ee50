/*
 * The renewal calendar (SPEC §4 "The calendar"): alerts on the 1st and
 * 15th, executions on the 8th and 22nd, each alert announcing the execution
 * a week later. Pure: the scheduler and the preview both ask it.
 */
#ifndef RB_CALENDAR_H
#define RB_CALENDAR_H

#include "lib/date.h"

enum cycle_kind { CYCLE_ALERT, CYCLE_EXECUTION };

/* The kind of cycle scheduled on date, or -1 when none is. */
int		cycle_kind_of(struct rb_date);
const char	*cycle_kind_name(enum cycle_kind);
/* The execution an alert of date announces (the 8th or the 22nd). */
struct rb_date	cycle_next_execution(struct rb_date alert);
/* The first execution date on or after date: date itself when it is one. */
struct rb_date	cycle_execution_from(struct rb_date);

#endif
