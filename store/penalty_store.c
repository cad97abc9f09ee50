#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date_json.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "store/penalty_store.h"

/* Any fixed number ("pnlt"): with the day, the lock two instances share. */
#define PENALTY_LOCK_KEY_S	"1886285940"

static const struct db_stmt st_rules = { "penalty_rules",
	"SELECT ladder, step, code, coalesce(after_days, 0), coalesce(within_months, 0),"
	" amount_dirhams, suspends FROM penalty_rules ORDER BY ladder, step", 0 };

enum rb_err
penalty_rules_load(struct db *db, struct penalty_ladder_rules out[PL__MAX])
{
	PGresult *res = NULL;
	enum rb_err rc;
	int i, l;

	memset(out, 0, sizeof(*out) * PL__MAX);
	if ((rc = db_exec_stmt(db, &res, &st_rules, NULL)) != RB_OK)
		return rc;
	for (i = 0; i < PQntuples(res); i++) {
		struct penalty_rule *s;
		int64_t step, after, within;

		if ((l = penalty_ladder_parse(PQgetvalue(res, i, 0))) < 0 ||
		    out[l].n >= PENALTY_MAX_STEPS) {
			rc = RB_EINTERNAL;
			goto out;
		}
		s = &out[l].steps[out[l].n++];
		if ((rc = db_get_int(res, i, 1, &step)) != RB_OK ||
		    (rc = db_get_int(res, i, 3, &after)) != RB_OK ||
		    (rc = db_get_int(res, i, 4, &within)) != RB_OK ||
		    (rc = db_get_int(res, i, 5, &s->amount_dirhams)) != RB_OK)
			goto out;
		s->step = (int)step;
		s->after_days = (int)after;
		s->within_months = (int)within;
		s->suspends = db_get_bool(res, i, 6);
		snprintf(s->code, sizeof(s->code), "%s", PQgetvalue(res, i, 2));
	}
	for (l = 0; l < PL__MAX; l++)
		if (!penalty_ladder_valid((enum penalty_ladder)l, &out[l])) {
			log_error("penalty_rules: the %s ladder is incomplete or out of order",
			    penalty_ladder_name((enum penalty_ladder)l));
			rc = RB_EINTERNAL;
		}
out:
	PQclear(res);
	return rc;
}

/*
 * Companies of a compulsory sector not enrolled, with the last step of the
 * not-enrolled ladder of their current licence.
 */
static const struct db_stmt st_not_enrolled = { "penalty_not_enrolled",
	"SELECT c.est_id, to_char(c.licensed_on, 'YYYY-MM-DD'), coalesce(p.step, 0),"
	" to_char(p.issued_on, 'YYYY-MM-DD')"
	" FROM companies c JOIN sectors s ON s.code = c.sector AND s.compulsory"
	" LEFT JOIN LATERAL (SELECT step, issued_on FROM penalties"
	"   WHERE est_id = c.est_id AND ladder = 'not_enrolled' AND licensed_on = c.licensed_on"
	"   ORDER BY step DESC LIMIT 1) p ON true"
	" WHERE NOT c.enrolled AND c.licensed_on IS NOT NULL AND c.licensed_on <= $1::date"
	" ORDER BY c.est_id", 1 };

/* Returns marked inaccurate up to the day that have no penalty yet, in order. */
static const struct db_stmt st_returns = { "penalty_returns",
	"SELECT r.id, r.est_id, to_char((r.returned_at AT TIME ZONE 'Asia/Qatar')::date, 'YYYY-MM-DD')"
	" FROM enrollment_returns r WHERE r.inaccurate"
	" AND (r.returned_at AT TIME ZONE 'Asia/Qatar')::date <= $1::date"
	" AND NOT EXISTS (SELECT 1 FROM penalties p WHERE p.return_id = r.id)"
	" ORDER BY r.returned_at, r.id", 1 };

/* The company's previous inaccurate-data penalty and the date of its return. */
static const struct db_stmt st_prev = { "penalty_prev_inaccurate",
	"SELECT p.step, to_char((r.returned_at AT TIME ZONE 'Asia/Qatar')::date, 'YYYY-MM-DD')"
	" FROM penalties p JOIN enrollment_returns r ON r.id = p.return_id"
	" WHERE p.est_id = $1 AND p.ladder = 'inaccurate_data'"
	" ORDER BY r.returned_at DESC, r.id DESC LIMIT 1", 1 };

