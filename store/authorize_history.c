#include <stdio.h>

#include "lib/date.h"
#include "store/authorize_history.h"

/* authz_lookup_read()'s columns. $5 is the instant, $6 its Qatar day. The
 * grant is the one live at the instant (granted, not yet revoked); the
 * revoked one the latest revoked by then. It was pending then when it was
 * never accepted (declined and withdrawn ones included) or accepted after
 * the instant (answered_at). */
static const struct db_stmt st_authz_at = { "authorize_facts_at",
	"SELECT " SESSION_COLUMNS ","
	" coalesce((SELECT a.detail::json->>'old' FROM audit_log a"
	"         WHERE a.target = 'person:' || $1 AND a.action = 'person.status'"
	"         AND a.at > to_timestamp($5::bigint) ORDER BY a.id LIMIT 1), p.status),"
	" EXISTS (SELECT 1 FROM signatories g WHERE g.qid = $1 AND g.est_id = $2"
	"         AND (g.since IS NULL OR g.since <= to_timestamp($5::bigint))"
	"         AND (g.ended_on IS NULL OR g.ended_on > $6::date)),"
	" g.id, g.valid_until,"
	" (SELECT max(h.id) FROM grants h WHERE h.est_id = $2 AND h.qid = $1"
	"         AND h.service = $3 AND h.revoked_at <= to_timestamp($5::bigint)),"
	" EXISTS (SELECT 1 FROM companies WHERE est_id = $2),"
	" EXISTS (SELECT 1 FROM services WHERE code = $3), g.valid_from,"
	/* The company's block at the instant: suspended when its last
	 * suspension or resumption by then (audited) was a suspension; not
	 * enrolled when it is not now, or was activated after the instant,
	 * and its sector's enrollment was compulsory then (sql/030). */
	" (SELECT CASE WHEN (SELECT a.action FROM audit_log a"
	"          WHERE a.target = 'company:' || $2"
	"          AND a.action IN ('company.suspend', 'company.resume')"
	"          AND a.at <= to_timestamp($5::bigint) ORDER BY a.id DESC LIMIT 1)"
	"          = 'company.suspend' THEN 2"
	"        WHEN NOT (c.enrolled AND (c.enrolled_at IS NULL OR"
	"          c.enrolled_at <= to_timestamp($5::bigint)))"
	"          AND sector_compulsory_at(c.sector, to_timestamp($5::bigint)) THEN 1"
	"        ELSE 0 END"
	"   FROM companies c WHERE c.est_id = $2),"
	" coalesce(g.acceptance = 'pending' OR g.answered_at > to_timestamp($5::bigint), false),"
	" g.answer_by"
	" FROM (SELECT 1) one"
	" LEFT JOIN sessions s ON s.token_hash = decode($4, 'hex') AND s.ended_at IS NULL"
	" LEFT JOIN persons p ON p.qid = $1"
	" LEFT JOIN LATERAL (SELECT * FROM grants l WHERE l.est_id = $2 AND l.qid = $1"
	"         AND l.service = $3 AND l.granted_at <= to_timestamp($5::bigint)"
	"         AND (l.revoked_at IS NULL OR l.revoked_at > to_timestamp($5::bigint))"
	"         ORDER BY l.id DESC LIMIT 1) g ON true", 6 };

enum rb_err
authz_lookup_at(struct db *db, const char *token_hex, const struct qid *qid,
    const struct est_id *est, const struct svc_code *svc, int64_t at,
    struct authz_lookup *l)
{
	char at_s[24], day_s[11];
	const char *p[6] = { qid->s, est->s, svc->s, token_hex, at_s, day_s };
	PGresult *res = NULL;
	enum rb_err rc;

	snprintf(at_s, sizeof(at_s), "%lld", (long long)at);
	date_format(date_of_instant_qatar(at), day_s);
	if ((rc = db_exec_stmt(db, &res, &st_authz_at, p)) == RB_OK)
		rc = authz_lookup_read(res, l);
	PQclear(res);
	return rc;
}
