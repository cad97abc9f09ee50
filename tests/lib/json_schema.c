/* The schema checker of tests/lib/json_schema.h. */
#include <ctype.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/json_schema.h"

void
js_errf(struct js_errs *e, const char *fmt, ...)
{
	va_list ap;
	int need;

	va_start(ap, fmt);
	need = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (need < 0)
		abort();
	if (e->len + (size_t)need + 8 > e->cap) {
		e->cap = (e->len + (size_t)need + 8) * 2;
		e->buf = realloc(e->buf, e->cap);
		if (e->buf == NULL)
			abort();
	}
	memcpy(e->buf + e->len, "  - ", 4);
	e->len += 4;
	va_start(ap, fmt);
	vsnprintf(e->buf + e->len, e->cap - e->len, fmt, ap);
	va_end(ap);
	e->len += (size_t)need;
	e->buf[e->len++] = '\n';
	e->buf[e->len] = '\0';
	e->n++;
}

void
js_errs_free(struct js_errs *e)
{
	free(e->buf);
	memset(e, 0, sizeof(*e));
}

/* The node a local reference ("#/components/schemas/Error") names, or NULL. */
json_t *
js_pointer(json_t *root, const char *ref)
{
	char tok[256];
	const char *p, *end;
	json_t *j = root;
	size_t n, i, o;

	if (ref == NULL || strncmp(ref, "#/", 2) != 0)
		return NULL;
	for (p = ref + 2; j != NULL && *p != '\0'; p = *end ? end + 1 : end) {
		end = strchr(p, '/');
		if (end == NULL)
			end = p + strlen(p);
		n = (size_t)(end - p);
		if (n >= sizeof(tok))
			return NULL;
		for (i = o = 0; i < n; i++) {
			if (p[i] == '~' && i + 1 < n && (p[i + 1] == '0' || p[i + 1] == '1')) {
				tok[o++] = p[i + 1] == '0' ? '~' : '/';
				i++;
			} else
				tok[o++] = p[i];
		}
		tok[o] = '\0';
		j = json_object_get(j, tok);
	}
	return j;
}

/* Follows $ref (a chain of them); NULL when one does not resolve. */
json_t *
js_deref(json_t *root, json_t *node)
{
	int hops;

	for (hops = 0; node != NULL && hops < 16; hops++) {
		json_t *r = json_object_get(node, "$ref");

		if (!json_is_string(r))
			return node;
		node = js_pointer(root, json_string_value(r));
	}
	return NULL;
}

int
js_is_date(const char *s)
{
	int y, m, d, i;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 0;
	return 1;
}

int
js_is_date_time(const char *s)
{
	char date[11];

	if (strlen(s) < 20 || s[10] != 'T')
		return 0;
	memcpy(date, s, 10);
	date[10] = '\0';
	return js_is_date(date) && isdigit((unsigned char)s[11]) && s[13] == ':' &&
	    (s[strlen(s) - 1] == 'Z' || strchr(s + 19, '+') != NULL ||
	    strchr(s + 19, '-') != NULL);
}

static const char *
json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	default: return "null";
	}
}

static int
type_ok(const json_t *v, const char *type)
{
	if (strcmp(type, "object") == 0)
		return json_is_object(v);
	if (strcmp(type, "array") == 0)
		return json_is_array(v);
	if (strcmp(type, "string") == 0)
		return json_is_string(v);
	if (strcmp(type, "integer") == 0)
		return json_is_integer(v);
	if (strcmp(type, "number") == 0)
		return json_is_number(v);
	if (strcmp(type, "boolean") == 0)
		return json_is_boolean(v);
	return 0;
}

static void validate(json_t *, const json_t *, json_t *, const char *, struct js_errs *,
    int);

static void
validate_string(const char *s, json_t *schema, const char *where, struct js_errs *e)
{
	const char *pattern = json_string_value(json_object_get(schema, "pattern"));
	const char *format = json_string_value(json_object_get(schema, "format"));
	json_t *minl = json_object_get(schema, "minLength");
	json_t *maxl = json_object_get(schema, "maxLength");
	size_t n = strlen(s);

	if (pattern != NULL) {
		regex_t re;

		if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
			js_errf(e, "%s: the document's pattern %s is not a POSIX ERE", where, pattern);
		else {
			if (regexec(&re, s, 0, NULL, 0) != 0)
				js_errf(e, "%s: \"%s\" does not match %s", where, s, pattern);
			regfree(&re);
		}
	}
	if (format != NULL && strcmp(format, "date") == 0 && !js_is_date(s))
		js_errf(e, "%s: \"%s\" is not a date (YYYY-MM-DD)", where, s);
	if (format != NULL && strcmp(format, "date-time") == 0 && !js_is_date_time(s))
		js_errf(e, "%s: \"%s\" is not a date-time", where, s);
	if (json_is_integer(minl) && (json_int_t)n < json_integer_value(minl))
		js_errf(e, "%s: \"%s\" is shorter than %lld", where, s,
		    (long long)json_integer_value(minl));
	if (json_is_integer(maxl) && (json_int_t)n > json_integer_value(maxl))
		js_errf(e, "%s: \"%s\" is longer than %lld", where, s,
		    (long long)json_integer_value(maxl));
}

