/*
 * The router's path split and match (fcgi/router.c) against the real route
 * table. Properties: the segments joined again are the path; a route that
 * matches, with its placeholders replaced by what they captured, spells
 * the path again; a path matches at most one pattern per method, but for
 * the one overlap the table resolves by order: "{id}.xlsx" before "{id}".
 */
#include <string.h>

#include "fcgi/router.h"
#include "tests/fuzz/fuzz.h"

/* The pattern with its placeholders filled in from the captures. */
static void
spell(const char *pattern, const char *est, const char *qid, const char *id,
    const char *ref, char *out, size_t outsz)
{
	char pat[128], *pseg[ROUTER_MAX_SEGMENTS];
	int n, i;
	size_t o = 0;

	snprintf(pat, sizeof(pat), "%s", pattern);
	n = router_split(pat, pseg);
	FUZZ_CHECK(n > 0);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *s = pseg[i];

		if (strcmp(s, "{est_id}") == 0)
			s = est;
		else if (strcmp(s, "{qid}") == 0)
			s = qid;
		else if (strcmp(s, "{id}") == 0 || strcmp(s, "{id}.xlsx") == 0)
			s = id;
		else if (strcmp(s, "{reference}") == 0)
			s = ref;
		FUZZ_CHECK(s != NULL);
		o += (size_t)snprintf(out + o, outsz - o, "/%s", s);
		FUZZ_CHECK(o < outsz);
	}
}

/* The router takes the first match: first, the pattern with the suffix,
 * then the same pattern with a bare {id}. */
static int
suffix_first(const char *first, const char *later)
{
	const char *x = strstr(first, "{id}.xlsx");
	size_t at = (size_t)(x - first);

	return x != NULL && strlen(later) == strlen(first) - 5 &&
	    strncmp(first, later, at + 4) == 0 && strcmp(x + 9, later + at + 4) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_str(data, size), copy[600], again[1200], *seg[ROUTER_MAX_SEGMENTS];
	size_t seen[64];
	size_t i, nseen = 0, o = 0;
	int n, k;

	if (strlen(path) >= 512)
		goto out;
	snprintf(copy, sizeof(copy), "%s", path);
	n = router_split(copy, seg);
	if (path[0] != '/') {
		FUZZ_CHECK(n == -1);
		goto out;
	}
	if (n < 0)
		goto out;
	FUZZ_CHECK(n >= 1 && n <= ROUTER_MAX_SEGMENTS);
	for (k = 0; k < n; k++) {
		FUZZ_CHECK(strchr(seg[k], '/') == NULL);
		o += (size_t)snprintf(again + o, sizeof(again) - o, "/%s", seg[k]);
	}
	FUZZ_CHECK(strcmp(again, path) == 0);
	for (i = 0; i < nroutes; i++) {
		const char *e = NULL, *q = NULL, *d = NULL, *f = NULL;
		size_t j;

		if (!router_match(routes[i].pattern, seg, n, &e, &q, &d, &f))
			continue;
		spell(routes[i].pattern, e, q, d, f, again, sizeof(again));
		FUZZ_CHECK(strcmp(again, path) == 0);
		if (strstr(routes[i].pattern, "{id}.xlsx") != NULL)
			FUZZ_CHECK(strlen(d) > 5 && strcmp(d + strlen(d) - 5, ".xlsx") == 0);
		for (j = 0; j < nseen; j++)
			if (strcmp(routes[seen[j]].method, routes[i].method) == 0)
				FUZZ_CHECK(suffix_first(routes[seen[j]].pattern,
				    routes[i].pattern));
		if (nseen < sizeof(seen) / sizeof(seen[0]))
			seen[nseen++] = i;
	}
out:
	free(path);
	return 0;
}
