/* Whether the database answers, for GET /health and the load balancer. */
#ifndef RB_HEALTH_STORE_H
#define RB_HEALTH_STORE_H

#include "lib/db.h"

/* RB_OK when a trivial query goes through (reconnecting first if needed). */
enum rb_err	health_db_ping(struct db *);

#endif
