/* The employees list as a workbook (issue 12 §2): reports/workbook_employees.c. */
#ifndef RB_REPORTS_EMPLOYEES_H
#define RB_REPORTS_EMPLOYEES_H

#include <stddef.h>
#include <stdint.h>

#include "domain/employee_row.h"
#include "lib/rb_err.h"

/* The sheet as an .xlsx into *out (malloc'd, the caller frees) of *len bytes. */
enum rb_err	employee_workbook(const struct employee_sheet *, uint8_t **out, size_t *len);

#endif
