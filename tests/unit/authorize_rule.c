/*
 * domain/authorize_rule.h: may person P do service S for company C
 * (SPEC §3), and which rule said so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/authorize_rule.h"

#define TODAY	20795	/* 2026-12-08 */

/* An active person with nothing: neither signatory nor grant. */
static struct authz_facts
base(void)
{
	struct authz_facts f;

	memset(&f, 0, sizeof(f));
	f.status = PS_ACTIVE;
	f.today.days = TODAY;
	return f;
}

/* The decision with every field pre-set to garbage, so each must be set. */
static struct authz_decision
decide(const struct authz_facts *f)
{
	struct authz_decision d;

	memset(&d, 0x5a, sizeof(d));
	d.rule = AUTHZ__MAX;
	authz_decide(f, &d);
	return d;
}

static void
signatory_allowed(void **state)
{
	struct authz_facts f = base();
	struct authz_decision d;

	(void)state;
	f.signatory = 1;
	d = decide(&f);
	assert_int_equal(d.allowed, 1);
	assert_int_equal(d.rule, AUTHZ_SIGNATORY);
	assert_int_equal(d.grant_id, 0);

	/* A signatory needs no grant, and a revoked or expired one does not
	 * stand in the way. */
	f.revoked_grant_id = 17;
	f.has_live_grant = 1;
	f.live_grant_id = 18;
	f.live_has_until = 1;
	f.live_until.days = TODAY - 5;
	d = decide(&f);
	assert_int_equal(d.allowed, 1);
	assert_int_equal(d.rule, AUTHZ_SIGNATORY);
}

static void
inactive_denied(void **state)
{
	static const enum person_status st[] = {
		PS_SPONSORSHIP_TRANSFERRED, PS_RESIDENCY_CANCELLED, PS_DECEASED,
	};
	struct authz_facts f;
	struct authz_decision d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		/* Signatory, but no longer active. */
		f = base();
		f.status = st[i];
		f.signatory = 1;
		d = decide(&f);
		assert_int_equal(d.allowed, 0);
		assert_int_equal(d.rule, AUTHZ_PERSON_NOT_ACTIVE);
		assert_int_equal(d.grant_id, 0);

		/* Holding a live grant, but no longer active. */
		f = base();
		f.status = st[i];
		f.has_live_grant = 1;
		f.live_grant_id = 42;
		d = decide(&f);
		assert_int_equal(d.allowed, 0);
		assert_int_equal(d.rule, AUTHZ_PERSON_NOT_ACTIVE);
	}
}

static void
live_grant_allowed(void **state)
{
	struct authz_facts f = base();
	struct authz_decision d;

	(void)state;
	f.has_live_grant = 1;
	f.live_grant_id = 123456789012LL;
	d = decide(&f);
	assert_int_equal(d.allowed, 1);
	assert_int_equal(d.rule, AUTHZ_GRANT);
	assert_true(d.grant_id == 123456789012LL);

	/* A live grant wins over an older revoked one. */
	f.revoked_grant_id = 99;
	d = decide(&f);
	assert_int_equal(d.allowed, 1);
	assert_int_equal(d.rule, AUTHZ_GRANT);
	assert_true(d.grant_id == 123456789012LL);

	/* Without an end date, live_until means nothing. */
	f.live_has_until = 0;
	f.live_until.days = TODAY - 100;
	d = decide(&f);
	assert_int_equal(d.allowed, 1);
	assert_int_equal(d.rule, AUTHZ_GRANT);
}

static void
valid_until_boundary(void **state)
{
	struct authz_facts f = base();
	struct authz_decision d;

	(void)state;
	f.has_live_grant = 1;
	f.live_grant_id = 7;
	f.live_has_until = 1;

	/* The end date is the last day it authorizes. */
	f.live_until.days = TODAY;
	d = decide(&f);
	assert_int_equal(d.allowed, 1);
	assert_int_equal(d.rule, AUTHZ_GRANT);
	assert_int_equal(d.grant_id, 7);

	f.live_until.days = TODAY + 1;
	d = decide(&f);
	assert_int_equal(d.allowed, 1);

	f.live_until.days = TODAY - 1;
	d = decide(&f);
	assert_int_equal(d.allowed, 0);
	assert_int_equal(d.rule, AUTHZ_GRANT_EXPIRED);
	assert_int_equal(d.grant_id, 7);

	/* Expired live grant and an older revoked one: expired, naming the live. */
	f.revoked_grant_id = 3;
	d = decide(&f);
	assert_int_equal(d.allowed, 0);
	assert_int_equal(d.rule, AUTHZ_GRANT_EXPIRED);
	assert_int_equal(d.grant_id, 7);
}

static void
valid_from_boundary(void **state)
{
	struct authz_facts f = base();
	struct authz_decision d;

	(void)state;
	f.has_live_grant = 1;
	f.live_grant_id = 8;
	f.live_has_from = 1;

	/* The start date is the first day it authorizes. */
	f.live_from.days = TODAY;
	d = decide(&f);
	assert_int_equal(d.allowed, 1);
	assert_int_equal(d.rule, AUTHZ_GRANT);

	f.live_from.days = TODAY + 1;
	d = decide(&f);
	assert_int_equal(d.allowed, 0);
	assert_int_equal(d.rule, AUTHZ_GRANT_NOT_YET_VALID);
	assert_int_equal(d.grant_id, 8);

	/* Started and ended: the end decides. */
	f.live_from.days = TODAY - 10;
	f.live_has_until = 1;
	f.live_until.days = TODAY - 1;
	d = decide(&f);
	assert_int_equal(d.rule, AUTHZ_GRANT_EXPIRED);

	/* A signatory needs no grant, started or not. */
	f.live_from.days = TODAY + 5;
	f.live_has_until = 0;
	f.signatory = 1;
	d = decide(&f);
	assert_int_equal(d.allowed, 1);
	assert_int_equal(d.rule, AUTHZ_SIGNATORY);
}

