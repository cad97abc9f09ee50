/*
 * The reviewers' side of renewal subscriptions:
 * GET /backoffice/subscriptions, POST .../{reference}/approve and /reject;
 * and their company search, GET /backoffice/companies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "lib/text.h"
#include "lib/xalloc.h"
#include "store/audit.h"

static const char list_sql[] =
	"SELECT s.reference, s.est_id, c.name_ar, c.name_en, s.status, s.iban,"
	" s.authorizing_qid, s.submitted_by,"
	" to_char(s.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" s.reviewed_by,"
	" to_char(s.reviewed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" s.review_note, st.cap_dirhams, st.duration_years, count(*) OVER ()"
	" FROM renewal_subscriptions s JOIN companies c ON c.est_id = s.est_id"
	" JOIN renewal_settings st ON st.est_id = s.est_id"
	" WHERE s.status = $1"
	" AND ($2::text IS NULL OR s.est_id = $2"
	"      OR c.name_en ILIKE '%' || $3 || '%' OR c.name_ar ILIKE '%' || $3 || '%')"
	" ORDER BY s.submitted_at, s.id LIMIT $4 OFFSET $5";

/* Escapes LIKE's own wildcards so a search for "50%" means that text. */
static char *
like_escape(const char *s)
{
	char *out = xmalloc(2 * strlen(s) + 1), *w = out;

	for (; *s != '\0'; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*w++ = '\\';
		*w++ = *s;
	}
	*w = '\0';
	return out;
}

static json_t *
subscription_json(PGresult *res, int i)
{
#define V(c) (PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c))
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?,"
	    " s:I, s:i}",
	    "reference", V(0), "est_id", V(1), "company_name_ar", V(2),
	    "company_name_en", V(3), "status", V(4), "iban", V(5),
	    "authorizing_qid", V(6), "submitted_by", V(7), "submitted_at", V(8),
	    "reviewed_by", V(9), "reviewed_at", V(10), "review_note", V(11),
	    "cap_dirhams", (json_int_t)strtoll(PQgetvalue(res, i, 12), NULL, 10),
	    "duration_years", atoi(PQgetvalue(res, i, 13)));
#undef V
}

void
h_backoffice_subscriptions(struct req *r)
{
	char status[16], q[128], lim[24], off[24], *esc = NULL;
	const char *p[5];
	int64_t limit, offset;
	int i, has_q;

	if (req_paging(r, &limit, &offset) != RB_OK)
		return;
	if ((i = req_query_param(r, "status", status, sizeof(status))) == 0)
		snprintf(status, sizeof(status), "pending");
	else if (i < 0 || (strcmp(status, "pending") != 0 && strcmp(status, "active") != 0 &&
	    strcmp(status, "rejected") != 0 && strcmp(status, "replaced") != 0)) {
		resp_error_field(r, 400, "invalid_field", "status",
		    "status is pending, active, rejected or replaced");
		return;
	}
	if ((has_q = req_query_param(r, "q", q, sizeof(q))) < 0) {
		resp_error_field(r, 400, "invalid_field", "q", "search text is up to 120 bytes");
		return;
	}
	has_q = has_q > 0 && q[0] != '\0';
	if (has_q)
		esc = like_escape(q);
	snprintf(lim, sizeof(lim), "%lld", (long long)limit);
	snprintf(off, sizeof(off), "%lld", (long long)offset);
	p[0] = status;
	p[1] = has_q ? q : NULL;
	p[2] = esc;
	p[3] = lim;
	p[4] = off;
	resp_query_page(r, list_sql, 5, p, subscription_json, limit, offset,
	    "SELECT count(*) FROM renewal_subscriptions s"
	    " JOIN companies c ON c.est_id = s.est_id WHERE s.status = $1"
	    " AND ($2::text IS NULL OR s.est_id = $2"
	    "      OR c.name_en ILIKE '%' || $3 || '%' OR c.name_ar ILIKE '%' || $3 || '%')", 3, p);
	free(esc);
}

/* Companies whose establishment number starts with q or whose name holds
 * it, with the state of their renewal subscription (the active one, else
 * the latest), by establishment number. */
static const char companies_where[] =
	" FROM companies c WHERE c.est_id LIKE $1 || '%'"
	" OR c.name_en ILIKE '%' || $1 || '%' OR c.name_ar ILIKE '%' || $1 || '%'";

static json_t *
company_json(PGresult *res, int i)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?}",
	    "est_id", PQgetvalue(res, i, 0), "name_ar", PQgetvalue(res, i, 1),
	    "name_en", PQgetvalue(res, i, 2), "email", PQgetvalue(res, i, 3),
	    "language", PQgetvalue(res, i, 4),
	    "subscription_status", PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5));
}

void
h_backoffice_companies(struct req *r)
{
	char q[128], lim[24], off[24], *esc, *sql, *count_sql;
	const char *p[3];
	int64_t limit, offset;
	int got;

	if (req_paging(r, &limit, &offset) != RB_OK)
		return;
	if ((got = req_query_param(r, "q", q, sizeof(q))) <= 0 || q[0] == '\0' ||
	    strlen(q) > 100) {
		resp_error_field(r, 400, "invalid_field", "q",
		    "q is 1 to 100 bytes: the start of an establishment number, or part of a name");
		return;
	}
	esc = like_escape(q);
	snprintf(lim, sizeof(lim), "%lld", (long long)limit);
	snprintf(off, sizeof(off), "%lld", (long long)offset);
	p[0] = esc;
	p[1] = lim;
	p[2] = off;
	sql = xasprintf("SELECT c.est_id, c.name_ar, c.name_en, c.email, c.language,"
	    " (SELECT s.status FROM renewal_subscriptions s WHERE s.est_id = c.est_id"
	    "  ORDER BY (s.status = 'active') DESC, s.id DESC LIMIT 1), count(*) OVER ()"
	    "%s ORDER BY c.est_id LIMIT $2 OFFSET $3", companies_where);
	count_sql = xasprintf("SELECT count(*)%s", companies_where);
	resp_query_page(r, sql, 3, p, company_json, limit, offset, count_sql, 1, p);
	free(count_sql);
	free(sql);
	free(esc);
}

