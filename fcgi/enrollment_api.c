/*
 * Enrollment of an establishment (issue 15 §1), both sides: the company's
 * POST and GET /companies/{est_id}/enrollment, its letter, and its
 * self-suspension (POST and DELETE /companies/{est_id}/suspension); the
 * supervisors' queue GET /backoffice/enrollments, one enrollment with its
 * documents, and POST .../{reference}/activate and /return. The gate that
 * keeps a company that is not enrolled from new grants and subscriptions
 * is enrollment_gate(), called by those handlers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/enrollment_rules.h"
#include "domain/authorize_rule.h"
#include "fcgi/access.h"
#include "fcgi/enrollment_gate.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "lib/media_sniff.h"
#include "lib/multipart.h"
#include "lib/text.h"
#include "reports/activation_letter.h"
#include "store/enrollment_store.h"
#include "store/statement_store.h"

/* ---- the form ----------------------------------------------------------- */

static const char *const data_fields[] = { "sector", "licensing_authority",
    "license_number", "license_expiry", "region", "main_user_qid",
    "main_user_mobile", NULL };

/* A required string field of the data part, checked with text_ok. */
static const char *
str_field(json_t *o, const char *k, size_t max, struct field_errors *fe)
{
	json_t *v = json_object_get(o, k);
	const char *s = json_string_value(v);

	if (v == NULL) {
		field_error_add(fe, k, "required", "required");
		return NULL;
	}
	if (s == NULL || !text_ok(s, 1, max, 0)) {
		char msg[64];

		snprintf(msg, sizeof(msg), "a text of 1 to %zu characters", max);
		field_error_add(fe, k, "invalid_field", msg);
		return NULL;
	}
	return s;
}

/* The data part's JSON into in; *mobile_typed is the mobile as typed
 * (borrowed from o). Every bad field is gathered in fe. */
static void
parse_data(json_t *o, struct enrollment_input *in, const char **mobile_typed,
    struct field_errors *fe)
{
	const char *key, *s;
	json_t *v;
	size_t i;

	json_object_foreach(o, key, v) {
		for (i = 0; data_fields[i] != NULL; i++)
			if (strcmp(key, data_fields[i]) == 0)
				break;
		if (data_fields[i] == NULL)
			field_error_add(fe, text_ok(key, 1, 64, 0) ? key : "data",
			    "unknown_field", "unknown field");
	}
	if ((s = str_field(o, "sector", SECTOR_CODE_MAX, fe)) != NULL) {
		if (sector_code_ok(s))
			snprintf(in->sector, sizeof(in->sector), "%s", s);
		else
			field_error_add(fe, "sector", "invalid_field",
			    "a sector code of the catalogue, like vehicle_transport");
	}
	if ((s = str_field(o, "licensing_authority", LICENSING_AUTHORITY_MAX, fe)) != NULL)
		snprintf(in->authority, sizeof(in->authority), "%s", s);
	if ((s = str_field(o, "license_number", LICENSE_NUMBER_MAX, fe)) != NULL)
		snprintf(in->license_number, sizeof(in->license_number), "%s", s);
	if ((s = str_field(o, "license_expiry", 10, fe)) != NULL &&
	    date_parse(s, &in->license_expiry) != RB_OK)
		field_error_add(fe, "license_expiry", "invalid_field",
		    "a date is YYYY-MM-DD");
	if ((s = str_field(o, "region", REGION_MAX, fe)) != NULL)
		snprintf(in->region, sizeof(in->region), "%s", s);
	if ((s = str_field(o, "main_user_qid", 11, fe)) != NULL &&
	    qid_parse(s, &in->main_user) != RB_OK)
		field_error_add(fe, "main_user_qid", "invalid_field",
		    "a QID is 11 digits starting with 2 or 3");
	*mobile_typed = str_field(o, "main_user_mobile", 24, fe);
}

/* The three documents, each sniffed; docs[i] .data NULL when not sent.
 * Responds and returns RB_EINVAL on a part that is not ours, or a file
 * that is too large, empty or not a PDF, JPEG or PNG. */
