/*
 * The alert statement (1st and 15th): each person who will be a candidate
 * at the next execution, with expiry and days left; whether the execution
 * will renew them as things stand and, if not, the blocker with its amount
 * and what to do before the execution; the expected fee and late fine
 * (nothing for a person who will be blocked, so the column adds up to the
 * total expected); one yes/blank column per obstacle flag.
 */
#include <stddef.h>

#include "reports/workbook_int.h"

/* The flag columns, in the order of their headers in columns[]. */
static const unsigned flags[] = {
	FLAG_EXCLUDED, FLAG_PASSPORT, FLAG_FINES, FLAG_OVER_CAP, FLAG_NOT_ACTIVE,
	FLAG_ABROAD,
};

static const struct wb_column columns[] = {
	{ T_COL_QID, 22 },
	{ T_COL_NAME, 32 },
	{ T_COL_EXPIRY, 12 },
	{ T_COL_DAYS_LEFT, 10 },
	{ T_COL_OUTLOOK, 18 },
	{ T_COL_OBSTACLE, 30 },
	{ T_COL_BLOCKER_AMOUNT, 16 },
	{ T_COL_REMEDY, 34 },
	{ T_COL_REMEDY_BEFORE, 12 },
	{ T_COL_EXPECTED_FEE, 16 },
	{ T_COL_EXPECTED_LATE_FINE, 16 },
	{ T_COL_FLAG_EXCLUDED, 12 },
	{ T_COL_FLAG_PASSPORT, 12 },
	{ T_COL_FLAG_FINES, 12 },
	{ T_COL_FLAG_OVER_CAP, 12 },
	{ T_COL_FLAG_NOT_ACTIVE, 12 },
	{ T_COL_FLAG_ABROAD, 12 },
};

#define NFIXED	11
_Static_assert(NFIXED + sizeof(flags) / sizeof(flags[0]) ==
    sizeof(columns) / sizeof(columns[0]), "one column per flag");

static const enum renewal_result results[] = { RES_CANDIDATE };

static void
line(struct wb *w, lxw_row_t r, const struct stmt_line *l)
{
	lxw_col_t c = 0;
	size_t i;

	write_text(w, r, c++, l->qid, w->fmt.code);
	write_text(w, r, c++, wb_name(w, l), w->fmt.text);
	write_date(w, r, c++, l->old_expiry);
	write_int(w, r, c++, l->days_left);
	write_text(w, r, c++, wb_text(w, l->will_renew ? T_WILL_RENEW : T_BLOCKED), w->fmt.text);
	write_text(w, r, c++, wb_reason(w, l), w->fmt.text);
	if (l->has_blocker_amount)
		write_money(w, r, c, l->blocker_amount_dirhams, NULL);
	c++;
	write_text(w, r, c++, w->lang->remedy[l->remedy], w->fmt.text);
	if (l->has_remedy_before)
		write_date(w, r, c, l->remedy_before);
	c++;
	write_money(w, r, c++, l->expected_fee_dirhams, NULL);
	write_money(w, r, c++, l->expected_late_fine_dirhams, NULL);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		write_yes(w, r, c++, (l->flags & flags[i]) != 0);
}

const struct wb_kind wb_alert = {
	.total_label = T_TOTAL_EXPECTED,
	.has_execution_date = 1,
	.counts_outlook = 1,
	WB_KIND_TABLES(results, columns, line),
};
