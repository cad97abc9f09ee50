#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/contact.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/instant_json.h"
#include "store/mobile_store.h"

#define SALT_LEN	16

/* Lowercase hex of SHA-256(salt || code), 64 characters. */
static void
code_hash_hex(const uint8_t salt[SALT_LEN], const char *code, char out[65])
{
	uint8_t buf[SALT_LEN + MOBILE_CODE_DIGITS], h[32];

	memcpy(buf, salt, SALT_LEN);
	memcpy(buf + SALT_LEN, code, MOBILE_CODE_DIGITS);
	crypto_sha256(buf, sizeof(buf), h);
	hex_encode(h, sizeof(h), out);
}

/* A fresh code: 32 random bits, drawn again above the last whole million
 * so that every code is equally likely. */
static enum rb_err
code_new(char code[MOBILE_CODE_DIGITS + 1])
{
	uint32_t r;
	enum rb_err rc;

	do {
		if ((rc = crypto_random(&r, sizeof(r))) != RB_OK)
			return rc;
	} while (r >= 4294000000u);
	mobile_code_format(r, code);
	return RB_OK;
}

/*
 * Queues items (borrowed: [{qid, recipient, template, params}]) as SMS in
 * the person's language, in the caller's transaction. Not
 * outbox_add_batch(): these are about a person, not a company, and are
 * never "told once" (that needs the scheduler's memory).
 */
static enum rb_err
queue_sms(struct db *db, int64_t now, json_t *items)
{
	struct db_params p;
	char *doc = json_dumps(items, JSON_COMPACT);
	enum rb_err rc;

	db_params_init(&p);
	db_param_str(&p, doc);
	db_param_int(&p, now);
	rc = db_exec_p(db, NULL, "INSERT INTO outbox (channel, recipient, language, template,"
	    " params, qid, next_attempt_at, created_at)"
	    " SELECT 'sms', x.recipient, p.language, x.template, x.params, x.qid,"
	    " to_timestamp($2::bigint), to_timestamp($2::bigint)"
	    " FROM jsonb_to_recordset($1::jsonb) AS x(qid text, recipient text,"
	    " template text, params jsonb) JOIN persons p ON p.qid = x.qid", &p);
	free(doc);
	return rc;
}

enum rb_err
mobile_change_request(struct db *db, const struct audit_ctx *a, const struct qid *qid,
    const char *mobile, enum mobile_channel ch, json_t **out)
{
	const char *channel = ch == MOBILE_KIOSK ? "kiosk" : "service_centre";
	char code[MOBILE_CODE_DIGITS + 1], salt_hex[2 * SALT_LEN + 1], hash[65];
	char target[24], masked[MOBILE_MASK_SZ], old[20];
	uint8_t salt[SALT_LEN];
	struct db_params p;
	PGresult *res = NULL;
	json_t *items = NULL, *detail = NULL;
	int old_verified;
	enum rb_err rc;

	*out = NULL;
	if ((rc = code_new(code)) != RB_OK || (rc = crypto_random(salt, sizeof(salt))) != RB_OK)
		return rc;
	hex_encode(salt, sizeof(salt), salt_hex);
	code_hash_hex(salt, code, hash);
	if ((rc = db_begin(db)) != RB_OK)
		return rc;
	/* The row lock orders two requests for the same person. */
	db_params_init(&p);
	db_param_str(&p, qid->s);
	if ((rc = db_exec_p(db, &res, "SELECT mobile, mobile_verified FROM persons"
	    " WHERE qid = $1 FOR UPDATE", &p)) != RB_OK)
		goto out;
	if (PQntuples(res) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	snprintf(old, sizeof(old), "%s", db_get_str(res, 0, 0));
	old_verified = db_get_bool(res, 0, 1);
	PQclear(res);
	res = NULL;
	if (old_verified && strcmp(old, mobile) == 0) {
		rc = RB_ECONFLICT;
		goto out;
	}
	db_param_int(&p, a->now);
	if ((rc = db_exec_p(db, NULL, "UPDATE mobile_verifications SET status = 'superseded',"
	    " closed_at = to_timestamp($2::bigint) WHERE qid = $1 AND status = 'pending'",
	    &p)) != RB_OK)
		goto out;
	db_param_str(&p, mobile);
	db_param_str(&p, channel);
	db_param_str(&p, a->actor);
	db_param_str(&p, salt_hex);
	db_param_str(&p, hash);
	db_param_int(&p, MOBILE_CODE_TTL_S);
	if ((rc = db_exec_p(db, &res, "INSERT INTO mobile_verifications (qid, mobile, channel,"
	    " requested_by, code_salt, code_hash, expires_at, created_at)"
	    " VALUES ($1, $3, $4, $5, decode($6, 'hex'), decode($7, 'hex'),"
	    " to_timestamp($2::bigint + $8::bigint), to_timestamp($2::bigint))"
	    " RETURNING id, " CLOCK_SQL_EPOCH("expires_at"), &p)) != RB_OK)
		goto out;
	/* The code goes to the new number (in the person's language); the
	 * notice to the old one only when it was verified: an unverified
	 * number is nobody we know to tell. */
	mobile_mask(mobile, masked);
	items = json_pack("[{s:s, s:s, s:s, s:s, s:{s:s, s:i}}]",
	    "channel", "sms", "qid", qid->s, "recipient", mobile,
	    "template", "sms.mobile.code", "params", "code", code,
	    "minutes", MOBILE_CODE_TTL_S / 60);
	if (old_verified && strcmp(old, mobile) != 0)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}}",
		    "channel", "sms", "qid", qid->s, "recipient", old,
		    "template", "sms.mobile.change_notice", "params", "new_mobile", masked,
		    "channel", channel));
	if ((rc = queue_sms(db, a->now, items)) != RB_OK)
		goto out;
	snprintf(target, sizeof(target), "person:%s", qid->s);
	detail = json_pack("{s:s, s:s, s:b, s:s}", "channel", channel, "mobile", mobile,
	    "old_notified", old_verified && strcmp(old, mobile) != 0,
	    "verification", db_get_str(res, 0, 0));
	if ((rc = audit_append(db, a, "person.mobile.requested", target, detail)) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK)
		goto out;
	*out = json_pack("{s:s, s:s, s:s, s:s, s:o}", "qid", qid->s, "mobile", mobile,
	    "status", "pending_confirmation", "channel", channel,
	    "expires_at", instant_json(res, 0, 1));