static void
validate_object(json_t *root, const json_t *v, json_t *schema, const char *where, struct js_errs *e,
    int depth)
{
	json_t *props = json_object_get(schema, "properties"), *req, *r, *sub;
	json_t *addl = json_object_get(schema, "additionalProperties");
	const char *key;
	char child[512];
	size_t i;

	req = json_object_get(schema, "required");
	json_array_foreach(req, i, r)
		if (json_is_string(r) && json_object_get(v, json_string_value(r)) == NULL)
			js_errf(e, "%s: required property \"%s\" is missing", where,
			    json_string_value(r));
	json_object_foreach((json_t *)v, key, sub) {
		json_t *ps = json_object_get(props, key);

		snprintf(child, sizeof(child), "%s.%s", where, key);
		if (ps != NULL)
			validate(root, sub, ps, child, e, depth + 1);
		else if (json_is_false(addl))
			js_errf(e, "%s: property not in the document", child);
		else if (json_is_object(addl))
			validate(root, sub, addl, child, e, depth + 1);
	}
}

/* Checks v against schema; every mismatch goes to e, named by where. */
static void
validate(json_t *root, const json_t *v, json_t *schema, const char *where, struct js_errs *e, int depth)
{
	json_t *s, *list, *alt, *enm, *x;
	const char *type;
	char child[512];
	size_t i;

	if (depth > 32) {
		js_errf(e, "%s: schema nesting too deep (a $ref loop?)", where);
		return;
	}
	if ((s = js_deref(root, schema)) == NULL || !json_is_object(s)) {
		js_errf(e, "%s: the document's schema or its $ref does not resolve", where);
		return;
	}
	if ((list = json_object_get(s, "allOf")) != NULL)
		json_array_foreach(list, i, alt)
			validate(root, v, alt, where, e, depth + 1);
	if ((list = json_object_get(s, "anyOf")) != NULL ||
	    (list = json_object_get(s, "oneOf")) != NULL) {
		int one = json_object_get(s, "oneOf") != NULL, matches = 0;

		json_array_foreach(list, i, alt) {
			struct js_errs scratch = { NULL, 0, 0, 0 };

			validate(root, v, alt, where, &scratch, depth + 1);
			matches += scratch.n == 0;
			js_errs_free(&scratch);
		}
		if (matches == 0 || (one && matches > 1))
			js_errf(e, "%s: matches %d of the %s alternatives", where, matches,
			    one ? "oneOf" : "anyOf");
	}
	if (json_is_null(v)) {
		if (!json_is_true(json_object_get(s, "nullable")) &&
		    json_object_get(s, "type") != NULL)
			js_errf(e, "%s: null, but the document does not say nullable", where);
		return;
	}
	type = json_string_value(json_object_get(s, "type"));
	if (type != NULL && !type_ok(v, type)) {
		js_errf(e, "%s: is %s, the document says %s", where, json_type_name(v), type);
		return;
	}
	if ((enm = json_object_get(s, "enum")) != NULL) {
		int found = 0;

		json_array_foreach(enm, i, x)
			found |= json_equal((json_t *)v, x);
		if (!found) {
			char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

			js_errf(e, "%s: %s is not one of the documented values", where,
			    text ? text : "?");
			free(text);
		}
	}
	if (json_is_string(v))
		validate_string(json_string_value(v), s, where, e);
	if (json_is_integer(v)) {
		json_t *min = json_object_get(s, "minimum"), *max = json_object_get(s, "maximum");

		if (json_is_number(min) && json_integer_value(v) < json_number_value(min))
			js_errf(e, "%s: %lld is below the minimum", where,
			    (long long)json_integer_value(v));
		if (json_is_number(max) && json_integer_value(v) > json_number_value(max))
			js_errf(e, "%s: %lld is above the maximum", where,
			    (long long)json_integer_value(v));
	}
	if (json_is_array(v)) {
		json_t *items = json_object_get(s, "items");
		json_t *mn = json_object_get(s, "minItems"), *mx = json_object_get(s, "maxItems");

		if (json_is_integer(mn) && (json_int_t)json_array_size(v) < json_integer_value(mn))
			js_errf(e, "%s: fewer items than %lld", where, (long long)json_integer_value(mn));
		if (json_is_integer(mx) && (json_int_t)json_array_size(v) > json_integer_value(mx))
			js_errf(e, "%s: more items than %lld", where, (long long)json_integer_value(mx));
		if (items != NULL)
			json_array_foreach((json_t *)v, i, x) {
				snprintf(child, sizeof(child), "%s[%zu]", where, i);
				validate(root, x, items, child, e, depth + 1);
			}
	}
	if (json_is_object(v))
		validate_object(root, v, s, where, e, depth);
}

void
js_validate(json_t *root, const json_t *v, json_t *schema, const char *where,
    struct js_errs *e)
{
	validate(root, v, schema, where, e, 0);
}
