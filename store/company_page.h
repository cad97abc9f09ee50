/*
 * A page of one company's list (its employees, its exclusions): the common
 * shape of page_query() (store/page.h) where $1 is the company, $2 the
 * limit and $3 the offset, and count_sql counts with $1 alone.
 */
#ifndef RB_COMPANY_PAGE_H
#define RB_COMPANY_PAGE_H

#include "domain/ids.h"
#include "store/page.h"

enum rb_err	company_page(struct db *, const char *sql, const char *count_sql,
		    row_json_fn row, const struct est_id *, int64_t limit, int64_t offset,
		    json_t **page);

#endif
