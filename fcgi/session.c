#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/session.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/log.h"
#include "lib/xalloc.h"

/* Idle time is recorded at most this often, so a busy session costs one
 * read per request, not a write; the idle timeout is exact to this much. */
#define TOUCH_EVERY_S	30

static const struct db_stmt st_lookup = { "session_lookup",
	"SELECT " SESSION_COLUMNS " FROM sessions s"
	" WHERE s.token_hash = decode($1, 'hex') AND s.ended_at IS NULL", 1 };

/* The cookie's token, if the Cookie header carries a well-formed one. */
static int
cookie_token(const struct req *r, char out[TOKEN_LEN + 1])
{
	const char *c = FCGX_GetParam("HTTP_COOKIE", r->fcgx->envp);
	const char *name = SESSION_COOKIE "=";
	size_t nlen = strlen(name), i;

	while (c != NULL && *c != '\0') {
		while (*c == ' ' || *c == ';')
			c++;
		if (strncmp(c, name, nlen) == 0) {
			c += nlen;
			for (i = 0; i < TOKEN_LEN; i++) {
				char ch = c[i];

				if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
				    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
					return 0;
			}
			if (c[TOKEN_LEN] != '\0' && c[TOKEN_LEN] != ';' && c[TOKEN_LEN] != ' ')
				return 0;
			memcpy(out, c, TOKEN_LEN);
			out[TOKEN_LEN] = '\0';
			return 1;
		}
		c = strchr(c, ';');
	}
	return 0;
}

static void
token_hash_hex(const char *token, char hex[65])
{
	uint8_t h[32];

	crypto_sha256(token, strlen(token), h);
	hex_encode(h, 32, hex);
}

/* The CSRF token is derived from the session token, so the client can be
 * given it again (GET /me) without the server keeping it in clear. */
static void
csrf_from_token(const char *token, char out[TOKEN_LEN + 1])
{
	char buf[TOKEN_LEN + 8];
	uint8_t h[32];

	snprintf(buf, sizeof(buf), "csrf:%s", token);
	crypto_sha256(buf, strlen(buf), h);
	b64url_encode(h, 32, out);
}

static int
unhex32(const char *hex, uint8_t out[32])
{
	int i;

	if (strlen(hex) != 64)
		return 0;
	for (i = 0; i < 64; i++) {
		char c = hex[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (v < 0)
			return 0;
		out[i / 2] = (uint8_t)(i % 2 ? out[i / 2] | v : v << 4);
	}
	return 1;
}

static enum rb_err
session_mark_ended(struct db *db, int64_t id, int64_t now)
{
	char id_s[24], now_s[24];
	const char *p[2] = { id_s, now_s };

	snprintf(id_s, sizeof(id_s), "%lld", (long long)id);
	snprintf(now_s, sizeof(now_s), "%lld", (long long)now);
	return db_exec(db, NULL, "UPDATE sessions SET ended_at = to_timestamp($2::bigint)"
	    " WHERE id = $1 AND ended_at IS NULL", 2, p);
}

int
session_token_hex(const struct req *r, char hex[65])
{
	char token[TOKEN_LEN + 1];

	if (!cookie_token(r, token))
		return 0;
	token_hash_hex(token, hex);
	return 1;
}

enum rb_err
session_accept(struct req *r, PGresult *res, int col)
{
	const struct config *cfg = r->w->cfg;
	char *groups, *g;
	int64_t now, created, seen;
	enum rb_err rc = RB_OK;

	r->signed_in = 0;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, col))
		return RB_OK;
	now = clock_now();
	r->sess.id = strtoll(PQgetvalue(res, 0, col), NULL, 10);
	created = strtoll(PQgetvalue(res, 0, col + 3), NULL, 10);
	seen = strtoll(PQgetvalue(res, 0, col + 4), NULL, 10);
	if (now - seen > cfg->session_idle_s || now - created > cfg->session_max_s)
		return session_mark_ended(&r->w->db, r->sess.id, now);
	snprintf(r->sess.username, sizeof(r->sess.username), "%s",
	    PQgetvalue(res, 0, col + 1));
	r->sess.reviewer = r->sess.service = 0;
	groups = xstrdup(PQgetvalue(res, 0, col + 2));
	for (g = strtok(groups, ","); g != NULL; g = strtok(NULL, ",")) {
		if (strcmp(g, "reviewers") == 0)
			r->sess.reviewer = 1;
		else if (strcmp(g, "services") == 0)
			r->sess.service = 1;
	}
	free(groups);
	r->sess.has_qid = qid_parse(r->sess.username, &r->sess.qid) == RB_OK;
	if (!unhex32(PQgetvalue(res, 0, col + 5), r->sess.csrf_hash))
		return RB_OK;
	if (now - seen >= TOUCH_EVERY_S) {
		char id_s[24], now_s[24];
		const char *tp[2] = { id_s, now_s };

		snprintf(id_s, sizeof(id_s), "%lld", (long long)r->sess.id);
		snprintf(now_s, sizeof(now_s), "%lld", (long long)now);
		if ((rc = db_exec(&r->w->db, NULL, "UPDATE sessions SET"
		    " last_seen_at = to_timestamp($2::bigint) WHERE id = $1", 2, tp)) != RB_OK)
			return rc;
	}
	r->signed_in = 1;
	return RB_OK;
}

