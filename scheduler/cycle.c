#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/date_json.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "reports/statement.h"
#include "scheduler/cycle.h"
#include "scheduler/cycle_messages.h"
#include "store/audit.h"
#include "store/bank.h"
#include "store/renewal_store.h"

/* A verification code: 60 random bits in Crockford base32, XXXX-XXXX-XXXX. */
static enum rb_err
verification_code(char out[24])
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

/* Stores a statement, its lines and its workbook; *id is the new row. */
static enum rb_err
store_statement(struct db *db, struct statement *st, int64_t cycle_id, int64_t now,
    int64_t *id)
{
	static const char *const kinds[] = { "alert", "execution", "debit_report" };
	char cycle_s[24], cap_s[24], total_s[24], n_s[24], now_s[24], date_s[11],
	    exec_s[11], sha_hex[65], id_s[24];
	uint8_t *wb = NULL, sha[32];
	size_t wblen = 0, i;
	const char *p[13];
	int lens[13] = { 0 }, formats[13] = { 0 };
	PGresult *res = NULL;
	json_t *lines = NULL;
	char *doc = NULL;
	enum rb_err rc;

	if ((rc = verification_code(st->verification_code)) != RB_OK ||
	    (rc = statement_workbook(st, &wb, &wblen)) != RB_OK)
		goto out;
	crypto_sha256(wb, wblen, sha);
	hex_encode(sha, 32, sha_hex);
	snprintf(cycle_s, sizeof(cycle_s), "%lld", (long long)cycle_id);
	snprintf(cap_s, sizeof(cap_s), "%lld", (long long)st->cap_dirhams);
	snprintf(total_s, sizeof(total_s), "%lld", (long long)st->total_dirhams);
	snprintf(n_s, sizeof(n_s), "%zu", st->nlines);
	snprintf(now_s, sizeof(now_s), "%lld", (long long)now);
	date_format(st->cycle_date, date_s);
	date_format(st->execution_date, exec_s);
	p[0] = st->est_id;
	p[1] = cycle_s;
	p[2] = kinds[st->kind];
	p[3] = date_s;
	p[4] = exec_s;
	p[5] = st->language;
	p[6] = cap_s;
	p[7] = total_s;
	p[8] = n_s;
	p[9] = st->verification_code;
	p[10] = sha_hex;
	p[11] = (const char *)wb;
	lens[11] = (int)wblen;
	formats[11] = 1;
	p[12] = now_s;
	if ((rc = db_ensure(db)) != RB_OK)
		goto out;
	/* The workbook goes in binary: no hex doubling of megabytes. */
	res = PQexecParams(db->conn,
	    "INSERT INTO statements (est_id, cycle_id, kind, cycle_date, execution_date,"
	    " language, cap_dirhams, total_dirhams, lines_count, verification_code, sha256,"
	    " workbook, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
	    " decode($11, 'hex'), $12::bytea, to_timestamp($13::bigint)) RETURNING id",
	    13, NULL, p, lens, formats, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_error("statement %s %s: %s", st->est_id, p[2], PQresultErrorMessage(res));
		rc = PQstatus(db->conn) == CONNECTION_OK ? RB_ECONFLICT : RB_EDB;
		goto out;
	}
	*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	res = NULL;
	lines = json_array();
	for (i = 0; i < st->nlines; i++) {
		static const struct { unsigned flag; const char *name; } names[] = {
			{ FLAG_EXCLUDED, "EXCLUDED" }, { FLAG_NOT_ACTIVE, "PERSON_NOT_ACTIVE" },
			{ FLAG_ABROAD, "PERSON_ABROAD" }, { FLAG_PASSPORT, "PASSPORT_VALIDITY" },
			{ FLAG_FINES, "OUTSTANDING_FINES" }, { FLAG_OVER_CAP, "CAP_EXCEEDED" },
		};
		const struct stmt_line *l = &st->lines[i];
		json_t *flags = json_array();
		size_t k;

		for (k = 0; st->kind == STMT_ALERT && k < sizeof(names) / sizeof(names[0]); k++)
			if (l->flags & names[k].flag)
				json_array_append_new(flags, json_string(names[k].name));

		json_array_append_new(lines, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?,"
		    " s:o, s:o, s:i, s:I, s:I, s:s?, s:s?, s:o, s:o}",
		    "line_no", (json_int_t)(i + 1), "qid", l->qid,
		    "name_ar", l->name_ar, "name_en", l->name_en,
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
		    "delivery_to", date_json(l->has_delivery, l->delivery_to)));
		json_object_set_new(json_array_get(lines, i), "flags", flags);
	}
	doc = json_dumps(lines, JSON_COMPACT);
	snprintf(id_s, sizeof(id_s), "%lld", (long long)*id);
	p[0] = id_s;
	p[1] = doc;
	rc = db_exec(db, NULL,
	    "INSERT INTO statement_lines (statement_id, line_no, qid, name_ar, name_en,"
	    " result, reason, old_expiry, new_expiry, days_left, fee_dirhams,"
	    " late_fine_dirhams, debit_reference, iban, delivery_from, delivery_to, flags)"
	    " SELECT $1::bigint, line_no, qid, name_ar, name_en, result, reason, old_expiry,"
	    " new_expiry, days_left, fee_dirhams, late_fine_dirhams, debit_reference, iban,"
	    " delivery_from, delivery_to, ARRAY(SELECT json_array_elements_text(flags))"
	    " FROM json_to_recordset($2::json) AS x(line_no int,"
	    " qid text, name_ar text, name_en text, result text, reason text, old_expiry date,"
	    " new_expiry date, days_left int, fee_dirhams bigint, late_fine_dirhams bigint,"
	    " debit_reference text, iban text, delivery_from date, delivery_to date,"
	    " flags json)", 2, p);
