#include <string.h>

#include "domain/session_rules.h"
#include "fcgi/authorize_check.h"
#include "fcgi/authz_follower.h"
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

/*
 * The facts from the worker's index, with the caller's session, when the
 * index is current (at or past `want`) and holds a session it can vouch
 * for: 1. A session it does not know, or whose limits it would refuse
 * (another worker may have touched it since), is read from PostgreSQL
 * instead: 0.
 */
static int
from_index(struct req *r, const char *token, const struct authz_answer *a, int64_t want,
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
	if (!authz_index_check(token, &a->qid, &a->est, &a->svc, &s, &found, &c,
	    &l->revision) || l->revision < want || !found ||
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

/* Where the facts come from: the history for a point in time, the index
 * when it is fresh enough, else PostgreSQL. */
static enum rb_err
load_facts(struct req *r, const char *token_hex, const struct authz_question *q,
    struct authz_answer *a, struct authz_lookup *l)
{
	if (a->has_at)
		return authz_lookup_at(&r->w->db, token_hex, &a->qid, &a->est, &a->svc,
		    a->at, l);
	if (q->consistency != AUTHZ_FULLY_CONSISTENT)
		a->indexed = from_index(r, token_hex, a,
		    q->consistency == AUTHZ_AT_LEAST_AS_FRESH ? q->revision : 0, l);
	if (a->indexed)
		return RB_OK;
	return authz_lookup_load(&r->w->db, token_hex, &a->qid, &a->est, &a->svc, l);
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
	if ((rc = load_facts(r, token_hex, q, a, &l)) != RB_OK ||
	    (rc = session_accept(r, &l.session)) != RB_OK)
		return rc;
	a->revision = l.revision;
	/* session_accept wrote last_seen_at if it was due: so does the index. */
	if (a->indexed && r->signed_in && session_needs_touch(clock_now(), l.session.seen))
		authz_index_seen(l.session.id, clock_now());
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
	} else {
		json_object_set_new(body, "revision",
		    json_sprintf("%lld", (long long)a->revision));
		json_object_set_new(body, "decided_from",
		    json_string(a->indexed ? "index" : "database"));
	}
	return body;
}
