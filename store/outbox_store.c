#include <stdio.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/instant_json.h"
#include "store/outbox_store.h"
#include "store/page.h"

/* The columns message_json() reads, instants as seconds (lib/clock.h). */
static const char columns[] =
	"id, channel, recipient, language, template, params::text, status, attempts,"
	" last_error, " CLOCK_SQL_EPOCH("next_attempt_at") ","
	" " CLOCK_SQL_EPOCH("created_at") ", " CLOCK_SQL_EPOCH("sent_at") ","
	" est_id, qid, statement_id";

static json_t *
opt_int(const PGresult *res, int i, int col)
{
	int64_t v;

	if (PQgetisnull(res, i, col) || db_get_int(res, i, col, &v) != RB_OK)
		return NULL;
	return json_integer((json_int_t)v);
}

static json_t *
message_json(PGresult *res, int i)
{
	json_t *params = json_loads(db_get_str(res, i, 5), 0, NULL), *id, *attempts;

	/* A one-time code is for the person's phone only: a reviewer reading
	 * the queue must not be able to confirm a number in their place. */
	if (params != NULL && json_object_get(params, "code") != NULL &&
	    strcmp(db_get_str(res, i, 4), "sms.mobile.code") == 0)
		json_object_set_new(params, "code", json_string("******"));

	id = opt_int(res, i, 0);
	attempts = opt_int(res, i, 7);
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:s?, s:o, s:o, s:o,"
	    " s:s?, s:s?, s:o?}",
	    "id", id ? id : json_null(), "channel", db_get_str(res, i, 1),
	    "recipient", db_get_str(res, i, 2), "language", db_get_str(res, i, 3),
	    "template", db_get_str(res, i, 4), "params", params ? params : json_object(),
	    "status", db_get_str(res, i, 6), "attempts", attempts ? attempts : json_null(),
	    "last_error", db_get_str(res, i, 8), "next_attempt_at", instant_json(res, i, 9),
	    "created_at", instant_json(res, i, 10), "sent_at", instant_json(res, i, 11),
	    "est_id", db_get_str(res, i, 12), "qid", db_get_str(res, i, 13),
	    "statement_id", opt_int(res, i, 14));
}

#define FILTER \
	" FROM outbox WHERE status = $1" \
	" AND ($2::text IS NULL OR channel = $2) AND ($3::text IS NULL OR est_id = $3)"

static void
filter_params(struct db_params *p, const struct outbox_filter *f)
{
	db_params_init(p);
	db_param_str(p, f->status);
	db_param_str(p, f->channel);
	db_param_str(p, f->est_id);
}

enum rb_err
outbox_page(struct db *db, const struct outbox_filter *f, int64_t limit, int64_t offset,
    json_t **page)
{
	static const char sql_fmt[] = "SELECT %s, count(*) OVER ()" FILTER
	    " ORDER BY id DESC LIMIT $4 OFFSET $5";
	char sql[sizeof(sql_fmt) + sizeof(columns)];
	struct db_params p, cp;

	snprintf(sql, sizeof(sql), sql_fmt, columns);
	filter_params(&p, f);
	db_param_int(&p, limit);
	db_param_int(&p, offset);
	filter_params(&cp, f);
	return page_query(db, sql, &p, message_json, limit, offset,
	    "SELECT count(*)" FILTER, &cp, page);
}

enum rb_err
outbox_retry(struct db *db, const struct audit_ctx *a, int64_t id, json_t **message)
{
	static const char sql_fmt[] = "UPDATE outbox SET status = 'pending', attempts = 0,"
	    " next_attempt_at = to_timestamp($2::bigint)"
	    " WHERE id = $1 AND status IN ('failed', 'undeliverable') RETURNING %s";
	char sql[sizeof(sql_fmt) + sizeof(columns)], target[40];
	struct db_params p;
	PGresult *res = NULL;
	json_t *detail;
	enum rb_err rc;

	*message = NULL;
	snprintf(sql, sizeof(sql), sql_fmt, columns);
	db_params_init(&p);
	db_param_int(&p, id);
	db_param_int(&p, a->now);
	if ((rc = db_begin(db)) != RB_OK || (rc = db_exec_p(db, &res, sql, &p)) != RB_OK)
		goto out;
	if (PQntuples(res) == 0) {
		/* Not parked: either there is no such message, or it is not
		 * failed nor undeliverable. */
		PQclear(res);
		res = NULL;
		db_params_init(&p);
		db_param_int(&p, id);
		if ((rc = db_exec_p(db, &res, "SELECT status FROM outbox WHERE id = $1",
		    &p)) == RB_OK)
			rc = PQntuples(res) ? RB_ECONFLICT : RB_ENOTFOUND;
		goto out;
	}
	snprintf(target, sizeof(target), "outbox:%lld", (long long)id);
	detail = json_pack("{s:s, s:s}", "channel", db_get_str(res, 0, 1),
	    "template", db_get_str(res, 0, 4));
	rc = audit_append(db, a, "outbox.retry", target, detail);
	json_decref(detail);
	if (rc == RB_OK && (rc = db_commit(db)) == RB_OK)
		*message = message_json(res, 0);
out:
	if (rc != RB_OK)
		db_rollback(db);
	PQclear(res);
	return rc;
}

static json_t *
company_count_json(PGresult *res, int i)
{
	int64_t n;

	if (db_get_int(res, i, 3, &n) != RB_OK)
		return NULL;
	return json_pack("{s:s?, s:s?, s:s?, s:I}", "est_id", db_get_str(res, i, 0),
	    "name_ar", db_get_str(res, i, 1), "name_en", db_get_str(res, i, 2),
	    "count", (json_int_t)n);
}

enum rb_err
outbox_company_counts(struct db *db, const struct outbox_filter *f, json_t **counts)
{
	struct db_params p;
	PGresult *res = NULL;
	json_t *out = json_array(), *o;
	enum rb_err rc;
	int i, n;

	*counts = NULL;
	filter_params(&p, f);
	/* Every company, and the messages about none (est_id null) as one row. */
	rc = db_exec_p(db, &res, "SELECT o.est_id, c.name_ar, c.name_en, count(*)"
	    " FROM outbox o LEFT JOIN companies c ON c.est_id = o.est_id"
	    " WHERE o.status = $1 AND ($2::text IS NULL OR o.channel = $2)"
	    " AND ($3::text IS NULL OR o.est_id = $3)"
	    " GROUP BY o.est_id, c.name_ar, c.name_en"
	    " ORDER BY count(*) DESC, o.est_id NULLS LAST LIMIT 100", &p);
	if (rc != RB_OK)
		goto out;
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		if ((o = company_count_json(res, i)) == NULL) {
			rc = RB_EINTERNAL;
			goto out;
		}
		json_array_append_new(out, o);
	}
	*counts = out;
	out = NULL;
out:
	json_decref(out);
	PQclear(res);
	return rc;
}
