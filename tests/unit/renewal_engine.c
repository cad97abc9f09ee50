/*
 * domain/renewal_engine.h: who is renewed and why (SPEC §4 "The calendar").
 * The rules are the seeded ones (sql/007_scheduler.sql); the bank is a
 * test double that records every debit attempted, declines chosen QIDs and
 * hands out references, so each test can say exactly what was debited.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/renewal_engine.h"

/* The seeded rules: 100000/year, 20% off 3 years, delivery 2000, grace 90
 * days, fine 1000/day capped at 1000000, window 30 days, passport 6 months. */
static const struct renewal_rules RULES = {
	.fee_per_year_dirhams = 100000,
	.three_year_discount_pct = 20,
	.delivery_fee_dirhams = 2000,
	.grace_days = 90,
	.late_fine_per_day_dirhams = 1000,
	.late_fine_cap_dirhams = 1000000,
	.window_days = 30,
	.passport_months = 6,
};

#define FEE_1Y		102000		/* 100000 + 2000 delivery */
#define NO_CAP		INT64_C(1000000000)
#define MAX_CALLS	32
#define MAX_CANDS	16

/* ---- dates ---- */

static struct rb_date
ymd(int y, int m, int d)
{
	struct rb_date out;

	assert_int_equal(date_from_ymd(y, m, d, &out), RB_OK);
	return out;
}

static struct rb_date
plus(struct rb_date d, int days)
{
	d.days += days;
	return d;
}

/* The execution date of most tests: an 8th. */
static struct rb_date
exec_date(void)
{
	return ymd(2026, 12, 8);
}

static void
assert_date(struct rb_date got, int y, int m, int d)
{
	char g[11], w[11];

	date_format(got, g);
	date_format(ymd(y, m, d), w);
	assert_string_equal(g, w);
}

/* ---- candidates ---- */

/* A candidate with nothing against it: active, in the country, passport
 * valid for years, no fines, not excluded. */
static struct renewal_candidate
cand(const char *qid, struct rb_date expiry)
{
	struct renewal_candidate c;

	memset(&c, 0, sizeof(c));
	assert_true(strlen(qid) == 11);
	memcpy(c.qid.s, qid, 12);
	c.name_ar = "اسم";
	c.name_en = "Name";
	c.expiry = expiry;
	c.status = PS_ACTIVE;
	c.in_country = 1;
	c.has_passport = 1;
	c.passport_expiry = ymd(2040, 1, 1);
	c.fines_dirhams = 0;
	c.excluded = 0;
	return c;
}

/* ---- the test bank ---- */

struct debit_call {
	char	qid[12];
	int64_t	amount;
};

struct test_bank {
	struct debit_call	calls[MAX_CALLS];
	size_t			ncalls;
	const char		*decline[8];	/* QIDs the bank refuses */
	size_t			ndecline;
	const char		*fail;		/* QID on which the bank errors */
};

static int
listed(const struct test_bank *b, const char *qid)
{
	size_t i;

	for (i = 0; i < b->ndecline; i++)
		if (strcmp(b->decline[i], qid) == 0)
			return 1;
	return 0;
}

static enum rb_err
test_debit(void *ctx, const struct qid *q, int64_t amount, int *declined, char ref[40])
{
	struct test_bank *b = ctx;
	struct debit_call *call;

	assert_true(b->ncalls < MAX_CALLS);
	call = &b->calls[b->ncalls++];
	memcpy(call->qid, q->s, sizeof(call->qid));
	call->amount = amount;
	if (b->fail != NULL && strcmp(b->fail, q->s) == 0)
		return RB_EIO;
	*declined = listed(b, q->s);
	/* A refusing bank may still say something: the engine must not keep it. */
	snprintf(ref, 40, "%s-%s", *declined ? "REFUSED" : "DBT", q->s);
	return RB_OK;
}

static void
bank_decline(struct test_bank *b, const char *qid)
{
	assert_true(b->ndecline < 8);
	b->decline[b->ndecline++] = qid;
}

/* Runs the engine; out is filled with garbage first so that nothing the
 * engine forgets to set passes by chance. */
static void
run(struct rb_date date, int years, int64_t cap, const struct renewal_candidate *c,
    size_t n, struct test_bank *tb, struct renewal_decision *out, int64_t *total)
{
	struct renewal_run r = { .date = date, .duration_years = years,
	    .cap_dirhams = cap, .rules = &RULES };
	struct renewal_bank bank = { .ctx = tb, .debit = test_debit };

	assert_true(n <= MAX_CANDS);
	memset(out, 0xA5, MAX_CANDS * sizeof(*out));
	*total = -1;
	assert_int_equal(renewal_decide(&r, c, n, &bank, out, total), RB_OK);
}

/* One candidate at the execution date, one year, no cap to speak of. */
static struct renewal_decision
decide_one(const struct renewal_candidate *c, struct test_bank *tb)
{
	struct renewal_decision out[MAX_CANDS];
	int64_t total;

	run(exec_date(), 1, NO_CAP, c, 1, tb, out, &total);
	assert_ptr_equal(out[0].c, c);
	if (out[0].result == RES_RENEWED)
		assert_int_equal(total, out[0].fee_dirhams);
	else
		assert_int_equal(total, 0);
	return out[0];
}

static void
assert_rejected(const struct renewal_decision *d, enum renewal_reason why)
{
	assert_int_equal(d->result, RES_REJECTED);
	assert_int_equal(d->reason, why);
	assert_int_equal(d->has_new_expiry, 0);
	assert_string_equal(d->debit_ref, "");
}

static int64_t
sum_renewed(const struct renewal_decision *out, size_t n)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (out[i].result == RES_RENEWED)
			sum += out[i].fee_dirhams;
	return sum;
}

/* ---- codes ---- */

