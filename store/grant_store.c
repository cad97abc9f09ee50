#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "notify/outbox.h"
#include "store/grant_store.h"
#include "store/page.h"

enum rb_err
grant_facts_load(struct db *db, const struct qid *grantor,
    const struct est_id *est, const struct qid *grantee,
    const struct svc_code *codes, size_t ncodes, struct grant_facts *f,
    int64_t *basis)
{
	static const char sql[] =
	    "SELECT EXISTS (SELECT 1 FROM signatories s WHERE s.qid = $1 "
	    "        AND s.est_id = $2 AND s.ended_on IS NULL),"
	    " (SELECT status FROM persons WHERE qid = $1),"
	    " (SELECT status FROM persons WHERE qid = $3),"
	    " (SELECT e.id FROM employment e WHERE e.qid = $3 AND e.est_id = $2"
	    "        AND e.ended_on IS NULL LIMIT 1),"
	    " (SELECT e.id FROM employment e JOIN signatories s"
	    "        ON s.est_id = e.est_id AND s.qid = $1 AND s.ended_on IS NULL"
	    "        WHERE e.qid = $3 AND e.ended_on IS NULL ORDER BY e.id LIMIT 1),"
	    " (SELECT count(*) FROM services WHERE grantable AND code = ANY ($4::text[]))";
	struct db_params p;
	enum person_status grantor_status;
	int64_t granted;
	char *arr, *w;
	PGresult *r = NULL;
	enum rb_err rc;
	size_t i;

	/* Codes are [A-Z0-9_] (checked at the edge): safe inside an array literal. */
	arr = w = xmalloc(ncodes * (sizeof(codes[0].s) + 1) + 3);
	*w++ = '{';
	for (i = 0; i < ncodes; i++)
		w += sprintf(w, "%s%s", i ? "," : "", codes[i].s);
	*w++ = '}';
	*w = '\0';
	db_params_init(&p);
	db_param_str(&p, grantor->s);
	db_param_str(&p, est->s);
	db_param_str(&p, grantee->s);
	db_param_str(&p, arr);
	if ((rc = db_exec_p(db, &r, sql, &p)) != RB_OK)
		goto out;
	f->grantor_signs_for_company = db_get_bool(r, 0, 0);
	/* The status is the grantor's: whether it keeps authority is
	 * person_status_revokes_grants()'s to say, as everywhere. */
	f->grantor_active = db_get_str(r, 0, 1) != NULL &&
	    person_status_parse(db_get_str(r, 0, 1), &grantor_status) == RB_OK &&
	    !person_status_revokes_grants(grantor_status);
	f->grantee_exists = db_get_str(r, 0, 2) != NULL;
	f->grantee_status = PS_ACTIVE;
	if (f->grantee_exists &&
	    person_status_parse(db_get_str(r, 0, 2), &f->grantee_status) != RB_OK) {
		rc = RB_EINTERNAL;
		goto out;
	}
	f->employed_by_company = !PQgetisnull(r, 0, 3);
	f->employed_in_group = !PQgetisnull(r, 0, 4);
	*basis = 0;
	if (f->employed_by_company)
		rc = db_get_int(r, 0, 3, basis);
	else if (f->employed_in_group)
		rc = db_get_int(r, 0, 4, basis);
	if (rc != RB_OK || (rc = db_get_int(r, 0, 5, &granted)) != RB_OK)
		goto out;
	f->services_grantable = granted == (int64_t)ncodes;
out:
	PQclear(r);
	free(arr);
	return rc;
}

/* $1-$5 of both statements of grant_insert. */
static void
grant_key_params(struct db_params *p, const struct est_id *est,
    const struct qid *grantee, const struct svc_code *code,
    const struct qid *grantor, int64_t now)
{
	db_param_str(p, est->s);
	db_param_str(p, grantee->s);
	db_param_str(p, code->s);
	db_param_str(p, grantor->s);
	db_param_int(p, now);
}

