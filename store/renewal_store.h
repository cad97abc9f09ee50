/*
 * The queries behind renewal_engine.c: the rules in force, a company's
 * renewal settings and its candidates on an execution date.
 */
#ifndef RB_RENEWAL_STORE_H
#define RB_RENEWAL_STORE_H

#include <libpq-fe.h>

#include "domain/renewal_engine.h"
#include "lib/db.h"

struct renewal_company {
	char		est_id[9];
	char		*name_ar, *name_en;	/* owned */
	int		subscribed;	/* an active (approved) subscription */
	enum subscription_status status; /* the current subscription's */
	int		enabled;
	int64_t		cap_dirhams;
	int		duration_years;
	char		language[3];
	char		iban[35];
	char		*delivery_address;	/* owned */
	char		*email;		/* owned: where statements go */
	char		 mobile[17];	/* the company's mobile, +974... */
};

struct renewal_candidates {
	struct renewal_candidate	*items;	/* owned */
	size_t				 n;
	PGresult			*res;	/* owned: the names point into it */
};

/* RB_ENOTFOUND when no rules row is in force on date. */
enum rb_err	renewal_rules_load(struct db *, struct rb_date date, struct renewal_rules *);
/* RB_ENOTFOUND when the company has never subscribed. */
enum rb_err	renewal_company_load(struct db *, const char *est_id, struct renewal_company *);
void		renewal_company_free(struct renewal_company *);
/* The company's sponsored residents whose permit is a candidate on date
 * (renewal_is_candidate decides each one). */
enum rb_err	renewal_candidates_load(struct db *, const char *est_id, struct rb_date date,
		    const struct renewal_rules *, struct renewal_candidates *);
void		renewal_candidates_free(struct renewal_candidates *);

#endif
