#include <stdio.h>
#include <stdlib.h>

#include "notify/outbox.h"

enum rb_err
outbox_add_batch(struct db *db, int64_t now, const char *est_id, json_t *items)
{
	char now_s[24];
	const char *p[3];
	char *doc;
	enum rb_err rc;

	if (json_array_size(items) == 0)
		return RB_OK;
	doc = json_dumps(items, JSON_COMPACT);
	snprintf(now_s, sizeof(now_s), "%lld", (long long)now);
	p[0] = doc;
	p[1] = est_id;
	p[2] = now_s;
	/* One statement for a whole company's cycle: a national cycle queues a
	 * message for every candidate. */
	rc = db_exec(db, NULL, "INSERT INTO outbox (channel, recipient, language, template,"
	    " params, statement_id, est_id, qid, next_attempt_at, created_at)"
	    " SELECT x.channel, coalesce(x.recipient, p.mobile), coalesce(x.language, p.language),"
	    " x.template, x.params, x.statement_id, $2, x.qid,"
	    " to_timestamp($3::bigint), to_timestamp($3::bigint)"
	    " FROM jsonb_to_recordset($1::jsonb) AS x(channel text, recipient text,"
	    " language text, template text, params jsonb, statement_id bigint, qid text)"
	    " LEFT JOIN persons p ON p.qid = x.qid", 3, p);
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

enum rb_err
outbox_grants_created(struct db *db, int64_t now, const char *ids)
{
	char now_s[24];
	const char *p[2] = { ids, now_s };

	snprintf(now_s, sizeof(now_s), "%lld", (long long)now);
	return db_exec(db, NULL, "INSERT INTO outbox (channel, recipient, language, template,"
	    " params, est_id, qid, next_attempt_at, created_at)"
	    " SELECT 'sms', p.mobile, p.language, CASE WHEN g.valid_until IS NULL"
	    " THEN 'sms.grant.created' ELSE 'sms.grant.created_until' END, "
	    GRANT_PARAMS ", 'valid_until', g.valid_until), g.est_id, g.qid,"
	    " to_timestamp($2::bigint), to_timestamp($2::bigint)" GRANT_FROM, 2, p);
}

enum rb_err
outbox_grants_revoked(struct db *db, int64_t now, const char *ids, const char *reason)
{
	char now_s[24];
	const char *p[3] = { ids, now_s, reason };

	snprintf(now_s, sizeof(now_s), "%lld", (long long)now);
	return db_exec(db, NULL, "INSERT INTO outbox (channel, recipient, language, template,"
	    " params, est_id, qid, next_attempt_at, created_at)"
	    " SELECT 'sms', p.mobile, p.language, 'sms.grant.revoked', "
	    GRANT_PARAMS ", 'reason', $3::text), g.est_id, g.qid,"
	    " to_timestamp($2::bigint), to_timestamp($2::bigint)" GRANT_FROM, 3, p);
}
