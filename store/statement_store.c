#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/calendar.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/date_json.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "store/page.h"
#include "store/statement_store.h"

void
statement_file_name(const char *est_id, const char *kind, const char *cycle_date,
    char out[STATEMENT_FILE_NAME_MAX])
{
	snprintf(out, STATEMENT_FILE_NAME_MAX, "statement-%.8s-%.12s-%.10s.xlsx", est_id,
	    kind, cycle_date);
}

static const char *const kind_codes[] = {
	[STMT_ALERT] = "alert",
	[STMT_EXECUTION] = "execution",
	[STMT_DEBIT_REPORT] = "debit_report",
};
#define NKINDS	(sizeof(kind_codes) / sizeof(kind_codes[0]))

const char *
statement_kind_code(enum stmt_kind k)
{
	return (unsigned)k < NKINDS ? kind_codes[k] : NULL;
}

enum rb_err
statement_kind_parse(const char *s, enum stmt_kind *k)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(s, kind_codes[i]) == 0) {
			*k = (enum stmt_kind)i;
			return RB_OK;
		}
	return RB_EINVAL;
}

void
statement_line_from_decision(struct stmt_line *l, const struct renewal_decision *d,
    enum stmt_kind kind, struct rb_date statement_date, const char *iban)
{
	const struct renewal_candidate *c = d->c;
	struct renewal_blocker b;

	memset(l, 0, sizeof(*l));
	snprintf(l->qid, sizeof(l->qid), "%s", c->qid.s);
	l->name_ar = c->name_ar;
	l->name_en = c->name_en;
	l->result = d->result;
	l->reason = d->reason;
	l->flags = d->flags;
	l->status = c->status;
	l->old_expiry = c->expiry;
	l->days_left = c->expiry.days - statement_date.days;
	renewal_blocker_of(d, &b);
	l->remedy = b.remedy;
	l->has_blocker_amount = b.has_amount;
	l->blocker_amount_dirhams = b.amount_dirhams;
	if (kind == STMT_ALERT) {
		/* An alert announces: nothing was renewed or debited yet; what
		 * the execution will debit is expected, and only for a person
		 * it will renew as things stand. */
		l->result = RES_CANDIDATE;
		l->will_renew = d->result == RES_RENEWED;
		l->expected_fee_dirhams = renewal_debited(d);
		l->expected_late_fine_dirhams = renewal_debited_late_fine(d);
		if (b.actionable) {
			l->has_remedy_before = 1;
			l->remedy_before = cycle_next_execution(statement_date);
		}
		return;
	}
	if (b.actionable) {
		/* Executed already: the remedy is for the next execution. */
		struct rb_date next = { statement_date.days + 1 };

		l->has_remedy_before = 1;
		l->remedy_before = cycle_execution_from(next);
	}
	/* Only what was debited: nothing for a person not renewed. */
	l->fee_dirhams = renewal_debited(d);
	l->late_fine_dirhams = renewal_debited_late_fine(d);
	if (d->result == RES_RENEWED) {
		l->has_new_expiry = 1;
		l->new_expiry = d->new_expiry;
		l->has_delivery = 1;
		l->delivery_from = d->delivery_from;
		l->delivery_to = d->delivery_to;
		snprintf(l->debit_ref, sizeof(l->debit_ref), "%s", d->debit_ref);
	}
	if (kind == STMT_DEBIT_REPORT) {
		l->result = RES_DEBITED;
		snprintf(l->iban, sizeof(l->iban), "%s", iban ? iban : "");
	}
}

