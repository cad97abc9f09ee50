/*
 * The company's exclusion list (SPEC §4): people it does not want renewed.
 * GET/POST /companies/{est_id}/exclusions (one as JSON, or a CSV upload),
 * DELETE /companies/{est_id}/exclusions/{qid},
 * GET /companies/{est_id}/exclusions.csv.
 * The line checks are domain/exclusion_rules.c, the queries
 * store/exclusion_store.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/exclusion_rules.h"
#include "fcgi/access.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "lib/csv.h"
#include "lib/media_type.h"
#include "notify/message_render.h"
#include "store/exclusion_store.h"

/* Read access for reviewers too; changes need the signatory or RENEWAL_MANAGE. */
static enum rb_err
allowed(struct req *r, int change)
{
	return access_require(r, change ? NEED_SERVICE : NEED_SERVICE_OR_REVIEWER,
	    "RENEWAL_MANAGE", NULL);
}

static struct audit_ctx
audit_of(const struct req *r)
{
	struct audit_ctx a = { r->sess.username, r->remote_addr, clock_now() };

	return a;
}

void
h_exclusions_list(struct req *r)
{
	int64_t limit, offset;
	json_t *page;
	enum rb_err rc;

	if (req_paging(r, &limit, &offset) != RB_OK || allowed(r, 0) != RB_OK)
		return;
	if ((rc = exclusion_page(r->db, &r->params.est, limit, offset, &page)) != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 200, page);
}

/*
 * The body of a single add: {"qid", "note"?}. RB_OK with *qid and *note
 * (borrowed from body) set; otherwise it has responded 400 with every
 * bad field.
 */
static enum rb_err
add_body(struct req *r, json_t *body, struct qid *qid, const char **note)
{
	struct field_errors fe;
	const char *key;
	json_t *v;

	field_errors_init(&fe);
	json_object_foreach(body, key, v)
		if (strcmp(key, "qid") != 0 && strcmp(key, "note") != 0)
			field_error_add(&fe, key, "unknown_field", "unknown field");
	if ((v = json_object_get(body, "qid")) == NULL)
		field_error_add(&fe, "qid", "required", "the person's QID is required");
	else if (qid_parse(json_string_value(v), qid) != RB_OK)
		field_error_add(&fe, "qid", "invalid_field",
		    "a QID is 11 digits starting with 2 or 3");
	v = json_object_get(body, "note");
	*note = v == NULL || json_is_null(v) ? "" : json_string_value(v);
	if (*note == NULL || !excl_note_ok(*note))
		field_error_add(&fe, "note", "invalid_field",
		    "the note is up to 500 characters on one line");
	return resp_error_fields(r, &fe);
}

static void
add_one(struct req *r)
{
	struct audit_ctx a = audit_of(r);
	struct qid qid;
	const char *note;
	json_t *body, *rows = NULL;
	size_t *bad = NULL, nbad = 0;
	int64_t added = 0;
	enum rb_err rc;

	if ((body = req_json_body(r)) == NULL)
		return;
	if (add_body(r, body, &qid, &note) != RB_OK)
		goto out;
	rows = json_pack("[{s:s, s:s}]", "qid", qid.s, "note", note);
	if ((rc = exclusion_add(&r->w->db, &a, &r->params.est, rows, &bad, &nbad,
	    &added)) != RB_OK) {
		resp_rb_err(r, rc);
		goto out;
	}
	if (nbad > 0) {
		char msg[96];

		snprintf(msg, sizeof(msg), "%s is not an employee of this company", qid.s);
		resp_error_field(r, 400, excl_refusal_code(EXCL_NOT_EMPLOYEE), "qid", msg);
		goto out;
	}
	/* Excluding twice is harmless: 200 the second time. */
	resp_json(r, added ? 201 : 200, json_pack("{s:s, s:s, s:b}", "qid", qid.s,
	    "note", note, "added", (int)added));
out:
	free(bad);
	json_decref(rows);
	json_decref(body);
}

/* A bad line: code for programs (and translations), reason for people
 * (put in the caller's language by lines_translate()). */
