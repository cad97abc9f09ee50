#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/crypto.h"
#include "store/bank.h"

/*
 * One prepared round trip per debit: the answer already given under the
 * key, or the balance taken (when it suffices) and the debit recorded.
 */
static const struct db_stmt st_debit = { "bank_debit",
	"WITH prev AS (SELECT status, reference FROM bank_debits WHERE idempotency_key = $1),"
	" upd AS (UPDATE bank_accounts SET balance_dirhams = balance_dirhams - $3::bigint"
	"   WHERE iban = $2 AND balance_dirhams >= $3::bigint"
	"   AND NOT EXISTS (SELECT 1 FROM prev) RETURNING 1),"
	" ins AS (INSERT INTO bank_debits (idempotency_key, iban, amount_dirhams, reference,"
	"   status, at) SELECT $1, $2, $3::bigint, $4, CASE WHEN EXISTS (SELECT 1 FROM upd)"
	"   THEN 'debited' ELSE 'declined' END, to_timestamp($5::bigint)"
	"   WHERE NOT EXISTS (SELECT 1 FROM prev) RETURNING status, reference)"
	" SELECT status, reference FROM prev UNION ALL SELECT status, reference FROM ins", 5 };

/* A new debit reference, SBX- and 16 hex digits. */
static enum rb_err
new_reference(char ref[40])
{
	uint8_t raw[8];
	enum rb_err rc;

	if ((rc = crypto_random(raw, sizeof(raw))) != RB_OK)
		return rc;
	snprintf(ref, 40, "SBX-");
	hex_encode(raw, sizeof(raw), ref + 4);
	return RB_OK;
}

