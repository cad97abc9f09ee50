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

/* The question as received: NULL for a missing or malformed parameter;
 * at NULL: now, else the instant of the past asked about. */
struct authz_question {
	const char	*qid, *est_id, *service, *at;
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
