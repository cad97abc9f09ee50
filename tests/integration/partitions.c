/*
 * Partitioned history (issue 17 §3, sql/033) against the real stack:
 * `rb-scheduler partitions` creates this month's and the next two months'
 * partitions (and moves rows the default partition took meanwhile into
 * theirs), and the hot paths read one partition, shown by their plans: the
 * statement download's lines, a company's statement list for a period, the
 * notifier's claim, the decision log by period; the audit append reads no
 * partition at all (the chain's head has a row of its own) and writes one.
 * The plans are of the queries the programs run (exported by their stores,
 * the claim's from notifier/claim_sql.h), not of copies.
 *
 * Its data lives in months no other test reaches (2031) and company
 * 18700001. Detaching and archiving are in tests/partitions_archive_test.sh,
 * on a database of their own (they drop tables).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "notifier/claim_sql.h"
#include "store/decision_log_store.h"
#include "store/statement_store.h"
#include "store/statement_workbook.h"
#include "tests/integration/http_client.h"

#define EST	"18700001"
static const char *const tables[] = { "statement_lines", "outbox", "audit_log", "decision_log" };

static PGconn *conn;

static int
setup(void **state)
{
	(void)state;
	conn = PQconnectdb(test_env("RB_DB_OWNER_CONNINFO"));
	return PQstatus(conn) == CONNECTION_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	test_clock_set(NULL);
	/* Its messages are never to be sent by a later test's notifier. */
	free(test_sql("DELETE FROM outbox WHERE template = 'it.partitions'"));
	PQfinish(conn);
	return 0;
}

static void
sql_ok(const char *sql)
{
	PGresult *r = PQexec(conn, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
}

static int
scheduler(const char *args)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/rb-scheduler %s >>%s/log/scheduler.log 2>&1",
	    test_env("RB_BIN"), args, test_env("RB_VAR"));
	return WEXITSTATUS(system(cmd));
}

/* The partition a row is in. */
static char *
where_is(const char *table, const char *cond)
{
	return test_sqlf("SELECT tableoid::regclass::text FROM %s WHERE %s", table, cond);
}

/*
 * The partitions of table the plan of sql (EXPLAIN ANALYZE of it, with
 * params) read: the scans " on <table>_pYYYYMM" or " on <table>_default"
 * that were executed. *one gets the last one's name.
 */
static int
partitions_read(const char *table, const char *sql, int n, const char *const *params,
    char one[80])
{
	char *ex, seen[16][80];
	PGresult *r;
	int i, k, nseen = 0;
	size_t tl = strlen(table);

	one[0] = '\0';
	ex = malloc(strlen(sql) + 80);
	assert_non_null(ex);
	sprintf(ex, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) %s", sql);
	sql_ok("BEGIN");
	r = PQexecParams(conn, ex, n, NULL, params, NULL, NULL, 0);
	free(ex);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("explain: %s", PQresultErrorMessage(r));
	for (i = 0; i < PQntuples(r); i++) {
		const char *line = PQgetvalue(r, i, 0), *p = line;
		char name[80];

		print_message("  %s\n", line);
		if (strstr(line, "never executed") != NULL)
			continue;
		while ((p = strstr(p, " on ")) != NULL) {
			p += 4;
			if (strncmp(p, table, tl) != 0 || (p[tl] != '_'))
				continue;
			if (strncmp(p + tl, "_default", 8) != 0 &&
			    !(p[tl + 1] == 'p' && strspn(p + tl + 2, "0123456789") == 6))
				continue;
			snprintf(name, sizeof(name), "%.*s", (int)strcspn(p, " "), p);
			for (k = 0; k < nseen && strcmp(seen[k], name) != 0; k++)
				;
			if (k == nseen && nseen < 16)
				snprintf(seen[nseen++], sizeof(seen[0]), "%s", name);
			snprintf(one, 80, "%s", name);
		}
	}
	PQclear(r);
	sql_ok("ROLLBACK");
	return nseen;
}

/* Rows that arrive before their month's partition go to the default one;
 * the scheduler then creates this month and the next two, and moves them. */
