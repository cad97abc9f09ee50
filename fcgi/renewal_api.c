/*
 * Automatic renewal, the company's side (SPEC §4 "Subscription"):
 * POST /companies/{est_id}/renewal/subscription, GET and PATCH
 * /companies/{est_id}/renewal. The reviewer's side is in backoffice_api.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/contact.h"
#include "domain/reference.h"
#include "fcgi/access.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "lib/text.h"
#include "lib/xalloc.h"
#include "store/audit.h"

/* The most one execution may debit: 100 million QAR is beyond any company. */
#define CAP_MAX_DIRHAMS	10000000000LL

/* Renewal settings as sent; a field is present when its has_ flag is set. */
struct renewal_input {
	int		has_iban, has_auth, has_email, has_mobile, has_lang,
			has_address, has_cap, has_duration, has_enabled;
	struct iban	iban;
	struct qid	authorizing;
	char		email[255];
	char		mobile[17];
	struct lang	lang;
	char		address[2001];	/* 500 characters of up to 4 bytes */
	int64_t		cap;
	int		duration;
	int		enabled;
};

static int
bad(struct req *r, const char *field, const char *msg)
{
	resp_error_field(r, 400, "invalid_field", field, msg);
	return -1;
}

/* Checks every present field at the edge; responds and returns -1 on the first bad one. */
static int
parse_renewal_input(struct req *r, json_t *body, struct renewal_input *in)
{
	static const char *const known[] = { "iban", "authorizing_qid", "email",
	    "mobile", "language", "delivery_address", "cap_dirhams",
	    "duration_years", "enabled", NULL };
	const char *key, *s;
	json_t *v;
	size_t i;

	memset(in, 0, sizeof(*in));
	json_object_foreach(body, key, v) {
		for (i = 0; known[i] != NULL && strcmp(known[i], key) != 0; i++)
			;
		if (known[i] == NULL)
			return bad(r, key, "unknown field");
	}
	if ((v = json_object_get(body, "iban")) != NULL) {
		s = json_string_value(v);
		if (s == NULL || strncmp(s, "QA", 2) != 0)
			return bad(r, "iban", "the debit account must be a Qatari IBAN (QA...)");
		if (iban_parse(s, &in->iban) != RB_OK)
			return bad(r, "iban", "not a valid IBAN: QA, 2 check digits, "
			    "4-letter bank code, 21 letters or digits, passing mod-97");
		in->has_iban = 1;
	}
	if ((v = json_object_get(body, "authorizing_qid")) != NULL) {
		if (qid_parse(json_string_value(v), &in->authorizing) != RB_OK)
			return bad(r, "authorizing_qid", "a QID is 11 digits starting with 2 or 3");
		in->has_auth = 1;
	}
	if ((v = json_object_get(body, "email")) != NULL) {
		if ((s = json_string_value(v)) == NULL || !email_deliverable(s))
			return bad(r, "email", "not an email address");
		snprintf(in->email, sizeof(in->email), "%s", s);
		in->has_email = 1;
	}
	if ((v = json_object_get(body, "mobile")) != NULL) {
		if ((s = json_string_value(v)) == NULL || !mobile_ok(s))
			return bad(r, "mobile", "a mobile number is + and 8 to 15 digits");
		snprintf(in->mobile, sizeof(in->mobile), "%s", s);
		in->has_mobile = 1;
	}
	if ((v = json_object_get(body, "language")) != NULL) {
		s = json_string_value(v);
		/* Statements exist in these languages; more come with catalogues. */
		if (s == NULL || (strcmp(s, "ar") != 0 && strcmp(s, "en") != 0) ||
		    lang_parse(s, &in->lang) != RB_OK)
			return bad(r, "language", "the statement language is ar or en");
		in->has_lang = 1;
	}
	if ((v = json_object_get(body, "delivery_address")) != NULL) {
		if ((s = json_string_value(v)) == NULL || !text_ok(s, 1, 500, 1))
			return bad(r, "delivery_address", "1 to 500 characters");
		snprintf(in->address, sizeof(in->address), "%s", s);
		in->has_address = 1;
	}
	if ((v = json_object_get(body, "cap_dirhams")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > CAP_MAX_DIRHAMS)
			return bad(r, "cap_dirhams", "the cap is a whole number of dirhams"
			    " from 1 to 10000000000");
		in->cap = json_integer_value(v);
		in->has_cap = 1;
	}
	if ((v = json_object_get(body, "duration_years")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 3)
			return bad(r, "duration_years", "the duration is 1, 2 or 3 years");
		in->duration = (int)json_integer_value(v);
		in->has_duration = 1;
	}
	if ((v = json_object_get(body, "enabled")) != NULL) {
		if (!json_is_boolean(v))
			return bad(r, "enabled", "enabled is true or false");
		in->enabled = json_is_true(v);
		in->has_enabled = 1;
	}
	return 0;
}