static void
line_error(json_t *errors, json_t *line, const char *qid, enum excl_refusal why)
{
	json_array_append_new(errors, json_pack("{s:o, s:s?, s:s, s:s}", "line", line,
	    "qid", qid, "code", excl_refusal_code(why), "reason", excl_refusal_reason(why)));
}

/*
 * The upload's records into rows ({qid, note}) and lines (their line
 * numbers), or their refusals into errors, in line order. RB_ETOOLARGE
 * past EXCL_CSV_MAX_LINES.
 */
static enum rb_err
parse_csv(const char *text, size_t len, json_t *rows, json_t *lines, json_t *errors)
{
	struct csv_reader c;
	const char *f[CSV_MAX_FIELDS], *note, *shown;
	size_t nf, line, records = 0, columns = 2;
	struct qid qid;
	enum excl_refusal why;
	enum rb_err rc = RB_OK;
	int got;

	csv_init(&c, text, len);
	while ((got = csv_next(&c, f, &nf, &line)) != 0) {
		if (got < 0) {
			line_error(errors, json_integer((json_int_t)line), NULL,
			    EXCL_MALFORMED_CSV);
			continue;
		}
		if (records > 0 && excl_line_blank(f, nf))
			continue;
		if (records++ == 0) {
			/* A bad header is reported, and the lines are still read
			 * as qid,note: their own errors come in the same answer. */
			if ((why = excl_header_check(f, nf, &columns)) != EXCL_OK) {
				line_error(errors, json_integer((json_int_t)line), NULL, why);
				columns = 2;
			}
			continue;
		}
		if (records - 1 > EXCL_CSV_MAX_LINES) {
			rc = RB_ETOOLARGE;
			break;
		}
		if ((why = excl_line_check(f, nf, columns, &qid, &note, &shown)) != EXCL_OK)
			line_error(errors, json_integer((json_int_t)line), shown, why);
		else {
			json_array_append_new(rows, json_pack("{s:s, s:s}", "qid", qid.s,
			    "note", note));
			json_array_append_new(lines, json_integer((json_int_t)line));
		}
	}
	csv_free(&c);
	if (rc == RB_OK && records == 0)
		line_error(errors, json_integer(1), NULL, EXCL_EMPTY_FILE);
	return rc;
}

/*
 * The format errors (in line order) and the well-formed lines that are not
 * employees (bad, indexes into rows and lines, in order), merged into one
 * list by line number. Returns a new array.
 */
static json_t *
all_line_errors(json_t *format, json_t *rows, json_t *lines, const size_t *bad,
    size_t nbad)
{
	json_t *out = json_array(), *e;
	size_t i = 0, k = 0;
	json_int_t at;

	while (i < json_array_size(format) || k < nbad) {
		e = json_array_get(format, i);
		at = k < nbad ? json_integer_value(json_array_get(lines, bad[k])) : 0;
		if (k < nbad && (e == NULL ||
		    json_integer_value(json_object_get(e, "line")) > at)) {
			line_error(out, json_integer(at), json_string_value(json_object_get(
			    json_array_get(rows, bad[k]), "qid")), EXCL_NOT_EMPLOYEE);
			k++;
		} else {
			json_array_append(out, e);
			i++;
		}
	}
	return out;
}

/*
 * The texts of a refused upload in the caller's language (issue 16 §3):
 * each line's reason is the catalogue's "error.<code>", its message the
 * catalogue's "error.csv_line" with the line number and that reason, and
 * the answer's message "error.invalid_csv"; the codes never change. An
 * English reader keeps the domain's own reasons (the web's and the
 * catalogue's English say the same), a language without an entry the
 * English. Returns the answer's message (borrowed from the catalogue).
 */
