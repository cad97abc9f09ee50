/*
 * The OpenAPI document (docs/openapi.json) against the running server:
 * it describes every route of the route table and nothing else, and what
 * the server really answers (status and body) is what it documents.
 *
 * The document is checked with a small schema checker of our own
 * (tests/lib/json_schema.c, with its own unit test), not an external
 * validator.
 *
 * The test depends on no other test having run before it, or not: each
 * example expects one status. The examples leave the base fixture as it
 * was: the renewal examples are requests the server refuses harmlessly,
 * on a company of the examples' own (EXAMPLE_CO) where the answer would
 * depend on other tests' subscriptions; the renewal flow runs on another
 * company of this test's own, made in the database and removed again.
 * The preview and statement examples only read; the statements flow reads
 * statements of a third company of its own, stored with SQL as the
 * scheduler would have, removed again.
 */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"
#include "tests/lib/json_schema.h"

#define SIGNATORY	"27263410001"	/* signs for 10000001 and 10000002 */
#define SIGNATORY_PW	"demo-signatory"
#define SIGNATORY2	"27963410002"	/* signs for 10000003 */
#define SIGNATORY2_PW	"demo-signatory2"
#define REVIEWER	"28863410006"
#define REVIEWER_PW	"demo-reviewer"
#define SERVICE		"svc-visa"
#define SERVICE_PW	"demo-service"

/* Who sends the signed-in request of an example. */
enum who {
	ANON,		/* nobody: a fresh client without a cookie */
	SIGNATORY_U,
	REVIEWER_U,
	SERVICE_U,
	SIGNATORY2_U,
	FRESH,		/* a session of its own (signed in just for this request) */
};

/*
 * One valid, minimal request per documented operation, built on the base
 * fixture, that leaves the state other tests rely on as it was.
 */
struct example {
	const char	*method;	/* as in routes.c */
	const char	*pattern;	/* the path template of the route */
	const char	*path;		/* concrete path (and query) */
	enum who	 who;
	const char	*body;		/* the body, or NULL for none */
	long		 expect;	/* the status this request must get */
	const char	*ctype;		/* of the body; NULL: application/json */
};

/*
 * The examples' own company (SIGNATORY signs for it; never subscribed),
 * made by setup() and removed by teardown(), so that what the examples
 * get does not depend on what other tests did before; and a date on which
 * no test runs a cycle.
 */
#define EXAMPLE_CO	"10000096"
#define EXAMPLE_DATE	"1999-11-24"

static const char example_co_drop[] =
	"DELETE FROM signatories WHERE est_id = '" EXAMPLE_CO "';"
	"DELETE FROM companies WHERE est_id = '" EXAMPLE_CO "';"
	"SELECT count(*) FROM companies WHERE est_id = '" EXAMPLE_CO "'";
static const char example_co_make[] =
	"INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES"
	" ('" EXAMPLE_CO "', 'شركة أمثلة الوثيقة', 'OpenAPI Examples Co',"
	"  'hr@openapi-examples.example', 'en');"
	"INSERT INTO signatories (qid, est_id) VALUES ('" SIGNATORY "', '" EXAMPLE_CO "');"
	"SELECT count(*) FROM companies WHERE est_id = '" EXAMPLE_CO "'";

static const struct example examples[] = {
	{ "GET", "/api/v1/health", "/api/v1/health", ANON, NULL, 200, NULL },
	{ "POST", "/api/v1/session", "/api/v1/session", ANON,
	    "{\"username\":\"" REVIEWER "\",\"password\":\"" REVIEWER_PW "\"}", 201, NULL },
	{ "DELETE", "/api/v1/session", "/api/v1/session", FRESH, NULL, 200, NULL },
	{ "GET", "/api/v1/me", "/api/v1/me", SIGNATORY_U, NULL, 200, NULL },
	{ "GET", "/api/v1/services", "/api/v1/services", SIGNATORY_U, NULL, 200, NULL },
	{ "GET", "/api/v1/sectors", "/api/v1/sectors", SIGNATORY_U, NULL, 200, NULL },
	{ "GET", "/api/v1/authorize",
	    "/api/v1/authorize?qid=" SIGNATORY "&est_id=10000001&service=RP_RENEW",
	    SERVICE_U, NULL, 200, NULL },
	{ "POST", "/api/v1/authorize/batch", "/api/v1/authorize/batch", SERVICE_U,
	    "{\"checks\":[{\"qid\":\"" SIGNATORY "\",\"est_id\":\"10000001\","
	    "\"service\":\"RP_RENEW\",\"at\":\"2026-01-01T00:00:00Z\"},"
	    "{\"qid\":\"29935699999\",\"est_id\":\"10000001\",\"service\":\"RP_RENEW\"}]}",
	    200, NULL },
	{ "GET", "/api/v1/companies/{est_id}/grants",
	    "/api/v1/companies/10000001/grants?limit=10&offset=0&include_revoked=true",
	    SIGNATORY_U, NULL, 200, NULL },
	/* A person no other test uses; revoked again right after (see below). */
	{ "POST", "/api/v1/companies/{est_id}/grants",
	    "/api/v1/companies/10000001/grants", SIGNATORY_U,
	    "{\"qid\":\"29935600212\",\"services\":[\"TRAVEL_NOTICE\"],\"valid_until\":null}",
	    201, NULL },
	{ "DELETE", "/api/v1/companies/{est_id}/grants/{id}",
	    "/api/v1/companies/10000001/grants/999999999", SIGNATORY_U, NULL, 404, NULL },
	{ "GET", "/api/v1/companies/{est_id}/employees",
	    "/api/v1/companies/10000001/employees?limit=5", REVIEWER_U, NULL, 200, NULL },
	{ "GET", "/api/v1/companies/{est_id}/employees",
	    "/api/v1/companies/10000001/employees?expiring=90&in_scope=false&sort=permit_expiry"
	    "&order=desc&limit=5", REVIEWER_U, NULL, 200, NULL },
	{ "GET", "/api/v1/companies/{est_id}/employees.csv",
	    "/api/v1/companies/10000001/employees.csv?fines=false", REVIEWER_U, NULL, 200, NULL },
	{ "GET", "/api/v1/companies/{est_id}/employees.xlsx",
	    "/api/v1/companies/10000001/employees.xlsx?lang=ar", REVIEWER_U, NULL, 200, NULL },
	{ "GET", "/api/v1/companies/{est_id}/overview",
	    "/api/v1/companies/10000001/overview", REVIEWER_U, NULL, 200, NULL },
	{ "GET", "/api/v1/renewal/rules", "/api/v1/renewal/rules", REVIEWER_U, NULL, 200, NULL },

	/* issue 16 §1: the representative's side (it_grant_acceptance answers
	 * real offers); nobody is offered grant 999999999. */
	{ "GET", "/api/v1/me/grants", "/api/v1/me/grants?limit=10", SIGNATORY_U, NULL, 200,
	    NULL },
	{ "POST", "/api/v1/me/grants/{id}/accept", "/api/v1/me/grants/999999999/accept",
	    SIGNATORY_U, NULL, 404, NULL },
	{ "POST", "/api/v1/me/grants/{id}/decline", "/api/v1/me/grants/999999999/decline",
	    SIGNATORY_U, NULL, 404, NULL },
	/* issue 16 §5: it_signals raises and reviews real ones. */
	{ "GET", "/api/v1/backoffice/signals", "/api/v1/backoffice/signals?state=all&limit=5",
	    REVIEWER_U, NULL, 200, NULL },
	{ "POST", "/api/v1/backoffice/signals/{id}/review",
	    "/api/v1/backoffice/signals/999999999/review", REVIEWER_U,
	    "{\"note\":\"checked\"}", 404, NULL },
	/* Already active: changes nothing. */
	{ "POST", "/api/v1/persons/{qid}/status", "/api/v1/persons/29935600211/status",
	    SERVICE_U, "{\"status\":\"active\"}", 200, NULL },
	/* The signatory has no employment at 10000003: nothing to end. */
	{ "POST", "/api/v1/persons/{qid}/employment/{est_id}/end",
	    "/api/v1/persons/" SIGNATORY "/employment/10000003/end", SERVICE_U, NULL, 404,
	    NULL },
	/*
	 * Renewal: refused, whatever state the renewal tests leave behind,
	 * before anything is stored. renewal_flow_as_documented sends the
	 * requests that succeed, on a company of its own.
	 */
	/* 10000001's account for the examples' company: account_not_company. */
	{ "POST", "/api/v1/companies/{est_id}/renewal/subscription",
	    "/api/v1/companies/" EXAMPLE_CO "/renewal/subscription", SIGNATORY_U,
	    "{\"iban\":\"QA93QNBA000000000000123456789\",\"authorizing_qid\":\"" SIGNATORY "\","
	    "\"email\":\"hr@alnoor-fm.example\",\"mobile\":\"+97455000001\",\"language\":\"en\","
	    "\"delivery_address\":\"PO Box 1, Doha\",\"cap_dirhams\":100000,"
	    "\"duration_years\":1,\"enabled\":false}", 400, NULL },
	/* The examples' own company never subscribes: not_subscribed. */
	{ "GET", "/api/v1/companies/{est_id}/renewal", "/api/v1/companies/" EXAMPLE_CO "/renewal",
	    REVIEWER_U, NULL, 404, NULL },
	{ "PATCH", "/api/v1/companies/{est_id}/renewal", "/api/v1/companies/" EXAMPLE_CO "/renewal",
	    SIGNATORY_U, "{\"iban\":\"QA93QNBA000000000000123456789\"}", 409, NULL },
	{ "GET", "/api/v1/companies/{est_id}/exclusions",
	    "/api/v1/companies/10000003/exclusions?limit=10&offset=0", SIGNATORY2_U, NULL, 200,
	    NULL },
	/* A bad QID: invalid_csv, nothing stored. */
	{ "POST", "/api/v1/companies/{est_id}/exclusions", "/api/v1/companies/10000003/exclusions",
	    SIGNATORY2_U, "qid,note\r\n2908181001,ten digits\r\n", 400, "text/csv" },
	/* The signatory is no employee of 10000003: not_employee. */
	{ "POST", "/api/v1/companies/{est_id}/exclusions", "/api/v1/companies/10000003/exclusions",
	    SIGNATORY2_U, "{\"qid\":\"" SIGNATORY "\",\"note\":\"not ours\"}", 400, NULL },
	/* Nor can ever be excluded: not_excluded. */
	{ "DELETE", "/api/v1/companies/{est_id}/exclusions/{qid}",
	    "/api/v1/companies/10000003/exclusions/" SIGNATORY, SIGNATORY2_U, NULL, 404, NULL },
	{ "GET", "/api/v1/companies/{est_id}/exclusions.csv",
	    "/api/v1/companies/10000003/exclusions.csv", SIGNATORY2_U, NULL, 200, NULL },
	{ "GET", "/api/v1/backoffice/subscriptions",
	    "/api/v1/backoffice/subscriptions?status=pending&q=Noor&limit=10&offset=0",
	    REVIEWER_U, NULL, 200, NULL },
	/* No such reference (references are 40 random bits): unknown_subscription. */
	{ "POST", "/api/v1/backoffice/subscriptions/{reference}/approve",
	    "/api/v1/backoffice/subscriptions/RN-0000-0000/approve", REVIEWER_U,
	    "{\"note\":\"checked with the bank\"}", 404, NULL },
	{ "POST", "/api/v1/backoffice/subscriptions/{reference}/reject",
	    "/api/v1/backoffice/subscriptions/RN-0000-0000/reject", REVIEWER_U,
	    "{\"note\":\"the account is not the company's\"}", 404, NULL },
	{ "GET", "/api/v1/backoffice/companies",
	    "/api/v1/backoffice/companies?q=Noor&limit=10&offset=0", REVIEWER_U, NULL, 200, NULL },
	/*
	 * Preview and statements: read-only. The examples' company has no
	 * subscription (not_subscribed); no test runs a cycle on
	 * EXAMPLE_DATE, so its reports do not exist (no_execution); the
	 * statement lists accept a page of any length.
	 * statements_flow_as_documented reads real ones.
	 */
	{ "GET", "/api/v1/companies/{est_id}/renewal/preview",
	    "/api/v1/companies/" EXAMPLE_CO "/renewal/preview?date=2026-12-08", SIGNATORY_U, NULL,
	    404, NULL },
	{ "GET", "/api/v1/companies/{est_id}/statements",
	    "/api/v1/companies/10000001/statements?kind=execution&limit=10&offset=0", SIGNATORY_U,
	    NULL, 200, NULL },
	/* 60 random bits: no statement carries it. */
	{ "GET", "/api/v1/statements/verify", "/api/v1/statements/verify?code=0000-0000-0000",
	    ANON, NULL, 404, NULL },
	/* Not a workbook anyone issued: genuine false. */
	{ "POST", "/api/v1/statements/verify", "/api/v1/statements/verify", ANON,
	    "PK not a statement workbook", 200, "application/octet-stream" },
	{ "GET", "/api/v1/statements/{id}.xlsx", "/api/v1/statements/999999999.xlsx", REVIEWER_U,
	    NULL, 404, NULL },
	{ "GET", "/api/v1/statements/{id}", "/api/v1/statements/999999999", REVIEWER_U, NULL,
	    404, NULL },
	{ "GET", "/api/v1/backoffice/statements",
	    "/api/v1/backoffice/statements?date=2026-12-08&kind=execution&limit=10&offset=0",
	    REVIEWER_U, NULL, 200, NULL },
	{ "GET", "/api/v1/backoffice/reports/execution-summary.xlsx",
	    "/api/v1/backoffice/reports/execution-summary.xlsx?date=" EXAMPLE_DATE, REVIEWER_U,
	    NULL, 404, NULL },
	{ "GET", "/api/v1/backoffice/reports/debits.xlsx",
	    "/api/v1/backoffice/reports/debits.xlsx?date=" EXAMPLE_DATE, REVIEWER_U, NULL, 404,
	    NULL },
	/* Parked messages: none, or those the notification tests left behind. */
	{ "GET", "/api/v1/backoffice/outbox",
	    "/api/v1/backoffice/outbox?status=failed&channel=email&limit=10&offset=0", REVIEWER_U,
	    NULL, 200, NULL },
	{ "POST", "/api/v1/backoffice/outbox/{id}/retry", "/api/v1/backoffice/outbox/999999999/retry",
	    REVIEWER_U, NULL, 404, NULL },
	/* issue 15 §2: penalties, read-only or refused harmlessly. */
	{ "GET", "/api/v1/backoffice/penalties",
	    "/api/v1/backoffice/penalties?state=issued&from=2026-01-01&limit=5", REVIEWER_U, NULL,
	    200, NULL },
	{ "GET", "/api/v1/backoffice/penalties.xlsx",
	    "/api/v1/backoffice/penalties.xlsx?from=2026-01-01&to=2026-01-31&lang=ar", REVIEWER_U,
	    NULL, 200, NULL },
	{ "POST", "/api/v1/backoffice/penalties/{id}/waive",
	    "/api/v1/backoffice/penalties/999999999/waive", REVIEWER_U, "{\"note\":\"x\"}", 404,
	    NULL },
	{ "POST", "/api/v1/backoffice/penalties/{id}/paid",
	    "/api/v1/backoffice/penalties/999999999/paid", REVIEWER_U, NULL, 404, NULL },
	{ "GET", "/api/v1/companies/{est_id}/penalties",
	    "/api/v1/companies/10000001/penalties?limit=5", SIGNATORY_U, NULL, 200, NULL },
	{ "GET", "/api/v1/backoffice/decisions",
	    "/api/v1/backoffice/decisions?est_id=10000001&from=2026-01-01T00:00:00Z&limit=5",
	    REVIEWER_U, NULL, 200, NULL },
	/* issue 13: lookups and the change feed, read-only. */
	{ "GET", "/api/v1/persons/{qid}/authority",
	    "/api/v1/persons/" SIGNATORY "/authority?limit=10&offset=0", SERVICE_U, NULL, 200, NULL },
	{ "GET", "/api/v1/companies/{est_id}/authorized",
	    "/api/v1/companies/10000001/authorized?service=RP_RENEW&limit=10", SERVICE_U, NULL, 200,
	    NULL },
	{ "GET", "/api/v1/changes", "/api/v1/changes?after=0&limit=5&wait=0", SERVICE_U, NULL, 200,
	    NULL },
	/* issue 12 §2: the reviewers' dashboard, read-only. */
	{ "GET", "/api/v1/backoffice/dashboard",
	    "/api/v1/backoffice/dashboard?from=2026-12-01&to=2027-03-31", REVIEWER_U, NULL, 200, NULL },

	/* issue 16 §2, §4: refused harmlessly (no such person, nothing pending); the page reads. */
	{ "POST", "/api/v1/persons/{qid}/mobile", "/api/v1/persons/29935699999/mobile", SERVICE_U,
	    "{\"mobile\":\"+97455999999\"}", 404, NULL },
	{ "POST", "/api/v1/persons/{qid}/mobile/confirm",
	    "/api/v1/persons/" SIGNATORY "/mobile/confirm", SERVICE_U, "{\"code\":\"123456\"}",
	    404, NULL },
	{ "POST", "/api/v1/me/mobile/confirm", "/api/v1/me/mobile/confirm", SIGNATORY_U,
	    "{\"code\":\"123456\"}", 404, NULL },
	{ "GET", "/api/v1/me/residency", "/api/v1/me/residency", SIGNATORY_U, NULL, 200, NULL },

	/* issue 15 §1: enrollment. Refused harmlessly, or read-only; the
	 * whole path is tests/integration/enrollment.c's. */
	{ "POST", "/api/v1/companies/{est_id}/enrollment",
	    "/api/v1/companies/" EXAMPLE_CO "/enrollment", SIGNATORY_U,
	    "--b\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n"
	    "{\"sector\":\"car_parks\"}\r\n--b--\r\n", 400, "multipart/form-data; boundary=b" },
	{ "GET", "/api/v1/companies/{est_id}/enrollment", "/api/v1/companies/10000001/enrollment",
	    SIGNATORY_U, NULL, 200, NULL },
	{ "GET", "/api/v1/companies/{est_id}/enrollment/letter.pdf",
	    "/api/v1/companies/" EXAMPLE_CO "/enrollment/letter.pdf", REVIEWER_U, NULL, 404, NULL },
	/* Suspended and resumed again: the examples' company as it was. */
	{ "POST", "/api/v1/companies/{est_id}/suspension",
	    "/api/v1/companies/" EXAMPLE_CO "/suspension", SIGNATORY_U,
	    "{\"reason\":\"premises closed for works\"}", 200, NULL },
	{ "DELETE", "/api/v1/companies/{est_id}/suspension",
	    "/api/v1/companies/" EXAMPLE_CO "/suspension", SIGNATORY_U, NULL, 200, NULL },
	{ "GET", "/api/v1/backoffice/enrollments",
	    "/api/v1/backoffice/enrollments?status=submitted&q=Noor&limit=10&offset=0", REVIEWER_U,
	    NULL, 200, NULL },
	{ "GET", "/api/v1/backoffice/enrollments/{reference}",
	    "/api/v1/backoffice/enrollments/ENR-0000-0000", REVIEWER_U, NULL, 404, NULL },
	{ "GET", "/api/v1/backoffice/enrollments/{reference}/documents/license",
	    "/api/v1/backoffice/enrollments/ENR-0000-0000/documents/license", REVIEWER_U, NULL, 404,
	    NULL },
	{ "GET", "/api/v1/backoffice/enrollments/{reference}/documents/owner_id",
	    "/api/v1/backoffice/enrollments/ENR-0000-0000/documents/owner_id", REVIEWER_U, NULL, 404,
	    NULL },
	{ "GET", "/api/v1/backoffice/enrollments/{reference}/documents/authority_letter",
	    "/api/v1/backoffice/enrollments/ENR-0000-0000/documents/authority_letter", REVIEWER_U,
	    NULL, 404, NULL },
	{ "POST", "/api/v1/backoffice/enrollments/{reference}/activate",
	    "/api/v1/backoffice/enrollments/ENR-0000-0000/activate", REVIEWER_U, NULL, 404, NULL },
	{ "POST", "/api/v1/backoffice/enrollments/{reference}/return",
	    "/api/v1/backoffice/enrollments/ENR-0000-0000/return", REVIEWER_U,
	    "{\"note\":\"the licence copy is not legible\"}", 404, NULL },
};
#define NEXAMPLES (sizeof(examples) / sizeof(examples[0]))