static void
codes(void **state)
{
	(void)state;
	assert_null(renewal_reason_code(RR_NONE));
	assert_string_equal(renewal_reason_code(RR_EXCLUDED), "EXCLUDED");
	assert_string_equal(renewal_reason_code(RR_PERSON_NOT_ACTIVE), "PERSON_NOT_ACTIVE");
	assert_string_equal(renewal_reason_code(RR_PERSON_ABROAD), "PERSON_ABROAD");
	assert_string_equal(renewal_reason_code(RR_PASSPORT_VALIDITY), "PASSPORT_VALIDITY");
	assert_string_equal(renewal_reason_code(RR_OUTSTANDING_FINES), "OUTSTANDING_FINES");
	assert_string_equal(renewal_reason_code(RR_CAP_EXCEEDED), "CAP_EXCEEDED");
	assert_string_equal(renewal_reason_code(RR_DEBIT_DECLINED), "DEBIT_DECLINED");
	assert_null(renewal_reason_code(RR__MAX));
	assert_null(renewal_reason_code((enum renewal_reason)-1));

	assert_string_equal(renewal_result_code(RES_CANDIDATE), "CANDIDATE");
	assert_string_equal(renewal_result_code(RES_RENEWED), "RENEWED");
	assert_string_equal(renewal_result_code(RES_REJECTED), "REJECTED");
	assert_string_equal(renewal_result_code(RES_EXCLUDED), "EXCLUDED");
	assert_string_equal(renewal_result_code(RES_DEBITED), "DEBITED");
}

/* ---- the 30-day window ---- */

static void
window_edges(void **state)
{
	struct rb_date d = exec_date();

	(void)state;
	assert_true(renewal_is_candidate(&RULES, plus(d, 30), d));
	assert_false(renewal_is_candidate(&RULES, plus(d, 31), d));
	assert_true(renewal_is_candidate(&RULES, plus(d, 1), d));
	assert_true(renewal_is_candidate(&RULES, d, d));
	assert_true(renewal_is_candidate(&RULES, plus(d, -1), d));
	assert_true(renewal_is_candidate(&RULES, ymd(2019, 3, 1), d));
	assert_false(renewal_is_candidate(&RULES, ymd(2030, 1, 1), d));
}

/* ---- fine and fee, directly ---- */

static void
late_fine_direct(void **state)
{
	struct rb_date d = exec_date();

	(void)state;
	assert_int_equal(renewal_late_fine(&RULES, plus(d, 10), d), 0);	/* not expired */
	assert_int_equal(renewal_late_fine(&RULES, d, d), 0);
	assert_int_equal(renewal_late_fine(&RULES, plus(d, -1), d), 0);
	assert_int_equal(renewal_late_fine(&RULES, plus(d, -90), d), 0);	/* last day of grace */
	assert_int_equal(renewal_late_fine(&RULES, plus(d, -91), d), 1000);	/* day 91 */
	assert_int_equal(renewal_late_fine(&RULES, plus(d, -92), d), 2000);
	assert_int_equal(renewal_late_fine(&RULES, plus(d, -(90 + 37)), d), 37000);
	assert_int_equal(renewal_late_fine(&RULES, plus(d, -(90 + 999)), d), 999000);
	assert_int_equal(renewal_late_fine(&RULES, plus(d, -(90 + 1000)), d), 1000000);
	assert_int_equal(renewal_late_fine(&RULES, plus(d, -(90 + 1001)), d), 1000000);
	assert_int_equal(renewal_late_fine(&RULES, ymd(2000, 1, 1), d), 1000000);
}

static void
fee_direct(void **state)
{
	struct rb_date d = exec_date();
	int64_t fine = -1;

	(void)state;
	assert_int_equal(renewal_fee(&RULES, 1, plus(d, 5), d, &fine), 100000 + 2000);
	assert_int_equal(fine, 0);
	assert_int_equal(renewal_fee(&RULES, 2, plus(d, 5), d, &fine), 200000 + 2000);
	assert_int_equal(fine, 0);
	assert_int_equal(renewal_fee(&RULES, 3, plus(d, 5), d, &fine), 240000 + 2000);
	assert_int_equal(fine, 0);

	/* Within grace: no fine. */
	fine = -1;
	assert_int_equal(renewal_fee(&RULES, 1, plus(d, -90), d, &fine), 102000);
	assert_int_equal(fine, 0);
	/* base + fine + delivery */
	assert_int_equal(renewal_fee(&RULES, 1, plus(d, -91), d, &fine), 100000 + 1000 + 2000);
	assert_int_equal(fine, 1000);
	assert_int_equal(renewal_fee(&RULES, 3, plus(d, -100), d, &fine), 240000 + 10000 + 2000);
	assert_int_equal(fine, 10000);
	assert_int_equal(renewal_fee(&RULES, 2, ymd(2015, 6, 1), d, &fine), 200000 + 1000000 + 2000);
	assert_int_equal(fine, 1000000);
}

/* ---- one candidate through the engine ---- */

static void
renewed_when_nothing_against(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c = cand("28763400001", plus(exec_date(), 12));
	struct renewal_decision d;

	(void)state;
	d = decide_one(&c, &tb);
	assert_int_equal(d.result, RES_RENEWED);
	assert_int_equal(d.reason, RR_NONE);
	assert_int_equal(d.flags, 0);
	assert_int_equal(d.fee_dirhams, FEE_1Y);
	assert_int_equal(d.late_fine_dirhams, 0);
	assert_string_equal(d.debit_ref, "DBT-28763400001");
	assert_int_equal(d.has_new_expiry, 1);
	assert_date(d.new_expiry, 2027, 12, 20);
	/* Cards go out 24 to 48 hours after the execution. */
	assert_date(d.delivery_from, 2026, 12, 9);
	assert_date(d.delivery_to, 2026, 12, 10);

	assert_int_equal(tb.ncalls, 1);
	assert_string_equal(tb.calls[0].qid, "28763400001");
	assert_int_equal(tb.calls[0].amount, FEE_1Y);
}

