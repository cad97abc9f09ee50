/*
 * tests/lib/json_schema.c, the checker the OpenAPI test trusts: each
 * keyword it claims to support accepts what it should and refuses what it
 * should (with a message naming the problem). A checker that passed
 * everything would make tests/integration/openapi.c prove nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/lib/json_schema.h"

/* The root document the schemas' $refs resolve in. */
static const char ROOT[] =
    "{\"components\":{\"schemas\":{"
    "\"Id\":{\"type\":\"integer\",\"minimum\":1},"
    "\"Alias\":{\"$ref\":\"#/components/schemas/Id\"},"
    "\"Loop\":{\"$ref\":\"#/components/schemas/Loop\"},"
    "\"a/b\":{\"type\":\"string\"},"
    "\"Error\":{\"type\":\"object\",\"required\":[\"error\"],"
    "\"additionalProperties\":false,"
    "\"properties\":{\"error\":{\"type\":\"string\"},\"detail\":{\"type\":\"string\","
    "\"nullable\":true}}}}}}";

struct row {
	const char	*schema;
	const char	*instance;
	const char	*problem;	/* NULL: must pass; else a part of the message */
};

static const struct row rows[] = {
	/* type */
	{ "{\"type\":\"string\"}", "\"x\"", NULL },
	{ "{\"type\":\"string\"}", "1", "is integer, the document says string" },
	{ "{\"type\":\"integer\"}", "1.5", "is number, the document says integer" },
	{ "{\"type\":\"number\"}", "1", NULL },
	{ "{\"type\":\"boolean\"}", "false", NULL },
	{ "{\"type\":\"boolean\"}", "0", "the document says boolean" },
	{ "{\"type\":\"array\"}", "{}", "is object, the document says array" },
	{ "{\"type\":\"object\"}", "[]", "is array, the document says object" },
	/* nullable */
	{ "{\"type\":\"string\"}", "null", "null, but the document does not say nullable" },
	{ "{\"type\":\"string\",\"nullable\":true}", "null", NULL },
	/* enum */
	{ "{\"type\":\"string\",\"enum\":[\"en\",\"ar\"]}", "\"ar\"", NULL },
	{ "{\"type\":\"string\",\"enum\":[\"en\",\"ar\"]}", "\"fr\"",
	    "\"fr\" is not one of the documented values" },
	/* pattern, lengths */
	{ "{\"type\":\"string\",\"pattern\":\"^[0-9]{11}$\"}", "\"27263410001\"", NULL },
	{ "{\"type\":\"string\",\"pattern\":\"^[0-9]{11}$\"}", "\"2726341000\"", "does not match" },
	{ "{\"type\":\"string\",\"pattern\":\"(\"}", "\"x\"", "is not a POSIX ERE" },
	{ "{\"type\":\"string\",\"minLength\":2,\"maxLength\":3}", "\"abc\"", NULL },
	{ "{\"type\":\"string\",\"minLength\":2}", "\"a\"", "is shorter than 2" },
	{ "{\"type\":\"string\",\"maxLength\":3}", "\"abcd\"", "is longer than 3" },
	/* formats */
	{ "{\"type\":\"string\",\"format\":\"date\"}", "\"2024-02-29\"", NULL },
	{ "{\"type\":\"string\",\"format\":\"date\"}", "\"2025-02-29\"", "is not a date" },
	{ "{\"type\":\"string\",\"format\":\"date\"}", "\"2026-13-01\"", "is not a date" },
	{ "{\"type\":\"string\",\"format\":\"date\"}", "\"2026-1-01\"", "is not a date" },
	{ "{\"type\":\"string\",\"format\":\"date-time\"}", "\"2026-12-01T08:00:00Z\"", NULL },
	{ "{\"type\":\"string\",\"format\":\"date-time\"}", "\"2026-12-01T08:00:00+03:00\"",
	    NULL },
	{ "{\"type\":\"string\",\"format\":\"date-time\"}", "\"2026-12-01 08:00:00Z\"",
	    "is not a date-time" },
	{ "{\"type\":\"string\",\"format\":\"date-time\"}", "\"2026-12-01T08:00:00\"",
	    "is not a date-time" },
	/* minimum, maximum */
	{ "{\"type\":\"integer\",\"minimum\":1,\"maximum\":5}", "5", NULL },
	{ "{\"type\":\"integer\",\"minimum\":1}", "0", "0 is below the minimum" },
	{ "{\"type\":\"integer\",\"maximum\":5}", "6", "6 is above the maximum" },
	/* arrays */
	{ "{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":1,\"maxItems\":2}",
	    "[1,2]", NULL },
	{ "{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}", "[1,\"2\"]",
	    "$[1]: is string, the document says integer" },
	{ "{\"type\":\"array\",\"minItems\":1}", "[]", "fewer items than 1" },
	{ "{\"type\":\"array\",\"maxItems\":1}", "[1,2]", "more items than 1" },
	/* objects: required, properties, additionalProperties */
	{ "{\"$ref\":\"#/components/schemas/Error\"}", "{\"error\":\"x\",\"detail\":null}", NULL },
	{ "{\"$ref\":\"#/components/schemas/Error\"}", "{\"detail\":\"x\"}",
	    "required property \"error\" is missing" },
	{ "{\"$ref\":\"#/components/schemas/Error\"}", "{\"error\":\"x\",\"extra\":1}",
	    "$.extra: property not in the document" },
	{ "{\"$ref\":\"#/components/schemas/Error\"}", "{\"error\":7}",
	    "$.error: is integer, the document says string" },
	{ "{\"type\":\"object\"}", "{\"anything\":1}", NULL },
	{ "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}",
	    "{\"a\":1,\"b\":\"2\"}", "$.b: is string, the document says integer" },
	/* $ref: chains, escaped tokens, dangling and looping references */
	{ "{\"$ref\":\"#/components/schemas/Alias\"}", "3", NULL },
	{ "{\"$ref\":\"#/components/schemas/Alias\"}", "0", "below the minimum" },
	{ "{\"$ref\":\"#/components/schemas/a~1b\"}", "\"s\"", NULL },
	{ "{\"$ref\":\"#/components/schemas/a~1b\"}", "1", "the document says string" },
	{ "{\"$ref\":\"#/components/schemas/Nope\"}", "1", "does not resolve" },
	{ "{\"$ref\":\"#/components/schemas/Loop\"}", "1", "does not resolve" },
	/* allOf, anyOf, oneOf */
	{ "{\"allOf\":[{\"type\":\"integer\"},{\"minimum\":3}]}", "4", NULL },
	{ "{\"allOf\":[{\"type\":\"integer\"},{\"minimum\":3}]}", "2", "below the minimum" },
	{ "{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}", "\"x\"", NULL },
	{ "{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}", "true",
	    "matches 0 of the anyOf alternatives" },
	{ "{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":3}]}", "1", NULL },
	{ "{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":3}]}", "4",
	    "matches 2 of the oneOf alternatives" },
};

