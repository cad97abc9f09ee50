/*
 * store/statement_store.h, the parts without a database: the line each
 * decision becomes in each kind of statement, the codes of an alert's
 * obstacles, the kinds' codes, the workbook's file name and the
 * verification codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/media_type.h"
#include "store/statement_store.h"

static struct rb_date
ymd(int y, int m, int d)
{
	struct rb_date out;

	assert_int_equal(date_from_ymd(y, m, d, &out), RB_OK);
	return out;
}

static struct renewal_candidate cand;

/* A renewed decision for cand, expiring 2026-12-15, executed 2026-12-08. */
static struct renewal_decision
renewed(void)
{
	struct renewal_decision d;

	memset(&cand, 0, sizeof(cand));
	assert_int_equal(qid_parse("28560810012", &cand.qid), RB_OK);
	cand.name_ar = "ماريا";
	cand.name_en = "Maria";
	cand.expiry = ymd(2026, 12, 15);
	memset(&d, 0, sizeof(d));
	d.c = &cand;
	d.result = RES_RENEWED;
	d.reason = RR_NONE;
	d.flags = 0;
	d.fee_dirhams = 102000;
	d.late_fine_dirhams = 0;
	d.has_new_expiry = 1;
	d.new_expiry = ymd(2027, 12, 15);
	d.delivery_from = ymd(2026, 12, 9);
	d.delivery_to = ymd(2026, 12, 10);
	strcpy(d.debit_ref, "SBX-0011223344556677");
	return d;
}

/* The line's blocker: its remedy, amount (0: none) and the day to act before. */
static void
assert_blocker(const struct stmt_line *l, enum renewal_remedy rem, int64_t amount,
    struct rb_date before)
{
	assert_int_equal(l->remedy, rem);
	assert_int_equal(l->has_blocker_amount, amount != 0);
	assert_int_equal(l->blocker_amount_dirhams, amount);
	assert_true(l->has_remedy_before);
	assert_int_equal(l->remedy_before.days, before.days);
}

/* Nothing renewed, delivered or debited on this line. */
static void
assert_nothing_done(const struct stmt_line *l)
{
	assert_false(l->has_new_expiry);
	assert_false(l->has_delivery);
	assert_string_equal(l->debit_ref, "");
}

static void
execution_line(void **state)
{
	struct renewal_decision d = renewed();
	struct stmt_line l;

	(void)state;
	statement_line_from_decision(&l, &d, STMT_EXECUTION, ymd(2026, 12, 8), "QA00IGNORED");
	assert_string_equal(l.qid, "28560810012");
	assert_string_equal(l.name_en, "Maria");
	assert_int_equal(l.result, RES_RENEWED);
	assert_int_equal(l.reason, RR_NONE);
	assert_int_equal(l.old_expiry.days, ymd(2026, 12, 15).days);
	assert_int_equal(l.days_left, 7);
	assert_int_equal(l.fee_dirhams, 102000);
	assert_true(l.has_new_expiry);
	assert_int_equal(l.new_expiry.days, ymd(2027, 12, 15).days);
	assert_true(l.has_delivery);
	assert_int_equal(l.delivery_from.days, ymd(2026, 12, 9).days);
	assert_int_equal(l.delivery_to.days, ymd(2026, 12, 10).days);
	assert_string_equal(l.debit_ref, "SBX-0011223344556677");
	/* Only debit reports name the account. */
	assert_string_equal(l.iban, "");
}

static void
rejected_execution_line(void **state)
{
	struct renewal_decision d = renewed();
	struct stmt_line l;

	(void)state;
	d.result = RES_REJECTED;
	d.reason = RR_CAP_EXCEEDED;
	d.flags = FLAG_OVER_CAP;
	d.debit_ref[0] = '\0';
	statement_line_from_decision(&l, &d, STMT_EXECUTION, ymd(2026, 12, 8), NULL);
	assert_int_equal(l.result, RES_REJECTED);
	assert_int_equal(l.reason, RR_CAP_EXCEEDED);
	assert_nothing_done(&l);
	/* Nothing was debited: no fee, whatever the renewal would have cost. */
	assert_int_equal(l.fee_dirhams, 0);
	assert_int_equal(l.late_fine_dirhams, 0);
	assert_int_equal(l.expected_fee_dirhams, 0);
	/* The blocker's amount is the fee the cap could not take; the remedy
	 * is for the next execution. */
	assert_blocker(&l, REM_RAISE_CAP, 102000, ymd(2026, 12, 22));
}

