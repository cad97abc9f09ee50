/*
 * Enrollment through nginx (issue 15 §1): a signatory submits the form
 * with three real documents (a PDF, a PNG and a JPEG made here), checked
 * by content and size; a supervisor returns it with a note, the company
 * corrects and resubmits, a supervisor activates it; the letter's text
 * and page are read back and its code verified; the gate on grants,
 * subscriptions and /authorize before and after; separation of duties;
 * self-suspension; bad input leaves the database as it was.
 * tests/fixtures/enrollment.json has the companies (1600000x).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"
#include "tests/lib/error_text.h"

#define SIG		"29963401601"	/* signs for 16000001..16000005 */
#define USER		"29935601602"	/* employee of 16000001 and 16000002 */
#define REV_SIG		"29963401603"	/* reviewer, signatory of 16000003 */
#define REV_EMP		"29963401604"	/* reviewer, employee of 16000001 */
#define REVIEWER	"28863410006"	/* base.json's reviewer */
#define MIB		(1024 * 1024)
#define BOUNDARY	"rbEnrollmentBoundary7MA4YWxk"

static struct client sig, user, rev, rev_sig, rev_emp, svc;
static char dir[] = "/tmp/rb-enroll.XXXXXX";
/* The documents, made once: a real PDF of exactly 5 MiB, a small one, a
 * PNG and a JPEG that pdftoppm renders from the small one. */
static char *pdf5, *pdf_small, *png, *jpeg;
static size_t pdf5_len, pdf_small_len, png_len, jpeg_len;
static char reference[32];

/* ---- documents ------------------------------------------------------- */

/*
 * A one-page PDF with a valid cross-reference table, and an unused stream
 * object of filler so the file is exactly target bytes (0: no filler).
 */
static char *
make_pdf(size_t target, size_t *len)
{
	static const char *const objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100]"
		" /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font"
		" /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
	};
	static const char content[] = "BT /F1 12 Tf 20 50 Td (Commercial licence) Tj ET";
	size_t fill = 0, cap, n, off[6];
	char *b;
	int i, tries;

	for (tries = 0; tries < 4; tries++) {
		cap = fill + 4096;
		b = malloc(cap);
		assert_non_null(b);
		n = (size_t)sprintf(b, "%%PDF-1.4\n");
		for (i = 0; i < 3; i++) {
			off[i] = n;
			n += (size_t)sprintf(b + n, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
		}
		off[3] = n;
		n += (size_t)sprintf(b + n, "4 0 obj\n<< /Length %zu >>\nstream\n%s\n"
		    "endstream\nendobj\n", strlen(content), content);
		off[4] = n;
		n += (size_t)sprintf(b + n, "5 0 obj\n<< /Length %zu >>\nstream\n", fill);
		memset(b + n, 'A', fill);
		n += fill;
		n += (size_t)sprintf(b + n, "\nendstream\nendobj\n");
		off[5] = n;
		n += (size_t)sprintf(b + n, "xref\n0 6\n0000000000 65535 f \n");
		for (i = 0; i < 5; i++)
			n += (size_t)sprintf(b + n, "%010zu 00000 n \n", off[i]);
		n += (size_t)sprintf(b + n, "trailer\n<< /Size 6 /Root 1 0 R >>\n"
		    "startxref\n%zu\n%%%%EOF\n", off[5]);
		if (target == 0 || n == target) {
			*len = n;
			return b;
		}
		/* The length's digits move with the filler: converge. */
		fill += target - n;
		free(b);
	}
	fail_msg("cannot make a PDF of %zu bytes", target);
	return NULL;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n + 1);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void
