/*
 * domain/decision_index.h: the facts it hands the rule, its lookups, and
 * its tables past growth (compared with a plain model of the same writes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/decision_index.h"

#define TODAY	20795	/* 2026-12-08 */

/* Keys as the handlers hold them, parsed at the edge. */
#define Q(s)	((struct qid){ s })
#define E(s)	((struct est_id){ s })
#define S(s)	((struct svc_code){ s })

static struct dx_check
check(const struct decision_index *x, const char *q, const char *e, const char *s)
{
	struct qid qq;
	struct est_id ee;
	struct svc_code ss;
	struct dx_check c;

	snprintf(qq.s, sizeof(qq.s), "%s", q);
	snprintf(ee.s, sizeof(ee.s), "%s", e);
	snprintf(ss.s, sizeof(ss.s), "%s", s);
	dx_check_load(x, &qq, &ee, &ss, &c);
	return c;
}

static struct decision_index *
fixture(void)
{
	struct decision_index *x = dx_new(0, 0);
	struct dx_grant_facts live = { 11, DX_NO_FROM, TODAY + 5, 0, DX_ACCEPTED };
	struct dx_grant_facts revoked = { 0, DX_NO_FROM, DX_NO_UNTIL, 7, DX_ACCEPTED };

	assert_int_equal(dx_service_set(x, "RP_RENEW", 1), RB_OK);
	assert_int_equal(dx_service_set(x, "VISA", 1), RB_OK);
	assert_int_equal(dx_company_set(x, "10000001", 1), RB_OK);
	assert_int_equal(dx_person_set(x, "27263410001", PS_ACTIVE), RB_OK);
	assert_int_equal(dx_person_set(x, "28560810004", PS_ACTIVE), RB_OK);
	assert_int_equal(dx_signatory_set(x, "27263410001", "10000001", 1), RB_OK);
	assert_int_equal(dx_grant_set(x, "10000001", "28560810004", "RP_RENEW", &live), RB_OK);
	assert_int_equal(dx_grant_set(x, "10000001", "28560810004", "VISA", &revoked), RB_OK);
	return x;
}

static void
facts_are_those_the_rule_needs(void **state)
{
	struct decision_index *x = fixture();
	struct dx_check c;

	(void)state;
	c = check(x, "28560810004", "10000001", "RP_RENEW");
	assert_true(c.person_exists && c.company_exists && c.service_exists);
	assert_int_equal(c.facts.status, PS_ACTIVE);
	assert_false(c.facts.signatory);
	assert_true(c.facts.has_live_grant);
	assert_int_equal(c.facts.live_grant_id, 11);
	assert_true(c.facts.live_has_until);
	assert_int_equal(c.facts.live_until.days, TODAY + 5);
	c = check(x, "28560810004", "10000001", "VISA");
	assert_false(c.facts.has_live_grant);
	assert_int_equal(c.facts.revoked_grant_id, 7);
	c = check(x, "27263410001", "10000001", "VISA");
	assert_true(c.facts.signatory);
	c = check(x, "29999999999", "10000009", "NOPE");
	assert_false(c.person_exists || c.company_exists || c.service_exists);
	dx_free(x);
}

static void
changes_replace_facts(void **state)
{
	struct decision_index *x = fixture();
	struct dx_grant_facts gone = { 0, DX_NO_FROM, DX_NO_UNTIL, 11, DX_ACCEPTED };
	struct dx_check c;

	(void)state;
	assert_int_equal(dx_grant_set(x, "10000001", "28560810004", "RP_RENEW", &gone), RB_OK);
	c = check(x, "28560810004", "10000001", "RP_RENEW");
	assert_false(c.facts.has_live_grant);
	assert_int_equal(c.facts.revoked_grant_id, 11);
	assert_int_equal(dx_person_set(x, "27263410001", PS_DECEASED), RB_OK);
	assert_int_equal(check(x, "27263410001", "10000001", "VISA").facts.status, PS_DECEASED);
	assert_int_equal(dx_signatory_set(x, "27263410001", "10000001", 0), RB_OK);
	assert_false(check(x, "27263410001", "10000001", "VISA").facts.signatory);
	assert_int_equal(dx_person_remove(x, "27263410001"), RB_OK);
	assert_false(check(x, "27263410001", "10000001", "VISA").person_exists);
	assert_int_equal(dx_company_set(x, "10000001", 0), RB_OK);
	assert_false(check(x, "28560810004", "10000001", "VISA").company_exists);
	assert_int_equal(dx_person_set(x, "2726341000", PS_ACTIVE), RB_EINVAL);
	assert_int_equal(dx_company_set(x, "1000000x", 1), RB_EINVAL);
	dx_free(x);
}