out:
	if (rc != RB_OK)
		db_rollback(db);
	json_decref(items);
	json_decref(detail);
	PQclear(res);
	return rc;
}

static const char *const outcome_action[MC__MAX] = {
	[MC_CONFIRMED] = "person.mobile.confirmed",
	[MC_WRONG] = "person.mobile.wrong_code",
	[MC_EXHAUSTED] = "person.mobile.exhausted",
	[MC_EXPIRED] = "person.mobile.expired",
};

enum rb_err
mobile_change_confirm(struct db *db, const struct audit_ctx *a, const struct qid *qid,
    const char *code, enum mobile_code_outcome *outcome, int *tries_left, json_t **out)
{
	uint8_t salt[SALT_LEN];
	char hash[65], target[24], mobile[20], id[24];
	const char *stored, *salt_hex;
	struct db_params p;
	PGresult *res = NULL;
	json_t *detail = NULL;
	int64_t expires, wrong;
	int after, matched, i;
	enum rb_err rc;

	*out = NULL;
	*tries_left = 0;
	if ((rc = db_begin(db)) != RB_OK)
		return rc;
	db_params_init(&p);
	db_param_str(&p, qid->s);
	if ((rc = db_exec_p(db, &res, "SELECT id, mobile, encode(code_salt, 'hex'),"
	    " encode(code_hash, 'hex'), " CLOCK_SQL_EPOCH("expires_at") ", wrong_tries"
	    " FROM mobile_verifications WHERE qid = $1 AND status = 'pending' FOR UPDATE",
	    &p)) != RB_OK)
		goto out;
	if (PQntuples(res) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	salt_hex = db_get_str(res, 0, 2);
	stored = db_get_str(res, 0, 3);
	if (db_get_int(res, 0, 4, &expires) != RB_OK || db_get_int(res, 0, 5, &wrong) != RB_OK ||
	    salt_hex == NULL || strlen(salt_hex) != 2 * SALT_LEN || stored == NULL ||
	    strlen(stored) != 64) {
		rc = RB_EINTERNAL;
		goto out;
	}
	for (i = 0; i < SALT_LEN; i++) {
		unsigned v;

		if (sscanf(salt_hex + 2 * i, "%2x", &v) != 1) {
			rc = RB_EINTERNAL;
			goto out;
		}
		salt[i] = (uint8_t)v;
	}
	snprintf(id, sizeof(id), "%s", db_get_str(res, 0, 0));
	snprintf(mobile, sizeof(mobile), "%s", db_get_str(res, 0, 1));
	code_hash_hex(salt, code, hash);
	matched = crypto_equal(hash, stored, 64);
	*outcome = mobile_code_decide(a->now, expires, (int)wrong, matched, &after, tries_left);
	PQclear(res);
	res = NULL;
	db_params_init(&p);
	db_param_str(&p, id);
	db_param_int(&p, after);
	db_param_str(&p, *outcome == MC_CONFIRMED ? "confirmed" :
	    *outcome == MC_EXHAUSTED ? "exhausted" : *outcome == MC_EXPIRED ? "expired" :
	    "pending");
	db_param_int(&p, a->now);
	if ((rc = db_exec_p(db, NULL, "UPDATE mobile_verifications SET wrong_tries = $2::int,"
	    " status = $3, closed_at = CASE WHEN $3 = 'pending' THEN NULL"
	    " ELSE to_timestamp($4::bigint) END WHERE id = $1::bigint", &p)) != RB_OK)
		goto out;
	if (*outcome == MC_CONFIRMED) {
		db_params_init(&p);
		db_param_str(&p, qid->s);
		db_param_str(&p, mobile);
		if ((rc = db_exec_p(db, NULL, "UPDATE persons SET mobile = $2,"
		    " mobile_verified = true WHERE qid = $1", &p)) != RB_OK)
			goto out;
	}
	snprintf(target, sizeof(target), "person:%s", qid->s);
	detail = json_pack("{s:s, s:s, s:i}", "verification", id, "mobile", mobile,
	    "wrong_tries", after);
	if ((rc = audit_append(db, a, outcome_action[*outcome], target, detail)) != RB_OK ||
	    (rc = db_commit(db)) != RB_OK)
		goto out;
	*out = json_pack("{s:s, s:s, s:b}", "qid", qid->s, "mobile", mobile,
	    "mobile_verified", *outcome == MC_CONFIRMED);
out:
	if (rc != RB_OK)
		db_rollback(db);
	json_decref(detail);
	PQclear(res);
	return rc;
}