spit(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void
make_documents(void)
{
	char path[256], cmd[600];

	pdf5 = make_pdf(5 * MIB, &pdf5_len);
	pdf_small = make_pdf(0, &pdf_small_len);
	snprintf(path, sizeof(path), "%s/small.pdf", dir);
	spit(path, pdf_small, pdf_small_len);
	snprintf(cmd, sizeof(cmd), "pdftoppm -r 20 -png -singlefile %s/small.pdf %s/img"
	    " && pdftoppm -r 20 -jpeg -singlefile %s/small.pdf %s/img", dir, dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/img.png", dir);
	png = slurp(path, &png_len);
	snprintf(path, sizeof(path), "%s/img.jpg", dir);
	jpeg = slurp(path, &jpeg_len);
	assert_memory_equal(png, "\x89PNG", 4);
	assert_memory_equal(jpeg, "\xff\xd8\xff", 3);
}

/* ---- the form -------------------------------------------------------- */

struct form {
	char	*b;
	size_t	 n, cap;
};

static void
form_add(struct form *f, const char *name, const char *filename,
    const char *ctype, const void *data, size_t len)
{
	size_t need = len + 512;

	if (f->n + need > f->cap) {
		f->cap = (f->n + need) * 2;
		f->b = realloc(f->b, f->cap);
		assert_non_null(f->b);
	}
	f->n += (size_t)sprintf(f->b + f->n, "--" BOUNDARY "\r\nContent-Disposition:"
	    " form-data; name=\"%s\"", name);
	if (filename != NULL)
		f->n += (size_t)sprintf(f->b + f->n, "; filename=\"%s\"", filename);
	f->n += (size_t)sprintf(f->b + f->n, "\r\n");
	if (ctype != NULL)
		f->n += (size_t)sprintf(f->b + f->n, "Content-Type: %s\r\n", ctype);
	f->n += (size_t)sprintf(f->b + f->n, "\r\n");
	memcpy(f->b + f->n, data, len);
	f->n += len;
	f->n += (size_t)sprintf(f->b + f->n, "\r\n");
}

static void
form_end(struct form *f)
{
	form_add(f, "x-end", NULL, NULL, "", 0);	/* room for the closing line */
	/* Drop the dummy part: the last delimiter closes the body. */
	f->n -= strlen("--" BOUNDARY "\r\nContent-Disposition: form-data;"
	    " name=\"x-end\"\r\n\r\n\r\n");
	f->n += (size_t)sprintf(f->b + f->n, "--" BOUNDARY "--\r\n");
}

/* The data part's JSON with the defaults, and overrides "k", "v" pairs. */
static char *
data_json(const char *const *over)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "sector", "vehicle_transport", "licensing_authority",
	    "Ministry of Commerce and Industry", "license_number", "CR-160001",
	    "license_expiry", "2029-08-31", "region", "Al Rayyan",
	    "main_user_qid", USER, "main_user_mobile", "5501 6002");
	char *s;

	for (; over != NULL && over[0] != NULL; over += 2) {
		if (over[1] == NULL)
			json_object_del(o, over[0]);
		else
			json_object_set_new(o, over[0], json_string(over[1]));
	}
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* Which documents to send: bit 0 license, 1 owner_id, 2 authority_letter. */
#define ALL_DOCS 7

static long
submit_as(struct client *c, const char *est, const char *const *over, unsigned docs,
    const void *license, size_t license_len, struct http_resp *r)
{
	struct form f = { NULL, 0, 0 };
	char path[96], *data = data_json(over);
	long st;

	form_add(&f, "data", NULL, "application/json", data, strlen(data));
	if (docs & 1)
		form_add(&f, "license", "licence.pdf", "application/pdf", license,
		    license_len);
	if (docs & 2)
		form_add(&f, "owner_id", "owner.png", "image/png", png, png_len);
	if (docs & 4)
		form_add(&f, "authority_letter", "letter.jpg", "image/jpeg", jpeg,
		    jpeg_len);
	form_end(&f);
	snprintf(path, sizeof(path), "/api/v1/companies/%s/enrollment", est);
	st = http_req(c, "POST", path, "multipart/form-data; boundary=" BOUNDARY,
	    f.b, f.n, r);
	free(f.b);
	free(data);
	return st;
}

/* ---- the database as it was ------------------------------------------ */

/* Everything an enrollment request writes, as one text. */
static char *
db_state(void)
{
	return test_sql("SELECT (SELECT count(*) FROM enrollments) || '/' ||"
	    " (SELECT count(*) FROM enrollment_documents) || '/' ||"
	    " (SELECT count(*) FROM enrollment_returns) || '/' ||"
	    " (SELECT coalesce(max(id), 0) FROM audit_log) || '/' ||"
	    " (SELECT count(*) FROM outbox) || '/' ||"
	    " (SELECT string_agg(est_id || enrolled::text ||"
	    "  coalesce(self_suspended_reason, '-'), ',' ORDER BY est_id)"
	    "  FROM companies WHERE est_id LIKE '1600000_')");
}

/* A refused request: status and error code as said, nothing written. */
static void
refused(long got, long want, const struct http_resp *r, const char *code,
    const char *before)
{
	char *after = db_state();

	if (got != want || strcmp(resp_str(r, "error.code") ? resp_str(r, "error.code") :
	    "", code) != 0)
		fail_msg("want %ld %s, got %ld: %s", want, code, got, r->body);
	assert_string_equal(before, after);
	free(after);
}

/* ---- helpers of the checks ------------------------------------------- */

static json_t *
authorize(const char *qid, const char *est, const char *extra)
{
	struct http_resp r;
	char path[256];
	json_t *j;

	snprintf(path, sizeof(path), "/api/v1/authorize?qid=%s&est_id=%s"
	    "&service=EXIT_PERMIT&consistency=fully_consistent%s", qid, est,
	    extra ? extra : "");
	assert_int_equal(http_json(&svc, "GET", path, NULL, &r), 200);
	j = json_incref(r.json);
	http_resp_free(&r);
	return j;
}

static void
expect_rule(const char *qid, const char *est, const char *extra, int allowed,
    const char *rule)
{
	json_t *j = authorize(qid, est, extra);
	const char *got = json_string_value(json_object_get(j, "rule"));

	if (got == NULL || strcmp(got, rule) != 0 ||
	    json_is_true(json_object_get(j, "allowed")) != allowed)
		fail_msg("%s at %s: want %s, got %s", qid, est, rule, got ? got : "?");
	json_decref(j);
}

/* The decision index, not only the database, reaches rule. */
static int
index_reaches(const char *qid, const char *est, const char *rule)
{
	struct http_resp r;
	char path[256];
	int ms, ok;

	snprintf(path, sizeof(path), "/api/v1/authorize?qid=%s&est_id=%s"
	    "&service=EXIT_PERMIT", qid, est);
	for (ms = 3000; ms > 0; ms -= 50) {
		assert_int_equal(http_json(&svc, "GET", path, NULL, &r), 200);
		ok = strcmp(resp_str(&r, "decided_from"), "index") == 0 &&
		    strcmp(resp_str(&r, "rule"), rule) == 0;
		http_resp_free(&r);
		if (ok)
			return 1;
		usleep(50 * 1000);
	}
	return 0;
}

static long
grant(const char *est, struct http_resp *r)
{
	char path[96];
	json_t *b = json_pack("{s:s, s:[s]}", "qid", USER, "services", "EXIT_PERMIT");
	long st;

	snprintf(path, sizeof(path), "/api/v1/companies/%s/grants", est);
	st = http_json(&sig, "POST", path, b, r);
	json_decref(b);
	return st;
}

static long
subscribe(const char *est, struct http_resp *r)
{
	char path[96];
	json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "iban",
	    "QA90QNBA000000000000123400001", "authorizing_qid", SIG,
	    "email", "ops@rayyan-vt.example", "mobile", "+97455016001",
	    "language", "ar", "delivery_address", "PO Box 16, Al Rayyan",
	    "cap_dirhams", 500000, "duration_years", 1);
	long st;

	snprintf(path, sizeof(path), "/api/v1/companies/%s/renewal/subscription", est);
	st = http_json(&sig, "POST", path, b, r);
	json_decref(b);
	return st;
}

