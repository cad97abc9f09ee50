/*
 * The monthly partitions of the history tables (sql/033): created ahead,
 * detached for the archive, dropped once archived. The DDL itself is done
 * by the database's own functions (partition_ensure, partition_detach,
 * partition_drop_archived), which own the tables; this store only calls
 * them and lists what they left.
 */
#ifndef RB_PARTITION_STORE_H
#define RB_PARTITION_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/date.h"
#include "lib/db.h"

struct partition_ref {
	char		table[64];	/* the partitioned table */
	char		name[80];	/* its month's partition: table_pYYYYMM */
	struct rb_date	month;		/* the month's first day */
	int64_t		rows;		/* when detached: its rows then */
};

/* The partitions of every partitioned table for the month of today and
 * the `ahead` months after it; *created counts those that were missing. */
enum rb_err	partition_ensure_ahead(struct db *, struct rb_date today, int ahead,
		    int *created);
/* The attached monthly partitions of months before `before` (a month's
 * first day), oldest first; *out is malloc'd (free it). */
enum rb_err	partition_list_before(struct db *, struct rb_date before,
		    struct partition_ref **out, size_t *n);
/* The partitions detached but not archived yet (a run cut short). */
enum rb_err	partition_list_detached(struct db *, struct partition_ref **out, size_t *n);
/* Detaches p (recorded in partition_archive); p->rows gets its rows.
 * RB_ECONFLICT when it still holds what must not leave yet (unsent
 * messages, unrendered statements, a later part of the audit chain). */
enum rb_err	partition_detach(struct db *, struct partition_ref *p);
/* Drops the detached partition p, recording its archive file and the file's
 * SHA-256 (hex); dump_rows is how many rows the dump was checked to hold,
 * and must be p's. */
enum rb_err	partition_drop_archived(struct db *, const struct partition_ref *p,
		    const char *file, const char *sha256_hex, int64_t dump_rows, int64_t now);

#endif
