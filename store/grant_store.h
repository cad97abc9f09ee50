/*
 * The queries behind delegated authority: gathering the facts that
 * grant_rules.c decides on, and writing grants and revocations. Each
 * function runs inside the caller's transaction and audits what it changes
 * after changing it.
 */
#ifndef RB_GRANT_STORE_H
#define RB_GRANT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/grant_rules.h"
#include "domain/ids.h"
#include "lib/db.h"
#include "store/audit.h"

/* *basis is the employment that makes a grant valid: at the company
 * itself when there is one, else at a company of the grantor's group. */
enum rb_err	grant_facts_load(struct db *, const struct qid *grantor,
		    const struct est_id *, const struct qid *grantee,
		    const struct svc_code *codes, size_t ncodes,
		    struct grant_facts *f, int64_t *basis);
/* RB_ECONFLICT when a live, unexpired grant of the service exists; an
 * expired live one is superseded. */
enum rb_err	grant_insert(struct db *, const struct audit_ctx *,
		    const struct est_id *, const struct qid *grantee,
		    const struct qid *grantor, const struct svc_code *,
		    int64_t basis, const struct rb_date *valid_until,
		    struct rb_date today, int64_t *id);
/* RB_ENOTFOUND: no such grant of this company; RB_ECONFLICT: already revoked. */
enum rb_err	grant_revoke(struct db *, const struct audit_ctx *,
		    const struct est_id *, int64_t id, const char *by);
enum rb_err	grants_revoke_for_person(struct db *, const struct audit_ctx *,
		    const struct qid *, enum revoke_reason, int *count);
enum rb_err	grants_revoke_for_employment(struct db *, const struct audit_ctx *,
		    int64_t employment_id, int *count);

#endif
