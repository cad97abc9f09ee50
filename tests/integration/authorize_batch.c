/*
 * POST /api/v1/authorize/batch: each item is exactly what the single check
 * answers for the same question (allowed, denied, every error kind), in
 * order; a malformed list is refused whole, naming each bad place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"
#include "tests/lib/signin.h"

#define REP	"28435610011"	/* employee of 10000001 */

static struct client svc, sig, rep;
static const struct signin signins[] = {
	{ &svc, "svc-visa", "demo-service" },
	{ &sig, "27263410001", "demo-signatory" },
	{ &rep, NULL, NULL },
};

static int
setup(void **state)
{
	(void)state;
	return signin_setup(signins, SIGNIN_N(signins));
}

static int
teardown(void **state)
{
	(void)state;
	signin_teardown(signins, SIGNIN_N(signins));
	return 0;
}

/* The questions: {qid, est_id, service, at?}; NULL members are left out. */
static const struct q {
	const char *qid, *est, *service, *at;
	long status;		/* what the single check answers */
} questions[] = {
	{ "27263410001", "10000001", "VISA_CANCEL", NULL, 200 },	/* signatory */
	{ REP, "10000001", "EST_CARD_RENEW", NULL, 200 },		/* grant */
	{ REP, "10000001", "EXIT_PERMIT", NULL, 200 },		/* no grant */
	{ "27263410001", "10000003", "RP_RENEW", NULL, 200 },	/* not theirs */
	{ "29935699999", "10000001", "RP_RENEW", NULL, 404 },	/* unknown person */
	{ REP, "19999999", "RP_RENEW", NULL, 404 },		/* unknown company */
	{ "12345678901", "10000001", "RP_RENEW", NULL, 400 },	/* bad QID */
	{ REP, "1234", "RP_RENEW", NULL, 400 },			/* bad est_id */
	{ REP, "10000001", "NOT_A_SERVICE", NULL, 400 },		/* not in catalogue */
	{ REP, "10000001", "bad code", NULL, 400 },		/* malformed code */
	{ NULL, "10000001", "RP_RENEW", NULL, 400 },		/* missing qid */
	{ REP, "10000001", "EST_CARD_RENEW", "2020-01-01T00:00:00Z", 200 }, /* before */
	{ REP, "10000001", "EST_CARD_RENEW", "soon", 400 },	/* bad instant */
	{ REP, "10000001", "EST_CARD_RENEW", "2999-01-01T00:00:00Z", 400 }, /* future */
};
#define NQ (sizeof(questions) / sizeof(questions[0]))

static json_t *
question_json(const struct q *q)
{
	json_t *o = json_object();

	if (q->qid)
		json_object_set_new(o, "qid", json_string(q->qid));
	if (q->est)
		json_object_set_new(o, "est_id", json_string(q->est));
	if (q->service)
		json_object_set_new(o, "service", json_string(q->service));
	if (q->at)
		json_object_set_new(o, "at", json_string(q->at));
	return o;
}

/* The single check's answer to q, as c: status and body. */
static long
single(struct client *c, const struct q *q, json_t **body)
{
	struct http_resp r;
	char path[256];
	long st;

	snprintf(path, sizeof(path), "/api/v1/authorize?est_id=%s&service=%s%s%s%s%s",
	    q->est, q->service, q->qid ? "&qid=" : "", q->qid ? q->qid : "",
	    q->at ? "&at=" : "", q->at ? q->at : "");
	/* "bad code": the space travels encoded. */
	for (char *p = path; *p; p++)
		if (*p == ' ')
			*p = '+';
	st = http_json(c, "GET", path, NULL, &r);
	*body = json_incref(r.json);
	http_resp_free(&r);
	return st;
}

