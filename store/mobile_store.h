/*
 * A person's mobile number through a trusted channel (issue 16 §2): a
 * reviewer at a service centre or a kiosk of the `services` group
 * registers a new number; it is used only once the person confirms the
 * one-time code sent to it (domain/mobile_code.h). Each step is audited in
 * its own transaction, with its messages queued in it (notify/outbox.h).
 */
#ifndef RB_MOBILE_STORE_H
#define RB_MOBILE_STORE_H

#include <stdint.h>

#include <jansson.h>

#include "domain/ids.h"
#include "domain/mobile_code.h"
#include "lib/db.h"
#include "store/audit.h"

enum mobile_channel { MOBILE_SERVICE_CENTRE, MOBILE_KIOSK };

/*
 * Registers mobile (E.164, checked) as qid's new number, unverified and
 * pending: supersedes a pending one, stores a new code's hash, queues the
 * code by SMS to mobile and, when the person has a verified number other
 * than mobile, a notice to it. *out (the caller owns it) describes the
 * pending change. RB_ENOTFOUND: no such person; RB_ECONFLICT: mobile is
 * already the person's verified number. Its own transaction.
 */
enum rb_err	mobile_change_request(struct db *, const struct audit_ctx *,
		    const struct qid *, const char *mobile, enum mobile_channel,
		    json_t **out);
/*
 * The person's answer code to the pending change: *outcome says what it
 * did (the number verified and in use when MC_CONFIRMED), *tries_left how
 * many wrong answers remain. A wrong answer is counted and committed like
 * a right one. RB_ENOTFOUND: no pending change. Its own transaction.
 */
enum rb_err	mobile_change_confirm(struct db *, const struct audit_ctx *,
		    const struct qid *, const char *code,
		    enum mobile_code_outcome *outcome, int *tries_left, json_t **out);

#endif
