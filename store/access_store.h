/*
 * Who the caller is to a company, and the facts of the authorization
 * check: who is an acting signatory, who holds a live grant, who the
 * signed-in person is (/me). The conditions themselves live once, in the
 * SQL functions live_grants() and acting_signatories() (sql/009), fed with
 * the statuses that keep authority from domain/person_status.c.
 */
#ifndef RB_ACCESS_STORE_H
#define RB_ACCESS_STORE_H

#include <jansson.h>

#include "domain/authorize_rule.h"
#include "domain/ids.h"
#include "lib/date.h"
#include "lib/db.h"
#include "store/session_store.h"

/*
 * The statuses that keep authority (person_status_revokes_grants() is 0),
 * as the text[] literal the SQL functions of sql/009 take: "{active}".
 */
#define AUTHORITY_STATUSES_LEN 128
void		authority_statuses(char out[AUTHORITY_STATUSES_LEN]);

struct company_access {
	int	exists;		/* the company is registered */
	int	signatory;	/* the caller is an acting signatory */
	int	holds_grants;	/* the caller holds or held grants for it */
	int	has_service;	/* the caller may do the asked service for it */
};

/* caller NULL: nobody (not a registered person). service may be NULL;
 * has_service then equals signatory. */
enum rb_err	access_company_load(struct db *, const struct est_id *,
		    const struct qid *caller, const char *service,
		    struct rb_date today, struct company_access *);

/*
 * What /me shows of a person, into *me (the caller owns it):
 * {"name_ar"?, "name_en"?, "signatory_of": [{est_id, name_ar, name_en}],
 *  "grants": [{id, est_id, company_name_en, company_name_ar, service,
 *  valid_until, valid_from}]} with the companies they sign for and their live grants.
 */
enum rb_err	access_me_load(struct db *, const struct qid *, struct rb_date today,
		    json_t **me);

/* The facts of one authorization check, and the caller's session. */
struct authz_lookup {
	struct session_row	session;	/* the caller's, from the token */
	int			service_exists;
	int			person_exists;
	int			company_exists;
	struct authz_facts	facts;		/* all but today */
	int64_t			revision;	/* of the change feed, at this read */
};

/* One round trip: the check is the hot path of the whole ministry. */
enum rb_err	authz_lookup_load(struct db *, const char *token_hex,
		    const struct qid *, const struct est_id *,
		    const struct svc_code *, struct authz_lookup *);
/* Reads row 0 of a query with authz_lookup_load's columns (the session's,
 * then status, signatory, live grant id and valid_until, latest revoked
 * id, company and service exist, valid_from): store/authorize_history.c
 * asks the same about an instant of the past. */
enum rb_err	authz_lookup_read(PGresult *, struct authz_lookup *);

#endif
