/* GET /health: the database and the directory, each up or down. */
#include "fcgi/decision_log.h"
#include "fcgi/directory.h"
#include "fcgi/handlers.h"
#include "store/health_store.h"

void
h_health(struct req *r)
{
	int db_up, dir_up;

	db_up = health_db_ping(&r->w->db) == RB_OK;
	dir_up = dir_ping(r->w->cfg) == RB_OK;
	resp_json(r, db_up && dir_up ? 200 : 503, json_pack("{s:s, s:s, s:s, s:o}",
	    "status", db_up && dir_up ? "ok" : "degraded",
	    "database", db_up ? "up" : "down",
	    "directory", dir_up ? "up" : "down",
	    "decision_log", decision_log_health()));
}
