#include <stdlib.h>

#include "notify/outbox.h"

enum rb_err
outbox_add_batch(struct db *db, int64_t now, const char *est_id, json_t *items)
{
	struct db_params p;
	char *doc;
	enum rb_err rc;

	if (json_array_size(items) == 0)
		return RB_OK;
	doc = json_dumps(items, JSON_COMPACT);
	db_params_init(&p);
	db_param_str(&p, doc);
	db_param_str(&p, est_id);
	db_param_int(&p, now);
	/* One statement for a whole company's cycle: a national cycle queues a
	 * message for every candidate. */
	rc = db_exec_p(db, NULL, "INSERT INTO outbox (channel, recipient, language, template,"
	    " params, statement_id, est_id, qid, next_attempt_at, created_at)"
	    " SELECT x.channel, coalesce(x.recipient, p.mobile), coalesce(x.language, p.language),"
	    " x.template, x.params, x.statement_id, $2, x.qid,"
	    " to_timestamp($3::bigint), to_timestamp($3::bigint)"
	    " FROM jsonb_to_recordset($1::jsonb) AS x(channel text, recipient text,"
	    " language text, template text, params jsonb, statement_id bigint, qid text)"
	    " LEFT JOIN persons p ON p.qid = x.qid", &p);
	free(doc);
	return rc;
}

/* The grantee, the company and the service in both languages. */
#define GRANT_PARAMS \
	"jsonb_build_object('company_ar', c.name_ar, 'company_en', c.name_en," \
	" 'service_ar', s.name_ar, 'service_en', s.name_en, 'est_id', g.est_id"
#define GRANT_FROM \
	" FROM grants g JOIN persons p ON p.qid = g.qid" \
	" JOIN companies c ON c.est_id = g.est_id JOIN services s ON s.code = g.service" \
	" WHERE g.id = ANY($1::bigint[])"

/* The parameters of both: $1 the grant ids, $2 the instant. */
static void
grant_params(struct db_params *p, int64_t now, const char *ids)
{
	db_params_init(p);
	db_param_str(p, ids);
	db_param_int(p, now);
}

enum rb_err
outbox_grants_created(struct db *db, int64_t now, const char *ids)
{
	struct db_params p;

	grant_params(&p, now, ids);
	return db_exec_p(db, NULL, "INSERT INTO outbox (channel, recipient, language, template,"
	    " params, est_id, qid, next_attempt_at, created_at)"
	    " SELECT 'sms', p.mobile, p.language, CASE WHEN g.valid_until IS NULL"
	    " THEN 'sms.grant.created' ELSE 'sms.grant.created_until' END, "
	    GRANT_PARAMS ", 'valid_until', g.valid_until), g.est_id, g.qid,"
	    " to_timestamp($2::bigint), to_timestamp($2::bigint)" GRANT_FROM, &p);
}

enum rb_err
outbox_grants_revoked(struct db *db, int64_t now, const char *ids, const char *reason)
{
	struct db_params p;

	grant_params(&p, now, ids);
	db_param_str(&p, reason);
	return db_exec_p(db, NULL, "INSERT INTO outbox (channel, recipient, language, template,"
	    " params, est_id, qid, next_attempt_at, created_at)"
	    " SELECT 'sms', p.mobile, p.language, 'sms.grant.revoked', "
	    GRANT_PARAMS ", 'reason', $3::text), g.est_id, g.qid,"
	    " to_timestamp($2::bigint), to_timestamp($2::bigint)" GRANT_FROM, &p);
}