/* A company's block (issue 15) reaches the check and empties the lookups
 * of it; lifted, both come back. */
static void
company_block_follows(void **state)
{
	struct decision_index *x = fixture();
	struct dx_authority *a;
	struct qid q = Q("27263410001");
	struct est_id e = E("10000001");
	struct svc_code sv = S("RP_RENEW");
	size_t n;

	(void)state;
	assert_int_equal(check(x, "27263410001", "10000001", "VISA").facts.company_block,
	    COMPANY_OPEN);
	assert_int_equal(dx_company_block_set(x, "10000001", COMPANY_NOT_ENROLLED), RB_OK);
	assert_int_equal(check(x, "27263410001", "10000001", "VISA").facts.company_block,
	    COMPANY_NOT_ENROLLED);
	assert_int_equal(dx_company_block(x, &e), COMPANY_NOT_ENROLLED);
	assert_int_equal(dx_person_authority(x, &q, TODAY, &a, &n), RB_OK);
	assert_int_equal(n, 0);
	free(a);
	assert_int_equal(dx_company_authorized(x, &e, &sv, TODAY, &a, &n), RB_OK);
	assert_int_equal(n, 0);
	free(a);
	assert_int_equal(dx_company_block_set(x, "10000001", COMPANY_SUSPENDED), RB_OK);
	assert_int_equal(check(x, "28560810004", "10000001", "RP_RENEW").facts.company_block,
	    COMPANY_SUSPENDED);
	assert_int_equal(dx_company_block_set(x, "10000001", 3), RB_EINVAL);
	assert_int_equal(dx_company_block_set(x, "10000001", COMPANY_OPEN), RB_OK);
	assert_int_equal(dx_company_authorized(x, &e, &sv, TODAY, &a, &n), RB_OK);
	assert_int_equal(n, 2);
	free(a);
	/* A company never seen is open. */
	assert_int_equal(dx_company_block(x, &(struct est_id){ "10000009" }), COMPANY_OPEN);
	dx_free(x);
}

static void
sessions_by_token(void **state)
{
	struct decision_index *x = dx_new(0, 0);
	struct dx_session s, got;

	(void)state;
	memset(&s, 0, sizeof(s));
	snprintf(s.token_hex, sizeof(s.token_hex), "%064d", 1);
	s.id = 42;
	s.seen = 100;
	snprintf(s.username, sizeof(s.username), "svc-visa");
	dx_session_set(x, &s);
	assert_true(dx_session_find(x, s.token_hex, &got));
	assert_int_equal(got.id, 42);
	assert_string_equal(got.username, "svc-visa");
	dx_session_seen(x, 42, 160);
	assert_true(dx_session_find(x, s.token_hex, &got));
	assert_int_equal(got.seen, 160);
	dx_session_seen(x, 42, 120);	/* never back */
	assert_true(dx_session_find(x, s.token_hex, &got));
	assert_int_equal(got.seen, 160);
	dx_session_remove_id(x, 42);
	assert_false(dx_session_find(x, s.token_hex, &got));
	dx_free(x);
}

