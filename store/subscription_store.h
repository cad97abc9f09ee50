/*
 * The queries behind subscription_rules.c: the facts about a company's
 * subscriptions and its debit mandate, the writes of a subscription, a
 * settings change and a review, and the reviewers' list. Functions that
 * write run inside the caller's transaction and audit what they change
 * after changing it.
 */
#ifndef RB_SUBSCRIPTION_STORE_H
#define RB_SUBSCRIPTION_STORE_H

#include <stdint.h>

#include <jansson.h>

#include "domain/ids.h"
#include "domain/reference.h"
#include "domain/subscription_rules.h"
#include "lib/db.h"
#include "store/audit.h"

/*
 * The order of a company's subscriptions that puts its current one first:
 * the active one, else the latest. Append it to a query of
 * renewal_subscriptions (unaliased columns) with LIMIT 1.
 */
#define SUBSCRIPTION_CURRENT_ORDER " ORDER BY (status = 'active') DESC, id DESC"

struct subscription {
	char			 reference[REFERENCE_LEN + 1];
	enum subscription_status status;
	struct iban		 iban;
	struct qid		 authorizing;
};

/* The company's current subscription; RB_ENOTFOUND when it never subscribed. */
enum rb_err	subscription_store_current(struct db *, const struct est_id *,
		    struct subscription *);
/* The facts of subscription_rules.h; *cur (may be NULL) the current one,
 * when f->has_current. */
enum rb_err	subscription_facts_load(struct db *, const struct est_id *,
		    struct subscription_facts *f, struct subscription *cur);
enum rb_err	subscription_mandate_load(struct db *, const struct est_id *,
		    const struct iban *, const struct qid *authorizing,
		    struct subscription_mandate_facts *);
/* Serializes the mandate changes of one company until the transaction ends. */
enum rb_err	subscription_lock_company(struct db *, const struct est_id *);

/*
 * The renewal settings as the API shows them, with the pending and the
 * last rejected debit-account change; *view is NULL when the company never
 * subscribed (the caller owns it otherwise).
 */
enum rb_err	subscription_view(struct db *, const struct est_id *, json_t **view);

/* A company's renewal switches; a field is set when its has_ flag is. */
struct subscription_settings {
	int		has_enabled, has_cap, has_duration, has_email, has_mobile,
			has_lang, has_address;
	int		enabled;
	int64_t		cap_dirhams;
	int		duration_years;
	char		email[255];
	char		mobile[17];
	struct lang	lang;
	char		address[2001];	/* 500 characters of up to 4 bytes */
};

/* Inserts a pending subscription with a fresh reference (a debit-account
 * change is one too). */
enum rb_err	subscription_insert_pending(struct db *, const struct audit_ctx *,
		    const struct est_id *, const struct iban *, const struct qid *authorizing,
		    char reference[REFERENCE_LEN + 1]);
/*
 * A new subscription: the pending row, the settings (every field but
 * enabled, which defaults to on, must be set: a company subscribing again
 * after a rejection starts from what it sends now), and the audit record
 * "renewal.subscribe" of detail (borrowed) with the reference added.
 */
enum rb_err	subscription_subscribe(struct db *, const struct audit_ctx *,
		    const struct est_id *, const struct iban *, const struct qid *authorizing,
		    const struct subscription_settings *, json_t *detail,
		    char reference[REFERENCE_LEN + 1]);
/* Writes the set fields and audits "renewal.settings" with changes
 * (borrowed); nothing at all when changes is empty. */
enum rb_err	subscription_settings_change(struct db *, const struct audit_ctx *,
		    const struct est_id *, const struct subscription_settings *,
		    json_t *changes);

/* Locks the subscription for its review. *est is its company. reviewer
 * may be NULL: a reviewer without a QID signs for nobody. */
enum rb_err	subscription_review_load(struct db *, const char *reference,
		    const struct qid *reviewer, struct subscription_review_facts *,
		    struct est_id *est);
/* Writes the outcome and audits "renewal.approve" or "renewal.reject". */
enum rb_err	subscription_review_write(struct db *, const struct audit_ctx *,
		    const char *reference, const struct est_id *,
		    const struct subscription_review_outcome *, const char *note);

/* The reviewers' list in one status, oldest submission first; q (NULL for
 * all) is an establishment number or part of a company's name. *page as
 * page_query's. */
enum rb_err	subscription_store_list(struct db *, enum subscription_status,
		    const char *q, int64_t limit, int64_t offset, json_t **page);

#endif
