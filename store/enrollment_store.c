/*
 * Enrollments (store/enrollment_store.h). Every write runs in its caller's
 * transaction and ends with its audit row; every query is parameterized.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/reference.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/xalloc.h"
#include "store/company_store.h"
#include "store/enrollment_store.h"
#include "store/page.h"

const char *const enrollment_doc_kinds[ENROLLMENT_NDOCS] = {
	"license", "owner_id", "authority_letter",
};

/* "enrollment:<est_id>": the audit target of a company's enrollment. */
static void
target_of(const char *est, char target[40])
{
	snprintf(target, 40, "enrollment:%s", est);
}

/* A text column into a fixed buffer; NULL reads as "". A value longer
 * than the buffer is a schema change, not something to truncate. */
static enum rb_err
text_col(const PGresult *r, int row, int col, char *out, size_t sz)
{
	const char *v = db_get_str(r, row, col);

	if (v == NULL)
		v = "";
	if (strlen(v) >= sz)
		return RB_EINTERNAL;
	memcpy(out, v, strlen(v) + 1);
	return RB_OK;
}

enum rb_err
enrollment_current_lock(struct db *db, const struct est_id *est,
    char status[16], char reference[ENROLLMENT_REF_SZ])
{
	struct db_params p;
	PGresult *r = NULL;
	enum rb_err rc;

	status[0] = reference[0] = '\0';
	db_params_init(&p);
	db_param_str(&p, est->s);
	/* The company row first: two submissions of one company queue here. */
	if ((rc = db_exec_p(db, &r, "SELECT 1 FROM companies WHERE est_id = $1"
	    " FOR UPDATE", &p)) != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	PQclear(r);
	r = NULL;
	if ((rc = db_exec_p(db, &r, "SELECT status, reference FROM enrollments"
	    " WHERE est_id = $1 ORDER BY status = 'active', submitted_at DESC"
	    " LIMIT 1 FOR UPDATE", &p)) != RB_OK || PQntuples(r) == 0)
		goto out;
	if ((rc = text_col(r, 0, 0, status, 16)) == RB_OK)
		rc = text_col(r, 0, 1, reference, ENROLLMENT_REF_SZ);
out:
	PQclear(r);
	return rc;
}

enum rb_err
enrollment_facts_load(struct db *db, const struct est_id *est,
    const char *sector, const struct qid *main_user, struct enrollment_facts *f)
{
	struct db_params p;
	PGresult *r = NULL;
	enum rb_err rc;

	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_str(&p, sector);
	db_param_str(&p, main_user->s);
	if ((rc = db_exec_p(db, &r, "SELECT"
	    " EXISTS (SELECT 1 FROM sectors WHERE code = $2),"
	    " EXISTS (SELECT 1 FROM persons WHERE qid = $3),"
	    " EXISTS (SELECT 1 FROM employment e WHERE e.qid = $3"
	    "         AND e.est_id = $1 AND e.ended_on IS NULL)", &p)) != RB_OK)
		goto out;
	f->sector_exists = db_get_bool(r, 0, 0);
	f->main_user_exists = db_get_bool(r, 0, 1);
	f->main_user_employed = db_get_bool(r, 0, 2);
out:
	PQclear(r);
	return rc;
}

/* Inserts or replaces one document of reference. */
static enum rb_err
doc_put(struct db *db, const char *reference, const struct enrollment_doc *d)
{
	struct db_params p;
	uint8_t sha[32];
	char hex[65];

	crypto_sha256(d->data, d->len, sha);
	hex_encode(sha, 32, hex);
	db_params_init(&p);
	db_param_str(&p, reference);
	db_param_str(&p, d->kind);
	db_param_str(&p, d->media_type);
	db_param_bin(&p, d->data, d->len);
	db_param_str(&p, hex);
	return db_exec_p(db, NULL, "INSERT INTO enrollment_documents"
	    " (reference, kind, media_type, content, sha256)"
	    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (reference, kind) DO UPDATE"
	    " SET media_type = EXCLUDED.media_type, content = EXCLUDED.content,"
	    " sha256 = EXCLUDED.sha256", &p);
}

enum rb_err
enrollment_write(struct db *db, const struct audit_ctx *a,
    const struct est_id *est, const struct enrollment_input *in,
    const struct enrollment_doc *docs, size_t ndocs,
    char reference[ENROLLMENT_REF_SZ], int *resubmitted)
{
	struct db_params p;
	char expiry[11], target[40];
	json_t *detail, *kinds;
	enum rb_err rc;
	size_t i;

	*resubmitted = reference[0] != '\0';
	if (!*resubmitted &&
	    enrollment_reference_new(reference) != RB_OK)
		return RB_EINTERNAL;
	date_format(in->license_expiry, expiry);
	db_params_init(&p);
	db_param_str(&p, reference);
	db_param_str(&p, est->s);
	db_param_str(&p, in->sector);
	db_param_str(&p, in->authority);
	db_param_str(&p, in->license_number);
	db_param_str(&p, expiry);
	db_param_str(&p, in->region);
	db_param_str(&p, in->main_user.s);
	db_param_str(&p, in->mobile);
	db_param_str(&p, a->actor);
	db_param_int(&p, a->now);
	rc = db_exec_p(db, NULL, *resubmitted ?
	    "UPDATE enrollments SET status = 'submitted', sector = $3,"
	    " licensing_authority = $4, license_number = $5, license_expiry = $6,"
	    " region = $7, main_user_qid = $8, main_user_mobile = $9,"
	    " submitted_by = $10, submitted_at = to_timestamp($11::bigint),"
	    " decided_by = NULL, decided_at = NULL"
	    " WHERE reference = $1 AND est_id = $2 AND status = 'returned'" :
	    "INSERT INTO enrollments (reference, est_id, status, sector,"
	    " licensing_authority, license_number, license_expiry, region,"
	    " main_user_qid, main_user_mobile, submitted_by, submitted_at)"
	    " VALUES ($1, $2, 'submitted', $3, $4, $5, $6, $7, $8, $9, $10,"
	    " to_timestamp($11::bigint))", &p);
	if (rc != RB_OK)
		return rc;
	kinds = json_array();
	for (i = 0; i < ndocs && rc == RB_OK; i++) {
		rc = doc_put(db, reference, &docs[i]);
		json_array_append_new(kinds, json_string(docs[i].kind));
	}
	if (rc != RB_OK) {
		json_decref(kinds);
		return rc;
	}
	target_of(est->s, target);
	detail = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "reference", reference,
	    "sector", in->sector, "license_number", in->license_number,
	    "main_user_qid", in->main_user.s, "main_user_mobile", in->mobile,
	    "documents", kinds);
	rc = audit_append(db, a, *resubmitted ? "enrollment.resubmit" :
	    "enrollment.submit", target, detail);
	json_decref(detail);
	return rc;
}

