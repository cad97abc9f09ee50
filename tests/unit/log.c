/*
 * lib/log.c: each line is one JSON object with the request id, and hostile
 * text (quotes, backslashes, newlines, bytes that are not UTF-8) stays
 * inside its string: one line, parsed back to what was logged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "lib/log.h"

/* Runs the logging of fn with stderr sent to a file; the lines back. */
static char *
captured(void (*fn)(void))
{
	char path[] = "/tmp/rb-log-XXXXXX", *text;
	int fd = mkstemp(path), saved = dup(2);
	long n;
	FILE *f;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fdopen(fd, "r");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(path);
	return text;
}

static void
emit_hostile(void)
{
	log_set_request_id("abc123");
	log_warn("user said \"%s\"", "x\"}\n{\"level\":\"error\"}\\\xff\x01");
	log_set_request_id(NULL);
	log_info("plain");
	log_debug("not shown at info");
	log_request("GET", "/api/v1/x\"y", "unmatched", 404, 1.5);
}

static void
lines_are_json(void **state)
{
	char *all = captured(emit_hostile), *text = all, *nl;
	json_t *a, *b, *c;

	(void)state;
	nl = strchr(text, '\n');
	assert_non_null(nl);
	*nl = '\0';
	assert_non_null(a = json_loads(text, 0, NULL));
	assert_string_equal(json_string_value(json_object_get(a, "level")), "warn");
	assert_string_equal(json_string_value(json_object_get(a, "request_id")), "abc123");
	assert_string_equal(json_string_value(json_object_get(a, "func")), "emit_hostile");
	assert_string_equal(json_string_value(json_object_get(a, "msg")),
	    "user said \"x\"}\n{\"level\":\"error\"}\\?\x01\"");
	assert_true(json_integer_value(json_object_get(a, "pid")) == getpid());
	assert_non_null(strstr(json_string_value(json_object_get(a, "ts")), "Z"));
	text = nl + 1;
	nl = strchr(text, '\n');
	*nl = '\0';
	assert_non_null(b = json_loads(text, 0, NULL));
	assert_null(json_object_get(b, "request_id"));
	assert_string_equal(json_string_value(json_object_get(b, "msg")), "plain");
	text = nl + 1;
	nl = strchr(text, '\n');
	*nl = '\0';
	assert_non_null(c = json_loads(text, 0, NULL));
	assert_string_equal(json_string_value(json_object_get(c, "path")), "/api/v1/x\"y");
	assert_int_equal(json_integer_value(json_object_get(c, "status")), 404);
	assert_true(json_real_value(json_object_get(c, "ms")) == 1.5);
	assert_string_equal(nl + 1, "");
	json_decref(a);
	json_decref(b);
	json_decref(c);
	free(all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines_are_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
