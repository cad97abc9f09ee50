#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/session_rules.h"
#include "lib/log.h"
#include "store/change_feed.h"

/*
 * The facts of each kind, in the same columns whether read whole (the
 * snapshot) or for the keys a batch of changes names (the follower): one
 * reader per kind applies both. A key whose row is gone reads as NULLs.
 */
enum part { P_PERSONS, P_COMPANIES, P_SERVICES, P_SIGNATORIES, P_GRANTS, P_SESSIONS };

/* A triple's unrevoked grant (id, first and last day as days since
 * 1970-01-01), its latest revoked one, and the unrevoked one's last day
 * to accept while it is pending (NULL: accepted). */
#define GRANT_AGGS							\
	" max(g.id) FILTER (WHERE g.revoked_at IS NULL),"		\
	" max(g.valid_from - DATE '1970-01-01') FILTER (WHERE g.revoked_at IS NULL),"	\
	" max(g.valid_until - DATE '1970-01-01') FILTER (WHERE g.revoked_at IS NULL),"	\
	" max(g.id) FILTER (WHERE g.revoked_at IS NOT NULL),"		\
	" max(g.answer_by - DATE '1970-01-01') FILTER (WHERE g.revoked_at IS NULL"	\
	"     AND g.acceptance = 'pending')"
#define SESSION_FACTS							\
	" encode(s.token_hash, 'hex'), s.username, array_to_string(s.groups, ','),"	\
	" extract(epoch FROM s.created_at)::bigint,"			\
	" extract(epoch FROM s.last_seen_at)::bigint, encode(s.csrf_hash, 'hex'),"

static const char *const snapshot_sql[FEED_NPARTS] = {
	[P_PERSONS] = "SELECT qid, status FROM persons",
	[P_COMPANIES] = "SELECT est_id, true,"
	    " company_block(enrolled, sector, self_suspended_at) FROM companies",
	[P_SERVICES] = "SELECT code, true FROM services",
	[P_SIGNATORIES] = "SELECT qid, est_id, true FROM signatories WHERE ended_on IS NULL",
	[P_GRANTS] = "SELECT est_id, qid, service," GRANT_AGGS " FROM grants g GROUP BY 1, 2, 3",
	[P_SESSIONS] = "SELECT s.id," SESSION_FACTS " true FROM sessions s WHERE s.ended_at IS NULL",
};

/*
 * The distinct keys the changes of a batch name, of one kind. The batch is
 * the changes after $1, at most $2 of them: its last revision is computed
 * by each query again, in the same snapshot, so that every query of a
 * batch can be sent before the first answers (change_feed_read()).
 */
#define BATCH_LAST "(SELECT coalesce(max(l.revision), $1) FROM (SELECT revision"	\
	" FROM decision_changes WHERE revision > $1 ORDER BY revision LIMIT $2) l)"
#define KEYS(cols, kind) " FROM (SELECT DISTINCT " cols " FROM decision_changes"	\
	" WHERE revision > $1 AND revision <= " BATCH_LAST " AND kind LIKE '" kind "%') c"
/* With each change, when it was committed (track_commit_timestamp, set by
 * scripts/stack.sh), else its transaction's now(): the follower times
 * the apply from it. */
#define CHANGES_SQL "SELECT revision, kind, extract(epoch FROM coalesce(CASE"	\
	" WHEN current_setting('track_commit_timestamp') = 'on'"		\
	" THEN pg_xact_commit_timestamp(xmin) END, at))::float8"		\
	" FROM decision_changes WHERE revision > $1 ORDER BY revision LIMIT $2"

static const char *const batch_sql[FEED_NPARTS] = {
	[P_PERSONS] = "SELECT c.qid, p.status" KEYS("qid", "person")
	    " LEFT JOIN persons p USING (qid)",
	[P_COMPANIES] = "SELECT c.est_id, x.est_id IS NOT NULL,"
	    " coalesce(company_block(x.enrolled, x.sector, x.self_suspended_at), 0)"
	    KEYS("est_id", "company")
	    " LEFT JOIN companies x USING (est_id)",
	[P_SERVICES] = "SELECT c.service, x.code IS NOT NULL" KEYS("service", "service")
	    " LEFT JOIN services x ON x.code = c.service",
	[P_SIGNATORIES] = "SELECT c.qid, c.est_id, s.qid IS NOT NULL AND s.ended_on IS NULL"
	    KEYS("qid, est_id", "signatory") " LEFT JOIN signatories s USING (qid, est_id)",
	[P_GRANTS] = "SELECT c.est_id, c.qid, c.service," GRANT_AGGS
	    KEYS("est_id, qid, service", "grant")
	    " LEFT JOIN grants g USING (est_id, qid, service) GROUP BY 1, 2, 3",
	[P_SESSIONS] = "SELECT c.session_id," SESSION_FACTS
	    " s.id IS NOT NULL AND s.ended_at IS NULL" KEYS("session_id", "session")
	    " LEFT JOIN sessions s ON s.id = c.session_id",
};

