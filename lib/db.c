#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/db.h"
#include "lib/log.h"
#include "lib/number.h"
#include "lib/xalloc.h"

void
db_init(struct db *db, const char *conninfo)
{
	memset(db, 0, sizeof(*db));
	db->conninfo = xstrdup(conninfo);
	db->appname = "residency";
}

void
db_init_replica(struct db *db, const char *conninfo, struct db *primary)
{
	db_init(db, conninfo);
	/* Its own name, so that the replica's pg_stat_activity tells the
	 * application's reads apart from the primary's connections. */
	db->appname = "residency-replica";
	db->fallback = primary;
	db->quiet = 1;
}

void
db_close(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->conninfo);
	memset(db, 0, sizeof(*db));
}

static void
db_drop(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	db->nprepared = 0;
}


/* libpq's notice processor: the message has its own newline. */
static void
notice_to_log(void *arg, const char *message)
{
	(void)arg;
	log_warn("postgres: %.*s", (int)strcspn(message, "\n"), message);
}

enum rb_err
db_ensure(struct db *db)
{
	/* The encoding is fixed here, not left to PGCLIENTENCODING: the audit
	 * hashes are computed over these bytes. */
	const char *keys[] = { "dbname", "connect_timeout", "options",
	    "application_name", "client_encoding", NULL };
	/* A replica that does not answer costs a read 2 s (libpq's least),
	 * not 3: the primary is there to answer instead. */
	const char *vals[] = { db->conninfo, db->fallback ? "2" : "3", db->async_commit ?
	    "-c statement_timeout=15000 -c TimeZone=UTC -c synchronous_commit=off" :
	    "-c statement_timeout=15000 -c TimeZone=UTC", db->appname, "UTF8", NULL };

	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return RB_OK;
	if (db->in_txn)
		return RB_EDB;
	db_drop(db);
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		snprintf(db->errmsg, sizeof(db->errmsg), "%s",
		    db->conn ? PQerrorMessage(db->conn) : "no memory");
		/* A replica's absence is logged once by its caller, not at
		 * every try. */
		if (!db->quiet)
			log_warn("connect: %s", db->errmsg);
		db_drop(db);
		return RB_EDB;
	}
	/* The server's notices (and a "terminating connection" FATAL met
	 * outside a query) go to our log as one line, not raw to stderr. */
	PQsetNoticeProcessor(db->conn, notice_to_log, NULL);
	return RB_OK;
}

static enum rb_err
db_result(struct db *db, PGresult *r, PGresult **res)
{
	ExecStatusType st = PQresultStatus(r);
	const char *state;
	enum rb_err rc;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		db->sqlstate[0] = '\0';
		if (res != NULL)
			*res = r;
		else
			PQclear(r);
		return RB_OK;
	}
	state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state ? state : "");
	snprintf(db->errmsg, sizeof(db->errmsg), "%s",
	    r ? PQresultErrorMessage(r) : PQerrorMessage(db->conn));
	PQclear(r);
	/* From here on only the copies: state pointed into r. */
	state = db->sqlstate;
	if (PQstatus(db->conn) != CONNECTION_OK || *state == '\0' ||
	    strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0) {
		log_warn("database gone: %s", db->errmsg);
		db_drop(db);
		return RB_EDB;
	}
	if (strcmp(state, "23505") == 0 || strcmp(state, "23P01") == 0)
		rc = RB_ECONFLICT;
	else if (strncmp(state, "23", 2) == 0 || strncmp(state, "22", 2) == 0)
		rc = RB_EINVAL;
	else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		rc = RB_ERETRY;
	else
		rc = RB_EINTERNAL;
	if (rc == RB_EINTERNAL)
		log_error("query failed: %s %s", state, db->errmsg);
	return rc;
}

/*
 * Whether a replica's failure is the primary's to answer: the replica is
 * unreachable or lost (RB_EDB), or the statement writes (25006: a hot
 * standby is read-only; a statement's workbook is recorded on its first
 * download, for one).
 */
static int
diverts(const struct db *db, enum rb_err rc)
{
	return db->fallback != NULL && rc != RB_OK &&
	    (rc == RB_EDB || strcmp(db->sqlstate, "25006") == 0);
}