/*
 * The mandate checks that need the database: the account is this
 * company's at the bank, and the authorizing person signs for it.
 * Responds and returns -1 when refused.
 */
static int
check_mandate(struct req *r, const struct iban *iban, const struct qid *auth,
    enum rb_err *rc)
{
	const char *p[3] = { r->params.est.s, iban->s, auth->s };
	PGresult *res = NULL;
	int ok_account, ok_signatory;

	*rc = db_exec(&r->w->db, &res,
	    "SELECT EXISTS (SELECT 1 FROM bank_accounts WHERE iban = $2 AND est_id = $1),"
	    " EXISTS (SELECT 1 FROM signatories s JOIN persons p ON p.qid = s.qid"
	    "         WHERE s.qid = $3 AND s.est_id = $1 AND s.ended_on IS NULL"
	    "         AND p.status = 'active')", 3, p);
	if (*rc != RB_OK)
		return -1;
	ok_account = PQgetvalue(res, 0, 0)[0] == 't';
	ok_signatory = PQgetvalue(res, 0, 1)[0] == 't';
	PQclear(res);
	if (!ok_account) {
		resp_error_field(r, 400, "account_not_company", "iban",
		    "the bank holds no account with this IBAN for this company");
		return -1;
	}
	if (!ok_signatory) {
		resp_error_field(r, 400, "not_signatory", "authorizing_qid",
		    "the person authorizing debits must be an active signatory of the company");
		return -1;
	}
	return 0;
}

/* Serializes mandate changes of one company for the transaction. */
static enum rb_err
lock_company(struct db *db, const struct est_id *est)
{
	const char *p[1] = { est->s };

	return db_exec(db, NULL, "SELECT pg_advisory_xact_lock(7002, hashtext($1))", 1, p);
}

/* Inserts a pending subscription with a fresh reference. */
static enum rb_err
insert_pending(struct req *r, const struct iban *iban, const struct qid *auth,
    int64_t now, char reference[REFERENCE_LEN + 1])
{
	char now_s[24];
	const char *p[6];
	PGresult *res = NULL;
	enum rb_err rc;
	int tries;

	snprintf(now_s, sizeof(now_s), "%lld", (long long)now);
	for (tries = 0; tries < 5; tries++) {
		if ((rc = reference_new(reference)) != RB_OK)
			return rc;
		p[0] = r->params.est.s;
		p[1] = reference;
		p[2] = iban->s;
		p[3] = auth->s;
		p[4] = r->sess.username;
		p[5] = now_s;
		rc = db_exec(&r->w->db, &res,
		    "INSERT INTO renewal_subscriptions (est_id, reference, status, iban,"
		    " authorizing_qid, submitted_by, submitted_at)"
		    " VALUES ($1, $2, 'pending', $3, $4, $5, to_timestamp($6::bigint))"
		    " ON CONFLICT (reference) DO NOTHING RETURNING id", 6, p);
		if (rc != RB_OK)
			return rc;
		tries = PQntuples(res) == 1 ? 100 : tries;
		PQclear(res);
		if (tries == 100)
			return RB_OK;
	}
	return RB_EINTERNAL;
}

