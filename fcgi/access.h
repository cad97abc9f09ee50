/*
 * Object-level access: what the signed-in caller is to a company, and the
 * refusal a handler answers with when that is not enough.
 */
#ifndef RB_ACCESS_H
#define RB_ACCESS_H

#include "fcgi/http.h"
#include "store/access_store.h"

/* What the caller is to the company est today (store/access_store.c);
 * service may be NULL, has_service then equals signatory. Does not respond. */
enum rb_err	access_company(struct req *, const struct est_id *,
		    const char *service, struct company_access *);

/* Who may act on a company's resource. */
enum access_need {
	NEED_SIGNATORY,			/* an active signatory */
	NEED_SIGNATORY_OR_REVIEWER,	/* ... or a ministry reviewer */
	NEED_SERVICE,			/* a signatory or a holder of the service's grant */
	NEED_SERVICE_OR_REVIEWER,	/* ... or a ministry reviewer */
};

/*
 * Checks the caller against the company in the path. RB_OK when allowed;
 * otherwise it has answered (503, 403, or 404 unknown_company to a
 * reviewer only: anyone else gets the 403 of a company they have no
 * relation to, so existence is not told) and returns
 * why, like every helper of a handler that responds (docs/ARCHITECTURE.md).
 * service names the grant for the NEED_SERVICE kinds; ca may be NULL.
 */
enum rb_err	access_require(struct req *, enum access_need, const char *service,
		    struct company_access *ca);

#endif
