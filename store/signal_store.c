#include <stdio.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/date.h"
#include "notify/outbox.h"
#include "store/page.h"
#include "store/signal_store.h"

/* The sign-ins of the Qatar day $D (a date) up to the instant $T. */
#define SAME_DAY(d, t)							\
	" s.at >= (" d "::date::timestamp AT TIME ZONE 'Asia/Qatar')"	\
	" AND s.at < ((" d "::date + 1)::timestamp AT TIME ZONE 'Asia/Qatar')"	\
	" AND s.at <= to_timestamp(" t "::bigint)"

/* Tells the people of the raised signal id's details->key (usernames;
 * those that are registered persons get the SMS). */
static enum rb_err
tell(struct db *db, int64_t now, int64_t id, const char *key, const char *address)
{
	struct db_params p;
	PGresult *r = NULL;
	enum rb_err rc;

	db_params_init(&p);
	db_param_int(&p, id);
	db_param_str(&p, key);
	/* Usernames are QIDs or [a-z0-9-] names (checked at sign-in): safe
	 * inside an array literal. */
	rc = db_exec_p(db, &r, "SELECT '{' || coalesce(string_agg(u, ','), '') || '}'"
	    " FROM signals s, jsonb_array_elements_text(s.details->$2::text) u"
	    " WHERE s.id = $1", &p);
	if (rc == RB_OK)
		rc = outbox_signin_new_place(db, now, db_get_str(r, 0, 0), address);
	PQclear(r);
	return rc;
}

/* Runs an INSERT ... RETURNING id of a signal; *id 0 when it was raised
 * before in the period (ON CONFLICT DO NOTHING) or not completed. */
static enum rb_err
raise_signal(struct db *db, const char *sql, const struct db_params *p, int64_t *id)
{
	PGresult *r = NULL;
	enum rb_err rc;

	*id = 0;
	if ((rc = db_exec_p(db, &r, sql, p)) == RB_OK && PQntuples(r) == 1)
		rc = db_get_int(r, 0, 0, id);
	PQclear(r);
	return rc;
}

enum rb_err
signal_signin(struct db *db, int64_t now, const char *username, const char *addr,
    const char *ua, const struct signal_limits *lim, int *raised)
{
	char day[11];
	struct db_params p;
	int evidence = signal_addr_counts(addr);
	int64_t id;
	enum rb_err rc;

	*raised = 0;
	date_format(date_of_instant_qatar(now), day);
	db_params_init(&p);
	db_param_str(&p, username);
	db_param_str(&p, addr);
	db_param_str(&p, ua);
	db_param_str(&p, evidence ? "true" : "false");
	db_param_int(&p, now);
	if ((rc = db_exec_p(db, NULL, "INSERT INTO signins (username, client_addr,"
	    " user_agent, evidence, at) VALUES ($1, $2, $3, $4::bool,"
	    " to_timestamp($5::bigint))", &p)) != RB_OK || !evidence)
		return rc;

	/* One address, many people in a day. */
	db_params_init(&p);
	db_param_str(&p, addr);
	db_param_str(&p, day);
	db_param_int(&p, now);
	db_param_int(&p, lim->people_per_address);
	rc = raise_signal(db, "INSERT INTO signals (kind, subject, period, details, raised_at)"
	    " SELECT 'shared_address', $1, $2, jsonb_build_object('address', $1::text,"
	    " 'day', $2::text, 'people', count(DISTINCT s.username),"
	    " 'usernames', jsonb_agg(DISTINCT s.username)), to_timestamp($3::bigint)"
	    " FROM signins s WHERE s.evidence AND s.client_addr = $1 AND" SAME_DAY("$2", "$3")
	    " HAVING count(DISTINCT s.username) >= $4::bigint"
	    " ON CONFLICT (kind, subject, period) DO NOTHING RETURNING id", &p, &id);
	if (rc == RB_OK && id != 0) {
		(*raised)++;
		rc = tell(db, now, id, "usernames", addr);
	}
	if (rc != RB_OK)
		return rc;

	/* One account, many addresses within an hour. */
	db_params_init(&p);
	db_param_str(&p, username);
	db_param_int(&p, now);
	db_param_int(&p, lim->addresses_per_account);
	rc = raise_signal(db, "INSERT INTO signals (kind, subject, period, details, raised_at)"
	    " SELECT 'many_addresses', $1, to_char(date_trunc('hour', to_timestamp($2::bigint)"
	    " AT TIME ZONE 'UTC'), 'YYYY-MM-DD\"T\"HH24\":00Z\"'),"
	    " jsonb_build_object('username', $1::text, 'addresses',"
	    " jsonb_agg(DISTINCT s.client_addr), 'count', count(DISTINCT s.client_addr),"
	    " 'usernames', jsonb_build_array($1::text)), to_timestamp($2::bigint)"
	    " FROM signins s WHERE s.evidence AND s.username = $1"
	    " AND s.at > to_timestamp($2::bigint - 3600) AND s.at <= to_timestamp($2::bigint)"
	    " HAVING count(DISTINCT s.client_addr) >= $3::bigint"
	    " ON CONFLICT (kind, subject, period) DO NOTHING RETURNING id", &p, &id);
	if (rc == RB_OK && id != 0) {
		(*raised)++;
		rc = tell(db, now, id, "usernames", addr);
	}
	return rc;
}

