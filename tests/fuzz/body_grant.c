/*
 * The grant body's parser (fcgi/grant_api.c: parse_grant_request), reached
 * by including the handler's file so that the handler itself is not
 * changed for the driver. See body.c.
 */
#include "fcgi/grant_api.c"
#include "tests/fuzz/body.h"
#include "tests/fuzz/fuzz.h"

int
fuzz_grant_body(struct req *r, json_t *body)
{
	struct grant_request g;
	size_t i;

	if (parse_grant_request(r, body, &g) != RB_OK)
		return 0;
	fuzz_qid_same(json_object_get(body, "qid"), &g.qid);
	FUZZ_CHECK(g.ncodes >= 1 && g.ncodes <= MAX_SERVICES_PER_GRANT);
	for (i = 0; i < g.ncodes; i++)
		FUZZ_CHECK(strcmp(g.codes[i].s, json_string_value(json_array_get(
		    json_object_get(body, "services"), i))) == 0);
	if (g.has_until)
		fuzz_date_same(json_object_get(body, "valid_until"), g.until);
	return 1;
}
