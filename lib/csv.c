#include <stdlib.h>
#include <string.h>

#include "lib/csv.h"
#include "lib/xalloc.h"

/*
 * The separator of the file, from its first line: Excel writes ';' where
 * the decimal mark is a comma (many locales), ',' elsewhere. Counts both
 * outside quotes; ';' only when it is the more frequent, so a comma file
 * with a semicolon in a quoted note stays a comma file.
 */
static char
header_sep(const char *p, const char *end)
{
	size_t commas = 0, semis = 0;
	int quoted = 0;

	for (; p < end && (quoted || *p != '\n'); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == ',')
			commas++;
		else if (!quoted && *p == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}

void
csv_init(struct csv_reader *c, const char *buf, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->p = buf;
	c->end = buf + len;
	c->line = 1;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
	c->sep = header_sep(c->p, c->end);
}

void
csv_free(struct csv_reader *c)
{
	free(c->scratch);
	c->scratch = NULL;
}

/* Skips the rest of a broken record up to the next line. */
static int
skip_line(struct csv_reader *c)
{
	while (c->p < c->end && *c->p != '\n')
		c->p++;
	if (c->p < c->end) {
		c->p++;
		c->line++;
	}
	return -1;
}

int
csv_next(struct csv_reader *c, const char **fields, size_t *nfields, size_t *line)
{
	size_t need = 2 * (size_t)(c->end - c->p) + 2, o = 0, nf = 0;
	char *w;

	if (c->p >= c->end)
		return 0;
	/* The record can't be longer than what is left: size scratch once. */
	if (c->scratch_sz < need) {
		c->scratch = xrealloc(c->scratch, need);
		c->scratch_sz = need;
	}
	w = c->scratch;
	*line = c->line;
	for (;;) {
		size_t start = o;

		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p >= c->end)
					return skip_line(c);
				if (*c->p == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"') {
						w[o++] = '"';
						c->p += 2;
						continue;
					}
					c->p++;
					break;
				}
				if (*c->p == '\0')
					return skip_line(c);
				if (*c->p == '\n')
					c->line++;
				w[o++] = *c->p++;
			}
			if (c->p < c->end && *c->p != c->sep && *c->p != '\n' &&
			    !(*c->p == '\r' && (c->p + 1 == c->end || c->p[1] == '\n')))
				return skip_line(c);
		} else {
			while (c->p < c->end && *c->p != c->sep && *c->p != '\n') {
				if (*c->p == '\0' || *c->p == '"')
					return skip_line(c);
				if (*c->p == '\r' && (c->p + 1 == c->end || c->p[1] == '\n')) {
					c->p++;
					continue;
				}
				w[o++] = *c->p++;
			}
		}
		w[o++] = '\0';
		if (nf < CSV_MAX_FIELDS)
			fields[nf] = w + start;
		nf++;
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p >= c->end)
			break;
		if (*c->p == '\n') {
			c->p++;
			c->line++;
			break;
		}
		c->p++;	/* the separator */
	}
	*nfields = nf;
	return 1;
}

const char *
cell_guard(const char *s)
{
	return s != NULL && *s != '\0' && strchr("=+-@\t\r", *s) != NULL ? "'" : "";
}

void
csv_writer_init(struct csv_writer *w)
{
	memset(w, 0, sizeof(*w));
}

void
csv_writer_free(struct csv_writer *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

/* Room for n more bytes. */
static void
reserve(struct csv_writer *w, size_t n)
{
	if (w->len + n <= w->cap)
		return;
	w->cap = (w->len + n) * 2 < 4096 ? 4096 : (w->len + n) * 2;
	w->buf = xrealloc(w->buf, w->cap);
}

void
csv_field(struct csv_writer *w, const char *s)
{
	const char *g;
	char *o;

	if (s == NULL)
		s = "";
	/* Every byte doubled at worst, the quotes, the prefix, the comma. */
	reserve(w, 2 * strlen(s) + 8);
	o = w->buf + w->len;
	if (w->fields++ > 0)
		*o++ = ',';
	*o++ = '"';
	for (g = cell_guard(s); *g != '\0'; g++)
		*o++ = *g;
	for (; *s != '\0'; s++) {
		if (*s == '"')
			*o++ = '"';
		*o++ = *s;
	}
	*o++ = '"';
	w->len = (size_t)(o - w->buf);
}

void
csv_end_line(struct csv_writer *w)
{
	reserve(w, 2);
	w->buf[w->len++] = '\r';
	w->buf[w->len++] = '\n';
	w->fields = 0;
}

void
csv_bom(struct csv_writer *w)
{
	reserve(w, 3);
	memcpy(w->buf + w->len, "\xEF\xBB\xBF", 3);
	w->len += 3;
}

void
csv_line(struct csv_writer *w, const char *text)
{
	size_t n = strlen(text);

	reserve(w, n);
	memcpy(w->buf + w->len, text, n);
	w->len += n;
	csv_end_line(w);
}
