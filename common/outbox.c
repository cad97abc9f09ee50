#include <stdio.h>
#include <stdlib.h>

#include "outbox.h"
#include "xalloc.h"

enum rb_err
outbox_add(struct db *db, int64_t now, const struct outbox_msg *m)
{
	char now_s[24], sid[24];
	const char *p[9];
	char *params = m->params ? json_dumps(m->params, JSON_COMPACT) : xstrdup("{}");
	enum rb_err rc;

	snprintf(now_s, sizeof(now_s), "%lld", (long long)now);
	snprintf(sid, sizeof(sid), "%lld", (long long)m->statement_id);
	p[0] = m->channel;
	p[1] = m->recipient;
	p[2] = m->language;
	p[3] = m->template;
	p[4] = params;
	p[5] = m->statement_id ? sid : NULL;
	p[6] = m->est_id;
	p[7] = m->qid;
	p[8] = now_s;
	rc = db_exec(db, NULL, "INSERT INTO outbox (channel, recipient, language, template,"
	    " params, statement_id, est_id, qid, next_attempt_at, created_at)"
	    " VALUES ($1, $2, $3, $4, $5::jsonb, $6::bigint, $7, $8,"
	    " to_timestamp($9::bigint), to_timestamp($9::bigint))", 9, p);
	free(params);
	return rc;
}

enum rb_err
outbox_sms_persons(struct db *db, int64_t now, const char *est_id, json_t *items)
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
	/* One statement for the whole company: a national cycle queues a
	 * message for every candidate. */
	rc = db_exec(db, NULL, "INSERT INTO outbox (channel, recipient, language, template,"
	    " params, est_id, qid, next_attempt_at, created_at)"
	    " SELECT 'sms', p.mobile, p.language, x.template, x.params, $2, x.qid,"
	    " to_timestamp($3::bigint), to_timestamp($3::bigint)"
	    " FROM jsonb_to_recordset($1::jsonb) AS x(qid text, template text, params jsonb)"
	    " JOIN persons p ON p.qid = x.qid", 3, p);
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
