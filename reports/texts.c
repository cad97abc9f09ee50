/*
 * The texts of the workbooks: headers, kinds of statement, results,
 * reasons and remedies, page headers and footers, the ministry reports'
 * labels and the banks' names. They are entries "report.<name>" of the
 * message catalogues (po/<language>.po, compiled and loaded by
 * notify/catalog.c like the emails' and SMS'), so that the writers hold no
 * text of their own and a language is one more po file: its direction
 * ("report.direction": ltr or rtl) and its money format
 * ("report.money_format") are entries of that file too.
 *
 * reports/ is below notify/ in no order (docs/ARCHITECTURE.md): the
 * program that loaded the catalogue hands its lookup in once at start
 * (report_texts_init()), as it sets the clock. Every workbook then reads
 * all of its language's texts at once (texts_load()): a key missing in
 * the language falls back to English, and one missing in English too is
 * refused before a cell is written.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "reports/statement.h"
#include "reports/workbook_int.h"

/* The program's catalogue; NULL until report_texts_init(). */
static report_text_fn		 lookup_fn;
static const struct catalog	*lookup_cat;

static const char *const text_keys[T__MAX] = {
	[T_SHEET_NAME] = "report.sheet_name",
	[T_YES] = "report.yes",
	[T_STATEMENT] = "report.statement",
	[T_COMPANY] = "report.company",
	[T_EST_ID] = "report.est_id",
	[T_CYCLE_DATE] = "report.cycle_date",
	[T_EXECUTION_DATE] = "report.execution_date",
	[T_TOTAL_EXPECTED] = "report.total_expected",
	[T_TOTAL_DEBITED] = "report.total_debited",
	[T_CAP] = "report.cap",
	[T_LINES] = "report.lines",
	[T_VERIFICATION_CODE] = "report.verification_code",
	[T_WILL_RENEW] = "report.will_renew",
	[T_BLOCKED] = "report.blocked",
	[T_TOTAL] = "report.total",
	[T_PAGE] = "report.page",
	[T_COL_QID] = "report.col.qid",
	[T_COL_NAME] = "report.col.name",
	[T_COL_EXPIRY] = "report.col.expiry",
	[T_COL_DAYS_LEFT] = "report.col.days_left",
	[T_COL_EXPECTED_FEE] = "report.col.expected_fee",
	[T_COL_EXPECTED_LATE_FINE] = "report.col.expected_late_fine",
	[T_COL_OBSTACLE] = "report.col.obstacle",
	[T_COL_FLAG_EXCLUDED] = "report.col.flag_excluded",
	[T_COL_FLAG_PASSPORT] = "report.col.flag_passport",
	[T_COL_FLAG_FINES] = "report.col.flag_fines",
	[T_COL_FLAG_OVER_CAP] = "report.col.flag_over_cap",
	[T_COL_FLAG_NOT_ACTIVE] = "report.col.flag_not_active",
	[T_COL_FLAG_ABROAD] = "report.col.flag_abroad",
	[T_COL_RESULT] = "report.col.result",
	[T_COL_RESULT_CODE] = "report.col.result_code",
	[T_COL_REASON] = "report.col.reason",
	[T_COL_REASON_CODE] = "report.col.reason_code",
	[T_COL_OLD_EXPIRY] = "report.col.old_expiry",
	[T_COL_NEW_EXPIRY] = "report.col.new_expiry",
	[T_COL_FEE] = "report.col.fee",
	[T_COL_LATE_FINE] = "report.col.late_fine",
	[T_COL_DEBIT_REF] = "report.col.debit_ref",
	[T_COL_DELIVERY_FROM] = "report.col.delivery_from",
	[T_COL_DELIVERY_TO] = "report.col.delivery_to",
	[T_COL_IBAN] = "report.col.iban",
	[T_COL_AMOUNT] = "report.col.amount",
	[T_COL_OUTLOOK] = "report.col.outlook",
	[T_COL_BLOCKER_AMOUNT] = "report.col.blocker_amount",
	[T_COL_REMEDY] = "report.col.remedy",
	[T_COL_REMEDY_BEFORE] = "report.col.remedy_before",
	[T_M_REPORT] = "report.ministry.report",
	[T_M_CYCLE_STATUS] = "report.ministry.cycle_status",
	[T_M_COMPLETE] = "report.ministry.complete",
	[T_M_RUNNING] = "report.ministry.running",
	[T_M_COMPANIES] = "report.ministry.companies",
	[T_M_CANDIDATES] = "report.ministry.candidates",
	[T_M_RENEWED] = "report.ministry.renewed",
	[T_M_REJECTED] = "report.ministry.rejected",
	[T_M_EXCLUDED] = "report.ministry.excluded",
	[T_M_TOTAL_DEBITED] = "report.ministry.total_debited",
	[T_M_BANKS] = "report.ministry.banks",
	[T_M_DEBITS] = "report.ministry.debits",
	[T_M_GRAND_TOTAL] = "report.ministry.grand_total",
	[T_M_EXECUTION_SUMMARY] = "report.ministry.execution_summary",
	[T_M_EXECUTION_SUMMARY_TITLE] = "report.ministry.execution_summary_title",
	[T_M_DEBITS_TITLE] = "report.ministry.debits_title",
	[T_M_BY_COMPANY] = "report.ministry.by_company",
	[T_M_BY_BANK] = "report.ministry.by_bank",
	[T_M_COL_COMPANY_EN] = "report.ministry.col.company_en",
	[T_M_COL_COMPANY_AR] = "report.ministry.col.company_ar",
	[T_M_COL_TOTAL_DEBITED] = "report.ministry.col.total_debited",
	[T_M_COL_CAP] = "report.ministry.col.cap",
	[T_M_COL_TOTAL] = "report.ministry.col.total",
	[T_M_COL_BANK_CODE] = "report.ministry.col.bank_code",
	[T_M_COL_BANK] = "report.ministry.col.bank",
	/* The employees list. */
	[T_E_SHEET_NAME] = "report.employees.sheet_name",
	[T_E_TITLE] = "report.employees.title",
	[T_E_COL_QID] = "report.employees.col.qid",
	[T_E_COL_NAME] = "report.employees.col.name",
	[T_E_COL_STATUS] = "report.employees.col.status",
	[T_E_COL_PERMIT_EXPIRY] = "report.employees.col.permit_expiry",
	[T_E_COL_PASSPORT_EXPIRY] = "report.employees.col.passport_expiry",
	[T_E_COL_FINES] = "report.employees.col.fines",
	[T_E_COL_EXCLUDED] = "report.employees.col.excluded",
	[T_E_COL_IN_SCOPE] = "report.employees.col.in_scope",
	[T_E_COL_NEXT_RESULT] = "report.employees.col.next_result",
	[T_E_COL_REASON] = "report.employees.col.reason",
	[T_E_STATUS_ACTIVE] = "report.employees.status.active",
	[T_E_STATUS_SPONSORSHIP_TRANSFERRED] = "report.employees.status.sponsorship_transferred",
	[T_E_STATUS_RESIDENCY_CANCELLED] = "report.employees.status.residency_cancelled",
	[T_E_STATUS_DECEASED] = "report.employees.status.deceased",
};

