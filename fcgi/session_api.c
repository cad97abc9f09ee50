/* POST/DELETE /api/v1/session and GET /api/v1/me. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/directory.h"
#include "fcgi/handlers.h"
#include "fcgi/session.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "store/audit.h"

static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* Records one sign-in attempt; failures also feed the throttle. */
static enum rb_err
record_attempt(struct req *r, const char *username, const char *outcome)
{
	char now_s[24], target[96];
	const char *p[3];
	struct audit_ctx a = { username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	enum rb_err rc;

	snprintf(now_s, sizeof(now_s), "%lld", (long long)a.now);
	snprintf(target, sizeof(target), "user:%s", username);
	p[0] = username;
	p[1] = r->remote_addr;
	p[2] = now_s;
	if ((rc = db_begin(db)) != RB_OK)
		return rc;
	if (strcmp(outcome, "signin.ok") == 0)
		rc = db_exec(db, NULL, "DELETE FROM signin_failures WHERE username = $1",
		    1, p);
	else if (strcmp(outcome, "signin.failed") == 0)
		rc = db_exec(db, NULL, "INSERT INTO signin_failures (username,"
		    " client_addr, at) VALUES ($1, $2, to_timestamp($3::bigint))", 3, p);
	if (rc == RB_OK)
		rc = audit_append(db, &a, outcome, target, NULL);
	if (rc == RB_OK)
		rc = db_commit(db);
	if (rc != RB_OK)
		db_rollback(db);
	return rc;
}

static enum rb_err
throttled(struct req *r, const char *username, int *yes)
{
	const struct config *cfg = r->w->cfg;
	char since[24];
	const char *p[3] = { username, r->remote_addr, since };
	PGresult *res = NULL;
	enum rb_err rc;

	snprintf(since, sizeof(since), "%lld",
	    (long long)(clock_now() - cfg->signin_window_s));
	rc = db_exec(&r->w->db, &res,
	    "SELECT (SELECT count(*) FROM signin_failures WHERE username = $1"
	    "        AND at > to_timestamp($3::bigint)),"
	    " (SELECT count(*) FROM signin_failures WHERE client_addr = $2"
	    "        AND at > to_timestamp($3::bigint))", 3, p);
	if (rc != RB_OK)
		return rc;
	*yes = strtol(PQgetvalue(res, 0, 0), NULL, 10) >= cfg->signin_user_max ||
	    strtol(PQgetvalue(res, 0, 1), NULL, 10) >= cfg->signin_addr_max;
	PQclear(res);
	return RB_OK;
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
	struct session *s = &r->sess;
	json_t *body;
	enum rb_err rc;
	int too_many;

	if ((body = req_json_body(r)) == NULL)
		return;
	username = json_string_value(json_object_get(body, "username"));
	password = json_string_value(json_object_get(body, "password"));
	if (username == NULL || *username == '\0' || strlen(username) > 64 ||
	    !printable(username)) {
		resp_error_field(r, 400, "invalid_field", "username",
		    "username must be 1 to 64 printable characters");
		goto out;
	}
	if (password == NULL || *password == '\0' || strlen(password) > 256) {
		/* Refused before any bind: an empty password binds anonymously. */
		record_attempt(r, username, "signin.failed");
		resp_error_field(r, 400, "invalid_field", "password",
		    "password must be 1 to 256 characters");
		goto out;
	}
	if ((rc = throttled(r, username, &too_many)) != RB_OK) {
		resp_rb_err(r, rc);
		goto out;
	}
	if (too_many) {
		record_attempt(r, username, "signin.throttled");
		resp_error(r, 429, "too_many_attempts",
		    "too many failed sign-ins; wait and try again");
		goto out;
	}
	rc = dir_authenticate(r->w->cfg, username, password, &du);
	if (rc == RB_EAUTH) {
		if ((rc = record_attempt(r, username, "signin.failed")) != RB_OK)
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
	if ((rc = session_load(r)) != RB_OK || (rc = session_end(r)) != RB_OK ||
	    (rc = session_create(r, username, du.reviewer, du.service, csrf)) != RB_OK ||
	    (rc = record_attempt(r, username, "signin.ok")) != RB_OK) {
		resp_rb_err(r, rc);
		goto out;
	}
	snprintf(s->username, sizeof(s->username), "%s", username);
	s->reviewer = du.reviewer;
	s->service = du.service;
	resp_json(r, 201, json_pack("{s:s, s:s, s:o, s:i, s:i}",
	    "username", username, "csrf_token", csrf, "groups", groups_json(s),
	    "idle_timeout_s", (int)r->w->cfg->session_idle_s,
	    "max_age_s", (int)r->w->cfg->session_max_s));
out:
	json_decref(body);
}

void
h_session_delete(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	char target[96];
	enum rb_err rc;

	snprintf(target, sizeof(target), "user:%s", r->sess.username);
	if ((rc = db_begin(&r->w->db)) != RB_OK ||
	    (rc = session_end(r)) != RB_OK ||
	    (rc = audit_append(&r->w->db, &a, "signout", target, NULL)) != RB_OK ||
	    (rc = db_commit(&r->w->db)) != RB_OK) {
		db_rollback(&r->w->db);
		resp_rb_err(r, rc);
		return;
	}
	resp_json(r, 200, json_pack("{s:b}", "signed_out", 1));
}

static const struct db_stmt st_me_person = { "me_person",
	"SELECT name_ar, name_en FROM persons WHERE qid = $1", 1 };
static const struct db_stmt st_me_companies = { "me_companies",
	"SELECT c.est_id, c.name_ar, c.name_en FROM signatories s"
	" JOIN companies c ON c.est_id = s.est_id JOIN persons p ON p.qid = s.qid"
	" WHERE s.qid = $1 AND s.ended_on IS NULL AND p.status = 'active'"
	" ORDER BY c.est_id", 1 };
static const struct db_stmt st_me_grants = { "me_grants",
	"SELECT g.id, g.est_id, c.name_en, c.name_ar, g.service, g.valid_until"
	" FROM grants g JOIN companies c ON c.est_id = g.est_id"
	" WHERE g.qid = $1 AND g.revoked_at IS NULL"
	" AND (g.valid_until IS NULL OR g.valid_until >= $2::date)"
	" ORDER BY g.est_id, g.service", 2 };

void
h_me(struct req *r)
{
	char csrf[TOKEN_LEN + 1], today[11];
	const char *p[2];
	PGresult *res = NULL;
	json_t *companies = json_array(), *grants = json_array(), *out;
	char *name_ar = NULL, *name_en = NULL;
	enum rb_err rc;
	int i;

	date_format(clock_today(), today);
	p[0] = r->sess.has_qid ? r->sess.qid.s : NULL;
	p[1] = today;
	if (r->sess.has_qid) {
		if ((rc = db_exec_stmt(&r->w->db, &res, &st_me_person, p)) != RB_OK)
			goto fail;
		if (PQntuples(res) == 1) {
			name_ar = xstrdup(PQgetvalue(res, 0, 0));
			name_en = xstrdup(PQgetvalue(res, 0, 1));
		}
		PQclear(res);
		res = NULL;
		if ((rc = db_exec_stmt(&r->w->db, &res, &st_me_companies, p)) != RB_OK)
			goto fail;
		for (i = 0; i < PQntuples(res); i++)
			json_array_append_new(companies, json_pack("{s:s, s:s, s:s}",
			    "est_id", PQgetvalue(res, i, 0), "name_ar",
			    PQgetvalue(res, i, 1), "name_en", PQgetvalue(res, i, 2)));
		PQclear(res);
		res = NULL;
		if ((rc = db_exec_stmt(&r->w->db, &res, &st_me_grants, p)) != RB_OK)
			goto fail;
		for (i = 0; i < PQntuples(res); i++)
			json_array_append_new(grants, json_pack(
			    "{s:I, s:s, s:s, s:s, s:s, s:s?}",
			    "id", (json_int_t)strtoll(PQgetvalue(res, i, 0), NULL, 10),
			    "est_id", PQgetvalue(res, i, 1),
			    "company_name_en", PQgetvalue(res, i, 2),
			    "company_name_ar", PQgetvalue(res, i, 3),
			    "service", PQgetvalue(res, i, 4),
			    "valid_until", PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5)));
		PQclear(res);
	}
	if (!session_csrf_token(r, csrf))
		csrf[0] = '\0';
	out = json_pack("{s:s, s:s?, s:s?, s:s?, s:o, s:o, s:o, s:s, s:i}",
	    "username", r->sess.username,
	    "qid", r->sess.has_qid ? r->sess.qid.s : NULL,
	    "name_ar", name_ar, "name_en", name_en,
	    "groups", groups_json(&r->sess),
	    "signatory_of", companies, "grants", grants,
	    "csrf_token", csrf, "idle_timeout_s", (int)r->w->cfg->session_idle_s);
	free(name_ar);
	free(name_en);
	resp_json(r, 200, out);
	return;
fail:
	free(name_ar);
	free(name_en);
	json_decref(companies);
	json_decref(grants);
	resp_rb_err(r, rc);
}
