/* GET /api/v1/companies/{est_id}/employees */
#include <stdio.h>
#include <stdlib.h>

#include "access.h"
#include "handlers.h"

static const char employees_sql[] =
	"SELECT p.qid, p.name_ar, p.name_en, p.status, p.citizen, p.permit_expiry,"
	" e.since, count(*) OVER ()"
	" FROM employment e JOIN persons p ON p.qid = e.qid"
	" WHERE e.est_id = $1 AND e.ended_on IS NULL"
	" ORDER BY p.qid LIMIT $2 OFFSET $3";

void
h_employees_list(struct req *r)
{
	char lim[24], off[24];
	const char *p[3];
	int64_t limit, offset, total = 0;
	PGresult *res = NULL;
	json_t *items;
	enum rb_err rc;
	int i;

	if (req_paging(r, &limit, &offset) < 0)
		return;
	if (!access_require(r, NEED_SIGNATORY_OR_REVIEWER, NULL, NULL))
		return;
	snprintf(lim, sizeof(lim), "%lld", (long long)limit);
	snprintf(off, sizeof(off), "%lld", (long long)offset);
	p[0] = r->params.est.s;
	p[1] = lim;
	p[2] = off;
	if ((rc = db_exec(&r->w->db, &res, employees_sql, 3, p)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	items = json_array();
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(items, json_pack(
		    "{s:s, s:s, s:s, s:s, s:b, s:s?, s:s}",
		    "qid", PQgetvalue(res, i, 0), "name_ar", PQgetvalue(res, i, 1),
		    "name_en", PQgetvalue(res, i, 2), "status", PQgetvalue(res, i, 3),
		    "citizen", PQgetvalue(res, i, 4)[0] == 't',
		    "permit_expiry", PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5),
		    "since", PQgetvalue(res, i, 6)));
	if (PQntuples(res) > 0)
		total = strtoll(PQgetvalue(res, 0, 7), NULL, 10);
	PQclear(res);
	resp_page(r, items, total, limit, offset, "SELECT count(*) FROM employment"
		    " WHERE est_id = $1 AND ended_on IS NULL", 1, p);
}