out:
	PQclear(res);
	json_decref(lines);
	free(doc);
	free(wb);
	return rc;
}

static void
line_from_decision(struct stmt_line *l, const struct renewal_decision *d,
    struct rb_date statement_date)
{
	const struct renewal_candidate *c = d->c;

	memset(l, 0, sizeof(*l));
	snprintf(l->qid, sizeof(l->qid), "%s", c->qid.s);
	l->name_ar = c->name_ar;
	l->name_en = c->name_en;
	l->result = d->result;
	l->reason = d->reason;
	l->flags = d->flags;
	l->old_expiry = c->expiry;
	l->days_left = c->expiry.days - statement_date.days;
	l->fee_dirhams = d->fee_dirhams;
	l->late_fine_dirhams = d->late_fine_dirhams;
	if (d->result == RES_RENEWED) {
		l->has_new_expiry = 1;
		l->new_expiry = d->new_expiry;
		l->has_delivery = 1;
		l->delivery_from = d->delivery_from;
		l->delivery_to = d->delivery_to;
		snprintf(l->debit_ref, sizeof(l->debit_ref), "%s", d->debit_ref);
	}
}

/* Renewed permits, card deliveries: batch statements over a JSON document. */
static enum rb_err
apply_renewals(struct db *db, const struct renewal_company *co, int64_t cycle_id,
    const struct renewal_decision *d, size_t n, int years)
{
	char cycle_s[24], years_s[4];
	const char *p[4];
	json_t *rows = json_array();
	char *doc;
	enum rb_err rc = RB_OK;
	size_t i;

	for (i = 0; i < n; i++)
		if (d[i].result == RES_RENEWED)
			json_array_append_new(rows, json_pack("{s:s, s:o, s:o, s:o}",
			    "qid", d[i].c->qid.s, "new_expiry", date_json(1, d[i].new_expiry),
			    "from", date_json(1, d[i].delivery_from),
			    "to", date_json(1, d[i].delivery_to)));
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return RB_OK;
	}
	doc = json_dumps(rows, JSON_COMPACT);
	snprintf(cycle_s, sizeof(cycle_s), "%lld", (long long)cycle_id);
	snprintf(years_s, sizeof(years_s), "%d", years);
	p[0] = doc;
	p[1] = years_s;
	rc = db_exec(db, NULL, "UPDATE persons p SET permit_expiry = x.new_expiry,"
	    " permit_last_duration_years = $2::smallint"
	    " FROM json_to_recordset($1::json) AS x(qid text, new_expiry date)"
	    " WHERE p.qid = x.qid", 2, p);
	p[1] = co->est_id;
	p[2] = cycle_s;
	p[3] = co->delivery_address;
	if (rc == RB_OK)
		rc = db_exec(db, NULL, "INSERT INTO card_deliveries (qid, est_id, cycle_id,"
		    " address, window_from, window_to) SELECT x.qid, $2, $3::bigint, $4,"
		    " x.\"from\", x.\"to\" FROM json_to_recordset($1::json)"
		    " AS x(qid text, \"from\" date, \"to\" date)", 4, p);
	free(doc);
	json_decref(rows);
	return rc;
}

