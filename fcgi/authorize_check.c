#include <string.h>

#include "fcgi/authorize_check.h"
#include "fcgi/session.h"
#include "lib/clock.h"
#include "store/access_store.h"
#include "store/authorize_history.h"

/* Sets the error answer; returns RB_OK for the caller's return. */
static enum rb_err
refuse(struct authz_answer *a, int status, const char *code, const char *field,
    const char *message)
{
	a->status = status;
	a->code = code;
	a->field = field;
	a->message = message;
	return RB_OK;
}

/* The parameters, in the order the single check always checked them. */
static int
parse_question(const struct authz_question *q, struct authz_answer *a)
{
	static const char *const names[3] = { "qid", "est_id", "service" };
	const char *raw[3] = { q->qid, q->est_id, q->service };
	int i;

	for (i = 0; i < 3; i++)
		if (raw[i] == NULL || raw[i][0] == '\0') {
			refuse(a, 400, "invalid_field", names[i], "missing or malformed");
			return 0;
		}
	if (qid_parse(q->qid, &a->qid) != RB_OK) {
		refuse(a, 400, "invalid_field", "qid",
		    "a QID is 11 digits starting with 2 or 3");
		return 0;
	}
	if (est_id_parse(q->est_id, &a->est) != RB_OK) {
		refuse(a, 400, "invalid_field", "est_id",
		    "an establishment number is 8 digits");
		return 0;
	}
	if (svc_code_parse(q->service, &a->svc) != RB_OK) {
		refuse(a, 400, "invalid_field", "service",
		    "not a service code of the catalogue");
		return 0;
	}
	if (q->at == NULL)
		return 1;
	a->has_at = 1;
	if (clock_parse_instant(q->at, &a->at) != RB_OK) {
		refuse(a, 400, "invalid_field", "at",
		    "an instant is YYYY-MM-DDTHH:MM:SSZ");
		return 0;
	}
	/* The history tells what was, not what will be: a grant may yet be
	 * revoked. */
	if (a->at > clock_now()) {
		refuse(a, 400, "invalid_field", "at", "the instant is in the future");
		return 0;
	}
	return 1;
}

enum rb_err
authz_check(struct req *r, const char *token_hex, const struct authz_question *q,
    struct authz_answer *a)
{
	struct authz_lookup l;
	enum rb_err rc;

	memset(a, 0, sizeof(*a));
	if (token_hex == NULL)
		return refuse(a, 401, "not_signed_in", NULL, "sign in first");
	if (!parse_question(q, a))
		return RB_OK;
	/* A point in time is answered from the history, never the present
	 * facts (store/authorize_history.c). */
	rc = a->has_at ?
	    authz_lookup_at(&r->w->db, token_hex, &a->qid, &a->est, &a->svc, a->at, &l) :
	    authz_lookup_load(&r->w->db, token_hex, &a->qid, &a->est, &a->svc, &l);
	if (rc != RB_OK || (rc = session_accept(r, &l.session)) != RB_OK)
		return rc;
	if (!r->signed_in)
		return refuse(a, 401, "not_signed_in", NULL, "sign in first");
	/* Other ministry systems and reviewers ask about anyone; a person
	 * only about themself. */
	if (!r->sess.service && !r->sess.reviewer &&
	    !(r->sess.has_qid && strcmp(r->sess.qid.s, a->qid.s) == 0))
		return refuse(a, 403, "forbidden", NULL,
		    "only ministry services and reviewers may ask about another person");
	if (!l.service_exists)
		return refuse(a, 400, "invalid_field", "service",
		    "not a service code of the catalogue");
	if (!l.person_exists)
		return refuse(a, 404, "unknown_person", "qid", "no such person");
	if (!l.company_exists)
		return refuse(a, 404, "unknown_company", "est_id", "no such company");
	l.facts.today = a->has_at ? date_of_instant_qatar(a->at) : clock_today();
	authz_decide(&l.facts, &a->d);
	a->status = 200;
	return RB_OK;
}

json_t *
authz_answer_json(const struct authz_answer *a)
{
	json_t *err, *body;
	char at[CLOCK_ISO_LEN];

	if (a->status != 200) {
		/* resp_error_field()'s shape: a field is also a list of one. */
		err = json_pack("{s:s, s:s}", "code", a->code, "message", a->message);
		if (a->field != NULL) {
			json_object_set_new(err, "field", json_string(a->field));
			json_object_set_new(err, "fields", json_pack("[{s:s, s:s, s:s}]",
			    "field", a->field, "code", a->code, "message", a->message));
		}
		return json_pack("{s:o}", "error", err);
	}
	body = json_pack("{s:b, s:s, s:o, s:s, s:s, s:s}",
	    "allowed", a->d.allowed, "rule", authz_rule_name(a->d.rule),
	    "grant_id", a->d.grant_id ? json_integer(a->d.grant_id) : json_null(),
	    "qid", a->qid.s, "est_id", a->est.s, "service", a->svc.s);
	if (a->has_at) {
		clock_format_iso(a->at, at);
		json_object_set_new(body, "at", json_string(at));
	}
	return body;
}