static long
post(struct client *c, const char *path, json_t *body, struct http_resp *r)
{
	long st = http_json(c, "POST", path, body, r);

	json_decref(body);
	return st;
}

/* The text pdftotext reads in pdf, white space and bidi marks dropped. */
static char *
pdf_text(const char *pdf, size_t len)
{
	char path[256], cmd[600], *t, *w;
	const unsigned char *p;
	size_t n;

	snprintf(path, sizeof(path), "%s/letter.pdf", dir);
	spit(path, pdf, len);
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 %s/letter.pdf %s/letter.txt"
	    " && pdftoppm -r 30 -png -f 1 -l 1 -singlefile %s/letter.pdf %s/page",
	    dir, dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/page.png", dir);
	assert_int_equal(access(path, R_OK), 0);
	snprintf(path, sizeof(path), "%s/letter.txt", dir);
	t = slurp(path, &n);
	for (w = t, p = (const unsigned char *)t; *p != '\0';) {
		if (*p == ' ' || *p == '\n' || *p == '\f')
			p++;
		else if (p[0] == 0xe2 && ((p[1] == 0x80 && (p[2] == 0x8e ||
		    p[2] == 0x8f || (p[2] >= 0xaa && p[2] <= 0xae))) ||
		    (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
			p += 3;
		else
			*w++ = (char)*p++;
	}
	*w = '\0';
	return t;
}

/* ---- setup ----------------------------------------------------------- */

static int
setup(void **state)
{
	char cmd[1024];

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "%s/rb-load %s/tests/fixtures/enrollment.json >/dev/null",
	    test_env("RB_BIN"), test_env("RB_ROOT"));
	if (system(cmd) != 0)
		return -1;
	/* Whatever an earlier run on this stack left of the test's companies. */
	free(test_sql("DELETE FROM outbox WHERE est_id LIKE '1600000_';"
	    " DELETE FROM enrollment_returns WHERE est_id LIKE '1600000_';"
	    " DELETE FROM enrollments WHERE est_id LIKE '1600000_';"
	    " DELETE FROM grants WHERE est_id LIKE '1600000_';"
	    " UPDATE companies SET enrolled = (est_id = '16000005'), enrolled_at = NULL,"
	    " self_suspended_at = NULL, self_suspended_reason = NULL"
	    " WHERE est_id LIKE '1600000_'; SELECT 1"));
	make_documents();
	/* A fixed day: the history checks below name instants around it. */
	test_clock_set("2026-12-05T08:00:00Z");
	client_init(&sig);
	client_init(&user);
	client_init(&rev);
	client_init(&rev_sig);
	client_init(&rev_emp);
	client_init(&svc);
	if (client_signin(&sig, SIG, "test-enr-sig") != 201 ||
	    client_signin(&user, USER, "test-enr-user") != 201 ||
	    client_signin(&rev, REVIEWER, "demo-reviewer") != 201 ||
	    client_signin(&rev_sig, REV_SIG, "test-enr-rev-sig") != 201 ||
	    client_signin(&rev_emp, REV_EMP, "test-enr-rev-emp") != 201 ||
	    client_signin(&svc, "svc-visa", "demo-service") != 201)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	test_clock_set(NULL);
	client_free(&sig);
	client_free(&user);
	client_free(&rev);
	client_free(&rev_sig);
	client_free(&rev_emp);
	client_free(&svc);
	free(pdf5);
	free(pdf_small);
	free(png);
	free(jpeg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- the tests ------------------------------------------------------- */

/* Not enrolled: no grants, no subscription, and every check denies, a
 * signatory's too; a company of a sector that does not compel is open. */
static void
gate_before_enrollment(void **state)
{
	struct http_resp r;
	char *before = db_state();

	(void)state;
	refused(grant("16000001", &r), 409, &r, "establishment_not_enrolled", before);
	/* Its words in the signatory's language; in English, the way to enroll. */
	assert_true(test_error_message_ok(&r, SIG, "error.establishment_not_enrolled",
	    "/api/v1/companies/16000001/enrollment"));
	http_resp_free(&r);
	refused(subscribe("16000001", &r), 409, &r, "establishment_not_enrolled", before);
	http_resp_free(&r);
	free(before);
	expect_rule(SIG, "16000001", NULL, 0, "establishment_not_enrolled");
	assert_true(index_reaches(SIG, "16000001", "establishment_not_enrolled"));
	/* internet_cafes is not compulsory: enrolled false changes nothing. */
	expect_rule(SIG, "16000004", NULL, 1, "signatory");
	expect_rule(SIG, "16000005", NULL, 1, "signatory");
}

/* Each bad submission is refused with its reason, and writes nothing. */
static void
bad_submissions(void **state)
{
	static const char *const bad_number[] = { "license_number", "CR 1; DROP", NULL };
	static const char *const expired[] = { "license_expiry", "2020-01-01", NULL };
	static const char *const stranger[] = { "main_user_qid", REV_SIG, NULL };
	static const char *const bad_mobile[] = { "main_user_mobile", "00974-5501", NULL };
	static const char *const bad_sector[] = { "sector", "flying_carpets", NULL };
	static const char *const extra[] = { "nickname", "x", NULL };
	static const char *const missing[] = { "region", NULL, NULL };
	static const char not_pdf[] = "This is a text file whose name says .pdf.\n";
	struct http_resp r;
	char *big, *before = db_state();

	(void)state;
	/* Not multipart at all. */
	refused(http_req(&sig, "POST", "/api/v1/companies/16000001/enrollment",
	    "application/json", "{}", 2, &r), 415, &r, "unsupported_media_type", before);
	http_resp_free(&r);
	/* Malformed multipart: it never closes. */
	refused(http_req(&sig, "POST", "/api/v1/companies/16000001/enrollment",
	    "multipart/form-data; boundary=" BOUNDARY, "--" BOUNDARY "\r\n", 4 +
	    strlen(BOUNDARY), &r), 400, &r, "bad_multipart", before);
	http_resp_free(&r);
	/* A file named .pdf, declared application/pdf, that is text. */
	refused(submit_as(&sig, "16000001", NULL, ALL_DOCS, not_pdf, strlen(not_pdf), &r),
	    415, &r, "unsupported_document", before);
	assert_string_equal(resp_str(&r, "error.field"), "license");
	http_resp_free(&r);
	/* 5 MiB + 1: a real PDF one byte too large. */
	big = make_pdf(5 * MIB + 1, &(size_t){ 0 });
	refused(submit_as(&sig, "16000001", NULL, ALL_DOCS, big, 5 * MIB + 1, &r), 413,
	    &r, "document_too_large", before);
	free(big);
	http_resp_free(&r);
	refused(submit_as(&sig, "16000001", NULL, 1 | 4, pdf_small, pdf_small_len, &r),
	    400, &r, "invalid_field", before);
	assert_string_equal(resp_str(&r, "error.field"), "owner_id");
	http_resp_free(&r);
	refused(submit_as(&sig, "16000001", bad_number, ALL_DOCS, pdf_small,
	    pdf_small_len, &r), 400, &r, "bad_license_number", before);
	http_resp_free(&r);
	refused(submit_as(&sig, "16000001", expired, ALL_DOCS, pdf_small, pdf_small_len,
	    &r), 400, &r, "license_expired", before);
	http_resp_free(&r);
	refused(submit_as(&sig, "16000001", stranger, ALL_DOCS, pdf_small, pdf_small_len,
	    &r), 400, &r, "main_user_not_employed", before);
	http_resp_free(&r);
	refused(submit_as(&sig, "16000001", bad_mobile, ALL_DOCS, pdf_small, pdf_small_len,
	    &r), 400, &r, "bad_mobile", before);
	/* The rule table's refusals in the signatory's language (issue 16 §3). */
	assert_true(test_error_message_ok(&r, SIG, "error.bad_mobile", "a mobile number"));
	http_resp_free(&r);
	refused(submit_as(&sig, "16000001", bad_sector, ALL_DOCS, pdf_small, pdf_small_len,
	    &r), 400, &r, "unknown_sector", before);
	assert_true(test_error_message_ok(&r, SIG, "error.unknown_sector", "not a sector"));
	http_resp_free(&r);
	refused(submit_as(&sig, "16000001", extra, ALL_DOCS, pdf_small, pdf_small_len,
	    &r), 400, &r, "invalid_field", before);
	assert_string_equal(resp_str(&r, "error.field"), "nickname");
	http_resp_free(&r);
	refused(submit_as(&sig, "16000001", missing, ALL_DOCS, pdf_small, pdf_small_len,
	    &r), 400, &r, "invalid_field", before);
	assert_string_equal(resp_str(&r, "error.field"), "region");
	http_resp_free(&r);
	/* Only a signatory submits. */
	refused(submit_as(&user, "16000001", NULL, ALL_DOCS, pdf_small, pdf_small_len,
	    &r), 403, &r, "not_signatory", before);
	http_resp_free(&r);
	free(before);
}

/* The document as stored, served inline with its sniffed type. */
static void
document_is(const char *kind, const char *type, const void *want, size_t len)
{
	struct http_resp r;
	char path[160], h[128];

	snprintf(path, sizeof(path), "/api/v1/backoffice/enrollments/%s/documents/%s",
	    reference, kind);
	assert_int_equal(http_req(&rev, "GET", path, NULL, NULL, 0, &r), 200);
	assert_true(http_header(&r, "Content-Type", h, sizeof(h)));
	assert_string_equal(h, type);
	assert_true(http_header(&r, "X-Content-Type-Options", h, sizeof(h)));
	assert_string_equal(h, "nosniff");
	assert_true(http_header(&r, "Content-Disposition", h, sizeof(h)));
	assert_true(strncmp(h, "inline;", 7) == 0);
	assert_int_equal(r.len, len);
	assert_memory_equal(r.body, want, len);
	http_resp_free(&r);
}

static void
whole_path(void **state)
{
	struct http_resp r;
	char path[160], code[32], *text, *before;
	json_t *docs;

	(void)state;
	/* A 5 MiB licence is accepted; the local mobile gets +974. */
	assert_int_equal(submit_as(&sig, "16000001", NULL, ALL_DOCS, pdf5, pdf5_len, &r),
	    201);
	snprintf(reference, sizeof(reference), "%s", resp_str(&r, "reference"));
	assert_true(strncmp(reference, "ENR-", 4) == 0 && strlen(reference) == 13);
	assert_string_equal(resp_str(&r, "status"), "submitted");
	assert_string_equal(resp_str(&r, "main_user_mobile"), "+97455016002");
	docs = json_object_get(r.json, "documents");
	assert_int_equal(json_array_size(docs), 3);
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE action ="
	    " 'enrollment.submit' AND target = 'enrollment:16000001' AND detail::json->>"
	    "'reference' = '%s'", reference), 1);
	/* One open enrollment per company. */
	before = db_state();
	refused(submit_as(&sig, "16000001", NULL, ALL_DOCS, pdf_small, pdf_small_len, &r),
	    409, &r, "enrollment_pending", before);
	free(before);
	http_resp_free(&r);
	/* The company sees it waiting. */
	assert_int_equal(http_json(&sig, "GET", "/api/v1/companies/16000001/enrollment",
	    NULL, &r), 200);
	assert_string_equal(resp_str(&r, "enrollment.status"), "submitted");
	assert_true(json_is_false(json_object_get(r.json, "enrolled")));
	assert_true(json_is_true(json_object_get(r.json, "sector_compulsory")));
	http_resp_free(&r);
	/* The queue, searched; the documents as sent, by content. */
	assert_int_equal(http_json(&rev, "GET",
	    "/api/v1/backoffice/enrollments?status=submitted&q=16000001", NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 0), "reference")), reference);
	http_resp_free(&r);
	document_is("license", "application/pdf", pdf5, pdf5_len);
	document_is("owner_id", "image/png", png, png_len);
	document_is("authority_letter", "image/jpeg", jpeg, jpeg_len);

	/* Separation of duties: an employee of the company may not decide. */
	snprintf(path, sizeof(path), "/api/v1/backoffice/enrollments/%s/activate",
	    reference);
	before = db_state();
	refused(post(&rev_emp, path, NULL, &r), 403, &r, "own_company", before);
	http_resp_free(&r);
	/* Not a reviewer at all. */
	refused(post(&sig, path, NULL, &r), 403, &r, "forbidden", before);
	http_resp_free(&r);
	/* A return needs a note. */
	snprintf(path, sizeof(path), "/api/v1/backoffice/enrollments/%s/return", reference);
	refused(post(&rev, path, json_pack("{s:b}", "inaccurate", 1), &r), 400, &r,
	    "invalid_field", before);
	http_resp_free(&r);
	free(before);
	assert_int_equal(post(&rev, path, json_pack("{s:s, s:b}", "note",
	    "The licence copy is not legible; send a clearer scan.", "inaccurate", 1),
	    &r), 200);
	assert_string_equal(resp_str(&r, "status"), "returned");
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM enrollment_returns WHERE"
	    " reference = '%s' AND inaccurate AND returned_by = '" REVIEWER "'",
	    reference), 1);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id ="
	    " '16000001' AND template = 'email.enrollment.returned.body'"), 1);
	/* The company sees the note. */
	assert_int_equal(http_json(&sig, "GET", "/api/v1/companies/16000001/enrollment",
	    NULL, &r), 200);
	assert_string_equal(resp_str(&r, "enrollment.status"), "returned");
	assert_string_equal(resp_str(&r, "enrollment.supervisor_note"),
	    "The licence copy is not legible; send a clearer scan.");
	http_resp_free(&r);
	/* Returned: it cannot be activated until corrected. */
	snprintf(path, sizeof(path), "/api/v1/backoffice/enrollments/%s/activate",
	    reference);
	before = db_state();
	refused(post(&rev, path, NULL, &r), 409, &r, "not_submitted", before);
	http_resp_free(&r);
	free(before);
	/* Corrected: a new licence only; the other documents stay. */
	assert_int_equal(submit_as(&sig, "16000001", NULL, 1, pdf_small, pdf_small_len,
	    &r), 200);
	assert_string_equal(resp_str(&r, "reference"), reference);
	assert_string_equal(resp_str(&r, "status"), "submitted");
	assert_true(json_is_true(json_object_get(r.json, "resubmitted")));
	http_resp_free(&r);
	document_is("license", "application/pdf", pdf_small, pdf_small_len);
	document_is("owner_id", "image/png", png, png_len);
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE action ="
	    " 'enrollment.resubmit' AND detail::json->>'reference' = '%s'", reference), 1);

	/* Activation: the letter, the company enrolled, the messages. */
	assert_int_equal(post(&rev, path, NULL, &r), 200);
	assert_string_equal(resp_str(&r, "status"), "active");
	snprintf(code, sizeof(code), "%s", resp_str(&r, "letter_code"));
	http_resp_free(&r);
	assert_int_equal(test_count("SELECT count(*) FROM companies WHERE est_id ="
	    " '16000001' AND enrolled AND enrolled_at IS NOT NULL AND license_number ="
	    " 'CR-160001'"), 1);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '16000001'"
	    " AND ((channel = 'email' AND enrollment_reference = '%s' AND recipient ="
	    " 'ops@rayyan-vt.example' AND language = 'ar') OR (channel = 'sms' AND"
	    " recipient = '+97455016002' AND language = 'en' AND template ="
	    " 'sms.enrollment.activated'))", reference), 2);
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE action ="
	    " 'enrollment.activate' AND detail::json->>'letter_code' = '%s'", code), 1);
	/* The letter, as a person reads it. */
	assert_int_equal(http_req(&sig, "GET",
	    "/api/v1/companies/16000001/enrollment/letter.pdf", NULL, NULL, 0, &r), 200);
	assert_memory_equal(r.body, "%PDF-", 5);
	text = pdf_text(r.body, r.len);
	/* The file itself is recognised as the letter issued. */
	{
		struct http_resp v;

		assert_int_equal(http_req(&user, "POST", "/api/v1/statements/verify",
		    "application/pdf", r.body, r.len, &v), 200);
		assert_true(json_is_true(json_object_get(v.json, "genuine")));
		assert_string_equal(resp_str(&v, "kind"), "activation_letter");
		assert_string_equal(resp_str(&v, "reference"), reference);
		http_resp_free(&v);
	}
	http_resp_free(&r);
	assert_non_null(strstr(text, reference));
	assert_non_null(strstr(text, code));
	assert_non_null(strstr(text, "شركةالريانلنقلالمركبات"));
	assert_non_null(strstr(text, "AlRayyanVehicleTransport"));
	assert_non_null(strstr(text, "وزارةالداخلية"));
	free(text);
	/* Its code is accepted by the public verification. */
	snprintf(path, sizeof(path), "/api/v1/statements/verify?code=%s", code);
	assert_int_equal(http_req(&user, "GET", path, NULL, NULL, 0, &r), 200);
	assert_true(json_is_true(json_object_get(r.json, "valid")));
	assert_string_equal(resp_str(&r, "kind"), "activation_letter");
	assert_string_equal(resp_str(&r, "est_id"), "16000001");
	assert_string_equal(resp_str(&r, "reference"), reference);
	http_resp_free(&r);
	/* Enrolled: grants and checks are open; the grant is an offer until
	 * its representative accepts it (issue 16 §1). */
	assert_int_equal(grant("16000001", &r), 201);
	{
		long long gid = (long long)json_integer_value(json_object_get(
		    json_array_get(json_object_get(r.json, "items"), 0), "id"));

		if (gid <= 0)
			gid = (long long)json_integer_value(json_object_get(r.json, "id"));
		http_resp_free(&r);
		assert_true(gid > 0);
		expect_rule(USER, "16000001", NULL, 0, "grant_pending");
		test_grant_accept(gid, NULL);
	}
	expect_rule(SIG, "16000001", NULL, 1, "signatory");
	expect_rule(USER, "16000001", NULL, 1, "grant");
	assert_true(index_reaches(SIG, "16000001", "signatory"));
	/* Enrolled once: a new submission is refused. */
	before = db_state();
	refused(submit_as(&sig, "16000001", NULL, ALL_DOCS, pdf_small, pdf_small_len, &r),
	    409, &r, "already_enrolled", before);
	http_resp_free(&r);
	free(before);
}

