#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "store/access_store.h"
#include "store/est_array.h"
#include "store/renewal_store.h"
#include "store/subscription_store.h"

static const struct db_stmt st_rules = { "renewal_rules",
	"SELECT fee_per_year_dirhams, three_year_discount_pct, delivery_fee_dirhams,"
	" grace_days, late_fine_per_day_dirhams, late_fine_cap_dirhams, window_days,"
	" passport_months FROM renewal_rules WHERE valid_from <= $1::date"
	" ORDER BY valid_from DESC LIMIT 1", 1 };

/* An integer column into an int field: these columns are smallints, so
 * the range check is the schema's. */
static enum rb_err
get_int_field(const PGresult *res, int row, int col, int *out)
{
	int64_t v;
	enum rb_err rc = db_get_int(res, row, col, &v);

	if (rc == RB_OK)
		*out = (int)v;
	return rc;
}

enum rb_err
renewal_rules_load(struct db *db, struct rb_date date, struct renewal_rules *r)
{
	char d[11];
	const char *p[1] = { d };
	PGresult *res = NULL;
	enum rb_err rc;

	date_format(date, d);
	if ((rc = db_exec_stmt(db, &res, &st_rules, p)) != RB_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	if ((rc = db_get_int(res, 0, 0, &r->fee_per_year_dirhams)) != RB_OK ||
	    (rc = get_int_field(res, 0, 1, &r->three_year_discount_pct)) != RB_OK ||
	    (rc = db_get_int(res, 0, 2, &r->delivery_fee_dirhams)) != RB_OK ||
	    (rc = get_int_field(res, 0, 3, &r->grace_days)) != RB_OK ||
	    (rc = db_get_int(res, 0, 4, &r->late_fine_per_day_dirhams)) != RB_OK ||
	    (rc = db_get_int(res, 0, 5, &r->late_fine_cap_dirhams)) != RB_OK ||
	    (rc = get_int_field(res, 0, 6, &r->window_days)) != RB_OK)
		goto out;
	rc = get_int_field(res, 0, 7, &r->passport_months);
out:
	PQclear(res);
	return rc;
}

/*
 * The companies of a batch, one row each in no set order (est_id is the
 * first column). The mandate holds while its authorizing person is still
 * an acting signatory of the company and its account is still the
 * company's (issue 11 §2): checked at every run, as an execution debits.
 */
static const struct db_stmt st_companies = { "renewal_companies",
	"SELECT c.est_id, c.name_ar, c.name_en, s.status = 'active', st.enabled, st.cap_dirhams,"
	" st.duration_years, st.language, s.iban, st.delivery_address, st.email, st.mobile,"
	" s.status, coalesce(b.balance_dirhams, 0),"
	" b.est_id IS NOT DISTINCT FROM c.est_id AND EXISTS (SELECT 1 FROM"
	"   acting_signatories($2::text[]) g WHERE g.qid = s.authorizing_qid"
	"   AND g.est_id = c.est_id),"
	" coalesce((SELECT sum(amount_dirhams) FROM penalties pn WHERE pn.est_id = c.est_id"
	"   AND pn.state = 'issued' AND pn.amount_dirhams > 0), 0)"
	" FROM companies c JOIN renewal_settings st ON st.est_id = c.est_id"
	" JOIN LATERAL (SELECT status, iban, authorizing_qid FROM renewal_subscriptions"
	"   WHERE est_id = c.est_id" SUBSCRIPTION_CURRENT_ORDER " LIMIT 1) s ON true"
	" LEFT JOIN bank_accounts b ON b.iban = s.iban"
	" WHERE c.est_id = ANY ($1::text[])", 2 };

/* The index of est in ids, or -1. */
static long
est_index(const char *const *ids, size_t n, const char *est)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(ids[i], est) == 0)
			return (long)i;
	return -1;
}

static enum rb_err
company_row(PGresult *res, int row, struct renewal_company *co)
{
	enum rb_err rc;

	snprintf(co->est_id, sizeof(co->est_id), "%s", PQgetvalue(res, row, 0));
	co->name_ar = xstrdup(PQgetvalue(res, row, 1));
	co->name_en = xstrdup(PQgetvalue(res, row, 2));
	co->subscribed = db_get_bool(res, row, 3);
	co->enabled = db_get_bool(res, row, 4);
	if ((rc = db_get_int(res, row, 5, &co->cap_dirhams)) != RB_OK ||
	    (rc = get_int_field(res, row, 6, &co->duration_years)) != RB_OK ||
	    (rc = subscription_status_parse(PQgetvalue(res, row, 12), &co->status)) != RB_OK ||
	    (rc = db_get_int(res, row, 13, &co->balance_dirhams)) != RB_OK ||
	    (rc = db_get_int(res, row, 15, &co->establishment_fines_dirhams)) != RB_OK)
		return rc;
	snprintf(co->language, sizeof(co->language), "%s", PQgetvalue(res, row, 7));
	snprintf(co->iban, sizeof(co->iban), "%s", PQgetvalue(res, row, 8));
	co->delivery_address = xstrdup(PQgetvalue(res, row, 9));
	co->email = xstrdup(PQgetvalue(res, row, 10));
	snprintf(co->mobile, sizeof(co->mobile), "%s", PQgetvalue(res, row, 11));
	co->mandate_valid = db_get_bool(res, row, 14);
	co->found = 1;
	return RB_OK;
}

