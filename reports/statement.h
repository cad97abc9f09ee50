/*
 * A statement's workbook: one writer per kind of statement
 * (reports/workbook_*.c) turns the typed statement of domain/statement.h
 * into an .xlsx file.
 */
#ifndef RB_STATEMENT_H
#define RB_STATEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/statement.h"
#include "lib/rb_err.h"

/*
 * Writes the statement's workbook into a new buffer (*out, *len; the caller
 * frees *out). Arabic statements: right-to-left sheets, Arabic headers and
 * reason texts; English otherwise.
 */
enum rb_err	 statement_workbook(const struct statement *, uint8_t **out, size_t *len);

#endif
