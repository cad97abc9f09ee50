/*
 * domain/grant_rules.h: who may grant what to whom (SPEC §3), and the
 * revocation reasons stored in grants.revoke_reason (sql/002).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/grant_rules.h"

#define TODAY	20795	/* 2026-12-08 */

/* Everything in order: the grant goes through. */
static struct grant_facts
ok_facts(void)
{
	struct grant_facts f;

	memset(&f, 0, sizeof(f));
	f.grantor_signs_for_company = 1;
	f.grantor_active = 1;
	f.grantee_exists = 1;
	f.grantee_status = PS_ACTIVE;
	f.employed_by_company = 1;
	f.employed_in_group = 0;
	f.services_grantable = 1;
	f.today.days = TODAY;
	f.has_valid_until = 0;
	return f;
}

static void
all_good(void **state)
{
	struct grant_facts f = ok_facts();

	(void)state;
	assert_int_equal(grant_decide(&f), GRANT_OK);
	/* Employed both at C and in the group. */
	f.employed_in_group = 1;
	assert_int_equal(grant_decide(&f), GRANT_OK);
}

static void
sister_company(void **state)
{
	struct grant_facts f = ok_facts();

	(void)state;
	/* Employed not at C but at another company the grantor signs for. */
	f.employed_by_company = 0;
	f.employed_in_group = 1;
	assert_int_equal(grant_decide(&f), GRANT_OK);
}

static void
not_in_group(void **state)
{
	struct grant_facts f = ok_facts();

	(void)state;
	f.employed_by_company = 0;
	f.employed_in_group = 0;
	assert_int_equal(grant_decide(&f), GRANT_NOT_IN_GROUP);
}

static void
not_signatory(void **state)
{
	struct grant_facts f = ok_facts();

	(void)state;
	f.grantor_signs_for_company = 0;
	assert_int_equal(grant_decide(&f), GRANT_NOT_SIGNATORY);
	f = ok_facts();
	f.grantor_active = 0;
	assert_int_equal(grant_decide(&f), GRANT_NOT_SIGNATORY);
}

static void
inactive_grantee(void **state)
{
	static const enum person_status st[] = {
		PS_SPONSORSHIP_TRANSFERRED, PS_RESIDENCY_CANCELLED, PS_DECEASED,
	};
	struct grant_facts f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		f = ok_facts();
		f.grantee_status = st[i];
		assert_int_equal(grant_decide(&f), GRANT_PERSON_NOT_ACTIVE);
		/* Being employed in the group does not help. */
		f.employed_in_group = 1;
		assert_int_equal(grant_decide(&f), GRANT_PERSON_NOT_ACTIVE);
	}
}

static void
unknown_person(void **state)
{
	struct grant_facts f = ok_facts();

	(void)state;
	f.grantee_exists = 0;
	assert_int_equal(grant_decide(&f), GRANT_UNKNOWN_PERSON);
}

static void
service_not_grantable(void **state)
{
	struct grant_facts f = ok_facts();

	(void)state;
	f.services_grantable = 0;
	assert_int_equal(grant_decide(&f), GRANT_SERVICE_NOT_GRANTABLE);
}

static void
valid_until(void **state)
{
	struct grant_facts f = ok_facts();

	(void)state;
	f.has_valid_until = 1;
	f.valid_until.days = TODAY;
	assert_int_equal(grant_decide(&f), GRANT_OK);
	f.valid_until.days = TODAY + 365;
	assert_int_equal(grant_decide(&f), GRANT_OK);
	f.valid_until.days = TODAY - 1;
	assert_int_equal(grant_decide(&f), GRANT_VALID_UNTIL_PAST);
	/* Without an end date the field means nothing. */
	f.has_valid_until = 0;
	assert_int_equal(grant_decide(&f), GRANT_OK);
}