/* The columns of an enrollment read by enrollment_json(). */
#define ENROLLMENT_COLS							\
	" e.reference, e.est_id, c.name_ar, c.name_en, e.status, e.sector,"	\
	" s.name_ar, s.name_en, e.licensing_authority, e.license_number,"	\
	" e.license_expiry::text, e.region, e.main_user_qid, e.main_user_mobile,"	\
	" e.submitted_by, " CLOCK_SQL_ISO("e.submitted_at") ", e.decided_by,"	\
	" " CLOCK_SQL_ISO("e.decided_at") ","					\
	" (SELECT r.note FROM enrollment_returns r WHERE r.reference = e.reference"	\
	"  ORDER BY r.id DESC LIMIT 1),"					\
	" (SELECT r.inaccurate FROM enrollment_returns r"			\
	"  WHERE r.reference = e.reference ORDER BY r.id DESC LIMIT 1),"	\
	" e.letter_code"
#define ENROLLMENT_FROM							\
	" FROM enrollments e JOIN companies c ON c.est_id = e.est_id"	\
	" JOIN sectors s ON s.code = e.sector"

static json_t *
enrollment_json(PGresult *r, int i)
{
	json_t *o;

#define V(c) db_get_str(r, i, c)
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}",
	    "reference", V(0), "est_id", V(1), "company_name_ar", V(2),
	    "company_name_en", V(3), "status", V(4), "sector", V(5),
	    "sector_name_ar", V(6), "sector_name_en", V(7),
	    "licensing_authority", V(8), "license_number", V(9),
	    "license_expiry", V(10), "region", V(11), "main_user_qid", V(12),
	    "main_user_mobile", V(13), "submitted_by", V(14), "submitted_at", V(15),
	    "decided_by", V(16), "decided_at", V(17), "supervisor_note",
	    PQgetisnull(r, i, 4) || strcmp(V(4), "returned") != 0 ? NULL : V(18));
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "inaccurate", strcmp(V(4), "returned") == 0 &&
	    !PQgetisnull(r, i, 19) ? json_boolean(db_get_bool(r, i, 19)) : json_null());
	json_object_set_new(o, "letter", json_boolean(!PQgetisnull(r, i, 20)));