static const char *const http_methods[] = {
	"get", "put", "post", "delete", "options", "head", "patch", "trace", NULL
};

static json_t		*spec;
static struct client	 users[FRESH];	/* indexed by enum who; [ANON] unused */

/* ---- problems, collected so that one run lists them all ---------------- */

/* Fails the test with every problem listed (a line at a time: cmocka's
 * messages are short). */
static void
errs_report(struct js_errs *e, const char *what)
{
	if (e->n > 0) {
		char *line, *save;

		print_error("%s: %d problem(s):\n", what, e->n);
		for (line = strtok_r(e->buf, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save))
			print_error("%.900s\n", line);
		js_errs_free(e);
		fail_msg("%s: see the problems listed above", what);
	}
	js_errs_free(e);
}

/* ---- the document -------------------------------------------------------- */

/* The document's node a local reference names, or NULL (borrowed). */
static json_t *
pointer(const char *ref)
{
	return js_pointer(spec, ref);
}

/* Follows $ref within the document; NULL when one does not resolve. */
static json_t *
deref(json_t *node)
{
	return js_deref(spec, node);
}

static void
validate(const json_t *v, json_t *schema, const char *where, struct js_errs *e)
{
	js_validate(spec, v, schema, where, e);
}

static json_t *
operation(const char *pattern, const char *method)
{
	char m[16];
	size_t i;

	for (i = 0; method[i] != '\0' && i + 1 < sizeof(m); i++)
		m[i] = (char)tolower((unsigned char)method[i]);
	m[i] = '\0';
	return json_object_get(json_object_get(json_object_get(spec, "paths"), pattern), m);
}

static int
is_http_method(const char *key)
{
	size_t i;

	for (i = 0; http_methods[i] != NULL; i++)
		if (strcmp(key, http_methods[i]) == 0)
			return 1;
	return 0;
}

/* The operation's documented parameters (path item's and its own), resolved. */
static json_t *
op_parameters(const char *pattern, json_t *op)
{
	json_t *all = json_array(), *lists[2], *p;
	size_t i, k;

	lists[0] = json_object_get(json_object_get(json_object_get(spec, "paths"), pattern),
	    "parameters");
	lists[1] = json_object_get(op, "parameters");
	for (k = 0; k < 2; k++)
		json_array_foreach(lists[k], i, p) {
			json_t *d = deref(p);

			if (d != NULL)
				json_array_append(all, d);
		}
	return all;
}

/* The documented parameter named name in place in ("path", "query", "header"). */
static json_t *
op_parameter(json_t *params, const char *in, const char *name)
{
	json_t *p;
	size_t i;

	json_array_foreach(params, i, p) {
		const char *pin = json_string_value(json_object_get(p, "in"));
		const char *pname = json_string_value(json_object_get(p, "name"));

		if (pin != NULL && pname != NULL && strcmp(pin, in) == 0 &&
		    (strcmp(in, "header") == 0 ? strcasecmp(pname, name) :
		    strcmp(pname, name)) == 0)
			return p;
	}
	return NULL;
}

/* 1 when the operation needs no session (security: []). */
static int
op_public(json_t *op)
{
	json_t *sec = json_object_get(op, "security");

	if (sec == NULL)
		sec = json_object_get(spec, "security");
	return sec == NULL || (json_is_array(sec) && json_array_size(sec) == 0);
}

/* ---- requests and responses ---------------------------------------------- */

/* 1 when the Content-Type value ctype is the media type mt (parameters aside). */
static int
media_is(const char *ctype, const char *mt)
{
	size_t n = strlen(mt);

	return strncasecmp(ctype, mt, n) == 0 && (ctype[n] == '\0' || ctype[n] == ';' ||
	    ctype[n] == ' ');
}

/*
 * Checks one response against the operation: its status is documented,
 * and a JSON body validates against the documented schema of that status.
 * A body of another documented media type (a CSV download) is checked for
 * its Content-Type only.
 */
/*
 * The error shape beyond the schema: error.fields comes with error.field
 * and lists it first, every entry naming a field once. (An answer may name
 * its field alone: the verification page's {"valid": false, "error"}.)
 */
static void
error_fields_agree(const struct http_resp *r, const char *where, struct js_errs *e)
{
	json_t *err = json_object_get(r->json, "error"), *fields, *x;
	const char *field = json_string_value(json_object_get(err, "field")), *a, *b;
	size_t i, j;

	fields = json_object_get(err, "fields");
	if (fields == NULL)
		return;
	if (field == NULL || json_array_size(fields) == 0) {
		js_errf(e, "%s: error.field and error.fields come together: %.300s", where,
		    r->body);
		return;
	}
	if ((a = json_string_value(json_object_get(json_array_get(fields, 0), "field"))) ==
	    NULL || strcmp(a, field) != 0)
		js_errf(e, "%s: error.fields[0] is not error.field %s", where, field);
	json_array_foreach(fields, i, x)
		for (j = i + 1; j < json_array_size(fields); j++) {
			a = json_string_value(json_object_get(x, "field"));
			b = json_string_value(json_object_get(json_array_get(fields, j), "field"));
			if (a != NULL && b != NULL && strcmp(a, b) == 0)
				js_errf(e, "%s: error.fields names %s twice", where, a);
		}
}

