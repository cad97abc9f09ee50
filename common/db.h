/*
 * One PostgreSQL connection, owned by one thread. It reconnects by itself
 * on the next call after the server went away, so a restarted database is
 * picked up without restarting the application. Every query is
 * parameterized; statements used on hot paths are prepared once per
 * connection.
 */
#ifndef RB_DB_H
#define RB_DB_H

#include <libpq-fe.h>

#include "rb_err.h"

struct db_stmt {
	const char	*name;	/* unique, used as the prepared statement name */
	const char	*sql;
	int		 nparams;
};

#define DB_MAX_PREPARED 64

struct db {
	PGconn			*conn;		/* owned */
	char			*conninfo;	/* owned */
	const struct db_stmt	*prepared[DB_MAX_PREPARED];
	int			 nprepared;
	char			 errmsg[256];	/* last database error, for logs */
	char			 sqlstate[6];
	/* Set between db_begin and commit/rollback: a connection lost inside
	 * a transaction is not silently replaced mid-way. */
	int			 in_txn;
	/* Commit without waiting for the WAL flush: for the scheduler, whose
	 * every step is idempotent and claimed in the same database, so a
	 * commit lost in a crash is simply done again. */
	int			 async_commit;
};

void		db_init(struct db *, const char *conninfo);
void		db_close(struct db *);
/* Connects if needed; RB_EDB when the server cannot be reached. */
enum rb_err	db_ensure(struct db *);
/*
 * Runs sql with text parameters (NULL entries are SQL NULL). On success
 * *res holds the result (caller PQclear()s it; res may be NULL to discard).
 * Errors: RB_EDB (connection or server failure), RB_ECONFLICT (unique or
 * exclusion violation), RB_EINVAL (check, not-null or foreign key
 * violation, bad input syntax), RB_EINTERNAL otherwise.
 */
enum rb_err	db_exec(struct db *, PGresult **res, const char *sql,
		    int nparams, const char *const *params);
enum rb_err	db_exec_stmt(struct db *, PGresult **res,
		    const struct db_stmt *, const char *const *params);
enum rb_err	db_begin(struct db *);
enum rb_err	db_commit(struct db *);
/* Safe to call in any state; never fails the caller. */
void		db_rollback(struct db *);
/* 1 when the last error was a serialization failure or deadlock (retry). */
int		db_retryable(const struct db *);

#endif
