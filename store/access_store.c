#include <stdio.h>
#include <string.h>

#include "domain/person_status.h"
#include "store/access_store.h"

void
authority_statuses(char out[AUTHORITY_STATUSES_LEN])
{
	size_t n = 0;
	int s;

	n += (size_t)snprintf(out, AUTHORITY_STATUSES_LEN, "{");
	for (s = 0; s < PS__MAX; s++)
		if (!person_status_revokes_grants((enum person_status)s))
			n += (size_t)snprintf(out + n, AUTHORITY_STATUSES_LEN - n,
			    "%s%s", n > 1 ? "," : "",
			    person_status_name((enum person_status)s));
	snprintf(out + n, AUTHORITY_STATUSES_LEN - n, "}");
}

/* Prepared: every request on a company's resource runs it. */
static const struct db_stmt st_access = { "company_access",
	"SELECT EXISTS (SELECT 1 FROM companies WHERE est_id = $1),"
	" EXISTS (SELECT 1 FROM acting_signatories($5::text[]) s"
	"         WHERE s.qid = $2 AND s.est_id = $1),"
	" EXISTS (SELECT 1 FROM grants WHERE est_id = $1 AND qid = $2),"
	" EXISTS (SELECT 1 FROM live_grants($4::date, $5::text[]) g"
	"         WHERE g.est_id = $1 AND g.qid = $2 AND g.service = $3)", 5 };

enum rb_err
access_company_load(struct db *db, const struct est_id *est,
    const struct qid *caller, const char *service, struct rb_date today,
    struct company_access *a)
{
	char today_s[11], statuses[AUTHORITY_STATUSES_LEN];
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	date_format(today, today_s);
	authority_statuses(statuses);
	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_str(&p, caller ? caller->s : NULL);
	db_param_str(&p, service);
	db_param_str(&p, today_s);
	db_param_str(&p, statuses);
	if ((rc = db_exec_stmt(db, &res, &st_access, p.v)) != RB_OK)
		return rc;
	a->exists = db_get_bool(res, 0, 0);
	a->signatory = db_get_bool(res, 0, 1);
	a->holds_grants = db_get_bool(res, 0, 2);
	a->has_service = a->signatory || db_get_bool(res, 0, 3);
	PQclear(res);
	return RB_OK;
}

static const struct db_stmt st_me_person = { "me_person",
	"SELECT name_ar, name_en FROM persons WHERE qid = $1", 1 };
static const struct db_stmt st_me_companies = { "me_companies",
	"SELECT c.est_id, c.name_ar, c.name_en FROM acting_signatories($2::text[]) s"
	" JOIN companies c ON c.est_id = s.est_id"
	" WHERE s.qid = $1 ORDER BY c.est_id", 2 };
static const struct db_stmt st_me_grants = { "me_grants",
	"SELECT g.id, g.est_id, c.name_en, c.name_ar, g.service, g.valid_until,"
	" g.valid_from"
	" FROM live_grants($2::date, $3::text[]) g"
	" JOIN companies c ON c.est_id = g.est_id"
	" WHERE g.qid = $1 ORDER BY g.est_id, g.service", 3 };

static enum rb_err
me_companies(PGresult *res, json_t *out)
{
	int i;

	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}",
		    "est_id", db_get_str(res, i, 0), "name_ar", db_get_str(res, i, 1),
		    "name_en", db_get_str(res, i, 2)));
	return RB_OK;
}

static enum rb_err
me_grants(PGresult *res, json_t *out)
{
	int64_t id;
	enum rb_err rc;
	int i;

	for (i = 0; i < PQntuples(res); i++) {
		if ((rc = db_get_int(res, i, 0, &id)) != RB_OK)
			return rc;
		json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?}",
		    "id", (json_int_t)id, "est_id", db_get_str(res, i, 1),
		    "company_name_en", db_get_str(res, i, 2),
		    "company_name_ar", db_get_str(res, i, 3),
		    "service", db_get_str(res, i, 4),
		    "valid_until", db_get_str(res, i, 5),
		    "valid_from", db_get_str(res, i, 6)));
	}
	return RB_OK;
}

enum rb_err
access_me_load(struct db *db, const struct qid *qid, struct rb_date today,
    json_t **me)
{
	char today_s[11], statuses[AUTHORITY_STATUSES_LEN];
	const char *p[3] = { qid->s, today_s, statuses };
	const char *pc[2] = { qid->s, statuses };
	json_t *out = json_object(), *companies = json_array(), *grants = json_array();
	PGresult *res = NULL;
	enum rb_err rc;

	*me = NULL;
	json_object_set_new(out, "signatory_of", companies);
	json_object_set_new(out, "grants", grants);
	date_format(today, today_s);
	authority_statuses(statuses);
	if ((rc = db_exec_stmt(db, &res, &st_me_person, p)) != RB_OK)
		goto out;
	if (PQntuples(res) == 1) {
		json_object_set_new(out, "name_ar", json_string(db_get_str(res, 0, 0)));
		json_object_set_new(out, "name_en", json_string(db_get_str(res, 0, 1)));
	}
	PQclear(res);
	res = NULL;
	if ((rc = db_exec_stmt(db, &res, &st_me_companies, pc)) != RB_OK ||
	    (rc = me_companies(res, companies)) != RB_OK)
		goto out;
	PQclear(res);
	res = NULL;
	if ((rc = db_exec_stmt(db, &res, &st_me_grants, p)) != RB_OK ||
	    (rc = me_grants(res, grants)) != RB_OK)
		goto out;
	*me = out;
	out = NULL;
out:
	PQclear(res);
	json_decref(out);
	return rc;
}

