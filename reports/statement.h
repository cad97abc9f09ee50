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
 * The workbooks' texts are the "report.*" entries of the message
 * catalogues (po/): each program that writes workbooks hands in its
 * loaded catalogue once, before its first workbook and its threads, as
 * with clock_init(). fn is notify/catalog.h's catalog_text (the text of
 * key in lang, else in English, NULL when neither has it); struct catalog
 * stays opaque here, reports/ being beside notify/, not above it.
 */
struct catalog;
typedef const char *(*report_text_fn)(const struct catalog *, const char *lang,
    const char *key);
void		 report_texts_init(report_text_fn fn, const struct catalog *cat);

/*
 * Writes the statement's workbook into a new buffer (*out, *len; the caller
 * frees *out), in the statement's language (English for one without a
 * catalogue), right to left when its catalogue says so. RB_EINTERNAL when a
 * text is missing from the catalogues or none was given.
 */
enum rb_err	 statement_workbook(const struct statement *, uint8_t **out, size_t *len);

#endif
