/*
 * The reviewers' dashboard (GET /backoffice/dashboard): the queue and the
 * execution cycles' figures, read from the statements, lines and debit
 * lines the cycles wrote (never recomputed from the rules: the dashboard
 * shows what happened).
 */
#ifndef RB_DASHBOARD_STORE_H
#define RB_DASHBOARD_STORE_H

#include <jansson.h>

#include "lib/date.h"
#include "lib/db.h"

/* Which execution cycles: by date, or the last `last` of them. */
struct dashboard_range {
	int		 by_date;	/* 1: from..to (inclusive); 0: the last `last` */
	struct rb_date	 from, to;
	int		 last;
};

/*
 * {"queue": {"pending"}, "cycles": [...oldest first], "rejections_by_reason":
 * [...], "debits_by_bank": [...]} as docs/openapi.json describes; *out owned.
 */
enum rb_err	dashboard_load(struct db *, const struct dashboard_range *, json_t **out);

#endif
