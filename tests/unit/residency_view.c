/*
 * domain/residency_view.h: what a resident is told about the next
 * execution, from the engine's decision for them and the company's state:
 * the person's own obstacles before a paused company, each engine remedy
 * turned into what the person can do, and the catalogue key of the
 * sentence (the SMS's block.* where there is one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/residency_view.h"
#include "notify/catalog.h"

static struct renewal_candidate cand;

static struct renewal_decision
decision(enum renewal_result res, enum renewal_reason why)
{
	struct renewal_decision d;

	memset(&d, 0, sizeof(d));
	d.c = &cand;
	d.result = res;
	d.reason = why;
	d.fee_dirhams = 102000;
	return d;
}

static struct resident_view
view(int citizen, int sponsor, int found, enum renewal_state st,
    const struct renewal_decision *d)
{
	struct resident_facts f = { citizen, sponsor, found, st, d };
	struct resident_view v;

	resident_view_of(&f, &v);
	return v;
}

static void
key_is(const struct resident_view *v, const char *want)
{
	char key[64];

	resident_message_key(v, key, sizeof(key));
	assert_string_equal(key, want);
}

static void
renewed_is_included(void **state)
{
	struct renewal_decision d = decision(RES_RENEWED, RR_NONE);
	struct resident_view v = view(0, 1, 1, RS_ON, &d);

	(void)state;
	assert_int_equal(v.outlook, RO_RENEWED);
	assert_true(v.included);
	assert_null(resident_reason_code(&v));
	assert_null(resident_action_code(v.action));
	key_is(&v, "residency.RENEWED");
	/* Renewed by the engine, but the company stopped: not included. */
	v = view(0, 1, 1, RS_STOPPED, &d);
	assert_false(v.included);
	assert_int_equal(v.outlook, RO_RENEWAL_PAUSED);
	assert_string_equal(resident_action_code(v.action), "ASK_COMPANY");
	key_is(&v, "block.RENEWAL_PAUSED");
}