/* The kind prefix of each part, as the changes' kinds begin. */
static const char *const part_kind[FEED_NPARTS] = {
	"person", "company", "service", "signatory", "grant", "session",
};

static enum rb_err
int_or(const PGresult *res, int row, int col, int64_t dflt, int64_t *out)
{
	if (PQgetisnull(res, row, col)) {
		*out = dflt;
		return RB_OK;
	}
	return db_get_int(res, row, col, out);
}

static enum rb_err
apply_person(const PGresult *res, int i, struct decision_index *x)
{
	enum person_status st;

	if (PQgetisnull(res, i, 1))
		return dx_person_remove(x, db_get_str(res, i, 0));
	if (person_status_parse(db_get_str(res, i, 1), &st) != RB_OK)
		return RB_EINTERNAL;
	return dx_person_set(x, db_get_str(res, i, 0), st);
}

static enum rb_err
apply_company(const PGresult *res, int i, struct decision_index *x)
{
	int64_t block;
	enum rb_err rc;

	if ((rc = int_or(res, i, 2, 0, &block)) != RB_OK ||
	    (rc = dx_company_set(x, db_get_str(res, i, 0), db_get_bool(res, i, 1)))
	    != RB_OK)
		return rc;
	return dx_company_block_set(x, db_get_str(res, i, 0), (int)block);
}

static enum rb_err
apply_service(const PGresult *res, int i, struct decision_index *x)
{
	return dx_service_set(x, db_get_str(res, i, 0), db_get_bool(res, i, 1));
}

static enum rb_err
apply_signatory(const PGresult *res, int i, struct decision_index *x)
{
	return dx_signatory_set(x, db_get_str(res, i, 0), db_get_str(res, i, 1),
	    db_get_bool(res, i, 2));
}

static enum rb_err
apply_grant(const PGresult *res, int i, struct decision_index *x)
{
	struct dx_grant_facts f;
	int64_t from, until, answer_by;
	enum rb_err rc;

	if ((rc = int_or(res, i, 3, 0, &f.live_id)) != RB_OK ||
	    (rc = int_or(res, i, 4, DX_NO_FROM, &from)) != RB_OK ||
	    (rc = int_or(res, i, 5, DX_NO_UNTIL, &until)) != RB_OK ||
	    (rc = int_or(res, i, 6, 0, &f.revoked_id)) != RB_OK ||
	    (rc = int_or(res, i, 7, DX_ACCEPTED, &answer_by)) != RB_OK)
		return rc;
	f.answer_by = (int32_t)answer_by;
	f.from = (int32_t)from;
	f.until = (int32_t)until;
	return dx_grant_set(x, db_get_str(res, i, 0), db_get_str(res, i, 1),
	    db_get_str(res, i, 2), &f);
}

static enum rb_err
apply_session(const PGresult *res, int i, struct decision_index *x)
{
	struct session_groups g;
	struct dx_session s;
	enum rb_err rc;

	memset(&s, 0, sizeof(s));
	if ((rc = db_get_int(res, i, 0, &s.id)) != RB_OK)
		return rc;
	if (!db_get_bool(res, i, 7)) {
		dx_session_remove_id(x, s.id);
		return RB_OK;
	}
	if ((rc = db_get_int(res, i, 4, &s.created)) != RB_OK ||
	    (rc = db_get_int(res, i, 5, &s.seen)) != RB_OK)
		return rc;
	snprintf(s.token_hex, sizeof(s.token_hex), "%s", db_get_str(res, i, 1));
	snprintf(s.username, sizeof(s.username), "%s", db_get_str(res, i, 2));
	session_groups_parse(db_get_str(res, i, 3), &g);
	s.reviewer = g.reviewer;
	s.service = g.service;
	snprintf(s.csrf_hex, sizeof(s.csrf_hex), "%s", db_get_str(res, i, 6));
	dx_session_set(x, &s);
	return RB_OK;
}

typedef enum rb_err (*apply_fn)(const PGresult *, int, struct decision_index *);

