/*
 * Lookups from the decision index (issue 13 §3), the same facts and rule
 * as single checks:
 *   GET /api/v1/persons/{qid}/authority — the companies and services a
 *     person may act for today, and by which rule;
 *   GET /api/v1/companies/{est_id}/authorized?service= — who may do a
 *     service for a company today.
 * Paged ({items, total, limit, offset}, plus the revision they were read
 * at). Other ministry systems and reviewers ask about anyone; a person
 * about their own authority. While the index is not current (starting,
 * or its feed lost) the answer is 503 busy: a lookup is never answered
 * from facts that might be stale beyond the index's bound.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/decision_index.h"
#include "fcgi/authz_follower.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"

/* How long a lookup waits for an index that is catching up. */
#define LOOKUP_WAIT_MS 1000

static json_t *
item_json(const struct dx_authority *a, int with_qid)
{
	char until[11];
	json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "est_id", a->est.s,
	    "rule", authz_rule_name(a->rule),
	    "grant_id", a->grant_id ? json_integer(a->grant_id) : json_null(),
	    "valid_until", json_null());

	if (a->until != DX_NO_UNTIL) {
		date_format((struct rb_date){ a->until }, until);
		json_object_set_new(o, "valid_until", json_string(until));
	}
	/* A signatory acts for every service: null, not a list of them. */
	json_object_set_new(o, "service", a->service[0] ? json_string(a->service) : json_null());
	if (with_qid)
		json_object_set_new(o, "qid", json_string(a->qid.s));
	return o;
}

/* The page of items [offset, offset + limit), with the revision. */
static void
respond_page(struct req *r, const struct dx_authority *a, size_t n, int with_qid,
    int64_t limit, int64_t offset, int64_t revision)
{
	json_t *items = json_array(), *page;
	size_t i;

	for (i = (size_t)offset; i < n && i < (size_t)(offset + limit); i++)
		json_array_append_new(items, item_json(&a[i], with_qid));
	page = page_json(items, (int64_t)n, limit, offset);
	json_object_set_new(page, "revision", json_sprintf("%lld", (long long)revision));
	resp_json(r, 200, page);
}

/* RB_OK when the index is current, else it has responded 503. */
static enum rb_err
index_ready(struct req *r)
{
	int64_t at;

	if (authz_index_wait(0, LOOKUP_WAIT_MS, &at))
		return RB_OK;
	resp_rb_err(r, RB_ERETRY);
	return RB_ERETRY;
}

void
h_person_authority(struct req *r)
{
	const struct qid *q = &r->params.qid;
	struct dx_authority *a = NULL;
	int64_t limit, offset, rev;
	int exists = 0;
	size_t n = 0;

	if (!r->sess.service && !r->sess.reviewer &&
	    !(r->sess.has_qid && strcmp(r->sess.qid.s, q->s) == 0)) {
		resp_error(r, 403, "forbidden",
		    "only ministry services and reviewers may ask about another person");
		return;
	}
	if (req_paging(r, &limit, &offset) != RB_OK || index_ready(r) != RB_OK)
		return;
	if (authz_index_person(q, clock_today().days, &exists, &a, &n, &rev) != RB_OK) {
		resp_rb_err(r, RB_ERETRY);
		goto out;
	}
	if (!exists)
		resp_error_field(r, 404, "unknown_person", "qid", "no such person");
	else
		respond_page(r, a, n, 0, limit, offset, rev);
out:
	free(a);
}

void
h_company_authorized(struct req *r)
{
	struct dx_authority *a = NULL;
	int64_t limit, offset, rev;
	int company = 0, service = 0;
	struct svc_code svc;
	char sbuf[48];
	size_t n = 0;

	if (!r->sess.service && !r->sess.reviewer) {
		resp_error(r, 403, "forbidden",
		    "only ministry services and reviewers may ask who acts for a company");
		return;
	}
	if (req_query_param(r, "service", sbuf, sizeof(sbuf)) <= 0 ||
	    svc_code_parse(sbuf, &svc) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", "service",
		    "not a service code of the catalogue");
		return;
	}
	if (req_paging(r, &limit, &offset) != RB_OK || index_ready(r) != RB_OK)
		return;
	if (authz_index_company(&r->params.est, &svc, clock_today().days, &company,
	    &service, &a, &n, &rev) != RB_OK) {
		resp_rb_err(r, RB_ERETRY);
		goto out;
	}
	if (!service)
		resp_error_field(r, 400, "invalid_field", "service",
		    "not a service code of the catalogue");
	else if (!company)
		resp_error_field(r, 404, "unknown_company", "est_id", "no such company");
	else
		respond_page(r, a, n, 1, limit, offset, rev);
out:
	free(a);
}
