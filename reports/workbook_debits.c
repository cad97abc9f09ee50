/* The debit report of an execution: each debit, its account and reference,
 * and the totals row with their sum. */
#include <stddef.h>

#include "reports/workbook_int.h"

static const struct wb_column columns[] = {
	{ T_COL_QID, 16, 0 },
	{ T_COL_NAME, 28, 0 },
	{ T_COL_IBAN, 32, 0 },
	{ T_COL_AMOUNT, 14, 0 },
	{ T_COL_DEBIT_REF, 24, 0 },
};

#define COL_AMOUNT	3

static const enum renewal_result results[] = { RES_DEBITED };

static void
line(struct wb *w, lxw_row_t r, const struct stmt_line *l)
{
	lxw_col_t c = 0;

	write_text(w, r, c++, l->qid, w->fmt.code);
	write_text(w, r, c++, wb_name(w, l), w->fmt.wrap);
	write_text(w, r, c++, l->iban, w->fmt.code);
	write_money(w, r, c++, l->fee_dirhams, NULL);
	write_text(w, r, c++, l->debit_ref, w->fmt.code);
}

static void
totals(struct wb *w, lxw_row_t r, const struct statement *st)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < st->nlines; i++)
		sum += st->lines[i].fee_dirhams;
	write_money(w, r, COL_AMOUNT, sum, w->fmt.money_bold);
}

const struct wb_kind wb_debits = {
	.total_label = T_TOTAL_DEBITED,
	.has_execution_date = 0,
	WB_KIND_TABLES(results, columns, line, totals),
};