static void
check_response(const char *method, const char *pattern, json_t *op,
    const struct http_resp *r, const char *what, struct js_errs *e)
{
	char code[8], where[256], ctype[128];
	json_t *resp, *content, *schema, *media;
	const char *mt;

	snprintf(where, sizeof(where), "%s %s (%s)", method, pattern, what);
	if (r->status == 0) {
		js_errf(e, "%s: no response (transport error)", where);
		return;
	}
	snprintf(code, sizeof(code), "%ld", r->status);
	resp = json_object_get(json_object_get(op, "responses"), code);
	if (resp == NULL)
		resp = json_object_get(json_object_get(op, "responses"), "default");
	if (resp == NULL) {
		js_errf(e, "%s: status %ld is not documented; body: %.300s", where, r->status,
		    r->body);
		return;
	}
	if ((resp = deref(resp)) == NULL) {
		js_errf(e, "%s: the documented response %s does not resolve", where, code);
		return;
	}
	content = json_object_get(resp, "content");
	if (content == NULL || json_object_size(content) == 0)
		return;
	if (!http_header(r, "Content-Type", ctype, sizeof(ctype)))
		ctype[0] = '\0';
	json_object_foreach(content, mt, media)
		if (strcmp(mt, "application/json") != 0 && media_is(ctype, mt)) {
			if (json_object_get(media, "schema") == NULL)
				js_errf(e, "%s: response %s documents no %s schema", where, code, mt);
			return;
		}
	schema = json_object_get(json_object_get(content, "application/json"), "schema");
	if (schema == NULL) {
		js_errf(e, "%s: status %ld has Content-Type \"%s\", not one response %s documents",
		    where, r->status, ctype, code);
		return;
	}
	if (!media_is(ctype, "application/json"))
		js_errf(e, "%s: status %ld has Content-Type \"%s\", not application/json", where,
		    r->status, ctype);
	if (r->json == NULL) {
		js_errf(e, "%s: status %ld body is not JSON: %.300s", where, r->status, r->body);
		return;
	}
	snprintf(where, sizeof(where), "%s %s (%s) %ld $", method, pattern, what, r->status);
	validate(r->json, schema, where, e);
	error_fields_agree(r, where, e);
}

/* The example request of an operation, or NULL. */
static const struct example *
example_of(const char *method, const char *pattern)
{
	size_t i;

	for (i = 0; i < NEXAMPLES; i++)
		if (strcasecmp(examples[i].method, method) == 0 &&
		    strcmp(examples[i].pattern, pattern) == 0)
			return &examples[i];
	return NULL;
}

/* 1 when the query string q (may be NULL) has the parameter name. */
static int
query_has(const char *q, const char *name)
{
	size_t n = strlen(name);

	while (q != NULL && *q != '\0') {
		if (strncmp(q, name, n) == 0 && (q[n] == '=' || q[n] == '&' || q[n] == '\0'))
			return 1;
		q = strchr(q, '&');
		if (q != NULL)
			q++;
	}
	return 0;
}

/*
 * One segment of a path template against the segment of a concrete path.
 * A template segment holds at most one {name}, maybe with literal text
 * around it ("{id}.xlsx"). Returns 0 for a literal segment the path's
 * equals, 1 for a parameter (its name, and the value the path gives it
 * without the literal text), -1 when the path's segment does not fit.
 */
static int
segment_param(const char *tseg, const char *pseg, char *name, size_t namesz, char *value,
    size_t valuesz)
{
	const char *open = strchr(tseg, '{'), *close;
	size_t pre, post, n = strlen(pseg);

	if (open == NULL || (close = strchr(open, '}')) == NULL)
		return strcmp(tseg, pseg) == 0 ? 0 : -1;
	pre = (size_t)(open - tseg);
	post = strlen(close + 1);
	if (n <= pre + post || strncmp(pseg, tseg, pre) != 0 ||
	    strcmp(pseg + n - post, close + 1) != 0)
		return -1;
	snprintf(name, namesz, "%.*s", (int)(close - open - 1), open + 1);
	snprintf(value, valuesz, "%.*s", (int)(n - pre - post), pseg + pre);
	return 1;
}

/*
 * Checks the example request itself against the document: its path fills
 * the template with values the documented path parameters accept, its
 * query has every required query parameter, its body validates.
 */
static void
check_example_request(const struct example *x, json_t *op, struct js_errs *e)
{
	char path[512], tmpl[256], where[256], *q, *ps, *ts, *psave, *tsave, *pseg, *tseg;
	char name[64], value[256];
	json_t *params = op_parameters(x->pattern, op), *p, *body, *schema, *param, *sch, *val;
	size_t i;
	int kind;

	snprintf(where, sizeof(where), "%s %s (example)", x->method, x->pattern);
	snprintf(path, sizeof(path), "%s", x->path);
	if ((q = strchr(path, '?')) != NULL)
		*q++ = '\0';
	snprintf(tmpl, sizeof(tmpl), "%s", x->pattern);
	for (ps = path, ts = tmpl;; ps = NULL, ts = NULL) {
		pseg = strtok_r(ps, "/", &psave);
		tseg = strtok_r(ts, "/", &tsave);
		if (pseg == NULL || tseg == NULL) {
			if (pseg != tseg)
				js_errf(e, "%s: the path %s does not fit the template", where, x->path);
			break;
		}
		kind = segment_param(tseg, pseg, name, sizeof(name), value, sizeof(value));
		if (kind < 0)
			js_errf(e, "%s: the path %s does not fit the template", where, x->path);
		if (kind <= 0)
			continue;
		param = op_parameter(params, "path", name);
		if (param == NULL) {
			js_errf(e, "%s: path parameter %s is not documented", where, name);
			continue;
		}
		sch = deref(json_object_get(param, "schema"));
		if (sch != NULL && strcmp(json_string_value(json_object_get(sch, "type")) ?
		    json_string_value(json_object_get(sch, "type")) : "", "integer") == 0)
			val = json_integer(strtoll(value, NULL, 10));
		else
			val = json_string(value);
		validate(val, json_object_get(param, "schema"), where, e);
		json_decref(val);
	}
	json_array_foreach(params, i, p) {
		const char *in = json_string_value(json_object_get(p, "in"));
		const char *pname = json_string_value(json_object_get(p, "name"));
		if (in == NULL || pname == NULL || strcmp(in, "query") != 0 ||
		    !json_is_true(json_object_get(p, "required")))
			continue;
		if (!query_has(q, pname))
			js_errf(e, "%s: required query parameter %s missing", where, pname);
	}
	json_decref(params);
	if (x->body != NULL) {
		char mt[64];

		/* The media type without its parameters (a multipart boundary). */
		snprintf(mt, sizeof(mt), "%.*s", (int)strcspn(x->ctype ? x->ctype :
		    "application/json", ";"), x->ctype ? x->ctype : "application/json");
		schema = json_object_get(json_object_get(json_object_get(deref(json_object_get(op,
		    "requestBody")), "content"), mt), "schema");
		body = strcmp(mt, "application/json") == 0 ? json_loads(x->body, 0, NULL) :
		    json_string(x->body);
		/* A multipart body has no JSON form to validate: its parts are
		 * the server's to check (tests/integration/enrollment.c). */
		if (schema != NULL && strncmp(mt, "multipart/", 10) == 0)
			;
		else if (schema == NULL)
			js_errf(e, "%s: sends a %s body, the document has no such requestBody", where,
			    mt);
		else if (body == NULL)
			js_errf(e, "%s: the example body is not JSON (or not UTF-8)", where);
		else
			validate(body, schema, where, e);
		json_decref(body);
	} else if (json_is_true(json_object_get(deref(json_object_get(op, "requestBody")),
	    "required")))
		js_errf(e, "%s: sends no body, the document says one is required", where);
}

static long
request(struct client *c, const char *method, const char *path, const char *body,
    struct http_resp *r)
{
	return http_req(c, method, path, body ? "application/json" : NULL, body,
	    body ? strlen(body) : 0, r);
}

/* Sends the example's request (its body with its content type) as c. */
static long
send_example(struct client *c, const struct example *x, struct http_resp *r)
{
	return http_req(c, x->method, x->path, x->body == NULL ? NULL : x->ctype ? x->ctype :
	    "application/json", x->body, x->body ? strlen(x->body) : 0, r);
}

/* ---- setup ----------------------------------------------------------------- */

