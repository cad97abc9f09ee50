/*
 * GET /api/v1/authorize?qid=&est_id=&service=[&at=] — the hot path of the
 * whole ministry: one prepared statement (store/access_store.c,
 * authz_lookup_load) reads the caller's session and the facts,
 * domain/authorize_rule.c decides; the check itself is
 * fcgi/authorize_check.c, shared with the batch. Read-only: a check
 * changes no state, so it is not audited.
 */
#include "fcgi/authorize_check.h"
#include "fcgi/decision_log.h"
#include "fcgi/handlers.h"
#include "fcgi/session.h"

/* A query parameter into buf; NULL when absent, empty or too long. */
static const char *
param(struct req *r, const char *name, char *buf, size_t n)
{
	return req_query_param(r, name, buf, n) > 0 ? buf : NULL;
}

void
h_authorize(struct req *r)
{
	char qbuf[16], ebuf[16], sbuf[48], abuf[32], token[65];
	struct authz_question q;
	struct authz_answer a;
	enum rb_err rc;
	int n;

	q.qid = param(r, "qid", qbuf, sizeof(qbuf));
	q.est_id = param(r, "est_id", ebuf, sizeof(ebuf));
	q.service = param(r, "service", sbuf, sizeof(sbuf));
	/* Too long is malformed, not absent: the check refuses it. */
	if ((n = req_query_param(r, "at", abuf, sizeof(abuf))) < 0)
		abuf[0] = '\0';
	q.at = n != 0 ? abuf : NULL;
	if ((rc = authz_check(r, session_token_hex(r, token) ? token : NULL, &q,
	    &a)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	decision_log_record(r, &a);
	resp_json(r, a.status, authz_answer_json(&a));
}
