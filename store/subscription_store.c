#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/renewal_engine.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "store/company_store.h"
#include "store/page.h"
#include "store/subscription_store.h"

/* "renewal:<est_id>", the audit target of everything about a company's renewal. */
static void
audit_target(const struct est_id *est, char target[40])
{
	snprintf(target, 40, "renewal:%s", est->s);
}

/* A text column into a fixed buffer; a NULL or a longer value is a schema
 * change, not something to truncate. */
static enum rb_err
get_text(const PGresult *res, int row, int col, char *buf, size_t bufsz)
{
	const char *v = db_get_str(res, row, col);

	if (v == NULL || strlen(v) >= bufsz) {
		log_error("column %d of row %d is not a text of under %zu bytes",
		    col, row, bufsz);
		return RB_EINTERNAL;
	}
	memcpy(buf, v, strlen(v) + 1);
	return RB_OK;
}

static enum rb_err
get_status(const PGresult *res, int row, int col, enum subscription_status *out)
{
	if (subscription_status_parse(db_get_str(res, row, col), out) != RB_OK) {
		log_error("column %d of row %d is not a subscription status", col, row);
		return RB_EINTERNAL;
	}
	return RB_OK;
}

enum rb_err
subscription_store_current(struct db *db, const struct est_id *est,
    struct subscription *cur)
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	memset(cur, 0, sizeof(*cur));
	db_params_init(&p);
	db_param_str(&p, est->s);
	if ((rc = db_exec_p(db, &res, "SELECT reference, status, iban, authorizing_qid"
	    " FROM renewal_subscriptions WHERE est_id = $1"
	    SUBSCRIPTION_CURRENT_ORDER " LIMIT 1", &p)) != RB_OK)
		goto out;
	if (PQntuples(res) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	if ((rc = get_text(res, 0, 0, cur->reference, sizeof(cur->reference))) == RB_OK &&
	    (rc = get_status(res, 0, 1, &cur->status)) == RB_OK &&
	    (rc = get_text(res, 0, 2, cur->iban.s, sizeof(cur->iban.s))) == RB_OK)
		rc = get_text(res, 0, 3, cur->authorizing.s, sizeof(cur->authorizing.s));
out:
	PQclear(res);
	return rc;
}

enum rb_err
subscription_facts_load(struct db *db, const struct est_id *est,
    struct subscription_facts *f, struct subscription *out)
{
	struct subscription mine, *cur;
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	memset(&mine, 0, sizeof(mine));
	cur = out ? out : &mine;

	memset(f, 0, sizeof(*f));
	if ((rc = subscription_store_current(db, est, cur)) == RB_ENOTFOUND)
		return RB_OK;
	if (rc != RB_OK)
		return rc;
	f->has_current = 1;
	f->status = cur->status;
	memcpy(f->reference, cur->reference, sizeof(f->reference));
	if (cur->status != SUBSCRIPTION_ACTIVE)
		return RB_OK;
	/* Besides the active one, a debit-account change may wait for review. */
	db_params_init(&p);
	db_param_str(&p, est->s);
	if ((rc = db_exec_p(db, &res, "SELECT EXISTS (SELECT 1 FROM renewal_subscriptions"
	    " WHERE est_id = $1 AND status = 'pending')", &p)) == RB_OK)
		f->pending_change = db_get_bool(res, 0, 0);
	PQclear(res);
	return rc;
}

/* $1 the company, $2 the debit account, $3 who authorizes the debits. */
static void
mandate_params(struct db_params *p, const struct est_id *est, const struct iban *iban,
    const struct qid *auth)
{
	db_params_init(p);
	db_param_str(p, est->s);
	db_param_str(p, iban->s);
	db_param_str(p, auth->s);
}

enum rb_err
subscription_mandate_load(struct db *db, const struct est_id *est,
    const struct iban *iban, const struct qid *auth,
    struct subscription_mandate_facts *m)
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	mandate_params(&p, est, iban, auth);
	rc = db_exec_p(db, &res,
	    "SELECT EXISTS (SELECT 1 FROM bank_accounts WHERE iban = $2 AND est_id = $1),"
	    " EXISTS (SELECT 1 FROM signatories s JOIN persons p ON p.qid = s.qid"
	    "         WHERE s.qid = $3 AND s.est_id = $1 AND s.ended_on IS NULL"
	    "         AND p.status = 'active')", &p);
	if (rc == RB_OK) {
		m->account_is_company = db_get_bool(res, 0, 0);
		m->authorizer_signs = db_get_bool(res, 0, 1);
	}
	PQclear(res);
	return rc;
}

enum rb_err
subscription_lock_company(struct db *db, const struct est_id *est)
{
	struct db_params p;

	db_params_init(&p);
	db_param_str(&p, est->s);
	return db_exec_p(db, NULL, "SELECT pg_advisory_xact_lock(7002, hashtext($1))", &p);
}

