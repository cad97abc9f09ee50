/*
 * multipart/form-data (lib/multipart.c). The input is a Content-Type
 * header's boundary parameter, a newline, and a body. Properties: a
 * refusal always says why; an accepted body's parts lie inside it, in
 * order, without overlap, with unique non-empty names; written out again
 * (canonical headers, the same contents) and parsed, it gives the same
 * parts.
 */
#include <string.h>

#include "lib/multipart.h"
#include "tests/fuzz/fuzz.h"

/* Appends a quoted-string with \" and \\ escaped. */
static size_t
put_quoted(char *out, size_t n, const char *s)
{
	out[n++] = '"';
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n++] = '"';
	return n;
}

static void
same_parts(const struct mp_form *a, const struct mp_form *b)
{
	size_t i;

	FUZZ_CHECK(a->nparts == b->nparts);
	for (i = 0; i < a->nparts; i++) {
		const struct mp_part *x = &a->parts[i], *y = &b->parts[i];

		FUZZ_CHECK(strcmp(x->name, y->name) == 0);
		FUZZ_CHECK(x->has_filename == y->has_filename);
		FUZZ_CHECK(strcmp(x->filename, y->filename) == 0);
		FUZZ_CHECK(strcmp(x->content_type, y->content_type) == 0);
		FUZZ_CHECK(x->len == y->len);
		FUZZ_CHECK(x->len == 0 || memcmp(x->data, y->data, x->len) == 0);
	}
}

/* The form written out again, canonically; free() it. */
static char *
rebuild(const struct mp_form *f, const char *b, size_t *len)
{
	size_t cap = 64 + strlen(b), n = 0, i;
	char *out;

	for (i = 0; i < f->nparts; i++)
		cap += f->parts[i].len + 2 * (MP_NAME_MAX + MP_FILENAME_MAX) +
		    MP_CTYPE_MAX + 128 + strlen(b);
	out = malloc(cap);
	FUZZ_CHECK(out != NULL);
	for (i = 0; i < f->nparts; i++) {
		const struct mp_part *p = &f->parts[i];

		n += (size_t)sprintf(out + n, "--%s\r\nContent-Disposition: "
		    "form-data; name=", b);
		n = put_quoted(out, n, p->name);
		if (p->has_filename) {
			memcpy(out + n, "; filename=", 11);
			n = put_quoted(out, n + 11, p->filename);
		}
		memcpy(out + n, "\r\n", 2);
		n += 2;
		if (p->content_type[0] != '\0')
			n += (size_t)sprintf(out + n, "Content-Type: %s\r\n",
			    p->content_type);
		memcpy(out + n, "\r\n", 2);
		n += 2;
		if (p->len > 0)
			memcpy(out + n, p->data, p->len);
		n += p->len;
		memcpy(out + n, "\r\n", 2);
		n += 2;
	}
	if (f->nparts == 0)
		n += (size_t)sprintf(out + n, "--%s--", b);
	else
		n += (size_t)sprintf(out + n - 2, "\r\n--%s--", b) - 2;
	*len = n;
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mp_form f, g;
	char ct[256], boundary[MP_BOUNDARY_MAX + 1], *again;
	const uint8_t *nl = memchr(data, '\n', size < 200 ? size : 200);
	const char *body, *why = NULL, *prev;
	size_t blen, alen, i;

	if (nl == NULL)
		return 0;
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%.*s",
	    (int)(nl - data), (const char *)data);
	if (memchr(data, '\0', (size_t)(nl - data)) != NULL)
		return 0;
	if (mp_boundary(ct, boundary, &why) != RB_OK) {
		FUZZ_CHECK(why != NULL);
		return 0;
	}
	FUZZ_CHECK(boundary[0] != '\0' && strlen(boundary) <= MP_BOUNDARY_MAX);
	body = (const char *)nl + 1;
	blen = size - (size_t)(nl + 1 - data);
	why = NULL;
	if (mp_parse(body, blen, boundary, &f, &why) != RB_OK) {
		FUZZ_CHECK(why != NULL);
		return 0;
	}
	FUZZ_CHECK(f.nparts <= MP_MAX_PARTS);
	prev = body;
	for (i = 0; i < f.nparts; i++) {
		FUZZ_CHECK(f.parts[i].name[0] != '\0');
		FUZZ_CHECK(f.parts[i].data >= prev);
		FUZZ_CHECK(f.parts[i].data + f.parts[i].len <= body + blen);
		FUZZ_CHECK(mp_find(&f, f.parts[i].name) == &f.parts[i]);
		prev = f.parts[i].data + f.parts[i].len;
	}
	again = rebuild(&f, boundary, &alen);
	why = NULL;
	if (mp_parse(again, alen, boundary, &g, &why) != RB_OK) {
		fprintf(stderr, "rebuilt body refused: %s\n", why);
		FUZZ_CHECK(0);
	}
	same_parts(&f, &g);
	free(again);
	return 0;
}
