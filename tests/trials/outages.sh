#!/usr/bin/env bash
# Outages under load (issue 11 §4), on a stack of its own: while a small
# load runs (tests/trials/load.py: sign-ins, a read of the session,
# health), each dependency goes away for OUTAGE_SECONDS (60; make test
# runs 3) and comes back:
#   postgres   scripts/stack.sh pg-stop, then pg-start
#   directory  slapd stopped, then started
#   mail, sms  the SMTP server and the SMS gateway stopped while the
#              notifier has messages to deliver, then started
#   disk       the disks still written to (workbooks are made in memory):
#              the logs', the mail sink's Maildir and the SMS gateway's
#              spool, each a small tmpfs mounted by this test over the
#              stack's folder, filled, while an alert cycle queues new
#              messages for the running notifier; then freed
# and checks: the API answers every request (no timeout), with 503 and
# never another 5xx or a 4xx, and 503 only while a dependency is down (or
# until it has recovered); it recovers by itself; every acknowledged
# sign-in (2xx) is a session in the database afterwards; every queued
# message is delivered exactly once, those queued while the disks were
# full after being refused (tried again, not acknowledged and lost). Prints each recovery time, measured
# from the moment the dependency is back to the first good answer.
# Prints a cmocka-style summary (one test per check).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT" || exit 1
OUTAGE_SECONDS=${OUTAGE_SECONDS:-60}
BIN=${RB_BIN:-$ROOT/build}
[[ $BIN == /* ]] || BIN=$ROOT/$BIN

# shellcheck source=tests/trials/stack_lib.sh
. "$ROOT/tests/trials/stack_lib.sh"
# shellcheck source=tests/trials/summary.sh
. "$ROOT/tests/trials/summary.sh"
own_stack_prepare
export RB_SIGNIN_RATE=1000r/s RB_SIGNIN_BURST=1000
# Retries soon and never parked: an outage of a minute must lose nothing.
export RB_NOTIFY_BACKOFF=1 RB_NOTIFY_MAX_ATTEMPTS=100 RB_NOTIFY_POLL=1
# The folders the disk outage fills, each a tmpfs of its own.
DISKS="$RB_VAR/log $RB_VAR/mail $RB_VAR/sms"
for d in $DISKS; do
  mkdir -p "$d"
  mount -t tmpfs -o size=32m,mode=700 rb-trial-disk "$d" || {
    echo "outages: cannot mount a tmpfs (root needed)"; exit 1; }
done
chmod 755 "$RB_VAR/log"
STOP=$RB_VAR/load.stop
finish() {
  trap - EXIT
  touch "$STOP"
  [ -z "${load_pid:-}" ] || wait "$load_pid" 2>/dev/null
  bash scripts/stack.sh stop >/dev/null 2>&1
  for d in $DISKS; do umount "$d"; done
  own_stack_stop
}
trap finish EXIT
trap 'exit 130' INT TERM
own_stack_start || exit 1
OUT=$RB_VAR/outages
mkdir -p "$OUT"
LOG=$OUT/setup.log

# Messages to deliver: an execution on a few generated companies queues
# emails and SMS; the sign-in user comes from the test fixture.
"$BIN/rb-gen" --companies 20 --persons 240 --grants 20 >>"$LOG" 2>&1 &&
  subscribe_all >>"$LOG" &&
  "$BIN/rb-scheduler" run execution 2026-12-08 >>"$LOG" 2>&1 &&
  "$BIN/rb-load" tests/fixtures/base.json >>"$LOG" 2>&1 || {
  tail -n 20 "$LOG"; echo "outages: setup failed"; exit 1; }
queued=$(owner -c "SELECT count(*) FROM outbox")

ms() { echo $(($(date +%s%N) / 1000000)); }
python3 tests/trials/load.py "$RB_HTTPS_PORT" 27263410001 demo-signatory "$OUT" "$STOP" &
load_pid=$!
sleep 2

# window NAME DOWN_CMD UP_CMD: the dependency away for OUTAGE_SECONDS.
window() {
  local name=$1 down=$2 up=$3 t0 t1
  t0=$(ms)
  eval "$down" >>"$LOG" 2>&1
  sleep "$OUTAGE_SECONDS"
  t1=$(ms)
  eval "$up" >>"$LOG" 2>&1
  echo "$name $t0 $t1 $(ms)" >>"$OUT/windows"
  sleep 2
}
S="bash scripts/stack.sh"
window postgres "$S pg-stop" "$S pg-start"
window directory "$S ldap-stop" "$S ldap-start"
window mail,sms "$S mail-stop; $S sms-stop; $S notifier-start" "$S mail-start; $S sms-start"
# Every disk full, then new messages for the notifier (running since the
# window above): the alerts of the 15th, an email and SMS per company.
fill() { local d; for d in $DISKS; do dd if=/dev/zero of="$d/fill" bs=64k status=none; done; true; }
unfill() { local d; for d in $DISKS; do rm -f "$d/fill"; done; }
disk_mark=$(owner -c "SELECT coalesce(max(id), 0) FROM outbox")
window disk "fill; $BIN/rb-scheduler run alert 2026-12-15" "unfill"
# Every message out, then the load stops.
t_msg=$(awk '$1 == "disk" { print $3 }' "$OUT/windows")
for _ in $(seq 1 600); do
  [ "$(owner -c "SELECT count(*) FROM outbox WHERE status <> 'sent'")" = 0 ] && break
  sleep 0.2
done
msg_ms=$(($(ms) - t_msg))
touch "$STOP"
wait "$load_pid"
load_pid=

fails=()
ok=0
check() { # NAME COND-TEXT: a test of the summary
  if [ -z "$2" ]; then echo "[       OK ] $1"; ok=$((ok + 1))
  else echo "[  FAILED  ] $1: $2"; fails+=("$1"); fi
}

# The answers against the windows: route/status by phase, recovery times.
report=$(python3 - "$OUT/answers" "$OUT/windows" <<'PY'
import sys
answers = [l.split() for l in open(sys.argv[1])]
answers = [(int(t), r, int(s)) for t, r, s in answers]
windows = [l.split() for l in open(sys.argv[2])]
# The route whose good answer says the dependency is back.
probe = {"postgres": "me", "directory": "session", "disk": "session", "mail,sms": "session"}
bad = []
spans = []
for name, t0, t1, t2 in windows:
    t0, t1, t2 = int(t0), int(t1), int(t2)
    good = [t for t, r, s in answers if r == probe[name] and 200 <= s < 300 and t >= t2]
    back = good[0] if good else None
    rec = (back - t2) if back else None
    print("recovery %s %s" % (name, "%d ms" % rec if rec is not None else "never"))
    spans.append((t0, back if back else 1 << 62))
    seen = {s for t, r, s in answers if t0 <= t <= t1}
    print("statuses %s %s" % (name, ",".join(str(s) for s in sorted(seen))))
    if name in ("postgres", "directory") and 503 not in seen:
        bad.append("no 503 while %s was down" % name)
for t, r, s in answers:
    if s == 0:
        bad.append("no answer to %s at %d" % (r, t))
    elif s >= 500 and s != 503:
        bad.append("%d from %s at %d" % (s, r, t))
    elif s == 503 and not any(a <= t <= b for a, b in spans):
        bad.append("503 from %s at %d with every dependency up" % (r, t))
    elif 400 <= s < 500:
        bad.append("%d from %s at %d" % (s, r, t))
print("answers %d" % len(answers))
for b in bad[:10]:
    print("bad " + b)
PY
)
sed -n 's/^\(recovery\|statuses\|answers\) /outages: \1 /p' <<<"$report"
check "the API answered 503 and only 503 while a dependency was down" \
  "$(sed -n 's/^bad //p' <<<"$report" | head -n 5)"
check "the API recovered by itself after each outage" \
  "$(grep '^recovery .* never$' <<<"$report")"
sort -u "$OUT/acked" >"$OUT/acked.sorted"
owner -c "SELECT encode(token_hash, 'hex') FROM sessions" | sort -u >"$OUT/stored"
lost=$(comm -23 "$OUT/acked.sorted" "$OUT/stored" | wc -l)
acked=$(wc -l <"$OUT/acked.sorted")
echo "outages: $acked sign-ins acknowledged"
check "every acknowledged sign-in is in the database" \
  "$([ "$lost" -eq 0 ] && [ "$acked" -gt 0 ] || echo "$lost of $acked lost")"
queued=$(owner -c "SELECT count(*) FROM outbox")
disk_queued=$(owner -c "SELECT count(*) FROM outbox WHERE id > $disk_mark")
disk_tried=$(owner -c "SELECT count(*) FROM outbox WHERE id > $disk_mark AND attempts > 1")
mails=$(find "$RB_VAR/mail/new" -type f | wc -l)
sms=$(find "$RB_VAR/sms" -type f -name '*.json' | wc -l)
tried=$(owner -c "SELECT count(*) FROM outbox WHERE attempts > 1")
sent=$(owner -c "SELECT count(*) FROM outbox WHERE status = 'sent'")
echo "outages: $queued messages queued, $sent sent ($mails emails, $sms SMS), $tried retried;" \
  "all out ${msg_ms} ms after the disks were freed; $disk_queued queued while they were full," \
  "$disk_tried of them refused at first"
check "every queued message delivered exactly once" \
  "$([ "$sent" -eq "$queued" ] && [ $((mails + sms)) -eq "$queued" ] && [ "$queued" -gt 0 ] ||
     echo "$queued queued, $sent sent, $mails emails and $sms SMS delivered")"
check "messages queued while the disks were full were refused, then delivered" \
  "$([ "$disk_queued" -gt 0 ] && [ "$disk_tried" -gt 0 ] ||
     echo "$disk_queued queued, $disk_tried refused at first")"
check "messages were retried through the outage, not parked" \
  "$([ "$tried" -gt 0 ] && [ "$(owner -c "SELECT count(*) FROM outbox WHERE status = 'failed'")" = 0 ] ||
     echo "$tried retried")"
summary "$ok" "${fails[@]}" || { tail -n 20 "$RB_VAR/log/app.log" 2>/dev/null; exit 1; }
