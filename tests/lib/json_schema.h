/*
 * A small JSON-Schema checker for the tests (the subset docs/openapi.json
 * uses): type, nullable, enum, pattern (POSIX ERE), format date and
 * date-time, minLength/maxLength, minimum/maximum, minItems/maxItems,
 * properties, required, additionalProperties (false or a schema), items,
 * allOf/anyOf/oneOf, and $ref to a local pointer ("#/a/b") in a root
 * document. Problems are collected, not fatal, so one run lists them all.
 */
#ifndef RB_TESTS_JSON_SCHEMA_H
#define RB_TESTS_JSON_SCHEMA_H

#include <stddef.h>

#include <jansson.h>

/* The problems found: n lines "  - <text>\n" in buf (owned; NULL while n
 * is 0). Zero-initialise; free with js_errs_free. */
struct js_errs {
	char	*buf;
	size_t	 len, cap;
	int	 n;
};

void	js_errf(struct js_errs *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	js_errs_free(struct js_errs *);

/* The node of root that a local reference ("#/components/schemas/Error")
 * names, or NULL. Borrowed from root. */
json_t	*js_pointer(json_t *root, const char *ref);
/* Follows node's $ref (a chain of them) within root; NULL when one does
 * not resolve. Borrowed. */
json_t	*js_deref(json_t *root, json_t *node);

/* 1 when s is a calendar date YYYY-MM-DD (leap years included). */
int	js_is_date(const char *s);
/* 1 when s is an RFC 3339 date-time with a zone (Z or an offset). */
int	js_is_date_time(const char *s);

/* Checks v against schema (its $refs resolved in root); each mismatch goes
 * to e, prefixed by where (e.g. "GET /x 200 body"). */
void	js_validate(json_t *root, const json_t *v, json_t *schema, const char *where,
	    struct js_errs *e);

#endif
