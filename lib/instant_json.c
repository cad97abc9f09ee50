#include "lib/clock.h"
#include "lib/instant_json.h"

json_t *
instant_json(const PGresult *res, int row, int col)
{
	char iso[CLOCK_ISO_LEN];
	int64_t t;

	if (PQgetisnull(res, row, col) || db_get_int(res, row, col, &t) != RB_OK)
		return json_null();
	clock_format_iso(t, iso);
	return json_string(iso);
}
