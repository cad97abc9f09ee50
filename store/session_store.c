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
signin_failures_count(struct db *db, const char *username,
    const char *client_addr, int64_t since, int64_t *by_user, int64_t *by_addr)
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	db_params_init(&p);
	db_param_str(&p, username);
	db_param_str(&p, client_addr);
	db_param_int(&p, since);
	rc = db_exec_p(db, &res,
	    "SELECT (SELECT count(*) FROM signin_failures WHERE username = $1"
	    "        AND at > to_timestamp($3::bigint)),"
	    " (SELECT count(*) FROM signin_failures WHERE client_addr = $2"
	    "        AND at > to_timestamp($3::bigint))", &p);
	if (rc == RB_OK && (rc = db_get_int(res, 0, 0, by_user)) == RB_OK)
		rc = db_get_int(res, 0, 1, by_addr);
	PQclear(res);
	return rc;
}

enum rb_err
signin_record(struct db *db, const struct audit_ctx *a, const char *username,
    enum signin_outcome o)
{
	struct db_params p;
	char target[96];
	enum rb_err rc = RB_OK;

	snprintf(target, sizeof(target), "user:%s", username);
	db_params_init(&p);
	db_param_str(&p, username);
	if ((rc = db_begin(db)) != RB_OK)
		return rc;
	switch (signin_outcome_effect(o)) {
	case SIGNIN_CLEAR_FAILURES:
		rc = db_exec_p(db, NULL,
		    "DELETE FROM signin_failures WHERE username = $1", &p);
		break;
	case SIGNIN_ADD_FAILURE:
		db_param_str(&p, a->client_addr);
		db_param_int(&p, a->now);
		rc = db_exec_p(db, NULL, "INSERT INTO signin_failures (username,"
		    " client_addr, at) VALUES ($1, $2, to_timestamp($3::bigint))", &p);
		break;
	case SIGNIN_KEEP:
		break;
	}
	if (rc == RB_OK)
		rc = audit_append(db, a, signin_outcome_action(o), target, NULL);
	if (rc == RB_OK)
		rc = db_commit(db);
	if (rc != RB_OK)
		db_rollback(db);
	return rc;
}