enum rb_err
grant_insert(struct db *db, const struct audit_ctx *a, const struct est_id *est,
    const struct qid *grantee, const struct qid *grantor,
    const struct svc_code *code, int64_t basis, const struct rb_date *valid_from,
    const struct rb_date *valid_until, struct rb_date today, int accept_days,
    int64_t *id, struct rb_date *answer_by)
{
	char from_s[11], until_s[11], today_s[11], answer_s[11], target[40];
	struct db_params p;
	PGresult *r = NULL;
	json_t *detail = NULL;
	enum rb_err rc;

	answer_by->days = 0;
	date_format(today, today_s);
	date_format((struct rb_date){ today.days + accept_days }, answer_s);
	if (valid_from)
		date_format(*valid_from, from_s);
	if (valid_until)
		date_format(*valid_until, until_s);
	/* A live grant already past its last day gives way to the new one,
	 * and so does an offer nobody accepted by its last day to answer; a
	 * live, unexpired one makes the insert below a unique violation
	 * (grant_one_live), which is the caller's RB_ECONFLICT. */
	db_params_init(&p);
	grant_key_params(&p, est, grantee, code, grantor, a->now);
	db_param_str(&p, today_s);
	rc = db_exec_p(db, NULL,
	    "UPDATE grants SET revoked_at = to_timestamp($5::bigint),"
	    " revoked_by = $4, revoke_reason = 'superseded'"
	    " WHERE est_id = $1 AND qid = $2 AND service = $3"
	    " AND revoked_at IS NULL AND (valid_until < $6::date"
	    " OR (acceptance = 'pending' AND answer_by < $6::date))", &p);
	if (rc != RB_OK)
		goto out;
	db_params_init(&p);
	grant_key_params(&p, est, grantee, code, grantor, a->now);
	db_param_int(&p, basis);
	db_param_str(&p, valid_until ? until_s : NULL);
	db_param_str(&p, valid_from ? from_s : NULL);
	/* Pending unless acceptance is off (accept_days 0) or the ministry
	 * exempted the service (sql/021); answer_by is fixed now, so its
	 * lapse is a matter of the clock. */
	db_param_str(&p, accept_days > 0 ? answer_s : NULL);
	rc = db_exec_p(db, &r,
	    "INSERT INTO grants (est_id, qid, service, granted_by,"
	    " granted_at, basis_employment_id, valid_until, valid_from,"
	    " acceptance, answer_by)"
	    " SELECT $1, $2, $3, $4, to_timestamp($5::bigint), $6, $7::date, $8::date,"
	    " CASE WHEN x.p THEN 'pending' ELSE 'accepted' END,"
	    " CASE WHEN x.p THEN $9::date END"
	    " FROM (SELECT $9::date IS NOT NULL AND NOT EXISTS (SELECT 1"
	    " FROM grant_acceptance_exempt e WHERE e.service = $3) AS p) x"
	    " RETURNING id, answer_by", &p);
	if (rc != RB_OK || (rc = db_get_int(r, 0, 0, id)) != RB_OK)
		goto out;
	if (db_get_str(r, 0, 1) != NULL &&
	    (rc = date_parse(db_get_str(r, 0, 1), answer_by)) != RB_OK)
		goto out;
	snprintf(target, sizeof(target), "grant:%lld", (long long)*id);
	detail = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s, s:s?}", "est_id", est->s,
	    "qid", grantee->s, "service", code->s,
	    "valid_until", valid_until ? until_s : NULL,
	    "valid_from", valid_from ? from_s : NULL,
	    "acceptance", answer_by->days ? "pending" : "accepted",
	    "answer_by", answer_by->days ? answer_s : NULL);
	/* Several services granted in one transaction are one SMS: the
	 * outbox folds this grant into the one queued before it. An offer
	 * asks to be accepted; a grant needing none says it works. */
	if ((rc = audit_append(db, a, "grant.create", target, detail)) == RB_OK)
		rc = outbox_grant_sms(db, a->now, *id, answer_by->days ? GRANT_SMS_OFFERED :
		    GRANT_SMS_CREATED);
out:
	json_decref(detail);
	PQclear(r);
	return rc;
}

/*
 * Audits every revoked row of r (columns id, est_id, qid, service) and
 * tells each representative by SMS why. Not when the person died, nor
 * when a new grant of the same service supersedes an expired one (that
 * grant's own message says it all), nor when they declined it themselves.
 * A withdrawn offer is told: its offer came by SMS too.
 */
