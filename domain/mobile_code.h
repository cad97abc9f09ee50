/*
 * Confirming a new mobile number with a one-time code (issue 16 §2): a
 * code lives MOBILE_CODE_TTL_S and allows MOBILE_CODE_TRIES wrong answers,
 * after which a new code is needed. Pure: the caller gives the time, the
 * stored state and whether the code matched; store/mobile_store.c keeps
 * the state and the hash.
 */
#ifndef RB_MOBILE_CODE_H
#define RB_MOBILE_CODE_H

#include <stdint.h>

#include "lib/rb_err.h"

#define MOBILE_CODE_TTL_S	600	/* 10 minutes */
#define MOBILE_CODE_TRIES	5
#define MOBILE_CODE_DIGITS	6

enum mobile_code_outcome {
	MC_CONFIRMED,	/* the number is verified */
	MC_WRONG,	/* counted; tries are left */
	MC_EXHAUSTED,	/* the last try was wrong (or none was left): a new code is needed */
	MC_EXPIRED,	/* too late: a new code is needed; the try is not counted */
	MC__MAX
};

/*
 * What an answer does: now and expires_at in seconds, wrong_tries the
 * wrong answers so far, matched whether this one is the code. *wrong_after
 * is the count to store, *tries_left what the person may still try.
 */
enum mobile_code_outcome mobile_code_decide(int64_t now, int64_t expires_at,
		    int wrong_tries, int matched, int *wrong_after, int *tries_left);
/* The API's error code of an outcome ("wrong_code"); NULL for MC_CONFIRMED. */
const char	*mobile_code_error(enum mobile_code_outcome);
/* 1 when s is a code as sent: exactly MOBILE_CODE_DIGITS ASCII digits. */
int		 mobile_code_ok(const char *s);
/* The code for 32 random bits r: MOBILE_CODE_DIGITS digits, leading zeros kept. */
void		 mobile_code_format(uint32_t r, char out[MOBILE_CODE_DIGITS + 1]);

#endif
