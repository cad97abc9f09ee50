/*
 * Where a company's statements and renewed cards go: the statement email,
 * the mobile and the delivery address of its renewal settings (issue 11
 * §2). A change of them is a signatory's (domain/subscription_rules.c),
 * and every change is told to the company's signatories and to the
 * previous address, in the change's own transaction (the outbox).
 */
#ifndef RB_RENEWAL_CONTACT_H
#define RB_RENEWAL_CONTACT_H

#include <jansson.h>

#include "domain/ids.h"
#include "lib/db.h"
#include "store/audit.h"
#include "store/subscription_store.h"

/* 1 when s sets the email, the mobile or the delivery address to a value
 * other than the one in old (the settings as subscription_view shows
 * them; NULL when the company never subscribed: any such field is new). */
int		renewal_contact_changes(json_t *old, const struct subscription_settings *s);

/*
 * Queues, for each of the three that s changes from old (borrowed, as
 * above, not NULL): an SMS to every acting signatory of the company, an
 * email to the statement email in force before the change, and for the
 * mobile an SMS to the previous mobile. They say what changed, from what
 * to what, and who changed it (a->actor, by name when a person).
 */
enum rb_err	renewal_contact_notify(struct db *, const struct audit_ctx *a,
		    const struct est_id *, json_t *old, const struct subscription_settings *s);

#endif