static enum rb_err
record_revocations(struct db *db, const struct audit_ctx *a, PGresult *r,
    const char *reason)
{
	char target[40];
	json_t *detail;
	enum rb_err rc = RB_OK;
	char *ids = xstrdup("{");
	int i;

	for (i = 0; i < PQntuples(r) && rc == RB_OK; i++) {
		char *more = xasprintf("%s%s%s", ids, i ? "," : "", db_get_str(r, i, 0));

		free(ids);
		ids = more;
		snprintf(target, sizeof(target), "grant:%s", db_get_str(r, i, 0));
		detail = json_pack("{s:s, s:s, s:s, s:s}", "reason", reason,
		    "est_id", db_get_str(r, i, 1), "qid", db_get_str(r, i, 2),
		    "service", db_get_str(r, i, 3));
		rc = audit_append(db, a, "grant.revoke", target, detail);
		json_decref(detail);
	}
	if (rc == RB_OK && PQntuples(r) > 0 &&
	    strcmp(reason, revoke_reason_name(REVOKE_STATUS_DECEASED)) != 0 &&
	    strcmp(reason, revoke_reason_name(REVOKE_SUPERSEDED)) != 0 &&
	    strcmp(reason, revoke_reason_name(REVOKE_DECLINED)) != 0) {
		char *closed = xasprintf("%s}", ids);

		rc = outbox_grants_revoked(db, a->now, closed, reason);
		free(closed);
	}
	free(ids);
	return rc;
}

enum rb_err
grant_revoke(struct db *db, const struct audit_ctx *a, const struct est_id *est,
    int64_t id, const char *by, enum revoke_reason *why)
{
	struct db_params p;
	PGresult *r = NULL;
	enum rb_err rc;

	*why = REVOKE_BY_SIGNATORY;
	db_params_init(&p);
	db_param_int(&p, id);
	db_param_str(&p, est->s);
	db_param_str(&p, by);
	db_param_int(&p, a->now);
	/* A grant not yet accepted is withdrawn, not revoked: it never
	 * worked (issue 16 §1). A lapsed offer too, which frees its slot. */
	rc = db_exec_p(db, &r,
	    "UPDATE grants SET revoked_at = to_timestamp($4::bigint),"
	    " revoked_by = $3, revoke_reason = CASE WHEN acceptance = 'pending'"
	    " THEN 'withdrawn' ELSE 'revoked_by_signatory' END"
	    " WHERE id = $1 AND est_id = $2 AND revoked_at IS NULL"
	    " RETURNING id, est_id, qid, service, revoke_reason", &p);
	if (rc != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		PQclear(r);
		r = NULL;
		db_params_init(&p);
		db_param_int(&p, id);
		db_param_str(&p, est->s);
		rc = db_exec_p(db, &r, "SELECT 1 FROM grants WHERE id = $1 AND est_id = $2",
		    &p);
		if (rc == RB_OK)
			rc = PQntuples(r) ? RB_ECONFLICT : RB_ENOTFOUND;
		goto out;
	}
	if (strcmp(db_get_str(r, 0, 4), revoke_reason_name(REVOKE_WITHDRAWN)) == 0)
		*why = REVOKE_WITHDRAWN;
	rc = record_revocations(db, a, r, revoke_reason_name(*why));
out:
	PQclear(r);
	return rc;
}

/* Revokes the live grants whose column key equals $1. */
#define REVOKE_WHERE_SQL(key)						\
	"UPDATE grants SET revoked_at = to_timestamp($4::bigint),"	\
	" revoked_by = $2, revoke_reason = $3"				\
	" WHERE " key " = $1 AND revoked_at IS NULL"			\
	" RETURNING id, est_id, qid, service"

/*
 * Runs a REVOKE_WHERE_SQL for reason why and records what it revoked. p
 * holds $1; the actor, the reason and the time are added here.
 */
static enum rb_err
revoke_where(struct db *db, const struct audit_ctx *a, const char *sql,
    struct db_params *p, enum revoke_reason why, int *count)
{
	PGresult *r = NULL;
	enum rb_err rc;

	db_param_str(p, a->actor);
	db_param_str(p, revoke_reason_name(why));
	db_param_int(p, a->now);
	if ((rc = db_exec_p(db, &r, sql, p)) != RB_OK)
		goto out;
	*count = PQntuples(r);
	rc = record_revocations(db, a, r, revoke_reason_name(why));
out:
	PQclear(r);
	return rc;
}

enum rb_err
grant_revoke_all_of_person(struct db *db, const struct audit_ctx *a,
    const struct qid *qid, enum revoke_reason why, int *count)
{
	struct db_params p;

	db_params_init(&p);
	db_param_str(&p, qid->s);
	return revoke_where(db, a, REVOKE_WHERE_SQL("qid"), &p, why, count);
}

enum rb_err
grant_revoke_all_of_employment(struct db *db, const struct audit_ctx *a,
    int64_t employment_id, int *count)
{
	struct db_params p;

	db_params_init(&p);
	db_param_int(&p, employment_id);
	return revoke_where(db, a, REVOKE_WHERE_SQL("basis_employment_id"), &p,
	    REVOKE_EMPLOYMENT_ENDED, count);
}

