/*
 * Shared credentials caught (issue 16 §5): sign-ins recorded, review
 * signals raised from them (once per pattern, subject and period), the
 * reviewers' list and review. Each function runs inside the caller's
 * transaction; a raised signal tells the person concerned by SMS in the
 * same transaction.
 */
#ifndef RB_SIGNAL_STORE_H
#define RB_SIGNAL_STORE_H

#include <stdint.h>

#include <jansson.h>

#include "domain/signal_rules.h"
#include "lib/db.h"
#include "store/audit.h"

/* Records a successful sign-in of username from addr with user agent ua
 * (already cleaned) at now, and raises what it completes; *raised counts
 * the signals raised. */
enum rb_err	signal_signin(struct db *, int64_t now, const char *username,
		    const char *addr, const char *ua, const struct signal_limits *,
		    int *raised);
/* A signatory-only act (act names it: "grant.create", ...) by signatory
 * for est from addr: raised when a representative of est (a person
 * offered or holding a grant there) signed in from addr that Qatar day. */
enum rb_err	signal_signatory_act(struct db *, int64_t now, const char *signatory,
		    const char *est, const char *addr, const char *act, int *raised);
enum signal_state { SIGNALS_OPEN, SIGNALS_REVIEWED, SIGNALS_ALL };
/* One page, newest first, into *page (the caller owns it). */
enum rb_err	signal_list_page(struct db *, enum signal_state, int64_t limit,
		    int64_t offset, json_t **page);
/* A reviewer's note on signal id, audited. RB_ENOTFOUND, or RB_ECONFLICT
 * when it was reviewed already. */
enum rb_err	signal_review(struct db *, const struct audit_ctx *, int64_t id,
		    const char *note);

#endif
