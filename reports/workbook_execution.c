/*
 * The execution statement (8th and 22nd): every candidate, renewed (old
 * and new expiry, fee, debit reference, delivery window) or rejected or
 * excluded with the reason; the totals row sums the fees. The result and
 * reason as codes, for programs, in the last two columns, hidden: they
 * repeat the result and reason columns a person reads.
 */
#include <stddef.h>

#include "reports/workbook_int.h"

static const struct wb_column columns[] = {
	{ T_COL_QID, 16, 0 },
	{ T_COL_NAME, 26, 0 },
	{ T_COL_RESULT, 12, 0 },
	{ T_COL_REASON, 28, 0 },
	{ T_COL_OLD_EXPIRY, 11, 0 },
	{ T_COL_NEW_EXPIRY, 11, 0 },
	{ T_COL_FEE, 13, 0 },
	{ T_COL_LATE_FINE, 13, 0 },
	{ T_COL_DEBIT_REF, 24, 0 },
	{ T_COL_DELIVERY_FROM, 11, 0 },
	{ T_COL_DELIVERY_TO, 11, 0 },
	{ T_COL_RESULT_CODE, 12, 1 },
	{ T_COL_REASON_CODE, 22, 1 },
};

/* The columns of the fee and the late fine (their sums: the totals row). */
#define COL_FEE		6
#define COL_FINE	7

static const enum renewal_result results[] = { RES_RENEWED, RES_REJECTED, RES_EXCLUDED };

static void
line(struct wb *w, lxw_row_t r, const struct stmt_line *l)
{
	lxw_col_t c = 0;

	write_text(w, r, c++, l->qid, w->fmt.code);
	write_text(w, r, c++, wb_name(w, l), w->fmt.wrap);
	write_text(w, r, c++, w->lang->result[l->result], w->fmt.wrap);
	write_text(w, r, c++, wb_reason(w, l), w->fmt.wrap);
	write_date(w, r, c++, l->old_expiry);
	if (l->has_new_expiry)
		write_date(w, r, c, l->new_expiry);
	c++;
	write_money(w, r, c++, l->fee_dirhams, NULL);
	write_money(w, r, c++, l->late_fine_dirhams, NULL);
	write_text(w, r, c++, l->debit_ref, w->fmt.code);
	if (l->has_delivery) {
		write_date(w, r, c, l->delivery_from);
		write_date(w, r, c + 1, l->delivery_to);
	}
	c += 2;
	write_text(w, r, c++, renewal_result_code(l->result), w->fmt.code);
	write_text(w, r, c++, renewal_reason_code(l->reason), w->fmt.code);
}

static void
totals(struct wb *w, lxw_row_t r, const struct statement *st)
{
	int64_t fee = 0, fine = 0;
	size_t i;

	for (i = 0; i < st->nlines; i++) {
		fee += st->lines[i].fee_dirhams;
		fine += st->lines[i].late_fine_dirhams;
	}
	write_money(w, r, COL_FEE, fee, w->fmt.money_bold);
	write_money(w, r, COL_FINE, fine, w->fmt.money_bold);
}

const struct wb_kind wb_execution = {
	.total_label = T_TOTAL_DEBITED,
	.has_execution_date = 0,
	WB_KIND_TABLES(results, columns, line, totals),
};
