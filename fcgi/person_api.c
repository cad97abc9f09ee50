/*
 * Registry events reported by other ministry systems (group "services"):
 * POST /api/v1/persons/{qid}/status and
 * POST /api/v1/persons/{qid}/employment/{est_id}/end.
 */
#include <string.h>

#include "fcgi/authz_follower.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "store/person_events.h"

/* RB_OK for a ministry service, or it has responded 403. */
static enum rb_err
services_only(struct req *r)
{
	if (r->sess.service)
		return RB_OK;
	resp_error(r, 403, "forbidden", "only ministry services report registry events");
	return RB_EFORBIDDEN;
}

/* Refuses any member of body not in allowed (NULL-terminated): RB_OK, or
 * it has responded 400. */
static enum rb_err
known_fields(struct req *r, json_t *body, const char *const *allowed)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(body, key, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			resp_error_field(r, 400, "invalid_field", key, "unknown field");
			return RB_EINVAL;
		}
	}
	return RB_OK;
}

void
h_person_status(struct req *r)
{
	static const char *const fields[] = { "status", NULL };
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	enum person_status st;
	json_t *body, *out_json;
	enum rb_err rc;
	int changed, revoked;

	if (services_only(r) != RB_OK || (body = req_json_body(r)) == NULL)
		return;
	if (known_fields(r, body, fields) != RB_OK)
		goto out;
	if (person_status_parse(json_string_value(json_object_get(body, "status")),
	    &st) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", "status", "status must be one of"
		    " active, sponsorship_transferred, residency_cancelled, deceased");
		goto out;
	}
	if ((rc = db_begin(db)) != RB_OK ||
	    (rc = person_set_status(db, &a, &r->params.qid, st, &changed,
	    &revoked)) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK) {
		db_rollback(db);
		if (rc == RB_ENOTFOUND)
			resp_error_field(r, 404, "unknown_person", "qid", "no such person");
		else
			resp_rb_err(r, rc);
		goto out;
	}
	out_json = json_pack("{s:s, s:s, s:b, s:i}", "qid", r->params.qid.s,
	    "status", person_status_name(st), "changed", changed,
	    "grants_revoked", revoked);
	authz_write_revision(db, out_json);
	resp_json(r, 200, out_json);
out:
	json_decref(body);
}

void
h_employment_end(struct req *r)
{
	static const char *const fields[] = { "ended_on", NULL };
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	struct rb_date on = date_of_instant_qatar(a.now);
	json_t *body = NULL, *v, *out_json;
	char on_s[11];
	enum rb_err rc;
	int revoked;

	if (services_only(r) != RB_OK)
		return;
	/* The body is optional: without one, the employment ends today. */
	if (r->body_len > 0) {
		if ((body = req_json_body(r)) == NULL || known_fields(r, body, fields) != RB_OK)
			goto out;
		v = json_object_get(body, "ended_on");
		if (v != NULL && date_parse(json_string_value(v), &on) != RB_OK) {
			resp_error_field(r, 400, "invalid_field", "ended_on",
			    "a date is YYYY-MM-DD");
			goto out;
		}
	}
	if ((rc = db_begin(db)) != RB_OK ||
	    (rc = employment_end(db, &a, &r->params.qid, &r->params.est, on,
	    &revoked)) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK) {
		db_rollback(db);
		if (rc == RB_ENOTFOUND)
			resp_error(r, 404, "unknown_employment",
			    "no open employment of this person at this company");
		else
			resp_rb_err(r, rc);
		goto out;
	}
	date_format(on, on_s);
	out_json = json_pack("{s:s, s:s, s:s, s:i}", "qid", r->params.qid.s,
	    "est_id", r->params.est.s, "ended_on", on_s, "grants_revoked", revoked);
	authz_write_revision(db, out_json);
	resp_json(r, 200, out_json);
out:
	json_decref(body);
}
