#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/xalloc.h"
#include "store/report_store.h"

/* Every line of each company's execution statement of the date, counted by result. */
static const char summary_sql[] =
	"SELECT s.est_id, c.name_en, c.name_ar, count(l.line_no),"
	" count(l.line_no) FILTER (WHERE l.result = 'RENEWED'),"
	" count(l.line_no) FILTER (WHERE l.result = 'REJECTED'),"
	" count(l.line_no) FILTER (WHERE l.result = 'EXCLUDED'),"
	" s.total_dirhams, s.cap_dirhams"
	" FROM statements s JOIN companies c ON c.est_id = s.est_id"
	" LEFT JOIN statement_lines l ON l.statement_id = s.id"
	" WHERE s.cycle_date = $1::date AND s.kind = 'execution'"
	" GROUP BY s.id, c.est_id ORDER BY s.est_id";

/*
 * The debits of the date, in one pass: rows with a grouping of 0 are per
 * company and account, rows with 3 per bank (IBAN characters 5-8).
 */
static const char debits_sql[] =
	"SELECT GROUPING(s.est_id, l.iban), s.est_id, min(c.name_en), min(c.name_ar), l.iban,"
	" substr(l.iban, 5, 4), count(*), sum(l.fee_dirhams)"
	" FROM statements s JOIN companies c ON c.est_id = s.est_id"
	" JOIN statement_lines l ON l.statement_id = s.id"
	" WHERE s.cycle_date = $1::date AND s.kind = 'debit_report' AND l.result = 'DEBITED'"
	" GROUP BY GROUPING SETS ((s.est_id, l.iban), (substr(l.iban, 5, 4)))"
	" ORDER BY 1, 2, 5, 6";

void
report_hold_free(struct report_hold *h)
{
	PQclear(h->res);
	free(h->a);
	free(h->b);
	memset(h, 0, sizeof(*h));
}

/*
 * Runs sql, whose one parameter is the cycle date, into a fresh h->res, and
 * gives room for its *n rows in h->a (and h->b when b_size is not 0).
 */
static enum rb_err
load(struct db *db, struct report_hold *h, const char *sql, struct rb_date date,
    size_t a_size, size_t b_size, int *n)
{
	struct db_params p;
	char d[11];
	enum rb_err rc;

	memset(h, 0, sizeof(*h));
	*n = 0;
	date_format(date, d);
	db_params_init(&p);
	db_param_str(&p, d);
	if ((rc = db_exec_p(db, &h->res, sql, &p)) != RB_OK)
		return rc;
	*n = PQntuples(h->res);
	h->a = xcalloc(*n > 0 ? (size_t)*n : 1, a_size);
	if (b_size > 0)
		h->b = xcalloc(*n > 0 ? (size_t)*n : 1, b_size);
	return RB_OK;
}

enum rb_err
report_cycle_load(struct db *db, struct ministry_cycle *cy)
{
	struct report_hold h;
	enum rb_err rc;
	int n;

	if ((rc = load(db, &h, "SELECT completed_at IS NOT NULL FROM cycles"
	    " WHERE kind = 'execution' AND cycle_date = $1::date", cy->date, 1, 0,
	    &n)) != RB_OK)
		goto out;
	if (n == 0)
		rc = RB_ENOTFOUND;
	else
		cy->complete = db_get_bool(h.res, 0, 0);
out:
	report_hold_free(&h);
	return rc;
}

/* A count or sum the database computed: RB_EINTERNAL (logged) if none or below 0. */
static enum rb_err
count(const PGresult *res, int row, int col, int64_t *out)
{
	if (db_get_int(res, row, col, out) != RB_OK)
		return RB_EINTERNAL;
	if (*out < 0) {
		log_error("row %d column %d: a count below zero", row, col);
		return RB_EINTERNAL;
	}
	return RB_OK;
}