static const apply_fn appliers[FEED_NPARTS] = {
	apply_person, apply_company, apply_service, apply_signatory, apply_grant,
	apply_session,
};

static enum rb_err
apply_rows(enum part p, const PGresult *res, struct decision_index *x)
{
	enum rb_err rc;
	int i;

	for (i = 0; i < PQntuples(res); i++)
		if ((rc = appliers[p](res, i, x)) != RB_OK) {
			log_error("change feed: unreadable %s row", part_kind[p]);
			return RB_EINTERNAL;
		}
	return RB_OK;
}

/* Opens the one snapshot a read sees everything in. */
static enum rb_err
begin_snapshot(struct db *db)
{
	enum rb_err rc;

	if ((rc = db_begin(db)) != RB_OK)
		return rc;
	return db_exec(db, NULL,
	    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL);
}

/* One kind of the snapshot, through a cursor: three million persons never
 * sit in one result. */
#define SNAPSHOT_FETCH "FETCH 20000 FROM feed_snapshot"

static enum rb_err
snapshot_part(struct db *db, enum part p, struct decision_index *x)
{
	char sql[1024];
	PGresult *res = NULL;
	enum rb_err rc;

	snprintf(sql, sizeof(sql), "DECLARE feed_snapshot NO SCROLL CURSOR FOR %s",
	    snapshot_sql[p]);
	if ((rc = db_exec(db, NULL, sql, 0, NULL)) != RB_OK)
		return rc;
	do {
		PQclear(res);
		if ((rc = db_exec(db, &res, SNAPSHOT_FETCH, 0, NULL)) != RB_OK ||
		    (rc = apply_rows(p, res, x)) != RB_OK)
			goto out;
	} while (PQntuples(res) > 0);
	rc = db_exec(db, NULL, "CLOSE feed_snapshot", 0, NULL);
out:
	PQclear(res);
	return rc;
}

enum rb_err
change_feed_snapshot(struct db *db, struct decision_index **out, int64_t *revision)
{
	struct decision_index *x = NULL;
	int64_t persons, grants;
	PGresult *res = NULL;
	enum rb_err rc;
	int p;

	*out = NULL;
	if ((rc = begin_snapshot(db)) != RB_OK ||
	    (rc = db_exec(db, &res, "SELECT coalesce(max(revision), 0),"
	    " (SELECT count(*) FROM persons), (SELECT count(*) FROM grants)"
	    " FROM decision_changes", 0, NULL)) != RB_OK ||
	    (rc = db_get_int(res, 0, 0, revision)) != RB_OK ||
	    (rc = db_get_int(res, 0, 1, &persons)) != RB_OK ||
	    (rc = db_get_int(res, 0, 2, &grants)) != RB_OK)
		goto out;
	x = dx_new((size_t)persons, (size_t)grants);
	/* Services before grants, so that catalogue codes come first. */
	for (p = 0; p < FEED_NPARTS; p++)
		if ((rc = snapshot_part(db, (enum part)p, x)) != RB_OK)
			goto out;
	if ((rc = db_commit(db)) != RB_OK)
		goto out;
	*out = x;
	x = NULL;
out:
	db_rollback(db);
	PQclear(res);
	dx_free(x);
	return rc;
}

/* Which parts the kinds of the changes read name. */
static void
batch_kinds(const PGresult *res, int need[FEED_NPARTS], int *reload)
{
	int i, p;

	*reload = 0;
	memset(need, 0, FEED_NPARTS * sizeof(int));
	for (i = 0; i < PQntuples(res); i++) {
		const char *k = db_get_str(res, i, 1);

		if (strcmp(k, "reload") == 0)
			*reload = 1;
		for (p = 0; p < FEED_NPARTS; p++)
			if (strncmp(k, part_kind[p], strlen(part_kind[p])) == 0)
				need[p] = 1;
	}
}

/*
 * The statements of one read, in the order they are sent: the snapshot's
 * BEGIN, the changes, every kind's facts, COMMIT. Sent together in a
 * libpq pipeline and answered together, one round trip, where one
 * statement at a time took five: the follower waits on the database once
 * per batch, not once per statement, and a revocation reaches the index
 * that much sooner under load (issue 13 §4). The facts of kinds the batch
 * does not name come back empty and are dropped.
 */
#define Q_BEGIN		0
#define Q_CHANGES	1
#define Q_PART(p)	(2 + (p))
#define Q_COMMIT	(2 + FEED_NPARTS)
#define NQ		(3 + FEED_NPARTS)

