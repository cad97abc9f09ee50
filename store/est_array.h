/*
 * A batch of companies as one query parameter: the PostgreSQL array literal
 * of their establishment IDs, for `est_id = ANY ($n::text[])`.
 */
#ifndef RB_EST_ARRAY_H
#define RB_EST_ARRAY_H

#include <stddef.h>

/* "{10000001,10000002}" (owned by the caller: free()). The IDs are the
 * validated 8 digits, so nothing needs quoting. */
char	*est_array(const char *const *ids, size_t n);

#endif
