#include "access.h"

static const struct db_stmt st_access = { "company_access",
	"SELECT EXISTS (SELECT 1 FROM companies WHERE est_id = $1),"
	" EXISTS (SELECT 1 FROM signatories s JOIN persons p ON p.qid = s.qid"
	"         WHERE s.qid = $2 AND s.est_id = $1 AND s.ended_on IS NULL"
	"         AND p.status = 'active'),"
	" EXISTS (SELECT 1 FROM grants WHERE est_id = $1 AND qid = $2)", 2 };

enum rb_err
access_company(struct req *r, const struct est_id *est, struct company_access *a)
{
	const char *p[2] = { est->s, r->sess.has_qid ? r->sess.qid.s : NULL };
	PGresult *res = NULL;
	enum rb_err rc;

	if ((rc = db_exec_stmt(&r->w->db, &res, &st_access, p)) != RB_OK)
		return rc;
	a->exists = PQgetvalue(res, 0, 0)[0] == 't';
	a->signatory = PQgetvalue(res, 0, 1)[0] == 't';
	a->holds_grants = PQgetvalue(res, 0, 2)[0] == 't';
	PQclear(res);
	return RB_OK;
}
