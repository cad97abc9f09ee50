#include <stdio.h>
#include <stdlib.h>

#include "domain/reader_name.h"
#include "lib/clock.h"
#include "lib/instant_json.h"
#include "lib/xalloc.h"
#include "store/exclusion_store.h"
#include "store/company_page.h"

static json_t *
exclusion_json(PGresult *res, int i)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}",
	    "qid", db_get_str(res, i, 0), "name_ar", db_get_str(res, i, 1),
	    "name_en", db_get_str(res, i, 2), "note", db_get_str(res, i, 3),
	    "added_by", db_get_str(res, i, 4), "added_at", instant_json(res, i, 5));
}

enum rb_err
exclusion_page(struct db *db, const struct est_id *est, int64_t limit, int64_t offset,
    json_t **page)
{
	return company_page(db,
	    "SELECT x.qid, p.name_ar, p.name_en, x.note, x.added_by, "
	    CLOCK_SQL_EPOCH("x.added_at") ", count(*) OVER ()"
	    " FROM renewal_exclusions x JOIN persons p ON p.qid = x.qid"
	    " WHERE x.est_id = $1 ORDER BY x.qid LIMIT $2 OFFSET $3",
	    "SELECT count(*) FROM renewal_exclusions WHERE est_id = $1",
	    exclusion_json, est, limit, offset, page);
}

/* The indexes into the rows document ($2) of QIDs not open employees. */
static enum rb_err
not_employees(struct db *db, const struct db_params *p, size_t **bad, size_t *nbad)
{
	PGresult *res = NULL;
	enum rb_err rc;
	int64_t k;
	int i;

	rc = db_exec_p(db, &res,
	    "SELECT u.ord - 1 FROM ROWS FROM (json_to_recordset($2::json)"
	    "  AS (qid text, note text)) WITH ORDINALITY AS u(qid, note, ord)"
	    " WHERE NOT EXISTS (SELECT 1 FROM employment e WHERE e.est_id = $1"
	    "  AND e.qid = u.qid AND e.ended_on IS NULL) ORDER BY u.ord", p);
	if (rc != RB_OK)
		goto out;
	*bad = xcalloc((size_t)PQntuples(res) + 1, sizeof(**bad));
	for (i = 0; i < PQntuples(res); i++) {
		if ((rc = db_get_int(res, i, 0, &k)) != RB_OK)
			goto out;
		(*bad)[(*nbad)++] = (size_t)k;
	}
out:
	PQclear(res);
	return rc;
}

enum rb_err
exclusion_not_employees(struct db *db, const struct est_id *est, json_t *rows,
    size_t **bad, size_t *nbad)
{
	struct db_params p;
	char *doc = json_dumps(rows, JSON_COMPACT);
	enum rb_err rc;

	*bad = NULL;
	*nbad = 0;
	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_str(&p, doc);
	rc = not_employees(db, &p, bad, nbad);
	free(doc);
	return rc;
}

static enum rb_err
audit_change(struct db *db, const struct audit_ctx *a, const struct est_id *est,
    const char *action, json_t *detail)
{
	char target[40];
	enum rb_err rc;

	snprintf(target, sizeof(target), "exclusions:%s", est->s);
	rc = audit_append(db, a, action, target, detail);
	json_decref(detail);
	return rc;
}

enum rb_err
exclusion_add(struct db *db, const struct audit_ctx *a, const struct est_id *est,
    json_t *rows, size_t **bad, size_t *nbad, int64_t *added)
{
	struct db_params p;
	PGresult *res = NULL;
	json_t *first = json_array_get(rows, 0), *detail;
	size_t nrows = json_array_size(rows);
	char *doc;
	enum rb_err rc;
	int i;

	*bad = NULL;
	*nbad = 0;
	*added = 0;
	doc = json_dumps(rows, JSON_COMPACT);
	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_str(&p, doc);
	if ((rc = db_begin(db)) != RB_OK ||
	    (rc = not_employees(db, &p, bad, nbad)) != RB_OK || *nbad > 0)
		goto out;
	db_param_str(&p, a->actor);
	db_param_int(&p, a->now);
	/* Listed twice: the last line's note wins. */
	rc = db_exec_p(db, &res,
	    "INSERT INTO renewal_exclusions (est_id, qid, note, added_by, added_at)"
	    " SELECT DISTINCT ON (u.qid) $1, u.qid, coalesce(u.note, ''), $3,"
	    "        to_timestamp($4::bigint)"
	    " FROM ROWS FROM (json_to_recordset($2::json) AS (qid text, note text))"
	    "  WITH ORDINALITY AS u(qid, note, ord)"
	    " ORDER BY u.qid, u.ord DESC"
	    " ON CONFLICT (est_id, qid) DO UPDATE SET note = EXCLUDED.note"
	    " WHERE renewal_exclusions.note IS DISTINCT FROM EXCLUDED.note"
	    " RETURNING (xmax = 0)", &p);
	if (rc != RB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++)
		*added += db_get_bool(res, i, 0);
	/* Nothing inserted or changed: nothing to record. */
	if (PQntuples(res) > 0) {
		detail = nrows == 1 ?
		    json_pack("{s:O, s:O}", "qid", json_object_get(first, "qid"),
		    "note", json_object_get(first, "note")) :
		    json_pack("{s:I, s:I}", "lines", (json_int_t)nrows,
		    "added", (json_int_t)*added);
		rc = audit_change(db, a, est, nrows == 1 ? "exclusion.add" :
		    "exclusion.upload", detail);
	}
	if (rc == RB_OK)
		rc = db_commit(db);
out:
	if (rc != RB_OK || *nbad > 0)
		db_rollback(db);
	PQclear(res);
	free(doc);
	return rc;
}

enum rb_err
exclusion_remove(struct db *db, const struct audit_ctx *a, const struct est_id *est,
    const struct qid *qid)
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_str(&p, qid->s);
	if ((rc = db_begin(db)) != RB_OK ||
	    (rc = db_exec_p(db, &res, "DELETE FROM renewal_exclusions WHERE est_id = $1"
	    " AND qid = $2 RETURNING note", &p)) != RB_OK)
		goto out;
	if (PQntuples(res) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	if ((rc = audit_change(db, a, est, "exclusion.remove", json_pack("{s:s, s:s}",
	    "qid", qid->s, "note", db_get_str(res, 0, 0)))) == RB_OK)
		rc = db_commit(db);
out:
	if (rc != RB_OK)
		db_rollback(db);
	PQclear(res);
	return rc;
}

enum rb_err
exclusion_csv(struct db *db, const struct est_id *est, struct csv_writer *w)
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;
	int i;

	db_params_init(&p);
	db_param_str(&p, est->s);
	/* The name as the company's statements spell it: reader_name() in
	 * the company's language, as every paper of the company. */
	if ((rc = db_exec_p(db, &res, "SELECT x.qid, x.note, c.language, p.name_ar, p.name_en"
	    " FROM renewal_exclusions x JOIN persons p ON p.qid = x.qid"
	    " JOIN companies c ON c.est_id = x.est_id"
	    " WHERE x.est_id = $1 ORDER BY x.qid", &p)) != RB_OK)
		return rc;
	csv_bom(w);
	csv_line(w, "qid,note,name");
	for (i = 0; i < PQntuples(res); i++) {
		csv_field(w, db_get_str(res, i, 0));
		csv_field(w, db_get_str(res, i, 1));
		csv_field(w, reader_name(db_get_str(res, i, 2), db_get_str(res, i, 3),
		    db_get_str(res, i, 4)));
		csv_end_line(w);
	}
	PQclear(res);
	return RB_OK;
}
