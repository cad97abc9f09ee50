/* GET /api/v1/services: the catalogue (store/service_store.c). */
#include "fcgi/handlers.h"
#include "store/service_store.h"

void
h_services_list(struct req *r)
{
	json_t *page;
	enum rb_err rc;

	if ((rc = service_list(&r->w->db, &page)) != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 200, page);
}
