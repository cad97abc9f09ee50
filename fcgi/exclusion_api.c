/*
 * The company's exclusion list (SPEC §4): people it does not want renewed.
 * GET/POST /companies/{est_id}/exclusions (one as JSON, or a CSV upload),
 * DELETE /companies/{est_id}/exclusions/{qid},
 * GET /companies/{est_id}/exclusions.csv.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/access.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "lib/csv.h"
#include "lib/text.h"
#include "lib/xalloc.h"
#include "store/audit.h"

#define CSV_MAX_LINES	50000
#define NOTE_MAX	500

/* Read access for reviewers too; changes need the signatory or RENEWAL_MANAGE. */
static enum rb_err
allowed(struct req *r, int change)
{
	return access_require(r, change ? NEED_SERVICE : NEED_SERVICE_OR_REVIEWER,
	    "RENEWAL_MANAGE", NULL);
}

static json_t *
exclusion_json(PGresult *res, int i)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
	    "qid", PQgetvalue(res, i, 0), "name_ar", PQgetvalue(res, i, 1),
	    "name_en", PQgetvalue(res, i, 2), "note", PQgetvalue(res, i, 3),
	    "added_by", PQgetvalue(res, i, 4), "added_at", PQgetvalue(res, i, 5));
}

void
h_exclusions_list(struct req *r)
{
	char lim[24], off[24];
	const char *p[3];
	int64_t limit, offset;

	if (req_paging(r, &limit, &offset) != RB_OK || allowed(r, 0) != RB_OK)
		return;
	snprintf(lim, sizeof(lim), "%lld", (long long)limit);
	snprintf(off, sizeof(off), "%lld", (long long)offset);
	p[0] = r->params.est.s;
	p[1] = lim;
	p[2] = off;
	resp_query_page(r,
	    "SELECT x.qid, p.name_ar, p.name_en, x.note, x.added_by,"
	    " to_char(x.added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	    " (SELECT count(*) FROM renewal_exclusions WHERE est_id = $1)"
	    " FROM renewal_exclusions x JOIN persons p ON p.qid = x.qid"
	    " WHERE x.est_id = $1 ORDER BY x.qid LIMIT $2 OFFSET $3", 3, p, exclusion_json,
	    limit, offset, "SELECT count(*) FROM renewal_exclusions WHERE est_id = $1", 1, p);
}

static int
note_ok(const char *s)
{
	return text_ok(s, 0, NOTE_MAX, 0);
}

/*
 * Stores rows, a JSON array of {"qid","note"} already checked at the edge,
 * all or nothing: every QID must be an open employee of the company. Bad
 * QIDs are appended to errors as {line, qid, reason} using lines (a parallel
 * array of line numbers, or NULL for a single add). *added counts new rows.
 */
static enum rb_err
store(struct req *r, json_t *rows, json_t *lines, json_t *errors, int64_t *added)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	char *doc, now_s[24], target[40];
	const char *p[4];
	PGresult *res = NULL;
	json_t *detail;
	enum rb_err rc;
	int i;

	doc = json_dumps(rows, JSON_COMPACT);
	snprintf(now_s, sizeof(now_s), "%lld", (long long)a.now);
	p[0] = r->params.est.s;
	p[1] = doc;
	p[2] = r->sess.username;
	p[3] = now_s;
	if ((rc = db_begin(db)) != RB_OK)
		goto out;
	/* Which of the rows are not open employees of the company, with their index. */
	rc = db_exec(db, &res,
	    "SELECT u.ord - 1 FROM ROWS FROM (json_to_recordset($2::json)"
	    "  AS (qid text, note text)) WITH ORDINALITY AS u(qid, note, ord)"
	    " WHERE NOT EXISTS (SELECT 1 FROM employment e WHERE e.est_id = $1"
	    "  AND e.qid = u.qid AND e.ended_on IS NULL) ORDER BY u.ord", 2, p);
	if (rc != RB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		size_t k = strtoul(PQgetvalue(res, i, 0), NULL, 10);
		json_t *row = json_array_get(rows, k);

		json_array_append_new(errors, json_pack("{s:O?, s:O, s:s, s:s}",
		    "line", lines ? json_array_get(lines, k) : NULL,
		    "qid", json_object_get(row, "qid"), "code", "not_employee",
		    "reason", "not an employee of this company"));
	}
	PQclear(res);
	res = NULL;
	if (json_array_size(errors) > 0)
		goto out;
	/* Listed twice: the last line's note wins. */
	rc = db_exec(db, &res,
	    "INSERT INTO renewal_exclusions (est_id, qid, note, added_by, added_at)"
	    " SELECT DISTINCT ON (u.qid) $1, u.qid, coalesce(u.note, ''), $3,"
	    "        to_timestamp($4::bigint)"
	    " FROM ROWS FROM (json_to_recordset($2::json) AS (qid text, note text))"
	    "  WITH ORDINALITY AS u(qid, note, ord)"
	    " ORDER BY u.qid, u.ord DESC"
	    " ON CONFLICT (est_id, qid) DO UPDATE SET note = EXCLUDED.note"
	    " WHERE renewal_exclusions.note IS DISTINCT FROM EXCLUDED.note"
	    " RETURNING (xmax = 0)", 4, p);
	if (rc != RB_OK)
		goto out;
	*added = 0;
	for (i = 0; i < PQntuples(res); i++)
		*added += PQgetvalue(res, i, 0)[0] == 't';
	/* Nothing inserted or changed: nothing to record. */
	if (PQntuples(res) == 0) {
		rc = db_commit(db);
		goto out;
	}
	snprintf(target, sizeof(target), "exclusions:%s", r->params.est.s);
	detail = json_array_size(rows) == 1 ?
	    json_pack("{s:O, s:O}", "qid", json_object_get(json_array_get(rows, 0), "qid"),
	    "note", json_object_get(json_array_get(rows, 0), "note")) :
	    json_pack("{s:I, s:I}", "lines", (json_int_t)json_array_size(rows),
	    "added", (json_int_t)*added);
	rc = audit_append(db, &a, json_array_size(rows) == 1 ? "exclusion.add" :
	    "exclusion.upload", target, detail);
	json_decref(detail);
	if (rc == RB_OK)
		rc = db_commit(db);
