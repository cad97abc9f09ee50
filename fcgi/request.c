#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accept_lang.h"
#include "fcgi/http.h"
#include "lib/number.h"
#include "lib/xalloc.h"
#include "store/reader_language.h"

json_t *
req_json_body(struct req *r)
{
	json_error_t jerr;
	json_t *j;

	if (r->content_type == NULL ||
	    strncasecmp(r->content_type, "application/json", 16) != 0 ||
	    (r->content_type[16] != '\0' && r->content_type[16] != ';')) {
		resp_error(r, 415, "unsupported_media_type",
		    "the body must be application/json here");
		return NULL;
	}
	if (r->body_len == 0 || memchr(r->body, '\0', r->body_len) != NULL) {
		resp_error(r, 400, "malformed_json", "the body is not a JSON object");
		return NULL;
	}
	j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL || !json_is_object(j)) {
		json_decref(j);
		resp_error(r, 400, "malformed_json", "the body is not a JSON object");
		return NULL;
	}
	return j;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes application/x-www-form-urlencoded [s, s+n) into buf. */
static int
url_decode(const char *s, size_t n, char *buf, size_t bufsz)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '+')
			c = ' ';
		else if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return -1;
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		}
		if (c == 0 || o + 1 >= bufsz)
			return -1;
		buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return 1;
}

int
req_query_param(const struct req *r, const char *name, char *buf, size_t bufsz)
{
	const char *p = r->query, *amp, *eq;
	size_t nlen = strlen(name);

	if (p == NULL)
		return 0;
	while (*p != '\0') {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq != NULL && (size_t)(eq - p) == nlen && memcmp(p, name, nlen) == 0)
			return url_decode(eq + 1, (size_t)(amp - eq - 1), buf, bufsz);
		p = *amp ? amp + 1 : amp;
	}
	return 0;
}

enum rb_err
req_paging(struct req *r, int64_t *limit, int64_t *offset)
{
	char buf[24];
	int rc;

	*limit = 50;
	*offset = 0;
	if ((rc = req_query_param(r, "limit", buf, sizeof(buf))) != 0 &&
	    (rc < 0 || int_parse(buf, 1, 500, limit) != RB_OK)) {
		resp_error_field(r, 400, "invalid_field", "limit",
		    "limit must be an integer from 1 to 500");
		return RB_EINVAL;
	}
	if ((rc = req_query_param(r, "offset", buf, sizeof(buf))) != 0 &&
	    (rc < 0 || int_parse(buf, 0, 100000000, offset) != RB_OK)) {
		resp_error_field(r, 400, "invalid_field", "offset",
		    "offset must be a non-negative integer");
		return RB_EINVAL;
	}
	return RB_OK;
}

enum rb_err
req_read_body(struct req *r, long max)
{
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", r->fcgx->envp);
	int64_t len = 0;
	int got;

	if (cl != NULL && *cl != '\0' &&
	    int_parse(cl, 0, INT64_MAX / 2, &len) != RB_OK) {
		resp_error(r, 400, "bad_request", "bad Content-Length");
		return RB_EINVAL;
	}
	if (len > max) {
		resp_error(r, 413, "too_large", "the request body is too large");
		return RB_EINVAL;
	}
	r->body = xmalloc((size_t)len + 1);
	for (r->body_len = 0; r->body_len < (size_t)len; r->body_len += (size_t)got) {
		got = FCGX_GetStr(r->body + r->body_len, (int)((size_t)len - r->body_len),
		    r->fcgx->in);
		if (got <= 0)
			break;
	}
	r->body[r->body_len] = '\0';
	if (r->body_len != (size_t)len) {
		resp_error(r, 400, "bad_request", "the body is shorter than announced");
		return RB_EINVAL;
	}
	return RB_OK;
}

void
req_language(struct req *r, int use_db, char out[3])
{
	struct lang l;

	/* A person's own setting first: what they chose is what they read
	 * everywhere else (SMS, emails, the web). */
	if (use_db && r->signed_in && r->sess.has_qid &&
	    reader_language_load(&r->w->db, &r->sess.qid, out) == RB_OK &&
	    lang_parse(out, &l) == RB_OK)
		return;
	if (r->fcgx != NULL &&
	    accept_language_pick(FCGX_GetParam("HTTP_ACCEPT_LANGUAGE", r->fcgx->envp), out))
		return;
	memcpy(out, "en", 3);
}

enum rb_err
req_report_lang(struct req *r, char lang[3])
{
	char buf[8];
	int n = req_query_param(r, "lang", buf, sizeof(buf));

	if (n == 0) {
		memcpy(lang, "en", 3);
		return RB_OK;
	}
	if (n < 0 || strlen(buf) != 2 || buf[0] < 'a' || buf[0] > 'z' || buf[1] < 'a' ||
	    buf[1] > 'z') {
		resp_error_field(r, 400, "invalid_field", "lang",
		    "lang is the reviewer's language: two lowercase letters, like ar or en");
		return RB_EINVAL;
	}
	memcpy(lang, buf, 3);
	return RB_OK;
}