static int
setup(void **state)
{
	char path[1024], *v;
	json_error_t jerr;
	int ok;

	(void)state;
	snprintf(path, sizeof(path), "%s/docs/openapi.json", test_env("RB_ROOT"));
	spec = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (spec == NULL) {
		print_error("%s:%d: %s\n", path, jerr.line, jerr.text);
		return -1;
	}
	client_init(&users[SIGNATORY_U]);
	client_init(&users[REVIEWER_U]);
	client_init(&users[SERVICE_U]);
	client_init(&users[SIGNATORY2_U]);
	if (client_signin(&users[SIGNATORY_U], SIGNATORY, SIGNATORY_PW) != 201 ||
	    client_signin(&users[REVIEWER_U], REVIEWER, REVIEWER_PW) != 201 ||
	    client_signin(&users[SERVICE_U], SERVICE, SERVICE_PW) != 201 ||
	    client_signin(&users[SIGNATORY2_U], SIGNATORY2, SIGNATORY2_PW) != 201) {
		print_error("cannot sign in the test users (is the base fixture loaded?)\n");
		return -1;
	}
	free(test_sql(example_co_drop));	/* left over by an interrupted run */
	v = test_sql(example_co_make);
	ok = v != NULL && strcmp(v, "1") == 0;
	free(v);
	if (!ok) {
		print_error("cannot make the examples' company %s\n", EXAMPLE_CO);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	char *v;
	int i, ok;

	(void)state;
	for (i = SIGNATORY_U; i < FRESH; i++) {
		if (users[i].cookie[0] != '\0')
			http_status(&users[i], "DELETE", "/api/v1/session", NULL);
		client_free(&users[i]);
	}
	json_decref(spec);
	spec = NULL;
	v = test_sql(example_co_drop);
	ok = v != NULL && strcmp(v, "0") == 0;
	free(v);
	if (!ok)
		print_error("cannot remove the examples' company %s\n", EXAMPLE_CO);
	return ok ? 0 : -1;
}

/* ---- the tests ----------------------------------------------------------- */

/* The document itself: well-formed enough to be trusted by the tests below. */
static void
document_is_consistent(void **state)
{
	struct js_errs e = { NULL, 0, 0, 0 };
	json_t *paths = json_object_get(spec, "paths"), *item, *op, *v;
	const char *pattern, *m;
	regex_t snake;

	(void)state;
	assert_non_null(paths);
	assert_string_equal(json_string_value(json_object_get(spec, "openapi")), "3.0.3");
	v = json_object_get(json_object_get(json_object_get(spec, "components"),
	    "securitySchemes"), "sessionCookie");
	if (v == NULL || strcmp(json_string_value(json_object_get(v, "in")) ?
	    json_string_value(json_object_get(v, "in")) : "", "cookie") != 0 ||
	    strcmp(json_string_value(json_object_get(v, "name")) ?
	    json_string_value(json_object_get(v, "name")) : "", "__Host-session") != 0)
		js_errf(&e, "components.securitySchemes.sessionCookie is not the __Host-session cookie");
	assert_int_equal(regcomp(&snake, "^[a-z][a-z0-9_]*$", REG_EXTENDED | REG_NOSUB), 0);
	json_object_foreach(paths, pattern, item) {
		json_object_foreach(item, m, op) {
			json_t *params, *resps, *r, *p;
			const char *code, *t;
			size_t i;

			if (!is_http_method(m))
				continue;
			if (!json_is_string(json_object_get(op, "summary")) ||
			    !json_is_string(json_object_get(op, "description")))
				js_errf(&e, "%s %s: no summary or description", m, pattern);
			resps = json_object_get(op, "responses");
			if (json_object_size(resps) == 0)
				js_errf(&e, "%s %s: no responses", m, pattern);
			json_object_foreach(resps, code, r) {
				json_t *d = deref(r), *ct;
				const char *mt;

				if (d == NULL || !json_is_string(json_object_get(d, "description")))
					js_errf(&e, "%s %s: response %s does not resolve or has no "
					    "description", m, pattern, code);
				json_object_foreach(json_object_get(d, "content"), mt, ct)
					if (deref(json_object_get(ct, "schema")) == NULL)
						js_errf(&e, "%s %s: response %s schema does not resolve",
						    m, pattern, code);
				if (atoi(code) >= 400 && d != NULL && json_object_get(
				    json_object_get(d, "content"), "application/json") == NULL)
					js_errf(&e, "%s %s: error response %s has no JSON body", m,
					    pattern, code);
			}
			params = op_parameters(pattern, op);
			/* Every {name} of the template is a required path parameter. */
			for (t = strchr(pattern, '{'); t != NULL; t = strchr(t + 1, '{')) {
				char name[64];
				const char *end = strchr(t, '}');

				if (end == NULL)
					break;
				snprintf(name, sizeof(name), "%.*s", (int)(end - t - 1), t + 1);
				p = op_parameter(params, "path", name);
				if (p == NULL || !json_is_true(json_object_get(p, "required")))
					js_errf(&e, "%s %s: path parameter %s not documented as required",
					    m, pattern, name);
			}
			json_array_foreach(params, i, p)
				if (json_object_get(p, "schema") == NULL ||
				    deref(json_object_get(p, "schema")) == NULL)
					js_errf(&e, "%s %s: parameter %s has no schema", m, pattern,
					    json_string_value(json_object_get(p, "name")));
			/* A session's state-changing requests need the CSRF header. */
			if (!op_public(op) && strcmp(m, "get") != 0 && strcmp(m, "head") != 0) {
				p = op_parameter(params, "header", "X-CSRF-Token");
				if (p == NULL || !json_is_true(json_object_get(p, "required")))
					js_errf(&e, "%s %s: the X-CSRF-Token header is not documented "
					    "as required", m, pattern);
				if (json_object_get(json_object_get(op, "responses"), "403") == NULL)
					js_errf(&e, "%s %s: 403 (CSRF) not documented", m, pattern);
			}
			if (!op_public(op) &&
			    json_object_get(json_object_get(op, "responses"), "401") == NULL)
				js_errf(&e, "%s %s: 401 not documented", m, pattern);
			json_decref(params);
		}
	}
	/* Names are snake_case; money is integer dirhams; dates are strings. */
	json_object_foreach(json_object_get(json_object_get(spec, "components"), "schemas"),
	    pattern, v) {
		json_t *props = json_object_get(v, "properties"), *ps;
		const char *name;

		json_object_foreach(props, name, ps) {
			json_t *d = deref(ps);
			const char *type = json_string_value(json_object_get(d, "type"));
			const char *fmt = json_string_value(json_object_get(d, "format"));
			size_t n = strlen(name);

			if (regexec(&snake, name, 0, NULL, 0) != 0)
				js_errf(&e, "schema %s: property %s is not snake_case", pattern, name);
			if (n > 8 && strcmp(name + n - 8, "_dirhams") == 0 &&
			    (type == NULL || strcmp(type, "integer") != 0))
				js_errf(&e, "schema %s: %s is not an integer", pattern, name);
			if (fmt != NULL && (strcmp(fmt, "date") == 0 ||
			    strcmp(fmt, "date-time") == 0) &&
			    (type == NULL || strcmp(type, "string") != 0))
				js_errf(&e, "schema %s: %s is a date but not a string", pattern, name);
		}
	}
	regfree(&snake);
	errs_report(&e, "docs/openapi.json");
}

/* Test 1: the route table and the document name the same operations. */
static void
routes_match_the_document(void **state)
{
	struct js_errs e = { NULL, 0, 0, 0 };
	char cmd[1200], line[512], method[16], pattern[400];
	json_t *seen = json_object(), *item, *op;
	const char *path, *m;
	FILE *f;
	int n = 0;

	(void)state;
	snprintf(cmd, sizeof(cmd), "'%s/rb-fcgi' --routes", test_env("RB_BIN"));
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char key[420], lower[16];
		size_t i;

		if (sscanf(line, "%15s %399s", method, pattern) != 2)
			continue;
		n++;
		for (i = 0; method[i] != '\0'; i++)
			lower[i] = (char)tolower((unsigned char)method[i]);
		lower[i] = '\0';
		snprintf(key, sizeof(key), "%s %s", lower, pattern);
		json_object_set_new(seen, key, json_true());
		if (operation(pattern, method) == NULL)
			js_errf(&e, "route %s %s is not in docs/openapi.json", method, pattern);
	}
	assert_int_equal(pclose(f), 0);
	assert_true(n > 0);
	json_object_foreach(json_object_get(spec, "paths"), path, item)
		json_object_foreach(item, m, op) {
			char key[420];

			if (!is_http_method(m))
				continue;
			snprintf(key, sizeof(key), "%s %s", m, path);
			if (json_object_get(seen, key) == NULL)
				js_errf(&e, "documented %s %s is not in the route table", m, path);
		}
	json_decref(seen);
	errs_report(&e, "route table vs docs/openapi.json");
}

/* Revokes the grants an example created, checking that response too. */
static void
undo_grants(const struct http_resp *created, struct js_errs *e)
{
	const char *pattern = "/api/v1/companies/{est_id}/grants/{id}";
	json_t *items = json_object_get(created->json, "items"), *g;
	json_t *op = operation(pattern, "DELETE");
	size_t i;

	json_array_foreach(items, i, g) {
		char path[128];
		struct http_resp r;

		snprintf(path, sizeof(path), "/api/v1/companies/%s/grants/%lld",
		    json_string_value(json_object_get(g, "est_id")),
		    (long long)json_integer_value(json_object_get(g, "id")));
		request(&users[SIGNATORY_U], "DELETE", path, NULL, &r);
		if (r.status != 200)
			js_errf(e, "DELETE %s (undoing the example grant): %ld %.200s", path,
			    r.status, r.body);
		if (op != NULL)
			check_response("DELETE", pattern, op, &r, "signatory, live grant", e);
		http_resp_free(&r);
	}
}

/*
 * Test 2: every documented operation, sent (a) without a session and no
 * body, and (b) as the right kind of user with each of its valid example
 * requests, answers a documented status with a body of the documented
 * schema.
 */
static void
operations_answer_as_documented(void **state)
{
	struct js_errs e = { NULL, 0, 0, 0 };
	json_t *item, *op;
	const char *pattern, *m;

	(void)state;
	json_object_foreach(json_object_get(spec, "paths"), pattern, item)
		json_object_foreach(item, m, op) {
			char method[16];
			const struct example *x;
			struct client anon;
			struct http_resp r;
			size_t i, k;

			if (!is_http_method(m))
				continue;
			for (i = 0; m[i] != '\0' && i + 1 < sizeof(method); i++)
				method[i] = (char)toupper((unsigned char)m[i]);
			method[i] = '\0';
			if ((x = example_of(method, pattern)) == NULL) {
				js_errf(&e, "%s %s: no example request in tests/integration/openapi.c",
				    method, pattern);
				continue;
			}

			/* (a) no session, no body. */
			client_init(&anon);
			request(&anon, method, x->path, NULL, &r);
			check_response(method, pattern, op, &r, "no session, no body", &e);
			if (!op_public(op) && r.status != 401)
				js_errf(&e, "%s %s (no session): %ld, not 401", method, pattern, r.status);
			http_resp_free(&r);
			client_free(&anon);

			/* (b) the right user, each valid request. */
			for (k = 0; k < NEXAMPLES; k++) {
				struct client fresh, *c;
				char code[8], what[64];

				x = &examples[k];
				if (strcmp(x->method, method) != 0 || strcmp(x->pattern, pattern) != 0)
					continue;
				check_example_request(x, op, &e);
				snprintf(code, sizeof(code), "%ld", x->expect);
				if (json_object_get(json_object_get(op, "responses"), code) == NULL)
					js_errf(&e, "%s %s: the example's status %ld is not documented",
					    method, pattern, x->expect);
				snprintf(what, sizeof(what), "valid request, %s body",
				    x->body == NULL ? "no" : x->ctype ? x->ctype : "JSON");
				client_init(&anon);
				if (x->who == ANON)
					c = &anon;
				else if (x->who == FRESH) {
					client_init(&fresh);
					if (client_signin(&fresh, SIGNATORY, SIGNATORY_PW) != 201)
						js_errf(&e, "%s %s: cannot sign in a fresh session", method,
						    pattern);
					c = &fresh;
				} else
					c = &users[x->who];
				send_example(c, x, &r);
				check_response(method, pattern, op, &r, what, &e);
				if (r.status != x->expect)
					js_errf(&e, "%s %s (%s): %ld, expected %ld; body %.300s",
					    method, pattern, what, r.status, x->expect, r.body);
				if (r.status == 201 &&
				    strcmp(pattern, "/api/v1/companies/{est_id}/grants") == 0)
					undo_grants(&r, &e);
				/* The session the sign-in example started ends again. */
				if (r.status == 201 && strcmp(pattern, "/api/v1/session") == 0) {
					const char *csrf = resp_str(&r, "csrf_token");
					struct http_resp out;

					snprintf(anon.csrf, sizeof(anon.csrf), "%s", csrf ? csrf : "");
					request(&anon, "DELETE", "/api/v1/session", NULL, &out);
					if (out.status != 200)
						js_errf(&e, "DELETE /api/v1/session after sign-in: %ld",
						    out.status);
					http_resp_free(&out);
				}
				http_resp_free(&r);
				if (x->who == FRESH)
					client_free(&fresh);
				client_free(&anon);
			}
		}
	errs_report(&e, "operations vs docs/openapi.json");
}

/*
 * Test 2, the edges every operation shares: a malformed path parameter is
 * 400 naming it, and a session's state-changing request without the CSRF
 * token is 403; both documented.
 */
static void
bad_path_parameters_and_csrf_as_documented(void **state)
{
	static const struct {
		const char *name, *bad;
	} bad[] = { { "est_id", "1234567" }, { "qid", "12345678901" }, { "id", "0" },
	    { "reference", "RN-0000-000U" }, { "reference", "rn-0000-0000" } };
	struct js_errs e = { NULL, 0, 0, 0 };
	size_t i, k;

	(void)state;
	for (i = 0; i < NEXAMPLES; i++) {
		const struct example *x = &examples[i];
		json_t *op = operation(x->pattern, x->method);
		struct http_resp r;

		if (op == NULL)
			continue;
		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			char tmpl[256], path[512], needle[32], *at;
			struct client anon;
			const char *field;

			/* Fill the template from the example, one parameter spoiled. */
			snprintf(needle, sizeof(needle), "{%s}", bad[k].name);
			if (strstr(x->pattern, needle) == NULL)
				continue;
			snprintf(tmpl, sizeof(tmpl), "%s", x->path);
			if ((at = strchr(tmpl, '?')) != NULL)
				*at = '\0';
			{
				/*
				 * Segment by segment: the template's {name} gets bad,
				 * the literal text beside it ("{id}.xlsx") kept.
				 */
				char t[256], *ts, *ps, *tsave, *psave, *tseg, *pseg, *in;
				size_t o = 0;

				snprintf(t, sizeof(t), "%s", x->pattern);
				for (ts = t, ps = tmpl;; ts = NULL, ps = NULL) {
					tseg = strtok_r(ts, "/", &tsave);
					pseg = strtok_r(ps, "/", &psave);
					if (tseg == NULL || pseg == NULL)
						break;
					if ((in = strstr(tseg, needle)) != NULL)
						o += (size_t)snprintf(path + o, sizeof(path) - o,
						    "/%.*s%s%s", (int)(in - tseg), tseg, bad[k].bad,
						    in + strlen(needle));
					else
						o += (size_t)snprintf(path + o, sizeof(path) - o, "/%s",
						    pseg);
				}
			}
			client_init(&anon);
			request(&anon, x->method, path, NULL, &r);
			check_response(x->method, x->pattern, op, &r, "bad path parameter", &e);
			field = resp_str(&r, "error.field");
			if (r.status != 400 || field == NULL || strcmp(field, bad[k].name) != 0)
				js_errf(&e, "%s %s: %ld with field %s, expected 400 naming %s",
				    x->method, path, r.status, field ? field : "(none)",
				    bad[k].name);
			http_resp_free(&r);
			client_free(&anon);
		}
		if (!op_public(op) && strcmp(x->method, "GET") != 0) {
			struct client *c = &users[x->who == FRESH || x->who == ANON ?
			    SIGNATORY_U : x->who];
			char saved[sizeof(c->csrf)];
			const char *code;

			memcpy(saved, c->csrf, sizeof(saved));
			c->csrf[0] = '\0';
			send_example(c, x, &r);
			memcpy(c->csrf, saved, sizeof(saved));
			check_response(x->method, x->pattern, op, &r, "no CSRF token", &e);
			code = resp_str(&r, "error.code");
			if (r.status != 403 || code == NULL || strcmp(code, "csrf") != 0)
				js_errf(&e, "%s %s without X-CSRF-Token: %ld %s, expected 403 csrf",
				    x->method, x->path, r.status, code ? code : "");
			http_resp_free(&r);
		}
	}
	errs_report(&e, "path parameters and CSRF vs docs/openapi.json");
}

