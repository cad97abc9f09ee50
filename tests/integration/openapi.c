/*
 * The OpenAPI document (docs/openapi.json) against the running server:
 * it describes every route of the route table and nothing else, and what
 * the server really answers (status and body) is what it documents.
 *
 * The document is checked with a small schema checker of our own (type,
 * nullable, enum, pattern, format date, properties, required,
 * additionalProperties false, items, allOf/anyOf/oneOf and $ref within the
 * document), not an external validator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "http_client.h"

#define SIGNATORY	"27263410001"	/* signs for 10000001 and 10000002 */
#define SIGNATORY_PW	"demo-signatory"
#define REVIEWER	"28863410006"
#define REVIEWER_PW	"demo-reviewer"
#define SERVICE		"svc-visa"
#define SERVICE_PW	"demo-service"

/* Who sends the signed-in request of an example. */
enum who {
	ANON,		/* nobody: a fresh client without a cookie */
	SIGNATORY_U,
	REVIEWER_U,
	SERVICE_U,
	FRESH,		/* a session of its own (signed in just for this request) */
};

/*
 * One valid, minimal request per documented operation, built on the base
 * fixture, that leaves the state other tests rely on as it was.
 */
struct example {
	const char	*method;	/* as in routes.c */
	const char	*pattern;	/* the path template of the route */
	const char	*path;		/* concrete path (and query) */
	enum who	 who;
	const char	*body;		/* JSON text, or NULL for no body */
	long		 expect;	/* the status this request must get */
};

static const struct example examples[] = {
	{ "GET", "/api/v1/health", "/api/v1/health", ANON, NULL, 200 },
	{ "POST", "/api/v1/session", "/api/v1/session", ANON,
	    "{\"username\":\"" REVIEWER "\",\"password\":\"" REVIEWER_PW "\"}", 201 },
	{ "DELETE", "/api/v1/session", "/api/v1/session", FRESH, NULL, 200 },
	{ "GET", "/api/v1/me", "/api/v1/me", SIGNATORY_U, NULL, 200 },
	{ "GET", "/api/v1/services", "/api/v1/services", SIGNATORY_U, NULL, 200 },
	{ "GET", "/api/v1/authorize",
	    "/api/v1/authorize?qid=" SIGNATORY "&est_id=10000001&service=RP_RENEW",
	    SERVICE_U, NULL, 200 },
	{ "GET", "/api/v1/companies/{est_id}/grants",
	    "/api/v1/companies/10000001/grants?limit=10&offset=0&include_revoked=true",
	    SIGNATORY_U, NULL, 200 },
	/* A person no other test uses; revoked again right after (see below). */
	{ "POST", "/api/v1/companies/{est_id}/grants",
	    "/api/v1/companies/10000001/grants", SIGNATORY_U,
	    "{\"qid\":\"29935600212\",\"services\":[\"TRAVEL_NOTICE\"],\"valid_until\":null}",
	    201 },
	{ "DELETE", "/api/v1/companies/{est_id}/grants/{id}",
	    "/api/v1/companies/10000001/grants/999999999", SIGNATORY_U, NULL, 404 },
	{ "GET", "/api/v1/companies/{est_id}/employees",
	    "/api/v1/companies/10000001/employees?limit=5", REVIEWER_U, NULL, 200 },
	/* Already active: changes nothing. */
	{ "POST", "/api/v1/persons/{qid}/status", "/api/v1/persons/29935600211/status",
	    SERVICE_U, "{\"status\":\"active\"}", 200 },
	/* The signatory has no employment at 10000003: nothing to end. */
	{ "POST", "/api/v1/persons/{qid}/employment/{est_id}/end",
	    "/api/v1/persons/" SIGNATORY "/employment/10000003/end", SERVICE_U, NULL, 404 },
};
#define NEXAMPLES (sizeof(examples) / sizeof(examples[0]))

static const char *const http_methods[] = {
	"get", "put", "post", "delete", "options", "head", "patch", "trace", NULL
};

static json_t		*spec;
static struct client	 users[FRESH];	/* indexed by enum who; [ANON] unused */

/* ---- problems, collected so that one run lists them all ---------------- */

struct errs {
	char	*buf;
	size_t	 len, cap;
	int	 n;
};

static void
errf(struct errs *e, const char *fmt, ...)
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

static void
errs_free(struct errs *e)
{
	free(e->buf);
	memset(e, 0, sizeof(*e));
}

/* Fails the test with every problem listed. */
static void
errs_report(struct errs *e, const char *what)
{
	if (e->n > 0) {
		print_error("%s: %d problem(s):\n%s", what, e->n, e->buf);
		errs_free(e);
		fail_msg("%s: see the problems listed above", what);
	}
	errs_free(e);
}

/* ---- the document -------------------------------------------------------- */