json_t *
statement_line_json(const struct stmt_line *l, enum stmt_kind kind)
{
	const char *codes[8];
	json_t *flags = json_array();
	size_t k, n = 0;

	json_t *o;

	if (kind == STMT_ALERT)
		n = statement_flag_codes(l->flags, codes, 8);
	for (k = 0; k < n; k++)
		json_array_append_new(flags, json_string(codes[k]));
	o = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:o, s:o, s:i, s:I, s:I, s:s?, s:s?,"
	    " s:o, s:o, s:o, s:I, s:I, s:o}",
	    "qid", l->qid, "name_ar", l->name_ar, "name_en", l->name_en,
	    "result", renewal_result_code(l->result),
	    "reason", renewal_reason_code(l->reason),
	    "old_expiry", date_json(1, l->old_expiry),
	    "new_expiry", date_json(l->has_new_expiry, l->new_expiry),
	    "days_left", l->days_left,
	    "fee_dirhams", (json_int_t)l->fee_dirhams,
	    "late_fine_dirhams", (json_int_t)l->late_fine_dirhams,
	    "debit_reference", l->debit_ref[0] ? l->debit_ref : NULL,
	    "iban", l->iban[0] ? l->iban : NULL,
	    "delivery_from", date_json(l->has_delivery, l->delivery_from),
	    "delivery_to", date_json(l->has_delivery, l->delivery_to),
	    "flags", flags,
	    "expected_fee_dirhams", (json_int_t)l->expected_fee_dirhams,
	    "expected_late_fine_dirhams", (json_int_t)l->expected_late_fine_dirhams,
	    "will_renew", kind == STMT_ALERT ? json_boolean(l->will_renew) : json_null());
	statement_blocker_json(o, l);
	return o;
}

void
statement_blocker_json(json_t *o, const struct stmt_line *l)
{
	json_object_set_new(o, "person_status", l->reason == RR_PERSON_NOT_ACTIVE ?
	    json_string(person_status_name(l->status)) : json_null());
	json_object_set_new(o, "remedy", renewal_remedy_code(l->remedy) ?
	    json_string(renewal_remedy_code(l->remedy)) : json_null());
	json_object_set_new(o, "blocker_amount_dirhams", l->has_blocker_amount ?
	    json_integer((json_int_t)l->blocker_amount_dirhams) : json_null());
	json_object_set_new(o, "remedy_before",
	    date_json(l->has_remedy_before, l->remedy_before));
}

size_t
statement_flag_codes(unsigned flags, const char **codes, size_t max)
{
	/* Each obstacle is the reason it becomes when it comes first. */
	static const struct { unsigned flag; enum renewal_reason reason; } table[] = {
		{ FLAG_EXCLUDED, RR_EXCLUDED }, { FLAG_NOT_ACTIVE, RR_PERSON_NOT_ACTIVE },
		{ FLAG_ABROAD, RR_PERSON_ABROAD }, { FLAG_PASSPORT, RR_PASSPORT_VALIDITY },
		{ FLAG_FINES, RR_OUTSTANDING_FINES }, { FLAG_OVER_CAP, RR_CAP_EXCEEDED },
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(table) / sizeof(table[0]) && n < max; i++)
		if (flags & table[i].flag)
			codes[n++] = renewal_reason_code(table[i].reason);
	return n;
}

enum rb_err
statement_new_code(char out[24])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	uint8_t raw[12];
	int i, o = 0;

	if (crypto_random(raw, sizeof(raw)) != RB_OK)
		return RB_EINTERNAL;
	for (i = 0; i < 12; i++) {
		if (i == 4 || i == 8)
			out[o++] = '-';
		out[o++] = alphabet[raw[i] & 31];
	}
	out[o] = '\0';
	return RB_OK;
}

/* The columns of sql/010_statement_fees.sql, in line_json()'s order. */
#define LINE_NEW_COLS \
	"expected_fee_dirhams, expected_late_fine_dirhams, will_renew, person_status," \
	" remedy, blocker_amount_dirhams, remedy_before"

/*
 * Statements and their lines, any number in one prepared round trip (the
 * cycle writes a batch's together). Each statement row carries its
 * ordinal so that its lines and its new id find it; the verification
 * code, unique, links the inserted rows back to the ordinals. This is the
 * one place statement lines are inserted.
 */
