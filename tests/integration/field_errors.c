/*
 * Every bad field and every bad line at once (issue 12 §1): the forms'
 * error.fields, a local Qatari mobile taken as +974, the exclusion upload
 * that checks format and employment in one pass, semicolon files, and the
 * download with its BOM and name column that goes back up as is.
 *
 * Its own company, people and account (none other test uses them), made
 * in setup and removed in teardown: SIGNATORY signs for it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"
#include "tests/lib/error_text.h"
#include "tests/lib/signin.h"

#define SIGNATORY	"27263410001"
#define SIGNATORY_PW	"demo-signatory"
#define CO		"10000057"
#define CO_PATH		"/api/v1/companies/" CO
#define CO_IBAN		"QA96DOHB000000000000570000001"
#define EMP1		"29935657001"	/* employee, named in Arabic first */
#define EMP2		"29935657002"	/* employee */
#define STRANGER	"29935657003"	/* a person, employed nowhere here */

static struct client sig;
static const struct signin signins[] = {
	{ &sig, SIGNATORY, SIGNATORY_PW },
};

static const char drop_sql[] =
	"DELETE FROM renewal_exclusions WHERE est_id = '" CO "';"
	"DELETE FROM renewal_subscriptions WHERE est_id = '" CO "';"
	"DELETE FROM renewal_settings WHERE est_id = '" CO "';"
	"DELETE FROM grants WHERE est_id = '" CO "';"
	"DELETE FROM bank_accounts WHERE est_id = '" CO "';"
	"DELETE FROM signatories WHERE est_id = '" CO "';"
	"DELETE FROM employment WHERE est_id = '" CO "';"
	"DELETE FROM persons WHERE qid IN ('" EMP1 "', '" EMP2 "', '" STRANGER "');"
	"DELETE FROM companies WHERE est_id = '" CO "';"
	"SELECT count(*) FROM companies WHERE est_id = '" CO "'";

static const char make_sql[] =
	"INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES"
	" ('" CO "', 'شركة الحقول', 'Fields Trading', 'hr@fields.example', 'ar');"
	"INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,"
	" in_country, status, permit_expiry) VALUES"
	" ('" EMP1 "', 'أحمد علي', 'Ahmed Ali', 'EGY', false, '+97455570001', 'ar', true,"
	"  'active', '2027-03-01'),"
	" ('" EMP2 "', 'ماريا سانتوس', 'Maria Santos', 'PHL', false, '+97455570002', 'en',"
	"  true, 'active', '2027-04-01'),"
	" ('" STRANGER "', 'غريب', 'Stranger', 'IND', false, '+97455570003', 'en', true,"
	"  'active', '2027-05-01');"
	"INSERT INTO employment (qid, est_id, since) VALUES"
	" ('" EMP1 "', '" CO "', '2024-01-01'), ('" EMP2 "', '" CO "', '2024-01-01');"
	"INSERT INTO signatories (qid, est_id) VALUES ('" SIGNATORY "', '" CO "');"
	"INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES"
	" ('" CO_IBAN "', '" CO "', 1000000);"
	"SELECT count(*) FROM companies WHERE est_id = '" CO "'";

static int
sql_ok(const char *sql, const char *want)
{
	char *got = test_sql(sql);
	int ok = got != NULL && strcmp(got, want) == 0;

	free(got);
	return ok;
}

static int
setup(void **state)
{
	(void)state;
	if (!sql_ok(drop_sql, "0") || !sql_ok(make_sql, "1"))
		return -1;
	return signin_setup(signins, SIGNIN_N(signins));
}

static int
teardown(void **state)
{
	(void)state;
	signin_teardown(signins, SIGNIN_N(signins));
	return sql_ok(drop_sql, "0") ? 0 : -1;
}

/* error.<list>[i] of the answer; the test fails when there is none. */
static json_t *
error_item(const struct http_resp *r, const char *list, size_t i)
{
	json_t *x = json_array_get(json_object_get(json_object_get(r->json, "error"), list), i);

	if (x == NULL)
		fail_msg("no error.%s[%zu]: %s", list, i, r->body);
	return x;
}

/* error.fields[i] has this field and code. */
static void
assert_field(const struct http_resp *r, size_t i, const char *field, const char *code)
{
	json_t *f = error_item(r, "fields", i);

	assert_string_equal(json_string_value(json_object_get(f, "field")), field);
	assert_string_equal(json_string_value(json_object_get(f, "code")), code);
	assert_true(strlen(json_string_value(json_object_get(f, "message"))) > 0);
}

