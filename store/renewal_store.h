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
	int64_t		 balance_dirhams; /* the mandate account's; 0 when none */
	int		 mandate_valid;	/* its signatory signs, its account is the company's */
	int64_t		 establishment_fines_dirhams; /* its own unpaid fines (penalties) */
	int		 found;		/* the company has subscribed */
};

struct renewal_candidates {
	struct renewal_candidate	*items;	/* owned */
	size_t				 n;
	PGresult			*res;	/* owned: the names point into it */
};

/* RB_ENOTFOUND when no rules row is in force on date. */
enum rb_err	renewal_rules_load(struct db *, struct rb_date date, struct renewal_rules *);
/*
 * The settings of n companies in one query: out[i] for est_ids[i], with
 * found 0 when that company has never subscribed. Each out[i] is to be
 * freed whatever the result.
 */
enum rb_err	renewal_companies_load(struct db *, const char *const *est_ids, size_t n,
		    struct renewal_company *out);
void		renewal_company_free(struct renewal_company *);
/*
 * The sponsored residents of n companies whose permit is a candidate on
 * date (renewal_is_candidate decides each one), in one query: out[i] for
 * est_ids[i]. The names point into *res, which the caller owns (PQclear)
 * and keeps while the candidates are used; out[i].res is left NULL.
 */
/*
 * The cycle's window snapshot (issue 14 §1, expiry window first): every
 * (company, resident) whose permit may be a candidate on date, read once
 * when a scheduler instance starts on a cycle, sorted by company. A batch
 * then reads only the rows of the residents it names, each still checked
 * against its employment and facts at that moment; a resident whose permit
 * moved into the window after the snapshot waits for the next run.
 */
struct renewal_window {
	PGresult	*res;	/* owned: (est_id, qid) rows */
};
enum rb_err	renewal_window_load(struct db *, struct rb_date date,
		    const struct renewal_rules *, struct renewal_window *);
void		renewal_window_free(struct renewal_window *);
/* w: the cycle's snapshot to narrow the query to, or NULL (the preview). */
enum rb_err	renewal_candidates_load(struct db *, const char *const *est_ids, size_t n,
		    struct rb_date date, const struct renewal_rules *,
		    const struct renewal_window *w, struct renewal_candidates *out,
		    PGresult **res);
void		renewal_candidates_free(struct renewal_candidates *);

#endif
