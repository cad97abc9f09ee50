#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/person_status.h"
#include "lib/crypto.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "store/statement_workbook.h"

/* The header's columns, then the stored workbook (NULL until rendered);
 * the statement is s.id = $1, or the one whose code is $2 (any case). */
#define HEADER_SQL \
	"SELECT s.est_id, s.kind, s.cycle_date::text, s.execution_date::text, s.language," \
	" s.cap_dirhams, s.total_dirhams, s.verification_code, c.name_ar, c.name_en," \
	" s.workbook, s.id FROM statements s JOIN companies c ON c.est_id = s.est_id" \
	" WHERE s.id = $1::bigint OR s.verification_code = upper($2)"
enum { H_EST, H_KIND, H_DATE, H_EXEC, H_LANG, H_CAP, H_TOTAL, H_CODE, H_AR, H_EN, H_WB, H_ID };

/* The lines, in the order the workbook shows them. */
#define LINES_SQL \
	"SELECT qid, name_ar, name_en, result, reason, old_expiry::text, new_expiry::text," \
	" days_left, fee_dirhams, late_fine_dirhams, debit_reference, iban," \
	" delivery_from::text, delivery_to::text, array_to_string(flags, ','), " \
	" expected_fee_dirhams, expected_late_fine_dirhams, will_renew, person_status, remedy," \
	" blocker_amount_dirhams, remedy_before::text" \
	" FROM statement_lines WHERE statement_id = $1" \
	/* the statement's cycle date names the one partition to read */ \
	" AND cycle_date = (SELECT cycle_date FROM statements WHERE id = $1)" \
	" ORDER BY line_no"
const char statement_workbook_lines_sql[] = LINES_SQL;
enum { L_QID, L_AR, L_EN, L_RESULT, L_REASON, L_OLD, L_NEW, L_DAYS, L_FEE, L_FINE, L_REF,
	L_IBAN, L_DFROM, L_DTO, L_FLAGS, L_XFEE, L_XFINE, L_WILL, L_STATUS, L_REMEDY, L_AMOUNT,
	L_BEFORE };

/* The value of an enumeration whose code(i) for i < n is s; -1 when none. */
static int
code_index(const char *s, const char *(*code)(int), int n)
{
	const char *c;
	int i;

	for (i = 0; s != NULL && i < n; i++)
		if ((c = code(i)) != NULL && strcmp(c, s) == 0)
			return i;
	return -1;
}

static const char *result_code(int i) { return renewal_result_code((enum renewal_result)i); }
static const char *reason_code(int i) { return renewal_reason_code((enum renewal_reason)i); }
static const char *remedy_code(int i) { return renewal_remedy_code((enum renewal_remedy)i); }
static const char *flag_code(int i)
{
	const char *c[1];

	return i < 32 && statement_flag_codes(1u << i, c, 1) == 1 ? c[0] : NULL;
}

/* An optional date column: *has 0 for NULL. */
static enum rb_err
opt_date(PGresult *res, int row, int col, int *has, struct rb_date *d)
{
	const char *s = db_get_str(res, row, col);

	*has = s != NULL;
	return s == NULL ? RB_OK : date_parse(s, d);
}

/* The flags column ("EXCLUDED,PASSPORT_VALIDITY") as FLAG_* bits. */
static enum rb_err
flags_of(const char *s, unsigned *flags)
{
	char *copy = xstrdup(s ? s : ""), *save = NULL, *tok;
	enum rb_err rc = RB_OK;
	int bit;

	*flags = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if ((bit = code_index(tok, flag_code, 32)) < 0)
			rc = RB_EINTERNAL;
		else
			*flags |= 1u << bit;
	}
	free(copy);
	return rc;
}

