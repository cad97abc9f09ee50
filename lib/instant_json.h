/* Instants in JSON: the ISO 8601 UTC strings of clock_format_iso(), or null. */
#ifndef RB_INSTANT_JSON_H
#define RB_INSTANT_JSON_H

#include <jansson.h>

#include "lib/db.h"

/*
 * A column selected as CLOCK_SQL_EPOCH(col) (lib/clock.h), as a new JSON
 * string; JSON null for SQL NULL, and for anything but whole seconds
 * (logged by db_get_int, so a schema change shows).
 */
json_t	*instant_json(const PGresult *, int row, int col);

#endif
