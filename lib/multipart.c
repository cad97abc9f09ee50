/* multipart/form-data, strictly and in place (lib/multipart.h). */
#include <string.h>
#include <strings.h>

#include "lib/multipart.h"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* s[0..n) starts with the lowercase word w, case-insensitively. */
static int
starts_ci(const char *s, size_t n, const char *w)
{
	size_t i, wl = strlen(w);

	if (n < wl)
		return 0;
	for (i = 0; i < wl; i++)
		if (lower((unsigned char)s[i]) != w[i])
			return 0;
	return 1;
}

/* RFC 2046 bchars (space allowed, but not last). */
static int
bchar(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || strchr("'()+_,-./:=? ", c) != NULL;
}

static int
ows(int c)
{
	return c == ' ' || c == '\t';
}

/* RFC 7230 tchar. */
static int
tchar(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/*
 * A parameter value at *p (token, or quoted-string with \" and \\
 * escapes) into out (outsz bytes with the NUL); *p is moved past it.
 * Refuses control characters and values that do not fit.
 */
static enum rb_err
param_value(const char **p, const char *end, char *out, size_t outsz,
    const char **why)
{
	const char *s = *p;
	size_t n = 0;

	if (s < end && *s == '"') {
		for (s++; s < end && *s != '"'; s++) {
			if (*s == '\\') {
				if (s + 1 >= end || (s[1] != '"' && s[1] != '\\')) {
					*why = "a bad escape in a quoted value";
					return RB_EINVAL;
				}
				s++;
			}
			if ((unsigned char)*s < 0x20 || *s == 0x7f) {
				*why = "a control character in a header value";
				return RB_EINVAL;
			}
			if (n + 1 >= outsz) {
				*why = "a header value is too long";
				return RB_EINVAL;
			}
			out[n++] = *s;
		}
		if (s >= end) {
			*why = "an unterminated quoted value";
			return RB_EINVAL;
		}
		s++;
	} else {
		for (; s < end && tchar((unsigned char)*s); s++) {
			if (n + 1 >= outsz) {
				*why = "a header value is too long";
				return RB_EINVAL;
			}
			out[n++] = *s;
		}
	}
	out[n] = '\0';
	*p = s;
	return RB_OK;
}

enum rb_err
mp_boundary(const char *ct, char out[MP_BOUNDARY_MAX + 1], const char **why)
{
	const char *p, *end;
	char name[32];
	int found = 0;

	out[0] = '\0';
	if (ct == NULL || !starts_ci(ct, strlen(ct), "multipart/form-data")) {
		*why = "the content type must be multipart/form-data";
		return RB_EINVAL;
	}
	p = ct + strlen("multipart/form-data");
	end = ct + strlen(ct);
	for (;;) {
		size_t n = 0;

		while (p < end && ows((unsigned char)*p))
			p++;
		if (p == end)
			break;
		if (*p++ != ';')
			goto bad;
		while (p < end && ows((unsigned char)*p))
			p++;
		while (p < end && tchar((unsigned char)*p) && n + 1 < sizeof(name))
			name[n++] = (char)lower((unsigned char)*p++);
		name[n] = '\0';
		if (n == 0 || p >= end || *p++ != '=')
			goto bad;
		if (strcmp(name, "boundary") == 0) {
			char tmp[MP_BOUNDARY_MAX + 1];

			if (found) {
				*why = "two boundary parameters";
				return RB_EINVAL;
			}
			if (param_value(&p, end, tmp, sizeof(tmp), why) != RB_OK) {
				*why = "the boundary is too long or malformed";
				return RB_EINVAL;
			}
			memcpy(out, tmp, strlen(tmp) + 1);
			found = 1;
		} else {
			char skip[256];

			if (param_value(&p, end, skip, sizeof(skip), why) != RB_OK)
				return RB_EINVAL;
		}
	}
	if (!found || out[0] == '\0') {
		*why = "the content type has no boundary";
		return RB_EINVAL;
	}
	for (p = out; *p != '\0'; p++)
		if (!bchar((unsigned char)*p)) {
			*why = "the boundary has a character RFC 2046 does not allow";
			return RB_EINVAL;
		}
	if (out[strlen(out) - 1] == ' ') {
		*why = "the boundary ends with a space";
		return RB_EINVAL;
	}
	return RB_OK;
bad:
	*why = "a malformed content type parameter";
	return RB_EINVAL;
}

/* No control characters (C0 or DEL) in s. */
static int
clean(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* Content-Disposition's value: form-data; name="..."[; filename="..."]. */
static enum rb_err
disposition(const char *p, const char *end, struct mp_part *pt,
    const char **why)
{
	int has_name = 0;

	if (!starts_ci(p, (size_t)(end - p), "form-data")) {
		*why = "a part's Content-Disposition is not form-data";
		return RB_EINVAL;
	}
	p += strlen("form-data");
	for (;;) {
		char pname[32], val[MP_FILENAME_MAX + 1];
		size_t n = 0;

		while (p < end && ows((unsigned char)*p))
			p++;
		if (p == end)
			break;
		if (*p++ != ';')
			goto bad;
		while (p < end && ows((unsigned char)*p))
			p++;
		while (p < end && tchar((unsigned char)*p) && n + 1 < sizeof(pname))
			pname[n++] = (char)lower((unsigned char)*p++);
		pname[n] = '\0';
		if (n == 0 || p >= end || *p++ != '=')
			goto bad;
		if (param_value(&p, end, val, sizeof(val), why) != RB_OK)
			return RB_EINVAL;
		if (strcmp(pname, "name") == 0) {
			if (has_name) {
				*why = "a part names itself twice";
				return RB_EINVAL;
			}
			if (val[0] == '\0' || strlen(val) > MP_NAME_MAX) {
				*why = "a part's name is empty or too long";
				return RB_EINVAL;
			}
			memcpy(pt->name, val, strlen(val) + 1);
			has_name = 1;
		} else if (strcmp(pname, "filename") == 0) {
			if (pt->has_filename) {
				*why = "a part has two file names";
				return RB_EINVAL;
			}
			memcpy(pt->filename, val, strlen(val) + 1);
			pt->has_filename = 1;
		}
		/* Other parameters (filename*) carry nothing we use. */
	}
	if (!has_name) {
		*why = "a part has no name";
		return RB_EINVAL;
	}
	return RB_OK;
bad:
	*why = "a malformed Content-Disposition";
	return RB_EINVAL;
}

/* One header line [p, end) (no CRLF) into pt. */
static enum rb_err
header_line(const char *p, const char *end, struct mp_part *pt, int *has_cd,
    const char **why)
{
	const char *colon = memchr(p, ':', (size_t)(end - p)), *v;
	size_t i, vn;

	if (p < end && ows((unsigned char)*p)) {
		*why = "folded part headers";
		return RB_EINVAL;
	}
	if (colon == NULL || colon == p) {
		*why = "a malformed part header";
		return RB_EINVAL;
	}
	for (v = p; v < colon; v++)
		if (!tchar((unsigned char)*v)) {
			*why = "a malformed part header name";
			return RB_EINVAL;
		}
	for (v = colon + 1; v < end && ows((unsigned char)*v); v++)
		;
	while (end > v && ows((unsigned char)end[-1]))
		end--;
	for (i = 0; v + i < end; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			*why = "a control character in a part header";
			return RB_EINVAL;
		}
	vn = (size_t)(end - v);
	if ((size_t)(colon - p) == strlen("content-disposition") &&
	    starts_ci(p, (size_t)(colon - p), "content-disposition")) {
		if (*has_cd) {
			*why = "a part has two Content-Disposition headers";
			return RB_EINVAL;
		}
		*has_cd = 1;
		return disposition(v, end, pt, why);
	}
	if ((size_t)(colon - p) == strlen("content-type") &&
	    starts_ci(p, (size_t)(colon - p), "content-type")) {
		if (pt->content_type[0] != '\0' || vn == 0 || vn > MP_CTYPE_MAX) {
			*why = "a part's Content-Type is repeated, empty or too long";
			return RB_EINVAL;
		}
		memcpy(pt->content_type, v, vn);
		pt->content_type[vn] = '\0';
		return RB_OK;
	}
	if ((size_t)(colon - p) == strlen("content-transfer-encoding") &&
	    starts_ci(p, (size_t)(colon - p), "content-transfer-encoding") &&
	    !(vn == 6 && starts_ci(v, vn, "binary")) &&
	    !(vn == 4 && starts_ci(v, vn, "8bit")) &&
	    !(vn == 4 && starts_ci(v, vn, "7bit"))) {
		/* RFC 7578 §4.7: senders do not encode; we do not decode. */
		*why = "a part has a Content-Transfer-Encoding";
		return RB_EINVAL;
	}
	return RB_OK;	/* another header: nothing we use */
}

/* The headers [p, end) of a part, lines ending in CRLF. */
static enum rb_err
headers(const char *p, const char *end, struct mp_part *pt, const char **why)
{
	int has_cd = 0;

	while (p < end) {
		const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);

		if (eol == NULL)
			eol = end;
		if (memchr(p, '\n', (size_t)(eol - p)) != NULL ||
		    memchr(p, '\r', (size_t)(eol - p)) != NULL) {
			*why = "a bare CR or LF in the part headers";
			return RB_EINVAL;
		}
		if (header_line(p, eol, pt, &has_cd, why) != RB_OK)
			return RB_EINVAL;
		p = eol + 2;
	}
	if (!has_cd) {
		*why = "a part has no Content-Disposition";
		return RB_EINVAL;
	}
	return RB_OK;
}

enum rb_err
mp_parse(const char *body, size_t len, const char *boundary,
    struct mp_form *form, const char **why)
{
	/* "\r\n--" boundary: the delimiter before every part but the first. */
	char delim[MP_BOUNDARY_MAX + 5];
	size_t bl = strlen(boundary), dl, i;
	const char *p, *end = body + len;

	memset(form, 0, sizeof(*form));
	if (bl == 0 || bl > MP_BOUNDARY_MAX) {
		*why = "a bad boundary";
		return RB_EINVAL;
	}
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, bl);
	dl = 4 + bl;
	/* No preamble: the body starts with the first delimiter. */
	if (len < dl - 2 || memcmp(body, delim + 2, dl - 2) != 0) {
		*why = "the body does not start with the boundary";
		return RB_EINVAL;
	}
	p = body + dl - 2;
	for (;;) {
		struct mp_part *pt;
		const char *hend, *next;

		/* After a delimiter: "--" closes, CRLF opens a part. */
		if ((size_t)(end - p) >= 2 && p[0] == '-' && p[1] == '-') {
			p += 2;
			if (p == end || ((size_t)(end - p) == 2 && p[0] == '\r' &&
			    p[1] == '\n'))
				break;
			*why = "data after the closing boundary";
			return RB_EINVAL;
		}
		if ((size_t)(end - p) < 2 || p[0] != '\r' || p[1] != '\n') {
			*why = "a boundary not followed by CRLF";
			return RB_EINVAL;
		}
		p += 2;
		if (form->nparts == MP_MAX_PARTS) {
			*why = "too many parts";
			return RB_EINVAL;
		}
		pt = &form->parts[form->nparts];
		hend = memmem(p, (size_t)(end - p) < MP_HEADERS_MAX + 4 ?
		    (size_t)(end - p) : MP_HEADERS_MAX + 4, "\r\n\r\n", 4);
		if (hend == NULL) {
			*why = (size_t)(end - p) > MP_HEADERS_MAX ?
			    "a part's headers are too long" :
			    "a part's headers do not end";
			return RB_EINVAL;
		}
		if (headers(p, hend + 2, pt, why) != RB_OK)
			return RB_EINVAL;
		p = hend + 4;
		next = memmem(p, (size_t)(end - p), delim, dl);
		if (next == NULL) {
			*why = "the body ends before the closing boundary";
			return RB_EINVAL;
		}
		pt->data = p;
		pt->len = (size_t)(next - p);
		for (i = 0; i < form->nparts; i++)
			if (strcmp(form->parts[i].name, pt->name) == 0) {
				*why = "two parts of the same name";
				return RB_EINVAL;
			}
		if (!clean(pt->name) || (pt->has_filename && !clean(pt->filename))) {
			*why = "a control character in a part's name";
			return RB_EINVAL;
		}
		form->nparts++;
		p = next + dl;
	}
	return RB_OK;
}

const struct mp_part *
mp_find(const struct mp_form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nparts; i++)
		if (strcmp(f->parts[i].name, name) == 0)
			return &f->parts[i];
	return NULL;
}
