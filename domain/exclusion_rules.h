/*
 * What a company may put on its exclusion list (SPEC §4), and the checks of
 * each line of an uploaded exclusion CSV with their codes. Pure decisions:
 * the registry's answer (is the person an open employee?) is a fact that
 * store/exclusion_store.c gathers.
 */
#ifndef RB_EXCLUSION_RULES_H
#define RB_EXCLUSION_RULES_H

#include <stddef.h>

#include "domain/ids.h"

#define EXCL_NOTE_MAX		500	/* characters, one line */
#define EXCL_CSV_MAX_LINES	50000	/* besides the header */

/* Why a line of an upload (or a single add) is refused. */
enum excl_refusal {
	EXCL_OK = 0,
	EXCL_MALFORMED_CSV,	/* quotes the CSV reader could not read */
	EXCL_BAD_HEADER,	/* the first line is not qid,note[,name] */
	EXCL_TOO_MANY_FIELDS,	/* more fields than the header */
	EXCL_INVALID_QID,	/* not 11 digits starting with 2 or 3 */
	EXCL_INVALID_NOTE,	/* over 500 characters, not UTF-8, or several lines */
	EXCL_EMPTY_FILE,	/* not even a header */
	EXCL_NOT_EMPLOYEE,	/* not an open employee of the company */
	EXCL__MAX
};

/* Stable machine code ("invalid_qid", for programs and translations) and
 * an English reason, for people. */
const char		*excl_refusal_code(enum excl_refusal);
const char		*excl_refusal_reason(enum excl_refusal);

/* 1 when the note may be stored: up to 500 characters of UTF-8 on one line. */
int			 excl_note_ok(const char *);
/*
 * The first record of an upload: qid,note, in any case, or qid,note,name
 * as the list downloads (so a downloaded list, edited, goes back up; the
 * name is the registry's and is not read). *columns is 2 or 3 (0 when
 * refused): the most fields a line may have.
 */
enum excl_refusal	 excl_header_check(const char *const *f, size_t nf,
			    size_t *columns);
/* A record that is one empty field: a blank line, skipped after the header. */
int			 excl_line_blank(const char *const *f, size_t nf);
/*
 * A record after the header: f[0] the QID, f[1] the optional note, and up
 * to columns fields in all (excl_header_check()). On
 * EXCL_OK *qid is parsed and *note points at the note (borrowed from f, ""
 * when absent). On a refusal *shown is the QID to quote back with it, or
 * NULL when the field is not fit to echo.
 */
enum excl_refusal	 excl_line_check(const char *const *f, size_t nf, size_t columns,
			    struct qid *qid, const char **note, const char **shown);

#endif