/* Test 3: unknown paths are 404 with an Error; a known path's unknown method 405. */
static void
unknown_path_and_wrong_method(void **state)
{
	static const char *const unknown[] = {
		"/api/v1/no-such-resource", "/api/v1/", "/api/v1/health/extra",
		"/api/v1/companies/10000001/no-such-thing", "/api/v1/persons/29935600211",
		"/api/v2/health", "/api/v1/backoffice", "/api/v1/backoffice/subscriptions/RN-0000-0000",
		"/api/v1/companies/10000003/renewal/subscription/extra",
		"/api/v1/companies/10000003/exclusions.xlsx", "/api/v1/statements",
		"/api/v1/statements/7/lines", "/api/v1/backoffice/statements/7",
		"/api/v1/companies/10000001/statements/7",
		"/api/v1/companies/10000001/renewal/preview/extra",
	};
	static const char *const try_methods[] = { "PUT", "PATCH", "POST", "DELETE", "GET" };
	json_t *error = pointer("#/components/schemas/Error"), *item;
	struct js_errs e = { NULL, 0, 0, 0 };
	struct client c;
	struct http_resp r;
	const char *pattern, *code;
	char where[600];
	size_t i, k;

	(void)state;
	assert_non_null(error);
	client_init(&c);
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		request(&c, "GET", unknown[i], NULL, &r);
		snprintf(where, sizeof(where), "GET %s $", unknown[i]);
		if (r.status != 404)
			js_errf(&e, "GET %s: %ld, expected 404", unknown[i], r.status);
		else if (r.json == NULL)
			js_errf(&e, "GET %s: 404 body is not JSON: %.200s", unknown[i], r.body);
		else
			validate(r.json, error, where, &e);
		http_resp_free(&r);
	}
	/* Signed in makes no difference. */
	request(&users[SIGNATORY_U], "GET", "/api/v1/no-such-resource", NULL, &r);
	if (r.status != 404 || (code = resp_str(&r, "error.code")) == NULL ||
	    strcmp(code, "not_found") != 0)
		js_errf(&e, "GET /api/v1/no-such-resource signed in: %ld, expected 404 not_found",
		    r.status);
	http_resp_free(&r);

	/* Each documented path with a method it does not have. */
	json_object_foreach(json_object_get(spec, "paths"), pattern, item) {
		const struct example *x = NULL;
		char path[512], *q;

		for (k = 0; k < NEXAMPLES && x == NULL; k++)
			if (strcmp(examples[k].pattern, pattern) == 0)
				x = &examples[k];
		if (x == NULL) {
			js_errf(&e, "%s: no example path to try a wrong method on", pattern);
			continue;
		}
		snprintf(path, sizeof(path), "%s", x->path);
		if ((q = strchr(path, '?')) != NULL)
			*q = '\0';
		for (k = 0; k < sizeof(try_methods) / sizeof(try_methods[0]); k++) {
			if (operation(pattern, try_methods[k]) != NULL)
				continue;
			request(&c, try_methods[k], path, NULL, &r);
			snprintf(where, sizeof(where), "%s %s $", try_methods[k], path);
			code = resp_str(&r, "error.code");
			if (r.status != 405)
				js_errf(&e, "%s %s: %ld, expected 405", try_methods[k], path, r.status);
			else if (r.json == NULL)
				js_errf(&e, "%s %s: 405 body is not JSON", try_methods[k], path);
			else {
				validate(r.json, error, where, &e);
				if (code == NULL || strcmp(code, "method_not_allowed") != 0)
					js_errf(&e, "%s %s: code %s, expected method_not_allowed",
					    try_methods[k], path, code ? code : "(none)");
			}
			http_resp_free(&r);
		}
	}
	client_free(&c);
	errs_report(&e, "unknown paths and methods");
}

/* ---- the renewal flow, on a company of its own ---------------------------- */

/*
 * A company no fixture has: SIGNATORY2 signs for it (and still for
 * 10000003), it holds two accounts and employs two people of its own. The
 * renewal requests that succeed run on it, so that nothing the renewal
 * tests use changes; the test removes it again (the audit log keeps what
 * was done to it, like every audit log).
 */
#define SCRATCH		"10000099"
#define SCRATCH_PATH	"/api/v1/companies/" SCRATCH
#define SCRATCH_IBAN	"QA48DOHB000000000000990000001"
#define SCRATCH_IBAN2	"QA21DOHB000000000000990000002"
#define SCRATCH_EMP	"29935699001"
#define SCRATCH_EMP2	"29935699002"

static const char scratch_drop[] =
	"DELETE FROM renewal_exclusions WHERE est_id = '" SCRATCH "';"
	"DELETE FROM renewal_subscriptions WHERE est_id = '" SCRATCH "';"
	"DELETE FROM renewal_settings WHERE est_id = '" SCRATCH "';"
	"DELETE FROM bank_accounts WHERE est_id = '" SCRATCH "';"
	"DELETE FROM signatories WHERE est_id = '" SCRATCH "';"
	"DELETE FROM employment WHERE est_id = '" SCRATCH "';"
	"DELETE FROM persons WHERE qid IN ('" SCRATCH_EMP "', '" SCRATCH_EMP2 "');"
	"DELETE FROM companies WHERE est_id = '" SCRATCH "';"
	"SELECT count(*) FROM companies WHERE est_id = '" SCRATCH "'";

static const char scratch_make[] =
	"INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES"
	" ('" SCRATCH "', 'شركة اختبار الوثيقة', 'OpenAPI Test Trading',"
	"  'hr@openapi-test.example', 'en');"
	"INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,"
	" in_country, status, permit_expiry) VALUES"
	" ('" SCRATCH_EMP "', 'راجيش كومار', 'Rajesh Kumar', 'IND', false, '+97455990001',"
	"  'en', true, 'active', '2027-03-01'),"
	" ('" SCRATCH_EMP2 "', 'ماريا سانتوس', 'Maria Santos', 'PHL', false, '+97455990002',"
	"  'en', true, 'active', '2027-04-01');"
	"INSERT INTO employment (qid, est_id, since) VALUES"
	" ('" SCRATCH_EMP "', '" SCRATCH "', '2024-01-01'),"
	" ('" SCRATCH_EMP2 "', '" SCRATCH "', '2024-01-01');"
	"INSERT INTO signatories (qid, est_id) VALUES ('" SIGNATORY2 "', '" SCRATCH "');"
	"INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES"
	" ('" SCRATCH_IBAN "', '" SCRATCH "', 1000000), ('" SCRATCH_IBAN2 "', '" SCRATCH "', 0)";

#define SUBSCRIPTION	"/api/v1/companies/{est_id}/renewal/subscription"
#define RENEWAL		"/api/v1/companies/{est_id}/renewal"
#define EXCLUSIONS	"/api/v1/companies/{est_id}/exclusions"
#define EXCLUSION	"/api/v1/companies/{est_id}/exclusions/{qid}"
#define EXCLUSIONS_CSV	"/api/v1/companies/{est_id}/exclusions.csv"
#define SUBSCRIPTIONS	"/api/v1/backoffice/subscriptions"
#define APPROVE		"/api/v1/backoffice/subscriptions/{reference}/approve"
#define REJECT		"/api/v1/backoffice/subscriptions/{reference}/reject"

/* A subscription of the scratch company; %s: the IBAN, %s: the authorizing QID. */
#define SUBSCRIBE_FMT \
	"{\"iban\":\"%s\",\"authorizing_qid\":\"%s\",\"email\":\"hr@openapi-test.example\"," \
	"\"mobile\":\"+97455990000\",\"language\":\"en\",\"delivery_address\":" \
	"\"Building 12, Street 340\\nIndustrial Area, Doha\",\"cap_dirhams\":500000," \
	"\"duration_years\":2,\"enabled\":false}"

static struct http_resp	flow_resp;	/* the flow's last answer, until the next step */
static const char	*flow_name = "renewal flow";	/* the flow running, for messages */

/*
 * One step of the flow: who (ANON: a client without a session) sends
 * method path with body (of ctype; NULL: JSON). The answer must be documented for pattern, and be status, with
 * error.code code when code is not NULL. Returns 1 when it is.
 */
static int
step(struct js_errs *e, enum who who, const char *method, const char *pattern,
    const char *path, const char *ctype, const char *body, long status, const char *code)
{
	json_t *op = operation(pattern, method);
	struct client anon;
	const char *got;
	char what[256];

	http_resp_free(&flow_resp);
	if (who == ANON)
		client_init(&anon);
	http_req(who == ANON ? &anon : &users[who], method, path, body == NULL ? NULL : ctype ?
	    ctype : "application/json", body, body ? strlen(body) : 0, &flow_resp);
	if (who == ANON)
		client_free(&anon);
	snprintf(what, sizeof(what), "%s, %s", flow_name, status < 300 ? "success" : "refusal");
	if (op == NULL) {
		js_errf(e, "%s %s: not in the document", method, pattern);
		return 0;
	}
	check_response(method, pattern, op, &flow_resp, what, e);
	got = resp_str(&flow_resp, "error.code");
	if (flow_resp.status != status || (code != NULL && (got == NULL || strcmp(got, code) != 0))) {
		js_errf(e, "%s %s: %ld %s, expected %ld %s; body %.300s", method, path,
		    flow_resp.status, got ? got : "", status, code ? code : "", flow_resp.body);
		return 0;
	}
	return 1;
}

/* The last answer's member at path (dotted) is the string want. */
static void
flow_str(struct js_errs *e, const char *path, const char *want)
{
	const char *got = resp_str(&flow_resp, path);

	if (got == NULL || strcmp(got, want) != 0)
		js_errf(e, "%s: %s is %s, expected %s; body %.300s", flow_name, path,
		    got ? got : "(absent)", want, flow_resp.body);
}

/* The last answer's member name is the integer want (booleans: 0 or 1). */
static void
flow_int(struct js_errs *e, const char *name, long long want)
{
	json_t *v = json_object_get(flow_resp.json, name);
	long long got = json_is_boolean(v) ? json_is_true(v) : json_is_integer(v) ?
	    (long long)json_integer_value(v) : -1;

	if (got != want)
		js_errf(e, "%s: %s is %lld, expected %lld; body %.300s", flow_name, name, got, want,
		    flow_resp.body);
}

/* The last answer is a page with an item whose member key is value. */
static void
flow_listed(struct js_errs *e, const char *key, const char *value)
{
	json_t *item;
	size_t i;

	json_array_foreach(json_object_get(flow_resp.json, "items"), i, item)
		if (strcmp(json_string_value(json_object_get(item, key)) ?
		    json_string_value(json_object_get(item, key)) : "", value) == 0)
			return;
	js_errf(e, "%s: no item with %s %s; body %.300s", flow_name, key, value, flow_resp.body);
}

/*
 * Test 4: the renewal operations, on the scratch company, through the
 * subscription's whole life and the exclusion list: each answer, success
 * or refusal, is documented and has the documented schema.
 */