/* The session (SESSION_COLUMNS, 0-5), the facts (6-16: 14 is the
 * company's block, sql/020; 15-16 the grant's acceptance, sql/021) and
 * the feed's revision they are at (17, one statement: one snapshot). The
 * grant is
 * the unrevoked one, expired or not, and the person's status is read
 * whatever it is: authz_decide() says which of them denies, and why. */
static const struct db_stmt st_authz = { "authorize_facts",
	"SELECT " SESSION_COLUMNS ", p.status,"
	" EXISTS (SELECT 1 FROM signatories s WHERE s.qid = $1 AND s.est_id = $2"
	"         AND s.ended_on IS NULL),"
	" g.id, g.valid_until,"
	" (SELECT max(h.id) FROM grants h WHERE h.est_id = $2 AND h.qid = $1"
	"         AND h.service = $3 AND h.revoked_at IS NOT NULL),"
	" EXISTS (SELECT 1 FROM companies WHERE est_id = $2),"
	" EXISTS (SELECT 1 FROM services WHERE code = $3), g.valid_from,"
	" (SELECT company_block(c.enrolled, c.sector, c.self_suspended_at)"
	"         FROM companies c WHERE c.est_id = $2),"
	" coalesce(g.acceptance = 'pending', false), g.answer_by,"
	" (SELECT coalesce(max(revision), 0) FROM decision_changes)"
	" FROM (SELECT 1) one"
	" LEFT JOIN sessions s ON s.token_hash = decode($4, 'hex') AND s.ended_at IS NULL"
	" LEFT JOIN persons p ON p.qid = $1"
	" LEFT JOIN grants g ON g.est_id = $2 AND g.qid = $1 AND g.service = $3"
	"         AND g.revoked_at IS NULL", 4 };

enum rb_err
authz_lookup_load(struct db *db, const char *token_hex, const struct qid *qid,
    const struct est_id *est, const struct svc_code *svc, struct authz_lookup *l)
{
	const char *p[4] = { qid->s, est->s, svc->s, token_hex };
	PGresult *res = NULL;
	enum rb_err rc;

	if ((rc = db_exec_stmt(db, &res, &st_authz, p)) == RB_OK)
		rc = authz_lookup_read(res, l);
	PQclear(res);
	return rc;
}

enum rb_err
authz_lookup_read(PGresult *res, struct authz_lookup *l)
{
	struct authz_facts *f = &l->facts;
	const char *until;
	enum rb_err rc;

	memset(l, 0, sizeof(*l));
	if ((rc = session_row_read(res, 0, &l->session)) != RB_OK)
		goto out;
	l->service_exists = db_get_bool(res, 0, 12);
	l->company_exists = db_get_bool(res, 0, 11);
	l->person_exists = !PQgetisnull(res, 0, 6);
	if (l->person_exists &&
	    person_status_parse(db_get_str(res, 0, 6), &f->status) != RB_OK) {
		rc = RB_EINTERNAL;
		goto out;
	}
	f->signatory = db_get_bool(res, 0, 7);
	f->has_live_grant = !PQgetisnull(res, 0, 8);
	if (f->has_live_grant && (rc = db_get_int(res, 0, 8, &f->live_grant_id)) != RB_OK)
		goto out;
	until = db_get_str(res, 0, 9);
	f->live_has_until = until != NULL && date_parse(until, &f->live_until) == RB_OK;
	until = db_get_str(res, 0, 13);
	f->live_has_from = until != NULL && date_parse(until, &f->live_from) == RB_OK;
	if (!PQgetisnull(res, 0, 10) &&
	    (rc = db_get_int(res, 0, 10, &f->revoked_grant_id)) != RB_OK)
		goto out;
	if (!PQgetisnull(res, 0, 14)) {
		int64_t block;

		if ((rc = db_get_int(res, 0, 14, &block)) != RB_OK)
			goto out;
		f->company_block = (enum company_block)block;
	}
	/* Pending (issue 16 §1): a pending row always has its last day. */
	f->live_pending = db_get_bool(res, 0, 15);
	if (f->live_pending && (db_get_str(res, 0, 16) == NULL ||
	    date_parse(db_get_str(res, 0, 16), &f->live_answer_by) != RB_OK)) {
		rc = RB_EINTERNAL;
		goto out;
	}
	/* The point-in-time query (authz_lookup_at) has no revision column:
	 * history is not the feed's. */
	if (PQnfields(res) > 17)
		rc = db_get_int(res, 0, 17, &l->revision);
out:
	return rc;
}
