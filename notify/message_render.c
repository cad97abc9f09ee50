#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/plural.h"
#include "domain/reader_name.h"
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
	char m[MONEY_MAX];
	size_t n;

	message_format_dirhams_lang("en", dirhams, m);
	/* English's longest is 30 bytes: the cut never happens. */
	if ((n = strlen(m)) > 31)
		n = 31;
	memcpy(out, m, n);
	out[n] = '\0';
}

/*
 * How lang writes an amount, as CLDR and the browsers' Intl have it (the
 * web interface shows the same figures): the group and decimal marks, and
 * the grouping: 3 digits (1,234,567.00), Indian for Malayalam (12,34,567.00),
 * none below five digits for Spanish (1234,00 but 12.345,00). French groups
 * with U+202F NARROW NO-BREAK SPACE, which never breaks a line.
 */
void
message_format_dirhams_lang(const char *lang, long long dirhams, char out[MONEY_MAX])
{
	const char *group = ",", *decimal = ".";
	int indian = 0, min_group = 4;
	char digits[24], *o = out;
	unsigned long long v = dirhams < 0 ? 0ULL - (unsigned long long)dirhams :
	    (unsigned long long)dirhams;
	int n, i;

	if (lang != NULL && strcmp(lang, "fr") == 0) {
		group = "\xe2\x80\xaf";	/* U+202F in UTF-8 */
		decimal = ",";
	} else if (lang != NULL && strcmp(lang, "es") == 0) {
		group = ".";
		decimal = ",";
		min_group = 5;
	} else if (lang != NULL && strcmp(lang, "ml") == 0)
		indian = 1;
	n = snprintf(digits, sizeof(digits), "%llu", v / 100);
	if (dirhams < 0)
		*o++ = '-';
	for (i = 0; i < n; i++) {
		int left = n - i;	/* digits from here to the end */

		/* Marks before the last three digits, then every three (every
		 * two in Indian grouping); none when the number is short. */
		if (i > 0 && n >= min_group && (left == 3 ||
		    (left > 3 && (indian ? (left - 3) % 2 == 0 : left % 3 == 0)))) {
			memcpy(o, group, strlen(group));
			o += strlen(group);
		}
		*o++ = digits[i];
	}
	snprintf(o, MONEY_MAX - (size_t)(o - out), "%s%02llu", decimal, v % 100);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A catalogue text reached through a value is rendered too, to this depth:
 * texts are ours, a loop among them is cut rather than followed. */
#define NEST_MAX	4

struct render {
	const struct catalog	*cat;
	const char		*lang;
	const json_t		*params;
	const char		*key;		/* the message's, for errors */
	int			 has_n;		/* inside a counted form: {n} */
	long long		 n;
	int			 depth;
	char			*err;
	size_t			 errsz;
};

static enum rb_err	render_text(const struct render *, const char *text, struct buf *);

/* A calendar date YYYY-MM-DD, exactly. */
static int
is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	for (i = 0; i < sizeof(shape) - 1; i++)
		if (s[i] == '\0' || (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-'))
			return 0;
	return s[i] == '\0';
}

/* A date as the reader's catalogue writes it ("date.format": "{d}/{m}/{y}"),
 * or as it is when the catalogue has no format (ISO, as English). */
static void
put_date(const struct render *r, const char *ymd, struct buf *b)
{
	const char *f = catalog_text_own(r->cat, r->lang, "date.format"), *p;

	if (f == NULL) {
		buf_add(b, ymd, strlen(ymd));
		return;
	}
	for (p = f; *p; p++) {
		if (strncmp(p, "{y}", 3) == 0) {
			buf_add(b, ymd, 4);
			p += 2;
		} else if (strncmp(p, "{m}", 3) == 0) {
			buf_add(b, ymd + 5, 2);
			p += 2;
		} else if (strncmp(p, "{d}", 3) == 0) {
			buf_add(b, ymd + 8, 2);
			p += 2;
		} else
			buf_add(b, p, 1);
	}
}

/* A value to write: a list, or a text that is not empty. */
static int
usable(const json_t *v)
{
	return v != NULL && (json_is_array(v) || (json_is_string(v) && json_string_length(v) > 0));
}

/* The placeholders that are the registry's names of a company or person,
 * given in its two scripts: not the e-services', which are the ministry's
 * own words (their English name is the one the portal shows in the four
 * new languages). */
static int
registry_name(const char *name)
{
	static const char *const names[] = { "company", "grantor", "actor", "person" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* The value of name: name_<lang>; else, for a registry name (company_ar,
 * company_en), the script its reader sees (domain/reader_name.h: Arabic
 * for Urdu, Latin for French, Spanish, Malayalam), the other when empty;
 * name_en, name, else name_<any language>. */
static const json_t *
find_value(const json_t *params, const char *lang, const char *name)
{
	char key[160];
	const json_t *v;
	const char *k;
	json_t *x;
	size_t n = strlen(name);

	snprintf(key, sizeof(key), "%s_%s", name, lang);
	if ((v = json_object_get(params, key)) != NULL && (json_is_string(v) || json_is_array(v)))
		return v;
	if (registry_name(name)) {
		snprintf(key, sizeof(key), "%s_%s", name, reader_name_arabic(lang) ? "ar" : "en");
		if (usable(v = json_object_get(params, key)))
			return v;
		snprintf(key, sizeof(key), "%s_%s", name, reader_name_arabic(lang) ? "en" : "ar");
		if (usable(v = json_object_get(params, key)))
			return v;
	}
	snprintf(key, sizeof(key), "%s_en", name);
	if ((v = json_object_get(params, key)) != NULL && (json_is_string(v) || json_is_array(v)))
		return v;
	if ((v = json_object_get(params, name)) != NULL)
		return v;
	/* Only in some other language: better than nothing. */
	json_object_foreach((json_t *)params, k, x)
		if (strncmp(k, name, n) == 0 && k[n] == '_' && strlen(k + n + 1) == 2 &&
		    (json_is_string(x) || json_is_array(x)))
			return x;
	return NULL;
}

/*
 * The counted form of name for n in lang's own catalogue: "name.=n" (an
 * exact number: "days.=0" is "today"), else "name.<plural category>", else
 * "name.other"; NULL when lang has none of them.
 */
static const char *
counted_form(const struct catalog *cat, const char *lang, const char *name, long long n)
{
	char key[160];
	const char *t;

	snprintf(key, sizeof(key), "%s.=%lld", name, n);
	if ((t = catalog_text_own(cat, lang, key)) != NULL)
		return t;
	snprintf(key, sizeof(key), "%s.%s", name,
	    plural_category_name(plural_category(lang, n)));
	if ((t = catalog_text_own(cat, lang, key)) != NULL)
		return t;
	snprintf(key, sizeof(key), "%s.other", name);
	return catalog_text_own(cat, lang, key);
}

/* Renders a catalogue text reached through the value of name. */
static enum rb_err
nested(const struct render *r, const char *text, int has_n, long long n, struct buf *b)
{
	struct render in = *r;

	if (r->depth >= NEST_MAX) {
		snprintf(r->err, r->errsz, "message %s: texts nested too deep", r->key);
		return RB_EINVAL;
	}
	in.depth++;
	in.has_n = has_n;
	in.n = n;
	return render_text(&in, text, b);
}

/* A list of names, joined with "name.separator" and "name.last_separator"
 * (they may quote: "A", "B" and "C"). */
static void
put_list(const struct render *r, const char *name, const json_t *list, struct buf *b)
{
	char skey[160], lkey[160];
	const char *sep, *last;
	size_t i, n = json_array_size(list);

	snprintf(skey, sizeof(skey), "%s.separator", name);
	snprintf(lkey, sizeof(lkey), "%s.last_separator", name);
	if ((sep = catalog_text(r->cat, r->lang, skey)) == NULL)
		sep = ", ";
	if ((last = catalog_text(r->cat, r->lang, lkey)) == NULL)
		last = sep;
	for (i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(list, i));
		const char *t = i + 1 == n ? last : sep;

		if (i > 0)
			buf_add(b, t, strlen(t));
		if (s)
			buf_add(b, s, strlen(s));
	}
}

/* Appends the value of placeholder name. */
static enum rb_err
put_value(const struct render *r, const char *name, struct buf *b)
{
	char key[160], num[MONEY_MAX];
	const json_t *v;
	const char *s, *t;

	if (r->has_n && strcmp(name, "n") == 0) {
		snprintf(num, sizeof(num), "%lld", r->n);
		buf_add(b, num, strlen(num));
		return RB_OK;
	}
	v = find_value(r->params, r->lang, name);
	if (json_is_integer(v)) {
		long long n = (long long)json_integer_value(v);

		if (ends_with(name, "_dirhams")) {
			message_format_dirhams_lang(r->lang, n, num);
			buf_add(b, num, strlen(num));
			return RB_OK;
		}
		/* A counted noun takes the form of the reader's language, or of
		 * English when that language has no forms of it. */
		if ((t = counted_form(r->cat, r->lang, name, n)) != NULL ||
		    (t = counted_form(r->cat, "en", name, n)) != NULL)
			return nested(r, t, 1, n, b);
		snprintf(num, sizeof(num), "%lld", n);
		buf_add(b, num, strlen(num));
		return RB_OK;
	}
	if (json_is_array(v)) {
		put_list(r, name, v, b);
		return RB_OK;
	}
	if (!json_is_string(v)) {
		snprintf(r->err, r->errsz, "message %s: no value for {%s}", r->key, name);
		return RB_EINVAL;
	}
	s = json_string_value(v);
	if (snprintf(key, sizeof(key), "%s.%s", name, s) < (int)sizeof(key) &&
	    (t = catalog_text(r->cat, r->lang, key)) != NULL)
		return nested(r, t, r->has_n, r->n, b);
	if (is_date(s)) {
		put_date(r, s, b);
		return RB_OK;
	}
	buf_add(b, s, strlen(s));
	return RB_OK;
}

static enum rb_err
render_text(const struct render *r, const char *text, struct buf *b)
{
	const char *p, *close;
	char name[128];
	enum rb_err rc;

	for (p = text; *p; ) {
		size_t n;

		if (*p != '{' || (close = strchr(p + 1, '}')) == NULL ||
		    (n = (size_t)(close - p - 1)) == 0 || n >= sizeof(name) ||
		    strspn(p + 1, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
			buf_add(b, p, 1);
			p++;
			continue;
		}
		memcpy(name, p + 1, n);
		name[n] = '\0';
		if ((rc = put_value(r, name, b)) != RB_OK)
			return rc;
		p = close + 1;
	}
	return RB_OK;
}

enum rb_err
message_render(const struct catalog *cat, const char *lang, const char *key,
    const json_t *params, char **out, char *err, size_t errsz)
{
	struct render r = { cat, lang, params, key, 0, 0, 0, err, errsz };
	struct buf b = { NULL, 0, 0 };
	const char *t;
	enum rb_err rc;

	*out = NULL;
	if ((t = catalog_text(cat, lang, key)) == NULL) {
		snprintf(err, errsz, "no message %s in the catalogues", key);
		return RB_ENOTFOUND;
	}
	buf_add(&b, "", 0);
	if ((rc = render_text(&r, t, &b)) != RB_OK) {
		free(b.s);
		return rc;
	}
	*out = b.s;
	return RB_OK;
}
