#include <stdio.h>

#include "fcgi/access.h"
#include "lib/clock.h"

/* has_service follows SPEC §3's check: signatory, or a live grant
 * (live_grants() of sql/009). */
enum rb_err
access_company(struct req *r, const struct est_id *est, const char *service,
    struct company_access *a)
{
	return access_company_load(&r->w->db, est,
	    r->sess.has_qid ? &r->sess.qid : NULL, service, clock_today(), a);
}

enum rb_err
access_require(struct req *r, enum access_need need, const char *service,
    struct company_access *out)
{
	struct company_access ca;
	enum rb_err rc;
	int ok;
	char msg[96];

	if ((rc = access_company(r, &r->params.est, service, &ca)) != RB_OK) {
		resp_rb_err(r, rc);
		return rc;
	}
	if (out != NULL)
		*out = ca;
	/* Only reviewers, who may look at any company, learn that an
	 * establishment id is not registered; to anyone else an unknown
	 * company gets the very 403 an existing one they have nothing to do
	 * with gets, so ids cannot be probed for existence. */
	if (!ca.exists && r->sess.reviewer) {
		resp_error(r, 404, "unknown_company", "no such company");
		return RB_ENOTFOUND;
	}
	switch (need) {
	case NEED_SIGNATORY:
		ok = ca.signatory;
		break;
	case NEED_SIGNATORY_OR_REVIEWER:
		ok = ca.signatory || r->sess.reviewer;
		break;
	case NEED_SERVICE:
		ok = ca.has_service;
		break;
	default:
		ok = ca.has_service || r->sess.reviewer;
		break;
	}
	if (ok && ca.exists)
		return RB_OK;
	if (need == NEED_SIGNATORY)
		resp_error(r, 403, "not_signatory",
		    "only an active signatory of the company may do this");
	else {
		snprintf(msg, sizeof(msg), "needs a signatory of the company%s%s%s",
		    service ? " or the " : "", service ? service : "",
		    service ? " permission" : "");
		resp_error(r, 403, "forbidden", msg);
	}
	return RB_EFORBIDDEN;
}
