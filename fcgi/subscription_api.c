/*
 * Automatic renewal subscriptions (SPEC §4 "Subscription"), both sides of
 * one rule set (domain/subscription_rules.h): the company's,
 * POST /companies/{est_id}/renewal/subscription and GET and PATCH
 * /companies/{est_id}/renewal; and the reviewers', GET
 * /backoffice/subscriptions and POST .../{reference}/approve and /reject.
 * The reviewers' company search is in backoffice_api.c.
 */
#include <stdio.h>
#include <string.h>

#include "domain/contact.h"
#include "domain/reference.h"
#include "domain/subscription_rules.h"
#include "fcgi/access.h"
#include "fcgi/enrollment_gate.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "lib/text.h"
#include "store/renewal_contact.h"
#include "store/subscription_store.h"

/* The most one execution may debit: 100 million QAR is beyond any company. */
#define CAP_MAX_DIRHAMS	10000000000LL

/* Renewal settings as sent; a field is present when its has_ flag is set. */
struct renewal_input {
	int				has_iban, has_auth;
	struct iban			iban;
	struct qid			authorizing;
	struct subscription_settings	set;
};

/* Responds 400 for field; returns RB_EINVAL, as a helper that responded. */
static enum rb_err
bad(struct req *r, const char *field, const char *msg)
{
	resp_error_field(r, 400, "invalid_field", field, msg);
	return RB_EINVAL;
}

/* The fields of a subscription, all required when subscribing. */
static const char *const renewal_fields[] = { "iban", "authorizing_qid", "email",
    "mobile", "language", "delivery_address", "cap_dirhams", "duration_years", NULL };

/* A malformed field. */
static void
invalid(struct field_errors *fe, const char *field, const char *msg)
{
	field_error_add(fe, field, "invalid_field", msg);
}

/* The debit account and who authorizes it. */
static void
parse_mandate(json_t *body, struct renewal_input *in, struct field_errors *fe)
{
	const char *s;
	json_t *v;

	if ((v = json_object_get(body, "iban")) != NULL) {
		s = json_string_value(v);
		if (s == NULL || strncmp(s, "QA", 2) != 0)
			invalid(fe, "iban", "the debit account must be a Qatari IBAN (QA...)");
		else if (iban_parse(s, &in->iban) != RB_OK)
			invalid(fe, "iban", "not a valid IBAN: QA, 2 check digits, "
			    "4-letter bank code, 21 letters or digits, passing mod-97");
		else
			in->has_iban = 1;
	}
	if ((v = json_object_get(body, "authorizing_qid")) != NULL) {
		if (qid_parse(json_string_value(v), &in->authorizing) != RB_OK)
			invalid(fe, "authorizing_qid", "a QID is 11 digits starting with 2 or 3");
		else
			in->has_auth = 1;
	}
}

/* Where statements and messages go. */
static void
parse_contact(json_t *body, struct subscription_settings *set, struct field_errors *fe)
{
	const char *s;
	json_t *v;

	if ((v = json_object_get(body, "email")) != NULL) {
		if ((s = json_string_value(v)) == NULL || !email_deliverable(s))
			invalid(fe, "email", "not an email address");
		else {
			snprintf(set->email, sizeof(set->email), "%s", s);
			set->has_email = 1;
		}
	}
	/* Stored as E.164: a local Qatari mobile gets its +974 here, once. */
	if ((v = json_object_get(body, "mobile")) != NULL) {
		if (mobile_normalize(json_string_value(v), set->mobile) != RB_OK)
			invalid(fe, "mobile", "a mobile number is + and 8 to 15 digits,"
			    " or a Qatari mobile of 8 digits");
		else
			set->has_mobile = 1;
	}
	if ((v = json_object_get(body, "language")) != NULL) {
		s = json_string_value(v);
		/* Statements are written in each of the six languages (their
		 * report.* keys are in every catalogue: issue 16 §3). */
		if (s == NULL || lang_parse(s, &set->lang) != RB_OK)
			invalid(fe, "language", "the statement language is one of ar, en, fr, ur, ml, es");
		else
			set->has_lang = 1;
	}
	if ((v = json_object_get(body, "delivery_address")) != NULL) {
		if ((s = json_string_value(v)) == NULL || !text_ok(s, 1, 500, 1))
			invalid(fe, "delivery_address", "1 to 500 characters");
		else {
			snprintf(set->address, sizeof(set->address), "%s", s);
			set->has_address = 1;
		}
	}
}