static void
renewal_flow_as_documented(void **state)
{
	struct js_errs e = { NULL, 0, 0, 0 };
	char ref[16] = "", change[16] = "", path[256], body[1024], *v, *big;
	const char *s;
	size_t i, n;

	(void)state;
	flow_name = "renewal flow";
	free(test_sql(scratch_drop));	/* left over by an interrupted run */
	v = test_sql(scratch_make);
	if (v == NULL)
		fail_msg("cannot make the scratch company %s (see test_sql above)", SCRATCH);
	free(v);

	/* Subscribing: refused until everything is right, then pending. */
	snprintf(body, sizeof(body), SUBSCRIBE_FMT, SCRATCH_IBAN, SIGNATORY2);
	step(&e, SIGNATORY_U, "POST", SUBSCRIPTION, SCRATCH_PATH "/renewal/subscription",
	    NULL, body, 403, "not_signatory");
	/* To a caller who is no reviewer, an unknown company is refused like
	 * one they have nothing to do with (issue 11 §3). */
	step(&e, SIGNATORY2_U, "POST", SUBSCRIPTION, "/api/v1/companies/10009999/renewal/subscription",
	    NULL, body, 403, "not_signatory");
	step(&e, SIGNATORY2_U, "POST", SUBSCRIPTION, SCRATCH_PATH "/renewal/subscription",
	    "text/plain", body, 415, "unsupported_media_type");
	step(&e, SIGNATORY2_U, "POST", SUBSCRIPTION, SCRATCH_PATH "/renewal/subscription",
	    NULL, "{\"iban\":", 400, "malformed_json");
	step(&e, SIGNATORY2_U, "POST", SUBSCRIPTION, SCRATCH_PATH "/renewal/subscription",
	    NULL, "{\"iban\":\"" SCRATCH_IBAN "\"}", 400, "invalid_field");
	snprintf(body, sizeof(body), SUBSCRIBE_FMT, "QA21CBQA000000000000555000111", SIGNATORY2);
	step(&e, SIGNATORY2_U, "POST", SUBSCRIPTION, SCRATCH_PATH "/renewal/subscription",
	    NULL, body, 400, "account_not_company");
	snprintf(body, sizeof(body), SUBSCRIBE_FMT, SCRATCH_IBAN, SIGNATORY);
	step(&e, SIGNATORY2_U, "POST", SUBSCRIPTION, SCRATCH_PATH "/renewal/subscription",
	    NULL, body, 400, "not_signatory");
	snprintf(body, sizeof(body), SUBSCRIBE_FMT, SCRATCH_IBAN, SIGNATORY2);
	if (step(&e, SIGNATORY2_U, "POST", SUBSCRIPTION, SCRATCH_PATH "/renewal/subscription",
	    NULL, body, 201, NULL)) {
		flow_str(&e, "status", "pending");
		flow_int(&e, "enabled", 0);
		flow_int(&e, "cap_dirhams", 500000);
		if ((s = resp_str(&flow_resp, "reference")) != NULL)
			snprintf(ref, sizeof(ref), "%s", s);
	}
	step(&e, SIGNATORY2_U, "POST", SUBSCRIPTION, SCRATCH_PATH "/renewal/subscription",
	    NULL, body, 409, "already_subscribed");

	/* The settings, as the company and the reviewers see them. */
	step(&e, SIGNATORY2_U, "GET", RENEWAL, SCRATCH_PATH "/renewal", NULL, NULL, 200, NULL);
	step(&e, REVIEWER_U, "GET", RENEWAL, SCRATCH_PATH "/renewal", NULL, NULL, 200, NULL);
	step(&e, SERVICE_U, "GET", RENEWAL, SCRATCH_PATH "/renewal", NULL, NULL, 403, "forbidden");
	step(&e, REVIEWER_U, "GET", RENEWAL, "/api/v1/companies/10009999/renewal", NULL, NULL,
	    404, "unknown_company");
	if (step(&e, SIGNATORY2_U, "PATCH", RENEWAL, SCRATCH_PATH "/renewal", NULL,
	    "{\"cap_dirhams\":750000,\"language\":\"ar\"}", 200, NULL)) {
		flow_int(&e, "cap_dirhams", 750000);
		flow_str(&e, "language", "ar");
		flow_str(&e, "status", "pending");
	}
	step(&e, SIGNATORY2_U, "PATCH", RENEWAL, SCRATCH_PATH "/renewal", NULL, "{}", 200, NULL);
	step(&e, SIGNATORY2_U, "PATCH", RENEWAL, SCRATCH_PATH "/renewal", NULL,
	    "{\"iban\":\"" SCRATCH_IBAN2 "\"}", 409, "change_pending");
	step(&e, SIGNATORY2_U, "PATCH", RENEWAL, SCRATCH_PATH "/renewal", NULL,
	    "{\"duration_years\":4}", 400, "invalid_field");
	step(&e, SIGNATORY2_U, "PATCH", RENEWAL, SCRATCH_PATH "/renewal", "text/csv",
	    "enabled\r\ntrue\r\n", 415, "unsupported_media_type");
	step(&e, SIGNATORY_U, "PATCH", RENEWAL, SCRATCH_PATH "/renewal", NULL,
	    "{\"enabled\":true}", 403, "forbidden");

	/* The review queue; approval. */
	if (step(&e, REVIEWER_U, "GET", SUBSCRIPTIONS, SUBSCRIPTIONS "?q=" SCRATCH, NULL, NULL,
	    200, NULL))
		flow_listed(&e, "reference", ref);
	step(&e, REVIEWER_U, "GET", SUBSCRIPTIONS, SUBSCRIPTIONS "?status=approved", NULL, NULL,
	    400, "invalid_field");
	step(&e, SIGNATORY2_U, "GET", SUBSCRIPTIONS, SUBSCRIPTIONS, NULL, NULL, 403, "forbidden");
	snprintf(path, sizeof(path), SUBSCRIPTIONS "/%s/approve", ref);
	step(&e, SERVICE_U, "POST", APPROVE, path, NULL, NULL, 403, "forbidden");
	step(&e, REVIEWER_U, "POST", APPROVE, path, NULL, "{\"note\":7}", 400, "invalid_field");
	if (step(&e, REVIEWER_U, "POST", APPROVE, path, NULL, NULL, 200, NULL)) {
		flow_str(&e, "status", "active");
		flow_str(&e, "est_id", SCRATCH);
	}
	step(&e, REVIEWER_U, "POST", APPROVE, path, NULL, "{\"note\":\"again\"}", 409,
	    "not_pending");
	if (step(&e, SIGNATORY2_U, "GET", RENEWAL, SCRATCH_PATH "/renewal", NULL, NULL, 200,
	    NULL)) {
		flow_str(&e, "status", "active");
		flow_str(&e, "reference", ref);
	}

	/* A debit account change while active: pending_change; rejected. */
	if (step(&e, SIGNATORY2_U, "PATCH", RENEWAL, SCRATCH_PATH "/renewal", NULL,
	    "{\"iban\":\"" SCRATCH_IBAN2 "\",\"enabled\":true}", 200, NULL)) {
		flow_str(&e, "iban", SCRATCH_IBAN);
		flow_str(&e, "pending_change.iban", SCRATCH_IBAN2);
		flow_int(&e, "enabled", 1);
		if ((s = resp_str(&flow_resp, "pending_change.reference")) != NULL)
			snprintf(change, sizeof(change), "%s", s);
	}
	step(&e, SIGNATORY2_U, "PATCH", RENEWAL, SCRATCH_PATH "/renewal", NULL,
	    "{\"authorizing_qid\":\"" SIGNATORY2 "\"}", 409, "change_pending");
	snprintf(path, sizeof(path), SUBSCRIPTIONS "/%s/reject", change);
	step(&e, REVIEWER_U, "POST", REJECT, path, NULL, NULL, 400, "invalid_field");
	step(&e, REVIEWER_U, "POST", REJECT, path, "text/plain", "no mandate", 415,
	    "unsupported_media_type");
	step(&e, REVIEWER_U, "POST", REJECT, path, NULL, "{\"note\":\"\"}", 400, "invalid_field");
	if (step(&e, REVIEWER_U, "POST", REJECT, path, NULL,
	    "{\"note\":\"The bank has no mandate for this account\"}", 200, NULL)) {
		flow_str(&e, "status", "rejected");
		flow_str(&e, "review_note", "The bank has no mandate for this account");
	}
	step(&e, REVIEWER_U, "POST", REJECT, path, NULL, "{\"note\":\"again\"}", 409,
	    "not_pending");
	if (step(&e, REVIEWER_U, "GET", SUBSCRIPTIONS,
	    SUBSCRIPTIONS "?status=rejected&q=openapi%20test&limit=500", NULL, NULL, 200, NULL))
		flow_listed(&e, "reference", change);
	if (step(&e, SIGNATORY2_U, "GET", RENEWAL, SCRATCH_PATH "/renewal", NULL, NULL, 200,
	    NULL)) {
		flow_str(&e, "iban", SCRATCH_IBAN);
		if (!json_is_null(json_object_get(flow_resp.json, "pending_change")))
			js_errf(&e, "renewal flow: pending_change after the rejection: %.300s",
			    flow_resp.body);
	}

	/* The exclusion list: one by one. */
	if (step(&e, SIGNATORY2_U, "POST", EXCLUSIONS, SCRATCH_PATH "/exclusions", NULL,
	    "{\"qid\":\"" SCRATCH_EMP "\",\"note\":\"on long leave\"}", 201, NULL))
		flow_int(&e, "added", 1);
	if (step(&e, SIGNATORY2_U, "POST", EXCLUSIONS, SCRATCH_PATH "/exclusions", NULL,
	    "{\"qid\":\"" SCRATCH_EMP "\",\"note\":\"on long leave\"}", 200, NULL))
		flow_int(&e, "added", 0);
	step(&e, SIGNATORY2_U, "POST", EXCLUSIONS, SCRATCH_PATH "/exclusions", NULL,
	    "{\"qid\":\"" SIGNATORY2 "\"}", 400, "not_employee");
	step(&e, SIGNATORY2_U, "POST", EXCLUSIONS, SCRATCH_PATH "/exclusions", NULL,
	    "{\"qid\":\"" SCRATCH_EMP2 "\",\"reason\":\"x\"}", 400, "invalid_field");
	step(&e, SIGNATORY2_U, "POST", EXCLUSIONS, SCRATCH_PATH "/exclusions", "text/plain",
	    SCRATCH_EMP2, 415, "unsupported_media_type");
	step(&e, REVIEWER_U, "POST", EXCLUSIONS, SCRATCH_PATH "/exclusions", NULL,
	    "{\"qid\":\"" SCRATCH_EMP2 "\"}", 403, "forbidden");
	if (step(&e, REVIEWER_U, "GET", EXCLUSIONS, SCRATCH_PATH "/exclusions", NULL, NULL, 200,
	    NULL)) {
		flow_int(&e, "total", 1);
		flow_listed(&e, "qid", SCRATCH_EMP);
	}
	if (step(&e, SIGNATORY2_U, "GET", EXCLUSIONS_CSV, SCRATCH_PATH "/exclusions.csv", NULL,
	    NULL, 200, NULL)) {
		char disp[128];

		if (strcmp(flow_resp.body, "\xEF\xBB\xBFqid,note,name\r\n\"" SCRATCH_EMP
		    "\",\"on long leave\",\"Rajesh Kumar\"\r\n") != 0)
			js_errf(&e, "renewal flow: exclusions.csv is \"%.300s\"", flow_resp.body);
		if (!http_header(&flow_resp, "Content-Disposition", disp, sizeof(disp)) ||
		    strstr(disp, "attachment") == NULL || strstr(disp, SCRATCH) == NULL)
			js_errf(&e, "renewal flow: exclusions.csv Content-Disposition \"%s\"", disp);
	}

	/* In bulk: all or nothing, every bad line listed. */
	if (step(&e, SIGNATORY2_U, "POST", EXCLUSIONS, SCRATCH_PATH "/exclusions", "text/csv",
	    "qid,note\r\n" SCRATCH_EMP2 ",\r\n\r\n" SCRATCH_EMP ",\"back in May, then leaving\"\r\n",
	    200, NULL)) {
		flow_int(&e, "lines", 2);
		flow_int(&e, "added", 1);
	}
	if (step(&e, SIGNATORY2_U, "POST", EXCLUSIONS, SCRATCH_PATH "/exclusions",
	    "text/csv; charset=utf-8", "QID,Note\n" SCRATCH_EMP2 ",x\n2993569900,short\n"
	    SCRATCH_EMP ",a,b\n", 400, "invalid_csv"))
		if (json_array_size(json_object_get(json_object_get(flow_resp.json, "error"),
		    "lines")) != 2)
			js_errf(&e, "renewal flow: expected lines 3 and 4 listed: %.300s", flow_resp.body);
	step(&e, SIGNATORY2_U, "POST", EXCLUSIONS, SCRATCH_PATH "/exclusions", "text/csv",
	    "qid,note\r\n" SIGNATORY2 ",our signatory\r\n", 400, "invalid_csv");
	step(&e, SIGNATORY2_U, "POST", EXCLUSIONS, SCRATCH_PATH "/exclusions", "text/csv",
	    "", 400, "invalid_csv");
	/* One line too many. */
	n = 50001;
	big = malloc(16 + n * 14);
	assert_non_null(big);
	memcpy(big, "qid,note\n", 10);
	for (i = 0; i < n; i++)
		memcpy(big + 9 + i * 13, SCRATCH_EMP ",\n", 14);
	step(&e, SIGNATORY2_U, "POST", EXCLUSIONS, SCRATCH_PATH "/exclusions", "text/csv", big,
	    413, "too_many_lines");
	free(big);
	if (step(&e, SIGNATORY2_U, "GET", EXCLUSIONS, SCRATCH_PATH "/exclusions?limit=1&offset=1",
	    NULL, NULL, 200, NULL))
		flow_int(&e, "total", 2);

	/* Removal. */
	step(&e, REVIEWER_U, "DELETE", EXCLUSION, SCRATCH_PATH "/exclusions/" SCRATCH_EMP, NULL,
	    NULL, 403, "forbidden");
	if (step(&e, SIGNATORY2_U, "DELETE", EXCLUSION, SCRATCH_PATH "/exclusions/" SCRATCH_EMP,
	    NULL, NULL, 200, NULL))
		flow_str(&e, "qid", SCRATCH_EMP);
	step(&e, SIGNATORY2_U, "DELETE", EXCLUSION, SCRATCH_PATH "/exclusions/" SCRATCH_EMP,
	    NULL, NULL, 404, "not_excluded");
	step(&e, SIGNATORY2_U, "DELETE", EXCLUSION, "/api/v1/companies/10009999/exclusions/"
	    SCRATCH_EMP, NULL, NULL, 403, "forbidden");
	http_resp_free(&flow_resp);

	v = test_sql(scratch_drop);
	if (v == NULL || strcmp(v, "0") != 0)
		js_errf(&e, "the scratch company %s could not be removed", SCRATCH);
	free(v);
	errs_report(&e, "renewal flow vs docs/openapi.json");
}