static const char view_sql[] =
	"WITH cur AS ("
	"  SELECT * FROM renewal_subscriptions WHERE est_id = $1"
	   SUBSCRIPTION_CURRENT_ORDER " LIMIT 1),"
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
	"  " CLOCK_SQL_ISO("cur.submitted_at") ","
	"  " CLOCK_SQL_ISO("cur.reviewed_at") ","
	"  rej.reference, rej.iban, rej.review_note"
	" FROM cur JOIN renewal_settings s ON s.est_id = cur.est_id"
	" LEFT JOIN pend ON true LEFT JOIN rej ON true";

enum rb_err
subscription_view(struct db *db, const struct est_id *est, json_t **out)
{
	struct db_params p;
	PGresult *res = NULL;
	enum subscription_status status;
	int64_t cap, duration;
	enum rb_err rc;

	*out = NULL;
	db_params_init(&p);
	db_param_str(&p, est->s);
	if ((rc = db_exec_p(db, &res, view_sql, &p)) != RB_OK || PQntuples(res) != 1)
		goto out;
	if ((rc = db_get_int(res, 0, 9, &cap)) != RB_OK ||
	    (rc = db_get_int(res, 0, 10, &duration)) != RB_OK)
		goto out;
#define V(c) db_get_str(res, 0, c)
	*out = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:I, s:i, s:b, s:s, s:s?}",
	    "est_id", est->s, "status", V(0), "reference", V(1),
	    "review_note", V(2), "iban", V(3), "authorizing_qid", V(4),
	    "email", V(5), "mobile", V(6), "language", V(7),
	    "delivery_address", V(8), "cap_dirhams", (json_int_t)cap,
	    "duration_years", (int)duration, "enabled", db_get_bool(res, 0, 11),
	    "submitted_at", V(15), "reviewed_at", V(16));
	if (*out == NULL || get_status(res, 0, 0, &status) != RB_OK) {
		json_decref(*out);
		*out = NULL;
		rc = RB_EINTERNAL;
		goto out;
	}
	/* What runs, whatever the switch says: pending runs nothing until a
	 * reviewer approves. */
	json_object_set_new(*out, "renewal_state", json_string(renewal_state_code(
	    renewal_state_of(status, db_get_bool(res, 0, 11)))));
	json_object_set_new(*out, "pending_change", V(12) == NULL ? json_null() :
	    json_pack("{s:s, s:s, s:s}", "reference", V(12), "iban", V(13),
	    "authorizing_qid", V(14)));
	/* A debit-account change the reviewer refused, until the next one. */
	json_object_set_new(*out, "rejected_change", V(17) == NULL ? json_null() :
	    json_pack("{s:s, s:s, s:s?}", "reference", V(17), "iban", V(18),
	    "review_note", V(19)));
#undef V
out:
	PQclear(res);
	return rc;
}

enum rb_err
subscription_insert_pending(struct db *db, const struct audit_ctx *a,
    const struct est_id *est, const struct iban *iban, const struct qid *auth,
    char reference[REFERENCE_LEN + 1])
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;
	int tries, inserted;

	/* 40 random bits rarely collide; a few tries make it never in practice. */
	for (tries = 0; tries < 5; tries++) {
		if ((rc = reference_new(reference)) != RB_OK)
			return rc;
		mandate_params(&p, est, iban, auth);
		db_param_str(&p, reference);
		db_param_str(&p, a->actor);
		db_param_int(&p, a->now);
		rc = db_exec_p(db, &res,
		    "INSERT INTO renewal_subscriptions (est_id, reference, status, iban,"
		    " authorizing_qid, submitted_by, submitted_at)"
		    " VALUES ($1, $4, 'pending', $2, $3, $5, to_timestamp($6::bigint))"
		    " ON CONFLICT (reference) DO NOTHING RETURNING id", &p);
		if (rc != RB_OK)
			return rc;
		inserted = PQntuples(res) == 1;
		PQclear(res);
		if (inserted)
			return RB_OK;
	}
	return RB_EINTERNAL;
}