static const char *
lines_translate(struct req *r, json_t *errors)
{
	const struct catalog *cat = r->w != NULL ? r->w->cat : NULL;
	const char *msg = "nothing was stored: correct the lines listed and upload again";
	const char *reason, *t;
	char lang[3], key[96], err[128], *text;
	json_t *e, *params;
	size_t i;

	req_language(r, 1, lang);
	if (cat != NULL && strcmp(lang, "en") != 0 &&
	    (t = catalog_text_own(cat, lang, "error.invalid_csv")) != NULL)
		msg = t;
	json_array_foreach(errors, i, e) {
		reason = json_string_value(json_object_get(e, "reason"));
		snprintf(key, sizeof(key), "error.%s",
		    json_string_value(json_object_get(e, "code")));
		if (cat != NULL && strcmp(lang, "en") != 0 &&
		    (t = catalog_text_own(cat, lang, key)) != NULL)
			reason = t;
		/* The reason is a value, not a key: nothing in it is rendered. */
		params = json_pack("{s:O, s:s}", "line", json_object_get(e, "line"),
		    "reason", reason);
		text = NULL;
		if (cat == NULL || params == NULL || message_render(cat, lang,
		    "error.csv_line", params, &text, err, sizeof(err)) != RB_OK) {
			free(text);
			text = NULL;
		}
		json_object_set_new(e, "message", text != NULL ? json_string(text) :
		    json_sprintf("line %" JSON_INTEGER_FORMAT ": %s",
		    json_integer_value(json_object_get(e, "line")), reason));
		/* After the message: reason may be the entry's own string. */
		json_object_set_new(e, "reason", json_string(reason));
		free(text);
		json_decref(params);
	}
	return msg;
}

static void
upload_csv(struct req *r)
{
	struct audit_ctx a = audit_of(r);
	json_t *rows = json_array(), *lines = json_array(), *format = json_array();
	json_t *errors = NULL, *err;
	size_t *bad = NULL, nbad = 0;
	int64_t added = 0;
	enum rb_err rc = RB_OK;

	if (parse_csv(r->body ? r->body : "", r->body_len, rows, lines, format) != RB_OK) {
		resp_error(r, 413, "too_many_lines",
		    "an upload holds at most 50000 lines besides the header");
		goto out;
	}
	/* Every well-formed line is checked against the registry, even in a
	 * file with format errors: one answer lists every bad line. A clean
	 * file is checked and stored in one transaction. */
	if (json_array_size(rows) > 0)
		rc = json_array_size(format) > 0 ?
		    exclusion_not_employees(&r->w->db, &r->params.est, rows, &bad, &nbad) :
		    exclusion_add(&r->w->db, &a, &r->params.est, rows, &bad, &nbad, &added);
	if (rc != RB_OK) {
		resp_rb_err(r, rc);
		goto out;
	}
	errors = all_line_errors(format, rows, lines, bad, nbad);
	if (json_array_size(errors) > 0) {
		err = json_pack("{s:s, s:s, s:O}", "code", "invalid_csv", "message",
		    lines_translate(r, errors), "lines", errors);
		resp_json(r, 400, json_pack("{s:o}", "error", err));
		goto out;
	}
	resp_json(r, 200, json_pack("{s:I, s:I}", "lines",
	    (json_int_t)json_array_size(rows), "added", (json_int_t)added));
out:
	free(bad);
	json_decref(rows);
	json_decref(lines);
	json_decref(format);
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
	struct audit_ctx a = audit_of(r);
	enum rb_err rc;

	if (allowed(r, 1) != RB_OK)
		return;
	rc = exclusion_remove(&r->w->db, &a, &r->params.est, &r->params.qid);
	if (rc == RB_ENOTFOUND)
		resp_error_field(r, 404, "not_excluded", "qid", "this person is not excluded");
	else if (rc != RB_OK)
		resp_rb_err(r, rc);
	else
		resp_json(r, 200, json_pack("{s:s, s:b}", "qid", r->params.qid.s,
		    "removed", 1));
}

void
h_exclusions_csv(struct req *r)
{
	struct csv_writer w;
	char disp[96];
	enum rb_err rc;

	if (allowed(r, 0) != RB_OK)
		return;
	csv_writer_init(&w);
	if ((rc = exclusion_csv(r->db, &r->params.est, &w)) != RB_OK) {
		resp_rb_err(r, rc);
		goto out;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"exclusions-%s.csv\"",
	    r->params.est.s);
	resp_raw(r, 200, MEDIA_CSV, disp, w.buf, w.len);
out:
	csv_writer_free(&w);
}
