#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static enum rb_err
sandbox_debit(void *ctx, const struct qid *qid, int64_t amount, int *declined,
    char ref[40])
{
	struct bank_sandbox *b = ctx;
	char key[96], newref[40], amt[24], now[24];
	const char *p[5] = { key, b->iban, amt, newref, now };
	uint8_t raw[8];
	PGresult *res = NULL;
	enum rb_err rc;

	snprintf(key, sizeof(key), "%s%s", b->key_prefix, qid->s);
	snprintf(amt, sizeof(amt), "%lld", (long long)amount);
	snprintf(now, sizeof(now), "%lld", (long long)b->now);
	if ((rc = crypto_random(raw, sizeof(raw))) != RB_OK)
		return rc;
	snprintf(newref, sizeof(newref), "SBX-");
	hex_encode(raw, sizeof(raw), newref + 4);
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
