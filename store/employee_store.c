#include "store/employee_store.h"
#include "store/company_page.h"

static json_t *
employee_json(PGresult *res, int i)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s?, s:s}",
	    "qid", db_get_str(res, i, 0), "name_ar", db_get_str(res, i, 1),
	    "name_en", db_get_str(res, i, 2), "status", db_get_str(res, i, 3),
	    "citizen", db_get_bool(res, i, 4), "permit_expiry", db_get_str(res, i, 5),
	    "since", db_get_str(res, i, 6));
}

enum rb_err
employee_page(struct db *db, const struct est_id *est, int64_t limit, int64_t offset,
    json_t **page)
{
	return company_page(db,
	    "SELECT p.qid, p.name_ar, p.name_en, p.status, p.citizen, p.permit_expiry,"
	    " e.since, count(*) OVER ()"
	    " FROM employment e JOIN persons p ON p.qid = e.qid"
	    " WHERE e.est_id = $1 AND e.ended_on IS NULL"
	    " ORDER BY p.qid LIMIT $2 OFFSET $3",
	    "SELECT count(*) FROM employment WHERE est_id = $1 AND ended_on IS NULL",
	    employee_json, est, limit, offset, page);
}
