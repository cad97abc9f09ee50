/* The registry's view of a company's staff: its open employments. */
#ifndef RB_EMPLOYEE_STORE_H
#define RB_EMPLOYEE_STORE_H

#include <stdint.h>

#include <jansson.h>

#include "domain/ids.h"
#include "lib/db.h"

/* One page of {qid, name_ar, name_en, status, citizen, permit_expiry, since},
 * by QID, into *page (the caller owns it). */
enum rb_err	employee_page(struct db *, const struct est_id *, int64_t limit,
		    int64_t offset, json_t **page);

#endif