static const struct db_stmt st_insert = { "statement_insert_batch",
	"WITH x AS (SELECT * FROM json_to_recordset($1::json) AS x(ord int, est_id text,"
	" kind text, cycle_date date, execution_date date, language text, cap_dirhams bigint,"
	" total_dirhams bigint, lines_count int, verification_code text)),"
	" s AS (INSERT INTO statements (est_id, cycle_id, kind, cycle_date,"
	" execution_date, language, cap_dirhams, total_dirhams, lines_count,"
	" verification_code, created_at) SELECT est_id, $2::bigint, kind, cycle_date,"
	" execution_date, language, cap_dirhams, total_dirhams, lines_count,"
	" verification_code, to_timestamp($3::bigint) FROM x ORDER BY ord"
	" RETURNING id, verification_code),"
	" l AS (INSERT INTO statement_lines (statement_id, cycle_date, line_no, qid, name_ar,"
	" name_en, result, reason, old_expiry, new_expiry, days_left, fee_dirhams,"
	" late_fine_dirhams, debit_reference, iban, delivery_from, delivery_to, flags,"
	" " LINE_NEW_COLS ")"
	" SELECT s.id, x.cycle_date, y.line_no, y.qid, y.name_ar, y.name_en, y.result, y.reason,"
	" y.old_expiry, y.new_expiry, y.days_left, y.fee_dirhams, y.late_fine_dirhams,"
	" y.debit_reference, y.iban, y.delivery_from, y.delivery_to,"
	" ARRAY(SELECT json_array_elements_text(y.flags)),"
	" y.expected_fee_dirhams, y.expected_late_fine_dirhams, y.will_renew,"
	" y.person_status, y.remedy, y.blocker_amount_dirhams, y.remedy_before"
	" FROM json_to_recordset($4::json) AS y(ord int, line_no int,"
	" qid text, name_ar text, name_en text, result text, reason text, old_expiry date,"
	" new_expiry date, days_left int, fee_dirhams bigint, late_fine_dirhams bigint,"
	" debit_reference text, iban text, delivery_from date, delivery_to date,"
	" flags json, expected_fee_dirhams bigint, expected_late_fine_dirhams bigint,"
	" will_renew boolean, person_status text, remedy text,"
	" blocker_amount_dirhams bigint, remedy_before date)"
	" JOIN x ON x.ord = y.ord JOIN s ON s.verification_code = x.verification_code)"
	" SELECT x.ord, s.id FROM x JOIN s ON s.verification_code = x.verification_code", 4 };

/* Appends st's row (ordinal ord) to rows and its lines to lines. */
static void
statement_rows(const struct statement *st, size_t ord, json_t *rows, json_t *lines)
{
	char date_s[11], exec_s[11];
	json_t *o;
	size_t i;

	date_format(st->cycle_date, date_s);
	date_format(st->execution_date, exec_s);
	json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s}",
	    "ord", (json_int_t)ord, "est_id", st->est_id, "kind", statement_kind_code(st->kind),
	    "cycle_date", date_s, "execution_date", exec_s, "language", st->language,
	    "cap_dirhams", (json_int_t)st->cap_dirhams,
	    "total_dirhams", (json_int_t)st->total_dirhams,
	    "lines_count", (json_int_t)st->nlines, "verification_code", st->verification_code));
	for (i = 0; i < st->nlines; i++) {
		o = statement_line_json(&st->lines[i], st->kind);
		json_object_set_new(o, "line_no", json_integer((json_int_t)(i + 1)));
		json_object_set_new(o, "ord", json_integer((json_int_t)ord));
		json_array_append_new(lines, o);
	}
}