static enum rb_err
sandbox_debit(void *ctx, const struct qid *qid, int64_t amount, int *declined,
    char ref[40])
{
	struct bank_sandbox *b = ctx;
	char key[96], newref[40], amt[24], now[24];
	const char *p[5] = { key, b->iban, amt, newref, now };
	PGresult *res = NULL;
	enum rb_err rc;

	snprintf(key, sizeof(key), "%s%s", b->key_prefix, qid->s);
	snprintf(amt, sizeof(amt), "%lld", (long long)amount);
	snprintf(now, sizeof(now), "%lld", (long long)b->now);
	if ((rc = new_reference(newref)) != RB_OK)
		return rc;
	/* Honoured once: a debit already made under this key is the answer. */
	if ((rc = db_exec_stmt(b->db, &res, &st_debit, p)) != RB_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = RB_EINTERNAL;
	else {
		*declined = strcmp(PQgetvalue(res, 0, 0), "declined") == 0;
		snprintf(ref, 40, "%s", PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	return rc;
}

void
bank_sandbox_init(struct bank_sandbox *b, struct renewal_bank *out)
{
	out->ctx = b;
	out->debit = sandbox_debit;
}

static enum rb_err
simulated_debit(void *ctx, const struct qid *qid, int64_t amount, int *declined,
    char ref[40])
{
	struct bank_simulated *b = ctx;

	(void)qid;
	*declined = amount > b->balance;
	if (!*declined) {
		b->balance -= amount;
		snprintf(ref, 40, "PREVIEW-%d", ++b->count);
	}
	return RB_OK;
}

void
bank_simulated_init(struct bank_simulated *b, struct renewal_bank *out)
{
	out->ctx = b;
	out->debit = simulated_debit;
}

/*
 * The recorder answers as the sandbox would if the balance is still the one
 * it started from and no debit was made yet under these keys, and keeps
 * what it answered; bank_batch_commit() makes those debits real when both
 * still hold.
 */
static enum rb_err
recorded_debit(void *ctx, const struct qid *qid, int64_t amount, int *declined,
    char ref[40])
{
	struct bank_recorder *b = ctx;
	char key[96];
	enum rb_err rc;

	if ((rc = new_reference(ref)) != RB_OK)
		return rc;
	*declined = amount > b->balance;
	if (!*declined) {
		b->balance -= amount;
		b->total += amount;
	}
	snprintf(key, sizeof(key), "%s%s", b->key_prefix, qid->s);
	if (b->rows == NULL)
		b->rows = json_array();
	json_array_append_new(b->rows, json_pack("{s:s, s:I, s:s, s:s}", "key", key,
	    "amount", (json_int_t)amount, "reference", ref,
	    "status", *declined ? "declined" : "debited"));
	return RB_OK;
}

void
bank_recorder_init(struct bank_recorder *b, struct renewal_bank *out)
{
	b->balance = b->start_balance;
	b->total = 0;
	json_decref(b->rows);
	b->rows = NULL;
	out->ctx = b;
	out->debit = recorded_debit;
}

void
bank_recorder_free(struct bank_recorder *b)
{
	json_decref(b->rows);
	b->rows = NULL;
}

/*
 * Every recorder's debits in one prepared round trip. A company's are made
 * only when its account still has exactly the balance the recorder
 * started from, no other company of the call names the same account, and
 * none of its keys was used before; then every answer the recorder gave is
 * the one the sandbox would have given one debit at a time. Otherwise
 * nothing of that company is written and the caller debits it one person
 * at a time (the keys then return their first answers).
 */
static const struct db_stmt st_batch = { "bank_debit_batch",
	"WITH c AS (SELECT * FROM json_to_recordset($1::json) AS c(co int, iban text,"
	"   balance bigint, total bigint)),"
	" d AS (SELECT * FROM json_to_recordset($2::json) AS d(co int, key text, amount bigint,"
	"   reference text, status text)),"
	" used AS (SELECT DISTINCT d.co FROM d JOIN bank_debits b ON b.idempotency_key = d.key),"
	" dup AS (SELECT iban FROM c GROUP BY iban HAVING count(*) > 1),"
	" ok AS (SELECT c.* FROM c WHERE c.co NOT IN (SELECT co FROM used)"
	"   AND c.iban NOT IN (SELECT iban FROM dup)),"
	" upd AS (UPDATE bank_accounts a SET balance_dirhams = a.balance_dirhams - ok.total"
	"   FROM ok WHERE a.iban = ok.iban AND a.balance_dirhams = ok.balance RETURNING ok.co),"
	" ins AS (INSERT INTO bank_debits (idempotency_key, iban, amount_dirhams, reference,"
	"   status, at) SELECT d.key, c.iban, d.amount, d.reference, d.status,"
	"   to_timestamp($3::bigint) FROM d JOIN upd ON upd.co = d.co JOIN c ON c.co = d.co)"
	" SELECT co FROM upd", 3 };

enum rb_err
bank_batch_commit(struct db *db, struct bank_recorder *const *recs, size_t n, int64_t now,
    int *done)
{
	json_t *cos = json_array(), *rows = json_array(), *r;
	char *cos_doc = NULL, *rows_doc = NULL, at[24];
	const char *p[3];
	PGresult *res = NULL;
	size_t i, k;
	int64_t co;
	enum rb_err rc = RB_OK;
	int t;

	for (i = 0; i < n; i++) {
		done[i] = recs[i]->rows == NULL;
		if (done[i])
			continue;
		json_array_append_new(cos, json_pack("{s:I, s:s, s:I, s:I}", "co", (json_int_t)i,
		    "iban", recs[i]->iban, "balance", (json_int_t)recs[i]->start_balance,
		    "total", (json_int_t)recs[i]->total));
		json_array_foreach(recs[i]->rows, k, r) {
			json_t *row = json_deep_copy(r);

			json_object_set_new(row, "co", json_integer((json_int_t)i));
			json_array_append_new(rows, row);
		}
	}
	if (json_array_size(cos) == 0)
		goto out;
	p[0] = cos_doc = json_dumps(cos, JSON_COMPACT);
	p[1] = rows_doc = json_dumps(rows, JSON_COMPACT);
	snprintf(at, sizeof(at), "%lld", (long long)now);
	p[2] = at;
	if ((rc = db_exec_stmt(db, &res, &st_batch, p)) != RB_OK)
		goto out;
	for (t = 0; t < PQntuples(res); t++) {
		if ((rc = db_get_int(res, t, 0, &co)) != RB_OK)
			goto out;
		if (co < 0 || (size_t)co >= n) {
			rc = RB_EINTERNAL;
			goto out;
		}
		done[co] = 1;
	}
out:
	PQclear(res);
	free(cos_doc);
	free(rows_doc);
	json_decref(cos);
	json_decref(rows);
	return rc;
}
