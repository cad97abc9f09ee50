/* The ministry's e-service catalogue (SPEC §3). */
#ifndef RB_SERVICE_STORE_H
#define RB_SERVICE_STORE_H

#include <jansson.h>

#include "lib/db.h"

/* The grantable services {code, name_ar, name_en} by code, as one page
 * holding them all, into *page (the caller owns it). */
enum rb_err	service_list(struct db *, json_t **page);

#endif
