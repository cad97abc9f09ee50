/*
 * The database's share of /metrics: what is waiting in the outbox and how
 * far the latest cycle of each kind has got. Read at each scrape (two
 * queries on partial indexes), so the figures are the database's own,
 * whichever process produced them.
 */
#ifndef RB_METRICS_STORE_H
#define RB_METRICS_STORE_H

#include <stdint.h>

#include "lib/db.h"

#define METRICS_CHANNELS	2	/* email, sms */
#define METRICS_KINDS		2	/* alert, execution */

struct outbox_depth {
	const char	*channel;	/* static */
	int64_t		 pending;	/* waiting to be sent */
	int64_t		 retrying;	/* pending after at least one failed attempt */
	int64_t		 failed;	/* parked after the last attempt */
};

struct cycle_progress {
	const char	*kind;		/* static */
	int		 present;	/* a cycle of this kind exists */
	char		 cycle_date[11];
	int		 completed;
	int64_t		 companies;	/* claimed into the cycle */
	int64_t		 done;
};

struct ops_gauges {
	struct outbox_depth	outbox[METRICS_CHANNELS];
	struct cycle_progress	cycle[METRICS_KINDS];
};

enum rb_err	metrics_gauges_load(struct db *, struct ops_gauges *);

#endif
