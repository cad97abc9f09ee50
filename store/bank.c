#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto.h"
#include "store/bank.h"

static enum rb_err
sandbox_debit(void *ctx, const struct qid *qid, int64_t amount, int *declined,
    char ref[40])
{
	struct bank_sandbox *b = ctx;
	char key[96], amount_s[24], now_s[24], newref[40];
	uint8_t raw[8];
	const char *p[6];
	PGresult *res = NULL;
	enum rb_err rc;

	snprintf(key, sizeof(key), "%s%s", b->key_prefix, qid->s);
	p[0] = key;
	/* Honoured once: a debit already made under this key is the answer. */
	if ((rc = db_exec(b->db, &res, "SELECT status, reference FROM bank_debits"
	    " WHERE idempotency_key = $1", 1, p)) != RB_OK)
		return rc;
	if (PQntuples(res) == 1) {
		*declined = strcmp(PQgetvalue(res, 0, 0), "declined") == 0;
		snprintf(ref, 40, "%s", PQgetvalue(res, 0, 1));
		PQclear(res);
		return RB_OK;
	}
	PQclear(res);
	res = NULL;
	snprintf(amount_s, sizeof(amount_s), "%lld", (long long)amount);
	snprintf(now_s, sizeof(now_s), "%lld", (long long)b->now);
	if ((rc = crypto_random(raw, sizeof(raw))) != RB_OK)
		return rc;
	snprintf(newref, sizeof(newref), "SBX-");
	hex_encode(raw, sizeof(raw), newref + 4);
	p[1] = b->iban;
	p[2] = amount_s;
	p[3] = newref;
	p[4] = now_s;
	if ((rc = db_exec(b->db, &res, "UPDATE bank_accounts SET balance_dirhams ="
	    " balance_dirhams - $2::bigint WHERE iban = $1 AND balance_dirhams >= $2::bigint"
	    " RETURNING 1", 2, p + 1)) != RB_OK)
		return rc;
	*declined = PQntuples(res) == 0;
	PQclear(res);
	p[5] = *declined ? "declined" : "debited";
	if ((rc = db_exec(b->db, NULL, "INSERT INTO bank_debits (idempotency_key, iban,"
	    " amount_dirhams, reference, status, at) VALUES ($1, $2, $3::bigint, $4, $6,"
	    " to_timestamp($5::bigint))", 6, p)) != RB_OK)
		return rc;
	snprintf(ref, 40, "%s", newref);
	return RB_OK;
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
