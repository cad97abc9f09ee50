#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "store/company_store.h"
#include "store/page.h"
#include "store/subscription_store.h"

char *
company_like_escape(const char *s)
{
	char *out = xmalloc(2 * strlen(s) + 1), *w = out;

	for (; *s != '\0'; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*w++ = '\\';
		*w++ = *s;
	}
	*w = '\0';
	return out;
}

static json_t *
company_json(PGresult *res, int i)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?}",
	    "est_id", db_get_str(res, i, 0), "name_ar", db_get_str(res, i, 1),
	    "name_en", db_get_str(res, i, 2), "email", db_get_str(res, i, 3),
	    "language", db_get_str(res, i, 4),
	    "subscription_status", db_get_str(res, i, 5));
}

/* $1: the search text, LIKE-escaped. */
#define SEARCH_FROM \
	" FROM companies c WHERE c.est_id LIKE $1 || '%'" \
	" OR c.name_en ILIKE '%' || $1 || '%' OR c.name_ar ILIKE '%' || $1 || '%'"

enum rb_err
company_store_search(struct db *db, const char *q, int64_t limit, int64_t offset,
    json_t **page)
{
	static const char sql[] =
	    "SELECT c.est_id, c.name_ar, c.name_en, c.email, c.language,"
	    " (SELECT s.status FROM renewal_subscriptions s WHERE s.est_id = c.est_id"
	    SUBSCRIPTION_CURRENT_ORDER " LIMIT 1), count(*) OVER ()"
	    SEARCH_FROM " ORDER BY c.est_id LIMIT $2 OFFSET $3";
	struct db_params p, cp;
	char *esc = company_like_escape(q);
	enum rb_err rc;

	db_params_init(&cp);
	db_param_str(&cp, esc);
	db_params_init(&p);
	db_param_str(&p, esc);
	db_param_int(&p, limit);
	db_param_int(&p, offset);
	rc = page_query(db, sql, &p, company_json, limit, offset,
	    "SELECT count(*)" SEARCH_FROM, &cp, page);
	free(esc);
	return rc;
}
