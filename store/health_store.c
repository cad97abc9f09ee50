#include "store/health_store.h"

enum rb_err
health_db_ping(struct db *db)
{
	return db_exec(db, NULL, "SELECT 1", 0, NULL);
}
