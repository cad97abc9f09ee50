/* The partition job of rb-scheduler (issue 17 §3): months created ahead,
 * old months archived. */
#ifndef RB_SCHED_PARTITIONS_H
#define RB_SCHED_PARTITIONS_H

#include "lib/date.h"
#include "lib/db.h"

/* Months created ahead of today's: this one and the next two. */
#define PARTITIONS_AHEAD	2

/* This month's and the next PARTITIONS_AHEAD months' partitions of every
 * partitioned table, created where missing (logged). */
enum rb_err	partitions_ahead(struct db *, struct rb_date today);

/*
 * `rb-scheduler archive-partitions --before=YYYY-MM`: every monthly
 * partition of a month before that one is detached, dumped with pg_dump
 * (custom format, conninfo's role) into dir/NAME.dump, the dump read back
 * with pg_restore and its rows counted, and only when they are all there
 * is the partition dropped and the file's SHA-256 recorded. A partition
 * refused (still needed) is kept and named; a run cut short is taken up
 * again by the next one (detached partitions are dumped first). *archived
 * and *kept count them.
 */
enum rb_err	partitions_archive(struct db *, const char *conninfo, const char *dir,
		    struct rb_date before, int *archived, int *kept);

#endif
