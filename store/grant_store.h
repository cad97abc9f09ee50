/*
 * The queries behind delegated authority: gathering the facts that
 * domain/grant_rules.c decides on, writing grants and revocations (with
 * their audit rows and outbox messages), and listing a company's grants.
 * Each writer runs inside the caller's transaction and audits what it
 * changes after changing it. Whether a grant authorizes today is not
 * decided here but by live_grants() (sql/009), through store/access_store.c.
 */
#ifndef RB_GRANT_STORE_H
#define RB_GRANT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/grant_rules.h"
#include "domain/ids.h"
#include "lib/date.h"
#include "lib/db.h"
#include "store/audit.h"

/* *basis is the employment that makes a grant valid: at the company
 * itself when there is one, else at a company of the grantor's group. */
enum rb_err	grant_facts_load(struct db *, const struct qid *grantor,
		    const struct est_id *, const struct qid *grantee,
		    const struct svc_code *codes, size_t ncodes,
		    struct grant_facts *f, int64_t *basis);
/* RB_ECONFLICT when a live, unexpired grant of the service exists (one
 * waiting for its valid_from included); an expired live one is
 * superseded. valid_from and valid_until may be NULL (none). */
enum rb_err	grant_insert(struct db *, const struct audit_ctx *,
		    const struct est_id *, const struct qid *grantee,
		    const struct qid *grantor, const struct svc_code *,
		    int64_t basis, const struct rb_date *valid_from,
		    const struct rb_date *valid_until,
		    struct rb_date today, int64_t *id);
/* RB_ENOTFOUND: no such grant of this company; RB_ECONFLICT: already revoked. */
enum rb_err	grant_revoke(struct db *, const struct audit_ctx *,
		    const struct est_id *, int64_t id, const char *by);
/* Why the person's live grants end: revoke_reason_for_status(). */
enum rb_err	grant_revoke_all_of_person(struct db *, const struct audit_ctx *,
		    const struct qid *, enum revoke_reason, int *count);
enum rb_err	grant_revoke_all_of_employment(struct db *, const struct audit_ctx *,
		    int64_t employment_id, int *count);
/* The grants list's filters (issue 12 §2), each NULL for any: q is part of
 * the grantee's name or the start of the QID; state one of active,
 * scheduled, expired, revoked (asking for revoked implies them). */
struct grant_filter {
	const char	*q, *service, *state;
};

/*
 * One page of a company's grants into *page (the caller owns it), oldest
 * first: only's own when only is not NULL, revoked ones too when
 * include_revoked; each with its state on today, who granted and who
 * revoked it (with their names when they are people).
 */
enum rb_err	grant_list_page(struct db *, const struct est_id *, const struct qid *only,
		    int include_revoked, const struct grant_filter *, struct rb_date today,
		    int64_t limit, int64_t offset, json_t **page);

#endif
