/* POST/DELETE /api/v1/session and GET /api/v1/me. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/ids.h"
#include "domain/reader_name.h"
#include "fcgi/directory.h"
#include "fcgi/authz_follower.h"
#include "fcgi/handlers.h"
#include "fcgi/signals.h"
#include "fcgi/session.h"
#include "lib/clock.h"
#include "store/access_store.h"
#include "store/reader_language.h"
#include "store/session_store.h"

/* Records one sign-in attempt as the user who tried: a success in the
 * audit chain, a failure in the throttle's table (store/session_store.h). */
static enum rb_err
record_attempt(struct req *r, const char *username, enum signin_outcome o)
{
	struct audit_ctx a = { username, r->remote_addr, clock_now() };

	return signin_record(&r->w->db, &a, username, o);
}

/* The seconds username must wait at this address before the directory is
 * asked (domain/session_rules.h: progressive delays, never a lock-out). */
static enum rb_err
signin_wait_load(struct req *r, const char *username, int64_t *wait)
{
	const struct config *cfg = r->w->cfg;
	const struct signin_limits lim = { cfg->signin_window_s,
	    cfg->signin_user_max, cfg->signin_addr_max };
	struct signin_seen seen;
	int64_t now = clock_now();
	enum rb_err rc;

	rc = signin_seen_load(&r->w->db, username, r->remote_addr,
	    signin_window_start(&lim, now), now, &seen);
	if (rc == RB_OK)
		*wait = signin_wait(&lim, &seen, now);
	return rc;
}

static json_t *
groups_json(const struct session *s)
{
	json_t *g = json_array();

	if (s->reviewer)
		json_array_append_new(g, json_string("reviewers"));
	if (s->service)
		json_array_append_new(g, json_string("services"));
	return g;
}

void
h_session_create(struct req *r)
{
	const char *username, *password;
	char csrf[TOKEN_LEN + 1];
	struct dir_user du;
	struct session_groups groups;
	struct session *s = &r->sess;
	json_t *body, *out;
	enum rb_err rc;
	int64_t wait;
	char msg[96];

	if ((body = req_json_body(r)) == NULL)
		return;
	username = json_string_value(json_object_get(body, "username"));
	password = json_string_value(json_object_get(body, "password"));
	/* Only the canonical spelling is asked of the directory (it matches
	 * loosely): one identity, one throttle count, one audit actor. */
	if (!uid_ok(username)) {
		resp_error_field(r, 400, "invalid_field", "username",
		    "a username is a QID (11 digits) or a service account name"
		    " (lowercase letters, digits and -)");
		goto out;
	}
	if (password == NULL || *password == '\0' || strlen(password) > 256) {
		/* Refused before any bind: an empty password binds anonymously. */
		record_attempt(r, username, SIGNIN_FAILED);
		resp_error_field(r, 400, "invalid_field", "password",
		    "password must be 1 to 256 characters");
		goto out;
	}
	if ((rc = signin_wait_load(r, username, &wait)) != RB_OK) {
		resp_rb_err(r, rc);
		goto out;
	}
	if (wait > 0) {
		record_attempt(r, username, SIGNIN_THROTTLED);
		snprintf(msg, sizeof(msg), "too many failed sign-ins; try again in"
		    " %lld seconds", (long long)wait);
		resp_error(r, 429, "too_many_attempts", msg);
		goto out;
	}
	rc = dir_authenticate(r->w->cfg, username, password, &du);
	if (rc == RB_EAUTH) {
		if ((rc = record_attempt(r, username, SIGNIN_FAILED)) != RB_OK)
			resp_rb_err(r, rc);
		else
			resp_error(r, 401, "invalid_credentials",
			    "wrong username or password");
		goto out;
	}
	if (rc != RB_OK) {
		resp_rb_err(r, rc);
		goto out;
	}
	/* A new session at every sign-in; the one the browser held ends. */
	groups.reviewer = du.reviewer;
	groups.service = du.service;
	username = du.uid;
	if ((rc = session_load(r)) != RB_OK || (rc = session_end(r)) != RB_OK ||
	    (rc = session_create(r, username, &groups, csrf)) != RB_OK ||
	    (rc = record_attempt(r, username, SIGNIN_OK)) != RB_OK) {
		resp_rb_err(r, rc);
		goto out;
	}
	snprintf(s->username, sizeof(s->username), "%s", username);
	s->reviewer = du.reviewer;
	s->service = du.service;
	/* Its address and client, and what they complete (issue 16 §5). */
	signals_on_signin(r, username);
	out = json_pack("{s:s, s:s, s:o, s:i, s:i}",
	    "username", username, "csrf_token", csrf, "groups", groups_json(s),
	    "idle_timeout_s", (int)r->w->cfg->session_idle_s,
	    "max_age_s", (int)r->w->cfg->session_max_s);
	/* Every worker knows the session before the client can use it. */
	authz_write_revision(&r->w->db, out);
	resp_json(r, 201, out);
out:
	json_decref(body);
}

void
h_session_delete(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	char target[96];
	enum rb_err rc;
	json_t *out;

	snprintf(target, sizeof(target), "user:%s", r->sess.username);
	if ((rc = db_begin(&r->w->db)) != RB_OK ||
	    (rc = session_end(r)) != RB_OK ||
	    (rc = signin_failures_summarize(&r->w->db, a.now)) != RB_OK ||
	    (rc = audit_append(&r->w->db, &a, "signout", target, NULL)) != RB_OK ||
	    (rc = db_commit(&r->w->db)) != RB_OK) {
		db_rollback(&r->w->db);
		resp_rb_err(r, rc);
		return;
	}
	out = json_pack("{s:b}", "signed_out", 1);
	/* A sign-out takes effect at once, on every worker. */
	authz_write_revision(&r->w->db, out);
	resp_json(r, 200, out);
}

void
h_me(struct req *r)
{
	char csrf[TOKEN_LEN + 1], lang[3] = "";
	json_t *me = NULL, *out;
	enum rb_err rc;

	if (r->sess.has_qid &&
	    (rc = access_me_load(&r->w->db, &r->sess.qid, clock_today(), &me)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	/* Someone who is not a registered person signs for nothing. */
	if (me == NULL)
		me = json_pack("{s:[], s:[]}", "signatory_of", "grants");
	if (!session_csrf_token(r, csrf))
		csrf[0] = '\0';
	/* The name the person reads themself by (issue 16 §3). */
	if (json_object_get(me, "name_ar") != NULL && (rc = reader_language_load(&r->w->db,
	    &r->sess.qid, lang)) != RB_OK && rc != RB_ENOTFOUND) {
		json_decref(me);
		resp_rb_err(r, rc);
		return;
	}
	out = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:O, s:O, s:s, s:i}",
	    "username", r->sess.username,
	    "qid", r->sess.has_qid ? r->sess.qid.s : NULL,
	    "name_ar", json_string_value(json_object_get(me, "name_ar")),
	    "name_en", json_string_value(json_object_get(me, "name_en")),
	    "language", lang[0] ? lang : NULL,
	    "display_name", lang[0] ? reader_name(lang,
	    json_string_value(json_object_get(me, "name_ar")),
	    json_string_value(json_object_get(me, "name_en"))) : NULL,
	    "groups", groups_json(&r->sess),
	    "signatory_of", json_object_get(me, "signatory_of"),
	    "grants", json_object_get(me, "grants"),
	    "csrf_token", csrf, "idle_timeout_s", (int)r->w->cfg->session_idle_s);
	json_decref(me);
	resp_json(r, 200, out);
}
