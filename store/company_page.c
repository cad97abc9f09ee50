#include "store/company_page.h"

enum rb_err
company_page(struct db *db, const char *sql, const char *count_sql, row_json_fn row,
    const struct est_id *est, int64_t limit, int64_t offset, json_t **page)
{
	struct db_params p, cp;

	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_int(&p, limit);
	db_param_int(&p, offset);
	db_params_init(&cp);
	db_param_str(&cp, est->s);
	return page_query(db, sql, &p, row, limit, offset, count_sql, &cp, page);
}
