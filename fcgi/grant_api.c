/* /api/v1/companies/{est_id}/grants: list, grant (an offer, issue 16 §1),
 * revoke or withdraw (SPEC §3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/access.h"
#include "fcgi/enrollment_gate.h"
#include "fcgi/authz_follower.h"
#include "fcgi/handlers.h"
#include "fcgi/signals.h"
#include "lib/clock.h"
#include "store/grant_store.h"

#define MAX_SERVICES_PER_GRANT 20

/*
 * The list's filters (issue 12 §2) into *f, their text in the buffers:
 * q (up to 100 characters), service (a service code), state (active,
 * scheduled, expired, revoked). RB_OK, or it has responded 400 with every
 * bad parameter.
 */
static enum rb_err
grants_filter(struct req *r, struct grant_filter *f, char *q, size_t qsz, char *svc,
    size_t svcsz, char *state, size_t statesz)
{
	static const char *const states[] = { "active", "scheduled", "expired", "revoked" };
	struct field_errors fe;
	size_t i;
	int got, ok;

	memset(f, 0, sizeof(*f));
	field_errors_init(&fe);
	if ((got = req_query_param(r, "q", q, qsz)) < 0 || (got > 0 && strpbrk(q, "\r\n")))
		field_error_add(&fe, "q", "invalid_field", "the search is up to 100 characters");
	else if (got > 0)
		f->q = q;
	if ((got = req_query_param(r, "service", svc, svcsz)) != 0) {
		for (i = 0, ok = got > 0 && svc[0] >= 'A' && svc[0] <= 'Z'; ok && svc[i]; i++)
			ok = (svc[i] >= 'A' && svc[i] <= 'Z') || (svc[i] >= '0' && svc[i] <= '9') ||
			    svc[i] == '_';
		if (!ok)
			field_error_add(&fe, "service", "invalid_field", "a service code");
		else
			f->service = svc;
	}
	if ((got = req_query_param(r, "state", state, statesz)) != 0) {
		for (i = 0, ok = 0; got > 0 && i < sizeof(states) / sizeof(states[0]); i++)
			ok |= strcmp(state, states[i]) == 0;
		if (!ok)
			field_error_add(&fe, "state", "invalid_field",
			    "active, scheduled, expired or revoked");
		else
			f->state = state;
	}
	return resp_error_fields(r, &fe);
}

