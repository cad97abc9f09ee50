/*
 * One page of a list query, for every list endpoint: the items as JSON, the
 * total and the paging, {"items", "total", "limit", "offset"}.
 */
#ifndef RB_PAGE_H
#define RB_PAGE_H

#include <stdint.h>

#include <jansson.h>

#include "lib/db.h"

/* One item of a list: the JSON of a result row (a new reference), or NULL
 * when the row cannot be read (page_query then fails with RB_EINTERNAL). */
typedef json_t	*(*row_json_fn)(PGresult *, int row);

/*
 * Runs sql, whose last column is its count(*) OVER (), and builds the page
 * into *page (the caller owns it). Past the last page no row carries the
 * count, so count_sql (with its own parameters) is run for it instead.
 */
enum rb_err	page_query(struct db *, const char *sql, const struct db_params *,
		    row_json_fn row, int64_t limit, int64_t offset,
		    const char *count_sql, const struct db_params *count_params,
		    json_t **page);
/* {"items": items (taken), "total", "limit", "offset"} */
json_t		*page_json(json_t *items, int64_t total, int64_t limit, int64_t offset);

#endif
