/*
 * GET /api/v1/authorize?qid=&est_id=&service=[&consistency=&revision=] —
 * the hot path of the whole ministry. The caller's session and the facts
 * come from the worker's decision index (fcgi/authz_follower.c) when it is
 * current, else from one prepared statement (store/access_store.c,
 * authz_lookup_load); domain/authorize_rule.c decides over either.
 * Read-only: a check changes no state, so it is not audited.
 *
 * consistency (issue 13 §2): minimize_latency (the default: the index as it
 * is, at most AUTHZ_STALE_MS behind), at_least_as_fresh with revision=<a
 * write's token> (the index once it has reached it, waiting up to
 * AUTHZ_FRESH_WAIT_MS, else PostgreSQL), fully_consistent (PostgreSQL). A
 * revision without consistency means at_least_as_fresh.
 */
#include <string.h>

#include "domain/authorize_rule.h"
#include "domain/session_rules.h"
#include "fcgi/authz_follower.h"
#include "fcgi/handlers.h"
#include "fcgi/session.h"
#include "lib/clock.h"
#include "store/access_store.h"

enum consistency { MINIMIZE_LATENCY, AT_LEAST_AS_FRESH, FULLY_CONSISTENT };

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

/* The consistency asked for, and the revision that goes with it. */
static enum rb_err
consistency_param(struct req *r, enum consistency *c, int64_t *revision)
{
	char cbuf[32], rbuf[32];
	int hc = req_query_param(r, "consistency", cbuf, sizeof(cbuf));
	int hr = req_query_param(r, "revision", rbuf, sizeof(rbuf));

	*revision = 0;
	*c = hr > 0 ? AT_LEAST_AS_FRESH : MINIMIZE_LATENCY;
	if (hc > 0 && strcmp(cbuf, "minimize_latency") == 0 && hr <= 0)
		*c = MINIMIZE_LATENCY;
	else if (hc > 0 && strcmp(cbuf, "fully_consistent") == 0 && hr <= 0)
		*c = FULLY_CONSISTENT;
	else if (hc > 0 && strcmp(cbuf, "at_least_as_fresh") == 0)
		*c = AT_LEAST_AS_FRESH;
	else if (hc != 0) {
		resp_error_field(r, 400, "invalid_field", "consistency",
		    "minimize_latency, at_least_as_fresh (with revision) or fully_consistent");
		return RB_EINVAL;
	}
	if ((*c == AT_LEAST_AS_FRESH || hr != 0) &&
	    (hr <= 0 || !authz_revision_parse(rbuf, revision))) {
		resp_error_field(r, 400, "invalid_field", "revision",
		    "the revision token of a write, required by at_least_as_fresh");
		return RB_EINVAL;
	}
	return RB_OK;
}

/*
 * The facts from the index, with the caller's session, when the index is
 * current (at or past `want`) and holds a session it can vouch for: 1. A
 * session it does not know, or whose limits it would refuse (another
 * worker may have touched it since), is read from PostgreSQL instead: 0.
 */
static int
from_index(struct req *r, const char *token, const struct qid *qid,
    const struct est_id *est, const struct svc_code *svc, int64_t want,
    struct authz_lookup *l)
{
	const struct session_limits lim = { r->w->cfg->session_idle_s,
	    r->w->cfg->session_max_s };
	struct dx_session s;
	struct dx_check c;
	int found;
	int64_t now = clock_now(), at;

	if (want > 0 && !authz_index_wait(want, AUTHZ_FRESH_WAIT_MS, &at))
		return 0;
	if (!authz_index_check(token, qid, est, svc, &s, &found, &c, &l->revision) ||
	    l->revision < want || !found ||
	    session_check(&lim, now, s.created, s.seen) != SESSION_OK)
		return 0;
	memset(&l->session, 0, sizeof(l->session));
	l->session.found = 1;
	l->session.id = s.id;
	snprintf(l->session.username, sizeof(l->session.username), "%s", s.username);
	l->session.groups.reviewer = s.reviewer;
	l->session.groups.service = s.service;
	l->session.created = s.created;
	l->session.seen = s.seen;
	snprintf(l->session.csrf_hex, sizeof(l->session.csrf_hex), "%s", s.csrf_hex);
	l->service_exists = c.service_exists;
	l->person_exists = c.person_exists;
	l->company_exists = c.company_exists;
	l->facts = c.facts;
	return 1;
}

void
h_authorize(struct req *r)
{
	enum consistency mode;
	int64_t want;
	int indexed = 0;
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
	    param(r, "service", sbuf, sizeof(sbuf)) != RB_OK ||
	    consistency_param(r, &mode, &want) != RB_OK)
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
	if (mode != FULLY_CONSISTENT)
		indexed = from_index(r, token, &qid, &est, &svc,
		    mode == AT_LEAST_AS_FRESH ? want : 0, &l);
	if ((!indexed &&
	    (rc = authz_lookup_load(&r->w->db, token, &qid, &est, &svc, &l)) != RB_OK) ||
	    (rc = session_accept(r, &l.session)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	/* session_accept wrote last_seen_at if it was due: so does the index. */
	if (indexed && r->signed_in && session_needs_touch(clock_now(), l.session.seen))
		authz_index_seen(l.session.id, clock_now());
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
	resp_json(r, 200, json_pack("{s:b, s:s, s:o, s:s, s:s, s:s, s:o, s:s}",
	    "allowed", d.allowed, "rule", authz_rule_name(d.rule),
	    "grant_id", d.grant_id ? json_integer(d.grant_id) : json_null(),
	    "qid", qid.s, "est_id", est.s, "service", svc.s,
	    "revision", json_sprintf("%lld", (long long)l.revision),
	    "decided_from", indexed ? "index" : "database"));
}