/*
 * Issues one penalty and queues its notices in one statement: an email to
 * the company in its language, an SMS to the main user named by its
 * latest enrollment, or to each acting signatory when it never enrolled.
 * ON CONFLICT: a step issued already (unique indexes) issues nothing.
 */
static const struct db_stmt st_issue = { "penalty_issue",
	"WITH p AS (INSERT INTO penalties (est_id, rule_code, ladder, step, licensed_on,"
	"   return_id, issued_on, amount_dirhams, suspends, created_at)"
	"  SELECT $1, r.code, r.ladder, r.step, $4::date, $5::bigint, $6::date,"
	"   r.amount_dirhams, r.suspends, to_timestamp($7::bigint)"
	"  FROM penalty_rules r WHERE r.ladder = $2 AND r.step = $3::int"
	"  ON CONFLICT DO NOTHING RETURNING id, est_id, rule_code, ladder, amount_dirhams),"
	" d AS (SELECT p.*, c.email, c.language AS co_lang, jsonb_build_object('kind', 'penalty',"
	"   'cycle_date', $6::text, 'est_id', p.est_id, 'company_ar', c.name_ar,"
	"   'company_en', c.name_en, 'penalty', p.rule_code, 'ladder', p.ladder,"
	"   'amount_dirhams', p.amount_dirhams, 'penalty_id', p.id) AS doc,"
	"   CASE WHEN p.amount_dirhams > 0 THEN 'fine' ELSE 'warning' END AS what"
	"  FROM p JOIN companies c ON c.est_id = p.est_id),"
	" m AS (INSERT INTO outbox (channel, recipient, language, template, params, est_id, qid,"
	"   next_attempt_at, created_at)"
	"  SELECT x.channel, x.recipient, x.language, x.template, d.doc, d.est_id, x.qid,"
	"   to_timestamp($7::bigint), to_timestamp($7::bigint)"
	"  FROM d CROSS JOIN LATERAL ("
	"   SELECT 'email'::text AS channel, d.email AS recipient, d.co_lang AS language,"
	"    'email.penalty.' || d.what || '.body' AS template, NULL::text AS qid"
	"   UNION ALL SELECT 'sms', e.main_user_mobile, pe.language, 'sms.penalty.' || d.what, pe.qid"
	"    FROM (SELECT main_user_qid, main_user_mobile FROM enrollments"
	"     WHERE est_id = d.est_id ORDER BY submitted_at DESC LIMIT 1) e"
	"    JOIN persons pe ON pe.qid = e.main_user_qid"
	"   UNION ALL SELECT 'sms', pe.mobile, pe.language, 'sms.penalty.' || d.what, pe.qid"
	"    FROM signatories s JOIN persons pe ON pe.qid = s.qid"
	"    WHERE s.est_id = d.est_id AND s.ended_on IS NULL AND pe.status = 'active'"
	"    AND NOT EXISTS (SELECT 1 FROM enrollments WHERE est_id = d.est_id)) x"
	"  RETURNING 1)"
	" SELECT p.id, p.rule_code, p.amount_dirhams, (SELECT count(*) FROM m) FROM p", 7 };

/*
 * Tests only (tests/integration/penalties.c): RB_PENALTY_TEST_CRASH_AFTER=N
 * kills the process (SIGKILL, as a crash) once N penalties are issued,
 * inside the day's transaction, before it commits.
 */
static long
crash_after(void)
{
	const char *v = getenv("RB_PENALTY_TEST_CRASH_AFTER");

	return v ? strtol(v, NULL, 10) : 0;
}

static long crash_seen;

static enum rb_err
issue(struct db *db, const char *est, enum penalty_ladder l, int step,
    const char *licensed_on, const char *return_id, struct rb_date day, int64_t now,
    struct penalty_day_stats *s)
{
	struct audit_ctx a = { "scheduler", "", now };
	const char *p[7];
	char stepbuf[12], daybuf[11], nowbuf[24];
	PGresult *res = NULL;
	json_t *detail;
	long crash = crash_after();
	enum rb_err rc;