static void
excluded(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c = cand("28763400001", plus(exec_date(), 12));
	struct renewal_decision d;

	(void)state;
	c.excluded = 1;
	d = decide_one(&c, &tb);
	assert_int_equal(d.result, RES_EXCLUDED);
	assert_int_equal(d.reason, RR_EXCLUDED);
	assert_true(d.flags & FLAG_EXCLUDED);
	assert_int_equal(d.has_new_expiry, 0);
	assert_string_equal(d.debit_ref, "");
	assert_int_equal(tb.ncalls, 0);
}

static void
not_active_each_status(void **state)
{
	enum person_status s;

	(void)state;
	for (s = PS_ACTIVE + 1; s < PS__MAX; s++) {
		struct test_bank tb = { 0 };
		struct renewal_candidate c = cand("28763400001", plus(exec_date(), 12));
		struct renewal_decision d;

		c.status = s;
		d = decide_one(&c, &tb);
		assert_rejected(&d, RR_PERSON_NOT_ACTIVE);
		assert_int_equal(d.flags, FLAG_NOT_ACTIVE);
		assert_int_equal(tb.ncalls, 0);
	}
}

static void
abroad(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c = cand("28763400001", plus(exec_date(), 12));
	struct renewal_decision d;

	(void)state;
	c.in_country = 0;
	d = decide_one(&c, &tb);
	assert_rejected(&d, RR_PERSON_ABROAD);
	assert_int_equal(d.flags, FLAG_ABROAD);
	assert_int_equal(tb.ncalls, 0);
}

static void
passport_validity(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c = cand("28763400001", plus(exec_date(), 12));
	struct renewal_decision d;

	(void)state;
	/* No passport on file. */
	c.has_passport = 0;
	d = decide_one(&c, &tb);
	assert_rejected(&d, RR_PASSPORT_VALIDITY);
	assert_int_equal(d.flags, FLAG_PASSPORT);

	/* 2026-12-08 + 6 months = 2027-06-08: the day before is too short. */
	c.has_passport = 1;
	c.passport_expiry = ymd(2027, 6, 7);
	d = decide_one(&c, &tb);
	assert_rejected(&d, RR_PASSPORT_VALIDITY);
	assert_int_equal(d.flags, FLAG_PASSPORT);

	/* Already expired passport. */
	c.passport_expiry = ymd(2026, 1, 1);
	d = decide_one(&c, &tb);
	assert_rejected(&d, RR_PASSPORT_VALIDITY);
	assert_int_equal(tb.ncalls, 0);

	/* Exactly six months: enough. */
	c.passport_expiry = ymd(2027, 6, 8);
	d = decide_one(&c, &tb);
	assert_int_equal(d.result, RES_RENEWED);
	assert_int_equal(d.flags, 0);
	assert_int_equal(tb.ncalls, 1);
}

static void
outstanding_fines(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c = cand("28763400001", plus(exec_date(), -91));
	struct renewal_decision d;

	(void)state;
	c.fines_dirhams = 1;
	d = decide_one(&c, &tb);
	assert_rejected(&d, RR_OUTSTANDING_FINES);
	assert_int_equal(d.flags, FLAG_FINES);
	/* The expected fee is still worked out, for the alert statement. */
	assert_int_equal(d.fee_dirhams, 100000 + 1000 + 2000);
	assert_int_equal(d.late_fine_dirhams, 1000);
	assert_int_equal(tb.ncalls, 0);
}

static void
cap_exceeded_alone(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c = cand("28763400001", plus(exec_date(), 12));
	struct renewal_decision out[MAX_CANDS];
	int64_t total;

	(void)state;
	run(exec_date(), 1, FEE_1Y - 1, &c, 1, &tb, out, &total);
	assert_rejected(&out[0], RR_CAP_EXCEEDED);
	assert_true(out[0].flags & FLAG_OVER_CAP);
	assert_int_equal(out[0].fee_dirhams, FEE_1Y);
	assert_int_equal(total, 0);
	assert_int_equal(tb.ncalls, 0);

	/* A zero cap renews nobody. */
	run(exec_date(), 1, 0, &c, 1, &tb, out, &total);
	assert_rejected(&out[0], RR_CAP_EXCEEDED);
	assert_int_equal(tb.ncalls, 0);
}

static void
debit_declined(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c[2] = {
		cand("28763400001", plus(exec_date(), 3)),
		cand("28763400002", plus(exec_date(), 4)),
	};
	struct renewal_decision out[MAX_CANDS];
	int64_t total;

	(void)state;
	bank_decline(&tb, "28763400001");
	/* The cap fits one: a refused debit does not use it up. */
	run(exec_date(), 1, FEE_1Y, c, 2, &tb, out, &total);
	assert_ptr_equal(out[0].c, &c[0]);
	assert_rejected(&out[0], RR_DEBIT_DECLINED);	/* ref "REFUSED-..." dropped */
	assert_ptr_equal(out[1].c, &c[1]);
	assert_int_equal(out[1].result, RES_RENEWED);
	assert_string_equal(out[1].debit_ref, "DBT-28763400002");
	assert_int_equal(total, FEE_1Y);

	assert_int_equal(tb.ncalls, 2);
	assert_string_equal(tb.calls[0].qid, "28763400001");
	assert_int_equal(tb.calls[0].amount, FEE_1Y);
	assert_string_equal(tb.calls[1].qid, "28763400002");
	assert_int_equal(tb.calls[1].amount, FEE_1Y);

	/* Alone and declined: the total stays at 0. */
	tb.ncalls = 0;
	run(exec_date(), 1, NO_CAP, c, 1, &tb, out, &total);
	assert_rejected(&out[0], RR_DEBIT_DECLINED);
	assert_int_equal(total, 0);
	assert_int_equal(tb.ncalls, 1);
}

