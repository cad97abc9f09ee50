#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/xalloc.h"
#include "notify/outbox.h"
#include "store/grant_store.h"

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
	char *arr, *w;
	const char *p[4];
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
	p[0] = grantor->s;
	p[1] = est->s;
	p[2] = grantee->s;
	p[3] = arr;
	if ((rc = db_exec(db, &r, sql, 4, p)) != RB_OK)
		goto out;
	f->grantor_signs_for_company = PQgetvalue(r, 0, 0)[0] == 't';
	f->grantor_active = !PQgetisnull(r, 0, 1) &&
	    strcmp(PQgetvalue(r, 0, 1), "active") == 0;
	f->grantee_exists = !PQgetisnull(r, 0, 2);
	f->grantee_status = PS_ACTIVE;
	if (f->grantee_exists &&
	    person_status_parse(PQgetvalue(r, 0, 2), &f->grantee_status) != RB_OK) {
		rc = RB_EINTERNAL;
		goto out;
	}
	f->employed_by_company = !PQgetisnull(r, 0, 3);
	f->employed_in_group = !PQgetisnull(r, 0, 4);
	*basis = 0;
	if (f->employed_by_company)
		*basis = strtoll(PQgetvalue(r, 0, 3), NULL, 10);
	else if (f->employed_in_group)
		*basis = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
	f->services_grantable = strtoull(PQgetvalue(r, 0, 5), NULL, 10) == ncodes;
out:
	PQclear(r);
	free(arr);
	return rc;
}

enum rb_err
grant_insert(struct db *db, const struct audit_ctx *a, const struct est_id *est,
    const struct qid *grantee, const struct qid *grantor,
    const struct svc_code *code, int64_t basis,
    const struct rb_date *valid_until, struct rb_date today, int64_t *id)
{
	char now[24], basis_s[24], until_s[11], today_s[11], target[40];
	const char *p[7];
	PGresult *r = NULL;
	json_t *detail = NULL;
	enum rb_err rc;

	snprintf(now, sizeof(now), "%lld", (long long)a->now);
	snprintf(basis_s, sizeof(basis_s), "%lld", (long long)basis);
	date_format(today, today_s);
	if (valid_until)
		date_format(*valid_until, until_s);
	p[0] = est->s;
	p[1] = grantee->s;
	p[2] = code->s;
	p[3] = grantor->s;
	p[4] = now;
	p[5] = today_s;
	rc = db_exec(db, NULL,
	    "UPDATE grants SET revoked_at = to_timestamp($5::bigint),"
	    " revoked_by = $4, revoke_reason = 'superseded'"
	    " WHERE est_id = $1 AND qid = $2 AND service = $3"
	    " AND revoked_at IS NULL AND valid_until < $6::date", 6, p);
	if (rc != RB_OK)
		goto out;
	p[5] = basis_s;
	p[6] = valid_until ? until_s : NULL;
	rc = db_exec(db, &r,
	    "INSERT INTO grants (est_id, qid, service, granted_by,"
	    " granted_at, basis_employment_id, valid_until)"
	    " VALUES ($1, $2, $3, $4, to_timestamp($5::bigint), $6, $7::date)"
	    " RETURNING id", 7, p);
	if (rc != RB_OK)
		goto out;
	*id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	snprintf(target, sizeof(target), "grant:%lld", (long long)*id);
	detail = json_pack("{s:s, s:s, s:s, s:s?}", "est_id", est->s,
	    "qid", grantee->s, "service", code->s,
	    "valid_until", valid_until ? until_s : NULL);
	if ((rc = audit_append(db, a, "grant.create", target, detail)) == RB_OK) {
		char ids[32];

		snprintf(ids, sizeof(ids), "{%lld}", (long long)*id);
		rc = outbox_grants_created(db, a->now, ids);
	}
out:
	json_decref(detail);
	PQclear(r);
	return rc;
}

