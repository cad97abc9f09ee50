/*
 * domain/person_status.h: which statuses end a person's authority, and the
 * answer the SQL of sql/009 is given (store/access_store.c), so a change
 * of the rule shows in both places or this fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/authorize_rule.h"
#include "domain/grant_rules.h"
#include "domain/person_status.h"
#include "store/access_store.h"

static void
only_active_keeps_authority(void **state)
{
	(void)state;
	assert_false(person_status_revokes_grants(PS_ACTIVE));
	assert_true(person_status_revokes_grants(PS_SPONSORSHIP_TRANSFERRED));
	assert_true(person_status_revokes_grants(PS_RESIDENCY_CANCELLED));
	assert_true(person_status_revokes_grants(PS_DECEASED));
}

static void
sql_is_given_the_rule(void **state)
{
	char s[AUTHORITY_STATUSES_LEN];

	(void)state;
	memset(s, 'x', sizeof(s));
	authority_statuses(s);
	assert_string_equal(s, "{active}");
}

/* The revocation, the grant and the authorization rules all follow it. */
static void
rules_follow_it(void **state)
{
	struct authz_facts f;
	struct authz_decision d;
	struct grant_facts g;
	enum revoke_reason why;
	int s;

	(void)state;
	for (s = 0; s < PS__MAX; s++) {
		int revokes = person_status_revokes_grants((enum person_status)s);

		assert_int_equal(revoke_reason_for_status((enum person_status)s, &why),
		    revokes);
		memset(&f, 0, sizeof(f));
		f.status = (enum person_status)s;
		f.signatory = 1;
		authz_decide(&f, &d);
		assert_int_equal(d.allowed, !revokes);
		memset(&g, 0, sizeof(g));
		g.grantor_signs_for_company = g.grantor_active = 1;
		g.grantee_exists = g.employed_by_company = g.services_grantable = 1;
		g.grantee_status = (enum person_status)s;
		assert_int_equal(grant_decide(&g) == GRANT_PERSON_NOT_ACTIVE, revokes);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(only_active_keeps_authority),
		cmocka_unit_test(sql_is_given_the_rule),
		cmocka_unit_test(rules_follow_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
