/*
 * A resident's own page (issue 16 §4): their permit, their sponsor, what
 * the next execution will do for them and why (the plan's own engine:
 * store/renewal_plan.h, domain/residency_view.h), the last execution's
 * result for them and the grants they hold. Only the person's own rows.
 */
#ifndef RB_RESIDENCY_STORE_H
#define RB_RESIDENCY_STORE_H

#include <jansson.h>

#include "domain/ids.h"
#include "lib/date.h"
#include "lib/db.h"
#include "notify/catalog.h"

/*
 * The page of qid as of today into *out (the caller owns it), its
 * sentences from cat in the person's language. RB_ENOTFOUND: qid is not a
 * registered person.
 */
enum rb_err	residency_load(struct db *, const struct catalog *, const struct qid *,
		    struct rb_date today, json_t **out);

#endif
