/* Dates in JSON: "YYYY-MM-DD" strings (SPEC §6), or null. */
#ifndef RB_DATE_JSON_H
#define RB_DATE_JSON_H

#include <jansson.h>

#include "lib/date.h"

/* A new JSON string for d, or JSON null when has is 0. */
json_t	*date_json(int has, struct rb_date d);

#endif