	snprintf(stepbuf, sizeof(stepbuf), "%d", step);
	snprintf(nowbuf, sizeof(nowbuf), "%lld", (long long)now);
	date_format(day, daybuf);
	p[0] = est;
	p[1] = penalty_ladder_name(l);
	p[2] = stepbuf;
	p[3] = licensed_on;
	p[4] = return_id;
	p[5] = daybuf;
	p[6] = nowbuf;
	if ((rc = db_exec_stmt(db, &res, &st_issue, p)) != RB_OK)
		return rc;
	if (PQntuples(res) == 1) {
		int64_t id = 0, amount = 0;

		(void)db_get_int(res, 0, 0, &id);
		(void)db_get_int(res, 0, 2, &amount);
		detail = json_pack("{s:I, s:s, s:s, s:i, s:I, s:s}", "id", (json_int_t)id,
		    "rule", PQgetvalue(res, 0, 1), "ladder", p[1], "step", step,
		    "amount_dirhams", (json_int_t)amount, "issued_on", daybuf);
		rc = audit_append(db, &a, "penalty.issue", est, detail);
		json_decref(detail);
		s->issued++;
		if (rc == RB_OK && crash > 0 && ++crash_seen == crash)
			raise(SIGKILL);
	}
	PQclear(res);
	return rc;
}

static enum rb_err
not_enrolled_steps(struct db *db, const struct penalty_ladder_rules *rules,
    struct rb_date day, int64_t now, const char *daybuf, struct penalty_day_stats *s)
{
	const char *p[1] = { daybuf };
	PGresult *res = NULL;
	enum rb_err rc;
	int i, step;

	if ((rc = db_exec_stmt(db, &res, &st_not_enrolled, p)) != RB_OK)
		return rc;
	for (i = 0; i < PQntuples(res) && rc == RB_OK; i++) {
		struct penalty_company_facts f = { .compulsory = 1, .enrolled = 0,
			.has_licensed_on = 1 };
		int64_t last;

		if ((rc = date_parse(PQgetvalue(res, i, 1), &f.licensed_on)) != RB_OK ||
		    (rc = db_get_int(res, i, 2, &last)) != RB_OK)
			break;
		f.last_step = (int)last;
		if (f.last_step > 0 &&
		    (rc = date_parse(PQgetvalue(res, i, 3), &f.last_issued_on)) != RB_OK)
			break;
		if ((step = penalty_not_enrolled_due(rules, &f, day)) > 0)
			rc = issue(db, PQgetvalue(res, i, 0), PL_NOT_ENROLLED, step,
			    PQgetvalue(res, i, 1), NULL, day, now, s);
	}
	PQclear(res);
	return rc;
}

static enum rb_err
inaccurate_steps(struct db *db, const struct penalty_ladder_rules *rules,
    struct rb_date day, int64_t now, const char *daybuf, struct penalty_day_stats *s)
{
	const char *p[1] = { daybuf };
	PGresult *res = NULL, *prev = NULL;
	enum rb_err rc;
	int i;

	if ((rc = db_exec_stmt(db, &res, &st_returns, p)) != RB_OK)
		return rc;
	for (i = 0; i < PQntuples(res) && rc == RB_OK; i++) {
		const char *est = PQgetvalue(res, i, 1);
		struct rb_date on, prev_on = { 0 };
		int64_t prev_step = 0;

		if ((rc = date_parse(PQgetvalue(res, i, 2), &on)) != RB_OK ||
		    (rc = db_exec_stmt(db, &prev, &st_prev, &est)) != RB_OK)
			break;
		if (PQntuples(prev) == 1 &&
		    ((rc = db_get_int(prev, 0, 0, &prev_step)) != RB_OK ||
		    (rc = date_parse(PQgetvalue(prev, 0, 1), &prev_on)) != RB_OK)) {
			PQclear(prev);
			break;
		}
		PQclear(prev);
		rc = issue(db, est, PL_INACCURATE_DATA,
		    penalty_inaccurate_step(rules, (int)prev_step, prev_on, on), NULL,
		    PQgetvalue(res, i, 0), day, now, s);
	}
	PQclear(res);
	return rc;
}

