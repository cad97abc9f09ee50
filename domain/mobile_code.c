#include <stdio.h>
#include <string.h>

#include "domain/mobile_code.h"

enum mobile_code_outcome
mobile_code_decide(int64_t now, int64_t expires_at, int wrong_tries, int matched,
    int *wrong_after, int *tries_left)
{
	*wrong_after = wrong_tries;
	*tries_left = MOBILE_CODE_TRIES - wrong_tries;
	if (*tries_left <= 0) {
		*tries_left = 0;
		return MC_EXHAUSTED;
	}
	/* An expired code is refused even when right: the 10 minutes are the
	 * point. The try is not counted against the next code. */
	if (now >= expires_at)
		return MC_EXPIRED;
	if (matched)
		return MC_CONFIRMED;
	*wrong_after = wrong_tries + 1;
	*tries_left = MOBILE_CODE_TRIES - *wrong_after;
	return *tries_left == 0 ? MC_EXHAUSTED : MC_WRONG;
}

const char *
mobile_code_error(enum mobile_code_outcome o)
{
	static const char *const codes[MC__MAX] = {
		[MC_CONFIRMED] = NULL,
		[MC_WRONG] = "wrong_code",
		[MC_EXHAUSTED] = "code_exhausted",
		[MC_EXPIRED] = "code_expired",
	};

	return (unsigned)o < MC__MAX ? codes[o] : NULL;
}

int
mobile_code_ok(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != MOBILE_CODE_DIGITS)
		return 0;
	for (i = 0; i < MOBILE_CODE_DIGITS; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

void
mobile_code_format(uint32_t r, char out[MOBILE_CODE_DIGITS + 1])
{
	snprintf(out, MOBILE_CODE_DIGITS + 1, "%06u", (unsigned)(r % 1000000u));
}
