/*
 * POST /api/v1/authorize/batch {"checks": [{qid, est_id, service, at?}, ...]}
 * — up to 100 checks in one request (issue 13 §3). Each item of the answer
 * is {"status", "body"}: exactly what GET /api/v1/authorize would have
 * answered for the same question, per-item errors (unknown person, bad
 * field) included, in the order asked. A malformed list is refused whole,
 * with every bad place in error.fields ("checks[3].qid").
 */
#include <stdio.h>
#include <string.h>

#include "fcgi/authorize_check.h"
#include "fcgi/decision_log.h"
#include "fcgi/handlers.h"
#include "fcgi/session.h"

#define BATCH_MAX 100

/* One item's members: strings or absent; anything else is named in fe. */
static void
check_item(json_t *item, size_t i, struct field_errors *fe)
{
	static const char *const keys[] = { "qid", "est_id", "service", "at" };
	char where[64];
	const char *key;
	json_t *v;
	size_t k;

	if (!json_is_object(item)) {
		snprintf(where, sizeof(where), "checks[%zu]", i);
		field_error_add(fe, where, "invalid_field",
		    "a check is an object {qid, est_id, service, at?}");
		return;
	}
	json_object_foreach(item, key, v) {
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strcmp(key, keys[k]) == 0)
				break;
		snprintf(where, sizeof(where), "checks[%zu].%.16s", i, key);
		if (k == sizeof(keys) / sizeof(keys[0]))
			field_error_add(fe, where, "unknown_field", "unknown field");
		else if (!json_is_string(v))
			field_error_add(fe, where, "invalid_field", "a string");
	}
}

/* The list, checked whole: RB_OK, or it has responded 400. */
static enum rb_err
parse_batch(struct req *r, json_t *body, json_t **checks)
{
	struct field_errors fe;
	const char *key;
	json_t *v;
	size_t i;

	field_errors_init(&fe);
	json_object_foreach(body, key, v)
		if (strcmp(key, "checks") != 0)
			field_error_add(&fe, key, "unknown_field", "unknown field");
	*checks = json_object_get(body, "checks");
	if (*checks == NULL)
		field_error_add(&fe, "checks", "required", "the list of checks is required");
	else if (!json_is_array(*checks) || json_array_size(*checks) == 0 ||
	    json_array_size(*checks) > BATCH_MAX)
		field_error_add(&fe, "checks", "invalid_field",
		    "checks must be a list of 1 to 100 checks");
	else
		for (i = 0; i < json_array_size(*checks); i++)
			check_item(json_array_get(*checks, i), i, &fe);
	return resp_error_fields(r, &fe);
}

void
h_authorize_batch(struct req *r)
{
	struct authz_question q;
	struct authz_answer a;
	json_t *body, *checks, *item, *items = NULL;
	char token[65];
	const char *tok;
	enum rb_err rc;
	size_t i;

	if ((body = req_json_body(r)) == NULL || parse_batch(r, body, &checks) != RB_OK)
		goto out;
	tok = session_token_hex(r, token) ? token : NULL;
	items = json_array();
	/* Each item at the default consistency, minimize_latency. */
	memset(&q, 0, sizeof(q));
	json_array_foreach(checks, i, item) {
		q.qid = json_string_value(json_object_get(item, "qid"));
		q.est_id = json_string_value(json_object_get(item, "est_id"));
		q.service = json_string_value(json_object_get(item, "service"));
		q.at = json_string_value(json_object_get(item, "at"));
		if ((rc = authz_check(r, tok, &q, &a)) != RB_OK) {
			resp_rb_err(r, rc);
			goto out;
		}
		decision_log_record(r, &a);
		json_array_append_new(items, json_pack("{s:i, s:o}", "status", a.status,
		    "body", authz_answer_json(&a)));
	}
	resp_json(r, 200, json_pack("{s:O}", "items", items));
out:
	json_decref(items);
	json_decref(body);
}
