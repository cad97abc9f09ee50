#include <stdio.h>

#include "lib/xalloc.h"
#include "store/est_array.h"

char *
est_array(const char *const *ids, size_t n)
{
	char *a = xcalloc(n * 9 + 3, 1), *p = a;
	size_t i;

	*p++ = '{';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s%.8s", i ? "," : "", ids[i]);
	*p = '}';
	return a;
}