enum rb_err
subscription_subscribe(struct db *db, const struct audit_ctx *a,
    const struct est_id *est, const struct iban *iban, const struct qid *auth,
    const struct subscription_settings *s, json_t *detail,
    char reference[REFERENCE_LEN + 1])
{
	struct db_params p;
	char target[40];
	json_t *d = NULL;
	enum rb_err rc;

	if ((rc = subscription_insert_pending(db, a, est, iban, auth, reference)) != RB_OK)
		goto out;
	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_str(&p, s->has_enabled && !s->enabled ? "false" : "true");
	db_param_int(&p, s->cap_dirhams);
	db_param_int(&p, s->duration_years);
	db_param_str(&p, s->email);
	db_param_str(&p, s->mobile);
	db_param_str(&p, s->lang.s);
	db_param_str(&p, s->address);
	db_param_int(&p, a->now);
	/* A company subscribing again after a rejection starts from what it sends now. */
	if ((rc = db_exec_p(db, NULL,
	    "INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years,"
	    " email, mobile, language, delivery_address, updated_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, to_timestamp($9::bigint))"
	    " ON CONFLICT (est_id) DO UPDATE SET enabled = EXCLUDED.enabled,"
	    " cap_dirhams = EXCLUDED.cap_dirhams, duration_years = EXCLUDED.duration_years,"
	    " email = EXCLUDED.email, mobile = EXCLUDED.mobile, language = EXCLUDED.language,"
	    " delivery_address = EXCLUDED.delivery_address, updated_at = EXCLUDED.updated_at",
	    &p)) != RB_OK)
		goto out;
	d = detail ? json_deep_copy(detail) : json_object();
	json_object_set_new(d, "reference", json_string(reference));
	audit_target(est, target);
	rc = audit_append(db, a, "renewal.subscribe", target, d);
out:
	json_decref(d);
	return rc;
}

enum rb_err
subscription_settings_change(struct db *db, const struct audit_ctx *a,
    const struct est_id *est, const struct subscription_settings *s,
    json_t *changes)
{
	struct db_params p;
	char target[40];
	enum rb_err rc;

	if (json_object_size(changes) == 0)
		return RB_OK;
	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_str(&p, !s->has_enabled ? NULL : s->enabled ? "true" : "false");
	if (s->has_cap)
		db_param_int(&p, s->cap_dirhams);
	else
		db_param_str(&p, NULL);
	if (s->has_duration)
		db_param_int(&p, s->duration_years);
	else
		db_param_str(&p, NULL);
	db_param_str(&p, s->has_email ? s->email : NULL);
	db_param_str(&p, s->has_mobile ? s->mobile : NULL);
	db_param_str(&p, s->has_lang ? s->lang.s : NULL);
	db_param_str(&p, s->has_address ? s->address : NULL);
	db_param_int(&p, a->now);
	if ((rc = db_exec_p(db, NULL, "UPDATE renewal_settings SET"
	    " enabled = coalesce($2::bool, enabled),"
	    " cap_dirhams = coalesce($3::bigint, cap_dirhams),"
	    " duration_years = coalesce($4::smallint, duration_years),"
	    " email = coalesce($5, email), mobile = coalesce($6, mobile),"
	    " language = coalesce($7, language),"
	    " delivery_address = coalesce($8, delivery_address),"
	    " updated_at = to_timestamp($9::bigint) WHERE est_id = $1", &p)) != RB_OK)
		return rc;
	audit_target(est, target);
	return audit_append(db, a, "renewal.settings", target, changes);
}

enum rb_err
subscription_review_load(struct db *db, const char *reference,
    const struct qid *reviewer, struct subscription_review_facts *f,
    struct est_id *est)
{
	struct db_params p;
	PGresult *res = NULL;
	struct iban iban;
	struct qid auth;
	enum rb_err rc;

	memset(f, 0, sizeof(*f));
	memset(est, 0, sizeof(*est));
	db_params_init(&p);
	db_param_str(&p, reference);
	db_param_str(&p, reviewer ? reviewer->s : NULL);
	if ((rc = db_exec_p(db, &res, "SELECT s.status, s.est_id, s.submitted_by,"
	    " EXISTS (SELECT 1 FROM signatories g WHERE g.est_id = s.est_id"
	    "         AND g.qid = $2 AND g.ended_on IS NULL),"
	    " s.iban, s.authorizing_qid"
	    " FROM renewal_subscriptions s WHERE s.reference = $1 FOR UPDATE", &p)) != RB_OK ||
	    PQntuples(res) == 0)
		goto out;
	f->exists = 1;
	if ((rc = get_status(res, 0, 0, &f->status)) != RB_OK ||
	    (rc = get_text(res, 0, 1, est->s, sizeof(est->s))) != RB_OK ||
	    (rc = get_text(res, 0, 2, f->submitted_by, sizeof(f->submitted_by))) != RB_OK ||
	    (rc = get_text(res, 0, 4, iban.s, sizeof(iban.s))) != RB_OK ||
	    (rc = get_text(res, 0, 5, auth.s, sizeof(auth.s))) != RB_OK)
		goto out;
	f->reviewer_signs = db_get_bool(res, 0, 3);
	/* The mandate as the bank and the registry know it now, not as they
	 * did at the submission. */
	rc = subscription_mandate_load(db, est, &iban, &auth, &f->mandate);
out:
	PQclear(res);
	return rc;
}

