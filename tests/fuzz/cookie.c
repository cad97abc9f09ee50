/*
 * The session cookie's token (fcgi/session.c: session_token_hex,
 * session_csrf_token). Properties: a token is found only when the header
 * holds __Host-session= and 43 base64url characters ending there; what is
 * found is the SHA-256 of exactly those characters; a good token placed
 * after any other cookies ("junk; __Host-session=T") is always found.
 */
#include <string.h>

#include "fcgi/session.h"
#include "lib/crypto.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz_req.h"

static int
b64url_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '-' || c == '_';
}

/* The hex hash of the token found in cookie, or 0. */
static int
token_of(const char *cookie, char hex[65], char csrf[TOKEN_LEN + 1])
{
	struct fuzz_req f;
	char *env[2], *var = malloc(strlen(cookie) + 16);
	int found, again;

	FUZZ_CHECK(var != NULL);
	sprintf(var, "HTTP_COOKIE=%s", cookie);
	env[0] = var;
	env[1] = NULL;
	fuzz_req_init(&f, env);
	found = session_token_hex(&f.r, hex);
	again = session_csrf_token(&f.r, csrf);
	FUZZ_CHECK(found == again);
	FUZZ_CHECK(fuzz_req_status(&f) == 0);
	fuzz_req_free(&f);
	free(var);
	return found;
}

/* 1 when a well-formed token starts at at. */
static int
has_token_at(const char *at)
{
	size_t i;

	for (i = 0; i < TOKEN_LEN; i++)
		if (!b64url_char(at[i]))
			return 0;
	return at[TOKEN_LEN] == '\0' || at[TOKEN_LEN] == ';' || at[TOKEN_LEN] == ' ';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), hex[65], want[65], csrf[TOKEN_LEN + 1];
	char token[TOKEN_LEN + 1], *cookie;
	uint8_t h[32];
	size_t i;

	if (token_of(s, hex, csrf)) {
		/* The hash is of 43 good characters that follow the name in s. */
		const char *at = s;
		int matched = 0;

		FUZZ_CHECK(strlen(csrf) == TOKEN_LEN);
		while ((at = strstr(at, SESSION_COOKIE "=")) != NULL && !matched) {
			at += strlen(SESSION_COOKIE "=");
			if (!has_token_at(at))
				continue;
			crypto_sha256(at, TOKEN_LEN, h);
			hex_encode(h, 32, want);
			matched = strcmp(want, hex) == 0;
		}
		FUZZ_CHECK(matched);
	}
	/* A good token after the input, as another cookie, is found. */
	for (i = 0; i < TOKEN_LEN; i++)
		token[i] = b64url_char((char)(i < size ? data[i] : 'A')) ?
		    (char)(i < size ? data[i] : 'A') : 'Q';
	token[TOKEN_LEN] = '\0';
	if (strchr(s, ';') == NULL || strstr(s, SESSION_COOKIE) == NULL) {
		cookie = malloc(strlen(s) + TOKEN_LEN + 32);
		FUZZ_CHECK(cookie != NULL);
		sprintf(cookie, "%s; " SESSION_COOKIE "=%s", s, token);
		if (strstr(s, SESSION_COOKIE) == NULL && strchr(s, ';') == NULL) {
			FUZZ_CHECK(token_of(cookie, hex, csrf));
			crypto_sha256(token, TOKEN_LEN, h);
			hex_encode(h, 32, want);
			FUZZ_CHECK(strcmp(want, hex) == 0);
		}
		free(cookie);
	}
	free(s);
	return 0;
}