/*
 * Audits every revoked row of r (columns id, est_id, qid, service) and
 * tells each representative by SMS why. Not when the person died, nor
 * when a new grant of the same service supersedes an expired one (that
 * grant's own message says it all).
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
		char *more = xasprintf("%s%s%s", ids, i ? "," : "", PQgetvalue(r, i, 0));

		free(ids);
		ids = more;
		snprintf(target, sizeof(target), "grant:%s", PQgetvalue(r, i, 0));
		detail = json_pack("{s:s, s:s, s:s, s:s}", "reason", reason,
		    "est_id", PQgetvalue(r, i, 1), "qid", PQgetvalue(r, i, 2),
		    "service", PQgetvalue(r, i, 3));
		rc = audit_append(db, a, "grant.revoke", target, detail);
		json_decref(detail);
	}
	if (rc == RB_OK && PQntuples(r) > 0 &&
	    strcmp(reason, revoke_reason_name(REVOKE_STATUS_DECEASED)) != 0 &&
	    strcmp(reason, revoke_reason_name(REVOKE_SUPERSEDED)) != 0) {
		char *closed = xasprintf("%s}", ids);

		rc = outbox_grants_revoked(db, a->now, closed, reason);
		free(closed);
	}
	free(ids);
	return rc;
}

enum rb_err
grant_revoke(struct db *db, const struct audit_ctx *a, const struct est_id *est,
    int64_t id, const char *by)
{
	char id_s[24], now[24];
	const char *p[4];
	PGresult *r = NULL;
	enum rb_err rc;

	snprintf(id_s, sizeof(id_s), "%lld", (long long)id);
	snprintf(now, sizeof(now), "%lld", (long long)a->now);
	p[0] = id_s;
	p[1] = est->s;
	p[2] = by;
	p[3] = now;
	rc = db_exec(db, &r,
	    "UPDATE grants SET revoked_at = to_timestamp($4::bigint),"
	    " revoked_by = $3, revoke_reason = 'revoked_by_signatory'"
	    " WHERE id = $1 AND est_id = $2 AND revoked_at IS NULL"
	    " RETURNING id, est_id, qid, service", 4, p);
	if (rc != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		PQclear(r);
		r = NULL;
		rc = db_exec(db, &r, "SELECT 1 FROM grants WHERE id = $1 AND est_id = $2",
		    2, p);
		if (rc == RB_OK)
			rc = PQntuples(r) ? RB_ECONFLICT : RB_ENOTFOUND;
		goto out;
	}
	rc = record_revocations(db, a, r, revoke_reason_name(REVOKE_BY_SIGNATORY));
out:
	PQclear(r);
	return rc;
}

enum rb_err
grants_revoke_for_person(struct db *db, const struct audit_ctx *a,
    const struct qid *qid, enum revoke_reason why, int *count)
{
	char now[24];
	const char *p[4];
	PGresult *r = NULL;
	enum rb_err rc;

	snprintf(now, sizeof(now), "%lld", (long long)a->now);
	p[0] = qid->s;
	p[1] = a->actor;
	p[2] = revoke_reason_name(why);
	p[3] = now;
	rc = db_exec(db, &r,
	    "UPDATE grants SET revoked_at = to_timestamp($4::bigint),"
	    " revoked_by = $2, revoke_reason = $3"
	    " WHERE qid = $1 AND revoked_at IS NULL"
	    " RETURNING id, est_id, qid, service", 4, p);
	if (rc != RB_OK)
		goto out;
	*count = PQntuples(r);
	rc = record_revocations(db, a, r, p[2]);
out:
	PQclear(r);
	return rc;
}

enum rb_err
grants_revoke_for_employment(struct db *db, const struct audit_ctx *a,
    int64_t employment_id, int *count)
{
	char now[24], id_s[24];
	const char *p[4];
	PGresult *r = NULL;
	enum rb_err rc;

	snprintf(now, sizeof(now), "%lld", (long long)a->now);
	snprintf(id_s, sizeof(id_s), "%lld", (long long)employment_id);
	p[0] = id_s;
	p[1] = a->actor;
	p[2] = revoke_reason_name(REVOKE_EMPLOYMENT_ENDED);
	p[3] = now;
	rc = db_exec(db, &r,
	    "UPDATE grants SET revoked_at = to_timestamp($4::bigint),"
	    " revoked_by = $2, revoke_reason = $3"
	    " WHERE basis_employment_id = $1 AND revoked_at IS NULL"
	    " RETURNING id, est_id, qid, service", 4, p);
	if (rc != RB_OK)
		goto out;
	*count = PQntuples(r);
	rc = record_revocations(db, a, r, p[2]);
out:
	PQclear(r);
	return rc;
}