#undef V
	return o;
}

/* [{kind, media_type, size, sha256}] of reference, into o's "documents". */
static enum rb_err
add_documents(struct db *db, const char *reference, json_t *o)
{
	struct db_params p;
	PGresult *r = NULL;
	json_t *a = json_array();
	int64_t size;
	enum rb_err rc;
	int i;

	db_params_init(&p);
	db_param_str(&p, reference);
	if ((rc = db_exec_p(db, &r, "SELECT kind, media_type, octet_length(content),"
	    " sha256 FROM enrollment_documents WHERE reference = $1"
	    " ORDER BY array_position(ARRAY['license', 'owner_id',"
	    " 'authority_letter'], kind)", &p)) != RB_OK)
		goto out;
	for (i = 0; i < PQntuples(r); i++) {
		if ((rc = db_get_int(r, i, 2, &size)) != RB_OK)
			goto out;
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:s}", "kind",
		    db_get_str(r, i, 0), "media_type", db_get_str(r, i, 1), "size",
		    (json_int_t)size, "sha256", db_get_str(r, i, 3)));
	}
out:
	PQclear(r);
	json_object_set_new(o, "documents", a);
	return rc;
}

enum rb_err
enrollment_company_json(struct db *db, const struct est_id *est, json_t **out)
{
	struct db_params p;
	PGresult *r = NULL, *e = NULL;
	json_t *o = NULL, *en = NULL;
	enum rb_err rc;

	*out = NULL;
	db_params_init(&p);
	db_param_str(&p, est->s);
	if ((rc = db_exec_p(db, &r, "SELECT c.est_id, c.enrolled, c.sector,"
	    " coalesce(s.compulsory, false), " CLOCK_SQL_ISO("c.self_suspended_at") ","
	    " c.self_suspended_reason, " CLOCK_SQL_ISO("c.enrolled_at")
	    " FROM companies c LEFT JOIN sectors s ON s.code = c.sector"
	    " WHERE c.est_id = $1", &p)) != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	if ((rc = db_exec_p(db, &e, "SELECT" ENROLLMENT_COLS ENROLLMENT_FROM
	    " WHERE e.est_id = $1 ORDER BY e.status = 'active', e.submitted_at DESC"
	    " LIMIT 1", &p)) != RB_OK)
		goto out;
	if (PQntuples(e) > 0) {
		if ((en = enrollment_json(e, 0)) == NULL) {
			rc = RB_EINTERNAL;
			goto out;
		}
		if ((rc = add_documents(db, db_get_str(e, 0, 0), en)) != RB_OK)
			goto out;
	}
	o = json_pack("{s:s, s:b, s:s?, s:b, s:s?, s:o}", "est_id", db_get_str(r, 0, 0),
	    "enrolled", db_get_bool(r, 0, 1), "sector", db_get_str(r, 0, 2),
	    "sector_compulsory", db_get_bool(r, 0, 3),
	    "enrolled_at", db_get_str(r, 0, 6),
	    "enrollment", en ? en : json_null());
	en = NULL;
	json_object_set_new(o, "suspension", PQgetisnull(r, 0, 4) ? json_null() :
	    json_pack("{s:s, s:s}", "since", db_get_str(r, 0, 4), "reason",
	    db_get_str(r, 0, 5)));
	*out = o;
out:
	json_decref(en);
	PQclear(r);
	PQclear(e);
	return rc;
}

enum rb_err
sector_list(struct db *db, json_t **page)
{
	PGresult *res = NULL;
	json_t *items;
	enum rb_err rc;
	int i, n;

	*page = NULL;
	if ((rc = db_exec(db, &res, "SELECT code, name_ar, name_en, compulsory"
	    " FROM sectors ORDER BY NOT compulsory, name_en", 0, NULL)) != RB_OK)
		return rc;
	items = json_array();
	n = PQntuples(res);
	for (i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:b}",
		    "code", db_get_str(res, i, 0), "name_ar", db_get_str(res, i, 1),
		    "name_en", db_get_str(res, i, 2), "compulsory",
		    db_get_bool(res, i, 3)));
	PQclear(res);
	*page = page_json(items, n, n, 0);
	return RB_OK;
}