enum rb_err
statement_insert_batch(struct db *db, const struct statement *const *sts, size_t n,
    int64_t cycle_id, int64_t now, int64_t *ids)
{
	json_t *rows = json_array(), *lines = json_array();
	char *rows_doc = NULL, *lines_doc = NULL, cycle[24], at[24];
	const char *p[4];
	PGresult *res = NULL;
	int64_t ord, id;
	size_t i, found = 0;
	enum rb_err rc = RB_OK;
	int r;

	if (n == 0)
		goto out;
	for (i = 0; i < n; i++)
		statement_rows(sts[i], i, rows, lines);
	rows_doc = json_dumps(rows, JSON_COMPACT);
	lines_doc = json_dumps(lines, JSON_COMPACT);
	snprintf(cycle, sizeof(cycle), "%lld", (long long)cycle_id);
	snprintf(at, sizeof(at), "%lld", (long long)now);
	p[0] = rows_doc;
	p[1] = cycle;
	p[2] = at;
	p[3] = lines_doc;
	if ((rc = db_exec_stmt(db, &res, &st_insert, p)) != RB_OK) {
		log_error("statements of %s (%zu): %s", sts[0]->est_id, n, rb_strerror(rc));
		goto out;
	}
	for (r = 0; r < PQntuples(res); r++) {
		if ((rc = db_get_int(res, r, 0, &ord)) != RB_OK ||
		    (rc = db_get_int(res, r, 1, &id)) != RB_OK)
			goto out;
		if (ord < 0 || (size_t)ord >= n) {
			rc = RB_EINTERNAL;
			goto out;
		}
		ids[ord] = id;
		found++;
	}
	if (found != n)
		rc = RB_EINTERNAL;
out:
	PQclear(res);
	free(rows_doc);
	free(lines_doc);
	json_decref(rows);
	json_decref(lines);
	return rc;
}

enum rb_err
statement_insert(struct db *db, const struct statement *st, int64_t cycle_id, int64_t now,
    int64_t *id)
{
	return statement_insert_batch(db, &st, 1, cycle_id, now, id);
}

/* An integer column as JSON; NULL (logged by db_get_int) when it is not one. */
static json_t *
int_col(PGresult *res, int row, int col)
{
	int64_t v;

	return db_get_int(res, row, col, &v) == RB_OK ? json_integer((json_int_t)v) : NULL;
}

/* Builds an object from (key, column) pairs of one row: strings, or integers
 * where the key is in ints. NULL when an integer column is not one. */
static json_t *
row_object(PGresult *res, int row, const char *const *keys, size_t n, unsigned ints)
{
	json_t *o = json_object(), *v;
	size_t i;

	for (i = 0; i < n; i++) {
		if (ints & (1u << i))
			v = int_col(res, row, (int)i);
		else
			v = db_get_str(res, row, (int)i) ?
			    json_string(db_get_str(res, row, (int)i)) : json_null();
		if (v == NULL) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, keys[i], v);
	}
	return o;
}


#define SUMMARY_COLS \
	"s.id, s.est_id, c.name_ar, c.name_en, s.kind, s.cycle_date, s.execution_date," \
	" s.language, s.cap_dirhams, s.total_dirhams, s.lines_count, s.verification_code," \
	" encode(s.sha256, 'hex'), " CLOCK_SQL_ISO("s.created_at") "," \
	/* Renewed, or for an alert will be as things stand: the lines without a */ \
	/* reason. The total covers exactly these. */ \
	" (SELECT count(*) FROM statement_lines l WHERE l.statement_id = s.id" \
	"  AND l.cycle_date = s.cycle_date AND l.reason IS NULL)," \
	" (SELECT count(*) FROM statement_lines l WHERE l.statement_id = s.id" \
	"  AND l.cycle_date = s.cycle_date AND l.reason IS NOT NULL)"
static const char summary_cols[] = SUMMARY_COLS;

