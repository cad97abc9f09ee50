#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "store/session_store.h"

/* Prepared: every signed-in request runs it. */
static const struct db_stmt st_lookup = { "session_lookup",
	"SELECT " SESSION_COLUMNS " FROM sessions s"
	" WHERE s.token_hash = decode($1, 'hex') AND s.ended_at IS NULL", 1 };

enum rb_err
session_row_read(const PGresult *res, int col, struct session_row *s)
{
	const char *v;
	enum rb_err rc;

	memset(s, 0, sizeof(*s));
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, col))
		return RB_OK;
	if ((rc = db_get_int(res, 0, col, &s->id)) != RB_OK ||
	    (rc = db_get_int(res, 0, col + 3, &s->created)) != RB_OK ||
	    (rc = db_get_int(res, 0, col + 4, &s->seen)) != RB_OK)
		return rc;
	snprintf(s->username, sizeof(s->username), "%s", db_get_str(res, 0, col + 1));
	session_groups_parse(db_get_str(res, 0, col + 2), &s->groups);
	v = db_get_str(res, 0, col + 5);
	snprintf(s->csrf_hex, sizeof(s->csrf_hex), "%s", v ? v : "");
	s->found = 1;
	return RB_OK;
}

enum rb_err
session_store_lookup(struct db *db, const char *token_hex, struct session_row *s)
{
	const char *p[1] = { token_hex };
	PGresult *res = NULL;
	enum rb_err rc;

	/* session_row_read clears *s, so a failed query leaves found = 0. */
	s->found = 0;
	rc = db_exec_stmt(db, &res, &st_lookup, p);
	if (rc == RB_OK)
		rc = session_row_read(res, 0, s);
	PQclear(res);
	return rc;
}

enum rb_err
session_store_insert(struct db *db, const char *token_hex, const char *csrf_hex,
    const char *username, const struct session_groups *g,
    const char *client_addr, int64_t now)
{
	struct db_params p;
	char groups[32];

	session_groups_format(g, groups, sizeof(groups));
	db_params_init(&p);
	db_param_str(&p, token_hex);
	db_param_str(&p, csrf_hex);
	db_param_str(&p, username);
	db_param_str(&p, groups);
	db_param_int(&p, now);
	db_param_str(&p, client_addr);
	return db_exec_p(db, NULL,
	    "INSERT INTO sessions (token_hash, csrf_hash, username, groups,"
	    " client_addr, created_at, last_seen_at) VALUES (decode($1, 'hex'),"
	    " decode($2, 'hex'), $3, $4::text[], $6, to_timestamp($5::bigint),"
	    " to_timestamp($5::bigint))", &p);
}

/* The two updates of a session's times: $1 its id, $2 the instant. */
static enum rb_err
session_set_time(struct db *db, const char *sql, int64_t id, int64_t now)
{
	struct db_params p;

	db_params_init(&p);
	db_param_int(&p, id);
	db_param_int(&p, now);
	return db_exec_p(db, NULL, sql, &p);
}

enum rb_err
session_store_touch(struct db *db, int64_t id, int64_t now)
{
	return session_set_time(db, "UPDATE sessions SET"
	    " last_seen_at = to_timestamp($2::bigint) WHERE id = $1", id, now);
}

enum rb_err
session_store_end(struct db *db, int64_t id, int64_t now)
{
	return session_set_time(db, "UPDATE sessions SET"
	    " ended_at = to_timestamp($2::bigint) WHERE id = $1 AND ended_at IS NULL",
	    id, now);
}

enum rb_err
signin_seen_load(struct db *db, const char *username, const char *client_addr,
    int64_t since, int64_t now, struct signin_seen *seen)
{
	struct signin_count *k[3] = { &seen->pair, &seen->user, &seen->addr };
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;
	int i;

	db_params_init(&p);
	db_param_str(&p, username);
	db_param_str(&p, client_addr);
	db_param_int(&p, since);
	db_param_int(&p, now);
	/* Throttled attempts and forgiven failures do not count; an instant
	 * after now (an injected clock set back) does not either. */
	rc = db_exec_p(db, &res,
	    "WITH f AS (SELECT username, client_addr, at FROM signin_failures"
	    "   WHERE (username = $1 OR client_addr = $2)"
	    "   AND at > to_timestamp($3::bigint) AND at <= to_timestamp($4::bigint)"
	    "   AND outcome = 'signin.failed' AND NOT cleared)"
	    " SELECT count(*) FILTER (WHERE username = $1 AND client_addr = $2),"
	    "  coalesce(extract(epoch FROM max(at) FILTER (WHERE username = $1"
	    "   AND client_addr = $2))::bigint, 0),"
	    "  count(*) FILTER (WHERE username = $1),"
	    "  coalesce(extract(epoch FROM max(at) FILTER (WHERE username = $1))::bigint, 0),"
	    "  count(*) FILTER (WHERE client_addr = $2),"
	    "  coalesce(extract(epoch FROM max(at) FILTER (WHERE client_addr = $2))::bigint, 0)"
	    " FROM f", &p);
	for (i = 0; rc == RB_OK && i < 3; i++)
		if ((rc = db_get_int(res, 0, 2 * i, &k[i]->n)) == RB_OK)
			rc = db_get_int(res, 0, 2 * i + 1, &k[i]->last);
	PQclear(res);
	return rc;
}