enum rb_err
penalty_day_run(struct db *db, struct rb_date day, int64_t now, struct penalty_day_stats *s)
{
	struct penalty_ladder_rules rules[PL__MAX];
	struct penalty_day_stats here = { 0 };
	char daybuf[11], key[24], issued[12], nowbuf[24];
	const char *p[3];
	PGresult *res = NULL;
	enum rb_err rc;
	int done;

	date_format(day, daybuf);
	snprintf(key, sizeof(key), "%d", (int)day.days);
	if ((rc = db_begin(db)) != RB_OK)
		return rc;
	p[0] = key;
	/* Two instances evaluate a day one after the other; the second finds
	 * it done. */
	if ((rc = db_exec(db, NULL, "SELECT pg_advisory_xact_lock(" PENALTY_LOCK_KEY_S
	    ", $1::int)", 1, p)) != RB_OK)
		goto fail;
	p[0] = daybuf;
	if ((rc = db_exec(db, &res, "SELECT 1 FROM penalty_days WHERE day = $1::date",
	    1, p)) != RB_OK)
		goto fail;
	done = PQntuples(res) > 0;
	PQclear(res);
	if (done) {
		db_rollback(db);
		return RB_OK;
	}
	if ((rc = penalty_rules_load(db, rules)) != RB_OK ||
	    (rc = not_enrolled_steps(db, &rules[PL_NOT_ENROLLED], day, now, daybuf,
	    &here)) != RB_OK ||
	    (rc = inaccurate_steps(db, &rules[PL_INACCURATE_DATA], day, now, daybuf,
	    &here)) != RB_OK)
		goto fail;
	snprintf(issued, sizeof(issued), "%d", here.issued);
	snprintf(nowbuf, sizeof(nowbuf), "%lld", (long long)now);
	p[1] = nowbuf;
	p[2] = issued;
	if ((rc = db_exec(db, NULL, "INSERT INTO penalty_days (day, completed_at, issued)"
	    " VALUES ($1::date, to_timestamp($2::bigint), $3::int)", 3, p)) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK)
		goto fail;
	s->days++;
	s->issued += here.issued;
	if (here.issued > 0)
		log_info("penalties %s: %d issued", daybuf, here.issued);
	return RB_OK;
fail:
	db_rollback(db);
	log_error("penalties %s: %s", daybuf, rb_strerror(rc));
	return rc;
}

enum rb_err
penalty_catch_up(struct db *db, struct rb_date today, int64_t now, volatile sig_atomic_t *stop,
    struct penalty_day_stats *s)
{
	char t[11];
	const char *p[1] = { t };
	PGresult *res = NULL;
	struct rb_date d = today;
	enum rb_err rc;

	memset(s, 0, sizeof(*s));
	date_format(today, t);
	if ((rc = db_exec(db, &res, "SELECT to_char(max(day), 'YYYY-MM-DD') FROM penalty_days"
	    " WHERE day <= $1::date", 1, p)) != RB_OK)
		return rc;
	if (!PQgetisnull(res, 0, 0) && date_parse(PQgetvalue(res, 0, 0), &d) == RB_OK)
		d.days++;
	PQclear(res);
	for (; d.days <= today.days && !(stop && *stop); d.days++)
		if ((rc = penalty_day_run(db, d, now, s)) != RB_OK)
			return rc;
	return RB_OK;
}

static const struct db_stmt st_list = { "penalty_list",
	"SELECT json_build_object('id', p.id, 'est_id', p.est_id, 'company_ar', c.name_ar,"
	" 'company_en', c.name_en, 'rule', p.rule_code, 'ladder', p.ladder, 'step', p.step,"
	" 'issued_on', to_char(p.issued_on, 'YYYY-MM-DD'), 'amount_dirhams', p.amount_dirhams,"
	" 'suspends', p.suspends, 'state', p.state, 'settled_by', p.settled_by,"
	" 'settled_at', to_char(p.settled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" 'note', p.note)::text, count(*) OVER ()"
	" FROM penalties p JOIN companies c ON c.est_id = p.est_id"
	" WHERE ($1::text IS NULL OR p.state = $1) AND ($2::text IS NULL OR p.est_id = $2)"
	" AND ($3::date IS NULL OR p.issued_on >= $3::date)"
	" AND ($4::date IS NULL OR p.issued_on <= $4::date)"
	" ORDER BY p.issued_on DESC, p.id DESC LIMIT $5::int OFFSET $6::int", 6 };

