/*
 * /api/v1/me/grants: the grants offered to and held by the signed-in
 * person, and their answer to an offer (issue 16 §1). Only the grantee
 * answers; a grant that is not theirs is 404, as if it did not exist.
 */
#include "fcgi/authz_follower.h"
#include "fcgi/enrollment_gate.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "store/grant_store.h"

void
h_me_grants_list(struct req *r)
{
	int64_t limit, offset;
	json_t *page;
	enum rb_err rc;

	if (req_paging(r, &limit, &offset) != RB_OK)
		return;
	/* A service account or someone not in the registry is offered
	 * nothing. */
	if (!r->sess.has_qid) {
		resp_json(r, 200, page_json(json_array(), 0, limit, offset));
		return;
	}
	if ((rc = grant_me_list_page(&r->w->db, &r->sess.qid, clock_today(), limit,
	    offset, &page)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	resp_json(r, 200, page);
}

static void
answer(struct req *r, int accept)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	enum grant_answer_refusal why = GRANT_ANSWER_OK;
	struct est_id est;
	enum rb_err rc;
	json_t *out;

	if (!r->sess.has_qid) {
		resp_error(r, 404, "unknown_grant", "no such grant offered to you");
		return;
	}
	if ((rc = db_begin(db)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	/* Accepting makes the grant work: not while its company is not
	 * enrolled or suspends its own use (issue 15), as for a new grant.
	 * Declining always goes through. */
	if (accept && (rc = grant_offer_company(db, &r->sess.qid, r->params.id,
	    date_of_instant_qatar(a.now), &est)) != RB_ENOTFOUND) {
		if (rc != RB_OK)
			resp_rb_err(r, rc);
		if (rc != RB_OK || enrollment_gate(r, &est) != RB_OK) {
			db_rollback(db);
			return;
		}
	}
	if ((rc = grant_answer(db, &a, &r->sess.qid, r->params.id, accept,
	    date_of_instant_qatar(a.now), &why)) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK) {
		db_rollback(db);
		if (rc == RB_ENOTFOUND)
			resp_error(r, 404, "unknown_grant", "no such grant offered to you");
		else if (rc == RB_ECONFLICT && why == GRANT_ANSWER_LAPSED)
			resp_error(r, 409, "offer_expired",
			    "the last day to answer this offer has passed");
		else if (rc == RB_ECONFLICT)
			resp_error(r, 409, "not_pending",
			    "this grant is no longer waiting for an answer");
		else
			resp_rb_err(r, rc);
		return;
	}
	out = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)r->params.id,
	    "state", accept ? "active" : "declined",
	    "acceptance", accept ? "accepted" : "declined");
	/* Every worker answers /authorize from the new state before this
	 * answer leaves. */
	authz_write_revision(db, out);
	resp_json(r, 200, out);
}

void
h_me_grant_accept(struct req *r)
{
	answer(r, 1);
}

void
h_me_grant_decline(struct req *r)
{
	answer(r, 0);
}