static void
excluded_line_has_no_fee(void **state)
{
	struct renewal_decision d = renewed();
	struct stmt_line l;
	json_t *o;

	(void)state;
	d.result = RES_EXCLUDED;
	d.reason = RR_EXCLUDED;
	d.late_fine_dirhams = 1000;
	d.fee_dirhams = 103000;
	d.debit_ref[0] = '\0';
	statement_line_from_decision(&l, &d, STMT_EXECUTION, ymd(2026, 12, 8), NULL);
	o = statement_line_json(&l, STMT_EXECUTION);
	assert_int_equal(json_integer_value(json_object_get(o, "fee_dirhams")), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "late_fine_dirhams")), 0);
	assert_string_equal(json_string_value(json_object_get(o, "remedy")), "REMOVE_EXCLUSION");
	assert_true(json_is_null(json_object_get(o, "blocker_amount_dirhams")));
	assert_true(json_is_null(json_object_get(o, "will_renew")));
	assert_true(json_is_null(json_object_get(o, "person_status")));
	json_decref(o);
}

static void
alert_line_announces_only(void **state)
{
	struct renewal_decision d = renewed();
	struct stmt_line l;

	(void)state;
	statement_line_from_decision(&l, &d, STMT_ALERT, ymd(2026, 12, 1), NULL);
	assert_int_equal(l.result, RES_CANDIDATE);
	assert_int_equal(l.days_left, 14);
	/* Nothing debited yet: the fee is expected, in a field of its own. */
	assert_int_equal(l.fee_dirhams, 0);
	assert_int_equal(l.expected_fee_dirhams, 102000);
	assert_true(l.will_renew);
	assert_int_equal(l.remedy, REM_NONE);
	assert_false(l.has_remedy_before);
	assert_nothing_done(&l);
}

static void
alert_line_blocked_by_fines(void **state)
{
	struct renewal_decision d = renewed();
	struct stmt_line l;
	json_t *o;

	(void)state;
	cand.fines_dirhams = 45000;
	d.result = RES_REJECTED;
	d.reason = RR_OUTSTANDING_FINES;
	d.flags = FLAG_FINES | FLAG_OVER_CAP;
	d.debit_ref[0] = '\0';
	statement_line_from_decision(&l, &d, STMT_ALERT, ymd(2026, 12, 1), NULL);
	assert_int_equal(l.result, RES_CANDIDATE);
	assert_false(l.will_renew);
	/* Blocked: nothing expected, so the column adds up to the total. */
	assert_int_equal(l.expected_fee_dirhams, 0);
	assert_int_equal(l.expected_late_fine_dirhams, 0);
	/* Pay before the execution the alert announces. */
	assert_blocker(&l, REM_PAY_FINES, 45000, ymd(2026, 12, 8));
	o = statement_line_json(&l, STMT_ALERT);
	assert_false(json_is_true(json_object_get(o, "will_renew")));
	assert_true(json_is_false(json_object_get(o, "will_renew")));
	assert_string_equal(json_string_value(json_object_get(o, "remedy")), "PAY_FINES");
	assert_int_equal(json_integer_value(json_object_get(o, "blocker_amount_dirhams")), 45000);
	assert_string_equal(json_string_value(json_object_get(o, "remedy_before")), "2026-12-08");
	assert_int_equal(json_integer_value(json_object_get(o, "fee_dirhams")), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "expected_fee_dirhams")), 0);
	assert_int_equal(json_array_size(json_object_get(o, "flags")), 2);
	json_decref(o);
}

/* Not active: the status is said, and nothing can be done before the execution. */
static void
alert_line_not_active(void **state)
{
	static const struct { enum person_status st; enum renewal_remedy rem; const char *code; }
	    cases[] = {
		{ PS_SPONSORSHIP_TRANSFERRED, REM_NEW_SPONSOR, "sponsorship_transferred" },
		{ PS_RESIDENCY_CANCELLED, REM_NOT_RENEWABLE, "residency_cancelled" },
		{ PS_DECEASED, REM_NOT_RENEWABLE, "deceased" },
	};
	struct renewal_decision d;
	struct stmt_line l;
	json_t *o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d = renewed();
		cand.status = cases[i].st;
		d.result = RES_REJECTED;
		d.reason = RR_PERSON_NOT_ACTIVE;
		statement_line_from_decision(&l, &d, STMT_ALERT, ymd(2026, 12, 15), NULL);
		assert_int_equal(l.status, cases[i].st);
		assert_int_equal(l.remedy, cases[i].rem);
		assert_false(l.has_remedy_before);
		assert_false(l.has_blocker_amount);
		o = statement_line_json(&l, STMT_ALERT);
		assert_string_equal(json_string_value(json_object_get(o, "person_status")),
		    cases[i].code);
		assert_true(json_is_null(json_object_get(o, "remedy_before")));
		json_decref(o);
	}
}