static void
each_row(void **state)
{
	json_error_t jerr;
	json_t *root = json_loads(ROOT, 0, &jerr);
	size_t i;
	int bad = 0;

	(void)state;
	assert_non_null(root);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		json_t *schema = json_loads(r->schema, 0, &jerr);
		json_t *v = json_loads(r->instance, JSON_DECODE_ANY, &jerr);
		struct js_errs e = { NULL, 0, 0, 0 };

		assert_non_null(schema);
		assert_non_null(v);
		js_validate(root, v, schema, "$", &e);
		if (r->problem == NULL && e.n != 0) {
			print_error("row %zu: %s against %s should pass:\n%s", i, r->instance,
			    r->schema, e.buf);
			bad++;
		} else if (r->problem != NULL &&
		    (e.n == 0 || strstr(e.buf, r->problem) == NULL)) {
			print_error("row %zu: %s against %s should fail with \"%s\", got %s\n", i,
			    r->instance, r->schema, r->problem, e.n ? e.buf : "no problem");
			bad++;
		}
		js_errs_free(&e);
		json_decref(schema);
		json_decref(v);
	}
	json_decref(root);
	assert_int_equal(bad, 0);
}

/* Every problem is listed, not just the first. */
static void
collects_every_problem(void **state)
{
	json_t *root = json_loads(ROOT, 0, NULL);
	json_t *schema = json_pack("{s:s}", "$ref", "#/components/schemas/Error");
	json_t *v = json_pack("{s:i,s:i}", "error", 1, "extra", 2);
	struct js_errs e = { NULL, 0, 0, 0 };

	(void)state;
	js_validate(root, v, schema, "body", &e);
	assert_int_equal(e.n, 2);
	assert_non_null(strstr(e.buf, "  - body.error: is integer"));
	assert_non_null(strstr(e.buf, "  - body.extra: property not in the document\n"));
	js_errs_free(&e);
	assert_null(e.buf);
	assert_int_equal(e.n, 0);
	json_decref(v);
	json_decref(schema);
	json_decref(root);
}

static void
pointers(void **state)
{
	json_t *root = json_loads(ROOT, 0, NULL);
	json_t *id = js_pointer(root, "#/components/schemas/Id");

	(void)state;
	assert_non_null(id);
	assert_ptr_equal(js_deref(root, js_pointer(root, "#/components/schemas/Alias")), id);
	assert_null(js_pointer(root, "components/schemas/Id"));
	assert_null(js_pointer(root, "#/components/nothing"));
	assert_null(js_pointer(root, NULL));
	assert_null(js_deref(root, js_pointer(root, "#/components/schemas/Loop")));
	json_decref(root);
}

static void
dates(void **state)
{
	(void)state;
	assert_true(js_is_date("2000-02-29"));
	assert_false(js_is_date("1900-02-29"));
	assert_false(js_is_date("2026-04-31"));
	assert_false(js_is_date("2026-00-10"));
	assert_false(js_is_date("0000-01-01"));
	assert_false(js_is_date("2026-01-011"));
	assert_true(js_is_date_time("2026-12-01T08:00:00.5-01:00"));
	assert_false(js_is_date_time("2026-12-01T08-00:00Z"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_row),
		cmocka_unit_test(collects_every_problem),
		cmocka_unit_test(pointers),
		cmocka_unit_test(dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