static void
revoked_only(void **state)
{
	struct authz_facts f = base();
	struct authz_decision d;

	(void)state;
	f.revoked_grant_id = 31;
	d = decide(&f);
	assert_int_equal(d.allowed, 0);
	assert_int_equal(d.rule, AUTHZ_GRANT_REVOKED);
	assert_int_equal(d.grant_id, 31);
}

static void
nothing(void **state)
{
	struct authz_facts f = base();
	struct authz_decision d;

	(void)state;
	d = decide(&f);
	assert_int_equal(d.allowed, 0);
	assert_int_equal(d.rule, AUTHZ_NO_GRANT);
	assert_int_equal(d.grant_id, 0);
}

/* A company not enrolled, or suspended by itself, is acted for by nobody:
 * its signatories and live grants included; a person who lost authority
 * is still told so first. */
static void
company_blocked(void **state)
{
	struct authz_facts f = base();
	struct authz_decision d;

	(void)state;
	f.signatory = 1;
	f.has_live_grant = 1;
	f.live_grant_id = 7;
	f.company_block = COMPANY_NOT_ENROLLED;
	d = decide(&f);
	assert_false(d.allowed);
	assert_int_equal(d.rule, AUTHZ_ESTABLISHMENT_NOT_ENROLLED);
	assert_int_equal(d.grant_id, 0);
	f.company_block = COMPANY_SUSPENDED;
	d = decide(&f);
	assert_false(d.allowed);
	assert_int_equal(d.rule, AUTHZ_ESTABLISHMENT_SUSPENDED);
	f.status = PS_DECEASED;
	assert_int_equal(decide(&f).rule, AUTHZ_PERSON_NOT_ACTIVE);
	f.status = PS_ACTIVE;
	f.company_block = COMPANY_OPEN;
	d = decide(&f);
	assert_true(d.allowed);
	assert_int_equal(d.rule, AUTHZ_SIGNATORY);
}

/* issue 16 §1: a pending grant denies until accepted; its last day to
 * answer passes by the clock alone. */
static void
pending_grant_denied_until_accepted(void **state)
{
	struct authz_facts f = base();
	struct authz_decision d;

	(void)state;
	f.has_live_grant = 1;
	f.live_grant_id = 31;
	f.live_pending = 1;
	f.live_answer_by.days = TODAY;
	d = decide(&f);
	assert_int_equal(d.allowed, 0);
	assert_int_equal(d.rule, AUTHZ_GRANT_PENDING);
	assert_int_equal(d.grant_id, 31);
	/* Pending wins over a start date still ahead. */
	f.live_has_from = 1;
	f.live_from.days = TODAY + 3;
	d = decide(&f);
	assert_int_equal(d.rule, AUTHZ_GRANT_PENDING);
	f.today.days = TODAY + 1;
	d = decide(&f);
	assert_int_equal(d.allowed, 0);
	assert_int_equal(d.rule, AUTHZ_GRANT_OFFER_EXPIRED);
	assert_int_equal(d.grant_id, 31);
	/* Accepted: the grant's own dates decide again. */
	f.live_pending = 0;
	f.today.days = TODAY + 3;
	d = decide(&f);
	assert_int_equal(d.allowed, 1);
	assert_int_equal(d.rule, AUTHZ_GRANT);
	/* A signatory needs nobody's acceptance. */
	f.live_pending = 1;
	f.signatory = 1;
	d = decide(&f);
	assert_int_equal(d.rule, AUTHZ_SIGNATORY);
}

static void
rule_names(void **state)
{
	static const struct {
		enum authz_rule r;
		const char *name;
	} want[] = {
		{ AUTHZ_SIGNATORY, "signatory" },
		{ AUTHZ_GRANT, "grant" },
		{ AUTHZ_PERSON_NOT_ACTIVE, "person_not_active" },
		{ AUTHZ_GRANT_EXPIRED, "grant_expired" },
		{ AUTHZ_GRANT_NOT_YET_VALID, "grant_not_yet_valid" },
		{ AUTHZ_GRANT_REVOKED, "grant_revoked" },
		{ AUTHZ_NO_GRANT, "no_grant" },
		{ AUTHZ_ESTABLISHMENT_NOT_ENROLLED, "establishment_not_enrolled" },
		{ AUTHZ_ESTABLISHMENT_SUSPENDED, "establishment_suspended" },

		{ AUTHZ_GRANT_PENDING, "grant_pending" },
		{ AUTHZ_GRANT_OFFER_EXPIRED, "grant_offer_expired" },
	};
	size_t i;

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), AUTHZ__MAX);
	for (i = 0; i < AUTHZ__MAX; i++)
		assert_string_equal(authz_rule_name(want[i].r), want[i].name);
	assert_string_equal(authz_rule_name(AUTHZ__MAX), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signatory_allowed),
		cmocka_unit_test(company_blocked),

		cmocka_unit_test(pending_grant_denied_until_accepted),
		cmocka_unit_test(inactive_denied),
		cmocka_unit_test(live_grant_allowed),
		cmocka_unit_test(valid_until_boundary),
		cmocka_unit_test(valid_from_boundary),
		cmocka_unit_test(revoked_only),
		cmocka_unit_test(nothing),
		cmocka_unit_test(rule_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
