/*
 * The decision log's table (sql/015): rows written in batches by COPY
 * (fcgi/decision_log.c buffers them), and the reviewers' list.
 */
#ifndef RB_DECISION_LOG_STORE_H
#define RB_DECISION_LOG_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/ids.h"
#include "lib/db.h"

/* One answer, fixed size so that a buffer of them needs no allocation.
 * Empty strings are NULL in the table. */
struct decision_row {
	int64_t		decided_at;
	int64_t		as_of;		/* when has_as_of */
	int		has_as_of;
	char		caller[64];
	char		qid[12], est_id[9], service[41];
	int		status;
	int		allowed;
	char		rule[32];
	int64_t		grant_id;	/* 0: none */
	int64_t		revision;	/* 0: none yet */
};

/* Writes n rows in one COPY; RB_EDB when the database refused it. */
enum rb_err	decision_log_copy(struct db *, const struct decision_row *, size_t n);

/* The reviewers' filters: NULL/0 for none; from and to are instants
 * (epoch seconds, to exclusive). */
struct decision_filter {
	const struct qid	*qid;
	const struct est_id	*est;
	int			 has_from, has_to;
	int64_t			 from, to;
};

/* Its query ($1 qid, $2 est_id, $3..$4 a period in epoch seconds, NULL for
 * none, $5 limit, $6 offset): a period within a month reads that month's
 * partition only (tests/integration/partitions.c). */
extern const char decision_log_list_sql[];
/* One page, newest first, into *page (the caller owns it). */
enum rb_err	decision_log_page(struct db *, const struct decision_filter *,
		    int64_t limit, int64_t offset, json_t **page);

#endif