enum rb_err
renewal_companies_load(struct db *db, const char *const *est_ids, size_t n,
    struct renewal_company *out)
{
	char statuses[AUTHORITY_STATUSES_LEN];
	char *ids = est_array(est_ids, n);
	const char *p[2] = { ids, statuses };
	PGresult *res = NULL;
	enum rb_err rc;
	long k;
	int i;

	memset(out, 0, n * sizeof(*out));
	authority_statuses(statuses);
	if ((rc = db_exec_stmt(db, &res, &st_companies, p)) != RB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++)
		if ((k = est_index(est_ids, n, PQgetvalue(res, i, 0))) >= 0 &&
		    (rc = company_row(res, i, &out[k])) != RB_OK)
			goto out;
out:
	PQclear(res);
	free(ids);
	return rc;
}

void
renewal_company_free(struct renewal_company *co)
{
	free(co->name_ar);
	free(co->name_en);
	free(co->delivery_address);
	free(co->email);
	memset(co, 0, sizeof(*co));
}

/*
 * The window is renewal_is_candidate's to decide: the queries only narrow
 * to a superset (a day past the window, so an index range still serves
 * it) and every row they return is decided in C. One query for a whole
 * batch of companies (est_id first). The cycle narrows it further to the
 * residents its window snapshot names (renewal_window_load), so that a
 * batch reads only its candidates' rows; the preview, a batch of one
 * company, reads its open employments. Both return the same rows for the
 * same facts and are decoded by candidate_row().
 */
#define CANDIDATE_COLS \
	"SELECT p.qid, p.name_ar, p.name_en, p.permit_expiry, p.status, p.in_country," \
	" pp.expiry, p.fines_dirhams, x.qid IS NOT NULL, e.est_id" \
	" FROM employment e JOIN persons p ON p.qid = e.qid" \
	" LEFT JOIN passports pp ON pp.qid = p.qid" \
	" LEFT JOIN renewal_exclusions x ON x.est_id = e.est_id AND x.qid = p.qid" \
	" WHERE e.est_id = ANY ($1::text[]) AND e.ended_on IS NULL AND NOT p.citizen" \
	" AND p.permit_expiry IS NOT NULL AND p.permit_expiry <= $2::date"
#define CANDIDATE_ORDER " ORDER BY e.est_id, p.permit_expiry, p.qid"

static const struct db_stmt st_candidates = { "renewal_candidates",
	CANDIDATE_COLS CANDIDATE_ORDER, 2 };
static const struct db_stmt st_candidates_in = { "renewal_candidates_in",
	CANDIDATE_COLS " AND p.qid = ANY ($3::text[])" CANDIDATE_ORDER, 3 };

/*
 * Expiry window first: the residents whose permit falls in the superset,
 * from the expiry index, with their open employer; a few percent of all
 * residents, read once for the whole cycle.
 */
static const struct db_stmt st_window = { "renewal_window",
	"SELECT e.est_id, p.qid FROM persons p JOIN employment e ON e.qid = p.qid"
	" AND e.ended_on IS NULL WHERE NOT p.citizen AND p.permit_expiry IS NOT NULL"
	" AND p.permit_expiry <= $1::date ORDER BY e.est_id, p.qid", 1 };

/* The first day past the superset the queries read. */
static struct rb_date
superset_of(struct rb_date date, const struct renewal_rules *rules)
{
	struct rb_date superset = { date.days + rules->window_days + 1 };

	return superset;
}

enum rb_err
renewal_window_load(struct db *db, struct rb_date date, const struct renewal_rules *rules,
    struct renewal_window *w)
{
	char d[11];
	const char *p[1] = { d };

	memset(w, 0, sizeof(*w));
	date_format(superset_of(date, rules), d);
	return db_exec_stmt(db, &w->res, &st_window, p);
}

void
renewal_window_free(struct renewal_window *w)
{
	PQclear(w->res);
	memset(w, 0, sizeof(*w));
}

