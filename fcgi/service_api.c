#include "fcgi/handlers.h"

static const struct db_stmt st_services = { "services_list",
	"SELECT code, name_ar, name_en FROM services WHERE grantable ORDER BY code", 0 };

void
h_services_list(struct req *r)
{
	PGresult *res = NULL;
	json_t *items;
	enum rb_err rc;
	int i;

	if ((rc = db_exec_stmt(&r->w->db, &res, &st_services, NULL)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	items = json_array();
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s}",
		    "code", PQgetvalue(res, i, 0), "name_ar", PQgetvalue(res, i, 1),
		    "name_en", PQgetvalue(res, i, 2)));
	PQclear(res);
	resp_json(r, 200, page_json(items, json_array_size(items),
	    (int64_t)json_array_size(items), 0));
}
