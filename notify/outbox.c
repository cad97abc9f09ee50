#include <stdio.h>
#include <stdlib.h>

#include "notify/outbox.h"

/*
 * One prepared statement for a whole batch of companies' cycle: a national
 * cycle queues a message for every candidate. The memory is read as it was
 * before this statement (a WITH's writes are not seen by the rest of it),
 * so "said already" is judged against the previous cycle, then updated.
 * The memory only moves forward: a cycle of an earlier date run after a
 * later one (a one-shot `make cycle` for a past date) leaves the later
 * memory as it is, and its told_on never passes its last_seen (least():
 * PostgreSQL checks the proposed row before the conflict).
 */
static const struct db_stmt st_add_batch = { "outbox_add_batch",
	"WITH x AS (SELECT x.*, x.once->>'topic' AS topic,"
	" x.once->>'key' AS key, (x.once->>'seen')::date AS seen,"
	" (x.once->>'since')::date AS since, coalesce(x.est_id, $2::text) AS est"
	" FROM jsonb_to_recordset($1::jsonb) AS x(channel text, recipient text,"
	" language text, template text, params jsonb, statement_id bigint, qid text,"
	" once jsonb, est_id text)),"
	" y AS (SELECT x.*, m.fingerprint IS NOT DISTINCT FROM x.key"
	" AND m.last_seen >= x.since AS said, m.told_on"
	" FROM x LEFT JOIN notify_memory m ON x.once IS NOT NULL AND m.qid = x.qid"
	" AND m.est_id = x.est AND m.topic = x.topic),"
	" remember AS (INSERT INTO notify_memory (qid, est_id, topic, fingerprint,"
	" last_seen, told_on) SELECT qid, est, topic, key, seen,"
	" CASE WHEN said THEN least(told_on, seen) ELSE seen END FROM y WHERE once IS NOT NULL"
	" ON CONFLICT (qid, est_id, topic) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,"
	" last_seen = EXCLUDED.last_seen, told_on = EXCLUDED.told_on"
	" WHERE notify_memory.last_seen <= EXCLUDED.last_seen)"
	" INSERT INTO outbox (channel, recipient, language, template,"
	" params, statement_id, est_id, qid, next_attempt_at, created_at)"
	" SELECT y.channel, coalesce(y.recipient, p.mobile), coalesce(y.language, p.language),"
	" y.template, y.params, y.statement_id, y.est, y.qid,"
	" to_timestamp($3::bigint), to_timestamp($3::bigint)"
	" FROM y LEFT JOIN persons p ON p.qid = y.qid WHERE y.said IS NOT TRUE", 3 };

enum rb_err
outbox_add_batch(struct db *db, int64_t now, const char *est_id, json_t *items)
{
	char at[24], *doc;
	const char *p[3];
	enum rb_err rc;

	if (json_array_size(items) == 0)
		return RB_OK;
	doc = json_dumps(items, JSON_COMPACT);
	snprintf(at, sizeof(at), "%lld", (long long)now);
	p[0] = doc;
	p[1] = est_id;
	p[2] = at;
	rc = db_exec_stmt(db, NULL, &st_add_batch, p);
	free(doc);
	return rc;
}

/* A grant with what its SMS names: the grantee, the company, the service. */
#define GRANT_SMS_FROM							\
	" FROM grants g JOIN persons p ON p.qid = g.qid"			\
	" JOIN companies c ON c.est_id = g.est_id JOIN services s ON s.code = g.service"

/*
 * The grant SMS queued earlier in this very transaction (same grantee,
 * company and request: the match) takes this service too, so that several
 * services granted or offered at once are one SMS (the topic's _many
 * template); the first one of a request is a new row. services_<lang>
 * lists every service's name. A kind gives what differs: its topic, the
 * grant's columns its SMS names (cols, from the joins), the template's
 * suffix and what makes two grants one request.
 */
#define GRANT_SMS_SQL(topic, cols, joins, suffix, match, params)		\
	"WITH g AS (SELECT g.est_id, g.qid,"					\
	" p.mobile, p.language, c.name_ar AS company_ar, c.name_en AS company_en,"	\
	" s.name_ar AS service_ar, s.name_en AS service_en" cols		\
	GRANT_SMS_FROM joins							\
	" WHERE g.id = $1::bigint),"						\
	" merged AS (UPDATE outbox o SET"					\
	" template = 'sms.grant." topic "_many' || " suffix ","			\
	" params = o.params || jsonb_build_object("				\
	" 'services_ar', (o.params->'services_ar') || to_jsonb(g.service_ar),"	\
	" 'services_en', (o.params->'services_en') || to_jsonb(g.service_en))"	\
	" FROM g WHERE o.xmin = pg_current_xact_id()::xid AND o.status = 'pending'"	\
	" AND o.channel = 'sms' AND o.template LIKE 'sms.grant." topic "%'"	\
	" AND o.qid = g.qid AND o.est_id = g.est_id" match			\
	" RETURNING o.id)"							\
	" INSERT INTO outbox (channel, recipient, language, template,"		\
	" params, est_id, qid, next_attempt_at, created_at)"			\
	" SELECT 'sms', g.mobile, g.language, 'sms.grant." topic "' || " suffix ","	\
	" jsonb_build_object('company_ar', g.company_ar, 'company_en', g.company_en,"	\
	" 'service_ar', g.service_ar, 'service_en', g.service_en, 'est_id', g.est_id,"	\
	params									\
	" 'services_ar', jsonb_build_array(g.service_ar),"			\
	" 'services_en', jsonb_build_array(g.service_en)),"			\
	" g.est_id, g.qid, to_timestamp($2::bigint), to_timestamp($2::bigint)"	\
	" FROM g WHERE NOT EXISTS (SELECT 1 FROM merged)"

