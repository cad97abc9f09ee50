#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "lib/number.h"

enum rb_err
int_parse(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int64_t v = 0;
	size_t i, n;
	int neg = 0;

	if (s == NULL || (n = strlen(s)) == 0 || n > 20)
		return RB_EINVAL;
	i = 0;
	if (s[0] == '-') {
		neg = 1;
		i = 1;
		if (n == 1)
			return RB_EINVAL;
	}
	for (; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return RB_EINVAL;
		if (v > (INT64_MAX - (s[i] - '0')) / 10)
			return RB_EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	/* "-0" is not how anyone writes zero: refused like any other odd spelling. */
	if (neg && v == 0)
		return RB_EINVAL;
	if (neg)
		v = -v;
	if (v < min || v > max)
		return RB_EINVAL;
	*out = v;
	return RB_OK;
}