/* ---- preview and statements, on a company of their own ----------------------- */

/*
 * Another company no fixture has, for the preview and the statements:
 * SIGNATORY2 signs for it, four residents with permits to renew around
 * 2030-01-08 (one expired, one excluded, one abroad), and, made with SQL
 * as the scheduler would have stored them, an alert (1999-12-15), an
 * execution and its debit report (1999-12-22) of cycles of their own.
 * Their workbooks are a few known bytes (the server keeps and hashes
 * whatever was issued). The test removes all of it again.
 */
#define SCR		"10000098"
#define SCR_PATH	"/api/v1/companies/" SCR
#define SCR_IBAN	"QA48DOHB000000000000980000001"
#define SCR_P1		"29935698001"	/* expired 2029-12-01 */
#define SCR_P2		"29935698002"	/* expires 2030-01-20 */
#define SCR_P3		"29935698003"	/* excluded */
#define SCR_P4		"29935698004"	/* abroad */
#define SCR_WB_ALERT	"PK openapi test workbook: alert " SCR " 1999-12-15"
#define SCR_WB_EXEC	"PK openapi test workbook: execution " SCR " 1999-12-22"
#define SCR_WB_DEBIT	"PK openapi test workbook: debit_report " SCR " 1999-12-22"
#define SCR_CODE_EXEC	"0PEN-AP1T-E5T2"

static const char scr_drop[] =
	"DELETE FROM statement_lines WHERE statement_id IN"
	" (SELECT id FROM statements WHERE est_id = '" SCR "');"
	"DELETE FROM statements WHERE est_id = '" SCR "';"
	"DELETE FROM cycles c WHERE c.cycle_date IN ('1999-12-15', '1999-12-22')"
	" AND NOT EXISTS (SELECT 1 FROM statements s WHERE s.cycle_id = c.id)"
	" AND NOT EXISTS (SELECT 1 FROM cycle_companies cc WHERE cc.cycle_id = c.id);"
	"DELETE FROM renewal_exclusions WHERE est_id = '" SCR "';"
	"DELETE FROM renewal_subscriptions WHERE est_id = '" SCR "';"
	"DELETE FROM renewal_settings WHERE est_id = '" SCR "';"
	"DELETE FROM bank_accounts WHERE est_id = '" SCR "';"
	"DELETE FROM signatories WHERE est_id = '" SCR "';"
	"DELETE FROM employment WHERE est_id = '" SCR "';"
	"DELETE FROM passports WHERE qid IN ('" SCR_P1 "', '" SCR_P2 "', '" SCR_P3 "', '"
	SCR_P4 "');"
	"DELETE FROM persons WHERE qid IN ('" SCR_P1 "', '" SCR_P2 "', '" SCR_P3 "', '"
	SCR_P4 "');"
	"DELETE FROM companies WHERE est_id = '" SCR "';"
	"SELECT (SELECT count(*) FROM companies WHERE est_id = '" SCR "')"
	" + (SELECT count(*) FROM cycles WHERE cycle_date IN ('1999-12-15', '1999-12-22'))";

static const char scr_make[] =
	"INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES"
	" ('" SCR "', 'شركة اختبار الكشوف', 'OpenAPI Statements Test', 'hr@openapi-st.example',"
	"  'en');"
	"INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,"
	" in_country, status, permit_expiry) VALUES"
	" ('" SCR_P1 "', 'أنيل شارما', 'Anil Sharma', 'IND', false, '+97455980001', 'en', true,"
	"  'active', '2029-12-01'),"
	" ('" SCR_P2 "', 'خوسيه ريس', 'Jose Reyes', 'PHL', false, '+97455980002', 'en', true,"
	"  'active', '2030-01-20'),"
	" ('" SCR_P3 "', 'سامي حداد', 'Sami Haddad', 'LBN', false, '+97455980003', 'ar', true,"
	"  'active', '2030-01-10'),"
	" ('" SCR_P4 "', 'كمال بيريرا', 'Kamal Perera', 'LKA', false, '+97455980004', 'en', false,"
	"  'active', '2030-01-15');"
	"INSERT INTO passports (qid, number, expiry) VALUES ('" SCR_P1 "', 'P9800001', '2036-01-01'),"
	" ('" SCR_P2 "', 'P9800002', '2036-01-01'), ('" SCR_P3 "', 'P9800003', '2036-01-01'),"
	" ('" SCR_P4 "', 'P9800004', '2036-01-01');"
	"INSERT INTO employment (qid, est_id, since) VALUES ('" SCR_P1 "', '" SCR "', '2024-01-01'),"
	" ('" SCR_P2 "', '" SCR "', '2024-01-01'), ('" SCR_P3 "', '" SCR "', '2024-01-01'),"
	" ('" SCR_P4 "', '" SCR "', '2024-01-01');"
	"INSERT INTO signatories (qid, est_id) VALUES ('" SIGNATORY2 "', '" SCR "');"
	"INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES"
	" ('" SCR_IBAN "', '" SCR "', 100000000)";

/* An approved subscription, disabled; one person excluded. */
static const char scr_subscribe[] =
	"INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid,"
	" submitted_by, submitted_at, reviewed_by, reviewed_at) VALUES ('" SCR "', 'RN-0PEN-AP1S',"
	" 'active', '" SCR_IBAN "', '" SIGNATORY2 "', '" SIGNATORY2 "', now(), '" REVIEWER "',"
	" now());"
	"INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years, email, mobile,"
	" language, delivery_address, updated_at) VALUES ('" SCR "', false, 5000000, 1,"
	" 'hr@openapi-st.example', '+97455980000', 'en', 'PO Box 98, Doha', now());"
	"INSERT INTO renewal_exclusions (est_id, qid, note, added_by, added_at) VALUES"
	" ('" SCR "', '" SCR_P3 "', 'on long leave', '" SIGNATORY2 "', now())";

#define SCR_STATEMENT(kind, date, exec, total, n, code, wb) \
	"INSERT INTO statements (est_id, cycle_id, kind, cycle_date, execution_date, language," \
	" cap_dirhams, total_dirhams, lines_count, verification_code, sha256, workbook," \
	" created_at) SELECT '" SCR "', id, '" kind "', '" date "', '" exec "', 'en', 5000000, " \
	#total ", " #n ", '" code "', sha256(convert_to('" wb "', 'UTF8')), convert_to('" wb \
	"', 'UTF8'), now() FROM cycles WHERE cycle_date = '" date "';"
#define SCR_LINES(kind) \
	"INSERT INTO statement_lines (cycle_date, statement_id, line_no, qid, name_ar, name_en, result," \
	" reason, old_expiry, new_expiry, days_left, fee_dirhams, late_fine_dirhams," \
	" debit_reference, iban, delivery_from, delivery_to) SELECT s.cycle_date, s.id, x.* FROM statements s," \
	" (VALUES "
#define SCR_LINES_END(kind) \
	") AS x WHERE s.est_id = '" SCR "' AND s.kind = '" kind "';"

static const char scr_statements[] =
	"INSERT INTO cycles (kind, cycle_date, created_at, completed_at) VALUES"
	" ('alert', '1999-12-15', now(), now()), ('execution', '1999-12-22', now(), now());"
	SCR_STATEMENT("alert", "1999-12-15", "1999-12-22", 204000, 3, "0PEN-AP1T-E5T1",
	    SCR_WB_ALERT)
	SCR_STATEMENT("execution", "1999-12-22", "1999-12-22", 102000, 3, SCR_CODE_EXEC,
	    SCR_WB_EXEC)
	SCR_STATEMENT("debit_report", "1999-12-22", "1999-12-22", 102000, 1, "0PEN-AP1T-E5T3",
	    SCR_WB_DEBIT)
	SCR_LINES("alert")
	" (1, '" SCR_P1 "', 'أنيل شارما', 'Anil Sharma', 'CANDIDATE', NULL, '1999-12-01'::date,"
	"  NULL::date, -14, 102000::bigint, 0::bigint, NULL, NULL, NULL::date, NULL::date),"
	" (2, '" SCR_P3 "', 'سامي حداد', 'Sami Haddad', 'CANDIDATE', 'EXCLUDED', '2000-01-10',"
	"  NULL, 26, 0, 0, NULL, NULL, NULL, NULL),"
	" (3, '" SCR_P4 "', 'كمال بيريرا', 'Kamal Perera', 'CANDIDATE', 'PERSON_ABROAD',"
	"  '2000-01-15', NULL, 31, 102000, 0, NULL, NULL, NULL, NULL)"
	SCR_LINES_END("alert")
	SCR_LINES("execution")
	" (1, '" SCR_P1 "', 'أنيل شارما', 'Anil Sharma', 'RENEWED', NULL, '1999-12-01'::date,"
	"  '2000-12-01'::date, -21, 102000::bigint, 0::bigint, 'SBX-0123456789abcdef', NULL,"
	"  '1999-12-23'::date, '1999-12-24'::date),"
	" (2, '" SCR_P3 "', 'سامي حداد', 'Sami Haddad', 'EXCLUDED', 'EXCLUDED', '2000-01-10',"
	"  NULL, 19, 0, 0, NULL, NULL, NULL, NULL),"
	" (3, '" SCR_P4 "', 'كمال بيريرا', 'Kamal Perera', 'REJECTED', 'PERSON_ABROAD',"
	"  '2000-01-15', NULL, 24, 102000, 0, NULL, NULL, NULL, NULL)"
	SCR_LINES_END("execution")
	SCR_LINES("debit_report")
	" (1, '" SCR_P1 "', 'أنيل شارما', 'Anil Sharma', 'DEBITED', NULL, '1999-12-01'::date,"
	"  '2000-12-01'::date, -21, 102000::bigint, 0::bigint, 'SBX-0123456789abcdef',"
	"  '" SCR_IBAN "', '1999-12-23'::date, '1999-12-24'::date)"
	SCR_LINES_END("debit_report")
	"SELECT count(*) FROM statement_lines l JOIN statements s ON s.id = l.statement_id"
	" WHERE s.est_id = '" SCR "'";

#define PREVIEW		"/api/v1/companies/{est_id}/renewal/preview"
#define STATEMENTS	"/api/v1/companies/{est_id}/statements"
#define STATEMENT	"/api/v1/statements/{id}"
#define STATEMENT_XLSX	"/api/v1/statements/{id}.xlsx"
#define VERIFY		"/api/v1/statements/verify"
#define ALL_STATEMENTS	"/api/v1/backoffice/statements"
#define XLSX_TYPE	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* The last answer's items hold one whose key is value, with member equal to
 * want (NULL: JSON null). */
static void
flow_item(struct js_errs *e, const char *key, const char *value, const char *member,
    const char *want)
{
	json_t *item, *v;
	size_t i;

	json_array_foreach(json_object_get(flow_resp.json, "items"), i, item) {
		if (strcmp(json_string_value(json_object_get(item, key)) ?
		    json_string_value(json_object_get(item, key)) : "", value) != 0)
			continue;
		v = json_object_get(item, member);
		if (want == NULL ? !json_is_null(v) : (json_string_value(v) == NULL ||
		    strcmp(json_string_value(v), want) != 0))
			js_errf(e, "%s: %s %s has %s %s, expected %s; body %.300s", flow_name, key,
			    value, member, json_string_value(v) ? json_string_value(v) : "(other)",
			    want ? want : "null", flow_resp.body);
		return;
	}
	js_errf(e, "%s: no item with %s %s; body %.300s", flow_name, key, value, flow_resp.body);
}

