#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "domain/accept_lang.h"

/* The languages the system writes in (po/<code>.po for each). */
static const char *const six[] = { "ar", "en", "fr", "ur", "ml", "es" };

/* Beyond any real header: a longer one is read no further. */
#define ACCEPT_MAX	1024

static int
known(const char *l)
{
	size_t i;

	for (i = 0; i < sizeof(six) / sizeof(six[0]); i++)
		if (strcmp(six[i], l) == 0)
			return 1;
	return 0;
}

/* The q of a range's parameters "; q=0.8" (1000ths); 1000 when absent, -1
 * when unreadable. */
static int
qvalue(const char *p, const char *end)
{
	int q = 0, digits = 0;

	while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
		p++;
	if (p >= end)
		return 1000;
	if (end - p < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
		return -1;
	p += 2;
	if (*p != '0' && *p != '1')
		return -1;
	q = (*p++ - '0') * 1000;
	if (p < end && *p == '.') {
		int scale = 100;

		for (p++; p < end && isdigit((unsigned char)*p) && digits < 3; p++, digits++) {
			q += (*p - '0') * scale;
			scale /= 10;
		}
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end && q <= 1000 ? q : -1;
}

int
accept_language_pick(const char *header, char out[3])
{
	const char *p = header, *stop;
	int best_q = 0;
	size_t n;

	out[0] = '\0';
	if (header == NULL)
		return 0;
	n = strnlen(header, ACCEPT_MAX);
	stop = header + n;
	while (p < stop) {
		const char *end = memchr(p, ',', (size_t)(stop - p)), *sep;
		char l[3];
		int q;

		if (end == NULL)
			end = stop;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		sep = p;
		while (sep < end && *sep != ';' && *sep != ' ' && *sep != '\t')
			sep++;
		/* The primary subtag: two letters, then the end or "-". */
		if (sep - p >= 2 && isalpha((unsigned char)p[0]) && isalpha((unsigned char)p[1]) &&
		    (sep - p == 2 || p[2] == '-')) {
			l[0] = (char)tolower((unsigned char)p[0]);
			l[1] = (char)tolower((unsigned char)p[1]);
			l[2] = '\0';
			q = qvalue(sep, end);
			/* Strictly greater: of equal q the first written wins. */
			if (q > best_q && known(l)) {
				best_q = q;
				memcpy(out, l, 3);
			}
		}
		p = end < stop ? end + 1 : stop;
	}
	return out[0] != '\0';
}
