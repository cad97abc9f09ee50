#include "lib/date_json.h"

json_t *
date_json(int has, struct rb_date d)
{
	char s[11];

	if (!has)
		return json_null();
	date_format(d, s);
	return json_string(s);
}
