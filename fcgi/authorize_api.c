/*
 * GET /api/v1/authorize?qid=&est_id=&service= — the hot path of the whole
 * ministry: one prepared statement (store/access_store.c, authz_lookup_load)
 * reads the caller's session and the facts, domain/authorize_rule.c
 * decides. Read-only: a check changes no state, so it is not audited.
 */
#include <string.h>

#include "domain/authorize_rule.h"
#include "fcgi/handlers.h"
#include "fcgi/session.h"
#include "lib/clock.h"
#include "store/access_store.h"

/* Reads one required query parameter; RB_OK, or it has responded. */
static enum rb_err
param(struct req *r, const char *name, char *buf, size_t n)
{
	if (req_query_param(r, name, buf, n) <= 0) {
		resp_error_field(r, 400, "invalid_field", name, "missing or malformed");
		return RB_EINVAL;
	}
	return RB_OK;
}

void
h_authorize(struct req *r)
{
	char qbuf[16], ebuf[16], sbuf[48], token[65];
	struct qid qid;
	struct est_id est;
	struct svc_code svc;
	struct authz_lookup l;
	struct authz_decision d;
	enum rb_err rc;

	if (!session_token_hex(r, token)) {
		resp_error(r, 401, "not_signed_in", "sign in first");
		return;
	}
	if (param(r, "qid", qbuf, sizeof(qbuf)) != RB_OK ||
	    param(r, "est_id", ebuf, sizeof(ebuf)) != RB_OK ||
	    param(r, "service", sbuf, sizeof(sbuf)) != RB_OK)
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
	if ((rc = authz_lookup_load(&r->w->db, token, &qid, &est, &svc, &l)) != RB_OK ||
	    (rc = session_accept(r, &l.session)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	if (!r->signed_in) {
		resp_error(r, 401, "not_signed_in", "sign in first");
		return;
	}
	/* Other ministry systems and reviewers ask about anyone; a person
	 * only about themself. */
	if (!r->sess.service && !r->sess.reviewer &&
	    !(r->sess.has_qid && strcmp(r->sess.qid.s, qid.s) == 0)) {
		resp_error(r, 403, "forbidden",
		    "only ministry services and reviewers may ask about another person");
		return;
	}
	if (!l.service_exists) {
		resp_error_field(r, 400, "invalid_field", "service",
		    "not a service code of the catalogue");
		return;
	}
	if (!l.person_exists) {
		resp_error_field(r, 404, "unknown_person", "qid", "no such person");
		return;
	}
	if (!l.company_exists) {
		resp_error_field(r, 404, "unknown_company", "est_id", "no such company");
		return;
	}
	l.facts.today = clock_today();
	authz_decide(&l.facts, &d);
	resp_json(r, 200, json_pack("{s:b, s:s, s:o, s:s, s:s, s:s}",
	    "allowed", d.allowed, "rule", authz_rule_name(d.rule),
	    "grant_id", d.grant_id ? json_integer(d.grant_id) : json_null(),
	    "qid", qid.s, "est_id", est.s, "service", svc.s));
}
