#include <stdio.h>
#include <string.h>

#include "domain/reference.h"
#include "fcgi/replica.h"
#include "fcgi/router.h"
#include "fcgi/session.h"
#include "lib/number.h"

int
router_split(char *path, char **seg)
{
	int n = 0;
	char *p = path;

	if (*p != '/')
		return -1;
	while (*p == '/') {
		*p++ = '\0';
		if (n == ROUTER_MAX_SEGMENTS)
			return -1;
		seg[n++] = p;
		while (*p != '\0' && *p != '/')
			p++;
	}
	return n;
}

int
router_match(const char *pattern, char **seg, int nseg, const char **est,
    const char **qid, const char **id, const char **ref)
{
	char pat[128], *pseg[ROUTER_MAX_SEGMENTS];
	int n, i;

	snprintf(pat, sizeof(pat), "%s", pattern);
	if ((n = router_split(pat, pseg)) != nseg)
		return 0;
	for (i = 0; i < n; i++) {
		if (strcmp(pseg[i], "{est_id}") == 0)
			*est = seg[i];
		else if (strcmp(pseg[i], "{qid}") == 0)
			*qid = seg[i];
		else if (strcmp(pseg[i], "{id}") == 0)
			*id = seg[i];
		else if (strcmp(pseg[i], "{id}.xlsx") == 0) {
			size_t len = strlen(seg[i]);

			/* The id is checked without its suffix by the caller. */
			if (len <= 5 || strcmp(seg[i] + len - 5, ".xlsx") != 0)
				return 0;
			*id = seg[i];
		}
		else if (strcmp(pseg[i], "{reference}") == 0)
			*ref = seg[i];
		else if (strcmp(pseg[i], seg[i]) != 0)
			return 0;
	}
	return 1;
}

static int
unsafe_method(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

void
router_dispatch(struct req *r)
{
	char path[512], *seg[ROUTER_MAX_SEGMENTS];
	const char *est = NULL, *qid = NULL, *id = NULL, *ref = NULL;
	const struct route *found = NULL;
	/* HEAD is served by the GET route; nginx drops the body. */
	const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
	int nseg, path_known = 0;
	size_t i;

	if (strlen(r->path) >= sizeof(path)) {
		resp_error(r, 404, "not_found", "no such resource");
		return;
	}
	snprintf(path, sizeof(path), "%s", r->path);
	if ((nseg = router_split(path, seg)) < 0) {
		resp_error(r, 404, "not_found", "no such resource");
		return;
	}
	for (i = 0; i < nroutes; i++) {
		const char *e = NULL, *q = NULL, *d = NULL, *f = NULL;

		if (!router_match(routes[i].pattern, seg, nseg, &e, &q, &d, &f))
			continue;
		path_known = 1;
		if (strstr(r->allow, routes[i].method) == NULL &&
		    strlen(r->allow) + strlen(routes[i].method) + 8 < sizeof(r->allow))
			snprintf(r->allow + strlen(r->allow), sizeof(r->allow) - strlen(r->allow),
			    "%s%s%s", r->allow[0] ? ", " : "", routes[i].method,
			    strcmp(routes[i].method, "GET") == 0 ? ", HEAD" : "");
		if (strcmp(routes[i].method, method) == 0) {
			found = &routes[i];
			est = e;
			qid = q;
			id = d;
			ref = f;
			break;
		}
	}
	if (found != NULL)
		r->allow[0] = '\0';
	r->route = found;
	if (found == NULL) {
		if (path_known)
			resp_error(r, 405, "method_not_allowed",
			    "this method is not allowed on this resource");
		else
			resp_error(r, 404, "not_found", "no such resource");
		return;
	}
	if (est != NULL && est_id_parse(est, &r->params.est) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", "est_id",
		    "an establishment number is 8 digits");
		return;
	}
	if (qid != NULL && qid_parse(qid, &r->params.qid) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", "qid",
		    "a QID is 11 digits starting with 2 or 3");
		return;
	}
	if (id != NULL) {
		char digits[24];
		size_t n = strlen(id) - (strstr(found->pattern, "{id}.xlsx") != NULL ? 5 : 0);

		snprintf(digits, sizeof(digits), "%.*s", (int)(n < 23 ? n : 23), id);
		if (n >= 23 || int_parse(digits, 1, INT64_MAX / 2, &r->params.id) != RB_OK)
			id = "";
	}
	if (id != NULL && *id == '\0') {
		resp_error_field(r, 400, "invalid_field", "id", "an id is a positive integer");
		return;
	}
	if (ref != NULL) {
		/* The enrollments' references (issue 15) are theirs. */
		int enr = strstr(found->pattern, "/enrollments/") != NULL;

		if ((enr ? enrollment_reference_check(ref) : reference_check(ref)) !=
		    RB_OK) {
			resp_error_field(r, 400, "invalid_field", "reference", enr ?
			    "a reference looks like ENR-7K3M-Q9TX" :
			    "a reference looks like RN-7K3M-Q9TX");
			return;
		}
		snprintf(r->params.reference, sizeof(r->params.reference), "%s", ref);
	}
	if (strcmp(found->method, "GET") != 0 &&
	    req_read_body(r, found->body == BODY_UPLOAD ? r->w->cfg->upload_max :
	    found->body == BODY_ENROLLMENT ? r->w->cfg->enrollment_max :
	    r->w->cfg->body_max) != RB_OK)
		return;
	if (found->access == ROUTE_SIGNED_IN_BY_HANDLER && strcmp(found->method, "GET") != 0) {
		resp_error(r, 500, "internal", "route table: only GET may check its own session");
		return;
	}
	if (found->access == ROUTE_SIGNED_IN || found->access == ROUTE_REVIEWER) {
		enum rb_err rc = session_load(r);

		if (rc != RB_OK) {
			resp_rb_err(r, rc);
			return;
		}
		if (!r->signed_in) {
			resp_error(r, 401, "not_signed_in", "sign in first");
			return;
		}
		if (unsafe_method(r->method) && !session_csrf_ok(r)) {
			resp_error(r, 403, "csrf", "missing or wrong X-CSRF-Token header");
			return;
		}
		if (found->access == ROUTE_REVIEWER && !r->sess.reviewer) {
			resp_error(r, 403, "forbidden", "for ministry reviewers only");
			return;
		}
	}
	/* The one place a handler's reading connection is chosen. */
	if (replica_choose(r) != RB_OK)
		return;
	found->fn(r);
	replica_request_done(r);
}

void
router_print(void)
{
	size_t i;

	for (i = 0; i < nroutes; i++)
		printf("%s %s\n", routes[i].method, routes[i].pattern);
}
