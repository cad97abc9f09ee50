/*
 * The execution statement (8th and 22nd): every candidate, renewed (old
 * and new expiry, fee, debit reference, delivery window) or rejected or
 * excluded with the reason, as localized text and as code.
 */
#include <stddef.h>

#include "reports/workbook_int.h"

static const struct wb_column columns[] = {
	{ T_COL_QID, 22 },
	{ T_COL_NAME, 32 },
	{ T_COL_RESULT, 14 },
	{ T_COL_RESULT_CODE, 12 },
	{ T_COL_REASON, 30 },
	{ T_COL_REASON_CODE, 22 },
	{ T_COL_OLD_EXPIRY, 12 },
	{ T_COL_NEW_EXPIRY, 12 },
	{ T_COL_FEE, 14 },
	{ T_COL_LATE_FINE, 14 },
	{ T_COL_DEBIT_REF, 30 },
	{ T_COL_DELIVERY_FROM, 12 },
	{ T_COL_DELIVERY_TO, 12 },
};

static const enum renewal_result results[] = { RES_RENEWED, RES_REJECTED, RES_EXCLUDED };

static void
line(struct wb *w, lxw_row_t r, const struct stmt_line *l)
{
	lxw_col_t c = 0;

	write_text(w, r, c++, l->qid, w->fmt.code);
	write_text(w, r, c++, wb_name(w, l), w->fmt.text);
	write_text(w, r, c++, w->lang->result[l->result], w->fmt.text);
	write_text(w, r, c++, renewal_result_code(l->result), w->fmt.code);
	write_text(w, r, c++, wb_reason(w, l), w->fmt.text);
	write_text(w, r, c++, renewal_reason_code(l->reason), w->fmt.code);
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
}

const struct wb_kind wb_execution = {
	.total_label = T_TOTAL_DEBITED,
	.has_execution_date = 0,
	WB_KIND_TABLES(results, columns, line),
};
