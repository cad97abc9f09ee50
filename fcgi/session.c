/*
 * Sessions by cookie (SPEC §6), on the HTTP side: the cookie, the CSRF
 * header, and the session the request runs as. The rows are in
 * store/session_store.c, the limits in domain/session_rules.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/session.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/xalloc.h"

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
session_accept(struct req *r, const struct session_row *row)
{
	const struct config *cfg = r->w->cfg;
	const struct session_limits lim = { cfg->session_idle_s, cfg->session_max_s };
	int64_t now = clock_now();
	enum rb_err rc;

	r->signed_in = 0;
	if (!row->found)
		return RB_OK;
	r->sess.id = row->id;
	if (session_check(&lim, now, row->created, row->seen) != SESSION_OK)
		return session_store_end(&r->w->db, row->id, now);
	snprintf(r->sess.username, sizeof(r->sess.username), "%s", row->username);
	r->sess.reviewer = row->groups.reviewer;
	r->sess.service = row->groups.service;
	r->sess.has_qid = qid_parse(r->sess.username, &r->sess.qid) == RB_OK;
	if (!unhex32(row->csrf_hex, r->sess.csrf_hash))
		return RB_OK;
	if (session_needs_touch(now, row->seen) &&
	    (rc = session_store_touch(&r->w->db, row->id, now)) != RB_OK)
		return rc;
	r->signed_in = 1;
	return RB_OK;
}

enum rb_err
session_load(struct req *r)
{
	struct session_row row;
	char hex[65];
	enum rb_err rc;

	r->signed_in = 0;
	if (!session_token_hex(r, hex))
		return RB_OK;
	if ((rc = session_store_lookup(&r->w->db, hex, &row)) != RB_OK)
		return rc;
	return session_accept(r, &row);
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
session_create(struct req *r, const char *username,
    const struct session_groups *groups, char csrf[TOKEN_LEN + 1])
{
	char token[TOKEN_LEN + 1], thex[65], chex[65];
	uint8_t raw[32], ch[32];
	enum rb_err rc;

	if ((rc = crypto_random(raw, sizeof(raw))) != RB_OK)
		return rc;
	b64url_encode(raw, sizeof(raw), token);
	csrf_from_token(token, csrf);
	token_hash_hex(token, thex);
	crypto_sha256(csrf, TOKEN_LEN, ch);
	hex_encode(ch, 32, chex);
	rc = session_store_insert(&r->w->db, thex, chex, username, groups,
	    r->remote_addr, clock_now());
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
	rc = session_store_end(&r->w->db, r->sess.id, clock_now());
	if (rc == RB_OK) {
		free(r->set_cookie);
		r->set_cookie = xasprintf("%s=; Path=/; Secure; HttpOnly;"
		    " SameSite=Strict; Max-Age=0", SESSION_COOKIE);
	}
	return rc;
}