void
h_grants_list(struct req *r)
{
	struct company_access ca;
	struct grant_filter f;
	char flag[8], q[101], svc[41], state[16];
	int64_t limit, offset;
	json_t *page;
	enum rb_err rc;
	int all;

	if (req_paging(r, &limit, &offset) != RB_OK ||
	    grants_filter(r, &f, q, sizeof(q), svc, sizeof(svc), state, sizeof(state)) != RB_OK)
		return;
	/* Asking for revoked grants implies them. */
	all = (req_query_param(r, "include_revoked", flag, sizeof(flag)) > 0 &&
	    strcmp(flag, "true") == 0) || (f.state && strcmp(f.state, "revoked") == 0);
	if ((rc = access_company(r, &r->params.est, NULL, &ca)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	/* As access_require: only a reviewer learns that an id is unknown. */
	if (!ca.exists && r->sess.reviewer) {
		resp_error(r, 404, "unknown_company", "no such company");
		return;
	}
	/* Signatories and reviewers see every grant; a representative only
	 * their own; anyone else nothing (an unknown company included). */
	if (!ca.signatory && !r->sess.reviewer && !ca.holds_grants) {
		resp_error(r, 403, "forbidden", "not a signatory of this company");
		return;
	}
	rc = grant_list_page(r->db, &r->params.est,
	    (ca.signatory || r->sess.reviewer) ? NULL : &r->sess.qid, all, &f,
	    clock_today(), limit, offset, &page);
	if (rc != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	resp_json(r, 200, page);
}

/* The request body, checked at the edge. */
struct grant_request {
	struct qid	qid;
	struct svc_code	codes[MAX_SERVICES_PER_GRANT];
	size_t		ncodes;
	int		has_until;
	struct rb_date	until;
	int		has_from;
	struct rb_date	from;
};

/* One fault of the services list into fe, or none. */
static void
parse_services(json_t *svcs, struct grant_request *g, struct field_errors *fe)
{
	size_t i, j;

	if (svcs == NULL) {
		field_error_add(fe, "services", "required", "pick at least one service");
		return;
	}
	if (!json_is_array(svcs) || json_array_size(svcs) == 0 ||
	    json_array_size(svcs) > MAX_SERVICES_PER_GRANT) {
		field_error_add(fe, "services", "invalid_field",
		    "services must be a list of 1 to 20 service codes");
		return;
	}
	g->ncodes = json_array_size(svcs);
	for (i = 0; i < g->ncodes; i++) {
		if (svc_code_parse(json_string_value(json_array_get(svcs, i)),
		    &g->codes[i]) != RB_OK) {
			field_error_add(fe, "services", "invalid_field",
			    "not a service code of the catalogue");
			return;
		}
		for (j = 0; j < i; j++)
			if (strcmp(g->codes[i].s, g->codes[j].s) == 0) {
				field_error_add(fe, "services", "invalid_field",
				    "a service is listed twice");
				return;
			}
	}
}

/* Every field checked before answering: RB_OK, or it has responded 400
 * with every bad one (error.fields). */
static enum rb_err
parse_grant_request(struct req *r, json_t *body, struct grant_request *g)
{
	struct field_errors fe;
	json_t *v, *until, *from, *qid = json_object_get(body, "qid");
	const char *key;

	memset(g, 0, sizeof(*g));
	field_errors_init(&fe);
	json_object_foreach(body, key, v)
		if (strcmp(key, "qid") != 0 && strcmp(key, "services") != 0 &&
		    strcmp(key, "valid_until") != 0 && strcmp(key, "valid_from") != 0)
			field_error_add(&fe, key, "unknown_field", "unknown field");
	if (qid == NULL)
		field_error_add(&fe, "qid", "required", "the person's QID is required");
	else if (qid_parse(json_string_value(qid), &g->qid) != RB_OK)
		field_error_add(&fe, "qid", "invalid_field",
		    "a QID is 11 digits starting with 2 or 3");
	parse_services(json_object_get(body, "services"), g, &fe);
	until = json_object_get(body, "valid_until");
	g->has_until = until != NULL && !json_is_null(until);
	if (g->has_until && date_parse(json_string_value(until), &g->until) != RB_OK)
		field_error_add(&fe, "valid_until", "invalid_field", "a date is YYYY-MM-DD");
	from = json_object_get(body, "valid_from");
	g->has_from = from != NULL && !json_is_null(from);
	if (g->has_from && date_parse(json_string_value(from), &g->from) != RB_OK)
		field_error_add(&fe, "valid_from", "invalid_field", "a date is YYYY-MM-DD");
	return resp_error_fields(r, &fe);
}

static void
refuse(struct req *r, enum grant_refusal why)
{
	int status;
	const char *field = NULL;

	switch (why) {
	case GRANT_NOT_SIGNATORY:
		status = 403;
		break;
	case GRANT_UNKNOWN_PERSON:
		status = 404;
		field = "qid";
		break;
	case GRANT_PERSON_NOT_ACTIVE:
	case GRANT_NOT_IN_GROUP:
		status = 409;
		field = "qid";
		break;
	case GRANT_SERVICE_NOT_GRANTABLE:
		status = 400;
		field = "services";
		break;
	case GRANT_VALID_FROM_PAST:
	case GRANT_VALID_FROM_AFTER_UNTIL:
		status = 400;
		field = "valid_from";
		break;
	default:
		status = 400;
		field = "valid_until";
		break;
	}
	resp_error_field(r, status, grant_refusal_code(why), field,
	    grant_refusal_message(why));
}

void
h_grants_create(struct req *r)
{
	struct grant_request g;
	struct grant_facts f;
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	enum grant_refusal why;
	int64_t basis, ids[MAX_SERVICES_PER_GRANT];
	struct rb_date answer_by[MAX_SERVICES_PER_GRANT];
	int accept_days = r->w->cfg->grant_acceptance ? (int)r->w->cfg->grant_accept_days : 0;
	json_t *body = NULL, *items;
	enum rb_err rc;
	size_t i;

	if (access_require(r, NEED_SIGNATORY, NULL, NULL) != RB_OK)
		return;
	if ((body = req_json_body(r)) == NULL || parse_grant_request(r, body, &g) != RB_OK)
		goto out;
	if ((rc = db_begin(db)) != RB_OK)
		goto fail;
	/* No new grants before the company is enrolled, nor while it
	 * suspends itself (issue 15). */
	if (enrollment_gate(r, &r->params.est) != RB_OK) {
		db_rollback(db);
		goto out;
	}
	rc = grant_facts_load(db, &r->sess.qid, &r->params.est, &g.qid, g.codes,
	    g.ncodes, &f, &basis);
	if (rc != RB_OK)
		goto fail;
	f.today = date_of_instant_qatar(a.now);
	f.has_valid_until = g.has_until;
	f.valid_until = g.until;
	f.has_valid_from = g.has_from;
	f.valid_from = g.from;
	if ((why = grant_decide(&f)) != GRANT_OK) {
		db_rollback(db);
		refuse(r, why);
		goto out;
	}
	for (i = 0; i < g.ncodes; i++) {
		rc = grant_insert(db, &a, &r->params.est, &g.qid, &r->sess.qid,
		    &g.codes[i], basis, g.has_from ? &g.from : NULL,
		    g.has_until ? &g.until : NULL, f.today, accept_days, &ids[i],
		    &answer_by[i]);
		if (rc == RB_ECONFLICT) {
			char msg[96];

			db_rollback(db);
			snprintf(msg, sizeof(msg), "%s is already granted to this person",
			    g.codes[i].s);
			resp_error_field(r, 409, "already_granted", "services", msg);
			goto out;
		}
		if (rc != RB_OK)
			goto fail;
	}
	/* Granting is the signatory's own act: from a representative's
	 * address it is worth a look (issue 16 §5). */
	if ((rc = signals_on_signatory_act(r, "grant.create")) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK)
		goto fail;
	items = json_array();
	for (i = 0; i < g.ncodes; i++) {
		char until[11], from[11], answer[11];
		int pending = answer_by[i].days != 0;

		if (g.has_until)
			date_format(g.until, until);
		if (g.has_from)
			date_format(g.from, from);
		if (pending)
			date_format(answer_by[i], answer);
		/* The list's states (grant_list_page): an offer is "pending"
		 * until accepted; one starting later is "scheduled" until its
		 * first day. */
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s,"
		    " s:s, s:s?}",
		    "id", (json_int_t)ids[i], "est_id", r->params.est.s,
		    "qid", g.qid.s, "service", g.codes[i].s,
		    "valid_from", g.has_from ? from : NULL,
		    "valid_until", g.has_until ? until : NULL,
		    "state", pending ? "pending" :
		    g.has_from && g.from.days > f.today.days ? "scheduled" : "active",
		    "acceptance", pending ? "pending" : "accepted",
		    "answer_by", pending ? answer : NULL));
	}
	items = json_pack("{s:o}", "items", items);
	authz_write_revision(db, items);
	resp_json(r, 201, items);
	goto out;
fail:
	db_rollback(db);
	resp_rb_err(r, rc);
out:
	json_decref(body);
}

void
h_grants_revoke(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	enum revoke_reason why = REVOKE_BY_SIGNATORY;
	enum rb_err rc;
	json_t *out;

	if (access_require(r, NEED_SIGNATORY, NULL, NULL) != RB_OK)
		return;
	/* The same route withdraws an offer not yet accepted (issue 16 §1). */
	if ((rc = db_begin(db)) != RB_OK ||
	    (rc = grant_revoke(db, &a, &r->params.est, r->params.id,
	    r->sess.qid.s, &why)) != RB_OK ||
	    (rc = signals_on_signatory_act(r, why == REVOKE_WITHDRAWN ? "grant.withdraw" :
	    "grant.revoke")) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK) {
		db_rollback(db);
		if (rc == RB_ENOTFOUND)
			resp_error(r, 404, "unknown_grant", "no such grant for this company");
		else if (rc == RB_ECONFLICT)
			resp_error(r, 409, "already_revoked", "the grant is already revoked");
		else
			resp_rb_err(r, rc);
		return;
	}
	out = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)r->params.id,
	    "state", why == REVOKE_WITHDRAWN ? "withdrawn" : "revoked",
	    "revoke_reason", revoke_reason_name(why));
	authz_write_revision(db, out);
	resp_json(r, 200, out);
}
