/* Decimal integers from text (parameters, settings, database columns). */
#ifndef RB_NUMBER_H
#define RB_NUMBER_H

#include <stdint.h>

#include "lib/rb_err.h"

/*
 * A decimal string of digits only, with an optional '-' (not "-0"), into a
 * bounded integer (strtonum-like).
 */
enum rb_err	int_parse(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
