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
 * waiting for its valid_from or for its acceptance included); an expired
 * live one, or a lapsed offer, is superseded. valid_from and valid_until
 * may be NULL (none). With accept_days > 0 the grant is offered (pending,
 * to be accepted by today + accept_days, *answer_by) unless its service is
 * exempted (grant_acceptance_exempt); otherwise, and with accept_days 0,
 * it is accepted at once and answer_by->days is 0. */
enum rb_err	grant_insert(struct db *, const struct audit_ctx *,
		    const struct est_id *, const struct qid *grantee,
		    const struct qid *grantor, const struct svc_code *,
		    int64_t basis, const struct rb_date *valid_from,
		    const struct rb_date *valid_until,
		    struct rb_date today, int accept_days, int64_t *id,
		    struct rb_date *answer_by);
/* RB_ENOTFOUND: no such grant of this company; RB_ECONFLICT: already
 * revoked. *why: REVOKE_WITHDRAWN for an offer not accepted, else
 * REVOKE_BY_SIGNATORY. */
enum rb_err	grant_revoke(struct db *, const struct audit_ctx *,
		    const struct est_id *, int64_t id, const char *by,
		    enum revoke_reason *why);
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

/* The grants offered to and held by qid (issue 16 §1), newest first. */
enum rb_err	grant_me_list_page(struct db *, const struct qid *, struct rb_date today,
		    int64_t limit, int64_t offset, json_t **page);

enum grant_answer_refusal {
	GRANT_ANSWER_OK = 0,
	GRANT_ANSWER_NOT_PENDING,	/* accepted, declined, withdrawn or revoked */
	GRANT_ANSWER_LAPSED,		/* its last day to answer has passed */
};
/*
 * The company of grant id when it is an offer to qid still open to an
 * answer on today (pending, not revoked, answer_by not passed): RB_OK
 * with *est; RB_ENOTFOUND otherwise (grant_answer() then says why). For
 * the enrollment gate before an acceptance (issue 15).
 */
enum rb_err	grant_offer_company(struct db *, const struct qid *, int64_t id,
		    struct rb_date today, struct est_id *est);

/*
 * The grantee qid accepts (accept) or declines grant id, audited. RB_OK;
 * RB_ENOTFOUND when it is not theirs; RB_ECONFLICT with *why.
 */
enum rb_err	grant_answer(struct db *, const struct audit_ctx *, const struct qid *,
		    int64_t id, int accept, struct rb_date today,
		    enum grant_answer_refusal *why);

#endif