/* One company's cycle, inside the caller's transaction. */
static enum rb_err
company_cycle(struct db *db, enum cycle_kind kind, struct rb_date date, int64_t cycle_id,
    const char *est_id, struct cycle_stats *stats)
{
	struct renewal_company co;
	struct renewal_rules rules;
	struct renewal_candidates cands;
	struct renewal_decision *dec = NULL;
	struct renewal_run run;
	struct renewal_bank bank;
	struct bank_sandbox sandbox;
	struct bank_simulated sim;
	struct stmt_line *lines = NULL, *debits = NULL;
	struct statement st, debit_st;
	struct audit_ctx a = { "scheduler", "", clock_now() };
	int64_t total = 0, sid, debit_sid = 0;
	size_t i, nd = 0;
	char target[40];
	json_t *detail;
	enum rb_err rc;

	memset(&cands, 0, sizeof(cands));
	if ((rc = renewal_company_load(db, est_id, &co)) != RB_OK)
		return rc == RB_ENOTFOUND ? RB_OK : rc;
	/* Alerts for every approved subscription; executions only when enabled. */
	if (!co.subscribed || (kind == CYCLE_EXECUTION && !co.enabled))
		goto out;
	memset(&run, 0, sizeof(run));
	run.date = kind == CYCLE_ALERT ? cycle_next_execution(date) : date;
	run.duration_years = co.duration_years;
	run.cap_dirhams = co.cap_dirhams;
	run.rules = &rules;
	if ((rc = renewal_rules_load(db, run.date, &rules)) != RB_OK ||
	    (rc = renewal_candidates_load(db, est_id, run.date, &rules, &cands)) != RB_OK)
		goto out;
	if (kind == CYCLE_EXECUTION) {
		memset(&sandbox, 0, sizeof(sandbox));
		sandbox.db = db;
		sandbox.iban = co.iban;
		sandbox.now = a.now;
		snprintf(sandbox.key_prefix, sizeof(sandbox.key_prefix), "%s:%lld:",
		    est_id, (long long)cycle_id);
		bank_sandbox_init(&sandbox, &bank);
	} else {
		PGresult *res = NULL;
		const char *p[1] = { co.iban };

		if ((rc = db_exec(db, &res, "SELECT balance_dirhams FROM bank_accounts"
		    " WHERE iban = $1", 1, p)) != RB_OK)
			goto out;
		memset(&sim, 0, sizeof(sim));
		sim.balance = PQntuples(res) ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
		PQclear(res);
		bank_simulated_init(&sim, &bank);
	}
	dec = xcalloc(cands.n, sizeof(*dec));
	if ((rc = renewal_decide(&run, cands.items, cands.n, &bank, dec, &total)) != RB_OK)
		goto out;
	lines = xcalloc(cands.n, sizeof(*lines));
	debits = xcalloc(cands.n, sizeof(*debits));
	for (i = 0; i < cands.n; i++) {
		line_from_decision(&lines[i], &dec[i], date);
		if (kind == CYCLE_ALERT) {
			/* An alert announces: nothing was renewed or debited yet. */
			lines[i].result = RES_CANDIDATE;
			lines[i].has_new_expiry = lines[i].has_delivery = 0;
			lines[i].debit_ref[0] = '\0';
		} else if (dec[i].result == RES_RENEWED) {
			debits[nd] = lines[i];
			debits[nd].result = RES_DEBITED;
			snprintf(debits[nd].iban, sizeof(debits[nd].iban), "%s", co.iban);
			nd++;
			stats->renewed++;
		} else
			stats->rejected++;
	}
	memset(&st, 0, sizeof(st));
	memset(&debit_st, 0, sizeof(debit_st));
	st.kind = kind == CYCLE_ALERT ? STMT_ALERT : STMT_EXECUTION;
	snprintf(st.est_id, sizeof(st.est_id), "%s", est_id);
	st.company_ar = co.name_ar;
	st.company_en = co.name_en;
	snprintf(st.language, sizeof(st.language), "%s", co.language);
	st.cycle_date = date;
	st.execution_date = run.date;
	st.cap_dirhams = co.cap_dirhams;
	st.total_dirhams = total;
	st.lines = lines;
	st.nlines = cands.n;
	if ((rc = store_statement(db, &st, cycle_id, a.now, &sid)) != RB_OK)
		goto out;
	stats->statements++;
	if (kind == CYCLE_EXECUTION) {
		debit_st = st;
		debit_st.kind = STMT_DEBIT_REPORT;
		debit_st.lines = debits;
		debit_st.nlines = nd;
		if ((rc = store_statement(db, &debit_st, cycle_id, a.now, &debit_sid)) != RB_OK ||
		    (rc = apply_renewals(db, &co, cycle_id, dec, cands.n,
		    co.duration_years)) != RB_OK)
			goto out;
		stats->statements++;
	}
	if ((rc = cycle_queue_messages(db, a.now, &co, &st, sid, debit_sid,
	    debit_st.verification_code, nd, total)) != RB_OK)
		goto out;
	snprintf(target, sizeof(target), "company:%s", est_id);
	detail = json_pack("{s:s, s:o, s:I, s:I, s:I}", "kind", cycle_kind_name(kind),
	    "date", date_json(1, date), "candidates", (json_int_t)cands.n,
	    "renewed", (json_int_t)nd, "total_dirhams", (json_int_t)total);
	rc = audit_append(db, &a, kind == CYCLE_ALERT ? "cycle.alert" : "cycle.execution",
	    target, detail);
	json_decref(detail);
out:
	free(lines);
	free(debits);
	free(dec);
	renewal_candidates_free(&cands);
	renewal_company_free(&co);
	return rc;
}

