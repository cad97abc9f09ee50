/* The renewal calendar; see calendar.h. */
#include "domain/calendar.h"

int
cycle_kind_of(struct rb_date d)
{
	int y, m, day;

	date_to_ymd(d, &y, &m, &day);
	if (day == 1 || day == 15)
		return CYCLE_ALERT;
	if (day == 8 || day == 22)
		return CYCLE_EXECUTION;
	return -1;
}

const char *
cycle_kind_name(enum cycle_kind k)
{
	return k == CYCLE_ALERT ? "alert" : "execution";
}

struct rb_date
cycle_next_execution(struct rb_date alert)
{
	struct rb_date d = { alert.days + 7 };

	return d;
}

struct rb_date
cycle_execution_from(struct rb_date d)
{
	/* At most 23 days away (the 23rd to the next month's 8th). */
	while (cycle_kind_of(d) != CYCLE_EXECUTION)
		d.days++;
	return d;
}
