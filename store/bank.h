/*
 * Debits. The sandbox bank keeps balances in the database and debits in
 * the caller's transaction; a real bank's direct-debit API would implement
 * the same struct renewal_bank (renewal_engine.h) and be chosen here.
 */
#ifndef RB_BANK_H
#define RB_BANK_H

#include "domain/renewal_engine.h"
#include "lib/db.h"

struct bank_sandbox {
	struct db	*db;		/* borrowed, inside a transaction */
	const char	*iban;		/* the mandate's account */
	char		 key_prefix[64];	/* est_id:cycle_id: — the QID completes the key */
	int64_t		 now;
};

/* Declines when the balance is short; honours each idempotency key once
 * (a repeated key returns the first answer and reference). */
void	bank_sandbox_init(struct bank_sandbox *, struct renewal_bank *out);

/* A bank that only simulates a balance, for previews and alerts: it
 * declines exactly when the sandbox bank would (balance short). */
struct bank_simulated {
	int64_t	balance;
	int	count;
};
void	bank_simulated_init(struct bank_simulated *, struct renewal_bank *out);

#endif