/* A mandate that no longer holds debits nobody and says so on each line
 * that would otherwise renew; the person's own reasons come first. */
static void
mandate_invalid_debits_nothing(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c[3] = {
		cand("28763400001", plus(exec_date(), -100)),
		cand("28763400002", plus(exec_date(), 4)),
		cand("28763400003", plus(exec_date(), 5)),
	};
	struct renewal_run r = { .date = exec_date(), .duration_years = 1,
	    .cap_dirhams = NO_CAP, .rules = &RULES, .mandate_invalid = 1 };
	struct renewal_bank bank = { .ctx = &tb, .debit = test_debit };
	struct renewal_decision out[3];
	struct renewal_blocker b;
	int64_t total = -1;

	(void)state;
	c[2].in_country = 0;
	assert_int_equal(renewal_decide(&r, c, 3, &bank, out, &total), RB_OK);
	assert_int_equal(total, 0);
	assert_int_equal(tb.ncalls, 0);
	assert_rejected(&out[0], RR_MANDATE_INVALID);
	assert_rejected(&out[1], RR_MANDATE_INVALID);
	assert_rejected(&out[2], RR_PERSON_ABROAD);
	/* The price is still known, for the statement. */
	assert_int_equal(out[1].fee_dirhams, FEE_1Y);
	assert_int_equal(renewal_debited(&out[0]), 0);
	assert_string_equal(renewal_reason_code(out[0].reason), "MANDATE_INVALID");
	renewal_blocker_of(&out[1], &b);
	assert_int_equal(b.remedy, REM_RENEW_MANDATE);
	assert_true(b.actionable);
	assert_false(b.has_amount);
	assert_string_equal(renewal_remedy_code(b.remedy), "RENEW_MANDATE");
	/* The same candidates with the mandate valid are renewed. */
	r.mandate_invalid = 0;
	assert_int_equal(renewal_decide(&r, c, 3, &bank, out, &total), RB_OK);
	assert_int_equal(out[0].result, RES_RENEWED);
	assert_int_equal(out[1].result, RES_RENEWED);
	assert_int_equal(tb.ncalls, 2);
}

static void
bank_error_stops(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c[3] = {
		cand("28763400001", plus(exec_date(), 1)),
		cand("28763400002", plus(exec_date(), 2)),
		cand("28763400003", plus(exec_date(), 3)),
	};
	struct renewal_run r = { .date = exec_date(), .duration_years = 1,
	    .cap_dirhams = NO_CAP, .rules = &RULES };
	struct renewal_bank bank = { .ctx = &tb, .debit = test_debit };
	struct renewal_decision out[3];
	int64_t total;

	(void)state;
	tb.fail = "28763400002";
	assert_int_equal(renewal_decide(&r, c, 3, &bank, out, &total), RB_EIO);
	/* Nothing is attempted after the bank failed. */
	assert_int_equal(tb.ncalls, 2);
	assert_int_equal(out[0].result, RES_RENEWED);
}

static void
no_candidates(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_decision out[MAX_CANDS];
	int64_t total;

	(void)state;
	run(exec_date(), 1, NO_CAP, NULL, 0, &tb, out, &total);
	assert_int_equal(total, 0);
	assert_int_equal(tb.ncalls, 0);
}

/* ---- precedence ---- */

static void
precedence(void **state)
{
	static const enum renewal_reason want[] = {
		RR_EXCLUDED, RR_PERSON_NOT_ACTIVE, RR_PERSON_ABROAD, RR_PASSPORT_VALIDITY,
		RR_OUTSTANDING_FINES, RR_CAP_EXCEEDED, RR_DEBIT_DECLINED, RR_NONE,
	};
	struct renewal_candidate c = cand("28763400001", plus(exec_date(), 12));
	size_t step;

	(void)state;
	/* Everything against it; then each obstacle is lifted in turn. */
	for (step = 0; step < sizeof(want) / sizeof(want[0]); step++) {
		struct test_bank tb = { 0 };
		struct renewal_decision out[MAX_CANDS];
		int64_t total;

		c.excluded = step < 1;
		c.status = step < 2 ? PS_DECEASED : PS_ACTIVE;
		c.in_country = step >= 3;
		c.has_passport = step >= 4;
		c.fines_dirhams = step < 5 ? 500 : 0;
		if (step < 7)
			bank_decline(&tb, "28763400001");
		run(exec_date(), 1, step < 6 ? FEE_1Y - 1 : NO_CAP, &c, 1, &tb, out, &total);

		assert_int_equal(out[0].reason, want[step]);
		assert_int_equal(out[0].result, step == 0 ? RES_EXCLUDED :
		    step == 7 ? RES_RENEWED : RES_REJECTED);
		/* The bank is never asked about a rejected or excluded candidate. */
		assert_int_equal(tb.ncalls, step < 6 ? 0 : 1);
		assert_int_equal(total, step == 7 ? FEE_1Y : 0);
	}

	/* Every obstacle shows in the flags, whatever the reason given. */
	{
		struct test_bank tb = { 0 };
		struct renewal_decision out[MAX_CANDS];
		int64_t total;

		c.excluded = 1;
		c.status = PS_RESIDENCY_CANCELLED;
		c.in_country = 0;
		c.has_passport = 0;
		c.fines_dirhams = 1;
		run(exec_date(), 1, NO_CAP, &c, 1, &tb, out, &total);
		assert_int_equal(out[0].flags & (FLAG_EXCLUDED | FLAG_NOT_ACTIVE | FLAG_ABROAD |
		    FLAG_PASSPORT | FLAG_FINES), FLAG_EXCLUDED | FLAG_NOT_ACTIVE | FLAG_ABROAD |
		    FLAG_PASSPORT | FLAG_FINES);
	}

	/* The pairs spelt out. */
	{
		struct test_bank tb = { 0 };
		struct renewal_decision d;

		c = cand("28763400001", plus(exec_date(), 12));
		c.status = PS_SPONSORSHIP_TRANSFERRED;
		c.in_country = 0;
		d = decide_one(&c, &tb);
		assert_int_equal(d.reason, RR_PERSON_NOT_ACTIVE);

		c = cand("28763400001", plus(exec_date(), 12));
		c.in_country = 0;
		c.passport_expiry = ymd(2027, 1, 1);
		d = decide_one(&c, &tb);
		assert_int_equal(d.reason, RR_PERSON_ABROAD);

		c = cand("28763400001", plus(exec_date(), 12));
		c.passport_expiry = ymd(2027, 1, 1);
		c.fines_dirhams = 300;
		d = decide_one(&c, &tb);
		assert_int_equal(d.reason, RR_PASSPORT_VALIDITY);

		c = cand("28763400001", plus(exec_date(), 12));
		c.fines_dirhams = 300;
		c.excluded = 1;
		d = decide_one(&c, &tb);
		assert_int_equal(d.reason, RR_EXCLUDED);
		assert_int_equal(d.result, RES_EXCLUDED);
		assert_int_equal(tb.ncalls, 0);
	}
}