/* The activation's email, with the stored letter attached, and the main
 * user's SMS, delivered by rb-notifier to the stack's mail and SMS sinks. */
static void
letter_delivered(void **state)
{
	char cmd[1024], *sha, *code;
	const char *body;
	json_t *mails, *m, *att;
	size_t i;
	int found = 0, returned = 0, rc;

	(void)state;
	/* Only this test's messages are due for the run: other tests'
	 * pending ones wait a century, and come back as they were. */
	free(test_sql("UPDATE outbox SET next_attempt_at = next_attempt_at +"
	    " interval '100 years' WHERE status = 'pending' AND"
	    " coalesce(est_id, '') NOT LIKE '1600000_'; SELECT 1"));
	rc = test_notifier_once(1);
	free(test_sql("UPDATE outbox SET next_attempt_at = next_attempt_at -"
	    " interval '100 years' WHERE next_attempt_at > now() + interval '50 years';"
	    " SELECT 1"));
	assert_int_equal(rc, 0);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id = '16000001'"
	    " AND template IN ('email.enrollment.activated.body', 'sms.enrollment.activated')"
	    " AND status = 'sent'"), 2);
	sha = test_sqlf("SELECT letter_sha256 FROM enrollments WHERE reference = '%s'",
	    reference);
	code = test_sqlf("SELECT letter_code FROM enrollments WHERE reference = '%s'",
	    reference);
	mails = test_mail_dump();
	json_array_foreach(mails, i, m) {
		const char *to = json_string_value(json_object_get(m, "to"));
		const char *subject = json_string_value(json_object_get(m, "subject"));

		if (to == NULL || strstr(to, "ops@rayyan-vt.example") == NULL)
			continue;
		assert_non_null(strstr(subject, reference));
		body = json_string_value(json_object_get(m, "body"));
		assert_non_null(body);
		att = json_array_get(json_object_get(m, "attachments"), 0);
		if (att == NULL) {
			/* The return's email: the supervisor's note, in Arabic. */
			assert_non_null(strstr(body, "أعاد مشرف الوزارة"));
			assert_non_null(strstr(body, "send a clearer scan"));
			returned++;
			continue;
		}
		/* In the company's language (Arabic), naming the code. */
		if (strstr(body, "فعّلت وزارة الداخلية") == NULL || strstr(body, code) == NULL)
			fail_msg("the letter's email reads: %s", body);
		assert_string_equal(json_string_value(json_object_get(att, "type")),
		    "application/pdf");
		assert_string_equal(json_string_value(json_object_get(att, "sha256")), sha);
		found++;
	}
	assert_int_equal(found, 1);
	assert_int_equal(returned, 1);
	json_decref(mails);
	free(sha);
	free(code);
	/* The SMS in the main user's language (English), naming the reference. */
	snprintf(cmd, sizeof(cmd), "grep -l '\"+97455016002\"' %s/* | xargs grep -l"
	    " 'MOI: the enrollment %s' | wc -l | grep -qx 1", test_env("RB_SMS_DIR"),
	    reference);
	assert_int_equal(WEXITSTATUS(system(cmd)), 0);
	/* Gone again, rows, mail and SMS: the notification tests read the
	 * whole Maildir and match it with the outbox. */
	/* Every address of the fixture's companies: the daily penalties may
	 * have told the ones not enrolled too (issue 15 §2). */
	snprintf(cmd, sizeof(cmd), "grep -l -Z -r -E 'rayyan-vt.example|oasis-hotel.example"
	    "|souq-gold.example|netcorner.example|alaman-guard.example' %s | xargs -0 rm -f;"
	    " grep -l -Z '\"+97455016002\"' %s/* | xargs -0 rm -f",
	    test_env("RB_MAILDIR"), test_env("RB_SMS_DIR"));
	assert_int_equal(WEXITSTATUS(system(cmd)), 0);
	free(test_sql("DELETE FROM outbox WHERE est_id LIKE '1600000_'; SELECT 1"));
}

