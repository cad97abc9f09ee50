/* The debit report of an execution: each debit, its account and reference. */
#include <stddef.h>

#include "reports/workbook_int.h"

static const struct wb_column columns[] = {
	{ T_COL_QID, 22 },
	{ T_COL_NAME, 32 },
	{ T_COL_IBAN, 34 },
	{ T_COL_AMOUNT, 16 },
	{ T_COL_DEBIT_REF, 30 },
};

static const enum renewal_result results[] = { RES_DEBITED };

static void
line(struct wb *w, lxw_row_t r, const struct stmt_line *l)
{
	lxw_col_t c = 0;

	write_text(w, r, c++, l->qid, w->fmt.code);
	write_text(w, r, c++, wb_name(w, l), w->fmt.text);
	write_text(w, r, c++, l->iban, w->fmt.code);
	write_money(w, r, c++, l->fee_dirhams, NULL);
	write_text(w, r, c++, l->debit_ref, w->fmt.code);
}

const struct wb_kind wb_debits = {
	.total_label = T_TOTAL_DEBITED,
	.has_execution_date = 0,
	WB_KIND_TABLES(results, columns, line),
};