enum rb_err
session_load(struct req *r)
{
	char hex[65];
	const char *p[1] = { hex };
	PGresult *res = NULL;
	enum rb_err rc;

	r->signed_in = 0;
	if (!session_token_hex(r, hex))
		return RB_OK;
	if ((rc = db_exec_stmt(&r->w->db, &res, &st_lookup, p)) != RB_OK)
		return rc;
	rc = session_accept(r, res, 0);
	PQclear(res);
	return rc;
}

int
session_csrf_ok(const struct req *r)
{
	uint8_t h[32];

	if (r->csrf_header == NULL || strlen(r->csrf_header) != TOKEN_LEN)
		return 0;
	crypto_sha256(r->csrf_header, TOKEN_LEN, h);
	return crypto_equal(h, r->sess.csrf_hash, 32);
}

int
session_csrf_token(const struct req *r, char out[TOKEN_LEN + 1])
{
	char token[TOKEN_LEN + 1];

	if (!cookie_token(r, token))
		return 0;
	csrf_from_token(token, out);
	return 1;
}

enum rb_err
session_create(struct req *r, const char *username, int reviewer, int service,
    char csrf[TOKEN_LEN + 1])
{
	char token[TOKEN_LEN + 1], thex[65], chex[65], now_s[24], groups[32];
	uint8_t raw[32], ch[32];
	const char *p[6];
	enum rb_err rc;

	if ((rc = crypto_random(raw, sizeof(raw))) != RB_OK)
		return rc;
	b64url_encode(raw, sizeof(raw), token);
	csrf_from_token(token, csrf);
	token_hash_hex(token, thex);
	crypto_sha256(csrf, TOKEN_LEN, ch);
	hex_encode(ch, 32, chex);
	snprintf(now_s, sizeof(now_s), "%lld", (long long)clock_now());
	snprintf(groups, sizeof(groups), "{%s%s%s}", reviewer ? "reviewers" : "",
	    reviewer && service ? "," : "", service ? "services" : "");
	p[0] = thex;
	p[1] = chex;
	p[2] = username;
	p[3] = groups;
	p[4] = now_s;
	p[5] = r->remote_addr;
	rc = db_exec(&r->w->db, NULL,
	    "INSERT INTO sessions (token_hash, csrf_hash, username, groups,"
	    " client_addr, created_at, last_seen_at) VALUES (decode($1, 'hex'),"
	    " decode($2, 'hex'), $3, $4::text[], $6, to_timestamp($5::bigint),"
	    " to_timestamp($5::bigint))", 6, p);
	if (rc != RB_OK)
		return rc;
	free(r->set_cookie);
	r->set_cookie = xasprintf("%s=%s; Path=/; Secure; HttpOnly; SameSite=Strict",
	    SESSION_COOKIE, token);
	return RB_OK;
}

enum rb_err
session_end(struct req *r)
{
	enum rb_err rc;

	if (!r->signed_in)
		return RB_OK;
	rc = session_mark_ended(&r->w->db, r->sess.id, clock_now());
	if (rc == RB_OK) {
		free(r->set_cookie);
		r->set_cookie = xasprintf("%s=; Path=/; Secure; HttpOnly;"
		    " SameSite=Strict; Max-Age=0", SESSION_COOKIE);
	}
	return rc;
}