static const char *
read_sql(int i)
{
	if (i == Q_BEGIN)
		return "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
	if (i == Q_CHANGES)
		return CHANGES_SQL;
	if (i == Q_COMMIT)
		return "COMMIT";
	return batch_sql[i - Q_PART(0)];
}

/* Sends the statements and collects one result each into res[] (the
 * caller clears them); RB_EDB, with db->errmsg, at the first failure. */
static enum rb_err
read_pipelined(struct db *db, int64_t after, int limit, PGresult *res[NQ])
{
	char a[24], l[24];
	const char *const v[2] = { a, l };
	enum rb_err rc = RB_OK;
	PGresult *r;
	int i, np;

	snprintf(a, sizeof(a), "%lld", (long long)after);
	snprintf(l, sizeof(l), "%d", limit);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK ||
	    !PQenterPipelineMode(db->conn))
		goto lost;
	for (i = 0; i < NQ; i++) {
		char name[24];

		np = i == Q_BEGIN || i == Q_COMMIT ? 0 : 2;
		snprintf(name, sizeof(name), "feed_q%d", i);
		if (!PQsendQueryPrepared(db->conn, name, np, np ? v : NULL, NULL, NULL, 0))
			goto lost;
	}
	if (!PQpipelineSync(db->conn))
		goto lost;
	/* Every answer read, through the sync, whatever failed: the
	 * connection is then usable again (or known lost). */
	for (i = 0; i < NQ; i++) {
		if ((r = PQgetResult(db->conn)) == NULL)
			goto lost;
		res[i] = r;
		if (rc == RB_OK && PQresultStatus(r) != (i == Q_BEGIN || i == Q_COMMIT ?
		    PGRES_COMMAND_OK : PGRES_TUPLES_OK)) {
			snprintf(db->errmsg, sizeof(db->errmsg), "%s",
			    PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r) :
			    PQresStatus(PQresultStatus(r)));
			rc = RB_EDB;
		}
		/* Each statement's results end with NULL. */
		while ((r = PQgetResult(db->conn)) != NULL)
			PQclear(r);
	}
	r = PQgetResult(db->conn);
	i = r != NULL && PQresultStatus(r) == PGRES_PIPELINE_SYNC;
	PQclear(r);
	if (!i || !PQexitPipelineMode(db->conn))
		goto lost;
	return rc;
lost:
	snprintf(db->errmsg, sizeof(db->errmsg), "%s",
	    db->conn != NULL ? PQerrorMessage(db->conn) : "no connection");
	return RB_EDB;
}

enum rb_err
change_feed_read(struct db *db, int64_t after, int limit, struct feed_batch *b)
{
	PGresult *res[NQ] = { NULL };
	int need[FEED_NPARTS], p, i;
	enum rb_err rc;

	memset(b, 0, sizeof(*b));
	b->after = b->last = after;
	if ((rc = read_pipelined(db, after, limit, res)) != RB_OK)
		goto out;
	b->changes = res[Q_CHANGES];
	res[Q_CHANGES] = NULL;
	if ((b->count = PQntuples(b->changes)) == 0)
		goto out;
	if ((rc = db_get_int(b->changes, b->count - 1, 0, &b->last)) != RB_OK)
		goto out;
	batch_kinds(b->changes, need, &b->reload);
	for (p = 0; p < FEED_NPARTS && !b->reload; p++)
		if (need[p]) {
			b->part[p] = res[Q_PART(p)];
			res[Q_PART(p)] = NULL;
		}
out:
	/* A failed read leaves its transaction open (or aborted). */
	db_rollback(db);
	for (i = 0; i < NQ; i++)
		PQclear(res[i]);
	if (rc != RB_OK)
		change_feed_batch_free(b);
	return rc;
}

double
change_feed_at(const struct feed_batch *b, int i)
{
	if (b->changes == NULL || i < 0 || i >= PQntuples(b->changes) ||
	    PQgetisnull(b->changes, i, 2))
		return 0;
	return strtod(PQgetvalue(b->changes, i, 2), NULL);
}

enum rb_err
change_feed_apply(const struct feed_batch *b, struct decision_index *x)
{
	enum rb_err rc;
	int p;

	for (p = 0; p < FEED_NPARTS; p++)
		if (b->part[p] != NULL && (rc = apply_rows((enum part)p, b->part[p], x)) != RB_OK)
			return rc;
	return RB_OK;
}

void
change_feed_batch_free(struct feed_batch *b)
{
	int p;

	for (p = 0; p < FEED_NPARTS; p++) {
		PQclear(b->part[p]);
		b->part[p] = NULL;
	}
	PQclear(b->changes);
	b->changes = NULL;
}

