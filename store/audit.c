#include <stdio.h>
#include <stdlib.h>

#include "lib/xalloc.h"
#include "store/audit.h"

/* The detail as it is hashed: compact, keys sorted (owned by the caller). */
static char *
detail_text(json_t *detail)
{
	return detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

enum rb_err
audit_append(struct db *db, const struct audit_ctx *a, const char *action,
    const char *target, json_t *detail)
{
	struct db_params p;
	char *text;
	enum rb_err rc;

	text = detail_text(detail);
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

void
audit_batch_init(struct audit_batch *b)
{
	b->rows = json_array();
}

void
audit_batch_add(struct audit_batch *b, const char *action, const char *target,
    json_t *detail)
{
	char *text = detail_text(detail);

	json_array_append_new(b->rows, json_pack("{s:s, s:s, s:s}", "action", action,
	    "target", target, "detail", text ? text : "{}"));
	free(text);
}

/* audit_append() takes the chain's lock and links each row to the one
 * before: called once per record, in the array's order. Prepared: the
 * cycle appends once per batch. */
static const struct db_stmt st_batch = { "audit_batch_append",
	"SELECT count(audit_append(to_timestamp($1::bigint), $2, x.action, x.target, x.detail,"
	" $3)) FROM json_to_recordset($4::json) AS x(action text, target text, detail text)",
	4 };

enum rb_err
audit_batch_append(struct db *db, const struct audit_ctx *a, struct audit_batch *b)
{
	char now[24], *doc;
	const char *p[4];
	enum rb_err rc;

	if (json_array_size(b->rows) == 0)
		return RB_OK;
	doc = json_dumps(b->rows, JSON_COMPACT);
	snprintf(now, sizeof(now), "%lld", (long long)a->now);
	p[0] = now;
	p[1] = a->actor;
	p[2] = a->client_addr ? a->client_addr : "";
	p[3] = doc;
	rc = db_exec_stmt(db, NULL, &st_batch, p);
	free(doc);
	return rc;
}

void
audit_batch_free(struct audit_batch *b)
{
	json_decref(b->rows);
	b->rows = NULL;
}
