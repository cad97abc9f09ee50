/* The route table (routes.c) and the dispatcher (router.c). */
#ifndef RB_ROUTER_H
#define RB_ROUTER_H

#include "fcgi/http.h"

typedef void (*handler_fn)(struct req *);

enum route_access {
	ROUTE_PUBLIC,		/* no session needed */
	ROUTE_SIGNED_IN,	/* a live session; unsafe methods also need the CSRF token */
	ROUTE_REVIEWER,		/* the same, and a ministry reviewer: 403 otherwise */
	/* GET only: the handler checks the session in its own statement
	 * (session_accept) to save a round trip on a hot path. */
	ROUTE_SIGNED_IN_BY_HANDLER,
};

enum route_body {
	BODY_JSON,		/* up to RB_BODY_MAX */
	BODY_UPLOAD,		/* up to RB_UPLOAD_MAX: bulk CSV */
	BODY_ENROLLMENT,	/* up to RB_ENROLLMENT_MAX: three documents */
};

/* Where a route's handler reads (issue 17 §2). */
enum route_db {
	ROUTE_DB_PRIMARY,	/* the default: reads and writes on the primary */
	/* A GET that tolerates the replica: r->db may be the replica, as
	 * fresh as the caller's last write (its RB-Consistency token). */
	ROUTE_DB_REPLICA,
	/* A POST that writes nothing of the caller's: no token returned. */
	ROUTE_DB_NO_WRITE,
};

struct route {
	const char		*method;
	/* literal segments and {est_id}, {qid}, {id}, {reference} */
	const char		*pattern;
	handler_fn		 fn;
	enum route_access	 access;
	enum route_body		 body;
	enum route_db		 db;	/* left out: ROUTE_DB_PRIMARY */
};

extern const struct route	routes[];
extern const size_t		nroutes;

void	router_dispatch(struct req *);

/* The pure path parsing of router_dispatch, public for the fuzz driver
 * (tests/fuzz/router.c). */
#define ROUTER_MAX_SEGMENTS 12
/* Splits path (modified in place) into segments; -1 when too many. */
int	router_split(char *path, char **seg);
/* 1 when the pattern matches; captures point into the path's segments. */
int	router_match(const char *pattern, char **seg, int nseg, const char **est,
	    const char **qid, const char **id, const char **ref);
/* Prints "METHOD PATTERN" per line: the OpenAPI test compares it. */
void	router_print(void);

#endif
