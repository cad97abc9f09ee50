/*
 * A person's mobile number through a trusted channel (issue 16 §2):
 *   POST /api/v1/persons/{qid}/mobile {mobile}: a reviewer at a service
 *     centre (after checking the person's identity) or a kiosk (the
 *     `services` group) registers a new number; a code goes to it by SMS;
 *   POST /api/v1/persons/{qid}/mobile/confirm {code}: the kiosk, where
 *     the person types the code they received;
 *   POST /api/v1/me/mobile/confirm {code}: the person, signed in.
 * The number is verified and used only after the right code, within 10
 * minutes and 5 tries (domain/mobile_code.h). The queries are
 * store/mobile_store.c.
 */
#include <stdio.h>
#include <string.h>

#include "domain/contact.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "store/mobile_store.h"

/* The body's only member name, a string: RB_OK with *value, or it has
 * responded 400. */
static enum rb_err
single_string(struct req *r, json_t *body, const char *name, const char **value)
{
	const char *key;
	json_t *v;

	json_object_foreach(body, key, v) {
		if (strcmp(key, name) != 0) {
			resp_error_field(r, 400, "invalid_field", key, "unknown field");
			return RB_EINVAL;
		}
	}
	if ((*value = json_string_value(json_object_get(body, name))) == NULL) {
		resp_error_field(r, 400, "missing_field", name, "required, a string");
		return RB_EINVAL;
	}
	return RB_OK;
}

void
h_person_mobile(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	char mobile[MOBILE_E164_SZ];
	const char *s;
	json_t *body, *out;
	enum rb_err rc;

	/* A service centre's reviewer or a kiosk: nobody registers a number
	 * for themself, since the channel is what vouches for the number. */
	if (!r->sess.reviewer && !r->sess.service) {
		resp_error(r, 403, "forbidden", "a number is registered at a service centre"
		    " or a kiosk");
		return;
	}
	if (r->sess.has_qid && strcmp(r->sess.qid.s, r->params.qid.s) == 0) {
		resp_error(r, 403, "own_number", "a reviewer cannot register their own number");
		return;
	}
	if ((body = req_json_body(r)) == NULL)
		return;
	if (single_string(r, body, "mobile", &s) != RB_OK)
		goto out;
	if (mobile_normalize(s, mobile) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", "mobile",
		    "a mobile number is + and 8 to 15 digits, or a Qatari mobile of 8 digits");
		goto out;
	}
	rc = mobile_change_request(&r->w->db, &a, &r->params.qid, mobile,
	    r->sess.reviewer ? MOBILE_SERVICE_CENTRE : MOBILE_KIOSK, &out);
	if (rc == RB_ENOTFOUND)
		resp_error_field(r, 404, "unknown_person", "qid", "no such person");
	else if (rc == RB_ECONFLICT)
		resp_error_field(r, 409, "mobile_unchanged", "mobile",
		    "this is already the person's verified number");
	else if (rc != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 202, out);
out:
	json_decref(body);
}

/* Checks qid's answer in the body and responds. */
static void
confirm(struct req *r, const struct qid *qid)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	enum mobile_code_outcome outcome;
	const char *code;
	char msg[96];
	json_t *body, *out = NULL;
	enum rb_err rc;
	int left;

	if ((body = req_json_body(r)) == NULL)
		return;
	if (single_string(r, body, "code", &code) != RB_OK)
		goto out;
	if (!mobile_code_ok(code)) {
		resp_error_field(r, 400, "invalid_field", "code", "a code is 6 digits");
		goto out;
	}
	rc = mobile_change_confirm(&r->w->db, &a, qid, code, &outcome, &left, &out);
	if (rc == RB_ENOTFOUND) {
		resp_error(r, 404, "no_pending_mobile", "no new number is waiting for a code");
		goto out;
	}
	if (rc != RB_OK) {
		resp_rb_err(r, rc);
		goto out;
	}
	switch (outcome) {
	case MC_CONFIRMED:
		resp_json(r, 200, out);
		out = NULL;
		break;
	case MC_WRONG:
		snprintf(msg, sizeof(msg), "wrong code: %d %s left", left,
		    left == 1 ? "try" : "tries");
		resp_json(r, 400, json_pack("{s:{s:s, s:s, s:s, s:i, s:[{s:s, s:s, s:s}]}}",
		    "error", "code", "wrong_code", "message", msg, "field", "code",
		    "tries_left", left, "fields", "field", "code", "code", "wrong_code",
		    "message", msg));
		break;
	case MC_EXHAUSTED:
		resp_error_field(r, 409, "code_exhausted", "code",
		    "five wrong codes: a new code must be requested");
		break;
	default:
		resp_error_field(r, 410, "code_expired", "code",
		    "the code has expired (10 minutes): a new code must be requested");
		break;
	}
out:
	json_decref(out);
	json_decref(body);
}

void
h_person_mobile_confirm(struct req *r)
{
	if (!r->sess.service) {
		resp_error(r, 403, "forbidden", "the person confirms at the kiosk or signed in");
		return;
	}
	confirm(r, &r->params.qid);
}

void
h_me_mobile_confirm(struct req *r)
{
	if (!r->sess.has_qid) {
		resp_error(r, 403, "forbidden", "only a registered person confirms their number");
		return;
	}
	confirm(r, &r->sess.qid);
}
