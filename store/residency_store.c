#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/contact.h"
#include "domain/residency_view.h"
#include "lib/clock.h"
#include "lib/date_json.h"
#include "lib/instant_json.h"
#include "notify/message_render.h"
#include "store/access_store.h"
#include "store/renewal_plan.h"
#include "store/residency_store.h"

/* The person, their sponsor (the latest employment that has not ended:
 * for a resident the employer is the sponsor) and a pending number. */
static const char person_sql[] =
	"SELECT p.name_ar, p.name_en, p.citizen, p.language, p.permit_expiry::text,"
	" p.status, p.mobile, p.mobile_verified, e.est_id, c.name_ar, c.name_en,"
	" v.mobile, " CLOCK_SQL_EPOCH("v.expires_at")
	" FROM persons p"
	" LEFT JOIN LATERAL (SELECT est_id FROM employment WHERE qid = p.qid"
	"  AND ended_on IS NULL ORDER BY since DESC, est_id LIMIT 1) e ON true"
	" LEFT JOIN companies c ON c.est_id = e.est_id"
	" LEFT JOIN mobile_verifications v ON v.qid = p.qid AND v.status = 'pending'"
	" WHERE p.qid = $1";

/* The person's line of the latest execution statement that has one. */
static const char last_sql[] =
	"SELECT s.cycle_date::text, s.est_id, c.name_ar, c.name_en, l.result, l.reason,"
	" l.old_expiry::text, l.new_expiry::text, l.delivery_from::text,"
	" l.delivery_to::text"
	" FROM statement_lines l JOIN statements s ON s.id = l.statement_id"
	" JOIN companies c ON c.est_id = s.est_id"
	" WHERE l.qid = $1 AND s.kind = 'execution'"
	" ORDER BY s.cycle_date DESC, s.id DESC LIMIT 1";

/* A "YYYY-MM-DD" column as a JSON date, or null. */
static json_t *
date_col(const PGresult *res, int row, int col)
{
	struct rb_date d = { 0 };
	const char *s = db_get_str(res, row, col);

	return date_json(s != NULL && date_parse(s, &d) == RB_OK, d);
}

/* The page shows which number, not the whole of it. */
static json_t *
masked(const char *m)
{
	char out[MOBILE_MASK_SZ];

	if (m == NULL)
		return json_null();
	mobile_mask(m, out);
	return json_string(out);
}

/* The next execution for the person: the plan of their sponsor's run,
 * decided by the engine as the preview does, and the person's line in it. */
static enum rb_err
next_execution(struct db *db, const struct catalog *cat, const struct qid *qid,
    const PGresult *pr, struct rb_date today, json_t **out)
{
	struct renewal_plan plan;
	struct resident_facts f;
	struct resident_view v;
	struct rb_date date = cycle_execution_from(today), expiry = date, due = date;
	const char *lang = db_get_str(pr, 0, 3), *est = db_get_str(pr, 0, 8);
	const char *expiry_s = db_get_str(pr, 0, 4);
	char key[64], err[200];
	char *text = NULL;
	json_t *o, *params;
	enum rb_err rc = RB_OK;
	size_t i;
	int has_due = 0;

	*out = NULL;
	memset(&plan, 0, sizeof(plan));
	memset(&f, 0, sizeof(f));
	f.citizen = db_get_bool(pr, 0, 2) || expiry_s == NULL ||
	    date_parse(expiry_s, &expiry) != RB_OK;
	f.has_sponsor = est != NULL;
	if (!f.citizen && f.has_sponsor) {
		rc = renewal_plan_load(db, est, date, &plan);
		if (rc == RB_ENOTFOUND && plan.missing == PLAN_NO_COMPANY)
			rc = RB_OK;
		else if (rc == RB_OK && (rc = renewal_plan_simulate(&plan)) == RB_OK) {
			f.company_found = 1;
			f.state = renewal_state_of(plan.co.status, plan.co.enabled);
			for (i = 0; i < plan.cands.n; i++)
				if (strcmp(plan.dec[i].c->qid.s, qid->s) == 0)
					f.d = &plan.dec[i];
		}
		if (rc != RB_OK)
			goto out;
		/* Not yet in the window: the first execution that will consider it. */
		if (f.company_found && f.d == NULL) {
			due = cycle_execution_from((struct rb_date){ expiry.days -
			    plan.rules.window_days });
			has_due = 1;
		}
	}
	resident_view_of(&f, &v);
	resident_message_key(&v, key, sizeof(key));
	params = json_pack("{s:s?, s:s?, s:o, s:I, s:i}",
	    "company_ar", db_get_str(pr, 0, 9), "company_en", db_get_str(pr, 0, 10),
	    "execution_date", date_json(1, date),
	    "fines_dirhams", (json_int_t)(f.d ? f.d->c->fines_dirhams : 0),
	    "months", plan.rules.passport_months);
	json_object_set_new(params, "due_from", date_json(has_due, due));
	json_object_set_new(params, "new_expiry",
	    date_json(f.d != NULL && f.d->has_new_expiry, f.d ? f.d->new_expiry : date));
	if (f.d != NULL)
		json_object_set_new(params, "fee_dirhams",
		    json_integer((json_int_t)f.d->fee_dirhams));
	/* The words are the catalogue's; a missing sentence is a bug the
	 * tests catch, not a reason to fail the whole page. */
	if (message_render(cat, lang, key, params, &text, err, sizeof(err)) != RB_OK) {
		free(text);
		text = NULL;
	}
	o = json_pack("{s:o, s:b, s:s, s:s?, s:s?, s:o, s:s?, s:s?}",
	    "date", date_json(1, date), "included", v.included,
	    "outlook", resident_outlook_code(v.outlook),
	    "reason", resident_reason_code(&v), "action", resident_action_code(v.action),
	    "amount_dirhams", v.has_amount ? json_integer((json_int_t)v.amount_dirhams) :
	    json_null(),
	    "message_key", key, "message", text);
	json_object_set_new(o, "due_from", date_json(has_due, due));
	json_object_set_new(o, "new_expiry", json_incref(json_object_get(params, "new_expiry")));
	json_object_set_new(o, "fee_dirhams", f.d && v.included ?
	    json_integer((json_int_t)renewal_debited(f.d)) : json_null());
	json_decref(params);
	free(text);
	*out = o;
out:
	renewal_plan_free(&plan);
	return rc;
}

