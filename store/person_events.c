#include <stdio.h>
#include <string.h>

#include "store/grant_store.h"
#include "store/person_events.h"

enum rb_err
person_set_status(struct db *db, const struct audit_ctx *a,
    const struct qid *qid, enum person_status s, int *changed, int *revoked)
{
	const char *p[2] = { qid->s, person_status_name(s) };
	struct db_params dp;
	char target[24], old[32];
	enum revoke_reason why;
	PGresult *r = NULL;
	json_t *detail = NULL;
	enum rb_err rc;

	*changed = *revoked = 0;
	/* The row lock orders concurrent changes of the same person. */
	db_params_init(&dp);
	db_param_str(&dp, p[0]);
	rc = db_exec_p(db, &r, "SELECT status FROM persons WHERE qid = $1 FOR UPDATE",
	    &dp);
	if (rc != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	snprintf(old, sizeof(old), "%s", db_get_str(r, 0, 0));
	PQclear(r);
	r = NULL;
	/* Revocation runs even when the status is unchanged, so a grant
	 * that slipped past an earlier change is still ended. */
	if (revoke_reason_for_status(s, &why) &&
	    (rc = grant_revoke_all_of_person(db, a, qid, why, revoked)) != RB_OK)
		goto out;
	if (strcmp(old, p[1]) == 0)
		goto out;
	db_param_str(&dp, p[1]);
	if ((rc = db_exec_p(db, NULL, "UPDATE persons SET status = $2 WHERE qid = $1",
	    &dp)) != RB_OK)
		goto out;
	*changed = 1;
	snprintf(target, sizeof(target), "person:%s", qid->s);
	detail = json_pack("{s:s, s:s, s:i}", "old", old, "new", p[1],
	    "grants_revoked", *revoked);
	rc = audit_append(db, a, "person.status", target, detail);
out:
	json_decref(detail);
	PQclear(r);
	return rc;
}

enum rb_err
employment_end(struct db *db, const struct audit_ctx *a, const struct qid *qid,
    const struct est_id *est, struct rb_date on, int *revoked)
{
	char on_s[11], target[40];
	struct db_params p;
	PGresult *r = NULL;
	json_t *detail = NULL;
	int64_t id;
	enum rb_err rc;

	*revoked = 0;
	date_format(on, on_s);
	db_params_init(&p);
	db_param_str(&p, qid->s);
	db_param_str(&p, est->s);
	db_param_str(&p, on_s);
	/* An end before the start is recorded as ending on the start day. */
	rc = db_exec_p(db, &r,
	    "UPDATE employment SET ended_on = greatest($3::date, since)"
	    " WHERE qid = $1 AND est_id = $2 AND ended_on IS NULL RETURNING id", &p);
	if (rc != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	if ((rc = db_get_int(r, 0, 0, &id)) != RB_OK ||
	    (rc = grant_revoke_all_of_employment(db, a, id, revoked)) != RB_OK)
		goto out;
	snprintf(target, sizeof(target), "employment:%lld", (long long)id);
	detail = json_pack("{s:s, s:s, s:s, s:i}", "qid", qid->s, "est_id", est->s,
	    "ended_on", on_s, "grants_revoked", *revoked);
	rc = audit_append(db, a, "employment.end", target, detail);
out:
	json_decref(detail);
	PQclear(r);
	return rc;
}