/* The rows of the company in table: what a refused request left. */
static long long
rows_of(const char *table)
{
	return test_count("SELECT count(*) FROM %s WHERE est_id = '" CO "'", table);
}

static size_t
nfields(const struct http_resp *r)
{
	return json_array_size(json_object_get(json_object_get(r->json, "error"), "fields"));
}

static json_t *
subscription(const char *mobile)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "iban", CO_IBAN,
	    "authorizing_qid", SIGNATORY, "email", "hr@fields.example",
	    "mobile", mobile, "language", "ar", "delivery_address", "PO Box 57, Doha",
	    "cap_dirhams", 500000, "duration_years", 1);
}

static long
send_json(const char *method, const char *path, json_t *body, struct http_resp *r)
{
	long st = http_json(&sig, method, path, body, r);

	json_decref(body);
	return st;
}

/*
 * Sends body (taken); expects 400 naming exactly want's fields with their
 * codes, in order (want: field, code, field, code, ..., NULL). r keeps
 * the answer for the caller's own checks.
 */
static void
refused(const char *method, const char *path, json_t *body, const char *const *want,
    struct http_resp *r)
{
	size_t i;

	assert_int_equal(send_json(method, path, body, r), 400);
	assert_string_equal(resp_str(r, "error.code"), "invalid_field");
	for (i = 0; want[2 * i] != NULL; i++)
		assert_field(r, i, want[2 * i], want[2 * i + 1]);
	assert_int_equal(nfields(r), i);
	/* The first one stays in error.field, as before the list. */
	assert_string_equal(resp_str(r, "error.field"), want[0]);
}

static void
subscription_lists_every_bad_field(void **state)
{
	struct http_resp r;
	json_t *b = subscription("44123456");	/* a fixed line: no SMS */

	(void)state;
	json_object_set_new(b, "iban", json_string("QA00DOHB000000000000570000001"));
	json_object_set_new(b, "cap_dirhams", json_integer(0));
	json_object_set_new(b, "colour", json_string("blue"));
	json_object_del(b, "delivery_address");
	refused("POST", CO_PATH "/renewal/subscription", b, (const char *const[]){
	    "colour", "unknown_field", "iban", "invalid_field", "mobile", "invalid_field",
	    "cap_dirhams", "invalid_field", "delivery_address", "required", NULL }, &r);
	assert_true(test_error_message_ok(&r, SIGNATORY, "error.unknown_field", "unknown field"));
	http_resp_free(&r);
	/* An empty body names every required field. */
	refused("POST", CO_PATH "/renewal/subscription", json_object(), (const char *const[]){
	    "iban", "required", "authorizing_qid", "required", "email", "required",
	    "mobile", "required", "language", "required", "delivery_address", "required",
	    "cap_dirhams", "required", "duration_years", "required", NULL }, &r);
	http_resp_free(&r);
	assert_int_equal(rows_of("renewal_subscriptions"), 0);
}

static void
local_mobile_is_stored_with_974(void **state)
{
	struct http_resp r;
	char *mobile;

	(void)state;
	assert_int_equal(send_json("POST", CO_PATH "/renewal/subscription",
	    subscription("5557 0009"), &r), 201);
	assert_string_equal(resp_str(&r, "mobile"), "+97455570009");
	http_resp_free(&r);
	mobile = test_sql("SELECT mobile FROM renewal_settings WHERE est_id = '" CO "'");
	assert_string_equal(mobile, "+97455570009");
	free(mobile);
	/* A change: every bad field at once, and nothing of it applied. */
	refused("PATCH", CO_PATH "/renewal", json_pack("{s:s, s:i, s:i, s:s}", "mobile",
	    "5557-0001", "cap_dirhams", 1000, "duration_years", 7, "email", "nobody"),
	    (const char *const[]){ "email", "invalid_field", "mobile", "invalid_field",
	    "duration_years", "invalid_field", NULL }, &r);
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT cap_dirhams FROM renewal_settings WHERE est_id ="
	    " '" CO "'"), 500000);
	/* A local number in a change, too. */
	assert_int_equal(send_json("PATCH", CO_PATH "/renewal", json_pack("{s:s}",
	    "mobile", "66570002"), &r), 200);
	assert_string_equal(resp_str(&r, "mobile"), "+97466570002");
	http_resp_free(&r);
	mobile = test_sql("SELECT mobile FROM renewal_settings WHERE est_id = '" CO "'");
	assert_string_equal(mobile, "+97466570002");
	free(mobile);
}