enum rb_err
signal_signatory_act(struct db *db, int64_t now, const char *signatory,
    const char *est, const char *addr, const char *act, int *raised)
{
	char day[11];
	struct db_params p;
	int64_t id;
	enum rb_err rc;

	*raised = 0;
	if (!signal_addr_counts(addr))
		return RB_OK;
	date_format(date_of_instant_qatar(now), day);
	db_params_init(&p);
	db_param_str(&p, signatory);
	db_param_str(&p, est);
	db_param_str(&p, addr);
	db_param_str(&p, day);
	db_param_int(&p, now);
	db_param_str(&p, act);
	/* Representatives: people offered or holding a grant of the company
	 * (this very act's grantee included). None of them can be granted
	 * the act itself: granting is the signatory's own. */
	rc = raise_signal(db, "INSERT INTO signals (kind, subject, period, details, raised_at)"
	    " SELECT 'signatory_act_from_representative_address', $1 || '@' || $2, $4::text,"
	    " jsonb_build_object('signatory', $1::text, 'est_id', $2::text,"
	    " 'address', $3::text, 'act', $6::text,"
	    " 'representatives', jsonb_agg(DISTINCT s.username),"
	    " 'usernames', jsonb_build_array($1::text)), to_timestamp($5::bigint)"
	    " FROM signins s WHERE s.evidence AND s.client_addr = $3 AND s.username <> $1"
	    " AND" SAME_DAY("$4", "$5")
	    " AND s.username IN (SELECT g.qid FROM grants g WHERE g.est_id = $2)"
	    " HAVING count(*) > 0"
	    " ON CONFLICT (kind, subject, period) DO NOTHING RETURNING id", &p, &id);
	if (rc == RB_OK && id != 0) {
		*raised = 1;
		rc = tell(db, now, id, "usernames", addr);
	}
	return rc;
}

static json_t *
signal_row_json(PGresult *res, int i)
{
	int64_t id = 0;
	json_t *details;

	if (db_get_int(res, i, 0, &id) != RB_OK ||
	    (details = json_loads(db_get_str(res, i, 4), 0, NULL)) == NULL)
		return json_null();
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s?, s:s?, s:s?, s:s}",
	    "id", (json_int_t)id, "kind", db_get_str(res, i, 1),
	    "subject", db_get_str(res, i, 2), "period", db_get_str(res, i, 3),
	    "details", details, "raised_at", db_get_str(res, i, 5),
	    "reviewed_by", db_get_str(res, i, 6), "reviewed_at", db_get_str(res, i, 7),
	    "note", db_get_str(res, i, 8),
	    "state", PQgetisnull(res, i, 7) ? "open" : "reviewed");
}

enum rb_err
signal_list_page(struct db *db, enum signal_state st, int64_t limit, int64_t offset,
    json_t **page)
{
	static const char *const states[] = { "open", "reviewed", "all" };
	struct db_params p, cp;

	db_params_init(&p);
	db_param_str(&p, states[st]);
	db_param_int(&p, limit);
	db_param_int(&p, offset);
	db_params_init(&cp);
	db_param_str(&cp, states[st]);
	return page_query(db, "SELECT id, kind, subject, period, details::text,"
	    " " CLOCK_SQL_ISO("raised_at") ", reviewed_by, " CLOCK_SQL_ISO("reviewed_at") ","
	    " note, count(*) OVER () FROM signals"
	    " WHERE $1 = 'all' OR ($1 = 'open') = (reviewed_at IS NULL)"
	    " ORDER BY raised_at DESC, id DESC LIMIT $2 OFFSET $3", &p, signal_row_json,
	    limit, offset, "SELECT count(*) FROM signals"
	    " WHERE $1 = 'all' OR ($1 = 'open') = (reviewed_at IS NULL)", &cp, page);
}

enum rb_err
signal_review(struct db *db, const struct audit_ctx *a, int64_t id, const char *note)
{
	char target[40];
	struct db_params p;
	PGresult *r = NULL;
	json_t *detail = NULL;
	enum rb_err rc;

	db_params_init(&p);
	db_param_int(&p, id);
	db_param_str(&p, a->actor);
	db_param_int(&p, a->now);
	db_param_str(&p, note);
	rc = db_exec_p(db, &r, "UPDATE signals SET reviewed_by = $2,"
	    " reviewed_at = to_timestamp($3::bigint), note = $4"
	    " WHERE id = $1 AND reviewed_at IS NULL RETURNING kind, subject", &p);
	if (rc != RB_OK)
		goto out;
	if (PQntuples(r) == 0) {
		PQclear(r);
		r = NULL;
		db_params_init(&p);
		db_param_int(&p, id);
		rc = db_exec_p(db, &r, "SELECT 1 FROM signals WHERE id = $1", &p);
		if (rc == RB_OK)
			rc = PQntuples(r) ? RB_ECONFLICT : RB_ENOTFOUND;
		goto out;
	}
	snprintf(target, sizeof(target), "signal:%lld", (long long)id);
	detail = json_pack("{s:s, s:s, s:s}", "kind", db_get_str(r, 0, 0),
	    "subject", db_get_str(r, 0, 1), "note", note);
	rc = audit_append(db, a, "signal.review", target, detail);
out:
	json_decref(detail);
	PQclear(r);
	return rc;
}
