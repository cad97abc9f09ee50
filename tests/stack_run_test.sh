#!/usr/bin/env bash
# The README's demo commands against a second, throwaway stack of their own
# (a temp RB_VAR, free ports, the demo fixture), started the way `make run`
# does it: `scripts/stack.sh run` in the background. Checks that
#   - `make cycle` reaches the stack of RB_VAR (not var/), with nothing of
#     the test stack's environment to fall back on;
#   - a one-shot cycle for a date after the clock's today says it is
#     simulating that date; one for a date already completed says so, with
#     how many statements it wrote and which cycle can still run;
#   - `scripts/stack.sh stop` from elsewhere ends `stack.sh run` in seconds.
# tests/run.sh runs it (it needs root, as the stack does); by hand:
#   RB_BIN=build bash tests/stack_run_test.sh
# Prints cmocka-like lines so the harness counts its cases.
# shellcheck disable=SC2317
set -uo pipefail

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
bin=${RB_BIN:-$RB_ROOT/build}
[[ $bin == /* ]] || bin=$RB_ROOT/$bin
# make's BUILD for the same binaries (relative when under the tree).
build=${bin#"$RB_ROOT"/}

VAR=$(mktemp -d /tmp/rb-stack-run.XXXXXX)
chmod 755 "$VAR"
OUT=$VAR/run.out
run_pid=

# Six free ports for this stack, none of the test stack's.
read -r P1 P2 P3 P4 P5 P6 < <(python3 -c 'import socket
ss = [socket.socket() for _ in range(6)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')

# Only what this stack is given: none of the test stack's variables.
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

# make as a person types it in another terminal: only RB_VAR says where.
make_cycle() {
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 RB_VAR="$VAR" \
    make -s --no-print-directory -C "$RB_ROOT" -o "$build/rb-scheduler" \
    BUILD="$build" cycle KIND="$1" DATE="$2" 2>&1
}

owner_sql() {
  (set -a && . "$VAR/stack.env" && set +a && psql -X -q -At -v ON_ERROR_STOP=1 \
    "$RB_DB_OWNER_CONNINFO" -c "$1")
}

# --- the cases -----------------------------------------------------------

t_run_serves() {
  local i
  # The clock's today: an alert day, so that the 15th is in the future.
  echo "2030-03-01T05:00:00Z" >"$VAR/clock"
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

alert_statements() {
  owner_sql "SELECT count(*) FROM statements s JOIN cycles c ON c.id = s.cycle_id
    WHERE c.kind = 'alert' AND c.cycle_date = '$1'"
}

# The README's demo on a cycle day: the daemon ran today's cycle when the
# stack started, before anyone subscribed.
t_today_is_no_simulation() {
  local out
  out=$(make_cycle alert 2030-03-01) || { echo "$out"; return 1; }
  echo "$out"
  grep -qF "The alert cycle of 2030-03-01: 0 companies, 0 statements" <<<"$out" &&
    ! grep -q "Simulating" <<<"$out"
}

t_completed_empty_cycle_says_so() {
  local out
  out=$(make_cycle alert 2030-03-01) || { echo "$out"; return 1; }
  echo "$out"
  grep -qF "The alert cycle of 2030-03-01 already ran (completed 2030-03-01 05:00 UTC) and wrote no statements: no subscribed company was due then." <<<"$out" &&
    grep -qF "A cycle runs exactly once per date, so running it again changes nothing" <<<"$out" &&
    grep -qxF "  make cycle KIND=alert DATE=2030-03-15" <<<"$out" &&
    [ "$(alert_statements 2030-03-01)" = 0 ]
}

# Every company of the demo with an account and a signatory subscribes,
# approved: then a cycle has statements to write.
subscribe_all() {
  owner_sql "INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years,
      email, mobile, language, delivery_address, updated_at)
    SELECT est_id, true, 100000000, 1, email, '+97455500000', language, 'Doha', now()
    FROM companies;
    INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid,
      submitted_by, submitted_at, reviewed_by, reviewed_at)
    SELECT c.est_id, 'RN-TEST-' || lpad((row_number() OVER (ORDER BY c.est_id))::text, 4, '0'),
      'active', b.iban, s.qid, s.qid, now(), 'reviewer', now()
    FROM companies c
    JOIN LATERAL (SELECT min(iban) AS iban FROM bank_accounts WHERE est_id = c.est_id) b ON b.iban IS NOT NULL
    JOIN LATERAL (SELECT min(qid) AS qid FROM signatories WHERE est_id = c.est_id) s ON s.qid IS NOT NULL" >/dev/null &&
    [ "$(owner_sql "SELECT count(*) FROM renewal_subscriptions WHERE status = 'active'")" -gt 0 ]
}

t_future_cycle_simulates() {
  local out n
  subscribe_all || return 1
  out=$(make_cycle alert 2030-03-15) || { echo "$out"; return 1; }
  echo "$out"
  n=$(alert_statements 2030-03-15) || return 1
  # It ran against this stack: the statements it counts are in its database.
  grep -qF "Simulating the alert cycle of 2030-03-15 (the clock's today is 2030-03-01)" <<<"$out" &&
    [ "$n" -gt 0 ] && grep -qF "The alert cycle of 2030-03-15: $n companies, $n statements, " <<<"$out"
}

t_completed_cycle_says_so() {
  local out n word=statements
  n=$(alert_statements 2030-03-15) || return 1
  [ "$n" != 1 ] || word=statement
  out=$(make_cycle alert 2030-03-15) || { echo "$out"; return 1; }
  echo "$out"
  grep -qF "The alert cycle of 2030-03-15 already ran (completed 2030-03-01 05:00 UTC) and wrote $n $word; they are on each company's Statements page." <<<"$out" &&
    grep -qxF "  make cycle KIND=alert DATE=2030-04-01" <<<"$out" &&
    ! grep -q "Simulating" <<<"$out" &&
    # Nothing was written the second time.
    [ "$(alert_statements 2030-03-15)" = "$n" ]
}

t_stop_ends_run() {
  local i
  stack_env bash "$RB_ROOT/scripts/stack.sh" stop >"$VAR/stop.out" 2>&1 ||
    { cat "$VAR/stop.out"; return 1; }
  for ((i = 0; i < 50; i++)); do
    kill -0 "$run_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$run_pid" 2>/dev/null; then
    echo "stack.sh run still running 5 s after stack.sh stop"
    return 1
  fi
  wait "$run_pid"
  local rc=$?
  run_pid=
  grep -qF "the stack was stopped (stack.sh stop); exiting" "$OUT" && [ "$rc" = 0 ]
}

check "stack.sh run serves a stack of its own (temp RB_VAR, free ports)" t_run_serves
if [ ${#failed[@]} = 0 ]; then
  check "make cycle honours RB_VAR; a cycle for the clock's today is no simulation" t_today_is_no_simulation
  check "a cycle completed with nothing to do says so, and what to run instead" t_completed_empty_cycle_says_so
  check "a cycle for a future date says it is simulated" t_future_cycle_simulates
  check "a cycle already completed says how many statements it wrote" t_completed_cycle_says_so
  check "stack.sh stop from another terminal ends stack.sh run" t_stop_ends_run
fi

echo "[==========] $((passed + ${#failed[@]})) test(s) run."
echo "[  PASSED  ] $passed test(s)."
if [ ${#failed[@]} -gt 0 ]; then
  echo "[  FAILED  ] ${#failed[@]} test(s), listed below:"
  for f in "${failed[@]}"; do echo "[  FAILED  ] $f"; done
  exit 1
fi