/* Row i of LINES_SQL as the line the engine wrote; names are res's. */
static enum rb_err
line_read(PGresult *res, int i, struct stmt_line *l)
{
	int has_old, result, reason = RR_NONE, remedy = REM_NONE;
	int64_t days;
	enum rb_err rc;

	memset(l, 0, sizeof(*l));
	snprintf(l->qid, sizeof(l->qid), "%s", PQgetvalue(res, i, L_QID));
	l->name_ar = PQgetvalue(res, i, L_AR);
	l->name_en = PQgetvalue(res, i, L_EN);
	snprintf(l->debit_ref, sizeof(l->debit_ref), "%s", PQgetvalue(res, i, L_REF));
	snprintf(l->iban, sizeof(l->iban), "%s", PQgetvalue(res, i, L_IBAN));
	if ((result = code_index(PQgetvalue(res, i, L_RESULT), result_code, RES_DEBITED + 1)) < 0 ||
	    (db_get_str(res, i, L_REASON) &&
	    (reason = code_index(PQgetvalue(res, i, L_REASON), reason_code, RR__MAX)) < 0) ||
	    (db_get_str(res, i, L_REMEDY) &&
	    (remedy = code_index(PQgetvalue(res, i, L_REMEDY), remedy_code, REM__MAX)) < 0) ||
	    (db_get_str(res, i, L_STATUS) &&
	    person_status_parse(PQgetvalue(res, i, L_STATUS), &l->status) != RB_OK))
		return RB_EINTERNAL;
	l->result = (enum renewal_result)result;
	l->reason = (enum renewal_reason)reason;
	l->remedy = (enum renewal_remedy)remedy;
	l->will_renew = db_get_bool(res, i, L_WILL);
	l->has_blocker_amount = db_get_str(res, i, L_AMOUNT) != NULL;
	if ((rc = opt_date(res, i, L_OLD, &has_old, &l->old_expiry)) != RB_OK ||
	    (rc = opt_date(res, i, L_NEW, &l->has_new_expiry, &l->new_expiry)) != RB_OK ||
	    (rc = opt_date(res, i, L_DFROM, &l->has_delivery, &l->delivery_from)) != RB_OK ||
	    (rc = opt_date(res, i, L_DTO, &l->has_delivery, &l->delivery_to)) != RB_OK ||
	    (rc = opt_date(res, i, L_BEFORE, &l->has_remedy_before, &l->remedy_before)) != RB_OK ||
	    (rc = flags_of(db_get_str(res, i, L_FLAGS), &l->flags)) != RB_OK ||
	    (rc = db_get_int(res, i, L_DAYS, &days)) != RB_OK ||
	    (rc = db_get_int(res, i, L_FEE, &l->fee_dirhams)) != RB_OK ||
	    (rc = db_get_int(res, i, L_FINE, &l->late_fine_dirhams)) != RB_OK ||
	    (rc = db_get_int(res, i, L_XFEE, &l->expected_fee_dirhams)) != RB_OK ||
	    (rc = db_get_int(res, i, L_XFINE, &l->expected_late_fine_dirhams)) != RB_OK ||
	    (l->has_blocker_amount &&
	    (rc = db_get_int(res, i, L_AMOUNT, &l->blocker_amount_dirhams)) != RB_OK))
		return rc != RB_OK ? rc : RB_EINTERNAL;
	l->days_left = (int)days;
	return has_old ? RB_OK : RB_EINTERNAL;
}

