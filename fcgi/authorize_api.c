/*
 * GET /api/v1/authorize?qid=&est_id=&service=[&consistency=&revision=][&at=]
 * — the hot path of the whole ministry. The check itself is
 * fcgi/authorize_check.c, shared with the batch: the caller's session and
 * the facts come from the worker's decision index (fcgi/authz_follower.c)
 * when it is current, else from one prepared statement
 * (store/access_store.c, authz_lookup_load), or from the history for `at`;
 * domain/authorize_rule.c decides over either. Read-only: a check changes
 * no state, so it is not audited (it is in the decision log).
 *
 * consistency (issue 13 §2): minimize_latency (the default: the index as it
 * is, at most AUTHZ_STALE_MS behind), at_least_as_fresh with revision=<a
 * write's token> (the index once it has reached it, waiting up to
 * AUTHZ_FRESH_WAIT_MS, else PostgreSQL), fully_consistent (PostgreSQL). A
 * revision without consistency means at_least_as_fresh.
 */
#include <string.h>

#include "fcgi/authorize_check.h"
#include "fcgi/authz_follower.h"
#include "fcgi/decision_log.h"
#include "fcgi/handlers.h"
#include "fcgi/session.h"

/* A query parameter into buf; NULL when absent, empty or too long. */
static const char *
param(struct req *r, const char *name, char *buf, size_t n)
{
	return req_query_param(r, name, buf, n) > 0 ? buf : NULL;
}

/* The consistency asked for, and the revision that goes with it; RB_OK,
 * or it has responded. */
static enum rb_err
consistency_param(struct req *r, struct authz_question *q)
{
	char cbuf[32], rbuf[32];
	int hc = req_query_param(r, "consistency", cbuf, sizeof(cbuf));
	int hr = req_query_param(r, "revision", rbuf, sizeof(rbuf));

	q->revision = 0;
	q->consistency = hr > 0 ? AUTHZ_AT_LEAST_AS_FRESH : AUTHZ_MINIMIZE_LATENCY;
	if (hc > 0 && strcmp(cbuf, "minimize_latency") == 0 && hr <= 0)
		q->consistency = AUTHZ_MINIMIZE_LATENCY;
	else if (hc > 0 && strcmp(cbuf, "fully_consistent") == 0 && hr <= 0)
		q->consistency = AUTHZ_FULLY_CONSISTENT;
	else if (hc > 0 && strcmp(cbuf, "at_least_as_fresh") == 0)
		q->consistency = AUTHZ_AT_LEAST_AS_FRESH;
	else if (hc != 0) {
		resp_error_field(r, 400, "invalid_field", "consistency",
		    "minimize_latency, at_least_as_fresh (with revision) or fully_consistent");
		return RB_EINVAL;
	}
	if ((q->consistency == AUTHZ_AT_LEAST_AS_FRESH || hr != 0) &&
	    (hr <= 0 || !authz_revision_parse(rbuf, &q->revision))) {
		resp_error_field(r, 400, "invalid_field", "revision",
		    "the revision token of a write, required by at_least_as_fresh");
		return RB_EINVAL;
	}
	return RB_OK;
}

void
h_authorize(struct req *r)
{
	char qbuf[16], ebuf[16], sbuf[48], abuf[32], token[65];
	struct authz_question q;
	struct authz_answer a;
	const char *tok;
	enum rb_err rc;
	int n;

	memset(&q, 0, sizeof(q));
	tok = session_token_hex(r, token) ? token : NULL;
	q.qid = param(r, "qid", qbuf, sizeof(qbuf));
	q.est_id = param(r, "est_id", ebuf, sizeof(ebuf));
	q.service = param(r, "service", sbuf, sizeof(sbuf));
	/* Too long is malformed, not absent: the check refuses it. */
	if ((n = req_query_param(r, "at", abuf, sizeof(abuf))) < 0)
		abuf[0] = '\0';
	q.at = n != 0 ? abuf : NULL;
	/* Without a session the answer is 401 whatever else is wrong. */
	if (tok != NULL && consistency_param(r, &q) != RB_OK)
		return;
	if ((rc = authz_check(r, tok, &q, &a)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	decision_log_record(r, &a);
	resp_json(r, a.status, authz_answer_json(&a));
}
