#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/xalloc.h"
#include "store/partition_store.h"

enum rb_err
partition_ensure_ahead(struct db *db, struct rb_date today, int ahead, int *created)
{
	struct db_params p;
	PGresult *res = NULL;
	struct rb_date first;
	char d[11];
	enum rb_err rc;
	int y, m, dd, i;

	*created = 0;
	date_to_ymd(today, &y, &m, &dd);
	if ((rc = date_from_ymd(y, m, 1, &first)) != RB_OK)
		return rc;
	for (i = 0; i <= ahead; i++) {
		date_format(date_add_months(first, i), d);
		db_params_init(&p);
		db_param_str(&p, d);
		/* One statement per month: each creation commits by itself, so
		 * a failure leaves the months before it in place. */
		if ((rc = db_exec_p(db, &res, "SELECT count(*) FILTER (WHERE"
		    " partition_ensure(table_name, $1::date)) FROM partitioned_tables",
		    &p)) != RB_OK)
			return rc;
		*created += atoi(PQgetvalue(res, 0, 0));
		PQclear(res);
		res = NULL;
	}
	return RB_OK;
}

/* Rows of (table, name, month[, rows]) into refs. */
static enum rb_err
refs_read(PGresult *res, struct partition_ref **out, size_t *n)
{
	struct partition_ref *r;
	enum rb_err rc = RB_OK;
	int i, rows = PQntuples(res);

	*out = NULL;
	*n = 0;
	if (rows == 0)
		return RB_OK;
	r = xcalloc((size_t)rows, sizeof(*r));
	for (i = 0; i < rows && rc == RB_OK; i++) {
		snprintf(r[i].table, sizeof(r[i].table), "%s", PQgetvalue(res, i, 0));
		snprintf(r[i].name, sizeof(r[i].name), "%s", PQgetvalue(res, i, 1));
		rc = date_parse(PQgetvalue(res, i, 2), &r[i].month);
		if (rc == RB_OK && PQnfields(res) > 3)
			rc = db_get_int(res, i, 3, &r[i].rows);
	}
	if (rc != RB_OK) {
		free(r);
		return RB_EINTERNAL;
	}
	*out = r;
	*n = (size_t)rows;
	return RB_OK;
}

enum rb_err
partition_list_before(struct db *db, struct rb_date before, struct partition_ref **out,
    size_t *n)
{
	struct db_params p;
	PGresult *res = NULL;
	char d[11];
	enum rb_err rc;

	*out = NULL;
	*n = 0;
	date_format(before, d);
	db_params_init(&p);
	db_param_str(&p, d);
	/* The monthly ones by their names (the default has none). */
	if ((rc = db_exec_p(db, &res, "SELECT t.table_name, c.relname,"
	    " to_date(right(c.relname, 6), 'YYYYMM')::text"
	    " FROM partitioned_tables t"
	    " JOIN pg_inherits i ON i.inhparent = t.table_name::regclass"
	    " JOIN pg_class c ON c.oid = i.inhrelid"
	    " WHERE c.relname = t.table_name || '_p' || right(c.relname, 6)"
	    " AND right(c.relname, 6) ~ '^[0-9]{6}$'"
	    " AND to_date(right(c.relname, 6), 'YYYYMM') < $1::date"
	    " ORDER BY 3, 1", &p)) != RB_OK)
		return rc;
	rc = refs_read(res, out, n);
	PQclear(res);
	return rc;
}

enum rb_err
partition_list_detached(struct db *db, struct partition_ref **out, size_t *n)
{
	PGresult *res = NULL;
	enum rb_err rc;

	if ((rc = db_exec(db, &res, "SELECT table_name, partition, month::text, rows"
	    " FROM partition_archive WHERE status = 'detached' ORDER BY month, table_name",
	    0, NULL)) != RB_OK)
		return rc;
	rc = refs_read(res, out, n);
	PQclear(res);
	return rc;
}

enum rb_err
partition_detach(struct db *db, struct partition_ref *pr)
{
	struct db_params p;
	PGresult *res = NULL;
	char d[11];
	enum rb_err rc;

	date_format(pr->month, d);
	db_params_init(&p);
	db_param_str(&p, pr->table);
	db_param_str(&p, d);
	rc = db_exec_p(db, &res, "SELECT partition_detach($1, $2::date)", &p);
	if (rc == RB_EINTERNAL && strcmp(db->sqlstate, "55006") == 0) {
		/* object_in_use: refused for a reason the message names. */
		log_warn("%s: kept: %.*s", pr->name, (int)strcspn(db->errmsg, "\n"),
		    db->errmsg);
		return RB_ECONFLICT;
	}
	if (rc == RB_OK)
		rc = db_get_int(res, 0, 0, &pr->rows);
	PQclear(res);
	return rc;
}

enum rb_err
partition_drop_archived(struct db *db, const struct partition_ref *pr, const char *file,
    const char *sha256_hex, int64_t dump_rows, int64_t now)
{
	struct db_params p;

	db_params_init(&p);
	db_param_str(&p, pr->name);
	db_param_str(&p, file);
	db_param_str(&p, sha256_hex);
	db_param_int(&p, dump_rows);
	db_param_int(&p, now);
	return db_exec_p(db, NULL, "SELECT partition_drop_archived($1, $2, $3, $4::bigint,"
	    " to_timestamp($5::bigint))", &p);
}
