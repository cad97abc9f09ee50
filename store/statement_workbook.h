/*
 * A statement's workbook, rendered on demand (issue 14 §2). The cycle
 * stores a statement and its lines only; the first time the workbook is
 * needed (a download, the statement's email, a verification by code) it is
 * rendered from the stored lines and kept with its SHA-256, once: two
 * workers rendering the same statement at once write only where none is
 * recorded yet (sql/018_workbook_on_demand.sql refuses any later change),
 * and the loser hands out the winner's bytes. Every later download and
 * attachment is those bytes. The writer itself is reports/'s, a layer
 * above: the program passes it in.
 */
#ifndef RB_STATEMENT_WORKBOOK_H
#define RB_STATEMENT_WORKBOOK_H

#include <stddef.h>
#include <stdint.h>

#include "domain/statement.h"
#include "lib/db.h"
#include "store/statement_store.h"

/* The lines a workbook is rendered from ($1 the statement's id), read from
 * the one partition of its cycle date (shown by tests/integration/partitions.c). */
extern const char statement_workbook_lines_sql[];

/* reports/statement.h's statement_workbook(), or a test's. */
typedef enum rb_err (*statement_render_fn)(const struct statement *, uint8_t **out,
    size_t *len);

/*
 * The statement's workbook, byte for byte as first issued (*wb: the
 * caller frees), rendered with render and recorded now if it never was,
 * and its file name. Not inside a caller's transaction: the record is
 * committed at once, so that the bytes handed out are the kept ones.
 * RB_ENOTFOUND when no statement has this id.
 */
enum rb_err	 statement_workbook_get(struct db *, int64_t id, statement_render_fn render,
		    uint8_t **wb, size_t *len, char name[STATEMENT_FILE_NAME_MAX]);
/* The same for the statement carrying this verification code (any case). */
enum rb_err	 statement_workbook_by_code(struct db *, const char *code,
		    statement_render_fn render, uint8_t **wb, size_t *len,
		    char name[STATEMENT_FILE_NAME_MAX]);
/*
 * The scheduler's render workers (scheduler/render_pool.c): inside the
 * caller's transaction, locks the first statement of the cycle whose id is
 * above after and whose workbook is not recorded, skipping one another
 * worker holds (FOR UPDATE SKIP LOCKED): *id, or 0 when there is none. The
 * caller then renders it with statement_workbook_get() in the same
 * transaction and commits.
 */
enum rb_err	 statement_workbook_claim(struct db *, int64_t cycle_id, int64_t after,
		    int64_t *id);
/*
 * Waits until no other renderer (another instance's worker) holds a
 * statement of the cycle still without a workbook: those it held are then
 * recorded, or free to claim again if it failed.
 */
enum rb_err	 statement_workbook_wait(struct db *, int64_t cycle_id);
/* How many statements of the cycle have no workbook recorded yet. */
enum rb_err	 statement_workbook_unrendered(struct db *, int64_t cycle_id, int64_t *n);

#endif