/* The first row of w whose est_id is not before est (rows are sorted). */
static int
window_first(const struct renewal_window *w, const char *est)
{
	int lo = 0, hi = PQntuples(w->res), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(PQgetvalue(w->res, mid, 0), est) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The residents w names for these companies, as a text[] literal; *count of them. */
static char *
window_qids(const struct renewal_window *w, const char *const *est_ids, size_t n,
    size_t *count)
{
	const char **qids = NULL;
	size_t i, k = 0, cap = 0;
	char *lit;
	int r, rows = PQntuples(w->res);

	for (i = 0; i < n; i++)
		for (r = window_first(w, est_ids[i]);
		    r < rows && strcmp(PQgetvalue(w->res, r, 0), est_ids[i]) == 0; r++) {
			if (k == cap) {
				cap = cap ? cap * 2 : 64;
				qids = xrealloc(qids, cap * sizeof(*qids));
			}
			qids[k++] = PQgetvalue(w->res, r, 1);
		}
	/* QIDs are 11 digits (qid_parse, checked as the rows were stored):
	 * the literal needs no quoting. */
	lit = xcalloc(k * 13 + 3, 1);
	lit[0] = '{';
	for (i = 0, r = 1; i < k; i++)
		r += snprintf(lit + r, 14, "%s%.11s", i ? "," : "", qids[i]);
	lit[r] = '}';
	free(qids);
	*count = k;
	return lit;
}

/* One row of the candidates query; RB_EINTERNAL when a column is not what the schema says. */
static enum rb_err
candidate_row(PGresult *res, int i, struct renewal_candidate *c)
{
	const char *passport = db_get_str(res, i, 6);

	memset(c, 0, sizeof(*c));
	if (qid_parse(PQgetvalue(res, i, 0), &c->qid) != RB_OK ||
	    date_parse(PQgetvalue(res, i, 3), &c->expiry) != RB_OK ||
	    person_status_parse(PQgetvalue(res, i, 4), &c->status) != RB_OK ||
	    db_get_int(res, i, 7, &c->fines_dirhams) != RB_OK)
		return RB_EINTERNAL;
	c->name_ar = PQgetvalue(res, i, 1);
	c->name_en = PQgetvalue(res, i, 2);
	c->in_country = db_get_bool(res, i, 5);
	c->has_passport = passport != NULL && date_parse(passport, &c->passport_expiry) == RB_OK;
	c->excluded = db_get_bool(res, i, 8);
	return RB_OK;
}

enum rb_err
renewal_candidates_load(struct db *db, const char *const *est_ids, size_t n,
    struct rb_date date, const struct renewal_rules *rules, const struct renewal_window *w,
    struct renewal_candidates *out, PGresult **res)
{
	char d[11], *ids = est_array(est_ids, n), *qids = NULL;
	const char *p[3] = { ids, d, NULL };
	struct renewal_candidate c;
	size_t nq = 0;
	enum rb_err rc;
	long k;
	int i, rows;

	memset(out, 0, n * sizeof(*out));
	*res = NULL;
	date_format(superset_of(date, rules), d);
	if (w != NULL && w->res != NULL) {
		p[2] = qids = window_qids(w, est_ids, n, &nq);
		/* None of these companies' residents is in the window. */
		rc = nq == 0 ? RB_OK : db_exec_stmt(db, res, &st_candidates_in, p);
	} else
		rc = db_exec_stmt(db, res, &st_candidates, p);
	free(ids);
	free(qids);
	if (rc != RB_OK || *res == NULL)
		return rc;
	rows = PQntuples(*res);
	for (i = 0; i < rows; i++) {
		if ((k = est_index(est_ids, n, PQgetvalue(*res, i, 9))) < 0)
			continue;
		if (candidate_row(*res, i, &c) != RB_OK) {
			rc = RB_EINTERNAL;
			goto fail;
		}
		if (!renewal_is_candidate(rules, c.expiry, date))
			continue;
		/* Rows come grouped by company: grow each list as it fills. */
		if ((out[k].n & (out[k].n - 1)) == 0)
			out[k].items = xrealloc(out[k].items, (out[k].n ? out[k].n * 2 : 1) *
			    sizeof(c));
		out[k].items[out[k].n++] = c;
	}
	return RB_OK;
fail:
	for (k = 0; k < (long)n; k++)
		renewal_candidates_free(&out[k]);
	PQclear(*res);
	*res = NULL;
	return rc;
}

void
renewal_candidates_free(struct renewal_candidates *c)
{
	free(c->items);
	PQclear(c->res);
	memset(c, 0, sizeof(*c));
}
