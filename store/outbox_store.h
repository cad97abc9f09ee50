/*
 * The reviewers' view of the outbox (SPEC §5): listing messages and putting
 * a parked one back in the queue. Queueing is notify/outbox.h; this needs
 * the audit trail, so it sits in store/.
 */
#ifndef RB_OUTBOX_STORE_H
#define RB_OUTBOX_STORE_H

#include <stdint.h>

#include <jansson.h>

#include "lib/db.h"
#include "store/audit.h"

/* Which messages to list; all borrowed, checked at the edge. */
struct outbox_filter {
	const char	*status;	/* pending, sent, failed or undeliverable */
	const char	*channel;	/* email, sms, or NULL for both */
	const char	*est_id;	/* NULL for every company */
};

/* One page, newest first, into *page (the caller owns it). */
enum rb_err	outbox_page(struct db *, const struct outbox_filter *, int64_t limit,
		    int64_t offset, json_t **page);
/*
 * How many messages of the filter each company has, most first (at most
 * 100 companies; est_id null for messages about no company), into *counts
 * (an array the caller owns): the undeliverable ones per company.
 */
enum rb_err	outbox_company_counts(struct db *, const struct outbox_filter *,
		    json_t **counts);
/*
 * Puts the failed (parked) or undeliverable message id back in the queue with a fresh set of
 * attempts, due at a->now, and audits it (outbox.retry). *message (the
 * caller owns it) is the message as it is now. RB_ENOTFOUND: no such
 * message; RB_ECONFLICT: it is neither parked nor undeliverable
 * (an undeliverable one is checked again when it is due).
 */
enum rb_err	outbox_retry(struct db *, const struct audit_ctx *, int64_t id,
		    json_t **message);

#endif
