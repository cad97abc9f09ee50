#include "store/page.h"

json_t *
page_json(json_t *items, int64_t total, int64_t limit, int64_t offset)
{
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items,
	    "total", (json_int_t)total, "limit", (json_int_t)limit,
	    "offset", (json_int_t)offset);
}

enum rb_err
page_query(struct db *db, const char *sql, const struct db_params *p,
    row_json_fn row, int64_t limit, int64_t offset, const char *count_sql,
    const struct db_params *count_params, json_t **page)
{
	PGresult *res = NULL;
	int64_t total = 0;
	json_t *items = NULL;
	enum rb_err rc;
	int i, n;

	*page = NULL;
	if ((rc = db_exec_p(db, &res, sql, p)) != RB_OK)
		goto out;
	items = json_array();
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		json_t *item = row(res, i);

		/* A row that cannot be read is a broken schema, not a shorter page. */
		if (item == NULL) {
			rc = RB_EINTERNAL;
			goto out;
		}
		json_array_append_new(items, item);
	}
	if (n > 0 && (rc = db_get_int(res, 0, PQnfields(res) - 1, &total)) != RB_OK)
		goto out;
	PQclear(res);
	res = NULL;
	if (n == 0 && offset > 0) {
		if ((rc = db_exec_p(db, &res, count_sql, count_params)) != RB_OK ||
		    (rc = db_get_int(res, 0, 0, &total)) != RB_OK)
			goto out;
	}
	*page = page_json(items, total, limit, offset);
	items = NULL;
out:
	PQclear(res);
	json_decref(items);
	return rc;
}