/*
 * A connection that died while idle (the server restarted) fails on its
 * next use. Outside a transaction nothing was done yet, so the statement is
 * tried once more on a fresh connection instead of failing the request.
 * On a replica's connection (db->fallback), a statement the replica cannot
 * answer outside a transaction is run on the primary instead (again: the
 * same call on db->fallback), and so is everything after it in the
 * request; inside a transaction the error stands (what was read in it
 * cannot be moved), but the rest of the request still goes to the primary.
 */
#define WITH_ONE_RECONNECT(call, again)					\
	do {								\
		enum rb_err rc_;					\
		int fresh_;						\
									\
		if (db->diverted)					\
			return (again);					\
		fresh_ = db->conn == NULL;				\
		rc_ = db_ensure(db);					\
		if (rc_ == RB_OK) {					\
			rc_ = (call);					\
			if (rc_ == RB_EDB && !fresh_ && !db->in_txn &&	\
			    (rc_ = db_ensure(db)) == RB_OK)		\
				rc_ = (call);				\
		}							\
		if (diverts(db, rc_)) {					\
			log_warn("replica: %s; the primary answers",	\
			    rc_ == RB_EDB ? "unreachable" : "read-only");	\
			db->diverted = 1;				\
			if (!db->in_txn)				\
				return (again);				\
		}							\
		return rc_;						\
	} while (0)

static enum rb_err
exec_params(struct db *db, PGresult **res, const char *sql, int nparams,
    const char *const *params, const int *lengths, const int *formats)
{
	return db_result(db, PQexecParams(db->conn, sql, nparams, NULL,
	    params, lengths, formats, 0), res);
}

enum rb_err
db_exec(struct db *db, PGresult **res, const char *sql, int nparams,
    const char *const *params)
{
	WITH_ONE_RECONNECT(exec_params(db, res, sql, nparams, params, NULL, NULL),
	    db_exec(db->fallback, res, sql, nparams, params));
}

enum rb_err
db_exec_bin(struct db *db, PGresult **res, const char *sql, int nparams,
    const char *const *params, const int *lengths, const int *formats)
{
	WITH_ONE_RECONNECT(exec_params(db, res, sql, nparams, params, lengths,
	    formats), db_exec_bin(db->fallback, res, sql, nparams, params, lengths,
	    formats));
}

/* The rows go to the server in pieces of at most this many bytes (libpq
 * takes an int length). */
#define COPY_CHUNK	(1 << 20)

static enum rb_err
copy_in(struct db *db, const char *sql, const char *data, size_t len)
{
	PGresult *r, *more;
	size_t off, k;
	enum rb_err rc;

	r = PQexec(db->conn, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		/* Not a COPY FROM STDIN at all is the caller's bug. */
		rc = db_result(db, r, NULL);
		return rc == RB_OK ? RB_EINTERNAL : rc;
	}
	PQclear(r);
	for (off = 0; off < len; off += k) {
		k = len - off < COPY_CHUNK ? len - off : COPY_CHUNK;
		if (PQputCopyData(db->conn, data + off, (int)k) != 1)
			break;
	}
	/* Ended either way (a failed send aborts the COPY), then the
	 * command's result; the rest drained so the connection is ready. */
	(void)PQputCopyEnd(db->conn, off == len ? NULL : "the rows could not be sent");
	r = PQgetResult(db->conn);
	while ((more = PQgetResult(db->conn)) != NULL)
		PQclear(more);
	return db_result(db, r, NULL);
}

enum rb_err
db_copy_rows(struct db *db, const char *sql, const char *data, size_t len)
{
	WITH_ONE_RECONNECT(copy_in(db, sql, data, len),
	    db_copy_rows(db->fallback, sql, data, len));
}

void
db_params_init(struct db_params *p)
{
	memset(p, 0, sizeof(*p));
}

/* Too many parameters is a bug in the caller's SQL, caught by its tests. */
static int
param_slot(struct db_params *p)
{
	if (p->n >= DB_MAX_PARAMS) {
		p->overflow = 1;
		return -1;
	}
	return p->n++;
}

void
db_param_str(struct db_params *p, const char *s)
{
	int i = param_slot(p);

	if (i >= 0)
		p->v[i] = s;
}

