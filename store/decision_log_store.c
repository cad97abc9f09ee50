#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "store/decision_log_store.h"
#include "store/page.h"

/* A text field of COPY's text format: \N for empty, backslash, tab and
 * line ends escaped (a caller's name is the directory's, not ours). */
static size_t
copy_text(char *out, const char *s)
{
	size_t n = 0;

	if (*s == '\0') {
		memcpy(out, "\\N", 2);
		return 2;
	}
	for (; *s; s++) {
		if (*s == '\\' || *s == '\t' || *s == '\n' || *s == '\r') {
			out[n++] = '\\';
			out[n++] = *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\r' ? 'r' : '\\';
		} else
			out[n++] = *s;
	}
	return n;
}

/* A bigint, or \N when absent. */
static size_t
copy_int(char *out, int present, int64_t v)
{
	return present ? (size_t)sprintf(out, "%lld", (long long)v) :
	    (size_t)sprintf(out, "\\N");
}

/* An instant in the one ISO form (PostgreSQL reads it as timestamptz). */
static size_t
copy_instant(char *out, int present, int64_t v)
{
	if (!present)
		return (size_t)sprintf(out, "\\N");
	clock_format_iso(v, out);
	return CLOCK_ISO_LEN - 1;
}

/* One line of the COPY; out has room for twice the row's text. */
static size_t
copy_line(char *out, const struct decision_row *d)
{
	const char *texts[4] = { d->caller, d->qid, d->est_id, d->service };
	size_t n = 0, i;

	n += copy_instant(out + n, 1, d->decided_at);
	out[n++] = '\t';
	n += copy_instant(out + n, d->has_as_of, d->as_of);
	for (i = 0; i < 4; i++) {
		out[n++] = '\t';
		n += copy_text(out + n, texts[i]);
	}
	n += (size_t)sprintf(out + n, "\t%d\t%c\t", d->status, d->allowed ? 't' : 'f');
	n += copy_text(out + n, d->rule);
	out[n++] = '\t';
	n += copy_int(out + n, d->grant_id != 0, d->grant_id);
	out[n++] = '\t';
	n += copy_int(out + n, d->revision != 0, d->revision);
	out[n++] = '\n';
	return n;
}

/* $1 qid, $2 est_id, $3 from, $4 to (epoch seconds; NULL: no bound). */
#define DECISION_WHERE							\
	" WHERE ($1::text IS NULL OR qid = $1)"				\
	" AND ($2::text IS NULL OR est_id = $2)"			\
	" AND ($3::bigint IS NULL OR decided_at >= to_timestamp($3::bigint))" \
	" AND ($4::bigint IS NULL OR decided_at < to_timestamp($4::bigint))"

const char decision_log_list_sql[] =
	"SELECT " CLOCK_SQL_ISO("decided_at") ", " CLOCK_SQL_ISO("as_of") ","
	" caller, qid, est_id, service, status, allowed, rule, grant_id, revision,"
	" count(*) OVER () FROM decision_log" DECISION_WHERE
	" ORDER BY decided_at DESC, qid, est_id, service, caller, rule, as_of"
	" LIMIT $5 OFFSET $6";
static const char count_sql[] =
	"SELECT count(*) FROM decision_log" DECISION_WHERE;

/* A nullable bigint column as JSON. */
static json_t *
int_or_null(PGresult *res, int i, int col)
{
	int64_t v;

	return !PQgetisnull(res, i, col) && db_get_int(res, i, col, &v) == RB_OK ?
	    json_integer(v) : json_null();
}

static json_t *
decision_json(PGresult *res, int i)
{
	int64_t status;

	if (db_get_int(res, i, 6, &status) != RB_OK)
		return NULL;
	return json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:I, s:b, s:s, s:o, s:o}",
	    "decided_at", db_get_str(res, i, 0),
	    "at", db_get_str(res, i, 1), "caller", db_get_str(res, i, 2),
	    "qid", db_get_str(res, i, 3), "est_id", db_get_str(res, i, 4),
	    "service", db_get_str(res, i, 5), "status", (json_int_t)status,
	    "allowed", db_get_bool(res, i, 7), "rule", db_get_str(res, i, 8),
	    "grant_id", int_or_null(res, i, 9), "revision", int_or_null(res, i, 10));
}

/* The four filter parameters, into p. */
static void
filter_params(struct db_params *p, const struct decision_filter *f)
{
	db_params_init(p);
	db_param_str(p, f->qid ? f->qid->s : NULL);
	db_param_str(p, f->est ? f->est->s : NULL);
	if (f->has_from)
		db_param_int(p, f->from);
	else
		db_param_str(p, NULL);
	if (f->has_to)
		db_param_int(p, f->to);
	else
		db_param_str(p, NULL);
}

enum rb_err
decision_log_page(struct db *db, const struct decision_filter *f, int64_t limit,
    int64_t offset, json_t **page)
{
	struct db_params p, cp;

	filter_params(&p, f);
	db_param_int(&p, limit);
	db_param_int(&p, offset);
	filter_params(&cp, f);
	return page_query(db, decision_log_list_sql, &p, decision_json, limit, offset,
	    count_sql, &cp, page);
}

enum rb_err
decision_log_copy(struct db *db, const struct decision_row *rows, size_t n)
{
	/* One statement, atomic by itself: no transaction around it. A
	 * connection the server ended (a restart, a terminated backend) looks
	 * alive until it is used: db_copy_rows() tries once more on a new one
	 * before the rows count as dropped. */
	static const char copy_sql[] =
	    "COPY decision_log (decided_at, as_of, caller, qid, est_id, service,"
	    " status, allowed, rule, grant_id, revision) FROM STDIN";
	char *buf;
	size_t len = 0, i;
	enum rb_err rc;

	buf = xmalloc(n * 2 * sizeof(*rows) + 1);
	for (i = 0; i < n; i++)
		len += copy_line(buf + len, &rows[i]);
	if ((rc = db_copy_rows(db, copy_sql, buf, len)) != RB_OK)
		log_warn("decision log: COPY of %zu rows failed: %s", n, db->errmsg);
	free(buf);
	return rc;
}
