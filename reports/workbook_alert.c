/*
 * The alert statement (1st and 15th): each person who will be a candidate
 * at the next execution, with expiry and days left; whether the execution
 * will renew them as things stand and, if not, the blocker with its amount
 * and what to do before the execution; the expected fee and late fine
 * (nothing for a person who will be blocked, so the column adds up to the
 * total expected, as the totals row shows). Then one yes/blank column per
 * obstacle flag, hidden: they repeat the obstacle column for filters and
 * programs, and would make the printed page too narrow to read.
 */
#include <stddef.h>

#include "reports/workbook_int.h"

/* The flag columns, in the order of their headers in columns[]. */
static const unsigned flags[] = {
	FLAG_EXCLUDED, FLAG_PASSPORT, FLAG_FINES, FLAG_OVER_CAP, FLAG_NOT_ACTIVE,
	FLAG_ABROAD,
};

static const struct wb_column columns[] = {
	{ T_COL_QID, 16, 0 },
	{ T_COL_NAME, 26, 0 },
	{ T_COL_EXPIRY, 11, 0 },
	{ T_COL_DAYS_LEFT, 9, 0 },
	{ T_COL_OUTLOOK, 14, 0 },
	{ T_COL_OBSTACLE, 26, 0 },
	{ T_COL_BLOCKER_AMOUNT, 14, 0 },
	{ T_COL_REMEDY, 30, 0 },
	{ T_COL_REMEDY_BEFORE, 11, 0 },
	{ T_COL_EXPECTED_FEE, 14, 0 },
	{ T_COL_EXPECTED_LATE_FINE, 14, 0 },
	{ T_COL_FLAG_EXCLUDED, 12, 1 },
	{ T_COL_FLAG_PASSPORT, 12, 1 },
	{ T_COL_FLAG_FINES, 12, 1 },
	{ T_COL_FLAG_OVER_CAP, 12, 1 },
	{ T_COL_FLAG_NOT_ACTIVE, 12, 1 },
	{ T_COL_FLAG_ABROAD, 12, 1 },
};

#define NFIXED	11
_Static_assert(NFIXED + sizeof(flags) / sizeof(flags[0]) ==
    sizeof(columns) / sizeof(columns[0]), "one column per flag");

/* The columns of the expected fee and late fine (their sums: the totals row). */
#define COL_FEE		9
#define COL_FINE	10

static const enum renewal_result results[] = { RES_CANDIDATE };

static void
line(struct wb *w, lxw_row_t r, const struct stmt_line *l)
{
	lxw_col_t c = 0;
	size_t i;

	write_text(w, r, c++, l->qid, w->fmt.code);
	write_text(w, r, c++, wb_name(w, l), w->fmt.wrap);
	write_date(w, r, c++, l->old_expiry);
	write_int(w, r, c++, l->days_left);
	write_text(w, r, c++, wb_text(w, l->will_renew ? T_WILL_RENEW : T_BLOCKED), w->fmt.wrap);
	write_text(w, r, c++, wb_reason(w, l), w->fmt.wrap);
	if (l->has_blocker_amount)
		write_money(w, r, c, l->blocker_amount_dirhams, NULL);
	c++;
	write_text(w, r, c++, w->lang->remedy[l->remedy], w->fmt.wrap);
	if (l->has_remedy_before)
		write_date(w, r, c, l->remedy_before);
	c++;
	write_money(w, r, c++, l->expected_fee_dirhams, NULL);
	write_money(w, r, c++, l->expected_late_fine_dirhams, NULL);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		write_yes(w, r, c++, (l->flags & flags[i]) != 0);
}

/* The blockers' amounts are of different things (fines, fees): no sum. */
static void
totals(struct wb *w, lxw_row_t r, const struct statement *st)
{
	int64_t fee = 0, fine = 0;
	size_t i;

	for (i = 0; i < st->nlines; i++) {
		fee += st->lines[i].expected_fee_dirhams;
		fine += st->lines[i].expected_late_fine_dirhams;
	}
	write_money(w, r, COL_FEE, fee, w->fmt.money_bold);
	write_money(w, r, COL_FINE, fine, w->fmt.money_bold);
}

const struct wb_kind wb_alert = {
	.total_label = T_TOTAL_EXPECTED,
	.has_execution_date = 1,
	.counts_outlook = 1,
	WB_KIND_TABLES(results, columns, line, totals),
};
