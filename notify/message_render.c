#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "notify/message_render.h"

struct buf {
	char	*s;	/* owned */
	size_t	 len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
message_format_dirhams(long long dirhams, char out[32])
{
	char digits[24], *o = out;
	unsigned long long v = dirhams < 0 ? 0ULL - (unsigned long long)dirhams :
	    (unsigned long long)dirhams;
	int n, i;

	n = snprintf(digits, sizeof(digits), "%llu", v / 100);
	if (dirhams < 0)
		*o++ = '-';
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			*o++ = ',';
		*o++ = digits[i];
	}
	snprintf(o, 32 - (size_t)(o - out), ".%02llu", v % 100);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Appends the value of placeholder name; 0 when it has none. */
static int
put_value(struct buf *b, const struct catalog *cat, const char *lang, const char *name,
    const json_t *params)
{
	char key[160], num[32];
	const json_t *v = NULL;
	const char *s, *t;

	snprintf(key, sizeof(key), "%s_%s", name, lang);
	if ((v = json_object_get(params, key)) == NULL || !json_is_string(v)) {
		snprintf(key, sizeof(key), "%s_en", name);
		if ((v = json_object_get(params, key)) == NULL || !json_is_string(v))
			v = json_object_get(params, name);
	}
	if (v == NULL) {
		/* Only in some other language: better than nothing. */
		const char *k;
		json_t *x;
		size_t n = strlen(name);

		json_object_foreach((json_t *)params, k, x)
			if (strncmp(k, name, n) == 0 && k[n] == '_' && strlen(k + n + 1) == 2 &&
			    json_is_string(x)) {
				v = x;
				break;
			}
	}
	if (json_is_integer(v)) {
		if (ends_with(name, "_dirhams"))
			message_format_dirhams((long long)json_integer_value(v), num);
		else
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		buf_add(b, num, strlen(num));
		return 1;
	}
	if (!json_is_string(v))
		return 0;
	s = json_string_value(v);
	if (snprintf(key, sizeof(key), "%s.%s", name, s) < (int)sizeof(key) &&
	    (t = catalog_text(cat, lang, key)) != NULL)
		s = t;
	buf_add(b, s, strlen(s));
	return 1;
}

enum rb_err
message_render(const struct catalog *cat, const char *lang, const char *key,
    const json_t *params, char **out, char *err, size_t errsz)
{
	struct buf b = { NULL, 0, 0 };
	const char *t, *p, *close;
	char name[128];

	*out = NULL;
	if ((t = catalog_text(cat, lang, key)) == NULL) {
		snprintf(err, errsz, "no message %s in the catalogues", key);
		return RB_ENOTFOUND;
	}
	buf_add(&b, "", 0);
	for (p = t; *p; ) {
		size_t n;

		if (*p != '{' || (close = strchr(p + 1, '}')) == NULL ||
		    (n = (size_t)(close - p - 1)) == 0 || n >= sizeof(name) ||
		    strspn(p + 1, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
			buf_add(&b, p, 1);
			p++;
			continue;
		}
		memcpy(name, p + 1, n);
		name[n] = '\0';
		if (!put_value(&b, cat, lang, name, params)) {
			snprintf(err, errsz, "message %s: no value for {%s}", key, name);
			free(b.s);
			return RB_EINVAL;
		}
		p = close + 1;
	}
	*out = b.s;
	return RB_OK;
}
