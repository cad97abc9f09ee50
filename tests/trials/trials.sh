#!/usr/bin/env bash
# Fault trials of a renewal execution (issue 11 §4), black-box: rb-scheduler
# is driven as an operator would and only the database is looked at, so
# the harness holds whatever the cycle's inside looks like.
#
# On a stack of its own (temp RB_VAR, free ports) it generates COMPANIES
# companies (rb-gen), subscribes every one, keeps that database as a
# template, and runs the execution of EXEC_DATE once cleanly: the
# reference. Then each of TRIALS trials starts from a fresh copy of the
# template, runs the execution and, at a random moment inside the
# reference run's duration, kills one of (in turn):
#   scheduler  the only rb-scheduler instance, kill -9
#   instance   one of two instances running the cycle together, kill -9
#   backend    the PostgreSQL backend serving a scheduler, kill -9 (the
#              server restarts every backend) or pg_terminate_backend
#   disk       no kill: the disk the workbooks are assembled on (TMPDIR, a
#              small tmpfs mounted by the trial) is full for the first run
# then runs the execution again to its end and compares with the
# reference: every company's statements (one of each kind, every line),
# every bank debit once, every card delivery, the messages queued, and
# the audit chain (rb-audit-verify). Any difference is an anomaly.
# Prints "trials: N trials, N anomalies" and a cmocka-style summary (one
# test per trial); exits non-zero on any anomaly.
#
# TRIALS (100), COMPANIES (300), PERSONS (12 per company), EXEC_DATE
# (2026-12-08), KINDS (the kinds above, taken in turn; e.g. KINDS=instance
# for the two-instance trials only); RB_BIN (build) holds the programs. TRIALS_KEEP=1 keeps
# the stack's directory.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT" || exit 1
TRIALS=${TRIALS:-100}
COMPANIES=${COMPANIES:-300}
PERSONS=${PERSONS:-$((COMPANIES * 12))}
EXEC_DATE=${EXEC_DATE:-2026-12-08}
BIN=${RB_BIN:-$ROOT/build}
[[ $BIN == /* ]] || BIN=$ROOT/$BIN

# shellcheck source=tests/trials/stack_lib.sh
. "$ROOT/tests/trials/stack_lib.sh"
# shellcheck source=tests/trials/summary.sh
. "$ROOT/tests/trials/summary.sh"
own_stack_prepare
trap 'umount "$RB_VAR/full" 2>/dev/null; own_stack_stop' EXIT
trap 'exit 130' INT TERM
own_stack_start || exit 1
LOG=$RB_VAR/trials.log

"$BIN/rb-gen" --companies "$COMPANIES" --persons "$PERSONS" --grants "$COMPANIES" >>"$LOG" 2>&1 || {
  tail -n 20 "$LOG"; echo "trials: rb-gen failed"; exit 1; }
subscribe_all >>"$LOG" || { echo "trials: subscribing failed"; exit 1; }
# The trials drive the scheduler alone; the app's decision-index follower
# and decision-log flusher would hold connections to the database that a
# template copy needs to itself.
bash "$ROOT/scripts/stack.sh" app-stop >>"$LOG" 2>&1
super -c "CREATE DATABASE trials_base TEMPLATE residency" >>"$LOG" 2>&1 || {
  tail -n 5 "$LOG"
  echo "trials: could not keep the template"; exit 1; }

# A fresh copy of the subscribed database, before any execution. The
# database-level grants are the one thing a template does not carry.
reset_db() {
  super -c "DROP DATABASE residency WITH (FORCE)" \
    -c "CREATE DATABASE residency TEMPLATE trials_base OWNER rb_owner" \
    -c "REVOKE ALL ON DATABASE residency FROM PUBLIC" \
    -c "GRANT CONNECT ON DATABASE residency TO rb_app, rb_scheduler, rb_notifier" >>"$LOG" 2>&1
}

# What the execution left, one line per fact, without ids or instants. A
# debit's idempotency key holds its cycle's row id (est:cycle:qid), shown
# as the cycle's kind and date: two instances opening the cycle together
# both take a number from the sequence and the row may keep the second
# (INSERT ... ON CONFLICT DO NOTHING), a different id for the same cycle,
# which read as every debit missing (the first company's shown first).
digest() {
  owner <<SQL
SELECT 'statement ' || s.est_id || ' ' || s.kind || ' ' || s.cycle_date || ' ' || s.language
       || ' total=' || s.total_dirhams || ' lines=' || s.lines_count || ' ' ||
       md5(coalesce((SELECT string_agg(concat_ws('|', l.line_no, l.qid, l.result, l.reason,
           l.old_expiry, l.new_expiry, l.days_left, l.fee_dirhams, l.late_fine_dirhams,
           l.debit_reference IS NOT NULL, l.iban, l.delivery_from, l.delivery_to), ';'
           ORDER BY l.line_no) FROM statement_lines l WHERE l.statement_id = s.id), ''))
  FROM statements s WHERE s.cycle_date = '$EXEC_DATE'
UNION ALL
SELECT 'statements of a kind ' || est_id || ' ' || kind || ': ' || count(*)
  FROM statements WHERE cycle_date = '$EXEC_DATE' GROUP BY est_id, kind HAVING count(*) <> 1
UNION ALL
SELECT 'debit ' || split_part(idempotency_key, ':', 1) || ':' ||
       coalesce((SELECT c.kind || ' ' || c.cycle_date FROM cycles c
                 WHERE c.id::text = split_part(idempotency_key, ':', 2)), 'no cycle') || ':' ||
       split_part(idempotency_key, ':', 3) || ' ' || iban || ' ' || amount_dirhams || ' ' || status
  FROM bank_debits
UNION ALL
SELECT 'delivery ' || qid || ' ' || est_id || ' ' || window_from || ' ' || window_to
  FROM card_deliveries
UNION ALL
SELECT 'messages queued: ' || count(*) FROM outbox
UNION ALL
SELECT 'companies left undone: ' || count(*) FROM cycle_companies WHERE done_at IS NULL
ORDER BY 1;
SQL
}

run_cycle() { "$BIN/rb-scheduler" run execution "$EXEC_DATE" >>"$LOG" 2>&1; }
audit_ok() { "$BIN/rb-audit-verify" >>"$LOG" 2>&1; }
ms() { echo $(($(date +%s%N) / 1000000)); }
pg_wait() { # PostgreSQL accepts connections again (after a backend's crash)
  local i
  for i in $(seq 1 300); do
    owner -c "SELECT 1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

reset_db || { echo "trials: reset failed"; tail -n 5 "$LOG"; exit 1; }
t0=$(ms)
run_cycle || { echo "trials: the reference run failed"; tail -n 20 "$LOG"; exit 1; }
ref_ms=$(($(ms) - t0))
digest >"$RB_VAR/reference"
cycle_ids() { owner -c "SELECT string_agg(id::text, ',' ORDER BY id) FROM cycles WHERE cycle_date = '$EXEC_DATE'"; }
ref_ids=$(cycle_ids)
audit_ok || { echo "trials: the reference run's audit chain does not verify"; exit 1; }
grep -q '^statement ' "$RB_VAR/reference" || { echo "trials: the reference has no statements"; exit 1; }
echo "trials: reference run of $COMPANIES companies in $ref_ms ms:" \
  "$(grep -c '^statement ' "$RB_VAR/reference") statements," \
  "$(grep -c '^debit ' "$RB_VAR/reference") debits," \
  "$(grep -c '^delivery ' "$RB_VAR/reference") deliveries"

# The pid of the PostgreSQL backend serving a scheduler, once it has one.
backend_pid() {
  local i p
  for i in $(seq 1 50); do
    p=$(owner -c "SELECT pid FROM pg_stat_activity WHERE usename = 'rb_scheduler'
                  ORDER BY backend_start LIMIT 1" 2>/dev/null)
    [ -n "$p" ] && { echo "$p"; return 0; }
    sleep 0.02
  done
  return 1
}

anomalies=0
failed=()
read -r -a kinds <<<"${KINDS:-scheduler instance backend disk}"
FULL=$RB_VAR/full
mkdir -p "$FULL"
# The disk the workbooks are assembled on (TMPDIR), full: a tmpfs of its
# own, filled. Removed after the trial.
full_disk() {
  mount -t tmpfs -o size=256k rb-trial-full "$FULL" &&
    { dd if=/dev/zero of="$FULL/fill" bs=4k status=none 2>/dev/null; true; }
}
for n in $(seq 1 "$TRIALS"); do
  kind=${kinds[$(((n - 1) % ${#kinds[@]}))]}
  delay_ms=$((RANDOM % (ref_ms > 1 ? ref_ms : 1)))
  what="trial $n: $kind at ${delay_ms} ms"
  [ "$kind" != disk ] || what="trial $n: disk full for the first run"
  if ! reset_db; then
    echo "[  FAILED  ] $what: the database could not be reset"; anomalies=$((anomalies + 1))
    failed+=("$what"); continue
  fi
  if [ "$kind" = disk ]; then
    # No kill: the full disk is the fault, for the whole first run.
    full_disk || { echo "trials: cannot mount a tmpfs (root needed)"; exit 1; }
    TMPDIR=$FULL timeout 300 "$BIN/rb-scheduler" run execution "$EXEC_DATE" >>"$LOG" 2>&1 &
  else
    "$BIN/rb-scheduler" run execution "$EXEC_DATE" >>"$LOG" 2>&1 &
  fi
  a=$!
  b=
  if [ "$kind" = instance ]; then
    "$BIN/rb-scheduler" run execution "$EXEC_DATE" >>"$LOG" 2>&1 &
    b=$!
  fi
  sleep "$(awk -v m="$delay_ms" 'BEGIN { printf "%.3f", m / 1000 }')"
  case $kind in
    scheduler|instance) kill -9 "$a" 2>/dev/null ;;
    backend)
      if pid=$(backend_pid); then
        # Every other backend trial each way.
        if [ $(((n - 1) / ${#kinds[@]} % 2)) -eq 0 ]; then kill -9 "$pid" 2>/dev/null
        else owner -c "SELECT pg_terminate_backend($pid)" >/dev/null 2>&1; fi
      fi ;;
  esac
  wait "$a" 2>/dev/null
  first=$?
  [ "$kind" != disk ] || { umount "$FULL"; what+=" (it exited $first)"; }
  [ -z "$b" ] || wait "$b" 2>/dev/null
  pg_wait || true
  # The rerun an operator (or the daemon's next poll) does.
  if ! run_cycle; then
    pg_wait || true
    run_cycle
  fi
  digest >"$RB_VAR/trial"
  ids=$(cycle_ids)
  [ "$ids" = "$ref_ids" ] || what+=" (cycle row $ids, the reference's $ref_ids)"
  # The whole difference kept (TRIALS_KEEP=1 keeps the folder), the
  # first lines and the count of each side shown.
  diff "$RB_VAR/reference" "$RB_VAR/trial" | grep '^[<>]' >"$RB_VAR/trial-$n.diff"
  problems=$(head -n 5 "$RB_VAR/trial-$n.diff")
  [ ! -s "$RB_VAR/trial-$n.diff" ] || problems+=$'\n'"($(grep -c '^<' "$RB_VAR/trial-$n.diff") lines only in the reference, $(grep -c '^>' "$RB_VAR/trial-$n.diff") only in the trial; $RB_VAR/trial-$n.diff)"
  audit_ok || problems+=$'\n'"the audit chain does not verify"
  if [ -n "$problems" ]; then
    anomalies=$((anomalies + 1))
    failed+=("$what")
    echo "[  FAILED  ] $what"
    sed 's/^/    /' <<<"$problems"
  else
    echo "[       OK ] $what"
  fi
done
echo "trials: $TRIALS trials, $anomalies anomalies ($COMPANIES companies, reference run $ref_ms ms)"
summary "$((TRIALS - anomalies))" "${failed[@]}" || { tail -n 20 "$LOG"; exit 1; }
