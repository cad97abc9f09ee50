/*
 * Logs (issue 11 §5): one JSON object per line. A request's id comes back
 * in X-Request-Id, and the same id is on the application's access line
 * (app.log) and on nginx's (nginx-access.log), each of which parses as
 * JSON and says what was answered; every line of both logs is JSON, and a
 * message quoting hostile input stays one line.
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

#include "tests/integration/http_client.h"

/* Every line of RB_VAR/log/name parses as a JSON object; the one whose
 * request_id is id (with field equal to want, when given) into *found. */
static int
scan(const char *name, const char *id, const char *field, const char *want, json_t **found)
{
	char path[512], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lines = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/log/%s", test_env("RB_VAR"), name);
	assert_non_null(f = fopen(path, "r"));
	*found = NULL;
	while ((n = getline(&line, &cap, f)) > 0) {
		json_error_t err;
		json_t *o = json_loads(line, 0, &err);
		const char *rid;

		if (!json_is_object(o))
			fail_msg("%s line %d is not a JSON object: %s", name, lines + 1, line);
		lines++;
		rid = json_string_value(json_object_get(o, "request_id"));
		if (*found == NULL && rid != NULL && strcmp(rid, id) == 0 && (field == NULL ||
		    strcmp(json_string_value(json_object_get(o, field)) ?: "", want) == 0)) {
			*found = o;
			continue;
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
	return lines;
}

static void
request_id_in_header_app_log_and_nginx_log(void **state)
{
	struct client c;
	struct http_resp r;
	char id[80];
	json_t *app = NULL, *ngx = NULL;
	int tries;

	(void)state;
	client_init(&c);
	assert_int_equal(http_req(&c, "GET", "/api/v1/no-such-thing?x=1", NULL, NULL, 0, &r), 404);
	assert_true(http_header(&r, "X-Request-Id", id, sizeof(id)));
	assert_int_equal(strlen(id), 32);
	assert_int_equal(strspn(id, "0123456789abcdef"), 32);
	http_resp_free(&r);
	/* Both lines are written before the response ends; allow the log
	 * writers a moment all the same. */
	for (tries = 0; tries < 20; tries++) {
		json_decref(app);
		json_decref(ngx);
		assert_true(scan("app.log", id, "msg", "request", &app) > 0);
		assert_true(scan("nginx-access.log", id, NULL, NULL, &ngx) > 0);
		if (app != NULL && ngx != NULL)
			break;
		usleep(100000);
	}
	assert_non_null(app);
	assert_non_null(ngx);
	assert_string_equal(json_string_value(json_object_get(app, "prog")), "rb-fcgi");
	assert_string_equal(json_string_value(json_object_get(app, "level")), "info");
	assert_string_equal(json_string_value(json_object_get(app, "method")), "GET");
	assert_string_equal(json_string_value(json_object_get(app, "path")), "/api/v1/no-such-thing");
	assert_string_equal(json_string_value(json_object_get(app, "route")), "unmatched");
	assert_int_equal(json_integer_value(json_object_get(app, "status")), 404);
	assert_true(json_is_number(json_object_get(app, "ms")));
	assert_true(json_is_string(json_object_get(app, "ts")));
	assert_string_equal(json_string_value(json_object_get(ngx, "uri")), "/api/v1/no-such-thing?x=1");
	assert_string_equal(json_string_value(json_object_get(ngx, "method")), "GET");
	assert_int_equal(json_integer_value(json_object_get(ngx, "status")), 404);
	assert_string_equal(json_string_value(json_object_get(ngx, "remote_addr")), "127.0.0.1");
	json_decref(app);
	json_decref(ngx);
	client_free(&c);
}

/* A path with a quote, a backslash, an escaped newline and bytes that are
 * not UTF-8 is logged as one JSON line that gives it back. */
static void
hostile_path_stays_one_line(void **state)
{
	struct client c;
	struct http_resp r;
	char id[80];
	json_t *app = NULL;
	int tries;

	(void)state;
	client_init(&c);
	assert_int_equal(http_req(&c, "GET", "/api/v1/a%22b%5Cc%0A%7B%22level%22:1%7D%FF", NULL, NULL, 0, &r), 404);
	assert_true(http_header(&r, "X-Request-Id", id, sizeof(id)));
	http_resp_free(&r);
	for (tries = 0; tries < 20 && app == NULL; tries++) {
		scan("app.log", id, "msg", "request", &app);
		if (app == NULL)
			usleep(100000);
	}
	assert_non_null(app);
	/* REQUEST_URI is passed undecoded; the JSON gives the text back. */
	assert_string_equal(json_string_value(json_object_get(app, "path")),
	    "/api/v1/a%22b%5Cc%0A%7B%22level%22:1%7D%FF");
	json_decref(app);
	client_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_id_in_header_app_log_and_nginx_log),
		cmocka_unit_test(hostile_path_stays_one_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