static void
valid_from(void **state)
{
	struct grant_facts f = ok_facts();

	(void)state;
	f.has_valid_from = 1;
	f.valid_from.days = TODAY;
	assert_int_equal(grant_decide(&f), GRANT_OK);
	f.valid_from.days = TODAY + 30;
	assert_int_equal(grant_decide(&f), GRANT_OK);
	f.valid_from.days = TODAY - 1;
	assert_int_equal(grant_decide(&f), GRANT_VALID_FROM_PAST);
	/* A one-day grant starts and ends the same day. */
	f.valid_from.days = TODAY + 30;
	f.has_valid_until = 1;
	f.valid_until.days = TODAY + 30;
	assert_int_equal(grant_decide(&f), GRANT_OK);
	f.valid_until.days = TODAY + 29;
	assert_int_equal(grant_decide(&f), GRANT_VALID_FROM_AFTER_UNTIL);
	/* Without a start date the end alone is checked. */
	f.has_valid_from = 0;
	assert_int_equal(grant_decide(&f), GRANT_OK);
}

/*
 * Precedence: every fact from a given one onwards is bad; the answer is
 * the refusal of the first one. The grantor's authority is checked before
 * anything about the person, so a non-signatory learns nothing about
 * whether a QID exists.
 */
static void
precedence(void **state)
{
	struct grant_facts f;
	int step, k;
	static const enum grant_refusal want[] = {
		GRANT_NOT_SIGNATORY, GRANT_UNKNOWN_PERSON, GRANT_NOT_IN_GROUP,
		GRANT_PERSON_NOT_ACTIVE, GRANT_SERVICE_NOT_GRANTABLE,
		GRANT_VALID_UNTIL_PAST,
	};

	(void)state;
	for (step = 0; step < 6; step++) {
		f = ok_facts();
		for (k = step; k < 6; k++)
			switch (k) {
			case 0:
				f.grantor_signs_for_company = 0;
				break;
			case 1:
				f.grantee_exists = 0;
				break;
			case 2:
				f.employed_by_company = 0;
				f.employed_in_group = 0;
				break;
			case 3:
				f.grantee_status = PS_DECEASED;
				break;
			case 4:
				f.services_grantable = 0;
				break;
			case 5:
				f.has_valid_until = 1;
				f.valid_until.days = TODAY - 10;
				break;
			}
		assert_int_equal(grant_decide(&f), want[step]);
	}

	/* The two most telling pairs spelt out. */
	f = ok_facts();
	f.grantor_active = 0;
	f.grantee_exists = 0;
	assert_int_equal(grant_decide(&f), GRANT_NOT_SIGNATORY);
	/* A stranger's registry status is not told: outside the group they
	 * are only "not in group", whatever their status (issue 11 §3). */
	for (k = 0; k < PS__MAX; k++) {
		f = ok_facts();
		f.grantee_status = (enum person_status)k;
		f.employed_by_company = 0;
		f.employed_in_group = 0;
		assert_int_equal(grant_decide(&f), GRANT_NOT_IN_GROUP);
		/* Inside the group, the status is told. */
		f.employed_in_group = 1;
		assert_int_equal(grant_decide(&f),
		    person_status_revokes_grants(f.grantee_status) ?
		    GRANT_PERSON_NOT_ACTIVE : GRANT_OK);
	}
}

static void
refusal_codes(void **state)
{
	static const struct {
		enum grant_refusal r;
		const char *code;
	} want[] = {
		{ GRANT_OK, "ok" },
		{ GRANT_NOT_SIGNATORY, "not_signatory" },
		{ GRANT_UNKNOWN_PERSON, "unknown_person" },
		{ GRANT_PERSON_NOT_ACTIVE, "person_not_active" },
		{ GRANT_NOT_IN_GROUP, "not_in_group" },
		{ GRANT_SERVICE_NOT_GRANTABLE, "unknown_service" },
		{ GRANT_VALID_UNTIL_PAST, "valid_until_past" },
		{ GRANT_VALID_FROM_PAST, "valid_from_past" },
		{ GRANT_VALID_FROM_AFTER_UNTIL, "valid_from_after_until" },
	};
	size_t i, j;

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), GRANT__MAX);
	for (i = 0; i < GRANT__MAX; i++) {
		assert_string_equal(grant_refusal_code(want[i].r), want[i].code);
		assert_non_null(grant_refusal_message(want[i].r));
		assert_true(strlen(grant_refusal_message(want[i].r)) > 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(grant_refusal_code(want[i].r),
			    grant_refusal_code(want[j].r));
	}
	assert_string_equal(grant_refusal_code(GRANT__MAX), "unknown");
	assert_string_equal(grant_refusal_code((enum grant_refusal)-1), "unknown");
	assert_string_equal(grant_refusal_message(GRANT__MAX), "unknown");
}

