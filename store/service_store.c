#include "store/page.h"
#include "store/service_store.h"

/* Asked on every page that offers grants: prepared once per connection. */
static const struct db_stmt st_services = { "services_list",
	"SELECT code, name_ar, name_en FROM services WHERE grantable ORDER BY code", 0 };

enum rb_err
service_list(struct db *db, json_t **page)
{
	PGresult *res = NULL;
	json_t *items;
	enum rb_err rc;
	int i, n;

	*page = NULL;
	if ((rc = db_exec_stmt(db, &res, &st_services, NULL)) != RB_OK)
		return rc;
	items = json_array();
	n = PQntuples(res);
	for (i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s}",
		    "code", db_get_str(res, i, 0), "name_ar", db_get_str(res, i, 1),
		    "name_en", db_get_str(res, i, 2)));
	PQclear(res);
	*page = page_json(items, n, n, 0);
	return RB_OK;
}