static const char *const kind_keys[STMT_KIND__COUNT] = {
	[STMT_ALERT] = "report.kind.alert",
	[STMT_EXECUTION] = "report.kind.execution",
	[STMT_DEBIT_REPORT] = "report.kind.debit_report",
};

void
report_texts_init(report_text_fn fn, const struct catalog *cat)
{
	lookup_fn = fn;
	lookup_cat = cat;
}

const char *
texts_get(const char *lang, const char *key)
{
	return lookup_fn != NULL ? lookup_fn(lookup_cat, lang, key) : NULL;
}

/* *out = the text of key; RB_EINTERNAL (logged) when no catalogue has it. */
static enum rb_err
need(const char *lang, const char *key, const char **out)
{
	if ((*out = texts_get(lang, key)) == NULL) {
		log_error("workbook texts: no \"%s\" in the %s or English catalogue", key, lang);
		return RB_EINTERNAL;
	}
	return RB_OK;
}

/* The key prefix.code's text, "" for no code (a line with no reason). */
static enum rb_err
need_code(const char *lang, const char *prefix, const char *code, const char **out)
{
	char key[96];

	if (code == NULL) {
		*out = "";
		return RB_OK;
	}
	snprintf(key, sizeof(key), "%s.%s", prefix, code);
	return need(lang, key, out);
}

enum rb_err
texts_load(const char *lang, struct sheet_texts *t)
{
	const char *dir = NULL;
	enum rb_err rc = RB_OK;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (lookup_fn == NULL) {
		log_error("workbook texts: no catalogue (report_texts_init was not called)");
		return RB_EINTERNAL;
	}
	snprintf(t->code, sizeof(t->code), "%s", lang != NULL ? lang : "en");
	lang = t->code;
	if ((rc = need(lang, "report.direction", &dir)) == RB_OK)
		rc = need(lang, "report.money_format", &t->money_format);
	t->rtl = dir != NULL && strcmp(dir, "rtl") == 0;
	for (i = 0; i < T__MAX && rc == RB_OK; i++)
		rc = need(lang, text_keys[i], &t->text[i]);
	for (i = 0; i < STMT_KIND__COUNT && rc == RB_OK; i++)
		rc = need(lang, kind_keys[i], &t->kind[i]);
	for (i = 0; i < RES__COUNT && rc == RB_OK; i++)
		rc = need_code(lang, "report.result",
		    renewal_result_code((enum renewal_result)i), &t->result[i]);
	for (i = 0; i < RR__MAX && rc == RB_OK; i++)
		rc = need_code(lang, "report.reason",
		    renewal_reason_code((enum renewal_reason)i), &t->reason[i]);
	for (i = 0; i < REM__MAX && rc == RB_OK; i++)
		rc = need_code(lang, "report.remedy",
		    renewal_remedy_code((enum renewal_remedy)i), &t->remedy[i]);
	/* Not active, said with the status; the plain reason when there is none. */
	for (i = 0; i < PS__MAX && rc == RB_OK; i++)
		if (i == PS_ACTIVE)
			t->not_active[i] = t->reason[RR_PERSON_NOT_ACTIVE];
		else
			rc = need_code(lang, "report.not_active",
			    person_status_name((enum person_status)i), &t->not_active[i]);
	return rc;
}

const char *
texts_bank(const struct sheet_texts *t, const char *code)
{
	char key[32];

	snprintf(key, sizeof(key), "report.bank.%.4s", code);
	return texts_get(t->code, key);
}