static enum rb_err
parse_documents(struct req *r, const struct mp_form *f,
    struct enrollment_doc docs[ENROLLMENT_NDOCS])
{
	const struct mp_part *p;
	enum media_kind k;
	size_t i, j;

	for (i = 0; i < f->nparts; i++) {
		if (strcmp(f->parts[i].name, "data") == 0)
			continue;
		for (j = 0; j < ENROLLMENT_NDOCS; j++)
			if (strcmp(f->parts[i].name, enrollment_doc_kinds[j]) == 0)
				break;
		if (j == ENROLLMENT_NDOCS) {
			resp_error_field(r, 400, "unknown_field",
			    text_ok(f->parts[i].name, 1, 64, 0) ? f->parts[i].name :
			    "part", "the parts are data, license, owner_id and "
			    "authority_letter");
			return RB_EINVAL;
		}
	}
	for (j = 0; j < ENROLLMENT_NDOCS; j++) {
		memset(&docs[j], 0, sizeof(docs[j]));
		docs[j].kind = enrollment_doc_kinds[j];
		if ((p = mp_find(f, enrollment_doc_kinds[j])) == NULL)
			continue;
		if (p->len > DOCUMENT_MAX) {
			resp_error_field(r, 413, "document_too_large", docs[j].kind,
			    "a document is at most 5 MiB");
			return RB_EINVAL;
		}
		/* By content only: neither the file name nor the declared
		 * type says what a file is. */
		k = media_sniff((const unsigned char *)p->data, p->len);
		if (k == MEDIA_UNKNOWN) {
			resp_error_field(r, 415, "unsupported_document", docs[j].kind,
			    "a document must be a PDF, JPEG or PNG file");
			return RB_EINVAL;
		}
		docs[j].media_type = media_kind_type(k);
		docs[j].data = p->data;
		docs[j].len = p->len;
	}
	return RB_OK;
}

/* The documents sent, packed to the front; returns how many. */
static size_t
sent_documents(struct enrollment_doc docs[ENROLLMENT_NDOCS])
{
	size_t i, n = 0;

	for (i = 0; i < ENROLLMENT_NDOCS; i++)
		if (docs[i].data != NULL)
			docs[n++] = docs[i];
	return n;
}

/* Responds 409 for the company's enrollment state. */
static void
refuse_state(struct req *r, const char *status, const char *reference)
{
	char msg[160];

	if (strcmp(status, "active") == 0) {
		snprintf(msg, sizeof(msg), "the establishment is enrolled already"
		    " (%s)", reference);
		resp_error(r, 409, "already_enrolled", msg);
	} else {
		snprintf(msg, sizeof(msg), "enrollment %s is waiting for a "
		    "supervisor", reference);
		resp_error(r, 409, "enrollment_pending", msg);
	}
}

/* The rules' refusal as a field error (400). */
static void
refuse_rule(struct req *r, enum enrollment_refusal why)
{
	resp_error_field(r, 400, enrollment_refusal_code(why),
	    enrollment_refusal_field(why), enrollment_refusal_message(why));
}