/* ---- Revocation reasons */

static void
revoke_reason_names(void **state)
{
	/* These strings are stored in grants.revoke_reason: never rename. */
	static const struct {
		enum revoke_reason r;
		const char *name;
	} want[] = {
		{ REVOKE_BY_SIGNATORY, "revoked_by_signatory" },
		{ REVOKE_SUPERSEDED, "superseded" },
		{ REVOKE_EMPLOYMENT_ENDED, "employment_ended" },
		{ REVOKE_STATUS_SPONSORSHIP_TRANSFERRED, "sponsorship_transferred" },
		{ REVOKE_STATUS_RESIDENCY_CANCELLED, "residency_cancelled" },
		{ REVOKE_STATUS_DECEASED, "deceased" },
		{ REVOKE_DECLINED, "declined" },
		{ REVOKE_WITHDRAWN, "withdrawn" },
	};
	size_t i;

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), REVOKE__MAX);
	for (i = 0; i < REVOKE__MAX; i++)
		assert_string_equal(revoke_reason_name(want[i].r), want[i].name);
	assert_string_equal(revoke_reason_name(REVOKE__MAX), "unknown");
	assert_string_equal(revoke_reason_name((enum revoke_reason)-1), "unknown");
}

static void
revoke_for_status(void **state)
{
	enum revoke_reason r;

	(void)state;
	r = REVOKE_SUPERSEDED;
	assert_int_equal(revoke_reason_for_status(PS_ACTIVE, &r), 0);
	assert_int_equal(r, REVOKE_SUPERSEDED);	/* untouched */

	assert_int_equal(revoke_reason_for_status(PS_SPONSORSHIP_TRANSFERRED, &r), 1);
	assert_int_equal(r, REVOKE_STATUS_SPONSORSHIP_TRANSFERRED);
	assert_string_equal(revoke_reason_name(r), "sponsorship_transferred");

	assert_int_equal(revoke_reason_for_status(PS_RESIDENCY_CANCELLED, &r), 1);
	assert_int_equal(r, REVOKE_STATUS_RESIDENCY_CANCELLED);
	assert_string_equal(revoke_reason_name(r), "residency_cancelled");

	assert_int_equal(revoke_reason_for_status(PS_DECEASED, &r), 1);
	assert_int_equal(r, REVOKE_STATUS_DECEASED);
	assert_string_equal(revoke_reason_name(r), "deceased");
}

/* Each status that revokes grants has a reason, and its name is the status's. */
static void
revoke_matches_person_status(void **state)
{
	enum revoke_reason r;
	int s;

	(void)state;
	for (s = 0; s < PS__MAX; s++) {
		int has = revoke_reason_for_status((enum person_status)s, &r);

		assert_int_equal(has,
		    person_status_revokes_grants((enum person_status)s));
		if (has)
			assert_string_equal(revoke_reason_name(r),
			    person_status_name((enum person_status)s));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_good),
		cmocka_unit_test(sister_company),
		cmocka_unit_test(not_in_group),
		cmocka_unit_test(not_signatory),
		cmocka_unit_test(inactive_grantee),
		cmocka_unit_test(unknown_person),
		cmocka_unit_test(service_not_grantable),
		cmocka_unit_test(valid_until),
		cmocka_unit_test(valid_from),
		cmocka_unit_test(precedence),
		cmocka_unit_test(refusal_codes),
		cmocka_unit_test(revoke_reason_names),
		cmocka_unit_test(revoke_for_status),
		cmocka_unit_test(revoke_matches_person_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