out:
	if (rc != RB_OK || json_array_size(errors) > 0)
		db_rollback(db);
	PQclear(res);
	free(doc);
	return rc;
}

static void
add_one(struct req *r)
{
	struct qid qid;
	const char *note, *key;
	json_t *body, *rows = NULL, *errors = NULL, *v;
	int64_t added = 0;
	enum rb_err rc;

	if ((body = req_json_body(r)) == NULL)
		return;
	json_object_foreach(body, key, v)
		if (strcmp(key, "qid") != 0 && strcmp(key, "note") != 0) {
			resp_error_field(r, 400, "invalid_field", key, "unknown field");
			goto out;
		}
	if (qid_parse(json_string_value(json_object_get(body, "qid")), &qid) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", "qid",
		    "a QID is 11 digits starting with 2 or 3");
		goto out;
	}
	v = json_object_get(body, "note");
	note = v == NULL || json_is_null(v) ? "" : json_string_value(v);
	if (note == NULL || !note_ok(note)) {
		resp_error_field(r, 400, "invalid_field", "note",
		    "the note is up to 500 characters on one line");
		goto out;
	}
	rows = json_pack("[{s:s, s:s}]", "qid", qid.s, "note", note);
	errors = json_array();
	if ((rc = store(r, rows, NULL, errors, &added)) != RB_OK) {
		resp_rb_err(r, rc);
		goto out;
	}
	if (json_array_size(errors) > 0) {
		char msg[96];

		snprintf(msg, sizeof(msg), "%s is not an employee of this company", qid.s);
		resp_error_field(r, 400, "not_employee", "qid", msg);
		goto out;
	}
	/* Excluding twice is harmless: 200 the second time. */
	resp_json(r, added ? 201 : 200, json_pack("{s:s, s:s, s:b}", "qid", qid.s,
	    "note", note, "added", (int)added));
out:
	json_decref(errors);
	json_decref(rows);
	json_decref(body);
}

/* A bad line: code for programs (and translations), reason for people. */
static void
line_error(json_t *errors, size_t line, const char *qid, const char *code,
    const char *reason)
{
	json_array_append_new(errors, json_pack("{s:I, s:s?, s:s, s:s}", "line",
	    (json_int_t)line, "qid", qid, "code", code, "reason", reason));
}

static void
upload_csv(struct req *r)
{
	struct csv_reader c;
	const char *f[CSV_MAX_FIELDS];
	size_t nf, line, records = 0;
	struct qid qid;
	json_t *rows = json_array(), *lines = json_array(), *errors = json_array(), *err;
	int64_t added = 0;
	enum rb_err rc;
	int got;

	csv_init(&c, r->body ? r->body : "", r->body_len);
	while ((got = csv_next(&c, f, &nf, &line)) != 0) {
		if (got < 0) {
			line_error(errors, line, NULL, "malformed_csv", "malformed CSV (quotes)");
			continue;
		}
		if (nf == 1 && f[0][0] == '\0' && records > 0)
			continue;	/* a blank line */
		if (records++ == 0) {
			if (nf != 2 || strcasecmp(f[0], "qid") != 0 || strcasecmp(f[1], "note") != 0)
				line_error(errors, line, NULL, "bad_header",
				    "the header must be qid,note");
			continue;
		}
		if (records - 1 > CSV_MAX_LINES) {
			csv_free(&c);
			resp_error(r, 413, "too_many_lines",
			    "an upload holds at most 50000 lines besides the header");
			goto out;
		}
		if (nf > 2)
			line_error(errors, line, NULL, "too_many_fields",
			    "expected two fields: qid,note");
		else if (qid_parse(f[0], &qid) != RB_OK)
			line_error(errors, line, text_ok(f[0], 1, 20, 0) ? f[0] : NULL,
			    "invalid_qid", "not a QID (11 digits starting with 2 or 3)");
		else if (nf == 2 && !note_ok(f[1]))
			line_error(errors, line, qid.s, "invalid_note",
			    "the note is up to 500 characters of UTF-8 text on one line");
		else {
			json_array_append_new(rows, json_pack("{s:s, s:s}", "qid", qid.s,
			    "note", nf == 2 ? f[1] : ""));
			json_array_append_new(lines, json_integer((json_int_t)line));
		}
	}
	csv_free(&c);
	if (records == 0)
		line_error(errors, 1, NULL, "empty_file",
		    "the file is empty; the header must be qid,note");
	/* Only a file without format errors is checked against the registry,
	 * so every bad line is reported by the time the file is clean. */
	if (json_array_size(errors) == 0 && json_array_size(rows) > 0 &&
	    (rc = store(r, rows, lines, errors, &added)) != RB_OK) {
		resp_rb_err(r, rc);
		goto out;
	}
	if (json_array_size(errors) > 0) {
		err = json_pack("{s:s, s:s, s:O}", "code", "invalid_csv", "message",
		    "nothing was stored: correct the lines listed and upload again",
		    "lines", errors);
		resp_json(r, 400, json_pack("{s:o}", "error", err));
		goto out;
	}
	resp_json(r, 200, json_pack("{s:I, s:I}", "lines",
	    (json_int_t)json_array_size(rows), "added", (json_int_t)added));
out:
	json_decref(rows);
	json_decref(lines);
	json_decref(errors);
}