static void
partitions_created_ahead(void **state)
{
	char *v;
	size_t i;

	(void)state;
	test_clock_set("2031-05-10T09:00:00Z");
	sql_ok("SELECT audit_append('2031-07-02T08:00:00Z', 'it_partitions', 'test.early',"
	    " 'partition', '{}', '')");
	sql_ok("INSERT INTO decision_log (decided_at, status, allowed, rule)"
	    " VALUES ('2031-07-03T08:00:00Z', 200, true, 'IT_PARTITIONS_EARLY')");
	v = where_is("audit_log", "action = 'test.early'");
	assert_string_equal(v, "audit_log_default");
	free(v);

	assert_int_equal(scheduler("partitions"), 0);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		assert_int_equal(test_count("SELECT count(*) FROM pg_inherits"
		    " WHERE inhparent = '%s'::regclass AND inhrelid::regclass::text IN"
		    " ('%s_p203105', '%s_p203106', '%s_p203107')", tables[i], tables[i],
		    tables[i], tables[i]), 3);
		assert_int_equal(test_count("SELECT count(*) FROM pg_class"
		    " WHERE relname = '%s_p203108'", tables[i]), 0);
	}
	v = where_is("audit_log", "action = 'test.early'");
	assert_string_equal(v, "audit_log_p203107");
	free(v);
	v = where_is("decision_log", "rule = 'IT_PARTITIONS_EARLY'");
	assert_string_equal(v, "decision_log_p203107");
	free(v);
	/* Twice is once: nothing more is created. */
	assert_int_equal(scheduler("partitions"), 0);
	assert_int_equal(test_count("SELECT count(*) FROM pg_inherits"
	    " WHERE inhparent = 'audit_log'::regclass AND inhrelid::regclass::text"
	    " LIKE 'audit_log_p2031%%'"), 3);
}

/* Two statements of the company, in May and in June, with their lines;
 * messages and decisions in both months. */
static void
load_history(void)
{
	sql_ok("INSERT INTO companies (est_id, name_ar, name_en, email, language)"
	    " VALUES ('" EST "', 'شركة التقسيم', 'Partition Test Co', 'p@example.qa', 'en')"
	    " ON CONFLICT DO NOTHING");
	/* Completed: no scheduler is to take them for cycles still to run. */
	sql_ok("INSERT INTO cycles (kind, cycle_date, created_at, completed_at) VALUES"
	    " ('alert', '2031-05-01', now(), now()), ('alert', '2031-06-01', now(), now())"
	    " ON CONFLICT DO NOTHING");
	sql_ok("INSERT INTO statements (est_id, cycle_id, kind, cycle_date, execution_date,"
	    " language, cap_dirhams, total_dirhams, lines_count, verification_code, created_at)"
	    " SELECT '" EST "', id, 'alert', cycle_date, cycle_date + 7, 'en', 500000, 204000, 2,"
	    " 'P4RT-' || to_char(cycle_date, 'MMDD') || '-TEST', now() FROM cycles"
	    " WHERE kind = 'alert' AND cycle_date IN ('2031-05-01', '2031-06-01')"
	    " ON CONFLICT DO NOTHING");
	sql_ok("INSERT INTO statement_lines (statement_id, cycle_date, line_no, qid, name_ar,"
	    " name_en, result, old_expiry, days_left, fee_dirhams, late_fine_dirhams)"
	    " SELECT s.id, s.cycle_date, g, '2990000000' || g, 'ا', 'A', 'CANDIDATE',"
	    " s.cycle_date + 20, 20, 102000, 0 FROM statements s, generate_series(1, 2) g"
	    " WHERE s.est_id = '" EST "' ON CONFLICT DO NOTHING");
	sql_ok("INSERT INTO outbox (channel, recipient, language, template, est_id,"
	    " next_attempt_at, created_at) VALUES"
	    " ('email', 'p@example.qa', 'en', 'it.partitions', '" EST "', '2031-05-10T06:00:00Z',"
	    "  '2031-05-10T06:00:00Z'),"
	    " ('email', 'p@example.qa', 'en', 'it.partitions', '" EST "', '2031-06-02T06:00:00Z',"
	    "  '2031-06-02T06:00:00Z')");
	sql_ok("INSERT INTO decision_log (decided_at, est_id, status, allowed, rule) VALUES"
	    " ('2031-05-20T08:00:00Z', '" EST "', 200, true, 'IT_PARTITIONS'),"
	    " ('2031-06-05T08:00:00Z', '" EST "', 200, true, 'IT_PARTITIONS')");
}

/* A statement's download renders from its lines: one partition. */
static void
statement_download_reads_one_partition(void **state)
{
	char one[80], *id;
	const char *p[1];

	(void)state;
	load_history();
	id = test_sql("SELECT id FROM statements WHERE est_id = '" EST "'"
	    " AND cycle_date = '2031-06-01'");
	assert_non_null(id);
	p[0] = id;
	assert_int_equal(partitions_read("statement_lines", statement_workbook_lines_sql, 1, p,
	    one), 1);
	assert_string_equal(one, "statement_lines_p203106");
	free(id);
}

