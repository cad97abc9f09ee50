/*
 * One authorization check, question in, answer out (SPEC §3, issue 13 §3):
 * the core that GET /api/v1/authorize (fcgi/authorize_api.c) and POST
 * /api/v1/authorize/batch (fcgi/authorize_batch_api.c) share, so that an
 * item of a batch is exactly what the single check answers. It responds
 * nothing itself.
 */
#ifndef RB_AUTHORIZE_CHECK_H
#define RB_AUTHORIZE_CHECK_H

#include <jansson.h>
#include <stdint.h>

#include "domain/authorize_rule.h"
#include "domain/ids.h"
#include "fcgi/http.h"

/* How fresh the facts must be (issue 13 §2). */
enum authz_consistency {
	AUTHZ_MINIMIZE_LATENCY,	/* the worker's index as it is (the default) */
	AUTHZ_AT_LEAST_AS_FRESH,	/* the index once at `revision`, else PostgreSQL */
	AUTHZ_FULLY_CONSISTENT	/* PostgreSQL */
};

/* The question as received: NULL for a missing or malformed parameter;
 * at NULL: now, else the instant of the past asked about (answered from
 * the history, whatever the consistency). */
struct authz_question {
	const char		*qid, *est_id, *service, *at;
	enum authz_consistency	 consistency;
	int64_t			 revision;	/* AUTHZ_AT_LEAST_AS_FRESH's */
};

struct authz_answer {
	int			status;	/* 200: decided; else the error below */
	const char		*code, *field, *message;	/* static strings */
	struct authz_decision	d;
	struct qid		qid;
	struct est_id		est;
	struct svc_code		svc;
	int			has_at;	/* answered as of at */
	int64_t			at;
	int64_t			revision;	/* of the feed the facts were at */
	int			indexed;	/* decided from the worker's index */
};

/*
 * Answers q for the caller of r (token_hex: the hash of their cookie, or
 * NULL when there is none). RB_OK with *a filled, whatever the answer; any
 * other value is a database failure for resp_rb_err (nothing answered).
 */
enum rb_err	authz_check(struct req *, const char *token_hex,
		    const struct authz_question *, struct authz_answer *);
/* The body the single check sends with a->status (the caller owns it). */
json_t		*authz_answer_json(const struct authz_answer *);

#endif