static void
debit_report_line(void **state)
{
	struct renewal_decision d = renewed();
	struct stmt_line l;

	(void)state;
	statement_line_from_decision(&l, &d, STMT_DEBIT_REPORT, ymd(2026, 12, 8),
	    "QA57CLON000000000000123456789");
	assert_int_equal(l.result, RES_DEBITED);
	assert_string_equal(l.iban, "QA57CLON000000000000123456789");
	assert_string_equal(l.debit_ref, "SBX-0011223344556677");
	assert_true(l.has_new_expiry);
	assert_true(l.has_delivery);
}

static void
flag_codes_in_order(void **state)
{
	const char *codes[8];

	(void)state;
	assert_int_equal(statement_flag_codes(0, codes, 8), 0);
	assert_int_equal(statement_flag_codes(FLAG_EXCLUDED | FLAG_NOT_ACTIVE | FLAG_ABROAD |
	    FLAG_PASSPORT | FLAG_FINES | FLAG_OVER_CAP, codes, 8), 6);
	assert_string_equal(codes[0], "EXCLUDED");
	assert_string_equal(codes[1], "PERSON_NOT_ACTIVE");
	assert_string_equal(codes[2], "PERSON_ABROAD");
	assert_string_equal(codes[3], "PASSPORT_VALIDITY");
	assert_string_equal(codes[4], "OUTSTANDING_FINES");
	assert_string_equal(codes[5], "CAP_EXCEEDED");
	assert_int_equal(statement_flag_codes(FLAG_FINES | FLAG_OVER_CAP, codes, 8), 2);
	assert_string_equal(codes[0], "OUTSTANDING_FINES");
	assert_string_equal(codes[1], "CAP_EXCEEDED");
	/* Never past the room given. */
	assert_int_equal(statement_flag_codes(FLAG_EXCLUDED | FLAG_ABROAD, codes, 1), 1);
	assert_string_equal(codes[0], "EXCLUDED");
}

static void
kinds_and_file_names(void **state)
{
	char name[STATEMENT_FILE_NAME_MAX];
	enum stmt_kind k;

	(void)state;
	assert_string_equal(statement_kind_code(STMT_ALERT), "alert");
	assert_string_equal(statement_kind_code(STMT_EXECUTION), "execution");
	assert_string_equal(statement_kind_code(STMT_DEBIT_REPORT), "debit_report");
	assert_null(statement_kind_code((enum stmt_kind)3));
	assert_int_equal(statement_kind_parse("debit_report", &k), RB_OK);
	assert_int_equal(k, STMT_DEBIT_REPORT);
	assert_int_equal(statement_kind_parse("alert", &k), RB_OK);
	assert_int_equal(k, STMT_ALERT);
	assert_int_equal(statement_kind_parse("Alert", &k), RB_EINVAL);
	assert_int_equal(statement_kind_parse("", &k), RB_EINVAL);
	statement_file_name("11000001", "debit_report", "2026-12-08", name);
	assert_string_equal(name, "statement-11000001-debit_report-2026-12-08.xlsx");
	assert_string_equal(MEDIA_XLSX,
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

static void
verification_codes(void **state)
{
	char a[24], b[24];
	int i;

	(void)state;
	assert_int_equal(statement_new_code(a), RB_OK);
	assert_int_equal(statement_new_code(b), RB_OK);
	assert_int_equal(strlen(a), 14);
	assert_string_not_equal(a, b);
	for (i = 0; i < 14; i++) {
		if (i == 4 || i == 9)
			assert_int_equal(a[i], '-');
		else
			assert_non_null(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", a[i]));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(execution_line),
		cmocka_unit_test(rejected_execution_line),
		cmocka_unit_test(excluded_line_has_no_fee),
		cmocka_unit_test(alert_line_announces_only),
		cmocka_unit_test(alert_line_blocked_by_fines),
		cmocka_unit_test(alert_line_not_active),
		cmocka_unit_test(debit_report_line),
		cmocka_unit_test(flag_codes_in_order),
		cmocka_unit_test(kinds_and_file_names),
		cmocka_unit_test(verification_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
