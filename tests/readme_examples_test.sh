#!/usr/bin/env bash
# The README's command examples, run as they are written (issue 12 §4):
# every ```sh block between <!-- readme-example:NAME --> and
# <!-- /readme-example --> is extracted from README.md and run with bash
# against a second, throwaway stack of its own started like `make run`
# (`scripts/stack.sh run`: a temp RB_VAR, free ports, the demo fixture,
# the clock on 2026-11-25, before December's cycles), in README order.
# Only the stack's address and certificate differ from `make run`'s: B and
# CA are set (the examples default to https://127.0.0.1:8443 and
# var/tls/cert.pem, which the blocks that write them literally get
# replaced), and `make` runs with this stack's RB_VAR and the binaries
# under test. Each block's output is then checked against the stack.
# tests/run.sh runs it (root, as the stack needs); by hand:
#   RB_BIN=build bash tests/readme_examples_test.sh
# shellcheck disable=SC2317
set -uo pipefail

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
bin=${RB_BIN:-$RB_ROOT/build}
[[ $bin == /* ]] || bin=$RB_ROOT/$bin
build=${bin#"$RB_ROOT"/}

VAR=$(mktemp -d /tmp/rb-readme.XXXXXX)
chmod 755 "$VAR"
OUT=$VAR/run.out
run_pid=

read -r P1 P2 P3 P4 P5 P6 < <(python3 -c 'import socket
ss = [socket.socket() for _ in range(6)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')

stack_env() {
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 RB_VAR="$VAR" RB_BIN="$bin" \
    RB_PG_PORT="$P1" RB_LDAP_PORT="$P2" RB_HTTPS_PORT="$P3" RB_HTTP_PORT="$P4" \
    RB_SMTP_PORT="$P5" RB_SMS_PORT="$P6" RB_PG_FAST=1 RB_NO_SCHEDULER=1 RB_NO_NOTIFIER=1 \
    RB_CLOCK_FILE="$VAR/clock" TMPDIR="$VAR" "$@"
}

cleanup() {
  if [ -n "$run_pid" ] && kill -0 "$run_pid" 2>/dev/null; then
    kill -TERM "$run_pid" 2>/dev/null
    wait "$run_pid" 2>/dev/null
  fi
  stack_env bash "$RB_ROOT/scripts/stack.sh" stop >/dev/null 2>&1
  rm -rf "$VAR"
}
trap cleanup EXIT

passed=0
failed=()
check() {
  local name=$1
  shift
  echo "[ RUN      ] $name"
  if "$@"; then
    echo "[       OK ] $name"
    passed=$((passed + 1))
  else
    echo "[  FAILED  ] $name"
    failed+=("$name")
  fi
}

B=https://127.0.0.1:$P3
CA=$VAR/tls/cert.pem

# The shell commands of the README block NAME, as written there.
block() {
  awk -v name="$1" '
    $0 == "<!-- readme-example:" name " -->" { on = 1; next }
    on && /^<!-- \/readme-example -->$/ { exit }
    on && /^```/ { code = !code; next }
    on && code { print }' "$RB_ROOT/README.md"
}

# Runs block NAME as a person would paste it, from the tree's root: its
# output in $VAR/NAME.out; fails on any command failing.
run_block() {
  local name=$1 src=$VAR/$1.sh
  block "$name" | sed -e "s#https://127.0.0.1:8443#$B#g" -e "s#var/tls/cert.pem#$CA#g" \
    -e "s#/tmp/jar#$VAR/jar#g" >"$src"
  [ -s "$src" ] || { echo "README has no block $name"; return 1; }
  (
    cd "$RB_ROOT" || exit 1
    export B CA TMPDIR=$VAR RB_VAR=$VAR
    # make as the README means it, on this stack and the binaries under test.
    # (Its values baked in: the block's bash sees only what is exported.)
    eval "make() { command make -s --no-print-directory -C '$RB_ROOT' -o '$build/rb-scheduler' \
      BUILD='$build' \"\$@\"; }"
    export -f make
    bash -euo pipefail "$src"
  ) >"$VAR/$name.out" 2>&1
  local rc=$?
  sed 's/^/    | /' "$VAR/$name.out"
  return $rc
}

owner_sql() {
  (set -a && . "$VAR/stack.env" && set +a && psql -X -q -At -v ON_ERROR_STOP=1 \
    "$RB_DB_OWNER_CONNINFO" -c "$1")
}

# --- the cases -----------------------------------------------------------

t_stack() {
  local i
  echo "2026-11-25T05:00:00Z" >"$VAR/clock"
  stack_env bash "$RB_ROOT/scripts/stack.sh" run >"$OUT" 2>&1 </dev/null &
  run_pid=$!
  for ((i = 0; i < 1800; i++)); do
    grep -q "^Serving until" "$OUT" && return 0
    kill -0 "$run_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "stack.sh run did not come up:"
  tail -n 30 "$OUT"
  return 1
}

# Every README block is checked here, none left untested.
t_all_blocks_known() {
  local names
  names=$(sed -n 's/^<!-- readme-example:\([a-z-]*\) -->$/\1/p' "$RB_ROOT/README.md" | tr '\n' ' ')
  [ "$names" = "try-it authorize subscribe-approve-cycle " ] || { echo "blocks: $names"; return 1; }
}

t_try_it() {
  run_block try-it || return 1
  local out=$VAR/try-it.out
  # The health answer, then the two grants made with the token the commands took.
  jq -e 'select(.database != null)' <(head -n1 "$out") >/dev/null &&
    [ "$(owner_sql "SELECT count(*) FROM grants WHERE est_id = '10000001' AND qid = '28560810004'
      AND service IN ('EXIT_PERMIT', 'ENTRY_VISA') AND revoked_at IS NULL")" = 2 ]
}

t_authorize() {
  run_block authorize || return 1
  local out=$VAR/authorize.out
  [ "$(sed -n 1p "$out" | jq -r .allowed)" = true ] &&
    [ "$(sed -n 1p "$out" | jq -r '.revision | type')" = string ] &&
    [ "$(sed -n 2p "$out")" = '[{"status":200,"allowed":true},{"status":200,"allowed":false}]' ]
}

t_subscribe_approve_cycle() {
  run_block subscribe-approve-cycle || return 1
  local out=$VAR/subscribe-approve-cycle.out ref total lines renewed
  ref=$(sed -n 's/^submitted \(RN-[0-9A-Z]\{4\}-[0-9A-Z]\{4\}\)$/\1/p' "$out")
  [ -n "$ref" ] || { echo "no reference printed"; return 1; }
  grep -qxF "{\"reference\":\"$ref\",\"status\":\"active\"}" "$out" || { echo "not approved"; return 1; }
  [ "$(owner_sql "SELECT status FROM renewal_subscriptions WHERE reference = '$ref'")" = active ] || return 1
  # The statements the cycles wrote, as the last commands list them.
  total=$(owner_sql "SELECT total_dirhams FROM statements WHERE est_id = '10000001'
    AND kind = 'execution' AND cycle_date = '2026-12-08'")
  lines=$(owner_sql "SELECT lines_count FROM statements WHERE est_id = '10000001'
    AND kind = 'execution' AND cycle_date = '2026-12-08'")
  [ -n "$total" ] && [ "$lines" -gt 0 ] || { echo "no execution statement"; return 1; }
  grep -q "^{\"kind\":\"execution\",\"cycle_date\":\"2026-12-08\",\"lines_count\":$lines,\"total_dirhams\":$total," "$out" ||
    { echo "execution statement not listed"; return 1; }
  grep -q '^{"kind":"debit_report","cycle_date":"2026-12-08"' "$out" || { echo "no debit report listed"; return 1; }
  renewed=$(owner_sql "SELECT count(*) FROM statement_lines l JOIN statements s ON s.id = l.statement_id
    WHERE s.kind = 'execution' AND s.cycle_date = '2026-12-08' AND l.result = 'RENEWED'")
  grep -qxF "{\"date\":\"2026-12-08\",\"renewed\":$renewed,\"rejected\":$(owner_sql "SELECT count(*)
    FROM statement_lines l JOIN statements s ON s.id = l.statement_id WHERE s.kind = 'execution'
    AND s.cycle_date = '2026-12-08' AND l.result = 'REJECTED'"),\"debited_dirhams\":$total}" "$out" ||
    { echo "dashboard line differs"; return 1; }
}

check "a stack of its own with the demo data (stack.sh run, like make run)" t_stack
if [ ${#failed[@]} = 0 ]; then
  check "every README example block is one this test runs" t_all_blocks_known
  check "README 'Try it': sign in, the CSRF token taken by the commands, a grant" t_try_it
  check "README /authorize as another ministry system: single and batch" t_authorize
  check "README subscribe -> approve -> make cycle -> statements and dashboard" t_subscribe_approve_cycle
fi

echo "[==========] $((passed + ${#failed[@]})) test(s) run."
echo "[  PASSED  ] $passed test(s)."
if [ ${#failed[@]} -gt 0 ]; then
  echo "[  FAILED  ] ${#failed[@]} test(s), listed below:"
  for f in "${failed[@]}"; do echo "[  FAILED  ] $f"; done
  exit 1
fi