/* The detail of a summary record, from the row the aggregate returned. */
static enum rb_err
summary_detail(const PGresult *res, json_t **out)
{
	int64_t v[6];
	enum rb_err rc = RB_OK;
	int i;

	for (i = 0; i < 6 && rc == RB_OK; i++)
		rc = db_get_int(res, 0, i, &v[i]);
	if (rc != RB_OK)
		return rc;
	*out = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:s}", "failed", (json_int_t)v[0],
	    "throttled", (json_int_t)v[1], "first_id", (json_int_t)v[2],
	    "last_id", (json_int_t)v[3], "first_at", (json_int_t)v[4],
	    "last_at", (json_int_t)v[5], "sha256", db_get_str(res, 0, 6));
	return *out != NULL ? RB_OK : RB_EINTERNAL;
}

enum rb_err
signin_failures_summarize(struct db *db, int64_t now)
{
	struct audit_ctx sys = { "system", "", now };
	struct db_params p;
	PGresult *res = NULL;
	json_t *detail = NULL;
	int64_t pending = 0, oldest = 0;
	enum rb_err rc;

	rc = db_exec(db, &res, "SELECT count(*), coalesce(extract(epoch FROM min(at))"
	    "::bigint, 0) FROM signin_failures WHERE NOT summarized", 0, NULL);
	if (rc == RB_OK && (rc = db_get_int(res, 0, 0, &pending)) == RB_OK)
		rc = db_get_int(res, 0, 1, &oldest);
	PQclear(res);
	res = NULL;
	if (rc != RB_OK || !signin_summary_due(pending, oldest, now))
		return rc;
	/* The rows this summary covers, locked; rows another summary holds
	 * are left to it. The digest is over the rows as stored, in id
	 * order, so that a verifier can recompute it from the table. */
	rc = db_exec(db, &res,
	    "WITH p AS (SELECT id, username, client_addr, at, outcome"
	    "   FROM signin_failures WHERE NOT summarized ORDER BY id LIMIT 10000"
	    "   FOR UPDATE SKIP LOCKED)"
	    " SELECT count(*) FILTER (WHERE outcome = 'signin.failed'),"
	    "  count(*) FILTER (WHERE outcome = 'signin.throttled'), min(id), max(id),"
	    "  extract(epoch FROM min(at))::bigint, extract(epoch FROM max(at))::bigint,"
	    "  encode(sha256(convert_to(string_agg(id || '|' || username || '|' ||"
	    "   client_addr || '|' || extract(epoch FROM at)::bigint || '|' || outcome,"
	    "   E'\\n' ORDER BY id), 'UTF8')), 'hex'),"
	    "  array_agg(id)::text"
	    " FROM p HAVING count(*) > 0", 0, NULL);
	if (rc != RB_OK || PQntuples(res) == 0)
		goto out;
	if ((rc = summary_detail(res, &detail)) != RB_OK ||
	    (rc = audit_append(db, &sys, "signin.failures", "signin_failures",
	    detail)) != RB_OK)
		goto out;
	db_params_init(&p);
	db_param_str(&p, db_get_str(res, 0, 7));
	rc = db_exec_p(db, NULL, "UPDATE signin_failures SET summarized = true"
	    " WHERE id = ANY ($1::bigint[])", &p);
out:
	json_decref(detail);
	PQclear(res);
	return rc;
}

enum rb_err
signin_record(struct db *db, const struct audit_ctx *a, const char *username,
    enum signin_outcome o)
{
	struct db_params p;
	char target[96];
	enum rb_err rc;

	db_params_init(&p);
	db_param_str(&p, username);
	db_param_str(&p, a->client_addr);
	if (signin_outcome_effect(o) != SIGNIN_CLEAR_FAILURES) {
		/* One row, no transaction, no audit lock: a stranger's failures
		 * cost the acts of others nothing. */
		db_param_int(&p, a->now);
		db_param_str(&p, signin_outcome_action(o));
		return db_exec_p(db, NULL, "INSERT INTO signin_failures (username,"
		    " client_addr, at, outcome) VALUES ($1, $2,"
		    " to_timestamp($3::bigint), $4)", &p);
	}
	snprintf(target, sizeof(target), "user:%s", username);
	if ((rc = db_begin(db)) != RB_OK)
		return rc;
	rc = db_exec_p(db, NULL, "UPDATE signin_failures SET cleared = true"
	    " WHERE username = $1 AND client_addr = $2 AND NOT cleared", &p);
	if (rc == RB_OK)
		rc = signin_failures_summarize(db, a->now);
	if (rc == RB_OK)
		rc = audit_append(db, a, signin_outcome_action(o), target, NULL);
	if (rc == RB_OK)
		rc = db_commit(db);
	if (rc != RB_OK)
		db_rollback(db);
	return rc;
}