/* $1 the status or NULL, $2 the search or NULL, $3 $2 as a LIKE text. */
#define LIST_WHERE							\
	" WHERE ($1::text IS NULL OR e.status = $1)"			\
	" AND ($2::text IS NULL OR e.est_id LIKE $3 || '%' OR e.reference = upper($2)"	\
	"      OR c.name_en ILIKE '%' || $3 || '%' OR c.name_ar ILIKE '%' || $3 || '%')"

static void
list_params(struct db_params *p, const char *status, const char *q, const char *esc)
{
	db_params_init(p);
	db_param_str(p, status);
	db_param_str(p, q);
	db_param_str(p, esc);
}

enum rb_err
enrollment_list(struct db *db, const char *status, const char *q, int64_t limit,
    int64_t offset, json_t **page)
{
	static const char sql[] = "SELECT" ENROLLMENT_COLS ", count(*) OVER ()"
	    ENROLLMENT_FROM LIST_WHERE
	    " ORDER BY e.submitted_at, e.reference LIMIT $4 OFFSET $5";
	static const char count_sql[] = "SELECT count(*)" ENROLLMENT_FROM LIST_WHERE;
	struct db_params p, cp;
	char *esc = q ? company_like_escape(q) : NULL;
	enum rb_err rc;

	list_params(&cp, status, q, esc);
	list_params(&p, status, q, esc);
	db_param_int(&p, limit);
	db_param_int(&p, offset);
	rc = page_query(db, sql, &p, enrollment_json, limit, offset, count_sql, &cp,
	    page);
	free(esc);
	return rc;
}

enum rb_err
enrollment_get_json(struct db *db, const char *reference, json_t **out)
{
	struct db_params p;
	PGresult *r = NULL, *h = NULL;
	json_t *o = NULL, *a;
	enum rb_err rc;
	int i;

	*out = NULL;
	db_params_init(&p);
	db_param_str(&p, reference);
	if ((rc = db_exec_p(db, &r, "SELECT" ENROLLMENT_COLS ENROLLMENT_FROM
	    " WHERE e.reference = $1", &p)) != RB_OK || PQntuples(r) == 0)
		goto out;
	if ((o = enrollment_json(r, 0)) == NULL) {
		rc = RB_EINTERNAL;
		goto out;
	}
	if ((rc = add_documents(db, reference, o)) != RB_OK ||
	    (rc = db_exec_p(db, &h, "SELECT returned_by, "
	    CLOCK_SQL_ISO("returned_at") ", note, inaccurate FROM enrollment_returns"
	    " WHERE reference = $1 ORDER BY id", &p)) != RB_OK)
		goto out;
	a = json_array();
	for (i = 0; i < PQntuples(h); i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b}",
		    "returned_by", db_get_str(h, i, 0), "returned_at",
		    db_get_str(h, i, 1), "note", db_get_str(h, i, 2), "inaccurate",
		    db_get_bool(h, i, 3)));
	json_object_set_new(o, "returns", a);
	*out = o;
	o = NULL;
