/*
 * The queries of a company's exclusion list (SPEC §4): the list, the
 * registry check of what is to be excluded (domain/exclusion_rules.h), the
 * writes with their audit records, and the rows of the CSV download.
 * Each write is its own transaction.
 */
#ifndef RB_EXCLUSION_STORE_H
#define RB_EXCLUSION_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/ids.h"
#include "lib/csv.h"
#include "lib/db.h"
#include "store/audit.h"

/* One page of {qid, name_ar, name_en, note, added_by, added_at}, by QID,
 * into *page (the caller owns it). */
enum rb_err	exclusion_page(struct db *, const struct est_id *, int64_t limit,
		    int64_t offset, json_t **page);
/*
 * Stores rows, a JSON array (borrowed) of {"qid","note"} already checked by
 * the rules, all or nothing: every QID must be an open employee of the
 * company. Otherwise nothing is written and *bad (the caller frees it)
 * holds the *nbad indexes into rows of those that are not, in order.
 * A QID listed twice keeps its last note. *added counts new exclusions.
 * One row is audited as exclusion.add, more as exclusion.upload.
 */
enum rb_err	exclusion_add(struct db *, const struct audit_ctx *,
		    const struct est_id *, json_t *rows, size_t **bad, size_t *nbad,
		    int64_t *added);
/*
 * The check of exclusion_add() alone, writing nothing: for an upload with
 * format errors, so that its answer lists every bad line at once.
 */
enum rb_err	exclusion_not_employees(struct db *, const struct est_id *, json_t *rows,
		    size_t **bad, size_t *nbad);
/* RB_ENOTFOUND when the person is not excluded. Audited as exclusion.remove. */
enum rb_err	exclusion_remove(struct db *, const struct audit_ctx *,
		    const struct est_id *, const struct qid *);
/*
 * The whole list as CSV into w (initialized by the caller): a UTF-8 BOM
 * (Excel shows Arabic notes), then qid,note,name by QID, the name in the
 * company's language (companies.language: Arabic for "ar", else English).
 * The header is one an upload accepts: the file goes back up as is.
 */
enum rb_err	exclusion_csv(struct db *, const struct est_id *, struct csv_writer *w);

#endif
