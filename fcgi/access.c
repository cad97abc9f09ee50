#include <stdio.h>

#include "fcgi/access.h"
#include "lib/clock.h"

/* has_service follows SPEC §3's check: signatory, or a live, unexpired
 * grant held by an active person. */
static const struct db_stmt st_access = { "company_access",
	"SELECT EXISTS (SELECT 1 FROM companies WHERE est_id = $1),"
	" EXISTS (SELECT 1 FROM signatories s JOIN persons p ON p.qid = s.qid"
	"         WHERE s.qid = $2 AND s.est_id = $1 AND s.ended_on IS NULL"
	"         AND p.status = 'active'),"
	" EXISTS (SELECT 1 FROM grants WHERE est_id = $1 AND qid = $2),"
	" EXISTS (SELECT 1 FROM grants g JOIN persons p ON p.qid = g.qid"
	"         WHERE g.est_id = $1 AND g.qid = $2 AND g.service = $3"
	"         AND g.revoked_at IS NULL AND p.status = 'active'"
	"         AND (g.valid_until IS NULL OR g.valid_until >= $4::date))", 4 };

enum rb_err
access_company(struct req *r, const struct est_id *est, const char *service,
    struct company_access *a)
{
	char today[11];
	const char *p[4] = { est->s, r->sess.has_qid ? r->sess.qid.s : NULL,
	    service, today };
	PGresult *res = NULL;
	enum rb_err rc;

	date_format(clock_today(), today);
	if ((rc = db_exec_stmt(&r->w->db, &res, &st_access, p)) != RB_OK)
		return rc;
	a->exists = PQgetvalue(res, 0, 0)[0] == 't';
	a->signatory = PQgetvalue(res, 0, 1)[0] == 't';
	a->holds_grants = PQgetvalue(res, 0, 2)[0] == 't';
	a->has_service = a->signatory || PQgetvalue(res, 0, 3)[0] == 't';
	PQclear(res);
	return RB_OK;
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
	if (!ca.exists) {
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
	if (ok)
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