static enum rb_err
est(const PGresult *res, int row, int col, struct est_id *out)
{
	const char *s = db_get_str(res, row, col);

	if (est_id_parse(s, out) != RB_OK) {
		log_error("row %d: bad est_id \"%.40s\"", row, s ? s : "(null)");
		return RB_EINTERNAL;
	}
	return RB_OK;
}

enum rb_err
report_execution_load(struct db *db, struct ministry_execution_summary *s,
    struct report_hold *h)
{
	struct ministry_exec_row *rows;
	enum rb_err rc;
	int i, n;

	if ((rc = load(db, h, summary_sql, s->cycle.date, sizeof(*rows), 0, &n)) != RB_OK)
		return rc;
	rows = h->a;
	for (i = 0; i < n && rc == RB_OK; i++) {
		struct ministry_exec_row *x = &rows[i];

		x->name_en = db_get_str(h->res, i, 1);
		x->name_ar = db_get_str(h->res, i, 2);
		if ((rc = est(h->res, i, 0, &x->est)) == RB_OK &&
		    (rc = count(h->res, i, 3, &x->candidates)) == RB_OK &&
		    (rc = count(h->res, i, 4, &x->renewed)) == RB_OK &&
		    (rc = count(h->res, i, 5, &x->rejected)) == RB_OK &&
		    (rc = count(h->res, i, 6, &x->excluded)) == RB_OK &&
		    (rc = count(h->res, i, 7, &x->debited_dirhams)) == RB_OK)
			rc = count(h->res, i, 8, &x->cap_dirhams);
	}
	s->rows = rows;
	s->nrows = (size_t)n;
	return rc;
}

/* A per-bank row: the bank code is four capital letters. */
static enum rb_err
bank_row(const PGresult *res, int i, struct ministry_debit_bank *b)
{
	const char *code = db_get_str(res, i, 5);
	size_t k;

	for (k = 0; code != NULL && k < 4 && isupper((unsigned char)code[k]); k++)
		;
	if (code == NULL || k != 4 || code[4] != '\0') {
		log_error("row %d: bad bank code \"%.40s\"", i, code ? code : "(null)");
		return RB_EINTERNAL;
	}
	memcpy(b->code, code, 5);
	if (count(res, i, 6, &b->debits) != RB_OK)
		return RB_EINTERNAL;
	return count(res, i, 7, &b->total_dirhams);
}

static enum rb_err
company_row(const PGresult *res, int i, struct ministry_debit_company *c)
{
	enum rb_err rc;

	c->name_en = db_get_str(res, i, 2);
	c->name_ar = db_get_str(res, i, 3);
	if ((rc = est(res, i, 1, &c->est)) != RB_OK)
		return rc;
	if (iban_parse(db_get_str(res, i, 4), &c->iban) != RB_OK) {
		log_error("%s: bad IBAN on a debit line", c->est.s);
		return RB_EINTERNAL;
	}
	if ((rc = count(res, i, 6, &c->debits)) != RB_OK)
		return rc;
	return count(res, i, 7, &c->total_dirhams);
}

enum rb_err
report_debits_load(struct db *db, struct ministry_debits *d, struct report_hold *h)
{
	struct ministry_debit_company *companies;
	struct ministry_debit_bank *banks;
	enum rb_err rc;
	int64_t set;
	int i, n;

	if ((rc = load(db, h, debits_sql, d->cycle.date, sizeof(*companies),
	    sizeof(*banks), &n)) != RB_OK)
		return rc;
	companies = h->a;
	banks = h->b;
	for (i = 0; i < n && rc == RB_OK; i++) {
		if ((rc = db_get_int(h->res, i, 0, &set)) != RB_OK)
			break;
		if (set == 0)
			rc = company_row(h->res, i, &companies[d->ncompanies++]);
		else if (set == 3)
			rc = bank_row(h->res, i, &banks[d->nbanks++]);
		else {
			log_error("row %d: grouping %lld", i, (long long)set);
			rc = RB_EINTERNAL;
		}
	}
	d->companies = companies;
	d->banks = banks;
	return rc;
}
