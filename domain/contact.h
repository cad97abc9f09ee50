/*
 * Contact details checked at the edge: the one validator of email
 * addresses and mobile numbers, for the registry feed and the API alike.
 */
#ifndef RB_CONTACT_H
#define RB_CONTACT_H

#include <stddef.h>

#include "lib/rb_err.h"

/* + and up to 15 digits and the NUL. */
#define MOBILE_E164_SZ	17

/*
 * The shape the registry feed and the companies.email CHECK accept: valid
 * UTF-8, at most 254 bytes, one @ with text either side, no white space or
 * control characters ("hr@example" passes: the registry is the authority
 * on its own data).
 */
int	email_ok(const char *s);
/*
 * An address we ourselves will send statements to (a subscription's
 * contact): email_ok and a dot in the domain part.
 */
int	email_deliverable(const char *s);
/* E.164: + and 8 to 15 digits (^\+[0-9]{8,15}$). */
int	mobile_ok(const char *s);
/*
 * A mobile number as a person types it into a form, into E.164 in out:
 * "+" and digits as mobile_ok() wants them, or a local Qatari mobile of 8
 * digits starting with 3, 5, 6 or 7, which becomes +974 and the 8 digits.
 * Single spaces between digit groups and around the number are dropped
 * ("+974 5555 1234"). RB_EINVAL, and out "", for anything else (no
 * 00 prefix, hyphens or other punctuation: we do not guess).
 */
enum rb_err	mobile_normalize(const char *in, char out[MOBILE_E164_SZ]);
/*
 * A mobile number as shown where the whole of it need not be (a notice to
 * the old number, a person's page; issue 16 §2): its first four characters
 * (+974), three bullets, its last four digits ("+974•••1234").
 */
#define MOBILE_MASK_SZ	24
void		mobile_mask(const char *m, char out[MOBILE_MASK_SZ]);

/* Why a name is refused; NAME_OK when it is not. */
enum name_fault {
	NAME_OK,
	NAME_CONTROL_CHAR,	/* would corrupt statements and log lines */
	NAME_LENGTH,		/* not 1..max characters */
	NAME__MAX
};

/*
 * A person's or company's name from the registry: 1..max_chars characters
 * of UTF-8 (the caller has checked the encoding: jansson does) and no
 * control character (C0 or DEL). A control character is reported before
 * the length.
 */
enum name_fault	name_check(const char *s, size_t max_chars);

#endif