/* The state is what a reader of the list is told; whether a grant
 * authorizes is live_grants()'s (sql/009) to say, and the person's status
 * is not shown here. An offer not yet accepted is "pending", one not
 * accepted by its last day "expired" (issue 16 §1). Who granted and
 * revoked are named from the registry when they are people (a revocation
 * by the registry's events names the system account that sent it). The
 * filters (issue 12 §2) are $5..$7. */
#define GRANT_OFFER_ENDED_WHEN						\
	" WHEN g.revoke_reason IN ('declined', 'withdrawn') THEN g.revoke_reason"
#define GRANT_OFFER_LAPSED_WHEN(today)					\
	" WHEN g.acceptance = 'pending' AND g.answer_by < " today "::date THEN 'expired'"
/* Both columns of a grant's standing, as of today (a parameter): state
 * (above), and where the offer stands, acceptance: pending, accepted,
 * declined, withdrawn, or expired (not answered in time). The two lists
 * (the company's and the person's own) say them alike. */
#define GRANT_STATES_SQL(today)						\
	"CASE" GRANT_OFFER_ENDED_WHEN					\
	"     WHEN g.revoked_at IS NOT NULL THEN 'revoked'"		\
	GRANT_OFFER_LAPSED_WHEN(today)					\
	"     WHEN g.acceptance = 'pending' THEN 'pending'"		\
	"     WHEN g.valid_until < " today "::date THEN 'expired'"	\
	"     WHEN g.valid_from > " today "::date THEN 'scheduled' ELSE 'active' END"	\
	" AS state,"							\
	" CASE" GRANT_OFFER_ENDED_WHEN GRANT_OFFER_LAPSED_WHEN(today)	\
	"     ELSE g.acceptance END AS acceptance"
#define GRANT_LIST_FROM \
	" FROM (SELECT g.id, g.qid, p.name_ar, p.name_en, g.service, g.granted_by," \
	" " CLOCK_SQL_ISO("g.granted_at") " AS granted_at," \
	" g.valid_until," \
	" " GRANT_STATES_SQL("$2") "," \
	" " CLOCK_SQL_ISO("g.revoked_at") " AS revoked_at," \
	" g.revoke_reason, g.valid_from, g.revoked_by," \
	" gb.name_ar AS gb_ar, gb.name_en AS gb_en, rb.name_ar AS rb_ar, rb.name_en AS rb_en," \
	" g.answer_by" \
	" FROM grants g JOIN persons p ON p.qid = g.qid" \
	" LEFT JOIN persons gb ON gb.qid = g.granted_by" \
	" LEFT JOIN persons rb ON rb.qid = g.revoked_by" \
	" WHERE g.est_id = $1 AND ($3::text IS NULL OR g.qid = $3)" \
	" AND ($4::bool OR g.revoked_at IS NULL)" \
	" AND ($5::text IS NULL OR left(g.qid, length($5)) = $5" \
	" OR strpos(lower(p.name_en), lower($5)) > 0 OR strpos(p.name_ar, $5) > 0)" \
	" AND ($6::text IS NULL OR g.service = $6)) x" \
	" WHERE ($7::text IS NULL OR x.state = $7)"

static const char list_sql[] =
	"SELECT x.id, x.qid, x.name_ar, x.name_en, x.service, x.granted_by, x.granted_at,"
	" x.valid_until, x.state, x.revoked_at, x.revoke_reason, x.valid_from, x.revoked_by,"
	" x.gb_ar, x.gb_en, x.rb_ar, x.rb_en, x.acceptance, x.answer_by, count(*) OVER ()"
	GRANT_LIST_FROM
	" ORDER BY x.id LIMIT $8 OFFSET $9";
static const char count_sql[] = "SELECT count(*)" GRANT_LIST_FROM;

