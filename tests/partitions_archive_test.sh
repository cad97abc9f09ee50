#!/usr/bin/env bash
# Partitioned history, on a PostgreSQL cluster of its own (it drops tables):
# sql/033 moves a database's existing history into monthly partitions (rows,
# grants, the audit chain unchanged); `rb-scheduler partitions` creates the
# months ahead; `rb-scheduler archive-partitions --before=YYYY-MM` detaches,
# dumps, verifies and drops old months, keeping those still needed (unsent
# messages, unrendered statements); the dumps restore; rb-audit-verify still
# checks the chain across the archived months and notices a forged cut.
# Needs RB_BIN (rb-scheduler, rb-audit-verify), as tests/run.sh sets it.
set -euo pipefail

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$RB_ROOT"
PGBIN=/usr/lib/postgresql/15/bin
RB_BIN=${RB_BIN:-$RB_ROOT/build}
fail() {
  echo "partitions_archive_test: FAIL: $*"
  [ ! -s "$work/scheduler.log" ] || tail -n 5 "$work/scheduler.log"
  exit 1
}
work=$(mktemp -d "${TMPDIR:-/tmp}/partitions-test.XXXXXX")
chmod 711 "$work"
mkdir "$work/pg" && chown postgres "$work/pg"
cleanup() {
  if [ -f "$work/pg/data/postmaster.pid" ]; then
    runuser -u postgres -- "$PGBIN/pg_ctl" stop -D "$work/pg/data" -m fast -w -s || true
  fi
  [ -n "${PT_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
runuser -u postgres -- "$PGBIN/initdb" -D "$work/pg/data" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" start -D "$work/pg/data" -l "$work/pg/log" -w -s \
  -o "-p $port -k $work/pg -c listen_addresses='' -c fsync=off" || fail "postgres did not start"
{ printf '\\set owner_pw o\n\\set app_pw a\n\\set sched_pw s\n\\set notify_pw n\n'; cat sql/bootstrap_roles.sql; } |
  psql -X -q -h "$work/pg" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null
ci() { echo "host=$work/pg port=$port dbname=residency user=$1"; }
owner=$(ci rb_owner)
sql() { psql "$owner" -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

# The schema before partitioning, with two months of history.
mkdir "$work/sql"
for f in sql/[0-9][0-9][0-9]_*.sql; do
  [ "$(basename "$f" | cut -c1-3)" -lt 033 ] && cp "$f" "$work/sql/"
done
RB_DB_OWNER_CONNINFO=$owner RB_SQL_DIR=$work/sql bash scripts/migrate.sh >/dev/null
psql "$owner" -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO companies (est_id, name_ar, name_en, email, language)
VALUES ('10000001', 'شركة', 'Company', 'c@example.qa', 'en');
INSERT INTO cycles (kind, cycle_date, created_at) VALUES
  ('alert', '2026-10-01', '2026-10-01'), ('alert', '2026-11-01', '2026-11-01');
-- October's statement rendered, November's not yet.
INSERT INTO statements (est_id, cycle_id, kind, cycle_date, execution_date, language,
  cap_dirhams, total_dirhams, lines_count, verification_code, sha256, workbook, created_at)
SELECT '10000001', id, 'alert', cycle_date, cycle_date + 7, 'en', 500000, 204000, 2,
  'ARCH-' || to_char(cycle_date, 'MMDD') || '-TEST',
  CASE WHEN cycle_date = '2026-10-01' THEN sha256('wb') END,
  CASE WHEN cycle_date = '2026-10-01' THEN 'wb'::bytea END, cycle_date
FROM cycles;
INSERT INTO statement_lines (statement_id, line_no, qid, name_ar, name_en, result,
  old_expiry, days_left, fee_dirhams, late_fine_dirhams)
SELECT s.id, g, '2990000000' || g, 'ا', 'A', 'CANDIDATE', s.cycle_date + 20, 20, 102000, 0
FROM statements s, generate_series(1, 2) g;
-- October's messages sent; one of November's still pending.
INSERT INTO outbox (channel, recipient, language, template, next_attempt_at, created_at,
  status, sent_at) VALUES
  ('email', 'c@example.qa', 'en', 'test.archive', '2026-10-02T09:00:00+03', '2026-10-02T09:00:00+03', 'sent', '2026-10-02T09:01:00+03'),
  ('email', 'c@example.qa', 'en', 'test.archive', '2026-10-31T23:30:00+03', '2026-10-31T23:30:00+03', 'sent', '2026-11-01T00:01:00+03'),
  ('email', 'c@example.qa', 'en', 'test.archive', '2026-11-30T09:00:00+03', '2026-11-30T09:00:00+03', 'pending', NULL);
SELECT audit_append('2026-10-05T10:00:00+03', 'test', 'test.one', 't', '{}', '');
SELECT audit_append('2026-10-06T10:00:00+03', 'test', 'test.two', 't', '{}', '');
SELECT audit_append('2026-11-05T10:00:00+03', 'test', 'test.three', 't', '{}', '');
INSERT INTO decision_log (decided_at, status, allowed, rule) VALUES
  ('2026-10-01T12:00:00+03', 200, true, 'ARCH'), ('2026-11-01T12:00:00+03', 200, true, 'ARCH');
SQL
tables="statement_lines outbox audit_log decision_log"
counts() { for t in $tables; do printf '%s=%s ' "$t" "$(sql "SELECT count(*) FROM $t")"; done; }
before=$(counts)
chain_before=$(sql "SELECT string_agg(encode(row_hash, 'hex'), ',' ORDER BY id) FROM audit_log")
verify() { RB_DB_CONNINFO=$(ci rb_app) "$RB_BIN/rb-audit-verify"; }
[ "$(verify)" = "audit chain ok: 3 rows" ] || fail "the chain before the migration: $(verify)"

# The migration: the same rows, now in their months' partitions.
RB_DB_OWNER_CONNINFO=$owner bash scripts/migrate.sh >/dev/null
[ "$(counts)" = "$before" ] || fail "rows moved: $before -> $(counts)"
for t in $tables; do
  [ "$(sql "SELECT relkind FROM pg_class WHERE relname = '$t'")" = p ] || fail "$t is not partitioned"
  got=$(sql "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '$t'::regclass")
  [ "$got" = "${t}_default ${t}_p202610 ${t}_p202611" ] || fail "$t's partitions: $got"
  [ "$(sql "SELECT count(*) FROM ${t}_default")" = 0 ] || fail "$t: rows left in the default"
done
[ "$(sql "SELECT count(*) FROM outbox_p202610")" = 2 ] || fail "October's messages (Asia/Qatar months)"
[ "$(sql "SELECT string_agg(encode(row_hash, 'hex'), ',' ORDER BY id) FROM audit_log")" = "$chain_before" ] ||
  fail "the audit chain changed"
[ "$(verify)" = "audit chain ok: 3 rows" ] || fail "the chain after the migration: $(verify)"
# The roles keep their rights: the application appends, reads, queues.
psql "$(ci rb_app)" -X -q -At -v ON_ERROR_STOP=1 -c "SELECT audit_append('2026-11-06T10:00:00+03', 'test', 'test.four', 't', '{}', '')" \
  -c "SELECT count(*) FROM statement_lines" \
  -c "INSERT INTO decision_log (decided_at, status, allowed, rule) VALUES ('2026-11-02T12:00:00+03', 200, true, 'ARCH')" \
  >/dev/null || fail "rb_app lost a right"
psql "$(ci rb_app)" -X -q -c "DELETE FROM audit_log" >/dev/null 2>&1 && fail "rb_app deleted audit rows"
psql "$owner" -X -q -c "UPDATE audit_log SET actor = 'x'" >/dev/null 2>&1 && fail "an audit row was changed"
[ "$(verify)" = "audit chain ok: 4 rows" ] || fail "the chain after an append: $(verify)"
# A line's cycle date is its statement's.
psql "$owner" -X -q -c "INSERT INTO statement_lines (statement_id, cycle_date, line_no, qid, name_ar, name_en, result, old_expiry, days_left, fee_dirhams, late_fine_dirhams) SELECT id, '2026-11-01', 9, '29900000009', 'ا', 'A', 'CANDIDATE', '2026-12-01', 20, 1, 0 FROM statements WHERE cycle_date = '2026-10-01'" >/dev/null 2>&1 &&
  fail "a line took another cycle date than its statement's"

# Months ahead, by the scheduler's clock.
export RB_CLOCK_FILE=$work/clock RB_SCHED_CONNINFO=$(ci rb_scheduler) RB_VAR=$work
echo 2026-12-15T09:00:00Z >"$RB_CLOCK_FILE"
sched() { "$RB_BIN/rb-scheduler" "$@" 2>>"$work/scheduler.log"; }
sched partitions || fail "rb-scheduler partitions"
for t in $tables; do
  [ "$(sql "SELECT count(*) FROM pg_class WHERE relname IN ('${t}_p202612', '${t}_p202701', '${t}_p202702')")" = 3 ] ||
    fail "$t: the months ahead"
  [ "$(sql "SELECT count(*) FROM pg_class WHERE relname = '${t}_p202703'")" = 0 ] || fail "$t: too far ahead"
done

# This month is still written: refused.
sched archive-partitions --before=2027-01 >/dev/null && fail "archived the current month"

# October: every table's partition goes.
out=$(sched archive-partitions --before=2026-11 --dir="$work/archive") || fail "archive October: $out"
[ "$out" = "4 partitions archived into $work/archive, 0 kept (still needed: see the log)." ] || fail "said: $out"
for t in $tables; do
  [ "$(sql "SELECT count(*) FROM pg_class WHERE relname = '${t}_p202610'")" = 0 ] || fail "${t}_p202610 still there"
  f=$work/archive/${t}_p202610.dump
  [ -s "$f" ] || fail "no dump $f"
  [ "$(sql "SELECT file || ' ' || file_sha256 || ' ' || status FROM partition_archive WHERE partition = '${t}_p202610'")" = \
    "$f $(sha256sum "$f" | cut -d' ' -f1) archived" ] || fail "${t}_p202610's record"
done
[ "$(sql "SELECT rows FROM partition_archive WHERE partition = 'statement_lines_p202610'")" = 2 ] || fail "rows recorded"
# The chain goes on from the archived cut.
[ "$(verify)" = "audit chain ok: 2 rows (after 2 archived, up to row 2)" ] || fail "the chain after archiving: $(verify)"

# The dumps restore: October's audit rows are the chain's start.
psql -X -q -h "$work/pg" -p "$port" -U postgres -d postgres -c "CREATE DATABASE restored OWNER rb_owner" >/dev/null
pg_restore -d "host=$work/pg port=$port dbname=restored user=rb_owner" --no-owner "$work/archive/audit_log_p202610.dump" ||
  fail "pg_restore of the audit dump"
[ "$(psql "host=$work/pg port=$port dbname=restored user=rb_owner" -X -At -c "SELECT string_agg(encode(row_hash, 'hex'), ',' ORDER BY id) FROM audit_log_p202610")" = \
  "$(echo "$chain_before" | cut -d, -f1-2)" ] || fail "the restored audit rows"

# A forged cut is noticed.
real=$(sql "SELECT encode(last_row_hash, 'hex') FROM partition_archive WHERE partition = 'audit_log_p202610'")
sql "UPDATE partition_archive SET last_row_hash = sha256('forged') WHERE partition = 'audit_log_p202610'"
set +e; v=$(verify); rc=$?; set -e
[ $rc = 1 ] && [[ $v == "audit chain broken at row 3:"* ]] || fail "a forged archive record passed: $rc $v"
sql "UPDATE partition_archive SET last_row_hash = decode('$real', 'hex') WHERE partition = 'audit_log_p202610'"

# November: a run cut short after detaching decision_log's is taken up
# again; the unsent message and the unrendered statement keep theirs.
psql "$(ci rb_scheduler)" -X -q -At -c "SELECT partition_detach('decision_log', '2026-11-01')" >/dev/null ||
  fail "detach by hand"
[ "$(sql "SELECT status FROM partition_archive WHERE partition = 'decision_log_p202611'")" = detached ] ||
  fail "the detached record"
out=$(sched archive-partitions --before=2026-12 --dir="$work/archive") || fail "archive November: $out"
[ "$out" = "2 partitions archived into $work/archive, 2 kept (still needed: see the log)." ] || fail "said: $out"
for p in outbox_p202611 statement_lines_p202611; do
  [ "$(sql "SELECT count(*) FROM pg_inherits WHERE inhrelid = '$p'::regclass")" = 1 ] || fail "$p not kept attached"
done
grep -q "outbox_p202611 still holds messages to send" "$work/scheduler.log" || fail "the log does not say why"
[ "$(sql "SELECT status FROM partition_archive WHERE partition = 'decision_log_p202611'")" = archived ] ||
  fail "the detached partition was not archived by the next run"
[ "$(sql "SELECT count(*) FROM pg_class WHERE relname = 'decision_log_p202611'")" = 0 ] || fail "decision_log_p202611 left"
[ "$(verify)" = "audit chain ok: 0 rows (after 4 archived, up to row 4)" ] || fail "the chain, all archived: $(verify)"
# The next append follows the archived chain.
sql "SELECT audit_append('2026-12-15T10:00:00+03', 'test', 'test.five', 't', '{}', '')" >/dev/null
[ "$(verify)" = "audit chain ok: 1 rows (after 4 archived, up to row 4)" ] || fail "after the archive, an append: $(verify)"
echo "partitions_archive_test: ok"
