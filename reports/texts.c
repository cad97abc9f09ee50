/*
 * The catalogue of sheet texts: headers, kinds of statement, results and
 * reasons, one row per language. The writers hold no text of their own.
 * The unit test checks that every row is complete.
 */
#include <stddef.h>
#include <string.h>

#include "reports/workbook_int.h"

static const struct sheet_texts catalogue[] = {
	{
		.code = "en",
		.rtl = 0,
		.money_format = "#,##0.00 \"QAR\"",
		.text = {
			[T_SHEET_NAME] = "Statement",
			[T_YES] = "Yes",
			[T_STATEMENT] = "Statement",
			[T_COMPANY] = "Company",
			[T_EST_ID] = "Establishment number",
			[T_CYCLE_DATE] = "Cycle date",
			[T_EXECUTION_DATE] = "Execution date",
			[T_TOTAL_EXPECTED] = "Total expected (those to be renewed)",
			[T_TOTAL_DEBITED] = "Total debited",
			[T_CAP] = "Spending cap",
			[T_LINES] = "Lines",
			[T_VERIFICATION_CODE] = "Verification code",
			[T_WILL_RENEW] = "Will be renewed",
			[T_BLOCKED] = "Blocked",
			[T_COL_QID] = "QID",
			[T_COL_NAME] = "Name",
			[T_COL_EXPIRY] = "Expiry",
			[T_COL_DAYS_LEFT] = "Days left",
			[T_COL_EXPECTED_FEE] = "Expected fee (QAR)",
			[T_COL_EXPECTED_LATE_FINE] = "Expected late fine (QAR)",
			[T_COL_OBSTACLE] = "Obstacle",
			[T_COL_FLAG_EXCLUDED] = "Excluded",
			[T_COL_FLAG_PASSPORT] = "Passport validity",
			[T_COL_FLAG_FINES] = "Outstanding fines",
			[T_COL_FLAG_OVER_CAP] = "Over cap",
			[T_COL_FLAG_NOT_ACTIVE] = "Not active",
			[T_COL_FLAG_ABROAD] = "Abroad",
			[T_COL_RESULT] = "Result",
			[T_COL_RESULT_CODE] = "Result code",
			[T_COL_REASON] = "Reason",
			[T_COL_REASON_CODE] = "Reason code",
			[T_COL_OLD_EXPIRY] = "Old expiry",
			[T_COL_NEW_EXPIRY] = "New expiry",
			[T_COL_FEE] = "Fee (QAR)",
			[T_COL_LATE_FINE] = "Late fine (QAR)",
			[T_COL_DEBIT_REF] = "Debit reference",
			[T_COL_DELIVERY_FROM] = "Delivery from",
			[T_COL_DELIVERY_TO] = "Delivery to",
			[T_COL_IBAN] = "IBAN",
			[T_COL_AMOUNT] = "Amount (QAR)",
			[T_COL_OUTLOOK] = "As things stand",
			[T_COL_BLOCKER_AMOUNT] = "Amount blocking (QAR)",
			[T_COL_REMEDY] = "What to do",
			[T_COL_REMEDY_BEFORE] = "Before",
		},
		.kind = {
			[STMT_ALERT] = "Renewal alert",
			[STMT_EXECUTION] = "Renewal execution statement",
			[STMT_DEBIT_REPORT] = "Debit report",
		},
		.result = {
			[RES_CANDIDATE] = "Candidates",
			[RES_RENEWED] = "Renewed",
			[RES_REJECTED] = "Rejected",
			[RES_EXCLUDED] = "Excluded",
			[RES_DEBITED] = "Debited",
		},
		.reason = {
			[RR_NONE] = "",
			[RR_EXCLUDED] = "Excluded by the company",
			[RR_PERSON_NOT_ACTIVE] = "Person not active",
			[RR_PERSON_ABROAD] = "Person outside the country",
			[RR_PASSPORT_VALIDITY] = "Passport not valid long enough",
			[RR_OUTSTANDING_FINES] = "Outstanding fines",
			[RR_MANDATE_INVALID] = "Debit mandate no longer valid",
			[RR_ESTABLISHMENT_FINES] = "The establishment has unpaid fines",
			[RR_CAP_EXCEEDED] = "Would exceed the spending cap",
			[RR_DEBIT_DECLINED] = "Debit declined by the bank",
		},
		.not_active = {
			[PS_ACTIVE] = "Person not active",
			[PS_SPONSORSHIP_TRANSFERRED] = "Person not active: sponsorship transferred",
			[PS_RESIDENCY_CANCELLED] = "Person not active: residency cancelled",
			[PS_DECEASED] = "Person not active: deceased",
		},
		.remedy = {
			[REM_NONE] = "",
			[REM_REMOVE_EXCLUSION] = "Remove the person from the exclusion list",
			[REM_NEW_SPONSOR] = "Nothing: the new sponsor renews the permit",
			[REM_NOT_RENEWABLE] = "Nothing: this permit cannot be renewed",
			[REM_BE_IN_COUNTRY] = "The person must be in the country",
			[REM_RENEW_PASSPORT] = "Renew the passport",
			[REM_PAY_FINES] = "Pay the fines",
			[REM_RAISE_CAP] = "Raise the spending cap",
			[REM_FUND_ACCOUNT] = "Add funds to the debit account",
			[REM_RENEW_MANDATE] = "A signatory subscribes again with the company's account",
			[REM_PAY_ESTABLISHMENT_FINES] = "The company pays its fines to the ministry before the execution",
		},
	},
	{
		.code = "ar",
		.rtl = 1,
		.money_format = "\"ر.ق\" #,##0.00",
		.text = {
			[T_SHEET_NAME] = "الكشف",
			[T_YES] = "نعم",
			[T_STATEMENT] = "الكشف",
			[T_COMPANY] = "الشركة",
			[T_EST_ID] = "رقم المنشأة",
			[T_CYCLE_DATE] = "تاريخ الدورة",
			[T_EXECUTION_DATE] = "تاريخ التنفيذ",
			[T_TOTAL_EXPECTED] = "الإجمالي المتوقع (لما سيتم تجديده)",
			[T_TOTAL_DEBITED] = "إجمالي المبالغ المخصومة",
			[T_CAP] = "الحد الأقصى للخصم",
			[T_LINES] = "عدد الأسطر",
			[T_VERIFICATION_CODE] = "رمز التحقق",
			[T_WILL_RENEW] = "سيتم التجديد",
			[T_BLOCKED] = "لن يتم التجديد",
			[T_COL_QID] = "الرقم الشخصي",
			[T_COL_NAME] = "الاسم",
			[T_COL_EXPIRY] = "تاريخ الانتهاء",
			[T_COL_DAYS_LEFT] = "الأيام المتبقية",
			[T_COL_EXPECTED_FEE] = "الرسوم المتوقعة (ر.ق)",
			[T_COL_EXPECTED_LATE_FINE] = "غرامة التأخير المتوقعة (ر.ق)",
			[T_COL_OBSTACLE] = "العائق",
			[T_COL_FLAG_EXCLUDED] = "مستثنى",
			[T_COL_FLAG_PASSPORT] = "صلاحية جواز السفر",
			[T_COL_FLAG_FINES] = "مخالفات غير مسددة",
			[T_COL_FLAG_OVER_CAP] = "يتجاوز الحد الأقصى",
			[T_COL_FLAG_NOT_ACTIVE] = "غير نشط",
			[T_COL_FLAG_ABROAD] = "خارج الدولة",
			[T_COL_RESULT] = "النتيجة",
			[T_COL_RESULT_CODE] = "رمز النتيجة",
			[T_COL_REASON] = "السبب",
			[T_COL_REASON_CODE] = "رمز السبب",
			[T_COL_OLD_EXPIRY] = "تاريخ الانتهاء السابق",
			[T_COL_NEW_EXPIRY] = "تاريخ الانتهاء الجديد",
			[T_COL_FEE] = "الرسوم (ر.ق)",
			[T_COL_LATE_FINE] = "غرامة التأخير (ر.ق)",
			[T_COL_DEBIT_REF] = "مرجع الخصم",
			[T_COL_DELIVERY_FROM] = "التوصيل من",
			[T_COL_DELIVERY_TO] = "التوصيل حتى",
			[T_COL_IBAN] = "رقم الحساب المصرفي الدولي (IBAN)",
			[T_COL_AMOUNT] = "المبلغ (ر.ق)",
			[T_COL_OUTLOOK] = "حسب الوضع الحالي",
			[T_COL_BLOCKER_AMOUNT] = "المبلغ المانع للتجديد (ر.ق)",
			[T_COL_REMEDY] = "الإجراء المطلوب",
			[T_COL_REMEDY_BEFORE] = "قبل تاريخ",
		},
		.kind = {
			[STMT_ALERT] = "تنبيه التجديد",
			[STMT_EXECUTION] = "كشف تنفيذ التجديد",
			[STMT_DEBIT_REPORT] = "تقرير الخصم",
		},
		.result = {
			[RES_CANDIDATE] = "المرشحون للتجديد",
			[RES_RENEWED] = "تم التجديد",
			[RES_REJECTED] = "مرفوض",
			[RES_EXCLUDED] = "مستثنى",
			[RES_DEBITED] = "تم الخصم",
		},
		.reason = {
			[RR_NONE] = "",
			[RR_EXCLUDED] = "مستثنى بطلب الشركة",
			[RR_PERSON_NOT_ACTIVE] = "الشخص غير نشط",
			[RR_PERSON_ABROAD] = "الشخص خارج الدولة",
			[RR_PASSPORT_VALIDITY] = "مدة صلاحية جواز السفر غير كافية",
			[RR_OUTSTANDING_FINES] = "توجد مخالفات غير مسددة",
			[RR_MANDATE_INVALID] = "تفويض الخصم لم يعد ساريًا",
			[RR_ESTABLISHMENT_FINES] = "على المنشأة مخالفات غير مسددة",
			[RR_CAP_EXCEEDED] = "يتجاوز الحد الأقصى للخصم",
			[RR_DEBIT_DECLINED] = "رفض البنك الخصم",
		},
		/* Nouns, not adjectives: they agree with any person. */
		.not_active = {
			[PS_ACTIVE] = "الشخص غير نشط",
			[PS_SPONSORSHIP_TRANSFERRED] = "الشخص غير نشط: نقل الكفالة",
			[PS_RESIDENCY_CANCELLED] = "الشخص غير نشط: إلغاء الإقامة",
			[PS_DECEASED] = "الشخص غير نشط: وفاة",
		},
		.remedy = {
			[REM_NONE] = "",
			[REM_REMOVE_EXCLUSION] = "إزالة الشخص من قائمة الاستثناء",
			[REM_NEW_SPONSOR] = "لا إجراء: يجدد الكفيل الجديد الإقامة",
			[REM_NOT_RENEWABLE] = "لا إجراء: لا يمكن تجديد هذه الإقامة",
			[REM_BE_IN_COUNTRY] = "يجب أن يكون الشخص داخل الدولة",
			[REM_RENEW_PASSPORT] = "تجديد جواز السفر",
			[REM_PAY_FINES] = "سداد المخالفات",
			[REM_RAISE_CAP] = "رفع الحد الأقصى للخصم",
			[REM_FUND_ACCOUNT] = "إيداع رصيد كافٍ في حساب الخصم",
			[REM_RENEW_MANDATE] = "يجدد أحد المفوضين بالتوقيع الاشتراك بحساب الشركة",
			[REM_PAY_ESTABLISHMENT_FINES] = "تسدد الشركة غراماتها لدى الوزارة قبل موعد التنفيذ",
		},
	},
};

const struct sheet_texts *
texts_find(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
		if (strcmp(catalogue[i].code, code) == 0)
			return &catalogue[i];
	return &catalogue[0];
}

const struct sheet_texts *
texts_at(size_t i)
{
	return i < sizeof(catalogue) / sizeof(catalogue[0]) ? &catalogue[i] : NULL;
}

size_t
texts_count(void)
{
	return sizeof(catalogue) / sizeof(catalogue[0]);
}
