/*
 * One request and its response. Everything untrusted (path parameters,
 * query, body, cookie) is parsed here or in the router, once; handlers
 * receive typed values.
 */
#ifndef RB_HTTP_H
#define RB_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <fcgiapp.h>
#include <jansson.h>

#include "domain/ids.h"
#include "lib/config.h"
#include "lib/db.h"
#include "notify/catalog.h"
#include "store/page.h"

/* Per-thread state, owned by the worker thread for its whole life. */
struct worker {
	const struct config	*cfg;
	struct db		 db;
	/* The replica's connection (used only when RB_DB_REPLICA_CONNINFO
	 * is set), with db as its fallback; what the process knows of the
	 * replica is shared by its threads (fcgi/replica.c). */
	struct db		 replica;
	/* The message catalogues (po/<lang>.po), shared read-only by every
	 * thread: the texts a person reads in the API (issue 16 §4). */
	const struct catalog	*cat;
};

struct session {
	int64_t		id;
	char		username[65];
	int		reviewer;	/* directory group "reviewers" */
	int		service;	/* directory group "services" */
	int		has_qid;	/* the username is a QID of a registered person */
	struct qid	qid;
	uint8_t		csrf_hash[32];
};

/* Path parameters, validated by the router before the handler runs. */
struct route_params {
	struct est_id	est;
	struct qid	qid;
	int64_t		id;
	char		reference[14];	/* RN-XXXX-XXXX or ENR-XXXX-XXXX */
};

struct req {
	FCGX_Request		*fcgx;
	struct worker		*w;
	const char		*method;
	char			*path;		/* owned: REQUEST_URI up to '?' */
	const char		*query;		/* QUERY_STRING */
	const char		*content_type;
	const char		*remote_addr;
	const char		*request_id;
	const char		*csrf_header;
	char			*body;		/* owned, NUL-terminated */
	size_t			 body_len;
	struct route_params	 params;
	struct session		 sess;
	int			 signed_in;
	char			*set_cookie;	/* owned: a Set-Cookie to send */
	char			 allow[64];	/* Allow header of a 405, or "" */
	int			 responded;
	/* For the metrics and the access log: the route matched (NULL: none)
	 * and the status sent. */
	const struct route	*route;
	int			 status;
	/*
	 * The connection the handler reads with: the worker's primary, or for
	 * a replica-tolerant route the replica (chosen once, by the router,
	 * fcgi/replica.c). Sessions, access checks and writes use w->db.
	 */
	struct db		*db;
	/* After a write: its RB-Consistency header and cookie lines, or "". */
	char			 consistency[192];
};

/* Reads the body, up to max bytes; responds 413/400 and returns RB_EINVAL. */
enum rb_err	req_read_body(struct req *, long max);
/* Writes a JSON response; takes ownership of body. */
void	resp_json(struct req *, int status, json_t *body);
/* {"error":{"code","message"[,"field","fields"]}}: with a field, "fields"
 * is the list of that one {"field","code","message"}. */
void	resp_error(struct req *, int status, const char *code, const char *msg);
void	resp_error_field(struct req *, int status, const char *code,
	    const char *field, const char *msg);

/*
 * Every bad field of a request body, gathered by its parser so that one
 * answer names them all (a form shows each at its field). Codes of an
 * entry: "required", "unknown_field", or "invalid_field" (present but
 * malformed).
 */
struct field_errors {
	json_t	*list;		/* owned: [{"field","code","message"}], by first fault */
};

void	field_errors_init(struct field_errors *);
/* Adds a field's fault; a field already listed keeps its first one. */
void	field_error_add(struct field_errors *, const char *field, const char *code,
	    const char *msg);
/*
 * RB_OK when no field was bad (nothing sent). Otherwise responds 400
 * invalid_field with error.field and error.message of the first and
 * error.fields of all, and returns RB_EINVAL (the helper convention: the
 * caller just returns). Frees the list either way.
 */
enum rb_err	resp_error_fields(struct req *, struct field_errors *);
/* The response for an rb_err from the database or directory layer. */
void	resp_rb_err(struct req *, enum rb_err);
/* Any other body (CSV downloads); the text is borrowed. */
void	resp_raw(struct req *, int status, const char *content_type,
	    const char *disposition, const char *body, size_t len);

/*
 * The body as a JSON object: 415 unless the content type is JSON, 400 if
 * malformed or not an object. Returns NULL after responding.
 */
json_t	*req_json_body(struct req *);
/* A query parameter, decoded, into buf; 0 when absent. -1 when too long. */
int	 req_query_param(const struct req *, const char *name, char *buf, size_t bufsz);
/* A ministry report's language: the query's lang (two lowercase letters;
 * "en" when absent; a language without a catalogue falls back to English
 * where the texts are read). RB_OK, or it has responded 400 and returns
 * RB_EINVAL. */
enum rb_err req_report_lang(struct req *, char lang[3]);
/* The language this request's answers are read in (issue 16 §3): the
 * signed-in person's (read from the database when use_db), else the first
 * of the six Accept-Language names, else English. */
void	 req_language(struct req *, int use_db, char out[3]);
/* limit/offset paging from the query; responds 400 and returns RB_EINVAL on bad values. */
enum rb_err	req_paging(struct req *, int64_t *limit, int64_t *offset);

#endif
