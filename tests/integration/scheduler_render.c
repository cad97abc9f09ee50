/*
 * Issue 14 §2, every statement downloadable at once after the cycle: the
 * scheduler renders a cycle's workbooks with parallel workers before the
 * cycle is complete (scheduler/render_pool.c). After `rb-scheduler run`
 * every statement of the cycle has its workbook recorded before anyone
 * asks for it; the download is those bytes, verifies, and is the emailed
 * attachment; a kill -9 while rendering leaves the cycle incomplete, and
 * two reruns racing each other and downloads of the same statements
 * finish it, every statement recorded once and nothing of the cycle
 * written twice.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/crypto.h"
#include "tests/integration/http_client.h"
#include "tests/lib/scenario.h"

static struct client rev;

/* The statements of the execution of date. */
#define OF_CYCLE "statements WHERE cycle_id = (SELECT id FROM cycles WHERE kind = 'execution'" \
	" AND cycle_date = '%s')"

static int
setup(void **state)
{
	(void)state;
	client_init(&rev);
	return client_signin(&rev, "28863410006", "demo-reviewer") == 201 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&rev);
	return 0;
}

/* Statement id's download: its bytes (*len) and their SHA-256 in hex. */
static uint8_t *
download(long long id, size_t *len, char hex[65])
{
	struct http_resp r;
	char path[96];
	unsigned char sha[32];
	uint8_t *b;

	snprintf(path, sizeof(path), "/api/v1/statements/%lld.xlsx", id);
	assert_int_equal(http_req(&rev, "GET", path, NULL, NULL, 0, &r), 200);
	assert_true(r.len > 1000);
	crypto_sha256(r.body, r.len, sha);
	hex_encode(sha, 32, hex);
	assert_non_null(b = malloc(r.len));
	memcpy(b, r.body, r.len);
	*len = r.len;
	http_resp_free(&r);
	return b;
}

/* The verification route: this file is statement id as issued. */
static void
verifies_as(const uint8_t *b, size_t len, long long id)
{
	struct http_resp v;
	char *code = test_sqlf("SELECT verification_code FROM statements WHERE id = %lld", id);

	assert_int_equal(http_req(&rev, "POST", "/api/v1/statements/verify",
	    "application/octet-stream", (const char *)b, len, &v), 200);
	if (!json_is_true(json_object_get(v.json, "genuine")))
		fail_msg("verify: %s", v.body);
	assert_string_equal(resp_str(&v, "verification_code"), code);
	http_resp_free(&v);
	free(code);
}

/* The SHA-256 of the attachment of the one sent email carrying statement id. */
static void
attachment_sha(long long id, char hex[65])
{
	char cmd[1024], mid[96], *oid;
	json_t *mails, *m;
	size_t i;
	int found = 0;
	FILE *f;

	oid = test_sqlf("SELECT id FROM outbox WHERE statement_id = %lld AND status = 'sent'", id);
	assert_true(oid && *oid);
	snprintf(mid, sizeof(mid), "<rb-outbox-%s@residency.example>", oid);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tests/mail_dump.py %s",
	    test_env("RB_ROOT"), test_env("RB_MAILDIR"));
	assert_non_null(f = popen(cmd, "r"));
	mails = json_loadf(f, 0, NULL);
	assert_int_equal(pclose(f), 0);
	assert_non_null(mails);
	json_array_foreach(mails, i, m)
		if (strcmp(json_string_value(json_object_get(m, "message_id")), mid) == 0) {
			json_t *a = json_array_get(json_object_get(m, "attachments"), 0);

			snprintf(hex, 65, "%s", json_string_value(json_object_get(a, "sha256")));
			found++;
		}
	assert_int_equal(found, 1);
	json_decref(mails);
	free(oid);
}

/* Every statement of the execution of date has its workbook recorded, its
 * hash that of its bytes, and the cycle is complete. */
static void
all_rendered(const char *date)
{
	assert_true(test_count("SELECT count(*) FROM " OF_CYCLE, date) > 0);
	assert_int_equal(test_count("SELECT count(*) FROM " OF_CYCLE " AND (sha256 IS NULL"
	    " OR sha256 <> sha256(workbook))", date), 0);
	assert_int_equal(test_count("SELECT count(*) FROM cycles WHERE kind = 'execution'"
	    " AND cycle_date = '%s' AND completed_at IS NOT NULL", date), 1);
}

static void
every_workbook_is_rendered_before_the_cycle_completes(void **state)
{
	char *before, *after, got[65], att[65], *stored;
	uint8_t *b;
	size_t len;
	long long id;

	(void)state;
	scenario_bulk(14200000, 10, 88, "2032-04-10", "2032-05-05");
	assert_int_equal(test_scheduler_run("execution", "2032-04-08"), 0);
	/* Rendered by the scheduler: nobody has downloaded or emailed them. */
	all_rendered("2032-04-08");
	assert_int_equal(test_count("SELECT count(*) FROM " OF_CYCLE " AND est_id LIKE '142%%'",
	    "2032-04-08"), 20);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE status = 'sent' AND"
	    " statement_id IN (SELECT id FROM " OF_CYCLE ")", "2032-04-08"), 0);
	before = test_sqlf("SELECT string_agg(encode(sha256, 'hex'), ',' ORDER BY id) FROM "
	    OF_CYCLE, "2032-04-08");

	/* The first download is the recorded bytes (nothing rendered or
	 * recorded by it), and verifies. */
	id = test_count("SELECT min(id) FROM " OF_CYCLE " AND est_id = '14200003'"
	    " AND kind = 'execution'", "2032-04-08");
	b = download(id, &len, got);
	stored = test_sqlf("SELECT encode(sha256, 'hex') FROM statements WHERE id = %lld", id);
	assert_string_equal(got, stored);
	assert_int_equal(test_count("SELECT count(*) FROM statements WHERE id = %lld AND"
	    " length(workbook) = %zu", id, len), 1);
	verifies_as(b, len, id);
	after = test_sqlf("SELECT string_agg(encode(sha256, 'hex'), ',' ORDER BY id) FROM "
	    OF_CYCLE, "2032-04-08");
	assert_string_equal(before, after);

	/* The email attaches the same bytes, and a download after it too. */
	assert_int_equal(test_notifier_once(2), 0);
	attachment_sha(id, att);
	assert_string_equal(att, stored);
	free(b);
	b = download(id, &len, got);
	assert_string_equal(got, stored);
	free(b);
	free(before);
	free(after);
	free(stored);
	scenario_retire("142");
}

