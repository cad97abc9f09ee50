#include <stdio.h>
#include <stdlib.h>

#include "lib/xalloc.h"
#include "store/audit.h"

enum rb_err
audit_append(struct db *db, const struct audit_ctx *a, const char *action,
    const char *target, json_t *detail)
{
	char at[32], *text;
	const char *p[6];
	enum rb_err rc;

	text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	snprintf(at, sizeof(at), "%lld", (long long)a->now);
	p[0] = at;
	p[1] = a->actor;
	p[2] = action;
	p[3] = target;
	p[4] = text ? text : "{}";
	p[5] = a->client_addr ? a->client_addr : "";
	rc = db_exec(db, NULL, "SELECT audit_append(to_timestamp($1::bigint), "
	    "$2, $3, $4, $5, $6)", 6, p);
	free(text);
	return rc;
}
