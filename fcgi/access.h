/* Object-level access: what the signed-in caller is to a company. */
#ifndef RB_ACCESS_H
#define RB_ACCESS_H

#include "http.h"

struct company_access {
	int	exists;		/* the company is registered */
	int	signatory;	/* the caller is an active signatory, and active */
	int	holds_grants;	/* the caller holds or held grants for it */
	int	has_service;	/* the caller may do the asked service for it */
};

/* service may be NULL; has_service then equals signatory. */
enum rb_err	access_company(struct req *, const struct est_id *,
		    const char *service, struct company_access *);

#endif
