/*
 * Enrollment of an establishment (issue 15 §1): what a submission must
 * say, decided over facts enrollment_store.c gathers. Pure: no SQL, no
 * HTTP, no JSON, no clock (today comes in the facts).
 */
#ifndef RB_ENROLLMENT_RULES_H
#define RB_ENROLLMENT_RULES_H

#include <stddef.h>

#include "domain/contact.h"
#include "lib/date.h"

/* The CHECKs of sql/019: sector codes and licence numbers. */
#define SECTOR_CODE_MAX		40
#define LICENSE_NUMBER_MAX	40
#define LICENSING_AUTHORITY_MAX	200	/* characters */
#define REGION_MAX		100	/* characters */
#define RETURN_NOTE_MAX		2000	/* characters */
#define SUSPEND_REASON_MAX	500	/* characters */

/* ^[a-z][a-z_]{1,39}$ */
int	sector_code_ok(const char *s);
/* ^[A-Za-z0-9/-]{1,40}$: what licensing authorities print ("CR-12345/2"). */
int	license_number_ok(const char *s);

enum enrollment_refusal {
	ENROLL_OK = 0,
	ENROLL_UNKNOWN_SECTOR,		/* not in the catalogue */
	ENROLL_LICENSE_NUMBER,		/* bad syntax */
	ENROLL_LICENSE_EXPIRED,		/* expiry today or before */
	ENROLL_MAIN_USER_UNKNOWN,	/* no such person */
	ENROLL_MAIN_USER_NOT_EMPLOYED,	/* not an employee of the company */
	ENROLL_MOBILE,			/* not E.164 nor a local mobile */
	ENROLL__MAX
};

struct enrollment_facts {
	int		sector_exists;
	const char	*license_number;	/* borrowed */
	struct rb_date	license_expiry;
	struct rb_date	today;			/* Qatar date of the request */
	int		main_user_exists;
	int		main_user_employed;	/* open employment at the company */
	const char	*mobile;		/* as typed; borrowed */
};

/*
 * The first refusal, in the order above; on ENROLL_OK mobile_out holds
 * the main user's mobile in E.164 (a local 8-digit number gets +974).
 */
enum enrollment_refusal	enrollment_decide(const struct enrollment_facts *,
			    char mobile_out[MOBILE_E164_SZ]);
/* Stable machine code ("unknown_sector"), and the field it is about. */
const char	*enrollment_refusal_code(enum enrollment_refusal);
const char	*enrollment_refusal_field(enum enrollment_refusal);
const char	*enrollment_refusal_message(enum enrollment_refusal);

#endif
