/*
 * Reads on a streaming replica (issue 17 §2): the one place that hands a
 * request its reading connection, the read-your-writes tokens, and the
 * replica's state for /health. With RB_DB_REPLICA_CONNINFO empty none of
 * this does anything: every request reads the primary, no token is sent.
 *
 * The token is the primary's WAL insert position after the write, in
 * bytes (decimal, like the authorization's revision tokens): sent as the
 * RB-Consistency response header and an rb_consistency cookie; a read
 * that brings it back (header first, else cookie) is answered by the
 * replica once the replica has replayed that far (waiting at most
 * RB_REPLICA_WAIT_MS), else by the primary.
 */
#ifndef RB_FCGI_REPLICA_H
#define RB_FCGI_REPLICA_H

#include "fcgi/http.h"

#define REPLICA_COOKIE		"rb_consistency"

void		replica_worker_init(struct worker *);
void		replica_worker_close(struct worker *);
/*
 * Sets r->db for r->route: the replica when the route tolerates it, the
 * replica is in reads and has reached the caller's token; the primary
 * otherwise. RB_EINVAL after answering 400 for a malformed RB-Consistency
 * header; RB_OK otherwise (never fails the request for the replica's sake).
 */
enum rb_err	replica_choose(struct req *);
/* After the handler: counts where the read went, ends the replica's part. */
void		replica_request_done(struct req *);
/* Called by the response writers before the headers: after a successful
 * write (an unsafe method on a route that writes), fills r->consistency. */
void		replica_write_token(struct req *, int status);
/* The replica's part of GET /health, looked at afresh; NULL: no replica. */
json_t		*replica_health(struct worker *);

#endif
