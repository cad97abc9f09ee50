/* GET /api/v1/companies/{est_id}/employees; the query is store/employee_store.c. */
#include "fcgi/access.h"
#include "fcgi/handlers.h"
#include "store/employee_store.h"

void
h_employees_list(struct req *r)
{
	int64_t limit, offset;
	json_t *page;
	enum rb_err rc;

	if (req_paging(r, &limit, &offset) != RB_OK)
		return;
	if (access_require(r, NEED_SIGNATORY_OR_REVIEWER, NULL, NULL) != RB_OK)
		return;
	if ((rc = employee_page(&r->w->db, &r->params.est, limit, offset, &page)) != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 200, page);
}
