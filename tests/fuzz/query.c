/*
 * URL and query decoding (fcgi/request.c: req_query_param, req_paging).
 * Properties: any bytes, percent-encoded into a query among other
 * parameters, decode to themselves; a value decoded from a hostile query
 * decodes to the same text again once re-encoded; paging either answers
 * 400 naming limit or offset, or gives values inside their bounds.
 */
#include <string.h>

#include "fcgi/http.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz_req.h"

static char *
encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(s) * 3 + 1), *o = out;

	FUZZ_CHECK(out != NULL);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ')
			*o++ = '+';
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

/* query holds name=encode(value) among others: it decodes back to value. */
static void
round_trip(const char *value)
{
	struct fuzz_req f;
	char *enc = encode(value), *q, buf[4096];
	int rc;

	fuzz_req_init(&f, NULL);
	q = malloc(strlen(enc) + 64);
	FUZZ_CHECK(q != NULL);
	sprintf(q, "limit=5&q2=x&q=%s&z=%%zz", enc);
	f.r.query = q;
	rc = req_query_param(&f.r, "q", buf, sizeof(buf));
	if (strlen(value) < sizeof(buf)) {
		FUZZ_CHECK(rc == 1);
		FUZZ_CHECK(strcmp(buf, value) == 0);
	} else
		FUZZ_CHECK(rc == -1);
	FUZZ_CHECK(req_query_param(&f.r, "q2", buf, sizeof(buf)) == 1 &&
	    strcmp(buf, "x") == 0);
	FUZZ_CHECK(req_query_param(&f.r, "z", buf, sizeof(buf)) == -1);
	FUZZ_CHECK(req_query_param(&f.r, "absent", buf, sizeof(buf)) == 0);
	free(q);
	free(enc);
	fuzz_req_free(&f);
}

static void
paging(const char *query)
{
	struct fuzz_req f;
	int64_t limit = -1, offset = -1;

	fuzz_req_init(&f, NULL);
	f.r.query = query;
	if (req_paging(&f.r, &limit, &offset) == RB_OK) {
		FUZZ_CHECK(limit >= 1 && limit <= 500);
		FUZZ_CHECK(offset >= 0 && offset <= 100000000);
		FUZZ_CHECK(fuzz_req_status(&f) == 0);
	} else {
		json_t *b = fuzz_req_body(&f);
		const char *field = json_string_value(json_object_get(
		    json_object_get(b, "error"), "field"));

		FUZZ_CHECK(fuzz_req_status(&f) == 400);
		FUZZ_CHECK(field != NULL &&
		    (strcmp(field, "limit") == 0 || strcmp(field, "offset") == 0));
		json_decref(b);
	}
	fuzz_req_free(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), buf[256], *enc;
	struct fuzz_req f;

	round_trip(s);
	paging(s);
	fuzz_req_init(&f, NULL);
	f.r.query = s;
	if (req_query_param(&f.r, "q", buf, sizeof(buf)) == 1) {
		FUZZ_CHECK(strlen(buf) < sizeof(buf));
		enc = encode(buf);
		round_trip(buf);
		free(enc);
	}
	fuzz_req_free(&f);
	free(s);
	return 0;
}