/* A supervisor who signs for the company does not decide its enrollment. */
static void
separation_of_duties(void **state)
{
	static const char *const jewellery[] = { "sector", "gold_jewellery",
	    "main_user_qid", REV_SIG, NULL };
	struct http_resp r;
	char path[160], ref[32], *before;

	(void)state;
	/* 16000003's main user must be its employee: Huda is not. */
	assert_int_equal(submit_as(&sig, "16000003", jewellery, ALL_DOCS, pdf_small,
	    pdf_small_len, &r), 400);
	http_resp_free(&r);
	free(test_sql("INSERT INTO employment (qid, est_id, since) SELECT '" REV_SIG "',"
	    " '16000003', '2026-01-01' WHERE NOT EXISTS (SELECT 1 FROM employment"
	    " WHERE qid = '" REV_SIG "' AND est_id = '16000003'); SELECT 1"));
	assert_int_equal(submit_as(&sig, "16000003", jewellery, ALL_DOCS, pdf_small,
	    pdf_small_len, &r), 201);
	snprintf(ref, sizeof(ref), "%s", resp_str(&r, "reference"));
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/backoffice/enrollments/%s/return", ref);
	before = db_state();
	refused(post(&rev_sig, path, json_pack("{s:s}", "note", "mine"), &r), 403, &r,
	    "own_company", before);
	http_resp_free(&r);
	free(before);
	/* Unknown reference, and one of the wrong shape. */
	assert_int_equal(post(&rev, "/api/v1/backoffice/enrollments/ENR-0000-0000/activate",
	    NULL, &r), 404);
	http_resp_free(&r);
	assert_int_equal(post(&rev, "/api/v1/backoffice/enrollments/RN-0000-0000/activate",
	    NULL, &r), 400);
	http_resp_free(&r);
}

