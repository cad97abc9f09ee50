/*
 * GET /api/v1/authorize?qid=&est_id=&service= — the hot path of the whole
 * ministry: one prepared statement gathers the facts, authorize_rule.c
 * decides. Read-only: a check changes no state, so it is not audited.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/authorize_rule.h"
#include "fcgi/handlers.h"
#include "fcgi/session.h"
#include "lib/clock.h"

/* The caller's session (SESSION_COLUMNS, 0-5) and the facts (6-12) in one
 * round trip: the check is the hot path. */
static const struct db_stmt st_authz = { "authorize_facts",
	"SELECT " SESSION_COLUMNS ", p.status,"
	" EXISTS (SELECT 1 FROM signatories s WHERE s.qid = $1 AND s.est_id = $2"
	"         AND s.ended_on IS NULL),"
	" g.id, g.valid_until,"
	" (SELECT max(h.id) FROM grants h WHERE h.est_id = $2 AND h.qid = $1"
	"         AND h.service = $3 AND h.revoked_at IS NOT NULL),"
	" EXISTS (SELECT 1 FROM companies WHERE est_id = $2),"
	" EXISTS (SELECT 1 FROM services WHERE code = $3)"
	" FROM (SELECT 1) one"
	" LEFT JOIN sessions s ON s.token_hash = decode($4, 'hex') AND s.ended_at IS NULL"
	" LEFT JOIN persons p ON p.qid = $1"
	" LEFT JOIN grants g ON g.est_id = $2 AND g.qid = $1 AND g.service = $3"
	"         AND g.revoked_at IS NULL", 4 };

/* Reads one required query parameter through its validator; responds on failure. */
static int
param(struct req *r, const char *name, char *buf, size_t n)
{
	if (req_query_param(r, name, buf, n) <= 0) {
		resp_error_field(r, 400, "invalid_field", name, "missing or malformed");
		return -1;
	}
	return 0;
}

void
h_authorize(struct req *r)
{
	char qbuf[16], ebuf[16], sbuf[48], token[65];
	struct qid qid;
	struct est_id est;
	struct svc_code svc;
	struct authz_facts f;
	struct authz_decision d;
	const char *p[4];
	PGresult *res = NULL;
	enum rb_err rc;

	if (!session_token_hex(r, token)) {
		resp_error(r, 401, "not_signed_in", "sign in first");
		return;
	}
	if (param(r, "qid", qbuf, sizeof(qbuf)) || param(r, "est_id", ebuf, sizeof(ebuf)) ||
	    param(r, "service", sbuf, sizeof(sbuf)))
		return;
	if (qid_parse(qbuf, &qid) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", "qid",
		    "a QID is 11 digits starting with 2 or 3");
		return;
	}
	if (est_id_parse(ebuf, &est) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", "est_id",
		    "an establishment number is 8 digits");
		return;
	}
	if (svc_code_parse(sbuf, &svc) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", "service",
		    "not a service code of the catalogue");
		return;
	}
	p[0] = qid.s;
	p[1] = est.s;
	p[2] = svc.s;
	p[3] = token;
	if ((rc = db_exec_stmt(&r->w->db, &res, &st_authz, p)) != RB_OK ||
	    (rc = session_accept(r, res, 0)) != RB_OK) {
		resp_rb_err(r, rc);
		goto out;
	}
	if (!r->signed_in) {
		resp_error(r, 401, "not_signed_in", "sign in first");
		goto out;
	}
	/* Other ministry systems and reviewers ask about anyone; a person
	 * only about themself. */
	if (!r->sess.service && !r->sess.reviewer &&
	    !(r->sess.has_qid && strcmp(r->sess.qid.s, qid.s) == 0)) {
		resp_error(r, 403, "forbidden",
		    "only ministry services and reviewers may ask about another person");
		goto out;
	}
	if (PQgetvalue(res, 0, 12)[0] != 't') {
		resp_error_field(r, 400, "invalid_field", "service",
		    "not a service code of the catalogue");
		goto out;
	}
	if (PQgetisnull(res, 0, 6)) {
		resp_error_field(r, 404, "unknown_person", "qid", "no such person");
		goto out;
	}
	if (PQgetvalue(res, 0, 11)[0] != 't') {
		resp_error_field(r, 404, "unknown_company", "est_id", "no such company");
		goto out;
	}
	memset(&f, 0, sizeof(f));
	if (person_status_parse(PQgetvalue(res, 0, 6), &f.status) != RB_OK) {
		resp_rb_err(r, RB_EINTERNAL);
		goto out;
	}
	f.signatory = PQgetvalue(res, 0, 7)[0] == 't';
	f.has_live_grant = !PQgetisnull(res, 0, 8);
	if (f.has_live_grant)
		f.live_grant_id = strtoll(PQgetvalue(res, 0, 8), NULL, 10);
	f.live_has_until = !PQgetisnull(res, 0, 9) &&
	    date_parse(PQgetvalue(res, 0, 9), &f.live_until) == RB_OK;
	if (!PQgetisnull(res, 0, 10))
		f.revoked_grant_id = strtoll(PQgetvalue(res, 0, 10), NULL, 10);
	f.today = clock_today();
	authz_decide(&f, &d);
	resp_json(r, 200, json_pack("{s:b, s:s, s:o, s:s, s:s, s:s}",
	    "allowed", d.allowed, "rule", authz_rule_name(d.rule),
	    "grant_id", d.grant_id ? json_integer(d.grant_id) : json_null(),
	    "qid", qid.s, "est_id", est.s, "service", svc.s));
out:
	PQclear(res);
}
