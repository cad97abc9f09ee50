/*
 * A cycle's workbooks, rendered right after its companies are committed
 * (issue 14 §2), so that the cycle is complete only when every statement
 * of it can be downloaded at once. N threads, each with its own database
 * connection, claim the statements not yet rendered one at a time (FOR
 * UPDATE SKIP LOCKED, store/statement_workbook.h) and render and record
 * each with statement_workbook_get(), the very function a first download
 * or email uses: the bytes are the same whoever renders first, and are
 * kept once. A download that comes first still renders on demand.
 */
#ifndef RB_RENDER_POOL_H
#define RB_RENDER_POOL_H

#include <signal.h>
#include <stdint.h>

#include "lib/rb_err.h"

/* The workers a setting asks for: -1 the machine's online cores, else n. */
int		render_pool_workers(long setting);
/*
 * Renders every statement of cycle_id whose workbook is not recorded,
 * with workers threads connected with conninfo (0: none, RB_OK at once);
 * stops early when *stop becomes set. *rendered: those this call
 * recorded. RB_OK only when none is left unrendered (a stop or a failure
 * leaves some, and the caller does not complete the cycle).
 */
enum rb_err	render_pool_run(const char *conninfo, int64_t cycle_id, int workers,
		    volatile sig_atomic_t *stop, long *rendered);

#endif
