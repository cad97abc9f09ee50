/* GET /api/v1/companies/{est_id}/employees */
#include <stdio.h>
#include <stdlib.h>

#include "fcgi/access.h"
#include "fcgi/handlers.h"

static const char employees_sql[] =
	"SELECT p.qid, p.name_ar, p.name_en, p.status, p.citizen, p.permit_expiry,"
	" e.since, count(*) OVER ()"
	" FROM employment e JOIN persons p ON p.qid = e.qid"
	" WHERE e.est_id = $1 AND e.ended_on IS NULL"
	" ORDER BY p.qid LIMIT $2 OFFSET $3";

static json_t *
employee_json(PGresult *res, int i)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s?, s:s}",
	    "qid", PQgetvalue(res, i, 0), "name_ar", PQgetvalue(res, i, 1),
	    "name_en", PQgetvalue(res, i, 2), "status", PQgetvalue(res, i, 3),
	    "citizen", PQgetvalue(res, i, 4)[0] == 't',
	    "permit_expiry", PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5),
	    "since", PQgetvalue(res, i, 6));
}

void
h_employees_list(struct req *r)
{
	char lim[24], off[24];
	const char *p[3];
	int64_t limit, offset;

	if (req_paging(r, &limit, &offset) != RB_OK)
		return;
	if (access_require(r, NEED_SIGNATORY_OR_REVIEWER, NULL, NULL) != RB_OK)
		return;
	snprintf(lim, sizeof(lim), "%lld", (long long)limit);
	snprintf(off, sizeof(off), "%lld", (long long)offset);
	p[0] = r->params.est.s;
	p[1] = lim;
	p[2] = off;
	resp_query_page(r, employees_sql, 3, p, employee_json, limit, offset,
	    "SELECT count(*) FROM employment WHERE est_id = $1 AND ended_on IS NULL", 1, p);
}
