/* Sessions by cookie (SPEC §6): only hashes are stored server-side. */
#ifndef RB_SESSION_H
#define RB_SESSION_H

#include "fcgi/http.h"
#include "store/session_store.h"

#define SESSION_COOKIE	"__Host-session"
/* 32 random bytes in base64url without padding. */
#define TOKEN_LEN	43

/* The hex SHA-256 of the cookie's token; 0 when there is no cookie. */
int		session_token_hex(const struct req *, char hex[65]);
/* Checks the limits of a stored session (row->found 0: none) and fills
 * r->sess; RB_OK with r->signed_in 0 when refused, and a session past its
 * limits is ended. For handlers whose store query reads the session along
 * with their own facts (SESSION_COLUMNS), and for session_load. */
enum rb_err	session_accept(struct req *, const struct session_row *row);
/* Loads the session named by the cookie into r->sess (r->signed_in = 1),
 * or leaves r->signed_in 0. Errors only when the database fails. */
enum rb_err	session_load(struct req *);
/* Compares the X-CSRF-Token header with the session's, in constant time. */
int		session_csrf_ok(const struct req *);
/* The CSRF token of the request's session cookie, for the client. */
int		session_csrf_token(const struct req *, char out[TOKEN_LEN + 1]);
/* A new session for username; sets r->set_cookie and the CSRF token. */
enum rb_err	session_create(struct req *, const char *username,
		    const struct session_groups *, char csrf[TOKEN_LEN + 1]);
/* Ends the request's session (if any) on the server. */
enum rb_err	session_end(struct req *);

#endif
