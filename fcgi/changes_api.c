/*
 * GET /api/v1/changes?after=<revision>[&limit=][&wait=] (issue 13 §3): what
 * changed decisions after a revision, in revision order (grants,
 * revocations, status changes, signatories, companies, services, fixture
 * reloads), for the ministry's other systems to keep their own view, as
 * SpiceDB's Watch and OpenFGA's ReadChanges do. The services group only.
 *
 * Paged by revision, not offset: a feed grows at its end, so the next page
 * is after=next_after, and an empty page whose next_after is the one asked
 * means "caught up". With wait=N (up to 30 s) an empty answer is held until
 * a change comes or N seconds pass (long-poll); the default does not wait,
 * since every held request holds a worker thread.
 */
#include <unistd.h>

#include "fcgi/authz_follower.h"
#include "fcgi/handlers.h"
#include "lib/number.h"
#include "store/change_feed.h"

#define CHANGES_MAX_LIMIT	1000
#define CHANGES_MAX_WAIT_S	30

/* An optional integer query parameter in [lo, hi]; RB_OK or responded. */
static enum rb_err
int_param(struct req *r, const char *name, int64_t lo, int64_t hi, int64_t *v,
    const char *msg)
{
	char buf[24];
	int rc;

	if ((rc = req_query_param(r, name, buf, sizeof(buf))) != 0 &&
	    (rc < 0 || int_parse(buf, lo, hi, v) != RB_OK)) {
		resp_error_field(r, 400, "invalid_field", name, msg);
		return RB_EINVAL;
	}
	return RB_OK;
}

void
h_changes(struct req *r)
{
	int64_t after = 0, limit = 100, wait_s = 0, last, at, deadline_ms;
	json_t *items = NULL;
	char abuf[24];
	enum rb_err rc;
	int has_after;

	if (!r->sess.service) {
		resp_error(r, 403, "forbidden", "only ministry services follow the changes");
		return;
	}
	if ((has_after = req_query_param(r, "after", abuf, sizeof(abuf))) != 0 &&
	    (has_after < 0 || !authz_revision_parse(abuf, &after))) {
		resp_error_field(r, 400, "invalid_field", "after",
		    "a revision token from a write, an answer or a page of changes");
		return;
	}
	if (int_param(r, "limit", 1, CHANGES_MAX_LIMIT, &limit,
	    "limit must be an integer from 1 to 1000") != RB_OK ||
	    int_param(r, "wait", 0, CHANGES_MAX_WAIT_S, &wait_s,
	    "wait must be a number of seconds from 0 to 30") != RB_OK)
		return;
	deadline_ms = wait_s * 1000;
	for (;;) {
		if ((rc = change_feed_list(&r->w->db, after, (int)limit, &items, &last)) != RB_OK) {
			resp_rb_err(r, rc);
			return;
		}
		if (json_array_size(items) > 0 || deadline_ms <= 0)
			break;
		json_decref(items);
		items = NULL;
		if (last > after) {
			/* Only rows kept from other systems: look past them. */
			after = last;
			continue;
		}
		/* The index's follower is woken by every commit: wait for it,
		 * or poll when it is not following. */
		if (!authz_index_wait(after + 1, 250, &at))
			usleep(250 * 1000);
		deadline_ms -= 250;
	}
	resp_json(r, 200, json_pack("{s:o, s:o, s:I}", "items", items,
	    "next_after", json_sprintf("%lld", (long long)last), "limit", (json_int_t)limit));
}
