/* Every route of the API, in one place. Handlers live one file per resource. */
#include "handlers.h"
#include "router.h"

const struct route routes[] = {
	{ "GET",    "/api/v1/health",				h_health,	   ROUTE_PUBLIC },
	{ "POST",   "/api/v1/session",				h_session_create,  ROUTE_PUBLIC },
	{ "DELETE", "/api/v1/session",				h_session_delete,  ROUTE_SIGNED_IN },
	{ "GET",    "/api/v1/me",				h_me,		   ROUTE_SIGNED_IN },
	{ "GET",    "/api/v1/services",				h_services_list,   ROUTE_SIGNED_IN },
	{ "GET",    "/api/v1/authorize",			h_authorize,	   ROUTE_SIGNED_IN },
	{ "GET",    "/api/v1/companies/{est_id}/grants",	h_grants_list,	   ROUTE_SIGNED_IN },
	{ "POST",   "/api/v1/companies/{est_id}/grants",	h_grants_create,   ROUTE_SIGNED_IN },
	{ "DELETE", "/api/v1/companies/{est_id}/grants/{id}",	h_grants_revoke,   ROUTE_SIGNED_IN },
	{ "GET",    "/api/v1/companies/{est_id}/employees",	h_employees_list,  ROUTE_SIGNED_IN },
	{ "POST",   "/api/v1/persons/{qid}/status",		h_person_status,   ROUTE_SIGNED_IN },
	{ "POST",   "/api/v1/persons/{qid}/employment/{est_id}/end", h_employment_end, ROUTE_SIGNED_IN },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
