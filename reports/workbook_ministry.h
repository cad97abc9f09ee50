/*
 * Ministry-wide reports of one execution, for reviewers (SPEC §4 "The
 * calendar": "the ministry-wide debit report totals per company and per
 * bank"), as .xlsx workbooks: the execution summary (one row per company
 * that had an execution statement) and the debit report (per company and
 * per bank). The store (store/report_store.c) runs the aggregate queries and
 * fills the typed values of domain/ministry_report.h; the writers
 * (reports/workbook_ministry.c) hold no SQL and do the sums of the totals
 * rows themselves.
 *
 * Reviewers' workbooks, in the reviewer's language (lang: any language
 * with a catalogue, English otherwise; right to left when its catalogue
 * says so) whatever the companies' statement languages; both company
 * names are given, and each bank by code and by name.
 */
#ifndef RB_MINISTRY_H
#define RB_MINISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "domain/ministry_report.h"
#include "lib/rb_err.h"

/*
 * Write the workbook into a new buffer (*out, *len; the caller frees *out).
 * RB_EINVAL for input a sheet cannot hold (too many rows, a date outside
 * Excel's range, counts below zero); RB_EINTERNAL when the debits per company
 * and per bank do not add up to the same total; RB_EIO when libxlsxwriter
 * or the temporary file fails. Everything is logged.
 */
enum rb_err	ministry_execution_workbook(const struct ministry_execution_summary *,
		    const char *lang, uint8_t **out, size_t *len);
enum rb_err	ministry_debits_workbook(const struct ministry_debits *, const char *lang,
		    uint8_t **out, size_t *len);

#endif