static json_t *
grant_row_json(PGresult *res, int i)
{
	int64_t id = 0;
	json_t *o;

	/* A NULL id is a broken schema: the item says so rather than 0. */
	if (db_get_int(res, i, 0, &id) != RB_OK)
		return json_null();
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s, s:s?, s:s?, s:s?}",
	    "id", (json_int_t)id, "qid", db_get_str(res, i, 1),
	    "name_ar", db_get_str(res, i, 2), "name_en", db_get_str(res, i, 3),
	    "service", db_get_str(res, i, 4), "granted_by", db_get_str(res, i, 5),
	    "granted_at", db_get_str(res, i, 6), "valid_from", db_get_str(res, i, 11),
	    "valid_until", db_get_str(res, i, 7),
	    "state", db_get_str(res, i, 8), "revoked_at", db_get_str(res, i, 9),
	    "revoke_reason", db_get_str(res, i, 10), "revoked_by", db_get_str(res, i, 12));
	if (o != NULL)
		json_object_update_new(o, json_pack("{s:s?, s:s?, s:s?, s:s?, s:s, s:s?}",
		    "granted_by_name_ar", db_get_str(res, i, 13),
		    "granted_by_name_en", db_get_str(res, i, 14),
		    "revoked_by_name_ar", db_get_str(res, i, 15),
		    "revoked_by_name_en", db_get_str(res, i, 16),
		    "acceptance", db_get_str(res, i, 17), "answer_by", db_get_str(res, i, 18)));
	return o;
}

static void
list_params(struct db_params *p, const struct est_id *est, const char *today,
    const struct qid *only, const char *all, const struct grant_filter *f)
{
	db_param_str(p, est->s);
	db_param_str(p, today);
	db_param_str(p, only ? only->s : NULL);
	db_param_str(p, all);
	db_param_str(p, f && f->q && *f->q ? f->q : NULL);
	db_param_str(p, f && f->service && *f->service ? f->service : NULL);
	db_param_str(p, f && f->state && *f->state ? f->state : NULL);
}

enum rb_err
grant_list_page(struct db *db, const struct est_id *est, const struct qid *only,
    int include_revoked, const struct grant_filter *f, struct rb_date today, int64_t limit,
    int64_t offset, json_t **page)
{
	struct db_params p, cp;
	const char *all = include_revoked ? "true" : "false";
	char today_s[11];

	date_format(today, today_s);
	db_params_init(&p);
	list_params(&p, est, today_s, only, all, f);
	db_param_int(&p, limit);
	db_param_int(&p, offset);
	db_params_init(&cp);
	list_params(&cp, est, today_s, only, all, f);
	return page_query(db, list_sql, &p, grant_row_json, limit, offset,
	    count_sql, &cp, page);
}

/* The grants offered to and held by one person, at every company: the
 * unrevoked ones (pending, lapsed and accepted), newest first. */
static const char me_list_sql[] =
	"SELECT g.id, g.est_id, c.name_ar, c.name_en, g.service, s.name_ar, s.name_en,"
	" g.granted_by, gp.name_ar, gp.name_en, " CLOCK_SQL_ISO("g.granted_at") ","
	" g.valid_from, g.valid_until, " GRANT_STATES_SQL("$2") ","
	" g.answer_by, count(*) OVER ()"
	" FROM grants g JOIN companies c ON c.est_id = g.est_id"
	" JOIN services s ON s.code = g.service"
	" JOIN persons gp ON gp.qid = g.granted_by"
	" WHERE g.qid = $1 AND g.revoked_at IS NULL"
	" ORDER BY g.id DESC LIMIT $3 OFFSET $4";
static const char me_count_sql[] =
	"SELECT count(*) FROM grants WHERE qid = $1 AND revoked_at IS NULL";

static json_t *
me_grant_row_json(PGresult *res, int i)
{
	int64_t id = 0;

	if (db_get_int(res, i, 0, &id) != RB_OK)
		return json_null();
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?,"
	    " s:s?, s:s, s:s, s:s?}",
	    "id", (json_int_t)id, "est_id", db_get_str(res, i, 1),
	    "company_name_ar", db_get_str(res, i, 2),
	    "company_name_en", db_get_str(res, i, 3),
	    "service", db_get_str(res, i, 4), "service_name_ar", db_get_str(res, i, 5),
	    "service_name_en", db_get_str(res, i, 6), "granted_by", db_get_str(res, i, 7),
	    "granted_by_name_ar", db_get_str(res, i, 8),
	    "granted_by_name_en", db_get_str(res, i, 9),
	    "granted_at", db_get_str(res, i, 10), "valid_from", db_get_str(res, i, 11),
	    "valid_until", db_get_str(res, i, 12), "state", db_get_str(res, i, 13),
	    "acceptance", db_get_str(res, i, 14), "answer_by", db_get_str(res, i, 15));
}

