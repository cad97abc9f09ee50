/*
 * The reviewers' view of notifications (SPEC §5):
 * GET /backoffice/outbox?status=failed lists messages (parked ones by
 * default), POST /backoffice/outbox/{id}/retry puts a parked message back
 * in the queue with a fresh set of attempts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/ids.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "lib/xalloc.h"
#include "store/audit.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const char columns[] =
	"id, channel, recipient, language, template, params::text, status, attempts,"
	" last_error, " TS("next_attempt_at") ", " TS("created_at") ", " TS("sent_at") ","
	" est_id, qid, statement_id";

static json_t *
row_json(PGresult *res, int i)
{
#define V(c) (PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c))
	json_t *params = json_loads(PQgetvalue(res, i, 5), 0, NULL);

	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:i, s:s?, s:s, s:s, s:s?,"
	    " s:s?, s:s?, s:o?}",
	    "id", (json_int_t)strtoll(PQgetvalue(res, i, 0), NULL, 10),
	    "channel", V(1), "recipient", V(2),
	    "language", V(3), "template", V(4), "params", params ? params : json_object(),
	    "status", V(6), "attempts", atoi(PQgetvalue(res, i, 7)), "last_error", V(8),
	    "next_attempt_at", V(9), "created_at", V(10), "sent_at", V(11),
	    "est_id", V(12), "qid", V(13),
	    "statement_id", PQgetisnull(res, i, 14) ? NULL :
	    json_integer(strtoll(PQgetvalue(res, i, 14), NULL, 10)));
#undef V
}

void
h_backoffice_outbox(struct req *r)
{
	char status[16], channel[16], est[16], lim[24], off[24], *sql;
	const char *p[5];
	int64_t limit, offset;
	struct est_id e;
	int n;

	if (req_paging(r, &limit, &offset) != RB_OK)
		return;
	if ((n = req_query_param(r, "status", status, sizeof(status))) == 0)
		snprintf(status, sizeof(status), "failed");
	else if (n < 0 || (strcmp(status, "pending") != 0 && strcmp(status, "sent") != 0 &&
	    strcmp(status, "failed") != 0)) {
		resp_error_field(r, 400, "invalid_field", "status",
		    "status is pending, sent or failed");
		return;
	}
	if ((n = req_query_param(r, "channel", channel, sizeof(channel))) < 0 ||
	    (n > 0 && strcmp(channel, "email") != 0 && strcmp(channel, "sms") != 0)) {
		resp_error_field(r, 400, "invalid_field", "channel", "channel is email or sms");
		return;
	}
	p[1] = n > 0 ? channel : NULL;
	if ((n = req_query_param(r, "est_id", est, sizeof(est))) < 0 ||
	    (n > 0 && est_id_parse(est, &e) != RB_OK)) {
		resp_error_field(r, 400, "invalid_field", "est_id",
		    "an establishment number is 8 digits");
		return;
	}
	p[2] = n > 0 ? e.s : NULL;
	snprintf(lim, sizeof(lim), "%lld", (long long)limit);
	snprintf(off, sizeof(off), "%lld", (long long)offset);
	p[0] = status;
	p[3] = lim;
	p[4] = off;
	sql = xasprintf("SELECT %s, count(*) OVER () FROM outbox WHERE status = $1"
	    " AND ($2::text IS NULL OR channel = $2) AND ($3::text IS NULL OR est_id = $3)"
	    " ORDER BY id DESC LIMIT $4 OFFSET $5", columns);
	resp_query_page(r, sql, 5, p, row_json, limit, offset,
	    "SELECT count(*) FROM outbox WHERE status = $1"
	    " AND ($2::text IS NULL OR channel = $2) AND ($3::text IS NULL OR est_id = $3)",
	    3, p);
	free(sql);
}

void
h_backoffice_outbox_retry(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	char id_s[24], now_s[24], target[40], *sql;
	const char *p[2] = { id_s, now_s };
	PGresult *res = NULL;
	json_t *row = NULL, *detail;
	enum rb_err rc;

	snprintf(id_s, sizeof(id_s), "%lld", (long long)r->params.id);
	snprintf(now_s, sizeof(now_s), "%lld", (long long)a.now);
	sql = xasprintf("UPDATE outbox SET status = 'pending', attempts = 0,"
	    " next_attempt_at = to_timestamp($2::bigint)"
	    " WHERE id = $1::bigint AND status = 'failed' RETURNING %s", columns);
	if ((rc = db_begin(db)) != RB_OK || (rc = db_exec(db, &res, sql, 2, p)) != RB_OK)
		goto fail;
	if (PQntuples(res) == 0) {
		PQclear(res);
		res = NULL;
		if ((rc = db_exec(db, &res, "SELECT status FROM outbox WHERE id = $1::bigint",
		    1, p)) != RB_OK)
			goto fail;
		rc = PQntuples(res) ? RB_ECONFLICT : RB_ENOTFOUND;
		goto fail;
	}
	row = row_json(res, 0);
	snprintf(target, sizeof(target), "outbox:%s", id_s);
	detail = json_pack("{s:s, s:s}", "channel", PQgetvalue(res, 0, 1),
	    "template", PQgetvalue(res, 0, 4));
	rc = audit_append(db, &a, "outbox.retry", target, detail);
	json_decref(detail);
	if (rc != RB_OK || (rc = db_commit(db)) != RB_OK)
		goto fail;
	PQclear(res);
	free(sql);
	resp_json(r, 200, row);
	return;
fail:
	db_rollback(db);
	PQclear(res);
	free(sql);
	json_decref(row);
	if (rc == RB_ENOTFOUND)
		resp_error(r, 404, "unknown_message", "no such message");
	else if (rc == RB_ECONFLICT)
		resp_error(r, 409, "not_failed", "only a failed (parked) message can be retried");
	else
		resp_rb_err(r, rc);
}