static void
grant_lists_every_bad_field(void **state)
{
	struct http_resp r;

	(void)state;
	refused("POST", CO_PATH "/grants", json_pack("{s:s, s:[], s:s, s:b}", "qid", "1234",
	    "services", "valid_until", "2027-13-01", "forever", 1), (const char *const[]){
	    "forever", "unknown_field", "qid", "invalid_field", "services", "invalid_field",
	    "valid_until", "invalid_field", NULL }, &r);
	http_resp_free(&r);
	/* Nothing sent: both required fields named. */
	refused("POST", CO_PATH "/grants", json_object(), (const char *const[]){
	    "qid", "required", "services", "required", NULL }, &r);
	http_resp_free(&r);
	/* A refusal of the rules is a list of one beside its field. */
	assert_int_equal(send_json("POST", CO_PATH "/grants", json_pack("{s:s, s:[s]}",
	    "qid", "28560869999", "services", "EXIT_PERMIT"), &r), 404);
	assert_string_equal(resp_str(&r, "error.field"), "qid");
	assert_int_equal(nfields(&r), 1);
	assert_field(&r, 0, "qid", resp_str(&r, "error.code"));
	http_resp_free(&r);
	assert_int_equal(rows_of("grants"), 0);
}

static void
exclusion_add_lists_every_bad_field(void **state)
{
	struct http_resp r;

	(void)state;
	refused("POST", CO_PATH "/exclusions", json_pack("{s:s, s:s}", "qid", "12",
	    "note", "two\nlines"), (const char *const[]){ "qid", "invalid_field",
	    "note", "invalid_field", NULL }, &r);
	http_resp_free(&r);
	assert_int_equal(rows_of("renewal_exclusions"), 0);
}

static long
upload(const char *csv, struct http_resp *r)
{
	return http_req(&sig, "POST", CO_PATH "/exclusions", "text/csv", csv, strlen(csv), r);
}

/* lines[i] of an invalid_csv answer has this line number and code. */
static void
assert_line(const struct http_resp *r, size_t i, long line, const char *code)
{
	json_t *l = error_item(r, "lines", i);

	assert_int_equal(json_integer_value(json_object_get(l, "line")), line);
	assert_string_equal(json_string_value(json_object_get(l, "code")), code);
}

static void
upload_reports_format_and_employment_at_once(void **state)
{
	static const char csv[] =
	    "qid,note\n"
	    EMP1 ",fine\n"
	    STRANGER ",not ours\n"		/* line 3: not an employee */
	    "12345678901,bad century\n"		/* line 4 */
	    EMP2 ",a,b\n"			/* line 5 */
	    "28581810005,another company's\n";	/* line 6: not an employee */
	struct http_resp r;

	(void)state;
	assert_int_equal(upload(csv, &r), 400);
	assert_string_equal(resp_str(&r, "error.code"), "invalid_csv");
	assert_int_equal(json_array_size(json_object_get(json_object_get(r.json, "error"),
	    "lines")), 4);
	assert_line(&r, 0, 3, "not_employee");
	assert_line(&r, 1, 4, "invalid_qid");
	assert_line(&r, 2, 5, "too_many_fields");
	assert_line(&r, 3, 6, "not_employee");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
	    json_object_get(r.json, "error"), "lines"), 0), "qid")), STRANGER);
	http_resp_free(&r);
	/* A bad header too: its line, then every other. */
	assert_int_equal(upload("id,remark\n" STRANGER ",x\n1,y\n", &r), 400);
	assert_line(&r, 0, 1, "bad_header");
	assert_line(&r, 1, 2, "not_employee");
	assert_line(&r, 2, 3, "invalid_qid");
	http_resp_free(&r);
	assert_int_equal(rows_of("renewal_exclusions"), 0);
}