/* rb-scheduler run execution date in the background, with env (NAME=VALUE
 * pairs, NULL-terminated) set for it. */
static pid_t
spawn_run(const char *date, const char *const *env)
{
	char bin[512], log[512];
	pid_t pid = fork();

	if (pid == 0) {
		for (; env && *env; env += 2)
			setenv(env[0], env[1], 1);
		snprintf(bin, sizeof(bin), "%s/rb-scheduler", test_env("RB_BIN"));
		snprintf(log, sizeof(log), "%s/log/scheduler.log", test_env("RB_VAR"));
		if (freopen(log, "a", stderr) == NULL || freopen(log, "a", stdout) == NULL)
			_exit(127);
		execl(bin, bin, "run", "execution", date, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void
kill_9_while_rendering_then_racing_reruns(void **state)
{
	static const char *const crash[] = { "RB_SCHED_TEST_CRASH_RENDER", "12",
		"RB_SCHED_RENDER_WORKERS", "2", NULL };
	static const char *const two[] = { "RB_SCHED_RENDER_WORKERS", "2", NULL };
	const char *date = "2032-05-08";
	long long stmts, msgs, lines, debits, ids[3], n;
	char got[3][65], *hex;
	uint8_t *b[3];
	size_t len[3], i;
	pid_t pid, x, y;
	int status;

	(void)state;
	scenario_bulk(14300000, 40, 89, "2032-05-10", "2032-06-05");
	pid = spawn_run(date, crash);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	/* Killed in the render phase: every company committed, some workbooks
	 * recorded, the rest not, and the cycle not complete. */
	assert_int_equal(test_count("SELECT count(*) FROM cycle_companies cc JOIN cycles c"
	    " ON c.id = cc.cycle_id WHERE c.kind = 'execution' AND c.cycle_date = '%s'"
	    " AND cc.done_at IS NULL", date), 0);
	assert_true(test_count("SELECT count(*) FROM " OF_CYCLE " AND sha256 IS NOT NULL",
	    date) >= 12);
	n = test_count("SELECT count(*) FROM " OF_CYCLE " AND sha256 IS NULL", date);
	assert_true(n >= 3);
	assert_int_equal(test_count("SELECT count(*) FROM cycles WHERE kind = 'execution'"
	    " AND cycle_date = '%s' AND completed_at IS NULL", date), 1);
	stmts = test_count("SELECT count(*) FROM " OF_CYCLE, date);
	lines = test_count("SELECT count(*) FROM statement_lines WHERE cycle_date = '%s'", date);
	msgs = test_count("SELECT count(*) FROM outbox WHERE est_id LIKE '143%%'");
	debits = test_count("SELECT count(*) FROM bank_debits WHERE idempotency_key LIKE '143%%'");
	/* Three not rendered yet, the last ones the workers would reach. */
	for (i = 0; i < 3; i++)
		ids[i] = test_count("SELECT id FROM " OF_CYCLE " AND sha256 IS NULL ORDER BY id DESC"
		    " OFFSET %zu LIMIT 1", date, i);

	/* Two reruns at once, and downloads of those three meanwhile: each
	 * statement rendered by whoever comes first, recorded once. */
	x = spawn_run(date, two);
	y = spawn_run(date, two);
	for (i = 0; i < 3; i++)
		b[i] = download(ids[i], &len[i], got[i]);
	assert_int_equal(waitpid(x, &status, 0), x);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(waitpid(y, &status, 0), y);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	all_rendered(date);
	for (i = 0; i < 3; i++) {
		hex = test_sqlf("SELECT encode(sha256, 'hex') FROM statements WHERE id = %lld",
		    ids[i]);
		assert_string_equal(got[i], hex);
		free(hex);
		verifies_as(b[i], len[i], ids[i]);
		free(b[i]);
	}
	/* Nothing of the cycle written twice. */
	assert_int_equal(test_count("SELECT count(*) FROM " OF_CYCLE, date), stmts);
	assert_int_equal(test_count("SELECT count(*) FROM statement_lines WHERE cycle_date = '%s'",
	    date), lines);
	assert_int_equal(test_count("SELECT count(*) FROM outbox WHERE est_id LIKE '143%%'"),
	    msgs);
	assert_int_equal(test_count("SELECT count(*) FROM bank_debits WHERE idempotency_key"
	    " LIKE '143%%'"), debits);
	assert_int_equal(test_count("SELECT count(*) FROM (SELECT est_id, kind FROM " OF_CYCLE
	    " GROUP BY est_id, kind HAVING count(*) > 1) d", date), 0);
	/* And once complete, a run changes nothing. */
	assert_int_equal(test_scheduler_run("execution", date), 0);
	assert_int_equal(test_count("SELECT count(*) FROM " OF_CYCLE, date), stmts);
	scenario_retire("143");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_workbook_is_rendered_before_the_cycle_completes),
		cmocka_unit_test(kill_9_while_rendering_then_racing_reruns),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