static enum rb_err
last_execution(struct db *db, const struct qid *qid, json_t **out)
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	*out = NULL;
	db_params_init(&p);
	db_param_str(&p, qid->s);
	if ((rc = db_exec_p(db, &res, last_sql, &p)) != RB_OK)
		return rc;
	if (PQntuples(res) == 0)
		*out = json_null();
	else
		*out = json_pack("{s:o, s:s, s:s, s:s, s:s, s:s?, s:o, s:o, s:o, s:o}",
		    "date", date_col(res, 0, 0), "est_id", db_get_str(res, 0, 1),
		    "company_name_ar", db_get_str(res, 0, 2),
		    "company_name_en", db_get_str(res, 0, 3), "result", db_get_str(res, 0, 4),
		    "reason", db_get_str(res, 0, 5), "old_expiry", date_col(res, 0, 6),
		    "new_expiry", date_col(res, 0, 7), "delivery_from", date_col(res, 0, 8),
		    "delivery_to", date_col(res, 0, 9));
	PQclear(res);
	return RB_OK;
}

enum rb_err
residency_load(struct db *db, const struct catalog *cat, const struct qid *qid,
    struct rb_date today, json_t **out)
{
	struct db_params p;
	struct rb_date expiry;
	PGresult *res = NULL;
	json_t *o = NULL, *me = NULL, *next = NULL, *last = NULL, *permit, *sponsor, *pending;
	const char *expiry_s;
	enum rb_err rc;

	*out = NULL;
	db_params_init(&p);
	db_param_str(&p, qid->s);
	if ((rc = db_exec_p(db, &res, person_sql, &p)) != RB_OK)
		goto out;
	if (PQntuples(res) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	if ((rc = next_execution(db, cat, qid, res, today, &next)) != RB_OK ||
	    (rc = last_execution(db, qid, &last)) != RB_OK ||
	    (rc = access_me_load(db, qid, today, &me)) != RB_OK)
		goto out;
	expiry_s = db_get_str(res, 0, 4);
	if (expiry_s != NULL && date_parse(expiry_s, &expiry) == RB_OK)
		permit = json_pack("{s:o, s:i, s:b}", "expiry", date_json(1, expiry),
		    "days_left", (int)(expiry.days - today.days),
		    "expired", expiry.days < today.days);
	else
		permit = json_null();
	sponsor = db_get_str(res, 0, 8) == NULL ? json_null() :
	    json_pack("{s:s, s:s, s:s}", "est_id", db_get_str(res, 0, 8),
	    "name_ar", db_get_str(res, 0, 9), "name_en", db_get_str(res, 0, 10));
	pending = db_get_str(res, 0, 11) == NULL ? json_null() :
	    json_pack("{s:o, s:o}", "mobile", masked(db_get_str(res, 0, 11)),
	    "expires_at", instant_json(res, 0, 12));
	o = json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:o, s:o, s:{s:o, s:b, s:o}}",
	    "qid", qid->s, "name_ar", db_get_str(res, 0, 0), "name_en", db_get_str(res, 0, 1),
	    "citizen", db_get_bool(res, 0, 2), "language", db_get_str(res, 0, 3),
	    "status", db_get_str(res, 0, 5), "permit", permit, "sponsor", sponsor,
	    "mobile", "number", masked(db_get_str(res, 0, 6)),
	    "verified", db_get_bool(res, 0, 7), "pending", pending);
	json_object_set_new(o, "next_execution", next);
	json_object_set_new(o, "last_execution", last);
	json_object_set(o, "grants", json_object_get(me, "grants"));
	next = last = NULL;
	*out = o;
out:
	json_decref(next);
	json_decref(last);
	json_decref(me);
	PQclear(res);
	return rc;
}
