/*
 * Subscription references: "RN-" and 8 Crockford base32 characters from
 * 40 random bits. Unguessable (not a sequence), and easy to read out on the
 * phone: no I, L, O or U to confuse with 1, 0 or V.
 */
#ifndef RB_REFERENCE_H
#define RB_REFERENCE_H

#include "lib/rb_err.h"

#define REFERENCE_LEN 12

enum rb_err	reference_new(char out[REFERENCE_LEN + 1]);
enum rb_err	reference_check(const char *);

/* Enrollment references (issue 15): "ENR-" and the same 8 characters. */
#define ENROLLMENT_REFERENCE_LEN 13
enum rb_err	enrollment_reference_new(char out[ENROLLMENT_REFERENCE_LEN + 1]);
enum rb_err	enrollment_reference_check(const char *);

#endif
