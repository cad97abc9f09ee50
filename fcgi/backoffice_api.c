/*
 * The reviewers' company search, GET /backoffice/companies. Their side of
 * renewal subscriptions is in subscription_api.c, next to the company's.
 */
#include <string.h>

#include "fcgi/handlers.h"
#include "store/company_store.h"

void
h_backoffice_companies(struct req *r)
{
	char q[128];
	int64_t limit, offset;
	json_t *page;
	enum rb_err rc;
	int got;

	if (req_paging(r, &limit, &offset) != RB_OK)
		return;
	if ((got = req_query_param(r, "q", q, sizeof(q))) <= 0 || q[0] == '\0' ||
	    strlen(q) > 100) {
		resp_error_field(r, 400, "invalid_field", "q",
		    "q is 1 to 100 bytes: the start of an establishment number, or part of a name");
		return;
	}
	if ((rc = company_store_search(r->db, q, limit, offset, &page)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	resp_json(r, 200, page);
}
