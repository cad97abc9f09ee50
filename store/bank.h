/*
 * Debits. The sandbox bank keeps balances in the database and debits in
 * the caller's transaction; a real bank's direct-debit API would implement
 * the same struct renewal_bank (renewal_engine.h) and be chosen here.
 */
#ifndef RB_BANK_H
#define RB_BANK_H

#include <jansson.h>

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

/*
 * The execution's batched debits (issue 14 §1): a company's decision is
 * first made against the balance loaded with its plan, the recorder
 * keeping every debit it answered; bank_batch_commit() then makes the
 * debits of a whole batch of companies real in one round trip, for each
 * company only when its account still holds that balance and none of its
 * keys was used (then the answers are exactly the sandbox's). done[i] says
 * whether recs[i]'s debits stand (a recorder with no debit: 1); the others
 * wrote nothing and are debited one person at a time as before. A real
 * bank's per-person API would keep only the one-at-a-time path.
 */
struct bank_recorder {
	const char	*iban;		/* borrowed */
	char		 key_prefix[64];
	int64_t		 start_balance;
	int64_t		 balance, total;	/* while recording */
	json_t		*rows;		/* owned: the debits answered, in order */
};
void		bank_recorder_init(struct bank_recorder *, struct renewal_bank *out);
void		bank_recorder_free(struct bank_recorder *);
enum rb_err	bank_batch_commit(struct db *, struct bank_recorder *const *recs, size_t n,
		    int64_t now, int *done);
#endif
