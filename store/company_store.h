/* The reviewers' company search. */
#ifndef RB_COMPANY_STORE_H
#define RB_COMPANY_STORE_H

#include <stdint.h>

#include <jansson.h>

#include "lib/db.h"

/*
 * Companies whose establishment number starts with q or whose name holds
 * it, with the status of their current subscription, by establishment
 * number. *page as page_query's.
 */
enum rb_err	company_store_search(struct db *, const char *q, int64_t limit,
		    int64_t offset, json_t **page);
/* s with LIKE's own wildcards escaped, so a search for "50%" means that
 * text (the caller frees it). */
char		*company_like_escape(const char *s);

#endif
