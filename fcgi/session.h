/* Sessions by cookie (SPEC §6): only hashes are stored server-side. */
#ifndef RB_SESSION_H
#define RB_SESSION_H

#include "fcgi/http.h"

#define SESSION_COOKIE	"__Host-session"
/* 32 random bytes in base64url without padding. */
#define TOKEN_LEN	43

/*
 * For a handler on the hot path that folds the session lookup into its own
 * statement: select SESSION_COLUMNS from sessions s joined on
 * s.token_hash = decode(<token hex>, 'hex') AND s.ended_at IS NULL, then
 * hand the row to session_accept() with the column the six start at.
 */
#define SESSION_COLUMNS "s.id, s.username, array_to_string(s.groups, ','),"	\
	" extract(epoch FROM s.created_at)::bigint,"			\
	" extract(epoch FROM s.last_seen_at)::bigint, encode(s.csrf_hash, 'hex')"
/* The hex SHA-256 of the cookie's token; 0 when there is no cookie. */
int		session_token_hex(const struct req *, char hex[65]);
/* Checks the timeouts of the session in row 0 from column col (NULL id:
 * no session) and fills r->sess; RB_OK with r->signed_in 0 when refused. */
enum rb_err	session_accept(struct req *, PGresult *, int col);
/* Loads the session named by the cookie into r->sess (r->signed_in = 1),
 * or leaves r->signed_in 0. Errors only when the database fails. */
enum rb_err	session_load(struct req *);
/* Compares the X-CSRF-Token header with the session's, in constant time. */
int		session_csrf_ok(const struct req *);
/* The CSRF token of the request's session cookie, for the client. */
int		session_csrf_token(const struct req *, char out[TOKEN_LEN + 1]);
/* A new session for username; sets r->set_cookie and the CSRF token. */
enum rb_err	session_create(struct req *, const char *username, int reviewer,
		    int service, char csrf[TOKEN_LEN + 1]);
/* Ends the request's session (if any) on the server. */
enum rb_err	session_end(struct req *);

#endif