enum rb_err
grant_me_list_page(struct db *db, const struct qid *qid, struct rb_date today,
    int64_t limit, int64_t offset, json_t **page)
{
	struct db_params p, cp;
	char today_s[11];

	date_format(today, today_s);
	db_params_init(&p);
	db_param_str(&p, qid->s);
	db_param_str(&p, today_s);
	db_param_int(&p, limit);
	db_param_int(&p, offset);
	db_params_init(&cp);
	db_param_str(&cp, qid->s);
	return page_query(db, me_list_sql, &p, me_grant_row_json, limit, offset,
	    me_count_sql, &cp, page);
}

/* Why an answer found nothing to answer, once the update matched no row:
 * not the person's grant (RB_ENOTFOUND, as if it did not exist), ended or
 * already accepted (GRANT_ANSWER_NOT_PENDING), or lapsed. */
static enum rb_err
answer_refusal(struct db *db, const struct qid *qid, int64_t id, const char *today_s,
    enum grant_answer_refusal *why)
{
	struct db_params p;
	PGresult *r = NULL;
	enum rb_err rc;

	db_params_init(&p);
	db_param_int(&p, id);
	db_param_str(&p, qid->s);
	db_param_str(&p, today_s);
	rc = db_exec_p(db, &r, "SELECT revoked_at IS NULL AND acceptance = 'pending',"
	    " answer_by < $3::date FROM grants WHERE id = $1 AND qid = $2", &p);
	if (rc != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	*why = !db_get_bool(r, 0, 0) ? GRANT_ANSWER_NOT_PENDING : GRANT_ANSWER_LAPSED;
	rc = RB_ECONFLICT;
out:
	PQclear(r);
	return rc;
}

enum rb_err
grant_offer_company(struct db *db, const struct qid *qid, int64_t id, struct rb_date today,
    struct est_id *est)
{
	char today_s[11];
	struct db_params p;
	PGresult *r = NULL;
	enum rb_err rc;

	date_format(today, today_s);
	db_params_init(&p);
	db_param_int(&p, id);
	db_param_str(&p, qid->s);
	db_param_str(&p, today_s);
	if ((rc = db_exec_p(db, &r, "SELECT est_id FROM grants WHERE id = $1 AND qid = $2"
	    " AND revoked_at IS NULL AND acceptance = 'pending' AND answer_by >= $3::date", &p))
	    != RB_OK)
		return rc;
	if (PQntuples(r) != 1 || est_id_parse(db_get_str(r, 0, 0), est) != RB_OK)
		rc = RB_ENOTFOUND;
	PQclear(r);
	return rc;
}

enum rb_err
grant_answer(struct db *db, const struct audit_ctx *a, const struct qid *qid,
    int64_t id, int accept, struct rb_date today, enum grant_answer_refusal *why)
{
	char today_s[11], target[40];
	struct db_params p;
	PGresult *r = NULL;
	json_t *detail = NULL;
	enum rb_err rc;

	*why = GRANT_ANSWER_OK;
	date_format(today, today_s);
	db_params_init(&p);
	db_param_int(&p, id);
	db_param_str(&p, qid->s);
	db_param_str(&p, today_s);
	db_param_int(&p, a->now);
	/* Only the grantee's own pending offer, answered by its last day.
	 * Declining ends it like a revocation (sql/021), by the grantee. */
	rc = db_exec_p(db, &r, accept ?
	    "UPDATE grants SET acceptance = 'accepted', answered_at = to_timestamp($4::bigint)"
	    " WHERE id = $1 AND qid = $2 AND revoked_at IS NULL AND acceptance = 'pending'"
	    " AND answer_by >= $3::date RETURNING est_id, service" :
	    "UPDATE grants SET revoked_at = to_timestamp($4::bigint), revoked_by = $2,"
	    " revoke_reason = 'declined', answered_at = to_timestamp($4::bigint)"
	    " WHERE id = $1 AND qid = $2 AND revoked_at IS NULL AND acceptance = 'pending'"
	    " AND answer_by >= $3::date RETURNING est_id, service", &p);
	if (rc != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		rc = answer_refusal(db, qid, id, today_s, why);
		goto out;
	}
	snprintf(target, sizeof(target), "grant:%lld", (long long)id);
	detail = json_pack("{s:s, s:s, s:s}", "est_id", db_get_str(r, 0, 0),
	    "qid", qid->s, "service", db_get_str(r, 0, 1));
	rc = audit_append(db, a, accept ? "grant.accept" : "grant.decline", target, detail);
out:
	json_decref(detail);
	PQclear(r);
	return rc;
}