/* ---- priority order ---- */

static uint32_t
lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void
priority_order(void **state)
{
	/* Sorted as the SPEC wants: expired first, oldest first, then soonest;
	 * ties by QID. Offsets are days from the execution date. */
	static const struct { const char *qid; int off; } sorted[] = {
		{ "29963400009", -1200 },
		{ "28763400005", -100 },
		{ "28763400007", -100 },
		{ "29963400001", -100 },
		{ "28763400003", -1 },
		{ "29963400002", 0 },
		{ "28763400008", 1 },
		{ "28763400002", 15 },
		{ "28763400006", 15 },
		{ "28763400004", 30 },
	};
	enum { N = sizeof(sorted) / sizeof(sorted[0]) };
	uint32_t seed;

	(void)state;
	for (seed = 1; seed <= 40; seed++) {
		struct renewal_candidate c[N];
		struct renewal_decision out[MAX_CANDS];
		struct test_bank tb = { 0 };
		uint32_t s = seed;
		int64_t total;
		size_t i;

		for (i = 0; i < N; i++)
			c[i] = cand(sorted[i].qid, plus(exec_date(), sorted[i].off));
		for (i = N - 1; i > 0; i--) {	/* Fisher-Yates */
			size_t j = lcg(&s) % (i + 1);
			struct renewal_candidate t = c[i];

			c[i] = c[j];
			c[j] = t;
		}
		run(exec_date(), 1, NO_CAP, c, N, &tb, out, &total);
		assert_int_equal(tb.ncalls, N);
		for (i = 0; i < N; i++) {
			assert_string_equal(out[i].c->qid.s, sorted[i].qid);
			assert_int_equal(out[i].c->expiry.days, exec_date().days + sorted[i].off);
			/* out[i].c points into the caller's array. */
			assert_true(out[i].c >= c && out[i].c < c + N);
			/* The bank is asked in the same order. */
			assert_string_equal(tb.calls[i].qid, sorted[i].qid);
			assert_int_equal(tb.calls[i].amount, out[i].fee_dirhams);
		}
		assert_int_equal(total, sum_renewed(out, N));
	}
}

/* The cap goes to the candidate first in priority, not first in the input. */
static void
cap_follows_priority(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c[2] = {
		cand("28763400001", plus(exec_date(), 20)),
		cand("28763400002", plus(exec_date(), -5)),
	};
	struct renewal_decision out[MAX_CANDS];
	int64_t total;

	(void)state;
	run(exec_date(), 1, FEE_1Y, c, 2, &tb, out, &total);
	assert_ptr_equal(out[0].c, &c[1]);
	assert_int_equal(out[0].result, RES_RENEWED);
	assert_ptr_equal(out[1].c, &c[0]);
	assert_rejected(&out[1], RR_CAP_EXCEEDED);
	assert_int_equal(tb.ncalls, 1);
	assert_string_equal(tb.calls[0].qid, "28763400002");
	assert_int_equal(total, FEE_1Y);
}

/* ---- the cap ---- */

static void
cap_skips_expensive_takes_cheaper(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c[3] = {
		/* Soonest after the cheap one: no longer fits once it is renewed. */
		cand("28763400003", plus(exec_date(), 20)),
		/* Cheap, not expired. */
		cand("28763400002", plus(exec_date(), 10)),
		/* Expired 200 days: 110 days late, fine 110000, fee 212000. */
		cand("28763400001", plus(exec_date(), -200)),
	};
	struct renewal_decision out[MAX_CANDS];
	int64_t total;

	(void)state;
	run(exec_date(), 1, 150000, c, 3, &tb, out, &total);

	assert_string_equal(out[0].c->qid.s, "28763400001");
	assert_rejected(&out[0], RR_CAP_EXCEEDED);
	assert_true(out[0].flags & FLAG_OVER_CAP);
	assert_int_equal(out[0].late_fine_dirhams, 110000);
	assert_int_equal(out[0].fee_dirhams, 100000 + 110000 + 2000);

	assert_string_equal(out[1].c->qid.s, "28763400002");
	assert_int_equal(out[1].result, RES_RENEWED);
	assert_int_equal(out[1].fee_dirhams, FEE_1Y);
	assert_int_equal(out[1].flags & FLAG_OVER_CAP, 0);

	assert_string_equal(out[2].c->qid.s, "28763400003");
	assert_rejected(&out[2], RR_CAP_EXCEEDED);

	assert_int_equal(tb.ncalls, 1);
	assert_string_equal(tb.calls[0].qid, "28763400002");
	assert_int_equal(tb.calls[0].amount, FEE_1Y);
	assert_int_equal(total, FEE_1Y);
}

