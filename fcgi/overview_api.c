/*
 * GET /api/v1/companies/{est_id}/overview: the company home's figures
 * (issue 12 §2); the query is store/company_overview.c.
 */
#include "domain/calendar.h"
#include "fcgi/access.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "store/company_overview.h"

void
h_company_overview(struct req *r)
{
	struct rb_date today = clock_today();
	json_t *o;
	enum rb_err rc;

	/* Those who may see the preview: the figures are the preview's. */
	if (access_require(r, NEED_SERVICE_OR_REVIEWER, "RENEWAL_MANAGE", NULL) != RB_OK)
		return;
	if ((rc = company_overview(&r->w->db, &r->params.est, today,
	    cycle_execution_from(today), &o)) != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 200, o);
}
