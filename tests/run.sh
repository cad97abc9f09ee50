#!/usr/bin/env bash
# Runs the whole test suite against a throwaway stack:
#   a temp RB_VAR, free ports, scripts/stack.sh start, the base fixture,
#   then $RB_BIN/tests/unit_*, $RB_BIN/tests/it_* (cmocka; RB_BIN defaults
#   to build/) and tests/*_test.sh.
# Prints "N passed, N failed" last (", N skipped" when a test could not run
# here: a script exiting 77 with a SKIP line); exits non-zero on any failure.
# The stack is stopped and the temp dir removed on exit, whatever happens.
# RB_TEST_TIMEOUT (900) limits each test program, in seconds.
# RB_TEST_KEEP=1 keeps the temp dir (logs) for a look afterwards.
# RB_TEST_ONLY='it_grants*|unit_*' runs only the programs whose names match
# one of those patterns (a developer's quick loop; make test runs all).
set -uo pipefail

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$RB_ROOT" || exit 1
# Where the binaries are: rb-fcgi, rb-load and tests/ (make test: build/san).
RB_BIN=${RB_BIN:-$RB_ROOT/build}
[[ $RB_BIN == /* ]] || RB_BIN=$RB_ROOT/$RB_BIN
export RB_BIN

RB_VAR=$(mktemp -d /tmp/rb-test.XXXXXX)
chmod 755 "$RB_VAR"
export RB_VAR

cleanup() {
  trap - EXIT INT TERM
  bash "$RB_ROOT/scripts/stack.sh" stop >/dev/null 2>&1 ||
    bash "$RB_ROOT/scripts/stack.sh" stop
  if [ "${RB_TEST_KEEP:-}" = 1 ]; then
    echo "tests: kept $RB_VAR"
  else
    rm -rf "$RB_VAR"
  fi
}
trap cleanup EXIT
trap 'echo "tests: interrupted" >&2; exit 130' INT TERM

# Six free ports, kept apart from each other.
read -r RB_PG_PORT RB_LDAP_PORT RB_HTTPS_PORT RB_HTTP_PORT RB_SMTP_PORT RB_SMS_PORT < <(python3 - <<'PY'
import socket
socks = []
for _ in range(6):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(*[s.getsockname()[1] for s in socks])
PY
)
export RB_PG_PORT RB_LDAP_PORT RB_HTTPS_PORT RB_HTTP_PORT RB_SMTP_PORT RB_SMS_PORT
export RB_PG_FAST=1 RB_SIGNIN_RATE=1000r/s RB_SIGNIN_BURST=1000
# Below nginx's 1m so that the application's own limit is tested too.
export RB_BODY_MAX=65536
# Several worker processes, each with its own decision index, so that the
# tests see a revocation reach every one of them (make run has one).
export RB_WORKERS=${RB_WORKERS:-4} RB_THREADS=${RB_THREADS:-8}
# The tests reach nginx over loopback; it_signals says which address a
# sign-in came from with X-Forwarded-For, honoured from this proxy only.
export RB_TRUSTED_PROXY=127.0.0.1
# Tests run cycles with the scheduler's one-shot command, or start the
# daemon themselves (scripts/stack.sh scheduler-start).
export RB_NO_SCHEDULER=1 RB_SCHED_POLL=1
# Notifications are delivered by `rb-notifier --once` in the tests that
# look at them; a message is parked after three failed attempts.
export RB_NO_NOTIFIER=1 RB_NOTIFY_MAX_ATTEMPTS=3 RB_NOTIFY_POLL=1
export RB_CLOCK_FILE=$RB_VAR/clock
# Temporary files (workbooks being assembled, even by a scheduler killed
# with -9 on purpose) go with the test directory.
mkdir -p "$RB_VAR/tmp"
export TMPDIR=$RB_VAR/tmp
export CMOCKA_MESSAGE_OUTPUT=STDOUT

LOGDIR=$RB_VAR/test-logs
mkdir -p "$LOGDIR"
passed=0
failed=0
skipped=0
failures=()
skips=()

show_logs() {
  local f
  for f in app.log scheduler.log notifier.log mail.log sms.log nginx-error.log postgres.log slapd.log; do
    [ -s "$RB_VAR/log/$f" ] || continue
    echo "----- tail of $f -----"
    tail -n 40 "$RB_VAR/log/$f"
  done
}

t0=$(date +%s%N)
if ! bash scripts/stack.sh start; then
  echo "tests: the stack did not start" >&2
  show_logs
  echo "0 passed, 1 failed"
  exit 1
fi
echo "tests: stack up in $((($(date +%s%N) - t0) / 1000000)) ms (RB_VAR=$RB_VAR)"

set -a
# shellcheck disable=SC1091
. "$RB_VAR/stack.env"
set +a

if [ -f tests/fixtures/base.json ]; then
  if [ -x "$RB_BIN/rb-load" ]; then
    if ! "$RB_BIN/rb-load" tests/fixtures/base.json >"$LOGDIR/load-base.log" 2>&1; then
      cat "$LOGDIR/load-base.log"
      echo "tests: FAILED to load tests/fixtures/base.json"
      failed=$((failed + 1)); failures+=("load tests/fixtures/base.json")
    fi
  else
    echo "tests: FAILED: $RB_BIN/rb-load missing, cannot load tests/fixtures/base.json"
    failed=$((failed + 1)); failures+=("$RB_BIN/rb-load missing")
  fi
fi

# run_one NAME CMD...: run a test program, count its cmocka results.
run_one() {
  local name=$1 log rc p f
  shift
  if [ -n "${RB_TEST_ONLY:-}" ]; then
    local pat ok=0
    IFS='|' read -ra pats <<<"$RB_TEST_ONLY"
    for pat in "${pats[@]}"; do
      # shellcheck disable=SC2053
      [[ $(basename "$name") == $pat ]] && ok=1
    done
    [ "$ok" = 1 ] || return 0
  fi
  log=$LOGDIR/$(basename "$name").log
  echo "=== $name"
  timeout -k 10 "${RB_TEST_TIMEOUT:-900}" "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
  f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s), listed below:.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
  # 77 (automake's convention): could not run here, neither passed nor failed.
  if [ "$rc" -eq 77 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    skipped=$((skipped + 1))
    skips+=("$name")
    return 0
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "tests: $name exited with status $rc and no FAILED line: counted as 1 failure"
    f=1
  fi
  if [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    p=1 # a script or program with no cmocka summary that succeeded
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$f" -eq 0 ] || failures+=("$name ($f)")
}

shopt -s nullglob
for kind in unit it; do
  for t in $(printf '%s\n' "$RB_BIN"/tests/"$kind"_* | LC_ALL=C sort); do
    if [ -f "$t" ] && [ -x "$t" ]; then run_one "${t#"$RB_ROOT"/}" "$t"; fi
  done
done
for t in $(printf '%s\n' tests/*_test.sh | LC_ALL=C sort); do
  run_one "$t" bash "$t"
done

# A sanitizer report from a server process fails the run even when the
# request that triggered it was retried or its test still passed.
if cat "$RB_VAR"/log/app.log "$RB_VAR"/log/scheduler.log "$RB_VAR"/log/notifier.log 2>/dev/null |
  grep -qE 'ERROR: (Address|Leak|Thread)Sanitizer|runtime error:'; then
  echo "tests: FAILED: sanitizer report in app.log, scheduler.log or notifier.log:"
  cat "$RB_VAR"/log/app.log "$RB_VAR"/log/scheduler.log "$RB_VAR"/log/notifier.log 2>/dev/null |
    grep -m 5 -E 'ERROR: (Address|Leak|Thread)Sanitizer|runtime error:' 
  failed=$((failed + 1)); failures+=("sanitizer report from rb-fcgi")
else
  passed=$((passed + 1))
fi

if [ "$failed" -gt 0 ]; then
  echo
  echo "tests: failures:"
  printf '  %s\n' "${failures[@]}"
  echo
  show_logs
fi
if [ "$skipped" -gt 0 ]; then
  echo "tests: skipped (not run here, not counted as passed): ${skips[*]}"
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
