/*
 * Shared credentials caught (issue 16 §5): each sign-in recorded with its
 * address and client, signatory-only acts checked against the addresses
 * the company's representatives signed in from, and the reviewers' list
 * (/api/v1/backoffice/signals) and review.
 */
#include <string.h>

#include "fcgi/handlers.h"
#include "fcgi/signals.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/text.h"
#include "store/signal_store.h"

void
signals_client_addr(const struct req *r, char out[SIGNAL_ADDR_MAX])
{
	signal_client_addr(r->remote_addr, FCGX_GetParam("HTTP_X_FORWARDED_FOR", r->fcgx->envp),
	    r->w->cfg->trusted_proxy, out);
}

void
signals_on_signin(struct req *r, const char *username)
{
	const struct signal_limits lim = { r->w->cfg->signal_addr_people,
	    r->w->cfg->signal_user_addrs };
	char addr[SIGNAL_ADDR_MAX], ua[SIGNAL_UA_MAX + 1];
	struct db *db = &r->w->db;
	enum rb_err rc;
	int raised = 0;

	signals_client_addr(r, addr);
	signal_user_agent_clean(FCGX_GetParam("HTTP_USER_AGENT", r->fcgx->envp), ua);
	/* The session is made already: a record that cannot be written is
	 * logged, and the person is not refused for it. */
	if ((rc = db_begin(db)) != RB_OK ||
	    (rc = signal_signin(db, clock_now(), username, addr, ua, &lim, &raised)) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK) {
		db_rollback(db);
		log_error("sign-in of %s from %s not recorded: %s", username, addr,
		    rb_strerror(rc));
		return;
	}
	if (raised)
		log_info("sign-in of %s from %s raised %d signal(s)", username, addr, raised);
}

enum rb_err
signals_on_signatory_act(struct req *r, const char *act)
{
	char addr[SIGNAL_ADDR_MAX];
	int raised = 0;

	signals_client_addr(r, addr);
	return signal_signatory_act(&r->w->db, clock_now(), r->sess.qid.s, r->params.est.s,
	    addr, act, &raised);
}

void
h_backoffice_signals(struct req *r)
{
	char state[16];
	enum signal_state st = SIGNALS_OPEN;
	int64_t limit, offset;
	json_t *page;
	enum rb_err rc;
	int n;

	if (req_paging(r, &limit, &offset) != RB_OK)
		return;
	if ((n = req_query_param(r, "state", state, sizeof(state))) != 0) {
		if (n > 0 && strcmp(state, "open") == 0)
			st = SIGNALS_OPEN;
		else if (n > 0 && strcmp(state, "reviewed") == 0)
			st = SIGNALS_REVIEWED;
		else if (n > 0 && strcmp(state, "all") == 0)
			st = SIGNALS_ALL;
		else {
			resp_error_field(r, 400, "invalid_field", "state",
			    "state is open, reviewed or all");
			return;
		}
	}
	if ((rc = signal_list_page(&r->w->db, st, limit, offset, &page)) != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 200, page);
}

void
h_backoffice_signal_review(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	const char *key, *note;
	json_t *body, *v;
	enum rb_err rc;

	if ((body = req_json_body(r)) == NULL)
		return;
	json_object_foreach(body, key, v)
		if (strcmp(key, "note") != 0) {
			resp_error_field(r, 400, "unknown_field", key, "unknown field");
			goto out;
		}
	note = json_string_value(json_object_get(body, "note"));
	/* A review says what the reviewer found: a note is required. */
	if (note == NULL || *note == '\0' || !text_ok(note, 1, 1000, 1)) {
		resp_error_field(r, 400, "invalid_field", "note",
		    "a review needs a note of 1 to 1000 characters");
		goto out;
	}
	if ((rc = db_begin(db)) != RB_OK ||
	    (rc = signal_review(db, &a, r->params.id, note)) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK) {
		db_rollback(db);
		if (rc == RB_ENOTFOUND)
			resp_error(r, 404, "unknown_signal", "no such signal");
		else if (rc == RB_ECONFLICT)
			resp_error(r, 409, "already_reviewed", "the signal is already reviewed");
		else
			resp_rb_err(r, rc);
		goto out;
	}
	resp_json(r, 200, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)r->params.id,
	    "state", "reviewed", "reviewed_by", r->sess.username, "note", note));
out:
	json_decref(body);
}
