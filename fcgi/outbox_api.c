/*
 * The reviewers' view of notifications (SPEC §5):
 * GET /backoffice/outbox?status=failed lists messages (parked ones by
 * default), POST /backoffice/outbox/{id}/retry puts a parked message back
 * in the queue with a fresh set of attempts. The queries are
 * store/outbox_store.c.
 */
#include <stdio.h>
#include <string.h>

#include "domain/ids.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "store/outbox_store.h"

/*
 * The query's filters into f (pointing into the buffers given). RB_OK, or
 * it has responded 400.
 */
static enum rb_err
outbox_query(struct req *r, struct outbox_filter *f, char status[16], char channel[16],
    struct est_id *e)
{
	char est[16];
	int n;

	if ((n = req_query_param(r, "status", status, 16)) == 0)
		snprintf(status, 16, "failed");
	else if (n < 0 || (strcmp(status, "pending") != 0 && strcmp(status, "sent") != 0 &&
	    strcmp(status, "failed") != 0 && strcmp(status, "undeliverable") != 0)) {
		resp_error_field(r, 400, "invalid_field", "status",
		    "status is pending, sent, failed or undeliverable");
		return RB_EINVAL;
	}
	f->status = status;
	if ((n = req_query_param(r, "channel", channel, 16)) < 0 ||
	    (n > 0 && strcmp(channel, "email") != 0 && strcmp(channel, "sms") != 0)) {
		resp_error_field(r, 400, "invalid_field", "channel", "channel is email or sms");
		return RB_EINVAL;
	}
	f->channel = n > 0 ? channel : NULL;
	if ((n = req_query_param(r, "est_id", est, sizeof(est))) < 0 ||
	    (n > 0 && est_id_parse(est, e) != RB_OK)) {
		resp_error_field(r, 400, "invalid_field", "est_id",
		    "an establishment number is 8 digits");
		return RB_EINVAL;
	}
	f->est_id = n > 0 ? e->s : NULL;
	return RB_OK;
}

void
h_backoffice_outbox(struct req *r)
{
	struct outbox_filter f;
	char status[16], channel[16];
	struct est_id e;
	int64_t limit, offset;
	json_t *page = NULL, *counts = NULL;
	enum rb_err rc;

	if (req_paging(r, &limit, &offset) != RB_OK ||
	    outbox_query(r, &f, status, channel, &e) != RB_OK)
		return;
	/* The page and, beside the messages held back (parked or
	 * undeliverable), how many of the same filter each company has (issue
	 * 16 §2). Not for sent and pending ones: 180 days of sent messages are
	 * millions of rows to count at every page. */
	if ((rc = outbox_page(&r->w->db, &f, limit, offset, &page)) != RB_OK ||
	    ((strcmp(f.status, "failed") == 0 || strcmp(f.status, "undeliverable") == 0) &&
	    (rc = outbox_company_counts(&r->w->db, &f, &counts)) != RB_OK)) {
		json_decref(page);
		resp_rb_err(r, rc);
		return;
	}
	if (counts != NULL)
		json_object_set_new(page, "by_company", counts);
	resp_json(r, 200, page);
}

void
h_backoffice_outbox_retry(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	json_t *message;
	enum rb_err rc;

	rc = outbox_retry(&r->w->db, &a, r->params.id, &message);
	if (rc == RB_ENOTFOUND)
		resp_error(r, 404, "unknown_message", "no such message");
	else if (rc == RB_ECONFLICT)
		resp_error(r, 409, "not_failed",
		    "only a failed (parked) or undeliverable message can be retried");
	else if (rc != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 200, message);
}