static void
lookups_follow_the_rule(void **state)
{
	struct decision_index *x = fixture();
	struct dx_grant_facts other = { 12, DX_NO_FROM, DX_NO_UNTIL, 0, DX_ACCEPTED };
	struct dx_authority *a;
	struct qid q = Q("28560810004"), sq = Q("27263410001");
	struct est_id e = E("10000001");
	struct svc_code s = S("RP_RENEW");
	size_t n;

	(void)state;
	/* A grant where the person also signs: listed as signatory only. */
	assert_int_equal(dx_grant_set(x, "10000001", "27263410001", "RP_RENEW", &other), RB_OK);
	assert_int_equal(dx_person_authority(x, &q, TODAY, &a, &n), RB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(a[0].est.s, "10000001");
	assert_string_equal(a[0].service, "RP_RENEW");
	assert_int_equal(a[0].rule, AUTHZ_GRANT);
	assert_int_equal(a[0].grant_id, 11);
	free(a);
	/* Past its last day: gone from the lookup, as the check denies. */
	assert_int_equal(dx_person_authority(x, &q, TODAY + 6, &a, &n), RB_OK);
	assert_int_equal(n, 0);
	free(a);
	assert_int_equal(dx_person_authority(x, &sq, TODAY, &a, &n), RB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].rule, AUTHZ_SIGNATORY);
	assert_string_equal(a[0].service, "");
	free(a);
	assert_int_equal(dx_company_authorized(x, &e, &s, TODAY, &a, &n), RB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(a[0].qid.s, "27263410001");
	assert_int_equal(a[0].rule, AUTHZ_SIGNATORY);
	assert_string_equal(a[1].qid.s, "28560810004");
	assert_int_equal(a[1].rule, AUTHZ_GRANT);
	free(a);
	/* A person whose status ends authority acts for nobody. */
	assert_int_equal(dx_person_set(x, "28560810004", PS_RESIDENCY_CANCELLED), RB_OK);
	assert_int_equal(dx_company_authorized(x, &e, &s, TODAY, &a, &n), RB_OK);
	assert_int_equal(n, 1);
	free(a);
	assert_int_equal(dx_person_authority(x, &q, TODAY, &a, &n), RB_OK);
	assert_int_equal(n, 0);
	free(a);
	dx_free(x);
}

/* Many writes through every growth of the tables, against a model. */
#define NP 20000
#define NC 300

static void
tables_survive_growth(void **state)
{
	struct decision_index *x = dx_new(0, 0);
	static int64_t model[NP];	/* live grant id of person i at company i % NC */
	char q[12], e[9];
	struct dx_check c;
	size_t np, ng;
	int i, round;

	(void)state;
	assert_int_equal(dx_service_set(x, "RP_RENEW", 1), RB_OK);
	srand(13);
	for (round = 0; round < 3; round++)
		for (i = 0; i < NP; i++) {
			struct dx_grant_facts f = { 0, DX_NO_FROM, DX_NO_UNTIL, 0, DX_ACCEPTED };

			snprintf(q, sizeof(q), "2%010d", i * 7919);
			snprintf(e, sizeof(e), "%08d", 10000000 + i % NC);
			assert_int_equal(dx_person_set(x, q, PS_ACTIVE), RB_OK);
			assert_int_equal(dx_company_set(x, e, 1), RB_OK);
			f.live_id = rand() % 3 ? (int64_t)round * NP + i + 1 : 0;
			f.revoked_id = f.live_id ? 0 : 5;
			model[i] = f.live_id;
			assert_int_equal(dx_grant_set(x, e, q, "RP_RENEW", &f), RB_OK);
		}
	dx_counts(x, &np, &ng);
	assert_int_equal(np, NP);
	assert_int_equal(ng, NP);
	for (i = 0; i < NP; i++) {
		snprintf(q, sizeof(q), "2%010d", i * 7919);
		snprintf(e, sizeof(e), "%08d", 10000000 + i % NC);
		c = check(x, q, e, "RP_RENEW");
		assert_true(c.person_exists && c.company_exists);
		assert_int_equal(c.facts.has_live_grant, model[i] != 0);
		if (model[i])
			assert_int_equal(c.facts.live_grant_id, model[i]);
	}
	assert_true(dx_bytes(x) > (size_t)NP * 8);
	dx_free(x);
}

/* issue 16 §1: the index carries a grant's acceptance; a pending grant
 * is in no lookup, and accepting it (a change of the same triple) is. */
static void
pending_grants_carry_their_last_day(void **state)
{
	struct decision_index *x = fixture();
	struct dx_grant_facts pending = { 13, DX_NO_FROM, DX_NO_UNTIL, 0, TODAY + 7 };
	struct dx_grant_facts bad = { 13, DX_NO_FROM, DX_NO_UNTIL, 0, 70000 };
	struct dx_authority *a;
	struct dx_check c;
	struct qid q = Q("28560810004");
	size_t n;

	(void)state;
	assert_int_equal(dx_grant_set(x, "10000001", "28560810004", "VISA", &bad), RB_EINVAL);
	assert_int_equal(dx_grant_set(x, "10000001", "28560810004", "VISA", &pending), RB_OK);
	c = check(x, "28560810004", "10000001", "VISA");
	assert_true(c.facts.has_live_grant);
	assert_true(c.facts.live_pending);
	assert_int_equal(c.facts.live_answer_by.days, TODAY + 7);
	assert_int_equal(dx_person_authority(x, &q, TODAY, &a, &n), RB_OK);
	assert_int_equal(n, 1);		/* RP_RENEW only */
	assert_string_equal(a[0].service, "RP_RENEW");
	free(a);
	pending.answer_by = DX_ACCEPTED;
	assert_int_equal(dx_grant_set(x, "10000001", "28560810004", "VISA", &pending), RB_OK);
	c = check(x, "28560810004", "10000001", "VISA");
	assert_false(c.facts.live_pending);
	assert_int_equal(dx_person_authority(x, &q, TODAY, &a, &n), RB_OK);
	assert_int_equal(n, 2);
	free(a);
	dx_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(facts_are_those_the_rule_needs),
		cmocka_unit_test(changes_replace_facts),
		cmocka_unit_test(company_block_follows),

		cmocka_unit_test(pending_grants_carry_their_last_day),
		cmocka_unit_test(sessions_by_token),
		cmocka_unit_test(lookups_follow_the_rule),
		cmocka_unit_test(tables_survive_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
