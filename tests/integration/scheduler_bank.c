/*
 * The execution's batched debits (store/bank.h, issue 14 §1-2): a batch of
 * companies' debits is written in one round trip only where the sandbox,
 * debiting one person at a time, would have answered exactly the same;
 * anywhere else nothing is written and the one-at-a-time path answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/ids.h"
#include "lib/db.h"
#include "store/bank.h"
#include "tests/integration/http_client.h"

#define EST_A	"15600001"
#define EST_B	"15600002"
#define IBAN_A	"QA00BTCH000000000000000000001"
#define IBAN_B	"QA00BTCH000000000000000000002"

static struct db db;

static int
setup(void **state)
{
	(void)state;
	free(test_sql("INSERT INTO companies VALUES ('" EST_A "', 'أ', 'Batch A',"
	    " 'a@batch.example', 'en'), ('" EST_B "', 'ب', 'Batch B', 'b@batch.example', 'en');"
	    " INSERT INTO bank_accounts VALUES ('" IBAN_A "', '" EST_A "', 1000),"
	    " ('" IBAN_B "', '" EST_B "', 500); SELECT 1"));
	db_init(&db, test_env("RB_DB_OWNER_CONNINFO"));
	return db_ensure(&db) == RB_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	db_close(&db);
	/* Nothing of these two companies stays for later test programs. */
	free(test_sql("DELETE FROM bank_debits WHERE iban IN ('" IBAN_A "', '" IBAN_B "');"
	    " DELETE FROM bank_accounts WHERE est_id IN ('" EST_A "', '" EST_B "');"
	    " DELETE FROM companies WHERE est_id IN ('" EST_A "', '" EST_B "'); SELECT 1"));
	return 0;
}

/* Debits amounts[0..n) for QIDs 29935600001... through bank, answers in declined. */
static void
debit_all(struct renewal_bank *bank, const int64_t *amounts, size_t n, int *declined,
    char refs[][40])
{
	char s[32];
	struct qid q;
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(s, sizeof(s), "299356000%02u", (unsigned)(i + 1) % 100);
		assert_int_equal(qid_parse(s, &q), RB_OK);
		assert_int_equal(bank->debit(bank->ctx, &q, amounts[i], &declined[i], refs[i]),
		    RB_OK);
	}
}

static void
recorder(struct bank_recorder *r, const char *iban, const char *prefix, int64_t balance)
{
	memset(r, 0, sizeof(*r));
	r->iban = iban;
	r->start_balance = balance;
	snprintf(r->key_prefix, sizeof(r->key_prefix), "%s", prefix);
}

static void
batch_where_the_balance_holds_and_nowhere_else(void **state)
{
	static const int64_t amounts[3] = { 600, 600, 300 };
	struct bank_recorder a, b, *recs[2] = { &a, &b };
	struct renewal_bank bank;
	int dec_a[3], dec_b[3], done[2];
	char refs_a[3][40], refs_b[3][40];

	(void)state;
	/* A's balance is the one recorded; B's moved since (500, not 400). */
	recorder(&a, IBAN_A, EST_A ":1:", 1000);
	bank_recorder_init(&a, &bank);
	debit_all(&bank, amounts, 3, dec_a, refs_a);
	assert_int_equal(dec_a[0], 0);
	assert_int_equal(dec_a[1], 1);
	assert_int_equal(dec_a[2], 0);
	recorder(&b, IBAN_B, EST_B ":1:", 400);
	bank_recorder_init(&b, &bank);
	debit_all(&bank, amounts, 3, dec_b, refs_b);
	assert_int_equal(db_begin(&db), RB_OK);
	assert_int_equal(bank_batch_commit(&db, recs, 2, 1700000000, done), RB_OK);
	assert_int_equal(db_commit(&db), RB_OK);
	assert_int_equal(done[0], 1);
	assert_int_equal(done[1], 0);
	/* A: the answers recorded, as the sandbox gives them one at a time. */
	assert_int_equal(test_count("SELECT balance_dirhams FROM bank_accounts WHERE iban = '"
	    IBAN_A "'"), 100);
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits WHERE idempotency_key"
	    " LIKE '" EST_A ":1:%%'"), 3);
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits WHERE idempotency_key = '"
	    EST_A ":1:29935600002' AND status = 'declined' AND reference = '%s'", refs_a[1]), 1);
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits WHERE idempotency_key = '"
	    EST_A ":1:29935600003' AND status = 'debited' AND amount_dirhams = 300 AND"
	    " reference = '%s'", refs_a[2]), 1);
	/* B: nothing written. */
	assert_int_equal(test_count("SELECT balance_dirhams FROM bank_accounts WHERE iban = '"
	    IBAN_B "'"), 500);
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits WHERE iban = '" IBAN_B "'"),
	    0);
	bank_recorder_free(&a);
	bank_recorder_free(&b);
}

static void
keys_used_or_shared_accounts_fall_back(void **state)
{
	static const int64_t amounts[1] = { 50 };
	struct bank_recorder a, b, c, *recs[3] = { &a, &b, &c };
	struct bank_sandbox sb;
	struct renewal_bank bank;
	int dec[1], done[3];
	char refs[1][40], again[1][40];

	(void)state;
	/* a: A's first key again; b and c: two companies naming B's account. */
	recorder(&a, IBAN_A, EST_A ":1:", 100);
	bank_recorder_init(&a, &bank);
	debit_all(&bank, amounts, 1, dec, refs);
	recorder(&b, IBAN_B, EST_B ":2:", 500);
	bank_recorder_init(&b, &bank);
	debit_all(&bank, amounts, 1, dec, refs);
	recorder(&c, IBAN_B, EST_B ":3:", 500);
	bank_recorder_init(&c, &bank);
	debit_all(&bank, amounts, 1, dec, refs);
	assert_int_equal(db_begin(&db), RB_OK);
	assert_int_equal(bank_batch_commit(&db, recs, 3, 1700000000, done), RB_OK);
	assert_int_equal(done[0], 0);
	assert_int_equal(done[1], 0);
	assert_int_equal(done[2], 0);
	/* The one-at-a-time path then answers A's key with its first answer. */
	memset(&sb, 0, sizeof(sb));
	sb.db = &db;
	sb.iban = IBAN_A;
	sb.now = 1700000000;
	snprintf(sb.key_prefix, sizeof(sb.key_prefix), EST_A ":1:");
	bank_sandbox_init(&sb, &bank);
	debit_all(&bank, amounts, 1, dec, again);
	assert_int_equal(dec[0], 0);
	assert_int_equal(db_commit(&db), RB_OK);
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits WHERE idempotency_key = '"
	    EST_A ":1:29935600001' AND reference = '%s'", again[0]), 1);
	assert_int_equal(test_count("SELECT balance_dirhams FROM bank_accounts WHERE iban = '"
	    IBAN_A "'"), 100);
	assert_int_equal(test_count("SELECT balance_dirhams FROM bank_accounts WHERE iban = '"
	    IBAN_B "'"), 500);
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits WHERE iban = '" IBAN_B "'"),
	    0);
	bank_recorder_free(&a);
	bank_recorder_free(&b);
	bank_recorder_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batch_where_the_balance_holds_and_nowhere_else),
		cmocka_unit_test(keys_used_or_shared_accounts_fall_back),
	};

	return cmocka_run_group_tests_name("scheduler_bank", tests, setup, teardown);
}