void
h_enrollment_submit(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct enrollment_doc docs[ENROLLMENT_NDOCS];
	struct enrollment_input in;
	struct enrollment_facts f;
	struct field_errors fe;
	struct mp_form *form = NULL;
	struct db *db = &r->w->db;
	const struct mp_part *data;
	enum enrollment_refusal why;
	char boundary[MP_BOUNDARY_MAX + 1], status[16], ref[ENROLLMENT_REF_SZ];
	const char *reason = NULL, *mobile = NULL;
	json_t *o = NULL, *out = NULL;
	json_error_t jerr;
	size_t ndocs;
	int resub;
	enum rb_err rc;

	if (access_require(r, NEED_SIGNATORY, NULL, NULL) != RB_OK)
		return;
	if (mp_boundary(r->content_type, boundary, &reason) != RB_OK) {
		resp_error(r, 415, "unsupported_media_type", reason);
		return;
	}
	form = calloc(1, sizeof(*form));
	if (form == NULL || mp_parse(r->body, r->body_len, boundary, form, &reason) !=
	    RB_OK) {
		resp_error(r, 400, "bad_multipart", reason ? reason : "out of memory");
		goto out;
	}
	if ((data = mp_find(form, "data")) == NULL) {
		resp_error_field(r, 400, "required", "data",
		    "the part data holds the form's fields as JSON");
		goto out;
	}
	if ((o = json_loadb(data->data, data->len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL || !json_is_object(o)) {
		resp_error_field(r, 400, "invalid_json", "data",
		    "the part data must be a JSON object");
		goto out;
	}
	memset(&in, 0, sizeof(in));
	field_errors_init(&fe);
	parse_data(o, &in, &mobile, &fe);
	if (resp_error_fields(r, &fe) != RB_OK ||
	    parse_documents(r, form, docs) != RB_OK)
		goto out;
	if ((rc = db_begin(db)) != RB_OK ||
	    (rc = enrollment_current_lock(db, &r->params.est, status, ref)) != RB_OK)
		goto fail;
	if (strcmp(status, "submitted") == 0 || strcmp(status, "active") == 0) {
		db_rollback(db);
		refuse_state(r, status, ref);
		goto out;
	}
	/* A returned enrollment is corrected in place, keeping its reference
	 * and the documents not sent again; a new one needs all three. */
	if (strcmp(status, "returned") != 0) {
		size_t j;

		ref[0] = '\0';
		field_errors_init(&fe);
		for (j = 0; j < ENROLLMENT_NDOCS; j++)
			if (docs[j].data == NULL)
				field_error_add(&fe, docs[j].kind, "required",
				    "a PDF, JPEG or PNG file of at most 5 MiB");
		if (resp_error_fields(r, &fe) != RB_OK) {
			db_rollback(db);
			goto out;
		}
	}
	if ((rc = enrollment_facts_load(db, &r->params.est, in.sector, &in.main_user,
	    &f)) != RB_OK)
		goto fail;
	f.license_number = in.license_number;
	f.license_expiry = in.license_expiry;
	f.today = date_of_instant_qatar(a.now);
	f.mobile = mobile;
	if ((why = enrollment_decide(&f, in.mobile)) != ENROLL_OK) {
		db_rollback(db);
		refuse_rule(r, why);
		goto out;
	}
	ndocs = sent_documents(docs);
	if ((rc = enrollment_write(db, &a, &r->params.est, &in, docs, ndocs, ref,
	    &resub)) != RB_OK || (rc = db_commit(db)) != RB_OK)
		goto fail;
	if ((rc = enrollment_get_json(db, ref, &out)) != RB_OK || out == NULL) {
		resp_rb_err(r, rc != RB_OK ? rc : RB_EINTERNAL);
		goto out;
	}
	json_object_set_new(out, "resubmitted", json_boolean(resub));
	resp_json(r, resub ? 200 : 201, out);
	goto out;
fail:
	db_rollback(db);
	resp_rb_err(r, rc);
out:
	json_decref(o);
	free(form);
}

void
h_enrollment_get(struct req *r)
{
	json_t *out;
	enum rb_err rc;

	if (access_require(r, NEED_SIGNATORY_OR_REVIEWER, NULL, NULL) != RB_OK)
		return;
	if ((rc = enrollment_company_json(&r->w->db, &r->params.est, &out)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	resp_json(r, 200, out);
}

/* GET /api/v1/sectors: the catalogue the enrollment form offers. */
void
h_sectors_list(struct req *r)
{
	json_t *page;
	enum rb_err rc;

	if ((rc = sector_list(&r->w->db, &page)) != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 200, page);
}

void
h_enrollment_letter(struct req *r)
{
	char ref[ENROLLMENT_REF_SZ], disp[96];
	uint8_t *pdf;
	size_t len;
	enum rb_err rc;

	if (access_require(r, NEED_SIGNATORY_OR_REVIEWER, NULL, NULL) != RB_OK)
		return;
	rc = enrollment_letter(&r->w->db, &r->params.est, &pdf, &len, ref);
	if (rc == RB_ENOTFOUND) {
		resp_error(r, 404, "no_letter",
		    "the establishment has no active enrollment, so no letter");
		return;
	}
	if (rc != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	snprintf(disp, sizeof(disp), "inline; filename=\"activation-letter-%s.pdf\"", ref);
	resp_raw(r, 200, MEDIA_PDF, disp, (const char *)pdf, len);
	free(pdf);
}

/* ---- self-suspension ---------------------------------------------------- */

void
h_company_suspend(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	const char *key, *reason;
	json_t *body, *v, *out;
	enum rb_err rc;

	if (access_require(r, NEED_SIGNATORY, NULL, NULL) != RB_OK)
		return;
	if ((body = req_json_body(r)) == NULL)
		return;
	json_object_foreach(body, key, v)
		if (strcmp(key, "reason") != 0) {
			resp_error_field(r, 400, "unknown_field",
			    text_ok(key, 1, 64, 0) ? key : "body", "unknown field");
			json_decref(body);
			return;
		}
	reason = json_string_value(json_object_get(body, "reason"));
	if (reason == NULL || !text_ok(reason, 1, SUSPEND_REASON_MAX, 1)) {
		resp_error_field(r, 400, "invalid_field", "reason",
		    "a suspension says why, in 1 to 500 characters");
		json_decref(body);
		return;
	}
	if ((rc = db_begin(db)) != RB_OK ||
	    (rc = company_suspend(db, &a, &r->params.est, reason)) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK) {
		db_rollback(db);
		if (rc == RB_ECONFLICT)
			resp_error(r, 409, "already_suspended",
			    "the establishment has suspended its use already");
		else
			resp_rb_err(r, rc);
		json_decref(body);
		return;
	}
	json_decref(body);
	if ((rc = enrollment_company_json(db, &r->params.est, &out)) != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 200, out);
}

void
h_company_resume(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	json_t *out;
	enum rb_err rc;

	if (access_require(r, NEED_SIGNATORY, NULL, NULL) != RB_OK)
		return;
	if ((rc = db_begin(db)) != RB_OK ||
	    (rc = company_resume(db, &a, &r->params.est)) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK) {
		db_rollback(db);
		if (rc == RB_ECONFLICT)
			resp_error(r, 409, "not_suspended",
			    "the establishment has not suspended its use");
		else
			resp_rb_err(r, rc);
		return;
	}
	if ((rc = enrollment_company_json(db, &r->params.est, &out)) != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 200, out);
}

/* ---- the gate ----------------------------------------------------------- */

enum rb_err
enrollment_gate(struct req *r, const struct est_id *est)
{
	char ref[ENROLLMENT_REF_SZ], msg[200];
	enum rb_err rc;
	int block;

	if ((rc = enrollment_gate_load(&r->w->db, est, &block, ref)) != RB_OK) {
		resp_rb_err(r, rc);
		return rc;
	}
	if (block == COMPANY_SUSPENDED) {
		resp_error(r, 409, "establishment_suspended",
		    "the establishment has suspended its use: a signatory resumes it");
		return RB_ECONFLICT;
	}
	if (block == COMPANY_NOT_ENROLLED) {
		if (ref[0] != '\0')
			snprintf(msg, sizeof(msg), "the establishment's sector requires "
			    "enrollment: enrollment %s is not active yet", ref);
		else
			snprintf(msg, sizeof(msg), "the establishment's sector requires "
			    "enrollment: a signatory submits it at "
			    "/api/v1/companies/%s/enrollment", est->s);
		resp_error(r, 409, "establishment_not_enrolled", msg);
		return RB_ECONFLICT;
	}
	return RB_OK;
}

/* ---- the supervisors' side ---------------------------------------------- */

void
h_backoffice_enrollments(struct req *r)
{
	char status[16], q[128];
	int64_t limit, offset;
	json_t *page;
	int got, has_q;
	enum rb_err rc;

	if (req_paging(r, &limit, &offset) != RB_OK)
		return;
	if ((got = req_query_param(r, "status", status, sizeof(status))) < 0 ||
	    (got > 0 && strcmp(status, "submitted") != 0 &&
	    strcmp(status, "returned") != 0 && strcmp(status, "active") != 0)) {
		resp_error_field(r, 400, "invalid_field", "status",
		    "status is submitted, returned or active");
		return;
	}
	if ((has_q = req_query_param(r, "q", q, sizeof(q))) < 0 ||
	    (has_q > 0 && strlen(q) > 100)) {
		resp_error_field(r, 400, "invalid_field", "q",
		    "search text is up to 100 bytes");
		return;
	}
	has_q = has_q > 0 && q[0] != '\0';
	if ((rc = enrollment_list(&r->w->db, got > 0 ? status : NULL,
	    has_q ? q : NULL, limit, offset, &page)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	resp_json(r, 200, page);
}

void
h_backoffice_enrollment(struct req *r)
{
	json_t *out;
	enum rb_err rc;

	if ((rc = enrollment_get_json(&r->w->db, r->params.reference, &out)) != RB_OK)
		resp_rb_err(r, rc);
	else if (out == NULL)
		resp_error_field(r, 404, "unknown_enrollment", "reference",
		    "no enrollment has this reference");
	else
		resp_json(r, 200, out);
}

/* A document, opened in the browser: its sniffed type, inline. */
static void
document(struct req *r, const char *kind)
{
	char media[32], disp[128];
	uint8_t *data;
	size_t len;
	enum rb_err rc;

	rc = enrollment_document(&r->w->db, r->params.reference, kind, &data, &len,
	    media);
	if (rc == RB_ENOTFOUND) {
		resp_error(r, 404, "unknown_document", "no such document");
		return;
	}
	if (rc != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	snprintf(disp, sizeof(disp), "inline; filename=\"%s-%s.%s\"",
	    r->params.reference, kind, strcmp(media, MEDIA_PDF) == 0 ? "pdf" :
	    strcmp(media, MEDIA_PNG) == 0 ? "png" : "jpg");
	resp_raw(r, 200, media, disp, (const char *)data, len);
	free(data);
}

void
h_backoffice_enrollment_license(struct req *r)
{
	document(r, "license");
}

void
h_backoffice_enrollment_owner_id(struct req *r)
{
	document(r, "owner_id");
}

void
h_backoffice_enrollment_authority_letter(struct req *r)
{
	document(r, "authority_letter");
}

/* Loads and checks the enrollment a supervisor decides; responds and
 * returns non-OK (the transaction rolled back) when they may not. */
static enum rb_err
review_begin(struct req *r, struct enrollment_review *v)
{
	struct db *db = &r->w->db;
	enum rb_err rc;

	if ((rc = db_begin(db)) != RB_OK ||
	    (rc = enrollment_review_load(db, r->params.reference,
	    r->sess.has_qid ? &r->sess.qid : NULL, v)) != RB_OK) {
		db_rollback(db);
		resp_rb_err(r, rc);
		return rc;
	}
	rc = RB_EFORBIDDEN;
	if (!v->exists)
		resp_error_field(r, 404, "unknown_enrollment", "reference",
		    "no enrollment has this reference");
	/* Separation of duties, as for subscriptions: nobody decides the
	 * enrollment of a company they sign for or work at, or one they
	 * submitted. */
	else if (v->reviewer_signs || v->reviewer_employed)
		resp_error(r, 403, "own_company",
		    "a supervisor does not decide the enrollment of a company they "
		    "sign for or work at");
	else if (strcmp(v->submitted_by, r->sess.username) == 0)
		resp_error(r, 403, "own_submission",
		    "a supervisor does not decide an enrollment they submitted");
	else if (strcmp(v->status, "submitted") != 0) {
		resp_error(r, 409, "not_submitted", strcmp(v->status, "active") == 0 ?
		    "the enrollment is active already" :
		    "the enrollment was returned: the company corrects it first");
		rc = RB_ECONFLICT;
	} else
		return RB_OK;
	db_rollback(db);
	return rc;
}

/* The host the request came by, for the letter's verification address. */
static void
verify_site(struct req *r, const char *code, char *out, size_t sz)
{
	const char *host = FCGX_GetParam("HTTP_HOST", r->fcgx->envp);

	if (host == NULL || !text_ok(host, 1, 200, 0) || strchr(host, '/') != NULL)
		host = "residency.moi.gov.qa";
	snprintf(out, sz, "https://%s/#/verify?code=%s", host, code);
}

void
h_backoffice_enrollment_activate(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct enrollment_letter_facts f;
	struct enrollment_review v;
	struct activation_letter l;
	struct db *db = &r->w->db;
	char code[24], site[300];
	uint8_t *pdf = NULL;
	size_t len;
	json_t *out;
	enum rb_err rc;

	if (r->body_len > 0 && !(r->body_len == 2 && memcmp(r->body, "{}", 2) == 0)) {
		resp_error(r, 400, "unexpected_body", "an activation has no fields");
		return;
	}
	if (review_begin(r, &v) != RB_OK)
		return;
	if ((rc = enrollment_letter_facts_load(db, r->params.reference, &f)) != RB_OK ||
	    (rc = statement_new_code(code)) != RB_OK)
		goto fail;
	/* The letter is rendered once, here, and kept: what the company
	 * downloads later and what the verification hashes are these bytes. */
	verify_site(r, code, site, sizeof(site));
	memset(&l, 0, sizeof(l));
	l.lang = f.lang;
	l.reference = r->params.reference;
	l.est_id = f.est_id;
	l.name_ar = f.name_ar;
	l.name_en = f.name_en;
	l.sector_ar = f.sector_ar;
	l.sector_en = f.sector_en;
	l.licensing_authority = f.authority;
	l.license_number = f.license_number;
	l.license_expiry = f.license_expiry;
	l.region = f.region;
	l.main_user_ar = f.main_user_ar;
	l.main_user_en = f.main_user_en;
	l.main_user_mobile = f.mobile;
	l.code = code;
	l.site = site;
	l.issued = date_of_instant_qatar(a.now);
	if ((rc = activation_letter_pdf(&l, &pdf, &len)) != RB_OK ||
	    (rc = enrollment_activate(db, &a, r->params.reference, &f, pdf, len,
	    code)) != RB_OK || (rc = db_commit(db)) != RB_OK)
		goto fail;
	free(pdf);
	if ((rc = enrollment_get_json(db, r->params.reference, &out)) != RB_OK ||
	    out == NULL) {
		resp_rb_err(r, rc != RB_OK ? rc : RB_EINTERNAL);
		return;
	}
	json_object_set_new(out, "letter_code", json_string(code));
	resp_json(r, 200, out);
	return;
fail:
	free(pdf);
	db_rollback(db);
	resp_rb_err(r, rc);
}

void
h_backoffice_enrollment_return(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct enrollment_review v;
	struct field_errors fe;
	struct db *db = &r->w->db;
	const char *key, *note;
	json_t *body, *x, *inacc, *out;
	enum rb_err rc;

	if ((body = req_json_body(r)) == NULL)
		return;
	field_errors_init(&fe);
	json_object_foreach(body, key, x)
		if (strcmp(key, "note") != 0 && strcmp(key, "inaccurate") != 0)
			field_error_add(&fe, text_ok(key, 1, 64, 0) ? key : "body",
			    "unknown_field", "unknown field");
	note = json_string_value(json_object_get(body, "note"));
	if (note == NULL || !text_ok(note, 1, RETURN_NOTE_MAX, 1))
		field_error_add(&fe, "note", json_object_get(body, "note") ?
		    "invalid_field" : "required",
		    "a return says what to fix, in 1 to 2000 characters");
	inacc = json_object_get(body, "inaccurate");
	if (inacc != NULL && !json_is_boolean(inacc))
		field_error_add(&fe, "inaccurate", "invalid_field",
		    "inaccurate is true or false");
	if (resp_error_fields(r, &fe) != RB_OK) {
		json_decref(body);
		return;
	}
	if (review_begin(r, &v) != RB_OK) {
		json_decref(body);
		return;
	}
	if ((rc = enrollment_return(db, &a, r->params.reference, &v.est, note,
	    json_is_true(inacc))) != RB_OK || (rc = db_commit(db)) != RB_OK) {
		db_rollback(db);
		resp_rb_err(r, rc);
		json_decref(body);
		return;
	}
	json_decref(body);
	if ((rc = enrollment_get_json(db, r->params.reference, &out)) != RB_OK ||
	    out == NULL)
		resp_rb_err(r, rc != RB_OK ? rc : RB_EINTERNAL);
	else
		resp_json(r, 200, out);
}
