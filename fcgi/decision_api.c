/*
 * GET /api/v1/backoffice/decisions?qid=&est_id=&from=&to= — the decision
 * log for reviewers (issue 13 §3; the route is ROUTE_REVIEWER), newest
 * first. from and to are instants (to exclusive); answers still in a
 * worker's buffer appear within RB_DECISION_LOG_FLUSH_MS.
 */
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "store/decision_log_store.h"

/* An optional query parameter parsed by parse; RB_OK (absent or good),
 * or it has responded 400 naming it. */
static enum rb_err
opt_param(struct req *r, const char *name, const char *msg,
    enum rb_err (*parse)(const char *, void *), void *out, int *present)
{
	char buf[40];
	int n = req_query_param(r, name, buf, sizeof(buf));

	*present = n != 0;
	if (n == 0 || (n > 0 && parse(buf, out) == RB_OK))
		return RB_OK;
	resp_error_field(r, 400, "invalid_field", name, msg);
	return RB_EINVAL;
}

static enum rb_err
parse_qid(const char *s, void *out)
{
	return qid_parse(s, out);
}

static enum rb_err
parse_est(const char *s, void *out)
{
	return est_id_parse(s, out);
}

static enum rb_err
parse_instant(const char *s, void *out)
{
	return clock_parse_instant(s, out);
}

void
h_backoffice_decisions(struct req *r)
{
	struct decision_filter f = { 0 };
	struct qid qid;
	struct est_id est;
	int64_t limit, offset;
	int has_qid, has_est;
	json_t *page;
	enum rb_err rc;

	if (req_paging(r, &limit, &offset) != RB_OK ||
	    opt_param(r, "qid", "a QID is 11 digits starting with 2 or 3",
	    parse_qid, &qid, &has_qid) != RB_OK ||
	    opt_param(r, "est_id", "an establishment number is 8 digits",
	    parse_est, &est, &has_est) != RB_OK ||
	    opt_param(r, "from", "an instant is YYYY-MM-DDTHH:MM:SSZ",
	    parse_instant, &f.from, &f.has_from) != RB_OK ||
	    opt_param(r, "to", "an instant is YYYY-MM-DDTHH:MM:SSZ",
	    parse_instant, &f.to, &f.has_to) != RB_OK)
		return;
	f.qid = has_qid ? &qid : NULL;
	f.est = has_est ? &est : NULL;
	if ((rc = decision_log_page(&r->w->db, &f, limit, offset, &page)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	resp_json(r, 200, page);
}
