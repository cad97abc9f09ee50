/*
 * JSON request bodies through the handlers' own validation: the body gate
 * (fcgi/request.c: req_json_body) and then the parsers of the grant, the
 * subscription (POST and PATCH), the review and the exclusion bodies, on
 * the same input. Properties: a parser that accepts sends nothing and
 * hands back values that format to what was sent (body_*.c); one that
 * refuses sends one 400 whose error.fields name only keys that were sent
 * (invalid, unknown) or keys that were not (required), with error.field
 * the first of them.
 */
#include <string.h>

#include "tests/fuzz/body.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz_req.h"

void
fuzz_qid_same(json_t *v, const struct qid *q)
{
	FUZZ_CHECK(json_is_string(v) && strcmp(json_string_value(v), q->s) == 0);
}

void
fuzz_date_same(json_t *v, struct rb_date d)
{
	char buf[11];

	date_format(d, buf);
	FUZZ_CHECK(json_is_string(v) && strcmp(json_string_value(v), buf) == 0);
}

/* The refusal sent for body is one well-formed 400. absent_ok: the field
 * that may be called invalid although it was not sent (a rejection's
 * missing note is answered so), or NULL. */
static void
check_refusal(struct fuzz_req *f, json_t *body, const char *absent_ok)
{
	json_t *resp = fuzz_req_body(f), *err = json_object_get(resp, "error");
	json_t *fields = json_object_get(err, "fields"), *e;
	size_t i;

	FUZZ_CHECK(fuzz_req_status(f) == 400);
	FUZZ_CHECK(json_is_string(json_object_get(err, "code")));
	FUZZ_CHECK(json_is_string(json_object_get(err, "message")));
	json_array_foreach(fields, i, e) {
		const char *field = json_string_value(json_object_get(e, "field"));
		const char *code = json_string_value(json_object_get(e, "code"));

		FUZZ_CHECK(field != NULL && code != NULL);
		if (i == 0)
			FUZZ_CHECK(strcmp(field, json_string_value(json_object_get(err,
			    "field"))) == 0);
		if (strcmp(code, "required") == 0)
			FUZZ_CHECK(json_object_get(body, field) == NULL);
		else if (absent_ok == NULL || strcmp(field, absent_ok) != 0)
			FUZZ_CHECK(json_object_get(body, field) != NULL);
	}
	json_decref(resp);
}

typedef int (*parse_fn)(struct req *, json_t *, int);

static int grant(struct req *r, json_t *b, int x) { (void)x; return fuzz_grant_body(r, b); }
static int excl(struct req *r, json_t *b, int x) { (void)x; return fuzz_exclusion_body(r, b); }

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct { parse_fn fn; int arg; const char *absent_ok; } parsers[] = {
		{ grant, 0, NULL }, { fuzz_subscription_body, 1, NULL },
		{ fuzz_subscription_body, 0, NULL }, { fuzz_review_body, 1, NULL },
		{ fuzz_review_body, 0, "note" }, { excl, 0, NULL },
	};
	struct fuzz_req f;
	json_t *body;
	size_t i;

	fuzz_req_init(&f, NULL);
	f.r.content_type = "application/json";
	f.r.body = malloc(size + 1);
	FUZZ_CHECK(f.r.body != NULL);
	memcpy(f.r.body, data, size);
	f.r.body[size] = '\0';
	f.r.body_len = size;
	body = req_json_body(&f.r);
	if (body == NULL) {
		FUZZ_CHECK(fuzz_req_status(&f) == 400);
		fuzz_req_free(&f);
		return 0;
	}
	FUZZ_CHECK(json_is_object(body) && fuzz_req_status(&f) == 0);
	fuzz_req_free(&f);
	for (i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++) {
		fuzz_req_init(&f, NULL);
		if (parsers[i].fn(&f.r, body, parsers[i].arg))
			FUZZ_CHECK(fuzz_req_status(&f) == 0);
		else
			check_refusal(&f, body, parsers[i].absent_ok);
		fuzz_req_free(&f);
	}
	json_decref(body);
	return 0;
}