void
h_exclusions_add(struct req *r)
{
	if (allowed(r, 1) != RB_OK)
		return;
	if (r->content_type != NULL && strncasecmp(r->content_type, "text/csv", 8) == 0 &&
	    (r->content_type[8] == '\0' || r->content_type[8] == ';'))
		upload_csv(r);
	else
		add_one(r);
}

void
h_exclusions_delete(struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };
	struct db *db = &r->w->db;
	const char *p[2] = { r->params.est.s, r->params.qid.s };
	char target[40];
	PGresult *res = NULL;
	json_t *detail;
	enum rb_err rc;

	if (allowed(r, 1) != RB_OK)
		return;
	if ((rc = db_begin(db)) != RB_OK)
		goto fail;
	if ((rc = db_exec(db, &res, "DELETE FROM renewal_exclusions WHERE est_id = $1"
	    " AND qid = $2 RETURNING note", 2, p)) != RB_OK)
		goto fail;
	if (PQntuples(res) == 0) {
		PQclear(res);
		db_rollback(db);
		resp_error_field(r, 404, "not_excluded", "qid", "this person is not excluded");
		return;
	}
	snprintf(target, sizeof(target), "exclusions:%s", r->params.est.s);
	detail = json_pack("{s:s, s:s}", "qid", r->params.qid.s, "note", PQgetvalue(res, 0, 0));
	PQclear(res);
	rc = audit_append(db, &a, "exclusion.remove", target, detail);
	json_decref(detail);
	if (rc != RB_OK || (rc = db_commit(db)) != RB_OK)
		goto fail;
	resp_json(r, 200, json_pack("{s:s, s:b}", "qid", r->params.qid.s, "removed", 1));
	return;
fail:
	db_rollback(db);
	resp_rb_err(r, rc);
}

/* One CSV field, quoted when it needs to be; a leading =, +, - or @ is
 * prefixed with ' so a spreadsheet never reads it as a formula. */
static void
csv_field(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t need = 2 * strlen(s) + 8;	/* quotes, prefix, separator */
	char *w;

	if (*len + need >= *cap) {
		*cap = (*len + need) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	w = *buf + *len;
	*w++ = '"';
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r')
		*w++ = '\'';
	for (; *s != '\0'; s++) {
		if (*s == '"')
			*w++ = '"';
		*w++ = *s;
	}
	*w++ = '"';
	*len = (size_t)(w - *buf);
}

void
h_exclusions_csv(struct req *r)
{
	const char *p[1] = { r->params.est.s };
	char *buf, disp[96];
	size_t len = 0, cap = 4096;
	PGresult *res = NULL;
	enum rb_err rc;
	int i;

	if (allowed(r, 0) != RB_OK)
		return;
	if ((rc = db_exec(&r->w->db, &res, "SELECT qid, note FROM renewal_exclusions"
	    " WHERE est_id = $1 ORDER BY qid", 1, p)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	buf = xmalloc(cap);
	memcpy(buf, "qid,note\r\n", 10);
	len = 10;
	for (i = 0; i < PQntuples(res); i++) {
		csv_field(&buf, &len, &cap, PQgetvalue(res, i, 0));
		buf[len++] = ',';
		csv_field(&buf, &len, &cap, PQgetvalue(res, i, 1));
		buf[len++] = '\r';
		buf[len++] = '\n';
	}
	PQclear(res);
	snprintf(disp, sizeof(disp), "attachment; filename=\"exclusions-%s.csv\"",
	    r->params.est.s);
	resp_raw(r, 200, "text/csv; charset=utf-8", disp, buf, len);
	free(buf);
}
