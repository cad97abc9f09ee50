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
	char key[96], newref[40];
	uint8_t raw[8];
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	snprintf(key, sizeof(key), "%s%s", b->key_prefix, qid->s);
	db_params_init(&p);
	db_param_str(&p, key);
	/* Honoured once: a debit already made under this key is the answer. */
	if ((rc = db_exec_p(b->db, &res, "SELECT status, reference FROM bank_debits"
	    " WHERE idempotency_key = $1", &p)) != RB_OK)
		return rc;
	if (PQntuples(res) == 1) {
		*declined = strcmp(PQgetvalue(res, 0, 0), "declined") == 0;
		snprintf(ref, 40, "%s", PQgetvalue(res, 0, 1));
		PQclear(res);
		return RB_OK;
	}
	PQclear(res);
	res = NULL;
	if ((rc = crypto_random(raw, sizeof(raw))) != RB_OK)
		return rc;
	snprintf(newref, sizeof(newref), "SBX-");
	hex_encode(raw, sizeof(raw), newref + 4);
	db_params_init(&p);
	db_param_str(&p, b->iban);
	db_param_int(&p, amount);
	if ((rc = db_exec_p(b->db, &res, "UPDATE bank_accounts SET balance_dirhams ="
	    " balance_dirhams - $2::bigint WHERE iban = $1 AND balance_dirhams >= $2::bigint"
	    " RETURNING 1", &p)) != RB_OK)
		return rc;
	*declined = PQntuples(res) == 0;
	PQclear(res);
	db_params_init(&p);
	db_param_str(&p, key);
	db_param_str(&p, b->iban);
	db_param_int(&p, amount);
	db_param_str(&p, newref);
	db_param_str(&p, *declined ? "declined" : "debited");
	db_param_int(&p, b->now);
	if ((rc = db_exec_p(b->db, NULL, "INSERT INTO bank_debits (idempotency_key, iban,"
	    " amount_dirhams, reference, status, at) VALUES ($1, $2, $3::bigint, $4, $5,"
	    " to_timestamp($6::bigint))", &p)) != RB_OK)
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

enum rb_err
bank_balance(struct db *db, const char *iban, int64_t *balance)
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	*balance = 0;
	db_params_init(&p);
	db_param_str(&p, iban);
	if ((rc = db_exec_p(db, &res, "SELECT balance_dirhams FROM bank_accounts"
	    " WHERE iban = $1", &p)) != RB_OK)
		return rc;
	if (PQntuples(res) > 0)
		rc = db_get_int(res, 0, 0, balance);
	PQclear(res);
	return rc;
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
