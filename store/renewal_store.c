#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
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

static const struct db_stmt st_company = { "renewal_company",
	"SELECT c.name_ar, c.name_en, s.status = 'active', st.enabled, st.cap_dirhams,"
	" st.duration_years, st.language, s.iban, st.delivery_address, st.email, st.mobile,"
	" s.status"
	" FROM companies c JOIN renewal_settings st ON st.est_id = c.est_id"
	" JOIN LATERAL (SELECT status, iban FROM renewal_subscriptions"
	"   WHERE est_id = c.est_id" SUBSCRIPTION_CURRENT_ORDER " LIMIT 1) s ON true"
	" WHERE c.est_id = $1", 1 };

enum rb_err
renewal_company_load(struct db *db, const char *est_id, struct renewal_company *co)
{
	const char *p[1] = { est_id };
	PGresult *res = NULL;
	enum rb_err rc;

	memset(co, 0, sizeof(*co));
	if ((rc = db_exec_stmt(db, &res, &st_company, p)) != RB_OK)
		return rc;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return RB_ENOTFOUND;
	}
	snprintf(co->est_id, sizeof(co->est_id), "%s", est_id);
	co->name_ar = xstrdup(PQgetvalue(res, 0, 0));
	co->name_en = xstrdup(PQgetvalue(res, 0, 1));
	co->subscribed = db_get_bool(res, 0, 2);
	co->enabled = db_get_bool(res, 0, 3);
	if ((rc = db_get_int(res, 0, 4, &co->cap_dirhams)) != RB_OK ||
	    (rc = get_int_field(res, 0, 5, &co->duration_years)) != RB_OK ||
	    (rc = subscription_status_parse(PQgetvalue(res, 0, 11), &co->status)) != RB_OK) {
		PQclear(res);
		renewal_company_free(co);
		return rc;
	}
	snprintf(co->language, sizeof(co->language), "%s", PQgetvalue(res, 0, 6));
	snprintf(co->iban, sizeof(co->iban), "%s", PQgetvalue(res, 0, 7));
	co->delivery_address = xstrdup(PQgetvalue(res, 0, 8));
	co->email = xstrdup(PQgetvalue(res, 0, 9));
	snprintf(co->mobile, sizeof(co->mobile), "%s", PQgetvalue(res, 0, 10));
	PQclear(res);
	return RB_OK;
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
 * The window is renewal_is_candidate's to decide: the query only narrows to
 * a superset (a day past the window, so an index range still serves it)
 * and every row it returns is decided in C.
 */
static const struct db_stmt st_candidates = { "renewal_candidates",
	"SELECT p.qid, p.name_ar, p.name_en, p.permit_expiry, p.status, p.in_country,"
	" pp.expiry, p.fines_dirhams, x.qid IS NOT NULL"
	" FROM employment e JOIN persons p ON p.qid = e.qid"
	" LEFT JOIN passports pp ON pp.qid = p.qid"
	" LEFT JOIN renewal_exclusions x ON x.est_id = e.est_id AND x.qid = p.qid"
	" WHERE e.est_id = $1 AND e.ended_on IS NULL AND NOT p.citizen"
	" AND p.permit_expiry <= $2::date"
	" ORDER BY p.permit_expiry, p.qid", 2 };

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
renewal_candidates_load(struct db *db, const char *est_id, struct rb_date date,
    const struct renewal_rules *rules, struct renewal_candidates *out)
{
	struct rb_date superset = { date.days + rules->window_days + 1 };
	char d[11];
	const char *p[2] = { est_id, d };
	enum rb_err rc;
	size_t k = 0;
	int i, n;

	memset(out, 0, sizeof(*out));
	date_format(superset, d);
	if ((rc = db_exec_stmt(db, &out->res, &st_candidates, p)) != RB_OK)
		return rc;
	n = PQntuples(out->res);
	out->items = xcalloc((size_t)n, sizeof(*out->items));
	for (i = 0; i < n; i++) {
		struct renewal_candidate *c = &out->items[k];

		if (candidate_row(out->res, i, c) != RB_OK) {
			renewal_candidates_free(out);
			return RB_EINTERNAL;
		}
		if (renewal_is_candidate(rules, c->expiry, date))
			k++;
	}
	out->n = k;
	return RB_OK;
}

void
renewal_candidates_free(struct renewal_candidates *c)
{
	free(c->items);
	PQclear(c->res);
	memset(c, 0, sizeof(*c));
}
