/*
 * What the libFuzzer drivers share (tests/fuzz/<driver>.c, one parser of
 * untrusted input each; scripts/fuzz.sh runs them). A driver asserts a
 * property of the parser's answer (a parsed value formats back to its
 * input, a round trip gives the same records), not only "no crash":
 * FUZZ_CHECK aborts, so libFuzzer keeps the input as a reproducer.
 */
#ifndef RB_FUZZ_H
#define RB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: property failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/* The input as a NUL-terminated string (cut at its first NUL); free() it. */
char	*fuzz_str(const uint8_t *data, size_t size);
/* A driver that checks the input as one string: each of checks runs on
 * fuzz_str()'s copy. Returns 0, as libFuzzer wants. */
typedef void	(*fuzz_check_fn)(const char *);
int	fuzz_string_input(const uint8_t *data, size_t size, const fuzz_check_fn *checks,
	    size_t n);
#define FUZZ_STRING_DRIVER(...)						\
int									\
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)		\
{									\
	static const fuzz_check_fn checks[] = { __VA_ARGS__ };		\
									\
	return fuzz_string_input(data, size, checks,			\
	    sizeof(checks) / sizeof(checks[0]));			\
}

#endif