static void
cap_exactly_reached(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c[3] = {
		cand("28763400001", plus(exec_date(), 1)),
		cand("28763400002", plus(exec_date(), 2)),
		cand("28763400003", plus(exec_date(), 3)),
	};
	struct renewal_decision out[MAX_CANDS];
	int64_t total;

	(void)state;
	/* total == cap is allowed. */
	run(exec_date(), 1, 2 * FEE_1Y, c, 3, &tb, out, &total);
	assert_int_equal(out[0].result, RES_RENEWED);
	assert_int_equal(out[1].result, RES_RENEWED);
	assert_rejected(&out[2], RR_CAP_EXCEEDED);
	assert_int_equal(total, 2 * FEE_1Y);
	assert_int_equal(tb.ncalls, 2);

	/* One dirham less and the second no longer fits. */
	tb.ncalls = 0;
	run(exec_date(), 1, 2 * FEE_1Y - 1, c, 3, &tb, out, &total);
	assert_int_equal(out[0].result, RES_RENEWED);
	assert_rejected(&out[1], RR_CAP_EXCEEDED);
	assert_rejected(&out[2], RR_CAP_EXCEEDED);
	assert_int_equal(total, FEE_1Y);
	assert_int_equal(tb.ncalls, 1);

	/* A single candidate whose fee is the cap. */
	tb.ncalls = 0;
	run(exec_date(), 3, 242000, c, 1, &tb, out, &total);
	assert_int_equal(out[0].result, RES_RENEWED);
	assert_int_equal(total, 242000);
}

/* ---- late fine and discount through the engine ---- */

static void
late_fine_in_fee(void **state)
{
	static const struct { int off; int64_t fine; } cases[] = {
		{ 10, 0 },
		{ 0, 0 },
		{ -90, 0 },		/* within grace */
		{ -91, 1000 },		/* day 91 */
		{ -150, 60000 },
		{ -(90 + 1000), 1000000 },
		{ -(90 + 3000), 1000000 },	/* capped */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct test_bank tb = { 0 };
		struct renewal_candidate c = cand("28763400001", plus(exec_date(), cases[i].off));
		struct renewal_decision d = decide_one(&c, &tb);

		assert_int_equal(d.result, RES_RENEWED);
		assert_int_equal(d.late_fine_dirhams, cases[i].fine);
		assert_int_equal(d.fee_dirhams, 100000 + cases[i].fine + 2000);
		assert_int_equal(tb.calls[0].amount, d.fee_dirhams);
	}
}

static void
discount(void **state)
{
	static const struct { int years; int64_t fee; } cases[] = {
		{ 1, 100000 + 2000 },
		{ 2, 200000 + 2000 },
		{ 3, 240000 + 2000 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct test_bank tb = { 0 };
		struct renewal_candidate c = cand("28763400001", plus(exec_date(), 5));
		struct renewal_decision out[MAX_CANDS];
		int64_t total;

		run(exec_date(), cases[i].years, NO_CAP, &c, 1, &tb, out, &total);
		assert_int_equal(out[0].result, RES_RENEWED);
		assert_int_equal(out[0].fee_dirhams, cases[i].fee);
		assert_int_equal(tb.ncalls, 1);
		assert_int_equal(tb.calls[0].amount, cases[i].fee);
		assert_int_equal(total, cases[i].fee);
	}

	/* Discount and late fine together: the fine is not discounted. */
	{
		struct test_bank tb = { 0 };
		struct renewal_candidate c = cand("28763400001", plus(exec_date(), -91));
		struct renewal_decision out[MAX_CANDS];
		int64_t total;

		run(exec_date(), 3, NO_CAP, &c, 1, &tb, out, &total);
		assert_int_equal(out[0].fee_dirhams, 240000 + 1000 + 2000);
	}
}

/* ---- new expiry and delivery ---- */

static struct renewal_decision
renew_at(struct rb_date date, int years, struct rb_date expiry)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c = cand("28763400001", expiry);
	struct renewal_decision out[MAX_CANDS];
	int64_t total;

	run(date, years, NO_CAP, &c, 1, &tb, out, &total);
	assert_int_equal(out[0].result, RES_RENEWED);
	assert_int_equal(out[0].has_new_expiry, 1);
	out[0].c = NULL;	/* c is gone with this frame */
	return out[0];
}

static void
new_expiry(void **state)
{
	struct rb_date d = exec_date();	/* 2026-12-08 */
	struct renewal_decision r;

	(void)state;
	/* Not yet expired: from the old expiry. */
	r = renew_at(d, 1, ymd(2026, 12, 28));
	assert_date(r.new_expiry, 2027, 12, 28);
	r = renew_at(d, 3, ymd(2026, 12, 28));
	assert_date(r.new_expiry, 2029, 12, 28);
	r = renew_at(d, 2, ymd(2027, 1, 7));
	assert_date(r.new_expiry, 2029, 1, 7);
	/* Expiring on the execution date itself. */
	r = renew_at(d, 1, d);
	assert_date(r.new_expiry, 2027, 12, 8);
	/* Expired: from the execution date. */
	r = renew_at(d, 2, ymd(2026, 11, 28));
	assert_date(r.new_expiry, 2028, 12, 8);
	r = renew_at(d, 1, ymd(2021, 3, 3));
	assert_date(r.new_expiry, 2027, 12, 8);
	assert_date(r.delivery_from, 2026, 12, 9);
	assert_date(r.delivery_to, 2026, 12, 10);

	/* 29 February + 1 year is 28 February. */
	r = renew_at(ymd(2028, 2, 8), 1, ymd(2028, 2, 29));
	assert_date(r.new_expiry, 2029, 2, 28);
	assert_date(r.delivery_from, 2028, 2, 9);
	assert_date(r.delivery_to, 2028, 2, 10);
	r = renew_at(ymd(2028, 2, 8), 2, ymd(2028, 2, 29));
	assert_date(r.new_expiry, 2030, 2, 28);

	/* An execution on the 22nd. */
	r = renew_at(ymd(2027, 1, 22), 1, ymd(2027, 2, 1));
	assert_date(r.new_expiry, 2028, 2, 1);
	assert_date(r.delivery_from, 2027, 1, 23);
	assert_date(r.delivery_to, 2027, 1, 24);
}

