#include <string.h>

#include "domain/penalty_rules.h"

static const char *const ladder_names[PL__MAX] = {
	[PL_NOT_ENROLLED] = "not_enrolled",
	[PL_INACCURATE_DATA] = "inaccurate_data",
};

const char *
penalty_ladder_name(enum penalty_ladder l)
{
	return (unsigned)l < PL__MAX ? ladder_names[l] : NULL;
}

int
penalty_ladder_parse(const char *s)
{
	int i;

	for (i = 0; i < PL__MAX; i++)
		if (s != NULL && strcmp(s, ladder_names[i]) == 0)
			return i;
	return -1;
}

int
penalty_not_enrolled_due(const struct penalty_ladder_rules *r,
    const struct penalty_company_facts *f, struct rb_date day)
{
	struct rb_date from;
	int next;

	if (!f->compulsory || f->enrolled || !f->has_licensed_on || f->last_step >= r->n)
		return 0;
	next = f->last_step + 1;
	from = f->last_step == 0 ? f->licensed_on : f->last_issued_on;
	return day.days >= from.days + r->steps[next - 1].after_days ? next : 0;
}

int
penalty_inaccurate_step(const struct penalty_ladder_rules *r, int prev_step,
    struct rb_date prev_date, struct rb_date date)
{
	int next;

	if (r->n == 0)
		return 0;
	if (prev_step <= 0)
		return 1;
	/* The top step repeats for every further return in its window. */
	next = prev_step < r->n ? prev_step + 1 : r->n;
	if (next == 1)
		return 1;
	if (date.days > date_add_months(prev_date, r->steps[next - 1].within_months).days)
		return 1;
	return next;
}

int
penalty_ladder_valid(enum penalty_ladder l, const struct penalty_ladder_rules *r)
{
	int i;

	if (r->n < 1 || r->n > PENALTY_MAX_STEPS)
		return 0;
	for (i = 0; i < r->n; i++) {
		const struct penalty_rule *s = &r->steps[i];

		if (s->step != i + 1 || s->amount_dirhams < 0)
			return 0;
		if (l == PL_NOT_ENROLLED && s->after_days < 1)
			return 0;
		if (l == PL_INACCURATE_DATA && i > 0 && s->within_months < 1)
			return 0;
	}
	return 1;
}