enum rb_err
penalty_list(struct db *db, const struct penalty_filter *f, json_t **out)
{
	char from[11], to[11], limit[12], offset[12];
	const char *p[6];
	PGresult *res = NULL;
	json_t *items = json_array();
	int64_t total = 0;
	enum rb_err rc;
	int i;

	*out = NULL;
	if (f->has_from)
		date_format(f->from, from);
	if (f->has_to)
		date_format(f->to, to);
	snprintf(limit, sizeof(limit), "%d", f->limit);
	snprintf(offset, sizeof(offset), "%d", f->offset);
	p[0] = f->state;
	p[1] = f->est_id;
	p[2] = f->has_from ? from : NULL;
	p[3] = f->has_to ? to : NULL;
	p[4] = limit;
	p[5] = offset;
	if ((rc = db_exec_stmt(db, &res, &st_list, p)) != RB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		json_t *item = json_loads(PQgetvalue(res, i, 0), 0, NULL);

		if (item == NULL) {
			rc = RB_EINTERNAL;
			goto out;
		}
		json_array_append_new(items, item);
		if (i == 0 && (rc = db_get_int(res, 0, 1, &total)) != RB_OK)
			goto out;
	}
	*out = json_pack("{s:O, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total,
	    "limit", f->limit, "offset", f->offset);
out:
	json_decref(items);
	PQclear(res);
	return rc;
}

/* The workbook's rows: dates as days since 1970-01-01, settled_at as its
 * Qatar date; one more than the limit is asked for, to tell "too many". */
static const struct db_stmt st_report = { "penalty_report",
	"SELECT p.id, p.est_id, c.name_en, c.name_ar, p.rule_code, p.ladder = 'inaccurate_data',"
	" p.step, p.issued_on - date '1970-01-01', p.amount_dirhams, p.suspends, p.state,"
	" (p.settled_at AT TIME ZONE 'Asia/Qatar')::date - date '1970-01-01', p.settled_by, p.note"
	" FROM penalties p JOIN companies c ON c.est_id = p.est_id"
	" WHERE p.issued_on BETWEEN $1::date AND $2::date"
	" AND ($3::text IS NULL OR p.state = $3) AND ($4::text IS NULL OR p.est_id = $4)"
	" ORDER BY p.issued_on, p.id LIMIT $5::bigint", 5 };

static char *
dup_or_null(const PGresult *res, int row, int col)
{
	const char *v = db_get_str(res, row, col);

	return v != NULL ? xstrdup(v) : NULL;
}

void
penalty_report_free(struct penalty_report *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nrows; i++) {
		free(p->rows[i].name_en);
		free(p->rows[i].name_ar);
		free(p->rows[i].rule_code);
		free(p->rows[i].settled_by);
		free(p->rows[i].note);
	}
	free(p->rows);
	p->rows = NULL;
	p->nrows = 0;
}

enum rb_err
penalty_report_load(struct db *db, const struct penalty_filter *f, size_t max_rows,
    struct penalty_report *out)
{
	char from[11], to[11], limit[24];
	const char *p[5];
	PGresult *res = NULL;
	enum rb_err rc;
	int i, n;