static const char view_sql[] =
	"WITH cur AS ("
	"  SELECT * FROM renewal_subscriptions WHERE est_id = $1"
	"  ORDER BY (status = 'active') DESC, id DESC LIMIT 1),"
	" pend AS ("
	"  SELECT * FROM renewal_subscriptions WHERE est_id = $1 AND status = 'pending'),"
	" rej AS ("
	"  SELECT r.* FROM renewal_subscriptions r, cur WHERE r.est_id = $1"
	"  AND r.status = 'rejected' AND cur.status = 'active' AND r.id > cur.id"
	"  ORDER BY r.id DESC LIMIT 1)"
	" SELECT cur.status, cur.reference, cur.review_note, cur.iban, cur.authorizing_qid,"
	"  s.email, s.mobile, s.language, s.delivery_address, s.cap_dirhams,"
	"  s.duration_years, s.enabled,"
	"  CASE WHEN cur.status = 'active' THEN pend.reference END,"
	"  CASE WHEN cur.status = 'active' THEN pend.iban END,"
	"  CASE WHEN cur.status = 'active' THEN pend.authorizing_qid END,"
	"  to_char(cur.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	"  to_char(cur.reviewed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	"  rej.reference, rej.iban, rej.review_note"
	" FROM cur JOIN renewal_settings s ON s.est_id = cur.est_id"
	" LEFT JOIN pend ON true LEFT JOIN rej ON true";

/* The company's renewal settings as the API shows them; NULL when never subscribed. */
static enum rb_err
renewal_view(struct req *r, json_t **out)
{
	const char *p[1] = { r->params.est.s };
	PGresult *res = NULL;
	enum rb_err rc;

	*out = NULL;
	if ((rc = db_exec(&r->w->db, &res, view_sql, 1, p)) != RB_OK)
		return rc;
	if (PQntuples(res) == 1) {
#define V(c) (PQgetisnull(res, 0, c) ? NULL : PQgetvalue(res, 0, c))
		*out = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:s, s:s,"
		    " s:I, s:i, s:b, s:s, s:s?}",
		    "est_id", r->params.est.s, "status", V(0), "reference", V(1),
		    "review_note", V(2), "iban", V(3), "authorizing_qid", V(4),
		    "email", V(5), "mobile", V(6), "language", V(7),
		    "delivery_address", V(8),
		    "cap_dirhams", (json_int_t)strtoll(PQgetvalue(res, 0, 9), NULL, 10),
		    "duration_years", atoi(PQgetvalue(res, 0, 10)),
		    "enabled", PQgetvalue(res, 0, 11)[0] == 't',
		    "submitted_at", V(15), "reviewed_at", V(16));
		json_object_set_new(*out, "pending_change", V(12) == NULL ? json_null() :
		    json_pack("{s:s, s:s, s:s}", "reference", V(12), "iban", V(13),
		    "authorizing_qid", V(14)));
		/* A debit-account change the reviewer refused, until the next one. */
		json_object_set_new(*out, "rejected_change", V(17) == NULL ? json_null() :
		    json_pack("{s:s, s:s, s:s?}", "reference", V(17), "iban", V(18),
		    "review_note", V(19)));
#undef V
	}
	PQclear(res);
	return RB_OK;
}