void
db_param_int(struct db_params *p, int64_t v)
{
	int i = param_slot(p);

	if (i >= 0) {
		snprintf(p->num[i], sizeof(p->num[i]), "%lld", (long long)v);
		p->v[i] = p->num[i];
	}
}

void
db_param_bin(struct db_params *p, const void *data, size_t len)
{
	int i = param_slot(p);

	if (i < 0)
		return;
	if (len > INT32_MAX) {
		p->overflow = 1;
		return;
	}
	p->v[i] = data;
	p->len[i] = (int)len;
	p->fmt[i] = 1;
	p->binary = 1;
}

enum rb_err
db_exec_p(struct db *db, PGresult **res, const char *sql,
    const struct db_params *p)
{
	if (p->overflow) {
		log_error("query with too many or too large parameters: %.60s", sql);
		return RB_EINTERNAL;
	}
	if (p->binary)
		return db_exec_bin(db, res, sql, p->n, p->v, p->len, p->fmt);
	return db_exec(db, res, sql, p->n, p->v);
}

enum rb_err
db_get_int(const PGresult *res, int row, int col, int64_t *out)
{
	if (row >= PQntuples(res) || col >= PQnfields(res) ||
	    PQgetisnull(res, row, col) ||
	    int_parse(PQgetvalue(res, row, col), INT64_MIN, INT64_MAX, out) != RB_OK) {
		log_error("column %d of row %d is not an integer", col, row);
		return RB_EINTERNAL;
	}
	return RB_OK;
}

const char *
db_get_str(const PGresult *res, int row, int col)
{
	if (row >= PQntuples(res) || col >= PQnfields(res) ||
	    PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

int
db_get_bool(const PGresult *res, int row, int col)
{
	const char *v = db_get_str(res, row, col);

	return v != NULL && v[0] == 't';
}

static enum rb_err
exec_stmt(struct db *db, PGresult **res, const struct db_stmt *st,
    const char *const *params)
{
	enum rb_err rc;
	int i;

	for (i = 0; i < db->nprepared; i++)
		if (db->prepared[i] == st)
			break;
	if (i == db->nprepared) {
		if (db->nprepared == DB_MAX_PREPARED)
			return exec_params(db, res, st->sql, st->nparams, params,
			    NULL, NULL);
		rc = db_result(db, PQprepare(db->conn, st->name, st->sql,
		    st->nparams, NULL), NULL);
		if (rc != RB_OK)
			return rc;
		db->prepared[db->nprepared++] = st;
	}
	return db_result(db, PQexecPrepared(db->conn, st->name, st->nparams,
	    params, NULL, NULL, 0), res);
}

enum rb_err
db_exec_stmt(struct db *db, PGresult **res, const struct db_stmt *st,
    const char *const *params)
{
	WITH_ONE_RECONNECT(exec_stmt(db, res, st, params),
	    db_exec_stmt(db->fallback, res, st, params));
}

enum rb_err
db_begin(struct db *db)
{
	enum rb_err rc;

	if (db->diverted)
		return db_begin(db->fallback);
	db->in_txn = 0;
	rc = db_exec(db, NULL, "BEGIN", 0, NULL);
	if (db->diverted) {
		/* The BEGIN itself went to the primary: its transaction. */
		db->fallback->in_txn = rc == RB_OK;
		return rc;
	}
	if (rc == RB_OK)
		db->in_txn = 1;
	return rc;
}

enum rb_err
db_commit(struct db *db)
{
	enum rb_err rc;

	if (db->diverted) {
		if (!db->in_txn)
			return db_commit(db->fallback);
		/* Its transaction was on the replica, and lost there. */
		db->in_txn = 0;
		return RB_EDB;
	}
	rc = db_exec(db, NULL, "COMMIT", 0, NULL);
	db->in_txn = 0;
	return rc;
}

void
db_rollback(struct db *db)
{
	PGresult *r;

	if (db->diverted && db->fallback != NULL)
		db_rollback(db->fallback);
	db->in_txn = 0;
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK)
		return;
	if (PQtransactionStatus(db->conn) == PQTRANS_IDLE)
		return;
	r = PQexec(db->conn, "ROLLBACK");
	PQclear(r);
}
