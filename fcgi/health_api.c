/* GET /health: the database and the directory, each up or down; which host
 * answered (a cluster has several behind nginx); the replica's state and
 * lag when one is configured (it never makes the service degraded: without
 * it the primary answers every read). */
#include <stdio.h>
#include <unistd.h>

#include "fcgi/decision_log.h"
#include "fcgi/directory.h"
#include "fcgi/handlers.h"
#include "fcgi/replica.h"
#include "store/health_store.h"

void
h_health(struct req *r)
{
	int db_up, dir_up;
	char host[256] = "";
	json_t *body, *replica;

	if (*r->w->cfg->host_name != '\0')
		snprintf(host, sizeof(host), "%s", r->w->cfg->host_name);
	else if (gethostname(host, sizeof(host) - 1) != 0)
		host[0] = '\0';
	db_up = health_db_ping(&r->w->db) == RB_OK;
	dir_up = dir_ping(r->w->cfg) == RB_OK;
	body = json_pack("{s:s, s:s, s:s, s:s, s:o}",
	    "status", db_up && dir_up ? "ok" : "degraded",
	    "host", host,
	    "database", db_up ? "up" : "down",
	    "directory", dir_up ? "up" : "down",
	    "decision_log", decision_log_health());
	if ((replica = replica_health(r->w)) != NULL)
		json_object_set_new(body, "replica", replica);
	resp_json(r, db_up && dir_up ? 200 : 503, body);
}
