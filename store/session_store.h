/*
 * The rows behind sessions and the sign-in throttle (SPEC §6): sessions
 * are stored by the SHA-256 of their cookie token and CSRF token, never
 * the tokens. What a stored session is still worth, and when sign-ins are
 * throttled, is decided in domain/session_rules.c.
 */
#ifndef RB_SESSION_STORE_H
#define RB_SESSION_STORE_H

#include <stdint.h>

#include "domain/session_rules.h"
#include "lib/db.h"
#include "store/audit.h"

/* One stored session, as read. */
struct session_row {
	int		found;		/* 0: no live session has this token */
	int64_t		id;
	char		username[65];
	struct session_groups groups;
	int64_t		created;	/* epoch seconds */
	int64_t		seen;		/* last_seen_at, epoch seconds */
	char		csrf_hex[65];	/* hex SHA-256 of the CSRF token */
};

/*
 * For a store query on the hot path that folds the session lookup into its
 * own statement: select SESSION_COLUMNS from sessions s joined on
 * s.token_hash = decode(<token hex>, 'hex') AND s.ended_at IS NULL, then
 * read the row with session_row_read() at the column the six start at.
 */
#define SESSION_COLUMNS "s.id, s.username, array_to_string(s.groups, ','),"	\
	" extract(epoch FROM s.created_at)::bigint,"			\
	" extract(epoch FROM s.last_seen_at)::bigint, encode(s.csrf_hash, 'hex')"
#define SESSION_NCOLUMNS 6

/* Row 0 from column col; a NULL id (or no row) is found = 0. */
enum rb_err	session_row_read(const PGresult *, int col, struct session_row *);
/* The live (not ended) session whose token hashes to token_hex. */
enum rb_err	session_store_lookup(struct db *, const char *token_hex,
		    struct session_row *);
enum rb_err	session_store_insert(struct db *, const char *token_hex,
		    const char *csrf_hex, const char *username,
		    const struct session_groups *, const char *client_addr,
		    int64_t now);
/* Records the session as used at now. */
enum rb_err	session_store_touch(struct db *, int64_t id, int64_t now);
/* Ends it at now; a session already ended stays as it was. */
enum rb_err	session_store_end(struct db *, int64_t id, int64_t now);

/* What the throttle counts of username at client_addr: the failures after
 * since and up to now (domain/session_rules.h signin_wait). */
enum rb_err	signin_seen_load(struct db *, const char *username,
		    const char *client_addr, int64_t since, int64_t now,
		    struct signin_seen *);
/*
 * Records one sign-in attempt. A failure or a throttled attempt is one row
 * of signin_failures, outside the audit chain; a success clears that
 * user's failures from that address and is audited (a names the actor and
 * address), with the summary of the failures if one is due, in one
 * transaction.
 */
enum rb_err	signin_record(struct db *, const struct audit_ctx *a,
		    const char *username, enum signin_outcome);
/*
 * Inside the caller's transaction, before its own audit record: when
 * signin_summary_due(), one "signin.failures" audit record summarizing
 * the failures no record covers yet (their count by outcome, id range,
 * first and last instants and the SHA-256 of the rows), which it marks.
 * Concurrent callers summarize disjoint rows. Anything that writes the
 * audit trail at a steady pace (the scheduler) may call it too.
 */
enum rb_err	signin_failures_summarize(struct db *, int64_t now);

#endif