void
h_renewal_subscribe(struct req *r)
{
	static const char *const required[] = { "iban", "authorizing_qid", "email",
	    "mobile", "language", "delivery_address", "cap_dirhams", "duration_years",
	    NULL };
	struct renewal_input in;
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	char reference[REFERENCE_LEN + 1], now_s[24], cap_s[24], dur_s[4], target[40];
	const char *p[10];
	PGresult *res = NULL;
	json_t *body = NULL, *view = NULL, *detail = NULL;
	enum rb_err rc;
	size_t i;

	if (access_require(r, NEED_SIGNATORY, NULL, NULL) != RB_OK)
		return;
	if ((body = req_json_body(r)) == NULL || parse_renewal_input(r, body, &in) < 0)
		goto out;
	for (i = 0; required[i] != NULL; i++)
		if (json_object_get(body, required[i]) == NULL) {
			bad(r, required[i], "required");
			goto out;
		}
	if ((rc = db_begin(db)) != RB_OK || (rc = lock_company(db, &r->params.est)) != RB_OK)
		goto fail;
	if (check_mandate(r, &in.iban, &in.authorizing, &rc) < 0) {
		if (rc != RB_OK)
			goto fail;
		db_rollback(db);
		goto out;
	}
	p[0] = r->params.est.s;
	if ((rc = db_exec(db, &res, "SELECT status, reference FROM renewal_subscriptions"
	    " WHERE est_id = $1 AND status IN ('pending', 'active')", 1, p)) != RB_OK)
		goto fail;
	if (PQntuples(res) > 0) {
		char msg[128];

		snprintf(msg, sizeof(msg), "the company already has a %s subscription (%s)",
		    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
		PQclear(res);
		db_rollback(db);
		resp_error(r, 409, "already_subscribed", msg);
		goto out;
	}
	PQclear(res);
	if ((rc = insert_pending(r, &in.iban, &in.authorizing, a.now, reference)) != RB_OK)
		goto fail;
	snprintf(now_s, sizeof(now_s), "%lld", (long long)a.now);
	snprintf(cap_s, sizeof(cap_s), "%lld", (long long)in.cap);
	snprintf(dur_s, sizeof(dur_s), "%d", in.duration);
	p[1] = in.has_enabled && !in.enabled ? "false" : "true";
	p[2] = cap_s;
	p[3] = dur_s;
	p[4] = in.email;
	p[5] = in.mobile;
	p[6] = in.lang.s;
	p[7] = in.address;
	p[8] = now_s;
	/* A company subscribing again after a rejection starts from what it sends now. */
	if ((rc = db_exec(db, NULL,
	    "INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years,"
	    " email, mobile, language, delivery_address, updated_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, to_timestamp($9::bigint))"
	    " ON CONFLICT (est_id) DO UPDATE SET enabled = EXCLUDED.enabled,"
	    " cap_dirhams = EXCLUDED.cap_dirhams, duration_years = EXCLUDED.duration_years,"
	    " email = EXCLUDED.email, mobile = EXCLUDED.mobile, language = EXCLUDED.language,"
	    " delivery_address = EXCLUDED.delivery_address, updated_at = EXCLUDED.updated_at",
	    9, p)) != RB_OK)
		goto fail;
	snprintf(target, sizeof(target), "renewal:%s", r->params.est.s);
	json_object_set_new(body, "reference", json_string(reference));
	detail = json_deep_copy(body);
	if ((rc = audit_append(db, &a, "renewal.subscribe", target, detail)) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK)
		goto fail;
	if ((rc = renewal_view(r, &view)) != RB_OK || view == NULL) {
		resp_rb_err(r, rc == RB_OK ? RB_EINTERNAL : rc);
		goto out;
	}
	resp_json(r, 201, view);
	goto out;
fail:
	db_rollback(db);
	resp_rb_err(r, rc);
out:
	json_decref(detail);
	json_decref(body);
}

void
h_renewal_get(struct req *r)
{
	json_t *view;
	enum rb_err rc;

	if (access_require(r, NEED_SERVICE_OR_REVIEWER, "RENEWAL_MANAGE", NULL) != RB_OK)
		return;
	if ((rc = renewal_view(r, &view)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	if (view == NULL) {
		resp_error(r, 404, "not_subscribed", "the company has never subscribed");
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

void
h_renewal_patch(struct req *r)
{
	struct company_access ca;
	struct renewal_input in;
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	char reference[REFERENCE_LEN + 1], now_s[24], cap_s[24], dur_s[4],
	    enabled_s[8], target[40];
	const char *p[9];
	json_t *body = NULL, *old = NULL, *view = NULL, *changes = NULL;
	enum rb_err rc;

	if (access_require(r, NEED_SERVICE, "RENEWAL_MANAGE", &ca) != RB_OK)
		return;
	if ((body = req_json_body(r)) == NULL || parse_renewal_input(r, body, &in) < 0)
		goto out;
	if ((in.has_iban || in.has_auth) && !ca.signatory) {
		resp_error(r, 403, "not_signatory",
		    "only a signatory may change the debit account");
		goto out;
	}
	if ((rc = db_begin(db)) != RB_OK || (rc = lock_company(db, &r->params.est)) != RB_OK ||
	    (rc = renewal_view(r, &old)) != RB_OK)
		goto fail;
	if (old == NULL || strcmp(json_string_value(json_object_get(old, "status")),
	    "rejected") == 0) {
		db_rollback(db);
		resp_error(r, 409, "not_subscribed",
		    "the company has no pending or active subscription");
		goto out;
	}
	changes = json_object();
	if (in.has_iban || in.has_auth) {
		if (!in.has_iban)
			iban_parse(json_string_value(json_object_get(old, "iban")), &in.iban);
		if (!in.has_auth)
			qid_parse(json_string_value(json_object_get(old, "authorizing_qid")),
			    &in.authorizing);
		if (!json_is_null(json_object_get(old, "pending_change")) ||
		    strcmp(json_string_value(json_object_get(old, "status")), "pending") == 0) {
			db_rollback(db);
			resp_error(r, 409, "change_pending",
			    "a subscription or debit account change is already waiting for review");
			goto out;
		}
		if (check_mandate(r, &in.iban, &in.authorizing, &rc) < 0) {
			if (rc != RB_OK)
				goto fail;
			db_rollback(db);
			goto out;
		}
		if ((rc = insert_pending(r, &in.iban, &in.authorizing, a.now, reference)) != RB_OK)
			goto fail;
		json_object_set_new(changes, "mandate", json_pack("{s:s, s:s, s:s}",
		    "reference", reference, "iban", in.iban.s,
		    "authorizing_qid", in.authorizing.s));
	}
	if (in.has_enabled)
		diff(changes, old, "enabled", json_boolean(in.enabled));
	if (in.has_cap)
		diff(changes, old, "cap_dirhams", json_integer(in.cap));
	if (in.has_duration)
		diff(changes, old, "duration_years", json_integer(in.duration));
	if (in.has_email)
		diff(changes, old, "email", json_string(in.email));
	if (in.has_mobile)
		diff(changes, old, "mobile", json_string(in.mobile));
	if (in.has_lang)
		diff(changes, old, "language", json_string(in.lang.s));
	if (in.has_address)
		diff(changes, old, "delivery_address", json_string(in.address));
	snprintf(now_s, sizeof(now_s), "%lld", (long long)a.now);
	snprintf(cap_s, sizeof(cap_s), "%lld", (long long)in.cap);
	snprintf(dur_s, sizeof(dur_s), "%d", in.duration);
	snprintf(enabled_s, sizeof(enabled_s), "%s", in.enabled ? "true" : "false");
	p[0] = r->params.est.s;
	p[1] = in.has_enabled ? enabled_s : NULL;
	p[2] = in.has_cap ? cap_s : NULL;
	p[3] = in.has_duration ? dur_s : NULL;
	p[4] = in.has_email ? in.email : NULL;
	p[5] = in.has_mobile ? in.mobile : NULL;
	p[6] = in.has_lang ? in.lang.s : NULL;
	p[7] = in.has_address ? in.address : NULL;
	p[8] = now_s;
	if (json_object_size(changes) > 0 &&
	    (rc = db_exec(db, NULL, "UPDATE renewal_settings SET"
	    " enabled = coalesce($2::bool, enabled),"
	    " cap_dirhams = coalesce($3::bigint, cap_dirhams),"
	    " duration_years = coalesce($4::smallint, duration_years),"
	    " email = coalesce($5, email), mobile = coalesce($6, mobile),"
	    " language = coalesce($7, language),"
	    " delivery_address = coalesce($8, delivery_address),"
	    " updated_at = to_timestamp($9::bigint) WHERE est_id = $1", 9, p)) != RB_OK)
		goto fail;
	snprintf(target, sizeof(target), "renewal:%s", r->params.est.s);
	if (json_object_size(changes) > 0 &&
	    (rc = audit_append(db, &a, "renewal.settings", target, changes)) != RB_OK)
		goto fail;
	if ((rc = db_commit(db)) != RB_OK || (rc = renewal_view(r, &view)) != RB_OK)
		goto fail;
	resp_json(r, 200, view);
	goto out;
fail:
	db_rollback(db);
	resp_rb_err(r, rc);
out:
	json_decref(changes);
	json_decref(old);
	json_decref(body);
}