/*
 * Test 5: the preview and the statement operations, on the scratch
 * company: each answer, success or refusal, is documented and has the
 * documented schema (lines of every result included).
 */
static void
statements_flow_as_documented(void **state)
{
	struct js_errs e = { NULL, 0, 0, 0 };
	char exec_id[24] = "", alert_id[24] = "", debit_id[24] = "", path[256], disp[160];
	char *v;

	(void)state;
	flow_name = "statements flow";
	free(test_sql(scr_drop));	/* left over by an interrupted run */
	v = test_sql(scr_make);
	if (v == NULL)
		fail_msg("cannot make the scratch company %s (see test_sql above)", SCR);
	free(v);

	/* The preview: refused until there is a subscription; writes nothing. */
	step(&e, SIGNATORY2_U, "GET", PREVIEW, SCR_PATH "/renewal/preview?date=2030-01-08", NULL,
	    NULL, 404, "not_subscribed");
	v = test_sql(scr_subscribe);
	if (v == NULL)
		js_errf(&e, "cannot subscribe the scratch company %s (see test_sql above)", SCR);
	free(v);
	if (step(&e, SIGNATORY2_U, "GET", PREVIEW, SCR_PATH "/renewal/preview?date=2030-01-08",
	    NULL, NULL, 200, NULL)) {
		flow_str(&e, "est_id", SCR);
		flow_str(&e, "date", "2030-01-08");
		flow_int(&e, "subscribed", 1);
		flow_int(&e, "enabled", 0);
		flow_int(&e, "cap_dirhams", 5000000);
		if (json_array_size(json_object_get(flow_resp.json, "items")) != 4)
			js_errf(&e, "%s: preview of 4 candidates: %.400s", flow_name, flow_resp.body);
		flow_item(&e, "qid", SCR_P1, "result", "RENEWED");
		flow_item(&e, "qid", SCR_P1, "reason", NULL);
		flow_item(&e, "qid", SCR_P2, "result", "RENEWED");
		flow_item(&e, "qid", SCR_P3, "result", "EXCLUDED");
		flow_item(&e, "qid", SCR_P3, "reason", "EXCLUDED");
		flow_item(&e, "qid", SCR_P4, "result", "REJECTED");
		flow_item(&e, "qid", SCR_P4, "reason", "PERSON_ABROAD");
		flow_item(&e, "qid", SCR_P4, "new_expiry", NULL);
	}
	step(&e, REVIEWER_U, "GET", PREVIEW, SCR_PATH "/renewal/preview", NULL, NULL, 200, NULL);
	step(&e, SIGNATORY2_U, "GET", PREVIEW, SCR_PATH "/renewal/preview?date=2030-02-30", NULL,
	    NULL, 400, "invalid_field");
	step(&e, SIGNATORY_U, "GET", PREVIEW, SCR_PATH "/renewal/preview", NULL, NULL, 403,
	    "forbidden");
	step(&e, SERVICE_U, "GET", PREVIEW, SCR_PATH "/renewal/preview", NULL, NULL, 403,
	    "forbidden");
	step(&e, REVIEWER_U, "GET", PREVIEW, "/api/v1/companies/10009999/renewal/preview", NULL,
	    NULL, 404, "unknown_company");
	v = test_sql("SELECT count(*) FROM card_deliveries WHERE est_id = '" SCR "'");
	if (v == NULL || strcmp(v, "0") != 0)
		js_errf(&e, "%s: the preview stored card deliveries", flow_name);
	free(v);

	/* Statements, as the scheduler would have kept them. */
	v = test_sql(scr_statements);
	if (v == NULL || strcmp(v, "7") != 0)
		js_errf(&e, "cannot store the scratch statements (%s lines; see test_sql above)",
		    v ? v : "no");
	free(v);
#define ID_OF(buf, kind) do { \
		char *id_ = test_sql("SELECT id FROM statements WHERE est_id = '" SCR "'" \
		    " AND kind = '" kind "'"); \
		snprintf(buf, sizeof(buf), "%s", id_ ? id_ : ""); \
		free(id_); \
	} while (0)
	ID_OF(exec_id, "execution");
	ID_OF(alert_id, "alert");
	ID_OF(debit_id, "debit_report");
#undef ID_OF

	/* The company's list. */
	if (step(&e, SIGNATORY2_U, "GET", STATEMENTS, SCR_PATH "/statements", NULL, NULL, 200,
	    NULL)) {
		flow_int(&e, "total", 3);
		flow_item(&e, "kind", "execution", "verification_code", SCR_CODE_EXEC);
	}
	if (step(&e, REVIEWER_U, "GET", STATEMENTS, SCR_PATH "/statements?kind=alert", NULL, NULL,
	    200, NULL))
		flow_int(&e, "total", 1);
	if (step(&e, SIGNATORY2_U, "GET", STATEMENTS,
	    SCR_PATH "/statements?date=1999-12-22&limit=1&offset=1", NULL, NULL, 200, NULL))
		flow_int(&e, "total", 2);
	if (step(&e, SIGNATORY2_U, "GET", STATEMENTS, SCR_PATH "/statements?offset=10", NULL,
	    NULL, 200, NULL))
		flow_int(&e, "total", 3);
	step(&e, SIGNATORY2_U, "GET", STATEMENTS, SCR_PATH "/statements?kind=weekly", NULL, NULL,
	    400, "invalid_field");
	step(&e, SIGNATORY2_U, "GET", STATEMENTS, SCR_PATH "/statements?date=22-12-1999", NULL,
	    NULL, 400, "invalid_field");
	step(&e, SIGNATORY2_U, "GET", STATEMENTS, SCR_PATH "/statements?limit=0", NULL, NULL, 400,
	    "invalid_field");
	step(&e, SIGNATORY_U, "GET", STATEMENTS, SCR_PATH "/statements", NULL, NULL, 403,
	    "forbidden");
	step(&e, REVIEWER_U, "GET", STATEMENTS, "/api/v1/companies/10009999/statements", NULL,
	    NULL, 404, "unknown_company");

	/* One statement, its lines; its workbook. */
	snprintf(path, sizeof(path), "/api/v1/statements/%s", exec_id);
	if (step(&e, SIGNATORY2_U, "GET", STATEMENT, path, NULL, NULL, 200, NULL)) {
		flow_str(&e, "kind", "execution");
		flow_str(&e, "cycle_date", "1999-12-22");
		flow_int(&e, "lines_count", 3);
		flow_item(&e, "qid", SCR_P1, "result", "RENEWED");
		flow_item(&e, "qid", SCR_P3, "reason", "EXCLUDED");
		flow_item(&e, "qid", SCR_P4, "result", "REJECTED");
	}
	step(&e, REVIEWER_U, "GET", STATEMENT, path, NULL, NULL, 200, NULL);
	step(&e, SIGNATORY_U, "GET", STATEMENT, path, NULL, NULL, 403, "forbidden");
	snprintf(path, sizeof(path), "/api/v1/statements/%s", alert_id);
	if (step(&e, SIGNATORY2_U, "GET", STATEMENT, path, NULL, NULL, 200, NULL))
		flow_item(&e, "qid", SCR_P4, "result", "CANDIDATE");
	snprintf(path, sizeof(path), "/api/v1/statements/%s", debit_id);
	if (step(&e, REVIEWER_U, "GET", STATEMENT, path, NULL, NULL, 200, NULL))
		flow_item(&e, "qid", SCR_P1, "iban", SCR_IBAN);
	step(&e, REVIEWER_U, "GET", STATEMENT, "/api/v1/statements/999999999", NULL, NULL, 404,
	    "unknown_statement");
	snprintf(path, sizeof(path), "/api/v1/statements/%s.xlsx", exec_id);
	if (step(&e, SIGNATORY2_U, "GET", STATEMENT_XLSX, path, NULL, NULL, 200, NULL)) {
		if (flow_resp.len != strlen(SCR_WB_EXEC) ||
		    memcmp(flow_resp.body, SCR_WB_EXEC, flow_resp.len) != 0)
			js_errf(&e, "%s: the workbook is not the bytes issued: %.200s", flow_name,
			    flow_resp.body);
		if (!http_header(&flow_resp, "Content-Disposition", disp, sizeof(disp)) ||
		    strstr(disp, "attachment") == NULL ||
		    strstr(disp, "statement-" SCR "-execution-1999-12-22.xlsx") == NULL)
			js_errf(&e, "%s: statement .xlsx Content-Disposition \"%s\"", flow_name, disp);
	}
	step(&e, SIGNATORY_U, "GET", STATEMENT_XLSX, path, NULL, NULL, 403, "forbidden");
	step(&e, REVIEWER_U, "GET", STATEMENT_XLSX, "/api/v1/statements/999999999.xlsx", NULL,
	    NULL, 404, "unknown_statement");

	/* Verification, by anyone. */
	if (step(&e, ANON, "GET", VERIFY, VERIFY "?code=" SCR_CODE_EXEC, NULL, NULL, 200, NULL)) {
		flow_str(&e, "est_id", SCR);
		flow_str(&e, "kind", "execution");
		flow_str(&e, "cycle_date", "1999-12-22");
	}
	step(&e, ANON, "GET", VERIFY, VERIFY "?code=0pen-ap1t-e5t2", NULL, NULL, 200, NULL);
	step(&e, ANON, "GET", VERIFY, VERIFY "?code=0PEN-AP1T-E5T9", NULL, NULL, 404,
	    "unknown_code");
	step(&e, ANON, "GET", VERIFY, VERIFY, NULL, NULL, 400, "invalid_field");
	if (step(&e, ANON, "POST", VERIFY, VERIFY, XLSX_TYPE, SCR_WB_EXEC, 200, NULL)) {
		flow_int(&e, "genuine", 1);
		flow_str(&e, "verification_code", SCR_CODE_EXEC);
		flow_str(&e, "kind", "execution");
	}
	if (step(&e, SIGNATORY2_U, "POST", VERIFY, VERIFY, "application/octet-stream",
	    SCR_WB_DEBIT, 200, NULL))
		flow_str(&e, "kind", "debit_report");
	if (step(&e, ANON, "POST", VERIFY, VERIFY, "application/octet-stream",
	    SCR_WB_EXEC " ", 200, NULL))
		flow_int(&e, "genuine", 0);
	step(&e, ANON, "POST", VERIFY, VERIFY, "application/octet-stream", "", 400, "empty");

	/* The reviewers' list of every company's. */
	if (step(&e, REVIEWER_U, "GET", ALL_STATEMENTS, ALL_STATEMENTS "?date=1999-12-22", NULL,
	    NULL, 200, NULL)) {
		flow_int(&e, "total", 2);
		flow_listed(&e, "est_id", SCR);
	}
	if (step(&e, REVIEWER_U, "GET", ALL_STATEMENTS,
	    ALL_STATEMENTS "?kind=alert&date=1999-12-15&limit=500", NULL, NULL, 200, NULL))
		flow_int(&e, "total", 1);
	step(&e, REVIEWER_U, "GET", ALL_STATEMENTS, ALL_STATEMENTS "?kind=x", NULL, NULL, 400,
	    "invalid_field");
	step(&e, REVIEWER_U, "GET", ALL_STATEMENTS, ALL_STATEMENTS "?offset=-1", NULL, NULL, 400,
	    "invalid_field");
	step(&e, SIGNATORY2_U, "GET", ALL_STATEMENTS, ALL_STATEMENTS, NULL, NULL, 403,
	    "forbidden");
	http_resp_free(&flow_resp);

	v = test_sql(scr_drop);
	if (v == NULL || strcmp(v, "0") != 0)
		js_errf(&e, "the scratch company %s or its cycles could not be removed", SCR);
	free(v);
	errs_report(&e, "preview and statements flow vs docs/openapi.json");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(document_is_consistent),
		cmocka_unit_test(routes_match_the_document),
		cmocka_unit_test(operations_answer_as_documented),
		cmocka_unit_test(bad_path_parameters_and_csrf_as_documented),
		cmocka_unit_test(unknown_path_and_wrong_method),
		cmocka_unit_test(renewal_flow_as_documented),
		cmocka_unit_test(statements_flow_as_documented),
	};

	return cmocka_run_group_tests_name("openapi", tests, setup, teardown);
}