/* ---- totals ---- */

static void
totals(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c[6];
	struct renewal_decision out[MAX_CANDS];
	int64_t total, debited = 0;
	size_t i;

	(void)state;
	c[0] = cand("28763400001", plus(exec_date(), -300));	/* fine 210000 */
	c[1] = cand("28763400002", plus(exec_date(), -91));	/* fine 1000 */
	c[2] = cand("28763400003", plus(exec_date(), -10));
	c[2].fines_dirhams = 750;				/* rejected */
	c[3] = cand("28763400004", plus(exec_date(), 2));	/* declined */
	c[4] = cand("28763400005", plus(exec_date(), 5));
	c[4].excluded = 1;
	c[5] = cand("28763400006", plus(exec_date(), 29));
	bank_decline(&tb, "28763400004");

	run(exec_date(), 2, NO_CAP, c, 6, &tb, out, &total);
	assert_int_equal(out[0].result, RES_RENEWED);
	assert_int_equal(out[0].fee_dirhams, 200000 + 210000 + 2000);
	assert_int_equal(out[1].result, RES_RENEWED);
	assert_int_equal(out[1].fee_dirhams, 200000 + 1000 + 2000);
	assert_rejected(&out[2], RR_OUTSTANDING_FINES);
	assert_rejected(&out[3], RR_DEBIT_DECLINED);
	assert_int_equal(out[4].result, RES_EXCLUDED);
	assert_int_equal(out[5].result, RES_RENEWED);
	assert_int_equal(out[5].fee_dirhams, 202000);

	assert_int_equal(total, 412000 + 203000 + 202000);
	assert_int_equal(total, sum_renewed(out, 6));
	/* Four debits attempted, three accepted: their sum is the total. */
	assert_int_equal(tb.ncalls, 4);
	for (i = 0; i < tb.ncalls; i++)
		if (strcmp(tb.calls[i].qid, "28763400004") != 0)
			debited += tb.calls[i].amount;
	assert_int_equal(debited, total);
}

/* ---- what was debited, blockers and remedies ---- */

/* One candidate per reason, cap and bank set so each reason comes first. */
static void
blockers_and_remedies(void **state)
{
	static const struct {
		enum renewal_reason	reason;
		enum renewal_remedy	remedy;
		int			actionable, has_amount;
		const char		*code;
	} want[] = {
		{ RR_EXCLUDED, REM_REMOVE_EXCLUSION, 1, 0, "REMOVE_EXCLUSION" },
		{ RR_PERSON_NOT_ACTIVE, REM_NOT_RENEWABLE, 0, 0, "NOT_RENEWABLE" },
		{ RR_PERSON_ABROAD, REM_BE_IN_COUNTRY, 1, 0, "BE_IN_COUNTRY" },
		{ RR_PASSPORT_VALIDITY, REM_RENEW_PASSPORT, 1, 0, "RENEW_PASSPORT" },
		{ RR_OUTSTANDING_FINES, REM_PAY_FINES, 1, 1, "PAY_FINES" },
		{ RR_CAP_EXCEEDED, REM_RAISE_CAP, 1, 1, "RAISE_CAP" },
		{ RR_DEBIT_DECLINED, REM_FUND_ACCOUNT, 1, 1, "FUND_ACCOUNT" },
	};
	struct test_bank tb = { 0 };
	struct renewal_candidate c;
	struct renewal_decision out[MAX_CANDS];
	struct renewal_blocker b;
	int64_t total;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		c = cand("28763400001", plus(exec_date(), 10));
		memset(&tb, 0, sizeof(tb));
		switch (want[i].reason) {
		case RR_EXCLUDED: c.excluded = 1; break;
		case RR_PERSON_NOT_ACTIVE: c.status = PS_DECEASED; break;
		case RR_PERSON_ABROAD: c.in_country = 0; break;
		case RR_PASSPORT_VALIDITY: c.has_passport = 0; break;
		case RR_OUTSTANDING_FINES: c.fines_dirhams = 73500; break;
		case RR_DEBIT_DECLINED: bank_decline(&tb, "28763400001"); break;
		default: break;
		}
		run(exec_date(), 1, want[i].reason == RR_CAP_EXCEEDED ? 1000 : NO_CAP, &c, 1,
		    &tb, out, &total);
		assert_int_equal(out[0].reason, want[i].reason);
		/* The price is known; nothing of it was debited. */
		assert_int_equal(out[0].fee_dirhams, FEE_1Y);
		assert_int_equal(renewal_debited(&out[0]), 0);
		assert_int_equal(renewal_debited_late_fine(&out[0]), 0);
		renewal_blocker_of(&out[0], &b);
		assert_int_equal(b.reason, want[i].reason);
		assert_int_equal(b.remedy, want[i].remedy);
		assert_int_equal(b.actionable, want[i].actionable);
		assert_int_equal(b.has_amount, want[i].has_amount);
		if (want[i].reason == RR_OUTSTANDING_FINES)
			assert_int_equal(b.amount_dirhams, 73500);
		else if (want[i].has_amount)
			assert_int_equal(b.amount_dirhams, FEE_1Y);
		assert_string_equal(renewal_remedy_code(b.remedy), want[i].code);
	}
	/* A transferred person is renewed by the new sponsor. */
	c = cand("28763400001", plus(exec_date(), 10));
	c.status = PS_SPONSORSHIP_TRANSFERRED;
	out[0] = decide_one(&c, &tb);
	renewal_blocker_of(&out[0], &b);
	assert_int_equal(b.remedy, REM_NEW_SPONSOR);
	assert_false(b.actionable);
	/* Renewed: no blocker, and what was debited is the fee. */
	memset(&tb, 0, sizeof(tb));
	c = cand("28763400001", plus(exec_date(), -100));
	out[0] = decide_one(&c, &tb);
	renewal_blocker_of(&out[0], &b);
	assert_int_equal(b.reason, RR_NONE);
	assert_int_equal(b.remedy, REM_NONE);
	assert_null(renewal_remedy_code(b.remedy));
	assert_int_equal(renewal_debited(&out[0]), out[0].fee_dirhams);
	assert_int_equal(renewal_debited_late_fine(&out[0]), 10000);
}