/* The clock moved: sessions idle since are over, so sign in again. */
static void
clock_to(const char *instant)
{
	test_clock_set(instant);
	client_free(&sig);
	client_free(&user);
	client_free(&svc);
	client_init(&sig);
	client_init(&user);
	client_init(&svc);
	assert_int_equal(client_signin(&sig, SIG, "test-enr-sig"), 201);
	assert_int_equal(client_signin(&user, USER, "test-enr-user"), 201);
	assert_int_equal(client_signin(&svc, "svc-visa", "demo-service"), 201);
}

/* A signatory suspends the company's use and resumes it; the check, live
 * and at a past instant, follows. */
static void
self_suspension(void **state)
{
	struct http_resp r;
	char *before;

	(void)state;
	clock_to("2026-12-10T08:00:00Z");
	expect_rule(SIG, "16000005", NULL, 1, "signatory");
	before = db_state();
	refused(post(&sig, "/api/v1/companies/16000005/suspension", json_pack("{s:s}",
	    "reason", ""), &r), 400, &r, "invalid_field", before);
	http_resp_free(&r);
	refused(post(&user, "/api/v1/companies/16000005/suspension", json_pack("{s:s}",
	    "reason", "x"), &r), 403, &r, "not_signatory", before);
	http_resp_free(&r);
	free(before);
	assert_int_equal(post(&sig, "/api/v1/companies/16000005/suspension",
	    json_pack("{s:s}", "reason", "Premises closed for renovation"), &r), 200);
	assert_string_equal(resp_str(&r, "suspension.reason"), "Premises closed for renovation");
	http_resp_free(&r);
	assert_int_equal(post(&sig, "/api/v1/companies/16000005/suspension",
	    json_pack("{s:s}", "reason", "again"), &r), 409);
	http_resp_free(&r);
	expect_rule(SIG, "16000005", NULL, 0, "establishment_suspended");
	assert_true(index_reaches(SIG, "16000005", "establishment_suspended"));
	before = db_state();
	refused(grant("16000005", &r), 409, &r, "establishment_suspended", before);
	http_resp_free(&r);
	free(before);
	clock_to("2026-12-10T09:00:00Z");
	assert_int_equal(http_req(&sig, "DELETE", "/api/v1/companies/16000005/suspension",
	    NULL, NULL, 0, &r), 200);
	assert_true(json_is_null(json_object_get(r.json, "suspension")));
	http_resp_free(&r);
	assert_int_equal(http_req(&sig, "DELETE", "/api/v1/companies/16000005/suspension",
	    NULL, NULL, 0, &r), 409);
	http_resp_free(&r);
	clock_to("2026-12-10T10:00:00Z");
	expect_rule(SIG, "16000005", NULL, 1, "signatory");
	assert_true(index_reaches(SIG, "16000005", "signatory"));
	/* History: suspended in between, open before and after. */
	expect_rule(SIG, "16000005", "&at=2026-12-10T08:30:00Z", 0, "establishment_suspended");
	expect_rule(SIG, "16000005", "&at=2026-12-10T09:30:00Z", 1, "signatory");
	expect_rule(SIG, "16000001", "&at=2026-12-10T09:30:00Z", 1, "signatory");
	/* Before its activation, 16000001 was not enrolled. */
	expect_rule(SIG, "16000001", "&at=2026-11-01T09:30:00Z", 0,
	    "establishment_not_enrolled");
	assert_int_equal(test_count("SELECT count(*) FROM audit_log WHERE target ="
	    " 'company:16000005' AND action IN ('company.suspend', 'company.resume')"), 2);
	test_clock_set(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gate_before_enrollment),
		cmocka_unit_test(bad_submissions),
		cmocka_unit_test(whole_path),
		cmocka_unit_test(letter_delivered),
		cmocka_unit_test(separation_of_duties),
		cmocka_unit_test(self_suspension),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
