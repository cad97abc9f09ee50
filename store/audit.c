#include <stdlib.h>

#include "lib/xalloc.h"
#include "store/audit.h"

enum rb_err
audit_append(struct db *db, const struct audit_ctx *a, const char *action,
    const char *target, json_t *detail)
{
	struct db_params p;
	char *text;
	enum rb_err rc;

	text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	db_params_init(&p);
	db_param_int(&p, a->now);
	db_param_str(&p, a->actor);
	db_param_str(&p, action);
	db_param_str(&p, target);
	db_param_str(&p, text ? text : "{}");
	db_param_str(&p, a->client_addr ? a->client_addr : "");
	rc = db_exec_p(db, NULL, "SELECT audit_append(to_timestamp($1::bigint), "
	    "$2, $3, $4, $5, $6)", &p);
	free(text);
	return rc;
}