	memset(out, 0, sizeof(*out));
	if (!f->has_from || !f->has_to || max_rows == 0 || max_rows > 10000000)
		return RB_EINVAL;
	out->from = f->from;
	out->to = f->to;
	date_format(f->from, from);
	date_format(f->to, to);
	snprintf(limit, sizeof(limit), "%zu", max_rows + 1);
	p[0] = from;
	p[1] = to;
	p[2] = f->state;
	p[3] = f->est_id;
	p[4] = limit;
	if ((rc = db_exec_stmt(db, &res, &st_report, p)) != RB_OK)
		return rc;
	if ((size_t)(n = PQntuples(res)) > max_rows) {
		rc = RB_ETOOLARGE;
		goto out;
	}
	out->rows = n > 0 ? xcalloc((size_t)n, sizeof(*out->rows)) : NULL;
	for (i = 0; i < n; i++) {
		struct penalty_report_row *x = &out->rows[i];
		const char *state = PQgetvalue(res, i, 10);
		int64_t step, issued, settled = 0;

		out->nrows++;
		x->name_en = dup_or_null(res, i, 2);
		x->name_ar = dup_or_null(res, i, 3);
		x->rule_code = dup_or_null(res, i, 4);
		x->settled_by = dup_or_null(res, i, 12);
		x->note = dup_or_null(res, i, 13);
		snprintf(x->est.s, sizeof(x->est.s), "%s", PQgetvalue(res, i, 1));
		x->inaccurate = db_get_bool(res, i, 5);
		x->suspends = db_get_bool(res, i, 9);
		x->has_settled = !PQgetisnull(res, i, 11);
		x->state = strcmp(state, "paid") == 0 ? PEN_PAID :
		    strcmp(state, "waived") == 0 ? PEN_WAIVED : PEN_ISSUED;
		if ((rc = db_get_int(res, i, 0, &x->id)) != RB_OK ||
		    (rc = db_get_int(res, i, 6, &step)) != RB_OK ||
		    (rc = db_get_int(res, i, 7, &issued)) != RB_OK ||
		    (rc = db_get_int(res, i, 8, &x->amount_dirhams)) != RB_OK ||
		    (x->has_settled && (rc = db_get_int(res, i, 11, &settled)) != RB_OK))
			goto out;
		x->step = (int)step;
		x->issued_on.days = (int32_t)issued;
		x->settled_on.days = (int32_t)settled;
	}
out:
	PQclear(res);
	if (rc != RB_OK)
		penalty_report_free(out);
	return rc;
}

/*
 * Settles in the caller's transaction. A reviewer who signs for or works
 * at the company cannot settle its penalties (separation of duties, as
 * for its subscription): RB_EFORBIDDEN.
 */
enum rb_err
penalty_settle(struct db *db, const struct audit_ctx *a, const char *actor_qid, int64_t id,
    const char *state, const char *note, json_t **out)
{
	char idbuf[24], nowbuf[24];
	const char *p[5];
	PGresult *res = NULL;
	json_t *detail;
	enum rb_err rc;

	*out = NULL;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	snprintf(nowbuf, sizeof(nowbuf), "%lld", (long long)a->now);
	p[0] = idbuf;
	p[1] = actor_qid;
	if ((rc = db_exec(db, &res, "SELECT p.state, p.amount_dirhams > 0, p.est_id,"
	    " EXISTS (SELECT 1 FROM signatories s WHERE s.est_id = p.est_id AND s.qid = $2"
	    "   AND s.ended_on IS NULL)"
	    " OR EXISTS (SELECT 1 FROM employment e WHERE e.est_id = p.est_id AND e.qid = $2"
	    "   AND e.ended_on IS NULL)"
	    " FROM penalties p WHERE p.id = $1::bigint FOR UPDATE", 2, p)) != RB_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = RB_ENOTFOUND;
	else if (db_get_bool(res, 0, 3))
		rc = RB_EFORBIDDEN;
	else if (strcmp(PQgetvalue(res, 0, 0), "issued") != 0 ||
	    (strcmp(state, "paid") == 0 && !db_get_bool(res, 0, 1)))
		rc = RB_ECONFLICT;
	if (rc != RB_OK) {
		PQclear(res);
		return rc;
	}
	detail = json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)id, "state", state, "note", note);
	rc = audit_append(db, a, strcmp(state, "paid") == 0 ? "penalty.paid" : "penalty.waive",
	    PQgetvalue(res, 0, 2), detail);
	json_decref(detail);
	PQclear(res);
	res = NULL;
	if (rc != RB_OK)
		return rc;
	p[1] = state;
	p[2] = a->actor;
	p[3] = nowbuf;
	p[4] = note;
	if ((rc = db_exec(db, NULL, "UPDATE penalties SET state = $2, settled_by = $3,"
	    " settled_at = to_timestamp($4::bigint), note = $5 WHERE id = $1::bigint", 5, p)) !=
	    RB_OK)
		return rc;
	if ((rc = db_exec(db, &res, "SELECT json_build_object('id', id, 'est_id', est_id,"
	    " 'rule', rule_code, 'state', state, 'amount_dirhams', amount_dirhams,"
	    " 'settled_by', settled_by, 'note', note)::text FROM penalties"
	    " WHERE id = $1::bigint", 1, p)) == RB_OK &&
	    (*out = json_loads(PQgetvalue(res, 0, 0), 0, NULL)) == NULL)
		rc = RB_EINTERNAL;
	PQclear(res);
	return rc;
}