/* Creates the cycle and its membership once; *completed when already done. */
static enum rb_err
cycle_open(struct db *db, enum cycle_kind kind, struct rb_date date, int64_t *id,
    int *completed)
{
	char d[11], now_s[24];
	const char *p[3];
	PGresult *res = NULL;
	enum rb_err rc;

	date_format(date, d);
	snprintf(now_s, sizeof(now_s), "%lld", (long long)clock_now());
	p[0] = cycle_kind_name(kind);
	p[1] = d;
	p[2] = now_s;
	if ((rc = db_exec(db, NULL, "INSERT INTO cycles (kind, cycle_date, created_at)"
	    " VALUES ($1, $2, to_timestamp($3::bigint)) ON CONFLICT (kind, cycle_date)"
	    " DO NOTHING", 3, p)) != RB_OK ||
	    (rc = db_exec(db, &res, "SELECT id, completed_at IS NOT NULL FROM cycles"
	    " WHERE kind = $1 AND cycle_date = $2", 2, p)) != RB_OK)
		return rc;
	*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	*completed = PQgetvalue(res, 0, 1)[0] == 't';
	PQclear(res);
	if (*completed)
		return RB_OK;
	snprintf(now_s, sizeof(now_s), "%lld", (long long)*id);
	p[0] = now_s;
	p[1] = kind == CYCLE_ALERT ? "true" : "false";
	return db_exec(db, NULL, "INSERT INTO cycle_companies (cycle_id, est_id)"
	    " SELECT $1::bigint, s.est_id FROM renewal_subscriptions s"
	    " JOIN renewal_settings st ON st.est_id = s.est_id"
	    " WHERE s.status = 'active' AND ($2::bool OR st.enabled)"
	    " ON CONFLICT DO NOTHING", 2, p);
}

