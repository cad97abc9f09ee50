#!/usr/bin/env bash
# Backups that restore: make backup, changes before and after a remembered
# instant T, make restore TARGET=T into a new cluster; the restored cluster
# has every table's row count of T (not of the backup, not of now), and
# its audit chain verifies with rb-audit-verify at T's length and last hash.
# Runs against the test stack (tests/run.sh: stack.env in the environment).
set -euo pipefail

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$RB_ROOT"
fail() { echo "backup_test: FAIL: $*"; exit 1; }
work=$(mktemp -d "$RB_VAR/backup-test.XXXXXX")
chmod 711 "$work" # the restored cluster's postgres enters it
restored=""
cleanup() {
  if [ -n "$restored" ] && [ -f "$restored/data/postmaster.pid" ]; then
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl stop -D "$restored/data" -m fast -w -s || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# psql as the owner against a connection string.
sql() { psql "$1" -X -q -At -v ON_ERROR_STOP=1 -c "$2"; }
# "table count" lines for every table of the schema, in name order.
counts() {
  sql "$1" "SELECT table_name || ' ' || (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', table_name), false, true, '')))[1]::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
}
audit() { sql "$RB_DB_OWNER_CONNINFO" "SELECT audit_append(clock_timestamp(), 'backup-test', 'test.$1', 'T-$1', '', '')" >/dev/null; }
src=$RB_DB_OWNER_CONNINFO

make -s backup RB_VAR="$RB_VAR" >"$work/backup.out" 2>&1 || { cat "$work/backup.out"; fail "make backup"; }
base=$(tail -n1 "$work/backup.out")
[ -f "$base/backup_label" ] || fail "no base backup at '$base'"

# After the backup, before T: must be in the restore (replayed from the archive).
audit before
sql "$src" "INSERT INTO signin_failures (username, client_addr, at) VALUES ('backup-test', '127.0.0.1', now())" >/dev/null ||
  fail "insert a sign-in failure"
counts "$src" >"$work/at_t"
chain_t=$(sql "$src" "SELECT count(*) || ' ' || encode(row_hash, 'hex') FROM audit_log WHERE id = (SELECT max(id) FROM audit_log) GROUP BY row_hash")
n_t=$(sql "$src" "SELECT count(*) FROM audit_log")
T=$(sql "$src" "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
sleep 0.2
# After T: must not be in the restore.
audit after1
audit after2
sql "$src" "DELETE FROM signin_failures WHERE username = 'backup-test'" >/dev/null
counts "$src" >"$work/now"
cmp -s "$work/at_t" "$work/now" && fail "the changes after T changed no count"

t0=$(date +%s%N)
make -s restore RB_VAR="$RB_VAR" TARGET="$T" DIR="$work/restored" >"$work/restore.out" 2>&1 ||
  { cat "$work/restore.out"; tail -n 20 "$work/restored/postgres.log" 2>/dev/null; fail "make restore TARGET=$T"; }
restored=$work/restored
echo "backup_test: restored to $T in $((($(date +%s%N) - t0) / 1000000)) ms"
# shellcheck disable=SC1091
. "$restored/restore.env"
[ "$RB_RESTORE_PORT" != "$RB_PG_PORT" ] || fail "restored onto the running cluster's port"
counts "$RB_DB_OWNER_CONNINFO" >"$work/restored_counts"
if ! diff -u "$work/at_t" "$work/restored_counts"; then fail "row counts differ from those at T"; fi
[ "$(wc -l <"$work/at_t")" -gt 10 ] || fail "too few tables counted: $(wc -l <"$work/at_t")"
restored_chain=$(sql "$RB_DB_OWNER_CONNINFO" "SELECT count(*) || ' ' || encode(row_hash, 'hex') FROM audit_log WHERE id = (SELECT max(id) FROM audit_log) GROUP BY row_hash")
[ "$restored_chain" = "$chain_t" ] || fail "last audit row $restored_chain, at T $chain_t"
[ "$(sql "$RB_DB_OWNER_CONNINFO" "SELECT count(*) FROM audit_log WHERE action = 'test.before'")" -ge 1 ] ||
  fail "the change made after the backup is missing"
[ "$(sql "$RB_DB_OWNER_CONNINFO" "SELECT count(*) FROM audit_log WHERE action LIKE 'test.after%'")" = 0 ] ||
  fail "a change made after T was restored"
out=$("$RB_BIN/rb-audit-verify") || fail "rb-audit-verify on the restored cluster: $out"
[ "$out" = "audit chain ok: $n_t rows" ] || fail "rb-audit-verify said '$out', expected $n_t rows"
# The running cluster went on untouched.
counts "$src" | cmp -s - "$work/now" || fail "the running cluster changed"
echo "backup_test: ok ($(wc -l <"$work/at_t") tables, $n_t audit rows at T)"
