/*
 * The subscription bodies' parsers (fcgi/subscription_api.c:
 * parse_renewal_input for POST and PATCH, parse_review), reached by
 * including the handler's file. See body.c.
 */
#include "fcgi/subscription_api.c"
#include "tests/fuzz/body.h"
#include "tests/fuzz/fuzz.h"

int
fuzz_subscription_body(struct req *r, json_t *body, int required)
{
	struct renewal_input in;

	if (parse_renewal_input(r, body, required, &in) != RB_OK)
		return 0;
	if (in.has_auth)
		fuzz_qid_same(json_object_get(body, "authorizing_qid"), &in.authorizing);
	if (in.has_iban) {
		FUZZ_CHECK(strcmp(in.iban.s, json_string_value(json_object_get(body,
		    "iban"))) == 0);
		FUZZ_CHECK(iban_mod97_ok(in.iban.s));
	}
	if (in.set.has_email)
		FUZZ_CHECK(email_deliverable(in.set.email));
	if (in.set.has_mobile)
		FUZZ_CHECK(mobile_ok(in.set.mobile));
	if (in.set.has_address)
		FUZZ_CHECK(text_ok(in.set.address, 1, 500, 1));
	if (in.set.has_cap)
		FUZZ_CHECK(in.set.cap_dirhams >= 1 && in.set.cap_dirhams <= CAP_MAX_DIRHAMS);
	if (in.set.has_duration)
		FUZZ_CHECK(in.set.duration_years >= 1 && in.set.duration_years <= 3);
	FUZZ_CHECK(!required || (in.has_iban && in.has_auth && in.set.has_email &&
	    in.set.has_mobile && in.set.has_lang && in.set.has_address &&
	    in.set.has_cap && in.set.has_duration));
	return 1;
}

int
fuzz_review_body(struct req *r, json_t *body, int approve)
{
	struct review_note n;

	if (parse_review(r, body, approve, &n) != RB_OK)
		return 0;
	FUZZ_CHECK(approve || (n.has && n.s[0] != '\0'));
	FUZZ_CHECK(!n.has || strcmp(n.s, json_string_value(json_object_get(body,
	    "note"))) == 0);
	return 1;
}