/* The header row h of HEADER_SQL into st (strings borrowed from h). */
static enum rb_err
header_read(PGresult *h, struct statement *st)
{
	enum rb_err rc;

	memset(st, 0, sizeof(*st));
	snprintf(st->est_id, sizeof(st->est_id), "%s", PQgetvalue(h, 0, H_EST));
	snprintf(st->language, sizeof(st->language), "%s", PQgetvalue(h, 0, H_LANG));
	snprintf(st->verification_code, sizeof(st->verification_code), "%s",
	    PQgetvalue(h, 0, H_CODE));
	st->company_ar = PQgetvalue(h, 0, H_AR);
	st->company_en = PQgetvalue(h, 0, H_EN);
	if ((rc = statement_kind_parse(PQgetvalue(h, 0, H_KIND), &st->kind)) != RB_OK ||
	    (rc = date_parse(PQgetvalue(h, 0, H_DATE), &st->cycle_date)) != RB_OK ||
	    (rc = date_parse(PQgetvalue(h, 0, H_EXEC), &st->execution_date)) != RB_OK ||
	    (rc = db_get_int(h, 0, H_CAP, &st->cap_dirhams)) != RB_OK ||
	    (rc = db_get_int(h, 0, H_TOTAL, &st->total_dirhams)) != RB_OK)
		return RB_EINTERNAL;
	return RB_OK;
}

/* Renders statement id (its header in h) from its stored lines. */
static enum rb_err
render_stored(struct db *db, int64_t id, PGresult *h, statement_render_fn render,
    uint8_t **wb, size_t *len)
{
	struct statement st;
	struct stmt_line *lines = NULL;
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;
	int i, n;

	db_params_init(&p);
	db_param_int(&p, id);
	if ((rc = header_read(h, &st)) != RB_OK ||
	    (rc = db_exec_p(db, &res, statement_workbook_lines_sql, &p)) != RB_OK)
		goto out;
	n = PQntuples(res);
	lines = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*lines));
	for (i = 0; i < n; i++)
		if ((rc = line_read(res, i, &lines[i])) != RB_OK) {
			log_error("statement %lld line %d: not as the cycle writes it",
			    (long long)id, i + 1);
			goto out;
		}
	st.lines = lines;
	st.nlines = (size_t)n;
	rc = render(&st, wb, len);
out:
	free(lines);
	PQclear(res);
	return rc;
}

/* Column col of row 0 (bytea, text format) into a new buffer. */
static enum rb_err
bytes_of(PGresult *res, int col, uint8_t **wb, size_t *len)
{
	unsigned char *raw;

	if ((raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, col), len)) == NULL)
		return RB_EINTERNAL;
	*wb = xmalloc(*len ? *len : 1);
	memcpy(*wb, raw, *len);
	PQfreemem(raw);
	return RB_OK;
}

/*
 * Keeps wb as statement id's workbook unless one is recorded already; in
 * that case *wb becomes the recorded one (the same bytes when rendering is
 * reproducible, and the ones handed out before whatever happens).
 */
static enum rb_err
record(struct db *db, int64_t id, uint8_t **wb, size_t *len)
{
	uint8_t sha[32];
	char hex[65];
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	crypto_sha256(*wb, *len, sha);
	hex_encode(sha, 32, hex);
	db_params_init(&p);
	db_param_int(&p, id);
	db_param_bin(&p, *wb, *len);
	db_param_str(&p, hex);
	/* Row-locked: a second renderer waits, then finds sha256 set. */
	if ((rc = db_exec_p(db, &res, "UPDATE statements SET workbook = $2::bytea,"
	    " sha256 = decode($3, 'hex') WHERE id = $1 AND sha256 IS NULL", &p)) != RB_OK)
		goto out;
	if (strcmp(PQcmdTuples(res), "1") == 0)
		goto out;
	PQclear(res);
	res = NULL;
	db_params_init(&p);
	db_param_int(&p, id);
	if ((rc = db_exec_p(db, &res, "SELECT workbook FROM statements WHERE id = $1"
	    " AND workbook IS NOT NULL", &p)) != RB_OK)
		goto out;
	if (PQntuples(res) != 1) {
		rc = RB_EINTERNAL;
		goto out;
	}
	free(*wb);
	*wb = NULL;
	rc = bytes_of(res, 0, wb, len);
out:
	PQclear(res);
	return rc;
}