static json_t *
summary_json(PGresult *res, int i)
{
	static const char *const keys[] = {
		"id", "est_id", "company_name_ar", "company_name_en", "kind", "cycle_date",
		"execution_date", "language", "cap_dirhams", "total_dirhams", "lines_count",
		"verification_code", "sha256", "created_at", "renewed_count",
		"not_renewed_count",
	};

	return row_object(res, i, keys, sizeof(keys) / sizeof(keys[0]),
	    1u << 0 | 1u << 8 | 1u << 9 | 1u << 10 | 1u << 14 | 1u << 15);
}

/* The filter's parameters $1..$3: company, kind, cycle date (NULL: any). */
static void
filter_params(struct db_params *p, const struct statement_filter *f, char date_s[3][11])
{
	date_format(f->cycle_date, date_s[0]);
	date_format(f->from, date_s[1]);
	date_format(f->to, date_s[2]);
	db_param_str(p, f->est_id);
	db_param_str(p, f->has_kind ? statement_kind_code(f->kind) : NULL);
	db_param_str(p, f->has_date ? date_s[0] : NULL);
	db_param_str(p, f->has_from ? date_s[1] : NULL);
	db_param_str(p, f->has_to ? date_s[2] : NULL);
}

#define FILTER_WHERE \
	" WHERE ($1::text IS NULL OR s.est_id = $1) AND ($2::text IS NULL OR s.kind = $2)" \
	" AND ($3::date IS NULL OR s.cycle_date = $3::date)" \
	" AND ($4::date IS NULL OR s.cycle_date >= $4::date)" \
	" AND ($5::date IS NULL OR s.cycle_date <= $5::date)"

const char statement_list_sql[] = "SELECT " SUMMARY_COLS ", count(*) OVER ()"
	" FROM statements s JOIN companies c ON c.est_id = s.est_id" FILTER_WHERE
	" ORDER BY s.cycle_date DESC, s.est_id, s.kind LIMIT $6 OFFSET $7";

enum rb_err
statement_list(struct db *db, const struct statement_filter *f, int64_t limit,
    int64_t offset, json_t **page)
{
	char date_s[3][11];
	struct db_params p, cp;

	db_params_init(&p);
	db_params_init(&cp);
	filter_params(&p, f, date_s);
	filter_params(&cp, f, date_s);
	db_param_int(&p, limit);
	db_param_int(&p, offset);
	return page_query(db, statement_list_sql, &p, summary_json, limit, offset,
	    "SELECT count(*) FROM statements s" FILTER_WHERE, &cp, page);
}

enum rb_err
statement_company(struct db *db, int64_t id, struct est_id *est)
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	db_params_init(&p);
	db_param_int(&p, id);
	if ((rc = db_exec_p(db, &res, "SELECT est_id FROM statements WHERE id = $1",
	    &p)) != RB_OK)
		return rc;
	rc = PQntuples(res) == 1 ? est_id_parse(PQgetvalue(res, 0, 0), est) : RB_ENOTFOUND;
	PQclear(res);
	return rc;
}

static json_t *
line_json(PGresult *res, int i)
{
	static const char *const keys[] = {
		"line_no", "qid", "name_ar", "name_en", "result", "reason", "old_expiry",
		"new_expiry", "days_left", "fee_dirhams", "late_fine_dirhams",
		"debit_reference", "iban", "delivery_from", "delivery_to",
		"expected_fee_dirhams", "expected_late_fine_dirhams", "person_status",
		"remedy", "blocker_amount_dirhams", "remedy_before",
	};
	json_t *o = row_object(res, i, keys, sizeof(keys) / sizeof(keys[0]),
	    1u << 0 | 1u << 8 | 1u << 9 | 1u << 10 | 1u << 15 | 1u << 16);
	const char *flags = db_get_str(res, i, 21), *will = db_get_str(res, i, 22);
	int64_t amount;

	if (o == NULL)
		return NULL;
	if (flags)
		json_object_set_new(o, "flags", json_loads(flags, 0, NULL));
	/* NULL where the blocker has no amount, a number otherwise. */
	if (db_get_str(res, i, 19) != NULL) {
		if (db_get_int(res, i, 19, &amount) != RB_OK) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, "blocker_amount_dirhams", json_integer(amount));
	}
	json_object_set_new(o, "will_renew", will == NULL ? json_null() :
	    json_boolean(db_get_bool(res, i, 22)));
	return o;
}