out:
	json_decref(o);
	PQclear(r);
	PQclear(h);
	return rc;
}

/* Column col of row 0 (bytea, text format) into a new buffer. */
static enum rb_err
bytes_col(const PGresult *r, int col, uint8_t **data, size_t *len)
{
	unsigned char *raw;

	if ((raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, col),
	    len)) == NULL)
		return RB_EINTERNAL;
	*data = xmalloc(*len ? *len : 1);
	memcpy(*data, raw, *len);
	PQfreemem(raw);
	return RB_OK;
}

enum rb_err
enrollment_document(struct db *db, const char *reference, const char *kind,
    uint8_t **data, size_t *len, char media_type[32])
{
	const char *p[2] = { reference, kind };
	PGresult *r = NULL;
	enum rb_err rc;

	*data = NULL;
	*len = 0;
	if ((rc = db_exec(db, &r, "SELECT content, media_type FROM"
	    " enrollment_documents WHERE reference = $1 AND kind = $2", 2, p)) != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	snprintf(media_type, 32, "%s", PQgetvalue(r, 0, 1));
	rc = bytes_col(r, 0, data, len);
out:
	PQclear(r);
	return rc;
}

enum rb_err
enrollment_review_load(struct db *db, const char *reference,
    const struct qid *reviewer, struct enrollment_review *v)
{
	struct db_params p;
	PGresult *r = NULL;
	enum rb_err rc;

	memset(v, 0, sizeof(*v));
	db_params_init(&p);
	db_param_str(&p, reference);
	db_param_str(&p, reviewer ? reviewer->s : NULL);
	if ((rc = db_exec_p(db, &r, "SELECT e.status, e.est_id, e.submitted_by,"
	    " EXISTS (SELECT 1 FROM signatories g WHERE g.est_id = e.est_id"
	    "         AND g.qid = $2 AND g.ended_on IS NULL),"
	    " EXISTS (SELECT 1 FROM employment m WHERE m.est_id = e.est_id"
	    "         AND m.qid = $2 AND m.ended_on IS NULL)"
	    " FROM enrollments e WHERE e.reference = $1 FOR UPDATE OF e", &p)) != RB_OK ||
	    PQntuples(r) == 0)
		goto out;
	v->exists = 1;
	if ((rc = text_col(r, 0, 0, v->status, sizeof(v->status))) != RB_OK ||
	    (rc = text_col(r, 0, 1, v->est.s, sizeof(v->est.s))) != RB_OK ||
	    (rc = text_col(r, 0, 2, v->submitted_by, sizeof(v->submitted_by))) != RB_OK)
		goto out;
	v->reviewer_signs = db_get_bool(r, 0, 3);
	v->reviewer_employed = db_get_bool(r, 0, 4);
out:
	PQclear(r);
	return rc;
}

enum rb_err
enrollment_letter_facts_load(struct db *db, const char *reference,
    struct enrollment_letter_facts *f)
{
	struct db_params p;
	PGresult *r = NULL;
	enum rb_err rc;

	memset(f, 0, sizeof(*f));
	db_params_init(&p);
	db_param_str(&p, reference);
	if ((rc = db_exec_p(db, &r, "SELECT c.language, c.est_id, c.name_ar,"
	    " c.name_en, c.email, s.name_ar, s.name_en, e.licensing_authority,"
	    " e.license_number, e.license_expiry::text, e.region, u.name_ar,"
	    " u.name_en, u.language, e.main_user_mobile"
	    " FROM enrollments e JOIN companies c ON c.est_id = e.est_id"
	    " JOIN sectors s ON s.code = e.sector"
	    " JOIN persons u ON u.qid = e.main_user_qid WHERE e.reference = $1",
	    &p)) != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
#define T(c, field) (rc = text_col(r, 0, c, f->field, sizeof(f->field))) != RB_OK
	if (T(0, lang) || T(1, est_id) || T(2, name_ar) || T(3, name_en) ||
	    T(4, email) || T(5, sector_ar) || T(6, sector_en) || T(7, authority) ||
	    T(8, license_number) || T(10, region) || T(11, main_user_ar) ||
	    T(12, main_user_en) || T(13, main_user_lang) || T(14, mobile))
		goto out;
#undef T
	if (date_parse(db_get_str(r, 0, 9), &f->license_expiry) != RB_OK)
		rc = RB_EINTERNAL;
out:
	PQclear(r);
	return rc;
}

enum rb_err
enrollment_activate(struct db *db, const struct audit_ctx *a,
    const char *reference, const struct enrollment_letter_facts *f,
    const uint8_t *pdf, size_t len, const char *code)
{
	struct db_params p;
	uint8_t sha[32];
	char hex[65], target[40];
	json_t *detail, *params;
	char *ptext;
	enum rb_err rc;

	crypto_sha256(pdf, len, sha);
	hex_encode(sha, 32, hex);
	db_params_init(&p);
	db_param_str(&p, reference);
	db_param_str(&p, a->actor);
	db_param_int(&p, a->now);
	db_param_bin(&p, pdf, len);
	db_param_str(&p, hex);
	db_param_str(&p, code);
	if ((rc = db_exec_p(db, NULL, "WITH e AS (UPDATE enrollments SET"
	    " status = 'active', decided_by = $2, decided_at = to_timestamp($3::bigint),"
	    " letter_pdf = $4, letter_sha256 = $5, letter_code = $6"
	    " WHERE reference = $1 AND status = 'submitted'"
	    " RETURNING est_id, sector, license_number, license_expiry)"
	    " UPDATE companies c SET enrolled = true,"
	    " enrolled_at = to_timestamp($3::bigint), sector = e.sector,"
	    " license_number = e.license_number, license_expiry = e.license_expiry"
	    " FROM e WHERE c.est_id = e.est_id", &p)) != RB_OK)
		return rc;
	/* The email with the letter to the company, the SMS to the main
	 * user, each in its reader's language. */
	params = json_pack("{s:s, s:s, s:s, s:s, s:s}", "company_ar", f->name_ar,
	    "company_en", f->name_en, "est_id", f->est_id, "reference", reference,
	    "code", code);
	ptext = json_dumps(params, JSON_COMPACT);
	json_decref(params);
	db_params_init(&p);
	db_param_str(&p, f->email);
	db_param_str(&p, f->lang);
	db_param_str(&p, ptext);
	db_param_str(&p, reference);
	db_param_str(&p, f->est_id);
	db_param_int(&p, a->now);
	db_param_str(&p, f->mobile);
	db_param_str(&p, f->main_user_lang);
	rc = db_exec_p(db, NULL, "INSERT INTO outbox (channel, recipient, language,"
	    " template, params, enrollment_reference, est_id, qid, next_attempt_at,"
	    " created_at)"
	    " SELECT 'email', $1, $2, 'email.enrollment.activated.body', $3::jsonb,"
	    " $4, $5, NULL, to_timestamp($6::bigint), to_timestamp($6::bigint)"
	    " UNION ALL SELECT 'sms', $7, $8, 'sms.enrollment.activated', $3::jsonb,"
	    " NULL, $5, (SELECT main_user_qid FROM enrollments WHERE reference = $4),"
	    " to_timestamp($6::bigint), to_timestamp($6::bigint)", &p);
	free(ptext);
	if (rc != RB_OK)
		return rc;
	target_of(f->est_id, target);
	detail = json_pack("{s:s, s:s, s:s}", "reference", reference,
	    "letter_code", code, "letter_sha256", hex);
	rc = audit_append(db, a, "enrollment.activate", target, detail);
	json_decref(detail);
	return rc;
}

enum rb_err
enrollment_return(struct db *db, const struct audit_ctx *a, const char *reference,
    const struct est_id *est, const char *note, int inaccurate)
{
	struct db_params p;
	char target[40];
	json_t *detail;
	enum rb_err rc;

	db_params_init(&p);
	db_param_str(&p, reference);
	db_param_str(&p, a->actor);
	db_param_int(&p, a->now);
	db_param_str(&p, note);
	db_param_str(&p, inaccurate ? "true" : "false");
	if ((rc = db_exec_p(db, NULL, "WITH e AS (UPDATE enrollments SET"
	    " status = 'returned', decided_by = $2, decided_at = to_timestamp($3::bigint)"
	    " WHERE reference = $1 AND status = 'submitted' RETURNING reference, est_id)"
	    " INSERT INTO enrollment_returns (reference, est_id, returned_by,"
	    " returned_at, note, inaccurate)"
	    " SELECT e.reference, e.est_id, $2, to_timestamp($3::bigint), $4,"
	    " $5::boolean FROM e", &p)) != RB_OK)
		return rc;
	/* The company is told what to fix, in its language. */
	db_params_init(&p);
	db_param_str(&p, reference);
	db_param_int(&p, a->now);
	db_param_str(&p, note);
	db_param_str(&p, est->s);
	if ((rc = db_exec_p(db, NULL, "INSERT INTO outbox (channel, recipient,"
	    " language, template, params, est_id, next_attempt_at, created_at)"
	    " SELECT 'email', c.email, c.language, 'email.enrollment.returned.body',"
	    " jsonb_build_object('company_ar', c.name_ar, 'company_en', c.name_en,"
	    " 'est_id', c.est_id, 'reference', $1::text, 'note', $3::text),"
	    " c.est_id, to_timestamp($2::bigint), to_timestamp($2::bigint)"
	    " FROM companies c WHERE c.est_id = $4", &p)) != RB_OK)
		return rc;
	target_of(est->s, target);
	detail = json_pack("{s:s, s:s, s:b}", "reference", reference, "note", note,
	    "inaccurate", inaccurate);
	rc = audit_append(db, a, "enrollment.return", target, detail);
	json_decref(detail);
	return rc;
}

enum rb_err
enrollment_letter(struct db *db, const struct est_id *est, uint8_t **pdf,
    size_t *len, char reference[ENROLLMENT_REF_SZ])
{
	const char *p[1] = { est->s };
	PGresult *r = NULL;
	enum rb_err rc;

	*pdf = NULL;
	*len = 0;
	if ((rc = db_exec(db, &r, "SELECT letter_pdf, reference FROM enrollments"
	    " WHERE est_id = $1 AND status = 'active'", 1, p)) != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	snprintf(reference, ENROLLMENT_REF_SZ, "%s", PQgetvalue(r, 0, 1));
	rc = bytes_col(r, 0, pdf, len);
out:
	PQclear(r);
	return rc;
}

static enum rb_err
verify_by(struct db *db, const char *sql, const char *key, json_t **out)
{
	struct db_params p;
	PGresult *r = NULL;
	enum rb_err rc;

	*out = NULL;
	db_params_init(&p);
	db_param_str(&p, key);
	if ((rc = db_exec_p(db, &r, sql, &p)) == RB_OK && PQntuples(r) > 0)
		*out = json_pack("{s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		    "valid", 1, "kind", "activation_letter", "reference",
		    db_get_str(r, 0, 0), "est_id", db_get_str(r, 0, 1),
		    "company_name_ar", db_get_str(r, 0, 2), "company_name_en",
		    db_get_str(r, 0, 3), "activated_on", db_get_str(r, 0, 4),
		    "verification_code", db_get_str(r, 0, 5), "sha256",
		    db_get_str(r, 0, 6));
	PQclear(r);
	return rc;
}

#define VERIFY_SQL(where)						\
	"SELECT e.reference, e.est_id, c.name_ar, c.name_en,"		\
	" (e.decided_at AT TIME ZONE 'Asia/Qatar')::date::text, e.letter_code,"	\
	" e.letter_sha256 FROM enrollments e JOIN companies c ON c.est_id = e.est_id"	\
	" WHERE e.status = 'active' AND " where

enum rb_err
enrollment_verify_code(struct db *db, const char *code, json_t **out)
{
	return verify_by(db, VERIFY_SQL("e.letter_code = upper($1)"), code, out);
}

enum rb_err
enrollment_verify_sha256(struct db *db, const char *hex, json_t **out)
{
	return verify_by(db, VERIFY_SQL("e.letter_sha256 = $1"), hex, out);
}

enum rb_err
enrollment_gate_load(struct db *db, const struct est_id *est, int *block,
    char reference[ENROLLMENT_REF_SZ])
{
	struct db_params p;
	PGresult *r = NULL;
	int64_t b;
	enum rb_err rc;

	*block = 0;
	reference[0] = '\0';
	db_params_init(&p);
	db_param_str(&p, est->s);
	/* FOR SHARE: an activation or a suspension of the company waits for
	 * the grant or subscription that read it. */
	if ((rc = db_exec_p(db, &r, "SELECT company_block(c.enrolled, c.sector,"
	    " c.self_suspended_at), (SELECT e.reference FROM enrollments e"
	    " WHERE e.est_id = c.est_id AND e.status IN ('submitted', 'returned'))"
	    " FROM companies c WHERE c.est_id = $1 FOR SHARE OF c", &p)) != RB_OK ||
	    PQntuples(r) == 0)
		goto out;
	if ((rc = db_get_int(r, 0, 0, &b)) != RB_OK)
		goto out;
	*block = (int)b;
	rc = text_col(r, 0, 1, reference, ENROLLMENT_REF_SZ);
out:
	PQclear(r);
	return rc;
}

enum rb_err
company_suspend(struct db *db, const struct audit_ctx *a, const struct est_id *est,
    const char *reason)
{
	struct db_params p;
	PGresult *r = NULL;
	char target[40];
	json_t *detail;
	enum rb_err rc;

	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_int(&p, a->now);
	db_param_str(&p, reason);
	if ((rc = db_exec_p(db, &r, "UPDATE companies SET"
	    " self_suspended_at = to_timestamp($2::bigint), self_suspended_reason = $3"
	    " WHERE est_id = $1 AND self_suspended_at IS NULL RETURNING 1", &p)) != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		rc = RB_ECONFLICT;
		goto out;
	}
	snprintf(target, sizeof(target), "company:%s", est->s);
	detail = json_pack("{s:s}", "reason", reason);
	rc = audit_append(db, a, "company.suspend", target, detail);
	json_decref(detail);
out:
	PQclear(r);
	return rc;
}

enum rb_err
company_resume(struct db *db, const struct audit_ctx *a, const struct est_id *est)
{
	struct db_params p;
	PGresult *r = NULL;
	char target[40];
	enum rb_err rc;

	db_params_init(&p);
	db_param_str(&p, est->s);
	if ((rc = db_exec_p(db, &r, "UPDATE companies SET self_suspended_at = NULL,"
	    " self_suspended_reason = NULL WHERE est_id = $1"
	    " AND self_suspended_at IS NOT NULL"
	    " RETURNING self_suspended_reason", &p)) != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		rc = RB_ECONFLICT;
		goto out;
	}
	snprintf(target, sizeof(target), "company:%s", est->s);
	rc = audit_append(db, a, "company.resume", target, NULL);
out:
	PQclear(r);
	return rc;
}