/* statement_workbook_get() of the statement whose id is id or whose code is code. */
static enum rb_err
workbook_get(struct db *db, int64_t id, const char *code, statement_render_fn render,
    uint8_t **wb, size_t *len, char name[STATEMENT_FILE_NAME_MAX])
{
	struct db_params p;
	PGresult *h = NULL;
	enum rb_err rc;

	*wb = NULL;
	*len = 0;
	db_params_init(&p);
	db_param_int(&p, id);
	db_param_str(&p, code);
	if ((rc = db_exec_p(db, &h, HEADER_SQL, &p)) != RB_OK)
		goto out;
	if (PQntuples(h) != 1) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	statement_file_name(PQgetvalue(h, 0, H_EST), PQgetvalue(h, 0, H_KIND),
	    PQgetvalue(h, 0, H_DATE), name);
	if (db_get_str(h, 0, H_WB) != NULL)
		rc = bytes_of(h, H_WB, wb, len);
	else if ((rc = db_get_int(h, 0, H_ID, &id)) == RB_OK &&
	    (rc = render_stored(db, id, h, render, wb, len)) == RB_OK)
		rc = record(db, id, wb, len);
out:
	if (rc != RB_OK) {
		free(*wb);
		*wb = NULL;
		*len = 0;
	}
	PQclear(h);
	return rc;
}

enum rb_err
statement_workbook_get(struct db *db, int64_t id, statement_render_fn render, uint8_t **wb,
    size_t *len, char name[STATEMENT_FILE_NAME_MAX])
{
	return workbook_get(db, id, NULL, render, wb, len, name);
}

enum rb_err
statement_workbook_by_code(struct db *db, const char *code, statement_render_fn render,
    uint8_t **wb, size_t *len, char name[STATEMENT_FILE_NAME_MAX])
{
	return workbook_get(db, 0, code, render, wb, len, name);
}

/* Walks forward from the worker's last claim: restarting at the cycle's
 * first statement would step over every rendered row's dead entry in
 * statements_unrendered (sql/036), quadratic in the cycle's size. */
static const struct db_stmt st_claim = { "statement_render_claim",
	"SELECT id FROM statements WHERE cycle_id = $1::bigint AND sha256 IS NULL"
	" AND id > $2::bigint ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", 2 };

enum rb_err
statement_workbook_claim(struct db *db, int64_t cycle_id, int64_t after, int64_t *id)
{
	char c[24], a[24];
	const char *p[2] = { c, a };
	PGresult *res = NULL;
	enum rb_err rc;

	*id = 0;
	snprintf(c, sizeof(c), "%lld", (long long)cycle_id);
	snprintf(a, sizeof(a), "%lld", (long long)after);
	if ((rc = db_exec_stmt(db, &res, &st_claim, p)) != RB_OK)
		return rc;
	if (PQntuples(res) == 1)
		rc = db_get_int(res, 0, 0, id);
	PQclear(res);
	return rc;
}

enum rb_err
statement_workbook_wait(struct db *db, int64_t cycle_id)
{
	struct db_params p;
	enum rb_err rc;

	db_params_init(&p);
	db_param_int(&p, cycle_id);
	/* Not SKIP LOCKED: it queues behind each holder, at most one
	 * rendering each, and locks nothing once it rolls back. */
	if ((rc = db_begin(db)) != RB_OK)
		return rc;
	rc = db_exec_p(db, NULL, "SELECT id FROM statements WHERE cycle_id = $1"
	    " AND sha256 IS NULL FOR UPDATE", &p);
	db_rollback(db);
	return rc;
}

enum rb_err
statement_workbook_unrendered(struct db *db, int64_t cycle_id, int64_t *n)
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	*n = 0;
	db_params_init(&p);
	db_param_int(&p, cycle_id);
	if ((rc = db_exec_p(db, &res, "SELECT count(*) FROM statements WHERE cycle_id = $1"
	    " AND sha256 IS NULL", &p)) != RB_OK)
		return rc;
	rc = db_get_int(res, 0, 0, n);
	PQclear(res);
	return rc;
}
