#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "store/dashboard_store.h"

/*
 * The cycles chosen, as a CTE every query starts from: $1 and $2 the dates
 * (NULL when by count), $3 how many of the latest (NULL when by date).
 */
#define CHOSEN \
	"WITH chosen AS (SELECT id, cycle_date, completed_at FROM cycles" \
	" WHERE kind = 'execution'" \
	" AND ($1::date IS NULL OR cycle_date >= $1::date)" \
	" AND ($2::date IS NULL OR cycle_date <= $2::date)" \
	" ORDER BY cycle_date DESC LIMIT $3::bigint) "

/*
 * Per cycle: the execution statements and their lines by result, and what
 * the debit report lines of the same cycle say was debited (the bank's
 * answer, not the fees expected).
 */
static const char cycles_sql[] = CHOSEN
	"SELECT c.cycle_date::text, c.completed_at IS NOT NULL,"
	" count(DISTINCT s.id), count(l.line_no),"
	" count(l.line_no) FILTER (WHERE l.result = 'RENEWED'),"
	" count(l.line_no) FILTER (WHERE l.result = 'REJECTED'),"
	" count(l.line_no) FILTER (WHERE l.result = 'EXCLUDED'),"
	" (SELECT count(*) FROM statements d JOIN statement_lines dl ON dl.statement_id = d.id"
	"  WHERE d.cycle_id = c.id AND d.kind = 'debit_report' AND dl.result = 'DEBITED'),"
	" (SELECT coalesce(sum(dl.fee_dirhams), 0) FROM statements d"
	"  JOIN statement_lines dl ON dl.statement_id = d.id"
	"  WHERE d.cycle_id = c.id AND d.kind = 'debit_report' AND dl.result = 'DEBITED')"
	" FROM chosen c LEFT JOIN statements s ON s.cycle_id = c.id AND s.kind = 'execution'"
	" LEFT JOIN statement_lines l ON l.statement_id = s.id"
	" GROUP BY c.id, c.cycle_date, c.completed_at ORDER BY c.cycle_date";

/* The lines not renewed, by cycle and reason (EXCLUDED is a reason too). */
static const char reasons_sql[] = CHOSEN
	"SELECT c.cycle_date::text, l.reason, count(*)"
	" FROM chosen c JOIN statements s ON s.cycle_id = c.id AND s.kind = 'execution'"
	" JOIN statement_lines l ON l.statement_id = s.id"
	" WHERE l.result IN ('REJECTED', 'EXCLUDED') AND l.reason IS NOT NULL"
	" GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2";

/* The debits of the chosen cycles per bank: the IBAN's characters 5-8. */
static const char banks_sql[] = CHOSEN
	"SELECT substr(l.iban, 5, 4), count(*), sum(l.fee_dirhams)"
	" FROM chosen c JOIN statements s ON s.cycle_id = c.id AND s.kind = 'debit_report'"
	" JOIN statement_lines l ON l.statement_id = s.id"
	" WHERE l.result = 'DEBITED' AND l.iban IS NOT NULL"
	" GROUP BY 1 ORDER BY 3 DESC, 1";

static const char pending_sql[] =
	"SELECT count(*) FROM renewal_subscriptions WHERE status = 'pending'";

static void
range_params(struct db_params *p, const struct dashboard_range *rg, char from[11], char to[11])
{
	db_params_init(p);
	if (rg->by_date) {
		date_format(rg->from, from);
		date_format(rg->to, to);
		db_param_str(p, from);
		db_param_str(p, to);
		db_param_str(p, NULL);
	} else {
		db_param_str(p, NULL);
		db_param_str(p, NULL);
		db_param_int(p, rg->last);
	}
}

/* Column col of row i as a number; RB_EINTERNAL (logged by db_get_int) otherwise. */
static enum rb_err
num(const PGresult *res, int i, int col, json_t **out)
{
	int64_t v;
	enum rb_err rc;

	if ((rc = db_get_int(res, i, col, &v)) != RB_OK)
		return rc;
	*out = json_integer((json_int_t)v);
	return RB_OK;
}

static enum rb_err
cycles_json(const PGresult *res, json_t *cycles, json_t *index)
{
	static const char *const names[] = { "companies", "candidates", "renewed", "rejected",
	    "excluded", "debits", "debited_dirhams" };
	enum rb_err rc;
	json_t *c, *v;
	int i, k;

	for (i = 0; i < PQntuples(res); i++) {
		c = json_pack("{s:s, s:b, s:o}", "date", db_get_str(res, i, 0),
		    "completed", db_get_bool(res, i, 1), "rejected_by_reason", json_object());
		json_array_append_new(cycles, c);
		json_object_set(index, db_get_str(res, i, 0), c);
		for (k = 0; k < 7; k++) {
			if ((rc = num(res, i, 2 + k, &v)) != RB_OK)
				return rc;
			json_object_set_new(c, names[k], v);
		}
	}
	return RB_OK;
}

