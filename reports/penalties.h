/* The reviewers' workbook of the penalties issued in a period (issue 15 §2):
 * reports/workbook_penalties.c. */
#ifndef RB_REPORTS_PENALTIES_H
#define RB_REPORTS_PENALTIES_H

#include <stddef.h>
#include <stdint.h>

#include "domain/penalty_report.h"
#include "lib/rb_err.h"

/*
 * The report as an .xlsx in lang (the reviewer's; English where it has no
 * catalogue) into *out (malloc'd, the caller frees) of *len bytes.
 * RB_EINVAL for rows a sheet cannot hold or amounts below zero; RB_EIO
 * when libxlsxwriter or the temporary file fails; logged.
 */
enum rb_err	penalty_workbook(const struct penalty_report *, const char *lang,
		    uint8_t **out, size_t *len);

#endif
