#include "store/replica_store.h"

enum rb_err
replica_primary_lsn(struct db *primary, int64_t *lsn)
{
	PGresult *res = NULL;
	enum rb_err rc;

	if ((rc = db_exec(primary, &res, "SELECT (pg_current_wal_insert_lsn()"
	    " - '0/0'::pg_lsn)::bigint", 0, NULL)) != RB_OK)
		return rc;
	rc = db_get_int(res, 0, 0, lsn);
	PQclear(res);
	return rc;
}

enum rb_err
replica_replay_lsn(struct db *replica, int64_t *lsn, int64_t *replay_age_ms)
{
	PGresult *res = NULL;
	enum rb_err rc;

	*replay_age_ms = -1;
	if ((rc = db_exec(replica, &res, "SELECT (pg_last_wal_replay_lsn()"
	    " - '0/0'::pg_lsn)::bigint, (extract(epoch FROM clock_timestamp()"
	    " - pg_last_xact_replay_timestamp()) * 1000)::bigint", 0, NULL)) != RB_OK)
		return rc;
	if (db_get_str(res, 0, 0) == NULL)
		rc = RB_ENOTFOUND;
	else if ((rc = db_get_int(res, 0, 0, lsn)) == RB_OK &&
	    db_get_str(res, 0, 1) != NULL)
		rc = db_get_int(res, 0, 1, replay_age_ms);
	PQclear(res);
	return rc;
}
