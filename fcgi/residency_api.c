/*
 * GET /api/v1/me/residency: the signed-in resident's own page (issue 16
 * §4): permit, sponsor, the next execution for them and why, the last
 * execution's result, the grants they hold. The session's QID is the only
 * person it reads: there is no parameter to name another.
 */
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "store/residency_store.h"

void
h_me_residency(struct req *r)
{
	json_t *out;
	enum rb_err rc;

	if (!r->sess.has_qid) {
		resp_error(r, 403, "not_a_person", "only a registered person has a residency page");
		return;
	}
	rc = residency_load(&r->w->db, r->w->cat, &r->sess.qid, clock_today(), &out);
	if (rc == RB_ENOTFOUND)
		resp_error(r, 404, "unknown_person", "no such person in the registry");
	else if (rc != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 200, out);
}