enum rb_err
subscription_review_write(struct db *db, const struct audit_ctx *a,
    const char *reference, const struct est_id *est,
    const struct subscription_review_outcome *o, const char *note)
{
	struct db_params p;
	char target[40];
	json_t *detail;
	enum rb_err rc;

	db_params_init(&p);
	db_param_str(&p, est->s);
	/* Before the approval: a company has at most one active (sql/006). */
	if (o->replaces_active && (rc = db_exec_p(db, NULL,
	    "UPDATE renewal_subscriptions SET status = 'replaced'"
	    " WHERE est_id = $1 AND status = 'active'", &p)) != RB_OK)
		return rc;
	db_params_init(&p);
	db_param_str(&p, reference);
	db_param_str(&p, est->s);
	db_param_str(&p, a->actor);
	db_param_int(&p, a->now);
	db_param_str(&p, note);
	db_param_str(&p, subscription_status_name(o->new_status));
	if ((rc = db_exec_p(db, NULL,
	    "UPDATE renewal_subscriptions SET status = $6, reviewed_by = $3,"
	    " reviewed_at = to_timestamp($4::bigint), review_note = $5"
	    " WHERE reference = $1 AND est_id = $2", &p)) != RB_OK)
		return rc;
	audit_target(est, target);
	detail = json_pack("{s:s, s:s?}", "reference", reference, "note", note);
	rc = audit_append(db, a, o->new_status == SUBSCRIPTION_ACTIVE ?
	    "renewal.approve" : "renewal.reject", target, detail);
	json_decref(detail);
	return rc;
}

/* One item of the reviewers' list; NULL (left out, logged) on a bad row. */
static json_t *
subscription_json(PGresult *res, int i)
{
	int64_t cap, duration;

	if (db_get_int(res, i, 12, &cap) != RB_OK ||
	    db_get_int(res, i, 13, &duration) != RB_OK)
		return NULL;
#define V(c) db_get_str(res, i, c)
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?,"
	    " s:I, s:i}",
	    "reference", V(0), "est_id", V(1), "company_name_ar", V(2),
	    "company_name_en", V(3), "status", V(4), "iban", V(5),
	    "authorizing_qid", V(6), "submitted_by", V(7), "submitted_at", V(8),
	    "reviewed_by", V(9), "reviewed_at", V(10), "review_note", V(11),
	    "cap_dirhams", (json_int_t)cap, "duration_years", (int)duration);
#undef V
}

/* $1 the status, $2 an establishment number or NULL, $3 $2 as a LIKE text. */
#define LIST_WHERE \
	" WHERE s.status = $1" \
	" AND ($2::text IS NULL OR s.est_id = $2" \
	"      OR c.name_en ILIKE '%' || $3 || '%' OR c.name_ar ILIKE '%' || $3 || '%')"

static void
list_params(struct db_params *p, enum subscription_status status, const char *q,
    const char *esc)
{
	db_params_init(p);
	db_param_str(p, subscription_status_name(status));
	db_param_str(p, q);
	db_param_str(p, esc);
}

enum rb_err
subscription_store_list(struct db *db, enum subscription_status status,
    const char *q, int64_t limit, int64_t offset, json_t **page)
{
	static const char sql[] =
	    "SELECT s.reference, s.est_id, c.name_ar, c.name_en, s.status, s.iban,"
	    " s.authorizing_qid, s.submitted_by,"
	    " " CLOCK_SQL_ISO("s.submitted_at") ","
	    " s.reviewed_by,"
	    " " CLOCK_SQL_ISO("s.reviewed_at") ","
	    " s.review_note, st.cap_dirhams, st.duration_years, count(*) OVER ()"
	    " FROM renewal_subscriptions s JOIN companies c ON c.est_id = s.est_id"
	    " JOIN renewal_settings st ON st.est_id = s.est_id"
	    LIST_WHERE
	    " ORDER BY s.submitted_at, s.id LIMIT $4 OFFSET $5";
	static const char count_sql[] =
	    "SELECT count(*) FROM renewal_subscriptions s"
	    " JOIN companies c ON c.est_id = s.est_id" LIST_WHERE;
	struct db_params p, cp;
	char *esc = q ? company_like_escape(q) : NULL;
	enum rb_err rc;

	/* The count has the filter's three parameters only: PostgreSQL refuses
	 * a parameter the query does not use. */
	list_params(&cp, status, q, esc);
	list_params(&p, status, q, esc);
	db_param_int(&p, limit);
	db_param_int(&p, offset);
	rc = page_query(db, sql, &p, subscription_json, limit, offset, count_sql, &cp, page);
	free(esc);
	return rc;
}