/* Asks every question as c in one batch and singly; they must agree. */
static void
batch_equals_single(struct client *c, int as_service)
{
	struct http_resp r;
	json_t *checks = json_array(), *b, *items, *one;
	size_t i;

	for (i = 0; i < NQ; i++)
		json_array_append_new(checks, question_json(&questions[i]));
	b = json_pack("{s:o}", "checks", checks);
	assert_int_equal(http_json(c, "POST", "/api/v1/authorize/batch", b, &r), 200);
	items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), NQ);
	for (i = 0; i < NQ; i++) {
		json_t *item = json_array_get(items, i);
		long st = single(c, &questions[i], &one);

		if (as_service)
			assert_int_equal(st, questions[i].status);
		assert_int_equal(json_integer_value(json_object_get(item, "status")), st);
		if (!json_equal(json_object_get(item, "body"), one)) {
			char *a = json_dumps(json_object_get(item, "body"), 0), *e = json_dumps(one, 0);

			fail_msg("item %zu: batch %s, single %s", i, a, e);
		}
		json_decref(one);
	}
	/* Spot checks that the answers are the ones meant. */
	assert_true(json_is_true(json_object_get(json_object_get(json_array_get(items, 1),
	    "body"), "allowed")) == as_service);
	http_resp_free(&r);
	json_decref(b);
}

static void
batch_answers_as_the_single_check(void **state)
{
	json_t *g = json_pack("{s:s, s:[s]}", "qid", REP, "services", "EST_CARD_RENEW");
	struct http_resp r;
	char path[96];
	long long id;

	(void)state;
	assert_int_equal(http_json(&sig, "POST", "/api/v1/companies/10000001/grants", g,
	    &r), 201);
	id = json_integer_value(json_object_get(json_array_get(json_object_get(r.json,
	    "items"), 0), "id"));
	http_resp_free(&r);
	json_decref(g);
	test_grant_accept(id, NULL);
	batch_equals_single(&svc, 1);
	/* A signatory asking about others: 403 items, as singly. */
	batch_equals_single(&sig, 0);
	snprintf(path, sizeof(path), "/api/v1/companies/10000001/grants/%lld", id);
	assert_int_equal(http_status(&sig, "DELETE", path, NULL), 200);
}

/* Posts body as text; checks the 400 and the first bad field. */
static void
refused(const char *body, const char *field)
{
	struct http_resp r;
	json_t *fields;

	assert_int_equal(http_req(&svc, "POST", "/api/v1/authorize/batch",
	    "application/json", body, strlen(body), &r), 400);
	fields = json_object_get(json_object_get(r.json, "error"), "fields");
	assert_true(json_array_size(fields) >= 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(fields, 0),
	    "field")), field);
	http_resp_free(&r);
}

static void
malformed_batches_are_refused(void **state)
{
	json_t *checks = json_array(), *b;
	struct http_resp r;
	char *text;
	size_t i;

	(void)state;
	for (i = 0; i < 101; i++)
		json_array_append_new(checks, question_json(&questions[0]));
	b = json_pack("{s:o}", "checks", checks);
	text = json_dumps(b, 0);
	refused(text, "checks");
	free(text);
	/* 100 is the limit, and allowed. */
	json_array_remove(checks, 0);
	assert_int_equal(http_json(&svc, "POST", "/api/v1/authorize/batch", b, &r), 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 100);
	http_resp_free(&r);
	json_decref(b);
	refused("{}", "checks");
	refused("{\"checks\": []}", "checks");
	refused("{\"checks\": {}}", "checks");
	refused("{\"checks\": [{\"qid\": \"" REP "\"}, 7]}", "checks[1]");
	refused("{\"checks\": [{\"qid\": 28435610011, \"est_id\": \"10000001\"}]}",
	    "checks[0].qid");
	refused("{\"checks\": [{\"qid\": \"" REP "\", \"who\": \"x\"}]}", "checks[0].who");
	refused("{\"checks\": [{\"qid\": \"" REP "\"}], \"extra\": 1}", "extra");
	/* Nobody signed in: refused before any check. */
	b = json_pack("{s:[{s:s}]}", "checks", "qid", REP);
	assert_int_equal(http_json(&rep, "POST", "/api/v1/authorize/batch", b, &r), 401);
	http_resp_free(&r);
	json_decref(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batch_answers_as_the_single_check),
		cmocka_unit_test(malformed_batches_are_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
