/*
 * The single exclusion's body parser (fcgi/exclusion_api.c: add_body),
 * reached by including the handler's file. See body.c.
 */
#include "fcgi/exclusion_api.c"
#include "tests/fuzz/body.h"
#include "tests/fuzz/fuzz.h"

int
fuzz_exclusion_body(struct req *r, json_t *body)
{
	struct qid qid;
	const char *note;

	if (add_body(r, body, &qid, &note) != RB_OK)
		return 0;
	fuzz_qid_same(json_object_get(body, "qid"), &qid);
	FUZZ_CHECK(excl_note_ok(note));
	return 1;
}