/* The cap, the duration and the switch. */
static void
parse_terms(json_t *body, struct subscription_settings *set, struct field_errors *fe)
{
	json_t *v;

	if ((v = json_object_get(body, "cap_dirhams")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > CAP_MAX_DIRHAMS)
			invalid(fe, "cap_dirhams", "the cap is a whole number of dirhams"
			    " from 1 to 10000000000");
		else {
			set->cap_dirhams = json_integer_value(v);
			set->has_cap = 1;
		}
	}
	if ((v = json_object_get(body, "duration_years")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 3)
			invalid(fe, "duration_years", "the duration is 1, 2 or 3 years");
		else {
			set->duration_years = (int)json_integer_value(v);
			set->has_duration = 1;
		}
	}
	if ((v = json_object_get(body, "enabled")) != NULL) {
		if (!json_is_boolean(v))
			invalid(fe, "enabled", "enabled is true or false");
		else {
			set->enabled = json_is_true(v);
			set->has_enabled = 1;
		}
	}
}

/*
 * Checks every field at the edge, all of them before answering: RB_OK, or
 * it has responded 400 with every bad field (error.fields). required:
 * every subscription field must be present (POST; a PATCH sends some).
 */
static enum rb_err
parse_renewal_input(struct req *r, json_t *body, int required, struct renewal_input *in)
{
	struct field_errors fe;
	const char *key;
	json_t *v;
	size_t i;

	memset(in, 0, sizeof(*in));
	field_errors_init(&fe);
	/* In the order the first fault was answered before the list existed:
	 * error.field stays what it was. */
	json_object_foreach(body, key, v) {
		for (i = 0; renewal_fields[i] != NULL && strcmp(renewal_fields[i], key) != 0; i++)
			;
		if (renewal_fields[i] == NULL && strcmp(key, "enabled") != 0)
			field_error_add(&fe, key, "unknown_field", "unknown field");
	}
	parse_mandate(body, in, &fe);
	parse_contact(body, &in->set, &fe);
	parse_terms(body, &in->set, &fe);
	for (i = 0; required && renewal_fields[i] != NULL; i++)
		if (json_object_get(body, renewal_fields[i]) == NULL)
			field_error_add(&fe, renewal_fields[i], "required", "required");
	return resp_error_fields(r, &fe);
}

/* Answers a refusal of the rules; cur_status and reference fill its message. */
static void
refuse(struct req *r, enum subscription_refusal why, const char *cur_status,
    const char *reference)
{
	const struct subscription_answer *a = subscription_refusal_answer(why);
	char msg[192];

	subscription_refusal_message(why, cur_status, reference, msg, sizeof(msg));
	resp_error_field(r, a->http_status, a->code, a->field, msg);
}

/* Answers status with the settings as they are now, after the commit. */
static void
respond_view(struct req *r, int status)
{
	json_t *view;
	enum rb_err rc;

	if ((rc = subscription_view(&r->w->db, &r->params.est, &view)) == RB_OK &&
	    view == NULL)
		rc = RB_EINTERNAL;
	if (rc != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, status, view);
}

void
h_renewal_subscribe(struct req *r)
{
	struct renewal_input in;
	struct subscription_facts f;
	struct subscription_mandate_facts m;
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	const struct est_id *est = &r->params.est;
	enum subscription_refusal why;
	char reference[REFERENCE_LEN + 1];
	json_t *body = NULL;
	enum rb_err rc;

	if (access_require(r, NEED_SIGNATORY, NULL, NULL) != RB_OK)
		return;
	if ((body = req_json_body(r)) == NULL || parse_renewal_input(r, body, 1, &in) != RB_OK)
		goto out;
	if ((rc = db_begin(db)) != RB_OK || (rc = subscription_lock_company(db, est)) != RB_OK)
		goto fail;
	/* Not before it is enrolled, nor while it suspends itself (issue 15). */
	if (enrollment_gate(r, est) != RB_OK) {
		db_rollback(db);
		goto out;
	}
	if ((rc = subscription_mandate_load(db, est, &in.iban, &in.authorizing, &m)) != RB_OK ||
	    (rc = subscription_facts_load(db, est, &f, NULL)) != RB_OK)
		goto fail;
	if ((why = subscription_decide_subscribe(&f, &m)) != SUBSCRIPTION_OK) {
		db_rollback(db);
		refuse(r, why, subscription_status_name(f.status), f.reference);
		goto out;
	}
	if ((rc = subscription_subscribe(db, &a, est, &in.iban, &in.authorizing, &in.set,
	    body, reference)) != RB_OK || (rc = db_commit(db)) != RB_OK)
		goto fail;
	respond_view(r, 201);
	goto out;
fail:
	db_rollback(db);
	resp_rb_err(r, rc);
out:
	json_decref(body);
}

