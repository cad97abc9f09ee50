/*
 * One PostgreSQL connection, owned by one thread. It reconnects by itself
 * on the next call after the server went away, so a restarted database is
 * picked up without restarting the application. Every query is
 * parameterized; statements used on hot paths are prepared once per
 * connection.
 */
#ifndef RB_DB_H
#define RB_DB_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "lib/rb_err.h"

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
	/*
	 * A read-only replica's connection (issue 17 §2): fallback is the
	 * primary (borrowed) that takes over when the replica cannot answer
	 * (unreachable, connection lost, or a statement that writes: SQLSTATE
	 * 25006). Once that happened, diverted is set and every later call of
	 * the request goes to the primary, so one request never mixes the
	 * two after a failure; the caller clears it between requests.
	 */
	struct db		*fallback;
	int			 diverted;
	const char		*appname;	/* application_name; static */
	int			 quiet;		/* failed connects not logged */
};

void		db_init(struct db *, const char *conninfo);
/* A replica's connection (application_name "residency-replica") whose
 * failures are answered by primary instead (see fallback above). */
void		db_init_replica(struct db *, const char *conninfo,
		    struct db *primary);
void		db_close(struct db *);
/* Connects if needed; RB_EDB when the server cannot be reached. */
enum rb_err	db_ensure(struct db *);
/*
 * Runs sql with text parameters (NULL entries are SQL NULL). On success
 * *res holds the result (caller PQclear()s it; res may be NULL to discard).
 * Errors: RB_EDB (connection or server failure), RB_ECONFLICT (unique or
 * exclusion violation), RB_ERETRY (serialization failure or deadlock: the
 * whole transaction may be run again), RB_EINVAL (check, not-null or
 * foreign key violation, bad input syntax), RB_EINTERNAL otherwise.
 */
enum rb_err	db_exec(struct db *, PGresult **res, const char *sql,
		    int nparams, const char *const *params);
/* db_exec with lengths and formats (1 = binary, for bytea). */
enum rb_err	db_exec_bin(struct db *, PGresult **res, const char *sql,
		    int nparams, const char *const *params, const int *lengths,
		    const int *formats);
enum rb_err	db_exec_stmt(struct db *, PGresult **res,
		    const struct db_stmt *, const char *const *params);
/*
 * COPY ... FROM STDIN (sql) of data, len bytes in COPY's text format: one
 * statement, atomic by itself, tried once more on a new connection when the
 * server had ended the old one (outside a transaction). Errors as db_exec.
 */
enum rb_err	db_copy_rows(struct db *, const char *sql, const char *data,
		    size_t len);
enum rb_err	db_begin(struct db *);
enum rb_err	db_commit(struct db *);
/* Safe to call in any state; never fails the caller. */
void		db_rollback(struct db *);

/*
 * Typed parameters, built in place on the caller's stack: integers are
 * formatted into the struct itself, strings and bytes are borrowed (they
 * must outlive the db_exec_p call).
 */
#define DB_MAX_PARAMS 32

struct db_params {
	const char	*v[DB_MAX_PARAMS];
	int		 len[DB_MAX_PARAMS];
	int		 fmt[DB_MAX_PARAMS];
	char		 num[DB_MAX_PARAMS][24];
	int		 n;
	int		 binary;	/* a bytea among them */
	int		 overflow;	/* more than DB_MAX_PARAMS: RB_EINTERNAL */
};

void		db_params_init(struct db_params *);
void		db_param_str(struct db_params *, const char *);	/* NULL: SQL NULL */
void		db_param_int(struct db_params *, int64_t);
void		db_param_bin(struct db_params *, const void *, size_t);
enum rb_err	db_exec_p(struct db *, PGresult **res, const char *sql,
		    const struct db_params *);

/*
 * Typed columns. db_get_int fails (RB_EINTERNAL, logged) on NULL or
 * anything but a decimal integer, so a schema change is caught, never read
 * as 0. db_get_str is NULL for SQL NULL; db_get_bool is 1 only for 't'.
 */
enum rb_err	db_get_int(const PGresult *, int row, int col, int64_t *out);
const char	*db_get_str(const PGresult *, int row, int col);
int		db_get_bool(const PGresult *, int row, int col);

#endif