/* Approve (approve = 1) or reject a pending subscription. */
static void
review(struct req *r, int approve)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	char now_s[24], target[40], est[9], submitted_by[65];
	const char *note = NULL, *p[5];
	PGresult *res = NULL;
	json_t *body = NULL, *v;
	enum rb_err rc;
	int own_company;

	if (r->body_len > 0 && (body = req_json_body(r)) == NULL)
		return;
	{
		v = json_object_get(body, "note");
		note = json_string_value(v);
		const char *key;
		json_t *x;

		json_object_foreach(body, key, x)
			if (strcmp(key, "note") != 0) {
				resp_error_field(r, 400, "invalid_field", key, "unknown field");
				goto out;
			}
		if ((v != NULL && note == NULL) || (note != NULL && !text_ok(note, 0, 1000, 1)) ||
		    (!approve && (note == NULL || *note == '\0'))) {
			resp_error_field(r, 400, "invalid_field", "note", approve ?
			    "the note is up to 1000 characters" :
			    "a rejection needs a note of 1 to 1000 characters");
			goto out;
		}
	}
	p[0] = r->params.reference;
	p[1] = r->sess.has_qid ? r->sess.qid.s : NULL;
	if ((rc = db_begin(db)) != RB_OK)
		goto fail;
	rc = db_exec(db, &res, "SELECT s.status, s.est_id, s.submitted_by,"
	    " EXISTS (SELECT 1 FROM signatories g WHERE g.est_id = s.est_id"
	    "         AND g.qid = $2 AND g.ended_on IS NULL)"
	    " FROM renewal_subscriptions s WHERE s.reference = $1 FOR UPDATE", 2, p);
	if (rc != RB_OK)
		goto fail;
	if (PQntuples(res) == 0) {
		PQclear(res);
		db_rollback(db);
		resp_error_field(r, 404, "unknown_subscription", "reference",
		    "no subscription with this reference");
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "pending") != 0) {
		char msg[96];

		snprintf(msg, sizeof(msg), "the subscription is %s, not pending",
		    PQgetvalue(res, 0, 0));
		PQclear(res);
		db_rollback(db);
		resp_error(r, 409, "not_pending", msg);
		goto out;
	}
	snprintf(est, sizeof(est), "%s", PQgetvalue(res, 0, 1));
	snprintf(submitted_by, sizeof(submitted_by), "%s", PQgetvalue(res, 0, 2));
	own_company = PQgetvalue(res, 0, 3)[0] == 't';
	PQclear(res);
	res = NULL;
	/* Separation of duties: nobody reviews their own company or submission. */
	if (own_company || strcmp(submitted_by, r->sess.username) == 0) {
		db_rollback(db);
		resp_error(r, 403, "separation_of_duties", own_company ?
		    "a reviewer cannot review a company they sign for" :
		    "a reviewer cannot review their own submission");
		goto out;
	}
	snprintf(now_s, sizeof(now_s), "%lld", (long long)a.now);
	p[0] = r->params.reference;
	p[1] = est;
	p[2] = r->sess.username;
	p[3] = now_s;
	p[4] = note;
	if (approve)
		rc = db_exec(db, NULL, "UPDATE renewal_subscriptions SET status = 'replaced'"
		    " WHERE est_id = $1 AND status = 'active'", 1, p + 1);
	if (rc == RB_OK)
		rc = db_exec(db, NULL, approve ?
		    "UPDATE renewal_subscriptions SET status = 'active', reviewed_by = $3,"
		    " reviewed_at = to_timestamp($4::bigint), review_note = $5"
		    " WHERE reference = $1 AND est_id = $2" :
		    "UPDATE renewal_subscriptions SET status = 'rejected', reviewed_by = $3,"
		    " reviewed_at = to_timestamp($4::bigint), review_note = $5"
		    " WHERE reference = $1 AND est_id = $2", 5, p);
	if (rc != RB_OK)
		goto fail;
	snprintf(target, sizeof(target), "renewal:%s", est);
	v = json_pack("{s:s, s:s?}", "reference", r->params.reference, "note", note);
	rc = audit_append(db, &a, approve ? "renewal.approve" : "renewal.reject", target, v);
	json_decref(v);
	if (rc != RB_OK || (rc = db_commit(db)) != RB_OK)
		goto fail;
	resp_json(r, 200, json_pack("{s:s, s:s, s:s, s:s?}", "reference",
	    r->params.reference, "est_id", est, "status", approve ? "active" : "rejected",
	    "review_note", note));
	goto out;
fail:
	PQclear(res);
	db_rollback(db);
	resp_rb_err(r, rc);
out:
	json_decref(body);
}

void
h_backoffice_approve(struct req *r)
{
	review(r, 1);
}

void
h_backoffice_reject(struct req *r)
{
	review(r, 0);
}