enum rb_err
statement_get(struct db *db, int64_t id, json_t **out)
{
	struct db_params p;
	PGresult *res = NULL;
	json_t *lines = NULL, *line;
	char *sql;
	enum rb_err rc;
	int i;

	*out = NULL;
	db_params_init(&p);
	db_param_int(&p, id);
	sql = xasprintf("SELECT %s FROM statements s JOIN companies c ON c.est_id = s.est_id"
	    " WHERE s.id = $1", summary_cols);
	rc = db_exec_p(db, &res, sql, &p);
	free(sql);
	if (rc != RB_OK)
		goto out;
	if (PQntuples(res) != 1) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	if ((*out = summary_json(res, 0)) == NULL) {
		rc = RB_EINTERNAL;
		goto out;
	}
	PQclear(res);
	res = NULL;
	if ((rc = db_exec_p(db, &res, "SELECT line_no, qid, name_ar, name_en, result,"
	    " reason, old_expiry, new_expiry, days_left, fee_dirhams, late_fine_dirhams,"
	    " debit_reference, iban, delivery_from, delivery_to, expected_fee_dirhams,"
	    " expected_late_fine_dirhams, person_status, remedy, blocker_amount_dirhams,"
	    " remedy_before, array_to_json(flags), will_renew"
	    /* The statement's cycle date names the one partition to read. */
	    " FROM statement_lines WHERE statement_id = $1"
	    " AND cycle_date = (SELECT cycle_date FROM statements WHERE id = $1)"
	    " ORDER BY line_no", &p)) != RB_OK)
		goto out;
	lines = json_array();
	for (i = 0; i < PQntuples(res); i++) {
		if ((line = line_json(res, i)) == NULL) {
			rc = RB_EINTERNAL;
			goto out;
		}
		json_array_append_new(lines, line);
	}
	json_object_set_new(*out, "items", lines);
	lines = NULL;
out:
	if (rc != RB_OK) {
		json_decref(*out);
		*out = NULL;
	}
	json_decref(lines);
	PQclear(res);
	return rc;
}

/* The statement matching where (on $1 = key), as the public answer. */
static enum rb_err
verify_by(struct db *db, const char *where, const char *key, json_t **out)
{
	static const char *const keys[] = {
		"est_id", "company_name_ar", "company_name_en", "kind", "cycle_date",
		"verification_code", "sha256",
	};
	struct db_params p;
	PGresult *res = NULL;
	char *sql;
	enum rb_err rc;

	*out = NULL;
	db_params_init(&p);
	db_param_str(&p, key);
	sql = xasprintf("SELECT s.est_id, c.name_ar, c.name_en, s.kind, s.cycle_date,"
	    " s.verification_code, encode(s.sha256, 'hex') FROM statements s"
	    " JOIN companies c ON c.est_id = s.est_id WHERE %s", where);
	rc = db_exec_p(db, &res, sql, &p);
	free(sql);
	if (rc == RB_OK && PQntuples(res) > 0) {
		json_t *o = row_object(res, 0, keys, sizeof(keys) / sizeof(keys[0]), 0);

		*out = json_pack("{s:b}", "valid", 1);
		json_object_update(*out, o);
		json_decref(o);
	}
	PQclear(res);
	return rc;
}

enum rb_err
statement_verify_code(struct db *db, const char *code, json_t **out)
{
	return verify_by(db, "s.verification_code = upper($1)", code, out);
}

enum rb_err
statement_verify_sha256(struct db *db, const uint8_t sha[32], json_t **out)
{
	char hex[65];

	hex_encode(sha, 32, hex);
	return verify_by(db, "s.sha256 = decode($1, 'hex')", hex, out);
}