static const char *const grant_sms_sql[GRANT_SMS__MAX] = {
	/* A start-dated grant (valid_from) says from when: the _from
	 * templates; an end date adds _until. One request: the same dates. */
	[GRANT_SMS_CREATED] = GRANT_SMS_SQL("created",
	    ", g.valid_until, g.valid_from,"
	    " CASE WHEN g.valid_from IS NULL THEN '' ELSE '_from' END"
	    " || CASE WHEN g.valid_until IS NULL THEN '' ELSE '_until' END AS dates", "",
	    "g.dates",
	    " AND o.params->>'valid_until' IS NOT DISTINCT FROM g.valid_until::text"
	    " AND o.params->>'valid_from' IS NOT DISTINCT FROM g.valid_from::text",
	    " 'valid_until', g.valid_until, 'valid_from', g.valid_from,"),
	/* The offer names the signatory who made it and the last day to
	 * answer (one request: the same day); the dates of the grant itself
	 * are on the page where it is accepted (a text message short enough
	 * to read). */
	[GRANT_SMS_OFFERED] = GRANT_SMS_SQL("offered",
	    ", g.answer_by, gp.name_ar AS grantor_ar, gp.name_en AS grantor_en",
	    " JOIN persons gp ON gp.qid = g.granted_by",
	    "''",
	    " AND o.params->>'answer_by' IS NOT DISTINCT FROM g.answer_by::text",
	    " 'grantor_ar', g.grantor_ar, 'grantor_en', g.grantor_en,"
	    " 'answer_by', g.answer_by,"),
};

enum rb_err
outbox_grant_sms(struct db *db, int64_t now, int64_t id, enum grant_sms kind)
{
	struct db_params p;

	if ((unsigned)kind >= GRANT_SMS__MAX)
		return RB_EINTERNAL;
	db_params_init(&p);
	db_param_int(&p, id);
	db_param_int(&p, now);
	return db_exec_p(db, NULL, grant_sms_sql[kind], &p);
}

enum rb_err
outbox_grants_revoked(struct db *db, int64_t now, const char *ids, const char *reason)
{
	struct db_params p;

	db_params_init(&p);
	db_param_str(&p, ids);
	db_param_int(&p, now);
	db_param_str(&p, reason);
	/* One SMS per grantee and company: a status change that ends several
	 * of a person's services at a company says so once, listing them. */
	return db_exec_p(db, NULL, "INSERT INTO outbox (channel, recipient, language, template,"
	    " params, est_id, qid, next_attempt_at, created_at)"
	    " SELECT 'sms', p.mobile, p.language, CASE WHEN count(*) = 1"
	    " THEN 'sms.grant.revoked' ELSE 'sms.grant.revoked_many' END,"
	    " jsonb_build_object('company_ar', c.name_ar, 'company_en', c.name_en,"
	    " 'service_ar', min(s.name_ar), 'service_en', min(s.name_en),"
	    " 'services_ar', jsonb_agg(s.name_ar ORDER BY g.id),"
	    " 'services_en', jsonb_agg(s.name_en ORDER BY g.id),"
	    " 'est_id', g.est_id, 'reason', $3::text), g.est_id, g.qid,"
	    " to_timestamp($2::bigint), to_timestamp($2::bigint)"
	    GRANT_SMS_FROM
	    " WHERE g.id = ANY($1::bigint[])"
	    " GROUP BY g.est_id, g.qid, p.mobile, p.language, c.name_ar, c.name_en", &p);
}

enum rb_err
outbox_signin_new_place(struct db *db, int64_t now, const char *qids, const char *address)
{
	struct db_params p;

	db_params_init(&p);
	db_param_str(&p, qids);
	db_param_int(&p, now);
	db_param_str(&p, address);
	/* To each registered person named: a service account, or a name the
	 * registry does not know, has nobody to tell. */
	return db_exec_p(db, NULL, "INSERT INTO outbox (channel, recipient, language, template,"
	    " params, qid, next_attempt_at, created_at)"
	    " SELECT 'sms', p.mobile, p.language, 'sms.signin.new_place',"
	    " jsonb_build_object('address', $3::text, 'day',"
	    " to_char(to_timestamp($2::bigint) AT TIME ZONE 'Asia/Qatar', 'YYYY-MM-DD')),"
	    " p.qid, to_timestamp($2::bigint), to_timestamp($2::bigint)"
	    " FROM persons p WHERE p.qid = ANY ($1::text[])", &p);
}