static void
each_reason_has_the_residents_action(void **state)
{
	static const struct {
		enum renewal_reason	why;
		const char		*action, *key;
	} cases[] = {
		{ RR_OUTSTANDING_FINES, "PAY_FINES", "block.OUTSTANDING_FINES" },
		{ RR_PASSPORT_VALIDITY, "RENEW_PASSPORT", "block.PASSPORT_VALIDITY" },
		{ RR_PERSON_ABROAD, "RETURN_TO_COUNTRY", "block.PERSON_ABROAD" },
		{ RR_EXCLUDED, "ASK_COMPANY", "block.EXCLUDED" },
		{ RR_CAP_EXCEEDED, "ASK_COMPANY", "block.CAP_EXCEEDED" },
		{ RR_DEBIT_DECLINED, "ASK_COMPANY", "block.DEBIT_DECLINED" },
		{ RR_MANDATE_INVALID, "ASK_COMPANY", "block.MANDATE_INVALID" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct renewal_decision d = decision(cases[i].why == RR_EXCLUDED ? RES_EXCLUDED :
		    RES_REJECTED, cases[i].why);
		struct resident_view v = view(0, 1, 1, RS_ON, &d);

		assert_int_equal(v.outlook, RO_NOT_RENEWED);
		assert_false(v.included);
		assert_string_equal(resident_reason_code(&v), renewal_reason_code(cases[i].why));
		assert_string_equal(resident_action_code(v.action), cases[i].action);
		key_is(&v, cases[i].key);
	}
}

static void
fines_carry_the_amount(void **state)
{
	struct renewal_decision d = decision(RES_REJECTED, RR_OUTSTANDING_FINES);
	struct resident_view v;

	(void)state;
	cand.fines_dirhams = 50000;
	v = view(0, 1, 1, RS_ON, &d);
	assert_true(v.has_amount);
	assert_int_equal(v.amount_dirhams, 50000);
	cand.fines_dirhams = 0;
}

static void
own_obstacles_before_a_paused_company(void **state)
{
	struct renewal_decision d = decision(RES_REJECTED, RR_PASSPORT_VALIDITY);
	struct resident_view v = view(0, 1, 1, RS_STOPPED, &d);

	(void)state;
	assert_int_equal(v.outlook, RO_NOT_RENEWED);
	assert_string_equal(resident_action_code(v.action), "RENEW_PASSPORT");
	/* The company's own reason, when paused: the pause is what to fix. */
	d = decision(RES_REJECTED, RR_CAP_EXCEEDED);
	v = view(0, 1, 1, RS_STOPPED, &d);
	assert_int_equal(v.outlook, RO_RENEWAL_PAUSED);
}

static void
not_active_by_status(void **state)
{
	struct renewal_decision d = decision(RES_REJECTED, RR_PERSON_NOT_ACTIVE);
	struct resident_view v;

	(void)state;
	cand.status = PS_SPONSORSHIP_TRANSFERRED;
	v = view(0, 1, 1, RS_ON, &d);
	assert_string_equal(resident_action_code(v.action), "ASK_NEW_SPONSOR");
	key_is(&v, "residency.PERSON_NOT_ACTIVE.transferred");
	cand.status = PS_RESIDENCY_CANCELLED;
	v = view(0, 1, 1, RS_ON, &d);
	assert_string_equal(resident_action_code(v.action), "NOT_RENEWABLE");
	key_is(&v, "residency.PERSON_NOT_ACTIVE.cancelled");
	cand.status = PS_ACTIVE;
}

static void
outside_the_engine(void **state)
{
	struct resident_view v;

	(void)state;
	v = view(1, 0, 0, RS_ON, NULL);
	assert_int_equal(v.outlook, RO_NO_PERMIT);
	key_is(&v, "residency.NO_PERMIT");
	v = view(0, 0, 0, RS_ON, NULL);
	assert_int_equal(v.outlook, RO_NO_SPONSOR);
	v = view(0, 1, 0, RS_ON, NULL);
	assert_int_equal(v.outlook, RO_NOT_SUBSCRIBED);
	assert_string_equal(resident_action_code(v.action), "ASK_COMPANY");
	v = view(0, 1, 1, RS_NOT_SUBSCRIBED, NULL);
	assert_int_equal(v.outlook, RO_NOT_SUBSCRIBED);
	v = view(0, 1, 1, RS_AWAITING_REVIEW, NULL);
	assert_int_equal(v.outlook, RO_AWAITING_REVIEW);
	key_is(&v, "residency.AWAITING_REVIEW");
	v = view(0, 1, 1, RS_ON, NULL);
	assert_int_equal(v.outlook, RO_NOT_DUE);
	assert_string_equal(resident_reason_code(&v), "NOT_DUE");
	assert_null(resident_action_code(v.action));
}

/* Every sentence a view can name is in the English and Arabic catalogues
 * ($RB_BIN/locale, built from po/). */
static void
every_key_has_its_sentence(void **state)
{
	static const enum renewal_state states[] = { RS_ON, RS_STOPPED, RS_AWAITING_REVIEW,
	    RS_NOT_SUBSCRIBED };
	static const enum person_status statuses[] = { PS_SPONSORSHIP_TRANSFERRED,
	    PS_RESIDENCY_CANCELLED };
	const char *bin = getenv("RB_BIN");
	char dir[512], err[256], key[64];
	struct catalog *cat = NULL;
	struct resident_view v;
	size_t s, k;
	int r, n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/locale", bin && *bin ? bin : "build");
	assert_int_equal(catalog_load_dir(dir, &cat, err, sizeof(err)), RB_OK);
	for (s = 0; s < 4; s++)
		for (r = RR_NONE; r < RR__MAX; r++)
			for (k = 0; k < 2; k++) {
				struct renewal_decision d = decision(r == RR_NONE ? RES_RENEWED :
				    RES_REJECTED, (enum renewal_reason)r);

				cand.status = statuses[k];
				v = view(0, 1, 1, states[s], &d);
				resident_message_key(&v, key, sizeof(key));
				assert_non_null(catalog_text_own(cat, "en", key));
				assert_non_null(catalog_text_own(cat, "ar", key));
				n++;
			}
	cand.status = PS_ACTIVE;
	for (s = 0; s < 4; s++) {
		/* a citizen, no sponsor, never subscribed, not due */
		v = view(s == 0, s != 1, s == 3, states[s == 3 ? 0 : s], NULL);
		resident_message_key(&v, key, sizeof(key));
		assert_non_null(catalog_text_own(cat, "en", key));
		assert_non_null(catalog_text_own(cat, "ar", key));
	}
	assert_true(n > 0);
	catalog_free(cat);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(renewed_is_included),
		cmocka_unit_test(each_reason_has_the_residents_action),
		cmocka_unit_test(fines_carry_the_amount),
		cmocka_unit_test(own_obstacles_before_a_paused_company),
		cmocka_unit_test(not_active_by_status),
		cmocka_unit_test(outside_the_engine),
		cmocka_unit_test(every_key_has_its_sentence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