/* Whatever the switch says, a pending subscription runs nothing. */
static void
renewal_states(void **state)
{
	(void)state;
	assert_int_equal(renewal_state_of(SUBSCRIPTION_PENDING, 1), RS_AWAITING_REVIEW);
	assert_int_equal(renewal_state_of(SUBSCRIPTION_PENDING, 0), RS_AWAITING_REVIEW);
	assert_int_equal(renewal_state_of(SUBSCRIPTION_ACTIVE, 1), RS_ON);
	assert_int_equal(renewal_state_of(SUBSCRIPTION_ACTIVE, 0), RS_STOPPED);
	assert_int_equal(renewal_state_of(SUBSCRIPTION_REJECTED, 1), RS_NOT_SUBSCRIBED);
	assert_int_equal(renewal_state_of(SUBSCRIPTION_REPLACED, 1), RS_NOT_SUBSCRIBED);
	assert_string_equal(renewal_state_code(RS_AWAITING_REVIEW), "awaiting_review");
	assert_string_equal(renewal_state_code(RS_ON), "on");
	assert_string_equal(renewal_state_code(RS_STOPPED), "stopped");
	assert_string_equal(renewal_state_code(RS_NOT_SUBSCRIBED), "not_subscribed");
	assert_null(renewal_state_code(RS__MAX));
}

/* An establishment owing a fine of its own (issue 15 §2): nobody is
 * debited, each line says ESTABLISHMENT_FINES with the amount owed, after
 * the person's own reasons; paid, the same candidates renew. */
static void
establishment_fines_debit_nothing(void **state)
{
	struct test_bank tb = { 0 };
	struct renewal_candidate c[2] = {
		cand("28763400011", plus(exec_date(), 4)),
		cand("28763400012", plus(exec_date(), 5)),
	};
	struct renewal_run r = { .date = exec_date(), .duration_years = 1,
	    .cap_dirhams = NO_CAP, .rules = &RULES, .establishment_fines_dirhams = 1000000 };
	struct renewal_bank bank = { .ctx = &tb, .debit = test_debit };
	struct renewal_decision out[2];
	struct renewal_blocker b;
	int64_t total = -1;

	(void)state;
	c[1].in_country = 0;
	assert_int_equal(renewal_decide(&r, c, 2, &bank, out, &total), RB_OK);
	assert_int_equal(total, 0);
	assert_int_equal(tb.ncalls, 0);
	assert_rejected(&out[0], RR_ESTABLISHMENT_FINES);
	assert_rejected(&out[1], RR_PERSON_ABROAD);
	assert_string_equal(renewal_reason_code(out[0].reason), "ESTABLISHMENT_FINES");
	renewal_blocker_of(&out[0], &b);
	assert_int_equal(b.remedy, REM_PAY_ESTABLISHMENT_FINES);
	assert_string_equal(renewal_remedy_code(b.remedy), "PAY_ESTABLISHMENT_FINES");
	assert_true(b.actionable);
	assert_true(b.has_amount);
	assert_int_equal(b.amount_dirhams, 1000000);
	r.establishment_fines_dirhams = 0;
	assert_int_equal(renewal_decide(&r, c, 2, &bank, out, &total), RB_OK);
	assert_int_equal(out[0].result, RES_RENEWED);
	assert_int_equal(tb.ncalls, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codes),
		cmocka_unit_test(window_edges),
		cmocka_unit_test(late_fine_direct),
		cmocka_unit_test(fee_direct),
		cmocka_unit_test(renewed_when_nothing_against),
		cmocka_unit_test(excluded),
		cmocka_unit_test(not_active_each_status),
		cmocka_unit_test(abroad),
		cmocka_unit_test(passport_validity),
		cmocka_unit_test(outstanding_fines),
		cmocka_unit_test(cap_exceeded_alone),
		cmocka_unit_test(mandate_invalid_debits_nothing),
		cmocka_unit_test(establishment_fines_debit_nothing),
		cmocka_unit_test(debit_declined),
		cmocka_unit_test(bank_error_stops),
		cmocka_unit_test(no_candidates),
		cmocka_unit_test(precedence),
		cmocka_unit_test(priority_order),
		cmocka_unit_test(cap_follows_priority),
		cmocka_unit_test(cap_skips_expensive_takes_cheaper),
		cmocka_unit_test(cap_exactly_reached),
		cmocka_unit_test(late_fine_in_fee),
		cmocka_unit_test(discount),
		cmocka_unit_test(new_expiry),
		cmocka_unit_test(totals),
		cmocka_unit_test(blockers_and_remedies),
		cmocka_unit_test(renewal_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
