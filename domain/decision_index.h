/*
 * The decision index (issue 13 §1): what an authorization decision needs,
 * in memory, so that a check costs no database round trip. Pure: hash
 * tables and dense arrays, no SQL, no locks, no clock. The facts are put
 * in by store/change_feed.c (a snapshot, then the changes after it), the
 * caller (fcgi/authz_follower.c) holds the lock that makes readers and the
 * one writer safe, and domain/authorize_rule.c decides over the facts,
 * exactly as it does over the database's (authz_lookup_load).
 *
 * Keys are packed into integers (an 11-digit QID fits in 64 bits, an
 * 8-digit establishment number in 32, a service code is its index in the
 * catalogue), so that three million persons and a million grants fit in
 * about 130 MiB. A grant triple (company, person, service) once seen stays:
 * revoked, it keeps the id of its last revocation, which is what the rule
 * "grant_revoked" names.
 */
#ifndef RB_DECISION_INDEX_H
#define RB_DECISION_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "domain/authorize_rule.h"
#include "domain/ids.h"

/* No start or end date (valid_from / valid_until NULL). */
#define DX_NO_FROM	INT32_MIN
#define DX_NO_UNTIL	INT32_MAX
/* answer_by of an accepted grant (issue 16 §1). */
#define DX_ACCEPTED	0

struct decision_index;

/* The facts of one grant triple: its unrevoked grant (live_id 0: none) and
 * the latest revoked one (revoked_id 0: none). */
struct dx_grant_facts {
	int64_t	live_id;
	int32_t	from;		/* first day it authorizes, or DX_NO_FROM */
	int32_t	until;		/* last day it authorizes, or DX_NO_UNTIL */
	int64_t	revoked_id;
	/* Pending: the last day to accept it (1 .. 65535 days since
	 * 1970-01-01); DX_ACCEPTED once accepted. */
	int32_t	answer_by;
};

/* A signed-in caller's session, keyed by the SHA-256 of its cookie token
 * (lowercase hex, as the cookie's reader makes it). */
struct dx_session {
	char	token_hex[65];
	int64_t	id;
	char	username[65];
	int	reviewer;
	int	service;
	int64_t	created;	/* epoch seconds */
	int64_t	seen;		/* last_seen_at, epoch seconds */
	char	csrf_hex[65];
};

/* Capacity hints (0: small): the snapshot knows its counts. */
struct decision_index	*dx_new(size_t persons, size_t grants);
void			 dx_free(struct decision_index *);
/* Bytes allocated by the index's tables. */
size_t			 dx_bytes(const struct decision_index *);
/* Persons and grant triples held. */
void			 dx_counts(const struct decision_index *, size_t *persons,
			    size_t *grants);

/* Writes. RB_EINVAL for a key that is not canonical (never stored). */
enum rb_err	dx_person_set(struct decision_index *, const char *qid,
		    enum person_status);
enum rb_err	dx_person_remove(struct decision_index *, const char *qid);
enum rb_err	dx_company_set(struct decision_index *, const char *est_id, int exists);
/* What blocks every check for the company (enum company_block). */
enum rb_err	dx_company_block_set(struct decision_index *, const char *est_id,
		    int block);
enum rb_err	dx_service_set(struct decision_index *, const char *code, int exists);
enum rb_err	dx_signatory_set(struct decision_index *, const char *qid,
		    const char *est_id, int acting);
enum rb_err	dx_grant_set(struct decision_index *, const char *est_id,
		    const char *qid, const char *service, const struct dx_grant_facts *);
/* Replaces the session with the same token hash, if any. */
void		dx_session_set(struct decision_index *, const struct dx_session *);
void		dx_session_remove_id(struct decision_index *, int64_t id);
/* Records a session as used at seen (the caller touched its row). */
void		dx_session_seen(struct decision_index *, int64_t id, int64_t seen);
/* 1 and *out when the index holds a live session of that token hash. */
int		dx_session_find(const struct decision_index *, const char *token_hex,
		    struct dx_session *out);

/* What one check needs, as authz_lookup_load reads it from the database. */
struct dx_check {
	int			person_exists;
	int			company_exists;
	int			service_exists;
	struct authz_facts	facts;		/* all but today */
	int32_t			live_from;	/* DX_NO_FROM, or facts.live_from's days */
};

int	dx_person_exists(const struct decision_index *, const struct qid *);
int	dx_company_exists(const struct decision_index *, const struct est_id *);
/* COMPANY_OPEN for a company never blocked or never seen. */
int	dx_company_block(const struct decision_index *, const struct est_id *);
int	dx_service_exists(const struct decision_index *, const struct svc_code *);
void	dx_check_load(const struct decision_index *, const struct qid *,
	    const struct est_id *, const struct svc_code *, struct dx_check *);

/* One answer of a lookup: who may act, for what, by which rule. */
struct dx_authority {
	struct qid	qid;
	struct est_id	est;
	char		service[41];	/* "" for a signatory: every service */
	enum authz_rule	rule;		/* AUTHZ_SIGNATORY or AUTHZ_GRANT */
	int64_t		grant_id;	/* 0 for a signatory */
	int32_t		until;		/* DX_NO_UNTIL when open-ended */
};

/*
 * The companies and services qid may act for on day today, sorted by
 * company then service; *out is malloc'd (the caller frees it). A company
 * the person signs for is listed once, as signatory, and not again for
 * their grants there (the check answers "signatory" for every service).
 */
enum rb_err	dx_person_authority(const struct decision_index *, const struct qid *,
		    int32_t today, struct dx_authority **out, size_t *n);
/* Who may do service for est on day today, sorted by QID (the caller
 * has asked dx_company_exists and dx_service_exists first). */
enum rb_err	dx_company_authorized(const struct decision_index *, const struct est_id *,
		    const struct svc_code *, int32_t today, struct dx_authority **out,
		    size_t *n);

#endif