/* The company's statements of May: their lines' counts from May's only. */
static void
statement_list_for_a_period_reads_one_partition(void **state)
{
	const char *p[7] = { EST, NULL, NULL, "2031-05-01", "2031-05-31", "50", "0" };
	char one[80];

	(void)state;
	assert_int_equal(partitions_read("statement_lines", statement_list_sql, 7, p, one), 1);
	assert_string_equal(one, "statement_lines_p203105");
}

/* The notifier's claim of this month's due messages: this month's only. */
static void
notifier_claim_reads_one_partition(void **state)
{
	static const char claim[] = OUTBOX_CLAIM_SQL(OUTBOX_THIS_MONTH);
	const char *p[2] = { NULL, "100" };
	char one[80], *when;

	(void)state;
	when = test_sql("SELECT extract(epoch FROM timestamptz '2031-05-20T00:00:00Z')::bigint");
	assert_non_null(when);
	p[0] = when;
	assert_int_equal(partitions_read("outbox", claim, 2, p, one), 1);
	assert_string_equal(one, "outbox_p203105");
	free(when);
}

/* The reviewers' decision log for a fortnight of June: June's only. */
static void
decision_log_by_period_reads_one_partition(void **state)
{
	const char *p[6] = { NULL, EST, NULL, NULL, "50", "0" };
	char one[80], *from, *to;

	(void)state;
	from = test_sql("SELECT extract(epoch FROM timestamptz '2031-06-01T00:00:00+03')::bigint");
	to = test_sql("SELECT extract(epoch FROM timestamptz '2031-06-15T00:00:00+03')::bigint");
	assert_non_null(from);
	assert_non_null(to);
	p[2] = from;
	p[3] = to;
	assert_int_equal(partitions_read("decision_log", decision_log_list_sql, 6, p, one), 1);
	assert_string_equal(one, "decision_log_p203106");
	free(from);
	free(to);
}

/*
 * The audit append runs inside audit_append() (no plan to show from
 * outside): its partition statistics show it. An append scans no partition
 * of audit_log (the previous hash is audit_head's) and inserts into one.
 */
static void
audit_append_touches_one_partition(void **state)
{
	char *v;

	(void)state;
	sql_ok("SELECT pg_stat_force_next_flush()");
	usleep(200000);
	sql_ok("CREATE TEMP TABLE before AS SELECT relname,"
	    " coalesce(seq_scan, 0) + coalesce(idx_scan, 0) AS scans, n_tup_ins"
	    " FROM pg_stat_user_tables WHERE relname ~ '^audit_log_(p[0-9]{6}|default)$'");
	sql_ok("SELECT audit_append('2031-06-06T08:00:00Z', 'it_partitions', 'test.append',"
	    " 'partition', '{}', '')");
	sql_ok("SELECT pg_stat_force_next_flush()");
	usleep(200000);
	sql_ok("SELECT 1");
	/* On this connection: the temporary table is its own. */
	{
		PGresult *r = PQexec(conn, "SELECT"
		    " coalesce(string_agg(s.relname, ',' ORDER BY s.relname)"
		    "  FILTER (WHERE coalesce(s.seq_scan, 0) + coalesce(s.idx_scan, 0) <> b.scans), ''),"
		    " coalesce(string_agg(s.relname, ',' ORDER BY s.relname)"
		    "  FILTER (WHERE s.n_tup_ins <> b.n_tup_ins), '')"
		    " FROM pg_stat_user_tables s JOIN pg_temp.before b USING (relname)");

		assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
		assert_string_equal(PQgetvalue(r, 0, 0), "");
		assert_string_equal(PQgetvalue(r, 0, 1), "audit_log_p203106");
		PQclear(r);
	}
	v = test_sql("SELECT a.id = h.last_id AND a.row_hash = h.row_hash"
	    " FROM audit_log a, audit_head h WHERE a.action = 'test.append'");
	assert_string_equal(v, "t");
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(partitions_created_ahead),
		cmocka_unit_test(statement_download_reads_one_partition),
		cmocka_unit_test(statement_list_for_a_period_reads_one_partition),
		cmocka_unit_test(notifier_claim_reads_one_partition),
		cmocka_unit_test(decision_log_by_period_reads_one_partition),
		cmocka_unit_test(audit_append_touches_one_partition),
	};

	return cmocka_run_group_tests_name("partitions", tests, setup, teardown);
}