/* Each cycle's reasons, and their sum over the cycles (most frequent first). */
static enum rb_err
reasons_json(const PGresult *res, json_t *index, json_t *totals)
{
	json_t *sum = json_object(), *c, *v;
	const char *reason;
	void *it;
	enum rb_err rc = RB_OK;
	json_int_t n;
	size_t j, k;
	int i;

	for (i = 0; i < PQntuples(res); i++) {
		if ((c = json_object_get(index, db_get_str(res, i, 0))) == NULL ||
		    (rc = num(res, i, 2, &v)) != RB_OK) {
			if (rc == RB_OK)
				log_error("dashboard: reasons of a cycle not chosen");
			rc = RB_EINTERNAL;
			goto out;
		}
		reason = db_get_str(res, i, 1);
		n = json_integer_value(v);
		json_object_set_new(json_object_get(c, "rejected_by_reason"), reason, v);
		json_object_set_new(sum, reason,
		    json_integer(json_integer_value(json_object_get(sum, reason)) + n));
	}
	/* Sorted by count, then by name: the order the chart draws. */
	for (it = json_object_iter(sum); it; it = json_object_iter_next(sum, it))
		json_array_append_new(totals, json_pack("{s:s, s:I}", "reason",
		    json_object_iter_key(it), "count",
		    json_integer_value(json_object_iter_value(it))));
	for (j = 1; j < json_array_size(totals); j++)
		for (k = j; k > 0; k--) {
			json_t *a = json_array_get(totals, k - 1), *b = json_array_get(totals, k);
			json_int_t na = json_integer_value(json_object_get(a, "count"));
			json_int_t nb = json_integer_value(json_object_get(b, "count"));

			if (na > nb || (na == nb && strcmp(json_string_value(json_object_get(a,
			    "reason")), json_string_value(json_object_get(b, "reason"))) <= 0))
				break;
			json_incref(a);
			json_array_set(totals, k - 1, b);
			json_array_set_new(totals, k, a);
		}
out:
	json_decref(sum);
	return rc;
}

static enum rb_err
banks_json(const PGresult *res, json_t *banks)
{
	json_t *n, *d;
	enum rb_err rc;
	int i;

	for (i = 0; i < PQntuples(res); i++) {
		if ((rc = num(res, i, 1, &n)) != RB_OK)
			return rc;
		if ((rc = num(res, i, 2, &d)) != RB_OK) {
			json_decref(n);
			return rc;
		}
		json_array_append_new(banks, json_pack("{s:s, s:o, s:o}", "bank_code",
		    db_get_str(res, i, 0), "debits", n, "debited_dirhams", d));
	}
	return RB_OK;
}

enum rb_err
dashboard_load(struct db *db, const struct dashboard_range *rg, json_t **out)
{
	PGresult *res = NULL;
	struct db_params p;
	char from[11], to[11];
	json_t *d, *cycles, *index = json_object(), *reasons, *banks, *pending = NULL;
	enum rb_err rc;

	*out = NULL;
	d = json_pack("{s:{}, s:[], s:[], s:[]}", "queue", "cycles", "rejections_by_reason",
	    "debits_by_bank");
	cycles = json_object_get(d, "cycles");
	reasons = json_object_get(d, "rejections_by_reason");
	banks = json_object_get(d, "debits_by_bank");
	/* One snapshot: the four queries agree with each other. */
	if ((rc = db_begin(db)) != RB_OK || (rc = db_exec(db, NULL,
	    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL)) != RB_OK)
		goto out;
	if ((rc = db_exec(db, &res, pending_sql, 0, NULL)) != RB_OK ||
	    (rc = num(res, 0, 0, &pending)) != RB_OK)
		goto out;
	json_object_set_new(json_object_get(d, "queue"), "pending", pending);
	PQclear(res);
	res = NULL;
	range_params(&p, rg, from, to);
	if ((rc = db_exec_p(db, &res, cycles_sql, &p)) != RB_OK ||
	    (rc = cycles_json(res, cycles, index)) != RB_OK)
		goto out;
	PQclear(res);
	res = NULL;
	if ((rc = db_exec_p(db, &res, reasons_sql, &p)) != RB_OK ||
	    (rc = reasons_json(res, index, reasons)) != RB_OK)
		goto out;
	PQclear(res);
	res = NULL;
	if ((rc = db_exec_p(db, &res, banks_sql, &p)) != RB_OK ||
	    (rc = banks_json(res, banks)) != RB_OK)
		goto out;
	PQclear(res);
	res = NULL;
	rc = db_commit(db);
out:
	PQclear(res);
	json_decref(index);
	if (rc != RB_OK) {
		db_rollback(db);
		json_decref(d);
		return rc;
	}
	*out = d;
	return RB_OK;
}
