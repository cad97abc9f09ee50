/* What an enrollment must say (domain/enrollment_rules.h). */
#include <string.h>

#include "domain/enrollment_rules.h"

int
sector_code_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 2 || n > SECTOR_CODE_MAX || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
			return 0;
	return 1;
}

int
license_number_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 1 || n > LICENSE_NUMBER_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '/' || c == '-'))
			return 0;
	}
	return 1;
}

static const struct {
	const char	*code;
	const char	*field;
	const char	*message;
} refusals[ENROLL__MAX] = {
	[ENROLL_OK] = { "ok", "", "" },
	[ENROLL_UNKNOWN_SECTOR] = { "unknown_sector", "sector",
	    "not a sector of the catalogue" },
	[ENROLL_LICENSE_NUMBER] = { "bad_license_number", "license_number",
	    "1 to 40 letters, digits, / or -" },
	[ENROLL_LICENSE_EXPIRED] = { "license_expired", "license_expiry",
	    "the licence must expire after today" },
	[ENROLL_MAIN_USER_UNKNOWN] = { "unknown_person", "main_user_qid",
	    "no such person" },
	[ENROLL_MAIN_USER_NOT_EMPLOYED] = { "main_user_not_employed",
	    "main_user_qid", "the main user must be an employee of the company" },
	[ENROLL_MOBILE] = { "bad_mobile", "main_user_mobile",
	    "a mobile number: +974 and 8 digits, or 8 local digits, or E.164" },
};

enum enrollment_refusal
enrollment_decide(const struct enrollment_facts *f,
    char mobile_out[MOBILE_E164_SZ])
{
	mobile_out[0] = '\0';
	if (!f->sector_exists)
		return ENROLL_UNKNOWN_SECTOR;
	if (f->license_number == NULL || !license_number_ok(f->license_number))
		return ENROLL_LICENSE_NUMBER;
	if (f->license_expiry.days <= f->today.days)
		return ENROLL_LICENSE_EXPIRED;
	if (!f->main_user_exists)
		return ENROLL_MAIN_USER_UNKNOWN;
	if (!f->main_user_employed)
		return ENROLL_MAIN_USER_NOT_EMPLOYED;
	if (f->mobile == NULL || mobile_normalize(f->mobile, mobile_out) != RB_OK)
		return ENROLL_MOBILE;
	return ENROLL_OK;
}

const char *
enrollment_refusal_code(enum enrollment_refusal r)
{
	return (unsigned)r < ENROLL__MAX ? refusals[r].code : "unknown";
}

const char *
enrollment_refusal_field(enum enrollment_refusal r)
{
	return (unsigned)r < ENROLL__MAX ? refusals[r].field : "";
}

const char *
enrollment_refusal_message(enum enrollment_refusal r)
{
	return (unsigned)r < ENROLL__MAX ? refusals[r].message : "";
}