void
h_renewal_get(struct req *r)
{
	json_t *view;
	enum rb_err rc;

	if (access_require(r, NEED_SERVICE_OR_REVIEWER, "RENEWAL_MANAGE", NULL) != RB_OK)
		return;
	if ((rc = subscription_view(&r->w->db, &r->params.est, &view)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	if (view == NULL) {
		refuse(r, SUBSCRIPTION_NEVER_SUBSCRIBED, NULL, NULL);
		return;
	}
	resp_json(r, 200, view);
}

/* Adds "field": {old, new} to changes when a present field differs. */
static void
diff(json_t *changes, json_t *old, const char *field, json_t *new_value)
{
	json_t *o = json_object_get(old, field);

	if (!json_equal(o, new_value))
		json_object_set_new(changes, field, json_pack("{s:O, s:O}", "old",
		    o ? o : json_null(), "new", new_value));
	json_decref(new_value);
}

/* What a PATCH changes in the settings shown in old, for the audit trail. */
static void
settings_diff(json_t *changes, json_t *old, const struct subscription_settings *s)
{
	if (s->has_enabled)
		diff(changes, old, "enabled", json_boolean(s->enabled));
	if (s->has_cap)
		diff(changes, old, "cap_dirhams", json_integer(s->cap_dirhams));
	if (s->has_duration)
		diff(changes, old, "duration_years", json_integer(s->duration_years));
	if (s->has_email)
		diff(changes, old, "email", json_string(s->email));
	if (s->has_mobile)
		diff(changes, old, "mobile", json_string(s->mobile));
	if (s->has_lang)
		diff(changes, old, "language", json_string(s->lang.s));
	if (s->has_address)
		diff(changes, old, "delivery_address", json_string(s->address));
}

void
h_renewal_patch(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	const struct est_id *est = &r->params.est;
	struct company_access ca;
	struct renewal_input in;
	struct subscription_change c;
	struct subscription cur;
	struct subscription_facts f;
	struct subscription_mandate_facts m = { 0, 0 };
	enum subscription_refusal why;
	char reference[REFERENCE_LEN + 1];
	json_t *body = NULL, *old = NULL, *changes = NULL;
	enum rb_err rc;

	if (access_require(r, NEED_SERVICE, "RENEWAL_MANAGE", &ca) != RB_OK)
		return;
	if ((body = req_json_body(r)) == NULL || parse_renewal_input(r, body, 0, &in) != RB_OK)
		goto out;
	c.mandate = in.has_iban || in.has_auth;
	c.by_signatory = ca.signatory;
	if ((rc = db_begin(db)) != RB_OK || (rc = subscription_lock_company(db, est)) != RB_OK)
		goto fail;
	/* Nothing changes while the company is not enrolled or suspends its
	 * own use (issue 15): a change can make a new mandate, turn renewal
	 * back on, or raise the cap, each as much a use of the e-service as
	 * subscribing. */
	if (enrollment_gate(r, est) != RB_OK) {
		db_rollback(db);
		goto out;
	}
	if ((rc = subscription_view(db, est, &old)) != RB_OK ||
	    (rc = subscription_facts_load(db, est, &f, &cur)) != RB_OK)
		goto fail;
	/* A new mandate keeps what it does not change of the current one. */
	if (!in.has_iban)
		in.iban = cur.iban;
	if (!in.has_auth)
		in.authorizing = cur.authorizing;
	if (c.mandate && f.has_current &&
	    (rc = subscription_mandate_load(db, est, &in.iban, &in.authorizing, &m)) != RB_OK)
		goto fail;
	c.contact = renewal_contact_changes(old, &in.set);
	if ((why = subscription_decide_change(&f, &c, &m)) != SUBSCRIPTION_OK) {
		db_rollback(db);
		refuse(r, why, subscription_status_name(f.status), f.reference);
		goto out;
	}
	changes = json_object();
	if (c.mandate) {
		if ((rc = subscription_insert_pending(db, &a, est, &in.iban, &in.authorizing,
		    reference)) != RB_OK)
			goto fail;
		json_object_set_new(changes, "mandate", json_pack("{s:s, s:s, s:s}",
		    "reference", reference, "iban", in.iban.s,
		    "authorizing_qid", in.authorizing.s));
	}
	settings_diff(changes, old, &in.set);
	if ((rc = subscription_settings_change(db, &a, est, &in.set, changes)) != RB_OK ||
	    (rc = renewal_contact_notify(db, &a, est, old, &in.set)) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK)
		goto fail;
	respond_view(r, 200);
	goto out;
fail:
	db_rollback(db);
	resp_rb_err(r, rc);
out:
	json_decref(changes);
	json_decref(old);
	json_decref(body);
}

void
h_backoffice_subscriptions(struct req *r)
{
	enum subscription_status status = SUBSCRIPTION_PENDING;
	char status_s[16], q[128];
	int64_t limit, offset;
	json_t *page;
	enum rb_err rc;
	int got, has_q;

	if (req_paging(r, &limit, &offset) != RB_OK)
		return;
	if ((got = req_query_param(r, "status", status_s, sizeof(status_s))) < 0 ||
	    (got > 0 && subscription_status_parse(status_s, &status) != RB_OK)) {
		resp_error_field(r, 400, "invalid_field", "status",
		    "status is pending, active, rejected or replaced");
		return;
	}
	if ((has_q = req_query_param(r, "q", q, sizeof(q))) < 0) {
		resp_error_field(r, 400, "invalid_field", "q", "search text is up to 120 bytes");
		return;
	}
	has_q = has_q > 0 && q[0] != '\0';
	if ((rc = subscription_store_list(&r->w->db, status, has_q ? q : NULL, limit, offset,
	    &page)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	resp_json(r, 200, page);
}

/* The note of a review, copied out of its body. */
struct review_note {
	int	has;
	char	s[4001];	/* 1000 characters of up to 4 bytes */
};

/* The body of a review: {"note"} only; a rejection must say why.
 * Responds when refused. */
static enum rb_err
parse_review(struct req *r, json_t *body, int approve, struct review_note *n)
{
	const char *key, *note;
	json_t *v, *x;

	v = json_object_get(body, "note");
	note = json_string_value(v);
	json_object_foreach(body, key, x)
		if (strcmp(key, "note") != 0)
			return bad(r, key, "unknown field");
	if ((v != NULL && note == NULL) || (note != NULL && !text_ok(note, 0, 1000, 1)) ||
	    (!approve && (note == NULL || *note == '\0')))
		return bad(r, "note", approve ? "the note is up to 1000 characters" :
		    "a rejection needs a note of 1 to 1000 characters");
	n->has = note != NULL;
	snprintf(n->s, sizeof(n->s), "%s", n->has ? note : "");
	return RB_OK;
}

/* Approve (approve = 1) or reject a pending subscription. */
static void
review(struct req *r, int approve)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct subscription_review_facts f;
	struct subscription_review_outcome o;
	struct review_note n;
	struct db *db = &r->w->db;
	struct est_id est;
	enum subscription_refusal why;
	const char *note;
	json_t *body = NULL;
	enum rb_err rc;

	if (r->body_len > 0 && (body = req_json_body(r)) == NULL)
		return;
	/* The note is all a review needs of its body: nothing to free later. */
	rc = parse_review(r, body, approve, &n);
	json_decref(body);
	if (rc != RB_OK)
		return;
	note = n.has ? n.s : NULL;
	if ((rc = db_begin(db)) != RB_OK ||
	    (rc = subscription_review_load(db, r->params.reference,
	    r->sess.has_qid ? &r->sess.qid : NULL, &f, &est)) != RB_OK)
		goto fail;
	if ((why = subscription_decide_review(&f, r->sess.username, approve, &o)) !=
	    SUBSCRIPTION_OK) {
		db_rollback(db);
		refuse(r, why, subscription_status_name(f.status), r->params.reference);
		return;
	}
	/* Approving activates the mandate: not for a company that is not
	 * enrolled or suspends its own use since it asked (issue 15); a
	 * rejection always goes through. */
	if (approve && enrollment_gate(r, &est) != RB_OK) {
		db_rollback(db);
		return;
	}
	if ((rc = subscription_review_write(db, &a, r->params.reference, &est, &o,
	    note)) != RB_OK || (rc = db_commit(db)) != RB_OK)
		goto fail;
	resp_json(r, 200, json_pack("{s:s, s:s, s:s, s:s?}", "reference",
	    r->params.reference, "est_id", est.s,
	    "status", subscription_status_name(o.new_status), "review_note", note));
	return;
fail:
	db_rollback(db);
	resp_rb_err(r, rc);
}

void
h_backoffice_approve(struct req *r)
{
	review(r, 1);
}

void
h_backoffice_reject(struct req *r)
{
	review(r, 0);
}