enum rb_err
cycle_run(struct db *db, enum cycle_kind kind, struct rb_date date,
    volatile sig_atomic_t *stop, struct cycle_stats *stats)
{
	char id_s[24], est[9], now_s[24], after[9] = "";
	const char *p[3];
	PGresult *res = NULL;
	int64_t id;
	int completed, retries = 0;
	enum rb_err rc;

	memset(stats, 0, sizeof(*stats));
	if ((rc = cycle_open(db, kind, date, &id, &completed)) != RB_OK || completed)
		return rc;
	snprintf(id_s, sizeof(id_s), "%lld", (long long)id);
	p[0] = id_s;
	while (!*stop) {
		if ((rc = db_begin(db)) != RB_OK)
			return rc;
		/* Claims walk forward from the last one: restarting at the first
		 * company every time would step over every finished row's dead
		 * index entry, quadratic in the cycle's size. */
		p[1] = after;
		rc = db_exec(db, &res, "SELECT est_id FROM cycle_companies WHERE cycle_id = $1"
		    " AND done_at IS NULL AND est_id > $2 ORDER BY est_id LIMIT 1"
		    " FOR UPDATE SKIP LOCKED", 2, p);
		if (rc != RB_OK)
			goto fail;
		if (PQntuples(res) == 0) {
			PQclear(res);
			db_rollback(db);
			/* One more pass from the start for what failed or was skipped. */
			if (after[0] == '\0')
				break;
			after[0] = '\0';
			continue;
		}
		snprintf(est, sizeof(est), "%s", PQgetvalue(res, 0, 0));
		snprintf(after, sizeof(after), "%s", est);
		PQclear(res);
		res = NULL;
		if ((rc = company_cycle(db, kind, date, id, est, stats)) != RB_OK)
			goto fail;
		snprintf(now_s, sizeof(now_s), "%lld", (long long)clock_now());
		p[1] = est;
		p[2] = now_s;
		if ((rc = db_exec(db, NULL, "UPDATE cycle_companies SET done_at ="
		    " to_timestamp($3::bigint) WHERE cycle_id = $1 AND est_id = $2", 3, p)) != RB_OK ||
		    (rc = db_commit(db)) != RB_OK)
			goto fail;
		stats->companies++;
		retries = 0;
		continue;
fail:
		db_rollback(db);
		log_error("%s %s: company %s failed: %s", cycle_kind_name(kind), id_s, est,
		    rb_strerror(rc));
		/* A conflict (another instance, a serialization failure) is retried;
		 * anything else stops this run and is retried at the next one. */
		if ((rc != RB_ECONFLICT && rc != RB_ERETRY) || ++retries > 3)
			return rc;
	}
	snprintf(now_s, sizeof(now_s), "%lld", (long long)clock_now());
	p[1] = now_s;
	return db_exec(db, NULL, "UPDATE cycles SET completed_at = to_timestamp($2::bigint)"
	    " WHERE id = $1 AND completed_at IS NULL AND NOT EXISTS (SELECT 1 FROM"
	    " cycle_companies WHERE cycle_id = $1 AND done_at IS NULL)", 2, p);
}