/* The node a local reference ("#/components/schemas/Error") names, or NULL. */
static json_t *
pointer(const char *ref)
{
	char tok[256];
	const char *p, *end;
	json_t *j = spec;
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
static json_t *
deref(json_t *node)
{
	int hops;

	for (hops = 0; node != NULL && hops < 16; hops++) {
		json_t *r = json_object_get(node, "$ref");

		if (!json_is_string(r))
			return node;
		node = pointer(json_string_value(r));
	}
	return NULL;
}

static json_t *
operation(const char *pattern, const char *method)
{
	char m[16];
	size_t i;

	for (i = 0; method[i] != '\0' && i + 1 < sizeof(m); i++)
		m[i] = (char)tolower((unsigned char)method[i]);
	m[i] = '\0';
	return json_object_get(json_object_get(json_object_get(spec, "paths"), pattern), m);
}

static int
is_http_method(const char *key)
{
	size_t i;

	for (i = 0; http_methods[i] != NULL; i++)
		if (strcmp(key, http_methods[i]) == 0)
			return 1;
	return 0;
}

/* The operation's documented parameters (path item's and its own), resolved. */
static json_t *
op_parameters(const char *pattern, json_t *op)
{
	json_t *all = json_array(), *lists[2], *p;
	size_t i, k;

	lists[0] = json_object_get(json_object_get(json_object_get(spec, "paths"), pattern),
	    "parameters");
	lists[1] = json_object_get(op, "parameters");
	for (k = 0; k < 2; k++)
		json_array_foreach(lists[k], i, p) {
			json_t *d = deref(p);

			if (d != NULL)
				json_array_append(all, d);
		}
	return all;
}

/* The documented parameter named name in place in ("path", "query", "header"). */
static json_t *
op_parameter(json_t *params, const char *in, const char *name)
{
	json_t *p;
	size_t i;

	json_array_foreach(params, i, p) {
		const char *pin = json_string_value(json_object_get(p, "in"));
		const char *pname = json_string_value(json_object_get(p, "name"));

		if (pin != NULL && pname != NULL && strcmp(pin, in) == 0 &&
		    (strcmp(in, "header") == 0 ? strcasecmp(pname, name) :
		    strcmp(pname, name)) == 0)
			return p;
	}
	return NULL;
}

/* 1 when the operation needs no session (security: []). */
static int
op_public(json_t *op)
{
	json_t *sec = json_object_get(op, "security");

	if (sec == NULL)
		sec = json_object_get(spec, "security");
	return sec == NULL || (json_is_array(sec) && json_array_size(sec) == 0);
}

/* ---- the schema checker -------------------------------------------------- */

static int
is_date(const char *s)
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

static int
is_date_time(const char *s)
{
	char date[11];

	if (strlen(s) < 20 || s[10] != 'T')
		return 0;
	memcpy(date, s, 10);
	date[10] = '\0';
	return is_date(date) && isdigit((unsigned char)s[11]) && s[13] == ':' &&
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

static void validate(const json_t *, json_t *, const char *, struct errs *, int);

static void
validate_string(const char *s, json_t *schema, const char *where, struct errs *e)
{
	const char *pattern = json_string_value(json_object_get(schema, "pattern"));
	const char *format = json_string_value(json_object_get(schema, "format"));
	json_t *minl = json_object_get(schema, "minLength");
	json_t *maxl = json_object_get(schema, "maxLength");
	size_t n = strlen(s);

	if (pattern != NULL) {
		regex_t re;

		if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
			errf(e, "%s: the document's pattern %s is not a POSIX ERE", where, pattern);
		else {
			if (regexec(&re, s, 0, NULL, 0) != 0)
				errf(e, "%s: \"%s\" does not match %s", where, s, pattern);
			regfree(&re);
		}
	}
	if (format != NULL && strcmp(format, "date") == 0 && !is_date(s))
		errf(e, "%s: \"%s\" is not a date (YYYY-MM-DD)", where, s);
	if (format != NULL && strcmp(format, "date-time") == 0 && !is_date_time(s))
		errf(e, "%s: \"%s\" is not a date-time", where, s);
	if (json_is_integer(minl) && (json_int_t)n < json_integer_value(minl))
		errf(e, "%s: \"%s\" is shorter than %lld", where, s,
		    (long long)json_integer_value(minl));
	if (json_is_integer(maxl) && (json_int_t)n > json_integer_value(maxl))
		errf(e, "%s: \"%s\" is longer than %lld", where, s,
		    (long long)json_integer_value(maxl));
}

static void
validate_object(const json_t *v, json_t *schema, const char *where, struct errs *e,
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
			errf(e, "%s: required property \"%s\" is missing", where,
			    json_string_value(r));
	json_object_foreach((json_t *)v, key, sub) {
		json_t *ps = json_object_get(props, key);

		snprintf(child, sizeof(child), "%s.%s", where, key);
		if (ps != NULL)
			validate(sub, ps, child, e, depth + 1);
		else if (json_is_false(addl))
			errf(e, "%s: property not in the document", child);
		else if (json_is_object(addl))
			validate(sub, addl, child, e, depth + 1);
	}
}

/* Checks v against schema; every mismatch goes to e, named by where. */
static void
validate(const json_t *v, json_t *schema, const char *where, struct errs *e, int depth)
{
	json_t *s, *list, *alt, *enm, *x;
	const char *type;
	char child[512];
	size_t i;

	if (depth > 32) {
		errf(e, "%s: schema nesting too deep (a $ref loop?)", where);
		return;
	}
	if ((s = deref(schema)) == NULL || !json_is_object(s)) {
		errf(e, "%s: the document's schema or its $ref does not resolve", where);
		return;
	}
	if ((list = json_object_get(s, "allOf")) != NULL)
		json_array_foreach(list, i, alt)
			validate(v, alt, where, e, depth + 1);
	if ((list = json_object_get(s, "anyOf")) != NULL ||
	    (list = json_object_get(s, "oneOf")) != NULL) {
		int one = json_object_get(s, "oneOf") != NULL, matches = 0;

		json_array_foreach(list, i, alt) {
			struct errs scratch = { NULL, 0, 0, 0 };

			validate(v, alt, where, &scratch, depth + 1);
			matches += scratch.n == 0;
			errs_free(&scratch);
		}
		if (matches == 0 || (one && matches > 1))
			errf(e, "%s: matches %d of the %s alternatives", where, matches,
			    one ? "oneOf" : "anyOf");
	}
	if (json_is_null(v)) {
		if (!json_is_true(json_object_get(s, "nullable")) &&
		    json_object_get(s, "type") != NULL)
			errf(e, "%s: null, but the document does not say nullable", where);
		return;
	}
	type = json_string_value(json_object_get(s, "type"));
	if (type != NULL && !type_ok(v, type)) {
		errf(e, "%s: is %s, the document says %s", where, json_type_name(v), type);
		return;
	}
	if ((enm = json_object_get(s, "enum")) != NULL) {
		int found = 0;

		json_array_foreach(enm, i, x)
			found |= json_equal((json_t *)v, x);
		if (!found) {
			char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

			errf(e, "%s: %s is not one of the documented values", where,
			    text ? text : "?");
			free(text);
		}
	}
	if (json_is_string(v))
		validate_string(json_string_value(v), s, where, e);
	if (json_is_integer(v)) {
		json_t *min = json_object_get(s, "minimum"), *max = json_object_get(s, "maximum");

		if (json_is_number(min) && json_integer_value(v) < json_number_value(min))
			errf(e, "%s: %lld is below the minimum", where,
			    (long long)json_integer_value(v));
		if (json_is_number(max) && json_integer_value(v) > json_number_value(max))
			errf(e, "%s: %lld is above the maximum", where,
			    (long long)json_integer_value(v));
	}
	if (json_is_array(v)) {
		json_t *items = json_object_get(s, "items");
		json_t *mn = json_object_get(s, "minItems"), *mx = json_object_get(s, "maxItems");

		if (json_is_integer(mn) && (json_int_t)json_array_size(v) < json_integer_value(mn))
			errf(e, "%s: fewer items than %lld", where, (long long)json_integer_value(mn));
		if (json_is_integer(mx) && (json_int_t)json_array_size(v) > json_integer_value(mx))
			errf(e, "%s: more items than %lld", where, (long long)json_integer_value(mx));
		if (items != NULL)
			json_array_foreach((json_t *)v, i, x) {
				snprintf(child, sizeof(child), "%s[%zu]", where, i);
				validate(x, items, child, e, depth + 1);
			}
	}
	if (json_is_object(v))
		validate_object(v, s, where, e, depth);
}

/* ---- requests and responses ---------------------------------------------- */

/*
 * Checks one response against the operation: its status is documented,
 * and a JSON body validates against the documented schema of that status.
 */
static void
check_response(const char *method, const char *pattern, json_t *op,
    const struct http_resp *r, const char *what, struct errs *e)
{
	char code[8], where[256], ctype[128];
	json_t *resp, *content, *schema;

	snprintf(where, sizeof(where), "%s %s (%s)", method, pattern, what);
	if (r->status == 0) {
		errf(e, "%s: no response (transport error)", where);
		return;
	}
	snprintf(code, sizeof(code), "%ld", r->status);
	resp = json_object_get(json_object_get(op, "responses"), code);
	if (resp == NULL)
		resp = json_object_get(json_object_get(op, "responses"), "default");
	if (resp == NULL) {
		errf(e, "%s: status %ld is not documented; body: %.300s", where, r->status,
		    r->body);
		return;
	}
	if ((resp = deref(resp)) == NULL) {
		errf(e, "%s: the documented response %s does not resolve", where, code);
		return;
	}
	content = json_object_get(resp, "content");
	if (content == NULL || json_object_size(content) == 0)
		return;
	schema = json_object_get(json_object_get(content, "application/json"), "schema");
	if (schema == NULL) {
		errf(e, "%s: response %s documents no application/json schema", where, code);
		return;
	}
	if (!http_header(r, "Content-Type", ctype, sizeof(ctype)) ||
	    strncasecmp(ctype, "application/json", 16) != 0)
		errf(e, "%s: status %ld has Content-Type \"%s\", not application/json", where,
		    r->status, ctype);
	if (r->json == NULL) {
		errf(e, "%s: status %ld body is not JSON: %.300s", where, r->status, r->body);
		return;
	}
	snprintf(where, sizeof(where), "%s %s (%s) %ld $", method, pattern, what, r->status);
	validate(r->json, schema, where, e, 0);
}

/* The example request of an operation, or NULL. */
static const struct example *
example_of(const char *method, const char *pattern)
{
	size_t i;

	for (i = 0; i < NEXAMPLES; i++)
		if (strcasecmp(examples[i].method, method) == 0 &&
		    strcmp(examples[i].pattern, pattern) == 0)
			return &examples[i];
	return NULL;
}

/* 1 when the query string q (may be NULL) has the parameter name. */
static int
query_has(const char *q, const char *name)
{
	size_t n = strlen(name);

	while (q != NULL && *q != '\0') {
		if (strncmp(q, name, n) == 0 && (q[n] == '=' || q[n] == '&' || q[n] == '\0'))
			return 1;
		q = strchr(q, '&');
		if (q != NULL)
			q++;
	}
	return 0;
}

/*
 * Checks the example request itself against the document: its path fills
 * the template with values the documented path parameters accept, its
 * query has every required query parameter, its body validates.
 */
static void
check_example_request(const struct example *x, json_t *op, struct errs *e)
{
	char path[512], tmpl[256], where[256], *q, *ps, *ts, *psave, *tsave, *pseg, *tseg;
	json_t *params = op_parameters(x->pattern, op), *p, *body, *schema;
	size_t i;

	snprintf(where, sizeof(where), "%s %s (example)", x->method, x->pattern);
	snprintf(path, sizeof(path), "%s", x->path);
	if ((q = strchr(path, '?')) != NULL)
		*q++ = '\0';
	snprintf(tmpl, sizeof(tmpl), "%s", x->pattern);
	for (ps = path, ts = tmpl;; ps = NULL, ts = NULL) {
		pseg = strtok_r(ps, "/", &psave);
		tseg = strtok_r(ts, "/", &tsave);
		if (pseg == NULL || tseg == NULL) {
			if (pseg != tseg)
				errf(e, "%s: the path %s does not fit the template", where, x->path);
			break;
		}
		if (tseg[0] == '{') {
			char name[64];
			json_t *param, *sch, *val;

			snprintf(name, sizeof(name), "%.*s", (int)strlen(tseg) - 2, tseg + 1);
			param = op_parameter(params, "path", name);
			if (param == NULL) {
				errf(e, "%s: path parameter %s is not documented", where, name);
				continue;
			}
			sch = deref(json_object_get(param, "schema"));
			if (sch != NULL && strcmp(json_string_value(json_object_get(sch, "type")) ?
			    json_string_value(json_object_get(sch, "type")) : "", "integer") == 0)
				val = json_integer(strtoll(pseg, NULL, 10));
			else
				val = json_string(pseg);
			validate(val, json_object_get(param, "schema"), where, e, 0);
			json_decref(val);
		} else if (strcmp(tseg, pseg) != 0)
			errf(e, "%s: the path %s does not fit the template", where, x->path);
	}
	json_array_foreach(params, i, p) {
		const char *in = json_string_value(json_object_get(p, "in"));
		const char *name = json_string_value(json_object_get(p, "name"));
		if (in == NULL || name == NULL || strcmp(in, "query") != 0 ||
		    !json_is_true(json_object_get(p, "required")))
			continue;
		if (!query_has(q, name))
			errf(e, "%s: required query parameter %s missing", where, name);
	}
	json_decref(params);
	if (x->body != NULL) {
		schema = json_object_get(json_object_get(json_object_get(deref(json_object_get(op,
		    "requestBody")), "content"), "application/json"), "schema");
		body = json_loads(x->body, 0, NULL);
		if (schema == NULL)
			errf(e, "%s: sends a body, the document has no JSON requestBody", where);
		else if (body == NULL)
			errf(e, "%s: the example body is not JSON", where);
		else
			validate(body, schema, where, e, 0);
		json_decref(body);
	} else if (json_is_true(json_object_get(deref(json_object_get(op, "requestBody")),
	    "required")))
		errf(e, "%s: sends no body, the document says one is required", where);
}

static long
request(struct client *c, const char *method, const char *path, const char *body,
    struct http_resp *r)
{
	return http_req(c, method, path, body ? "application/json" : NULL, body,
	    body ? strlen(body) : 0, r);
}

/* ---- setup ----------------------------------------------------------------- */

static int
setup(void **state)
{
	char path[1024];
	json_error_t jerr;

	(void)state;
	snprintf(path, sizeof(path), "%s/docs/openapi.json", test_env("RB_ROOT"));
	spec = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (spec == NULL) {
		print_error("%s:%d: %s\n", path, jerr.line, jerr.text);
		return -1;
	}
	client_init(&users[SIGNATORY_U]);
	client_init(&users[REVIEWER_U]);
	client_init(&users[SERVICE_U]);
	if (client_signin(&users[SIGNATORY_U], SIGNATORY, SIGNATORY_PW) != 201 ||
	    client_signin(&users[REVIEWER_U], REVIEWER, REVIEWER_PW) != 201 ||
	    client_signin(&users[SERVICE_U], SERVICE, SERVICE_PW) != 201) {
		print_error("cannot sign in the test users (is the base fixture loaded?)\n");
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	int i;

	(void)state;
	for (i = SIGNATORY_U; i < FRESH; i++) {
		if (users[i].cookie[0] != '\0')
			http_status(&users[i], "DELETE", "/api/v1/session", NULL);
		client_free(&users[i]);
	}
	json_decref(spec);
	spec = NULL;
	return 0;
}

/* ---- the tests ----------------------------------------------------------- */

/* The document itself: well-formed enough to be trusted by the tests below. */
static void
document_is_consistent(void **state)
{
	struct errs e = { NULL, 0, 0, 0 };
	json_t *paths = json_object_get(spec, "paths"), *item, *op, *v;
	const char *pattern, *m;
	regex_t snake;

	(void)state;
	assert_non_null(paths);
	assert_string_equal(json_string_value(json_object_get(spec, "openapi")), "3.0.3");
	v = json_object_get(json_object_get(json_object_get(spec, "components"),
	    "securitySchemes"), "sessionCookie");
	if (v == NULL || strcmp(json_string_value(json_object_get(v, "in")) ?
	    json_string_value(json_object_get(v, "in")) : "", "cookie") != 0 ||
	    strcmp(json_string_value(json_object_get(v, "name")) ?
	    json_string_value(json_object_get(v, "name")) : "", "__Host-session") != 0)
		errf(&e, "components.securitySchemes.sessionCookie is not the __Host-session cookie");
	assert_int_equal(regcomp(&snake, "^[a-z][a-z0-9_]*$", REG_EXTENDED | REG_NOSUB), 0);
	json_object_foreach(paths, pattern, item) {
		json_object_foreach(item, m, op) {
			json_t *params, *resps, *r, *p;
			const char *code, *t;
			size_t i;

			if (!is_http_method(m))
				continue;
			if (!json_is_string(json_object_get(op, "summary")) ||
			    !json_is_string(json_object_get(op, "description")))
				errf(&e, "%s %s: no summary or description", m, pattern);
			resps = json_object_get(op, "responses");
			if (json_object_size(resps) == 0)
				errf(&e, "%s %s: no responses", m, pattern);
			json_object_foreach(resps, code, r) {
				json_t *d = deref(r), *ct;
				const char *mt;

				if (d == NULL || !json_is_string(json_object_get(d, "description")))
					errf(&e, "%s %s: response %s does not resolve or has no "
					    "description", m, pattern, code);
				json_object_foreach(json_object_get(d, "content"), mt, ct)
					if (deref(json_object_get(ct, "schema")) == NULL)
						errf(&e, "%s %s: response %s schema does not resolve",
						    m, pattern, code);
				if (atoi(code) >= 400 && d != NULL && json_object_get(
				    json_object_get(d, "content"), "application/json") == NULL)
					errf(&e, "%s %s: error response %s has no JSON body", m,
					    pattern, code);
			}
			params = op_parameters(pattern, op);
			/* Every {name} of the template is a required path parameter. */
			for (t = strchr(pattern, '{'); t != NULL; t = strchr(t + 1, '{')) {
				char name[64];
				const char *end = strchr(t, '}');

				if (end == NULL)
					break;
				snprintf(name, sizeof(name), "%.*s", (int)(end - t - 1), t + 1);
				p = op_parameter(params, "path", name);
				if (p == NULL || !json_is_true(json_object_get(p, "required")))
					errf(&e, "%s %s: path parameter %s not documented as required",
					    m, pattern, name);
			}
			json_array_foreach(params, i, p)
				if (json_object_get(p, "schema") == NULL ||
				    deref(json_object_get(p, "schema")) == NULL)
					errf(&e, "%s %s: parameter %s has no schema", m, pattern,
					    json_string_value(json_object_get(p, "name")));
			/* A session's state-changing requests need the CSRF header. */
			if (!op_public(op) && strcmp(m, "get") != 0 && strcmp(m, "head") != 0) {
				p = op_parameter(params, "header", "X-CSRF-Token");
				if (p == NULL || !json_is_true(json_object_get(p, "required")))
					errf(&e, "%s %s: the X-CSRF-Token header is not documented "
					    "as required", m, pattern);
				if (json_object_get(json_object_get(op, "responses"), "403") == NULL)
					errf(&e, "%s %s: 403 (CSRF) not documented", m, pattern);
			}
			if (!op_public(op) &&
			    json_object_get(json_object_get(op, "responses"), "401") == NULL)
				errf(&e, "%s %s: 401 not documented", m, pattern);
			json_decref(params);
		}
	}
	/* Names are snake_case; money is integer dirhams; dates are strings. */
	json_object_foreach(json_object_get(json_object_get(spec, "components"), "schemas"),
	    pattern, v) {
		json_t *props = json_object_get(v, "properties"), *ps;
		const char *name;

		json_object_foreach(props, name, ps) {
			json_t *d = deref(ps);
			const char *type = json_string_value(json_object_get(d, "type"));
			const char *fmt = json_string_value(json_object_get(d, "format"));
			size_t n = strlen(name);

			if (regexec(&snake, name, 0, NULL, 0) != 0)
				errf(&e, "schema %s: property %s is not snake_case", pattern, name);
			if (n > 8 && strcmp(name + n - 8, "_dirhams") == 0 &&
			    (type == NULL || strcmp(type, "integer") != 0))
				errf(&e, "schema %s: %s is not an integer", pattern, name);
			if (fmt != NULL && (strcmp(fmt, "date") == 0 ||
			    strcmp(fmt, "date-time") == 0) &&
			    (type == NULL || strcmp(type, "string") != 0))
				errf(&e, "schema %s: %s is a date but not a string", pattern, name);
		}
	}
	regfree(&snake);
	errs_report(&e, "docs/openapi.json");
}

/* Test 1: the route table and the document name the same operations. */
static void
routes_match_the_document(void **state)
{
	struct errs e = { NULL, 0, 0, 0 };
	char cmd[1200], line[512], method[16], pattern[400];
	json_t *seen = json_object(), *item, *op;
	const char *path, *m;
	FILE *f;
	int n = 0;

	(void)state;
	snprintf(cmd, sizeof(cmd), "'%s/rb-fcgi' --routes", test_env("RB_BIN"));
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char key[420], lower[16];
		size_t i;

		if (sscanf(line, "%15s %399s", method, pattern) != 2)
			continue;
		n++;
		for (i = 0; method[i] != '\0'; i++)
			lower[i] = (char)tolower((unsigned char)method[i]);
		lower[i] = '\0';
		snprintf(key, sizeof(key), "%s %s", lower, pattern);
		json_object_set_new(seen, key, json_true());
		if (operation(pattern, method) == NULL)
			errf(&e, "route %s %s is not in docs/openapi.json", method, pattern);
	}
	assert_int_equal(pclose(f), 0);
	assert_true(n > 0);
	json_object_foreach(json_object_get(spec, "paths"), path, item)
		json_object_foreach(item, m, op) {
			char key[420];

			if (!is_http_method(m))
				continue;
			snprintf(key, sizeof(key), "%s %s", m, path);
			if (json_object_get(seen, key) == NULL)
				errf(&e, "documented %s %s is not in the route table", m, path);
		}
	json_decref(seen);
	errs_report(&e, "route table vs docs/openapi.json");
}

/* Revokes the grants an example created, checking that response too. */
static void
undo_grants(const struct http_resp *created, struct errs *e)
{
	const char *pattern = "/api/v1/companies/{est_id}/grants/{id}";
	json_t *items = json_object_get(created->json, "items"), *g;
	json_t *op = operation(pattern, "DELETE");
	size_t i;

	json_array_foreach(items, i, g) {
		char path[128];
		struct http_resp r;

		snprintf(path, sizeof(path), "/api/v1/companies/%s/grants/%lld",
		    json_string_value(json_object_get(g, "est_id")),
		    (long long)json_integer_value(json_object_get(g, "id")));
		request(&users[SIGNATORY_U], "DELETE", path, NULL, &r);
		if (r.status != 200)
			errf(e, "DELETE %s (undoing the example grant): %ld %.200s", path,
			    r.status, r.body);
		if (op != NULL)
			check_response("DELETE", pattern, op, &r, "signatory, live grant", e);
		http_resp_free(&r);
	}
}

/*
 * Test 2: every documented operation, sent (a) without a session and no
 * body, and (b) as the right kind of user with a valid request, answers a
 * documented status with a body of the documented schema.
 */
static void
operations_answer_as_documented(void **state)
{
	struct errs e = { NULL, 0, 0, 0 };
	json_t *item, *op;
	const char *pattern, *m;

	(void)state;
	json_object_foreach(json_object_get(spec, "paths"), pattern, item)
		json_object_foreach(item, m, op) {
			char method[16];
			const struct example *x;
			struct client anon, fresh, *c;
			struct http_resp r;
			size_t i;

			if (!is_http_method(m))
				continue;
			for (i = 0; m[i] != '\0' && i + 1 < sizeof(method); i++)
				method[i] = (char)toupper((unsigned char)m[i]);
			method[i] = '\0';
			if ((x = example_of(method, pattern)) == NULL) {
				errf(&e, "%s %s: no example request in tests/integration/openapi.c",
				    method, pattern);
				continue;
			}
			check_example_request(x, op, &e);
			{
				char code[8];

				snprintf(code, sizeof(code), "%ld", x->expect);
				if (json_object_get(json_object_get(op, "responses"), code) == NULL)
					errf(&e, "%s %s: the example's status %ld is not documented",
					    method, pattern, x->expect);
			}

			/* (a) no session, no body. */
			client_init(&anon);
			request(&anon, method, x->path, NULL, &r);
			check_response(method, pattern, op, &r, "no session, no body", &e);
			if (!op_public(op) && r.status != 401)
				errf(&e, "%s %s (no session): %ld, not 401", method, pattern, r.status);
			http_resp_free(&r);

			/* (b) the right user, a valid request. */
			if (x->who == ANON)
				c = &anon;
			else if (x->who == FRESH) {
				client_init(&fresh);
				if (client_signin(&fresh, SIGNATORY, SIGNATORY_PW) != 201)
					errf(&e, "%s %s: cannot sign in a fresh session", method,
					    pattern);
				c = &fresh;
			} else
				c = &users[x->who];
			request(c, method, x->path, x->body, &r);
			check_response(method, pattern, op, &r, "valid request", &e);
			if (r.status != x->expect)
				errf(&e, "%s %s (valid request): %ld, expected %ld; body %.300s",
				    method, pattern, r.status, x->expect, r.body);
			if (r.status == 201 && strcmp(pattern, "/api/v1/companies/{est_id}/grants") == 0)
				undo_grants(&r, &e);
			/* The session the sign-in example started ends again. */
			if (r.status == 201 && strcmp(pattern, "/api/v1/session") == 0) {
				const char *csrf = resp_str(&r, "csrf_token");
				struct http_resp out;

				snprintf(anon.csrf, sizeof(anon.csrf), "%s", csrf ? csrf : "");
				request(&anon, "DELETE", "/api/v1/session", NULL, &out);
				if (out.status != 200)
					errf(&e, "DELETE /api/v1/session after sign-in: %ld", out.status);
				http_resp_free(&out);
			}
			http_resp_free(&r);
			if (x->who == FRESH)
				client_free(&fresh);
			client_free(&anon);
		}
	errs_report(&e, "operations vs docs/openapi.json");
}

/*
 * Test 2, the edges every operation shares: a malformed path parameter is
 * 400 naming it, and a session's state-changing request without the CSRF
 * token is 403; both documented.
 */
static void
bad_path_parameters_and_csrf_as_documented(void **state)
{
	static const struct {
		const char *name, *bad;
	} bad[] = { { "est_id", "1234567" }, { "qid", "12345678901" }, { "id", "0" } };
	struct errs e = { NULL, 0, 0, 0 };
	size_t i, k;

	(void)state;
	for (i = 0; i < NEXAMPLES; i++) {
		const struct example *x = &examples[i];
		json_t *op = operation(x->pattern, x->method);
		struct http_resp r;

		if (op == NULL)
			continue;
		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			char tmpl[256], path[512], needle[32], *at;
			struct client anon;
			const char *field;

			/* Fill the template from the example, one parameter spoiled. */
			snprintf(needle, sizeof(needle), "{%s}", bad[k].name);
			if (strstr(x->pattern, needle) == NULL)
				continue;
			snprintf(tmpl, sizeof(tmpl), "%s", x->path);
			if ((at = strchr(tmpl, '?')) != NULL)
				*at = '\0';
			{
				/* Segment by segment: the template's {name} gets bad. */
				char t[256], *ts, *ps, *tsave, *psave, *tseg, *pseg;
				size_t o = 0;

				snprintf(t, sizeof(t), "%s", x->pattern);
				for (ts = t, ps = tmpl;; ts = NULL, ps = NULL) {
					tseg = strtok_r(ts, "/", &tsave);
					pseg = strtok_r(ps, "/", &psave);
					if (tseg == NULL || pseg == NULL)
						break;
					o += (size_t)snprintf(path + o, sizeof(path) - o, "/%s",
					    strcmp(tseg, needle) == 0 ? bad[k].bad : pseg);
				}
			}
			client_init(&anon);
			request(&anon, x->method, path, NULL, &r);
			check_response(x->method, x->pattern, op, &r, "bad path parameter", &e);
			field = resp_str(&r, "error.field");
			if (r.status != 400 || field == NULL || strcmp(field, bad[k].name) != 0)
				errf(&e, "%s %s: %ld with field %s, expected 400 naming %s",
				    x->method, path, r.status, field ? field : "(none)",
				    bad[k].name);
			http_resp_free(&r);
			client_free(&anon);
		}
		if (!op_public(op) && strcmp(x->method, "GET") != 0) {
			struct client *c = &users[x->who == FRESH || x->who == ANON ?
			    SIGNATORY_U : x->who];
			char saved[sizeof(c->csrf)];
			const char *code;

			memcpy(saved, c->csrf, sizeof(saved));
			c->csrf[0] = '\0';
			request(c, x->method, x->path, x->body, &r);
			memcpy(c->csrf, saved, sizeof(saved));
			check_response(x->method, x->pattern, op, &r, "no CSRF token", &e);
			code = resp_str(&r, "error.code");
			if (r.status != 403 || code == NULL || strcmp(code, "csrf") != 0)
				errf(&e, "%s %s without X-CSRF-Token: %ld %s, expected 403 csrf",
				    x->method, x->path, r.status, code ? code : "");
			http_resp_free(&r);
		}
	}
	errs_report(&e, "path parameters and CSRF vs docs/openapi.json");
}

/* Test 3: unknown paths are 404 with an Error; a known path's unknown method 405. */
static void
unknown_path_and_wrong_method(void **state)
{
	static const char *const unknown[] = {
		"/api/v1/no-such-resource", "/api/v1/", "/api/v1/health/extra",
		"/api/v1/companies/10000001/no-such-thing", "/api/v1/persons/29935600211",
		"/api/v2/health",
	};
	static const char *const try_methods[] = { "PUT", "PATCH", "POST", "DELETE", "GET" };
	json_t *error = pointer("#/components/schemas/Error"), *item;
	struct errs e = { NULL, 0, 0, 0 };
	struct client c;
	struct http_resp r;
	const char *pattern, *code;
	char where[600];
	size_t i, k;

	(void)state;
	assert_non_null(error);
	client_init(&c);
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		request(&c, "GET", unknown[i], NULL, &r);
		snprintf(where, sizeof(where), "GET %s $", unknown[i]);
		if (r.status != 404)
			errf(&e, "GET %s: %ld, expected 404", unknown[i], r.status);
		else if (r.json == NULL)
			errf(&e, "GET %s: 404 body is not JSON: %.200s", unknown[i], r.body);
		else
			validate(r.json, error, where, &e, 0);
		http_resp_free(&r);
	}
	/* Signed in makes no difference. */
	request(&users[SIGNATORY_U], "GET", "/api/v1/no-such-resource", NULL, &r);
	if (r.status != 404 || (code = resp_str(&r, "error.code")) == NULL ||
	    strcmp(code, "not_found") != 0)
		errf(&e, "GET /api/v1/no-such-resource signed in: %ld, expected 404 not_found",
		    r.status);
	http_resp_free(&r);

	/* Each documented path with a method it does not have. */
	json_object_foreach(json_object_get(spec, "paths"), pattern, item) {
		const struct example *x = NULL;
		char path[512], *q;

		for (k = 0; k < NEXAMPLES && x == NULL; k++)
			if (strcmp(examples[k].pattern, pattern) == 0)
				x = &examples[k];
		if (x == NULL) {
			errf(&e, "%s: no example path to try a wrong method on", pattern);
			continue;
		}
		snprintf(path, sizeof(path), "%s", x->path);
		if ((q = strchr(path, '?')) != NULL)
			*q = '\0';
		for (k = 0; k < sizeof(try_methods) / sizeof(try_methods[0]); k++) {
			if (operation(pattern, try_methods[k]) != NULL)
				continue;
			request(&c, try_methods[k], path, NULL, &r);
			snprintf(where, sizeof(where), "%s %s $", try_methods[k], path);
			code = resp_str(&r, "error.code");
			if (r.status != 405)
				errf(&e, "%s %s: %ld, expected 405", try_methods[k], path, r.status);
			else if (r.json == NULL)
				errf(&e, "%s %s: 405 body is not JSON", try_methods[k], path);
			else {
				validate(r.json, error, where, &e, 0);
				if (code == NULL || strcmp(code, "method_not_allowed") != 0)
					errf(&e, "%s %s: code %s, expected method_not_allowed",
					    try_methods[k], path, code ? code : "(none)");
			}
			http_resp_free(&r);
		}
	}
	client_free(&c);
	errs_report(&e, "unknown paths and methods");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(document_is_consistent),
		cmocka_unit_test(routes_match_the_document),
		cmocka_unit_test(operations_answer_as_documented),
		cmocka_unit_test(bad_path_parameters_and_csrf_as_documented),
		cmocka_unit_test(unknown_path_and_wrong_method),
	};

	return cmocka_run_group_tests_name("openapi", tests, setup, teardown);
}