enum rb_err
change_feed_listen(struct db *db)
{
	PGresult *r;
	enum rb_err rc;
	int i;

	/* Named, so that an operator (or a test) can find the connection. */
	if ((rc = db_exec(db, NULL, "SET application_name = 'rb-authz-follower'",
	    0, NULL)) != RB_OK ||
	    (rc = db_exec(db, NULL, "LISTEN rb_decision_changes", 0, NULL)) != RB_OK ||
	    (rc = db_exec(db, NULL, "DEALLOCATE ALL", 0, NULL)) != RB_OK)
		return rc;
	/* The read's statements, parsed once per connection: a batch then
	 * costs the server no parse or plan of nine statements (a connection
	 * replaced behind the follower's back fails its next read, and the
	 * follower LISTENs, and prepares, anew). */
	for (i = 0; i < NQ; i++) {
		char name[24];

		snprintf(name, sizeof(name), "feed_q%d", i);
		r = PQprepare(db->conn, name, read_sql(i),
		    i == Q_BEGIN || i == Q_COMMIT ? 0 : 2, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			snprintf(db->errmsg, sizeof(db->errmsg), "%s", PQresultErrorMessage(r));
			PQclear(r);
			return RB_EDB;
		}
		PQclear(r);
	}
	return RB_OK;
}

int
change_feed_backend(const struct db *db)
{
	return db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK ?
	    PQbackendPID(db->conn) : 0;
}

enum rb_err
change_feed_wait(struct db *db, int timeout_ms)
{
	struct pollfd pfd;
	PGnotify *n;
	int r;

	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK)
		return RB_EDB;
	pfd.fd = PQsocket(db->conn);
	pfd.events = POLLIN;
	pfd.revents = 0;
	r = poll(&pfd, 1, timeout_ms);
	if (r < 0 && errno != EINTR)
		return RB_EDB;
	if (r > 0 && PQconsumeInput(db->conn) == 0)
		return RB_EDB;
	while ((n = PQnotifies(db->conn)) != NULL)
		PQfreemem(n);
	return PQstatus(db->conn) == CONNECTION_OK ? RB_OK : RB_EDB;
}

enum rb_err
change_feed_head(struct db *db, int64_t *revision)
{
	PGresult *res = NULL;
	enum rb_err rc;

	if ((rc = db_exec(db, &res, "SELECT coalesce(max(revision), 0) FROM decision_changes",
	    0, NULL)) == RB_OK)
		rc = db_get_int(res, 0, 0, revision);
	PQclear(res);
	return rc;
}

static void
set_str(json_t *o, const char *k, const PGresult *res, int i, int col)
{
	if (!PQgetisnull(res, i, col))
		json_object_set_new(o, k, json_string(db_get_str(res, i, col)));
}

enum rb_err
change_feed_list(struct db *db, int64_t after, int limit, json_t **items,
    int64_t *last)
{
	json_t *a = json_array(), *o;
	struct db_params q;
	PGresult *res = NULL;
	int64_t rev, gid;
	enum rb_err rc;
	int i;

	*items = NULL;
	*last = after;
	db_params_init(&q);
	db_param_int(&q, after);
	db_param_int(&q, limit);
	if ((rc = db_exec_p(db, &res, "SELECT revision, kind,"
	    " to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	    " est_id, qid, service, grant_id, status FROM decision_changes"
	    " WHERE revision > $1 ORDER BY revision LIMIT $2", &q)) != RB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		if ((rc = db_get_int(res, i, 0, &rev)) != RB_OK)
			goto out;
		*last = rev;
		if (strncmp(db_get_str(res, i, 1), "session", 7) == 0)
			continue;
		o = json_pack("{s:s, s:s, s:s}", "revision", "", "kind",
		    db_get_str(res, i, 1), "at", db_get_str(res, i, 2));
		json_object_set_new(o, "revision", json_sprintf("%lld", (long long)rev));
		set_str(o, "est_id", res, i, 3);
		set_str(o, "qid", res, i, 4);
		set_str(o, "service", res, i, 5);
		if (!PQgetisnull(res, i, 6)) {
			if ((rc = db_get_int(res, i, 6, &gid)) != RB_OK)
				goto out;
			json_object_set_new(o, "grant_id", json_integer(gid));
		}
		set_str(o, "status", res, i, 7);
		json_array_append_new(a, o);
	}
	*items = a;
	a = NULL;
out:
	PQclear(res);
	json_decref(a);
	return rc;
}