static void
semicolon_files_are_read(void **state)
{
	static const char csv[] =
	    "\xEF\xBB\xBFqid;note\r\n"
	    EMP1 ";back in May, then leaving\r\n"
	    EMP2 ";\"quoted; with a semicolon\"\r\n";
	struct http_resp r;
	char *note;

	(void)state;
	assert_int_equal(upload(csv, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "lines")), 2);
	assert_int_equal(json_integer_value(json_object_get(r.json, "added")), 2);
	http_resp_free(&r);
	note = test_sql("SELECT note FROM renewal_exclusions WHERE qid = '" EMP1 "'"
	    " AND est_id = '" CO "'");
	assert_string_equal(note, "back in May, then leaving");
	free(note);
	note = test_sql("SELECT note FROM renewal_exclusions WHERE qid = '" EMP2 "'"
	    " AND est_id = '" CO "'");
	assert_string_equal(note, "quoted; with a semicolon");
	free(note);
	/* Semicolons with a bad line: reported by line like any other. */
	assert_int_equal(upload("qid;note\n" EMP1 ";x;y\n", &r), 400);
	assert_line(&r, 0, 2, "too_many_fields");
	http_resp_free(&r);
}

static void
download_has_bom_and_names_and_goes_back_up(void **state)
{
	static const char want[] =
	    "\xEF\xBB\xBFqid,note,name\r\n"
	    "\"" EMP1 "\",\"ملاحظة: إجازة طويلة\",\"أحمد علي\"\r\n"
	    "\"" EMP2 "\",\"\",\"ماريا سانتوس\"\r\n";
	struct http_resp r, up;
	char *body;

	(void)state;
	assert_int_equal(test_count("%s", "DELETE FROM renewal_exclusions WHERE est_id = '"
	    CO "'; SELECT 0"), 0);
	assert_int_equal(upload("qid,note\n" EMP1 ",ملاحظة: إجازة طويلة\n" EMP2 ",\n", &r),
	    200);
	http_resp_free(&r);
	/* The company writes Arabic: the names are the Arabic ones. */
	assert_int_equal(http_req(&sig, "GET", CO_PATH "/exclusions.csv", NULL, NULL, 0, &r),
	    200);
	assert_string_equal(r.body, want);
	/* In English for a company that writes English. */
	assert_int_equal(test_count("%s", "UPDATE companies SET language = 'en' WHERE est_id = '"
	    CO "'; SELECT 0"), 0);
	assert_int_equal(http_req(&sig, "GET", CO_PATH "/exclusions.csv", NULL, NULL, 0, &up),
	    200);
	assert_non_null(strstr(up.body, ",\"Maria Santos\"\r\n"));
	http_resp_free(&up);
	/* Urdu is read in Arabic script, French in Latin (reader_name()). */
	assert_int_equal(test_count("%s", "UPDATE companies SET language = 'ur' WHERE est_id = '"
	    CO "'; SELECT 0"), 0);
	assert_int_equal(http_req(&sig, "GET", CO_PATH "/exclusions.csv", NULL, NULL, 0, &up),
	    200);
	assert_string_equal(up.body, want);
	http_resp_free(&up);
	assert_int_equal(test_count("%s", "UPDATE companies SET language = 'fr' WHERE est_id = '"
	    CO "'; SELECT 0"), 0);
	assert_int_equal(http_req(&sig, "GET", CO_PATH "/exclusions.csv", NULL, NULL, 0, &up),
	    200);
	assert_non_null(strstr(up.body, ",\"Ahmed Ali\"\r\n"));
	assert_non_null(strstr(up.body, ",\"Maria Santos\"\r\n"));
	http_resp_free(&up);
	assert_int_equal(test_count("%s", "UPDATE companies SET language = 'ar' WHERE est_id = '"
	    CO "'; SELECT 0"), 0);
	/* The downloaded file, as is, uploads again: nothing new, nothing lost. */
	body = strdup(r.body);
	http_resp_free(&r);
	assert_int_equal(upload(body, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "lines")), 2);
	assert_int_equal(json_integer_value(json_object_get(r.json, "added")), 0);
	http_resp_free(&r);
	free(body);
	assert_int_equal(test_count("SELECT count(*) FROM renewal_exclusions WHERE est_id ="
	    " '" CO "' AND note IN ('ملاحظة: إجازة طويلة', '')"), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(subscription_lists_every_bad_field),
		cmocka_unit_test(local_mobile_is_stored_with_974),
		cmocka_unit_test(grant_lists_every_bad_field),
		cmocka_unit_test(exclusion_add_lists_every_bad_field),
		cmocka_unit_test(upload_reports_format_and_employment_at_once),
		cmocka_unit_test(semicolon_files_are_read),
		cmocka_unit_test(download_has_bom_and_names_and_goes_back_up),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
