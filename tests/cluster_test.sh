#!/usr/bin/env bash
# The cluster in network namespaces (issue 17 §1, §4, §6): starts its own
# (scripts/cluster.sh, a prefix and a folder of its own), loads the base
# fixture, and checks, under a steady GET load sent to the namespaces'
# addresses only (wrk, bounded in time, from the front's namespace):
#   - both application hosts serve (/api/v1/health names the host);
#   - only the front may talk FastCGI to an application host, only the
#     cluster's hosts reach the primary;
#   - one host's rb-fcgi killed with -9, then brought back: no failed GET;
#   - the replica stopped and started: the service stays whole, and the
#     replica catches up;
#   - the primary restarted: requests fail for a while, then recover;
#   - read-your-writes through the replica (a grant, an exclusion upload);
#   - both hosts' schedulers share one execution cycle, one killed mid-way:
#     it completes exactly once (statements, debits, renewals counted
#     against what the companies should have).
# The load also downloads statements (a signatory's list and the .xlsx of
# an alert cycle run before the faults): from the replica, from the primary
# while the replica is stopped, none failing. A writer (grants and their
# revocations) runs during app1's kill -9 and the primary's restart: every
# write answered 2xx is then on the primary and on the replica.
# Prints the figures of §4 (sent, failed, retried, time to whole) as
# "cluster: figure ..." lines. Exits 77 (tests/run.sh: skipped) with a
# SKIP line where network namespaces cannot be created.
set -uo pipefail

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$RB_ROOT" || exit 1
RB_BIN=${RB_BIN:-$RB_ROOT/build}
[[ $RB_BIN == /* ]] || RB_BIN=$RB_ROOT/$RB_BIN

# Our own prefix: a developer's `make cluster` (rb-) may be running.
P=ct$(($$ % 100000))-
WORK=$(mktemp -d /tmp/rb-cluster-test.XXXXXX)
chmod 755 "$WORK"
CL=$WORK/c
NET=10.77.$((($$ % 200) + 20))
FRONT=$NET.10
export RB_CLUSTER_PREFIX=$P RB_CLUSTER_VAR=$CL RB_CLUSTER_NET=$NET RB_BIN
export RB_PG_FAST=1 RB_NO_SCHEDULER=1 RB_NO_NOTIFIER=1 RB_SIGNIN_RATE=1000r/s RB_SIGNIN_BURST=1000
export RB_CLOCK_FILE=$WORK/clock RB_FAIL_TIMEOUT=3s
fails=0

say() { printf 'cluster: %s\n' "$*"; }
fail() { printf 'cluster: FAIL: %s\n' "$*"; fails=$((fails + 1)); }
ok() { printf 'cluster: ok: %s\n' "$*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
cl() { bash "$RB_ROOT/scripts/cluster.sh" "$@"; }
in_ns() {
  local h=$1
  shift
  ip netns exec "$P$h" "$@"
}

cleanup() {
  trap - EXIT INT TERM
  cl stop >"$WORK/stop.log" 2>&1 || cat "$WORK/stop.log"
  if ip netns list | grep -q "^$P"; then
    echo "cluster: FAIL: namespaces left behind: $(ip netns list | grep "^$P" | tr '\n' ' ')"
    exit 1
  fi
  if [ "${RB_TEST_KEEP:-}" = 1 ]; then echo "cluster: kept $WORK"; else rm -rf "$WORK"; fi
}

if ! ip netns add "${P}probe" 2>/dev/null; then
  echo "SKIP: cluster_test: network namespaces cannot be created here (ip netns add: needs root and CAP_SYS_ADMIN)"
  rm -rf "$WORK"
  exit 77
fi
ip netns delete "${P}probe"
trap cleanup EXIT
trap 'exit 130' INT TERM

# A start that fails at its last host (nginx refuses a bad setting) stops
# what it started and removes its namespaces, veths and bridge.
if RB_CLUSTER_PREFIX=${P%-}x- RB_CLUSTER_VAR=$WORK/bad RB_CLUSTER_PORT=0 RB_SIGNIN_RATE=bogus \
  bash "$RB_ROOT/scripts/cluster.sh" start >"$WORK/bad-start.log" 2>&1; then
  fail "a cluster with RB_SIGNIN_RATE=bogus started"
elif ip netns list | grep -q "^${P%-}x-" || ip link show "${P%-}x-br" >/dev/null 2>&1 ||
  [ -n "$(ps -eo args | grep -F "$WORK/bad/" | grep -v grep)" ]; then
  fail "a failed start left namespaces, a bridge or processes behind"
else
  ok "a start that failed at the front left nothing behind"
fi

# The front reached from this machine through scripts/cluster_forward.py.
FWD_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export RB_CLUSTER_PORT=$FWD_PORT
t0=$(now_ms)
if ! cl start >"$WORK/start.log" 2>&1; then
  cat "$WORK/start.log"
  fail "the cluster did not start"
  exit 1
fi
say "figure: cluster up in $(($(now_ms) - t0)) ms"
CA=$CL/front/tls/cert.pem
api() { in_ns front curl -s --cacert "$CA" "$@"; }

# The base fixture, loaded on the primary's host with its tools' settings.
if ! in_ns db1 bash -c "set -a; . '$CL/db1/stack.env'; set +a; '$RB_BIN/rb-load' tests/fixtures/base.json" \
  >"$WORK/load.log" 2>&1; then
  cat "$WORK/load.log"
  fail "rb-load tests/fixtures/base.json"
fi

# psql on a database host, as postgres, on its own socket.
sql() {
  local h=$1
  shift
  in_ns "$h" runuser -u postgres -- psql -X -q -At -h "$CL/$h/pg/run" -d residency -v ON_ERROR_STOP=1 "$@"
}

# --- both hosts serve -----------------------------------------------------

hosts_seen() {
  local i
  for ((i = 0; i < 20; i++)); do
    # Only a whole answer counts (a host whose database is away says "degraded").
    api https://$FRONT/api/v1/health | jq -r 'select(.status == "ok") | .host'
  done | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' '
}
seen=$(hosts_seen)
if [[ $seen == *app1=* && $seen == *app2=* ]]; then ok "both hosts serve ($seen)"; else fail "both hosts serve: saw $seen"; fi
h=$(curl -s --cacert "$CA" "https://127.0.0.1:$FWD_PORT/api/v1/health" | jq -r .host)
[[ $h == app[12] ]] && ok "the front answers on 127.0.0.1:$FWD_PORT too ($h)" ||
  fail "the front through 127.0.0.1:$FWD_PORT answered host '$h'"
# The replica streams from the primary.
rep=$(sql db1 -c "SELECT host(client_addr) || ' ' || state FROM pg_stat_replication")
[ "$rep" = "$NET.22 streaming" ] && ok "db2 streams from db1" || fail "pg_stat_replication: '$rep'"
[ "$(sql db2 -c 'SELECT pg_is_in_recovery()')" = t ] && ok "db2 is a hot standby" || fail "db2 not in recovery"
n1=$(sql db1 -c "SELECT count(*) FROM companies")
for ((i = 0; i < 50; i++)); do
  n2=$(sql db2 -c "SELECT count(*) FROM companies")
  [ "$n2" = "$n1" ] && break
  sleep 0.1
done
[ "$n1" -gt 0 ] && [ "$n2" = "$n1" ] && ok "the replica reads the fixture's $n1 companies" ||
  fail "companies: primary $n1, replica $n2"

# --- read-your-writes through the replica (§2, §6) --------------------------
# The replica's replay paused: a signatory's grant and exclusion upload are
# read back at once with the write's token (the rb_consistency cookie),
# from the primary; the same reads without the token are the replica's,
# without them, which shows they went to the replica at all.
RYW_EST=10000001 RYW_REP=28035610007 RYW_EXCL=28435610011
JAR=$WORK/ryw.jar
# First every worker that answers must have the replica in reads (each
# looks at it by itself, and a first look that failed waits 5 s): twenty
# health answers in a row say so.
in_reads=0
for ((i = 0; i < 150 && in_reads < 20; i++)); do
  if [ "$(api "https://$FRONT/api/v1/health" | jq -r .replica.in_reads)" = true ]; then
    in_reads=$((in_reads + 1))
  else
    in_reads=0
    sleep 0.1
  fi
done
[ "$in_reads" -ge 20 ] || fail "the replica is not in reads on every worker: $(api "https://$FRONT/api/v1/health")"
sql db2 -c 'SELECT pg_wal_replay_pause()' >/dev/null
ryw=$(api -c "$JAR" -b "$JAR" -H 'Content-Type: application/json' \
  -d '{"username":"27263410001","password":"demo-signatory"}' "https://$FRONT/api/v1/session")
CSRF=$(jq -r .csrf_token <<<"$ryw")
st=$(api -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" -H 'Content-Type: application/json' \
  -H "X-CSRF-Token: $CSRF" -d "{\"qid\":\"$RYW_REP\",\"services\":[\"EXIT_PERMIT\"]}" \
  "https://$FRONT/api/v1/companies/$RYW_EST/grants")
printf 'qid,note\n%s,on long leave\n' "$RYW_EXCL" >"$WORK/ryw.csv"
st2=$(api -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" -H 'Content-Type: text/csv' \
  -H "X-CSRF-Token: $CSRF" --data-binary @"$WORK/ryw.csv" "https://$FRONT/api/v1/companies/$RYW_EST/exclusions")
grep -v rb_consistency "$JAR" >"$WORK/ryw0.jar"
# ryw_reads JAR PATH NEEDLE: of 10 reads (spread over both hosts), how many name NEEDLE.
ryw_reads() {
  local i n=0
  for ((i = 0; i < 10; i++)); do
    api -b "$1" "https://$FRONT$2" | grep -q "$3" && n=$((n + 1))
  done
  echo $n
}
if [ "$st" = 201 ] && [ "$st2" = 200 ] && grep -q rb_consistency "$JAR"; then
  # The reads without the token first: a replica paused for longer than
  # RB_REPLICA_MAX_LAG_MS (10 s) is taken out of reads, and on a busy
  # machine forty reads can take that long.
  g0=$(ryw_reads "$WORK/ryw0.jar" "/api/v1/companies/$RYW_EST/grants" "$RYW_REP")
  e0=$(ryw_reads "$WORK/ryw0.jar" "/api/v1/companies/$RYW_EST/exclusions" "$RYW_EXCL")
  g1=$(ryw_reads "$JAR" "/api/v1/companies/$RYW_EST/grants" "$RYW_REP")
  e1=$(ryw_reads "$JAR" "/api/v1/companies/$RYW_EST/exclusions" "$RYW_EXCL")
  [ "$g1/$e1" = 10/10 ] && ok "read-your-writes through the cluster: the grant and the exclusion read back with the token, on both hosts" ||
    fail "reads with the token: grant $g1/10, exclusion $e1/10 fresh"
  [ "$g0/$e0" = 0/0 ] && ok "without the token the same reads are the paused replica's (stale): reads do go to db2" ||
    fail "reads without the token: grant $g0/10, exclusion $e0/10 fresh (the replica is paused)"
else
  fail "the signatory's writes: grant $st, exclusions $st2, token cookie $(grep -c rb_consistency "$JAR")"
fi
sql db2 -c 'SELECT pg_wal_replay_resume()' >/dev/null

# --- who may connect -----------------------------------------------------

# fcgi_probe ADDR: sends one FastCGI GET /api/v1/health and prints the
# status line of the answer, or "closed" when the server hung up at once.
fcgi_probe() {
  python3 - "$1" <<'PY'
import socket, struct, sys
def rec(t, body):
    return struct.pack(">BBHHBx", 1, t, 1, len(body), 0) + body
def nv(k, v):
    return bytes([len(k)]) + bytes([len(v)]) + k + v
params = b"".join(nv(k, v) for k, v in [(b"REQUEST_METHOD", b"GET"),
    (b"REQUEST_URI", b"/api/v1/health"), (b"REMOTE_ADDR", b"10.0.0.1")])
s = socket.create_connection((sys.argv[1], 9000), timeout=5)
s.sendall(rec(1, struct.pack(">HB5x", 1, 0)) + rec(4, params) + rec(4, b"") + rec(5, b""))
data = b""
try:
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
        if b"\x01\x03\x00\x01" in data:  # END_REQUEST
            break
except OSError:
    pass
i = data.find(b"Status:")
print(data[i:data.find(b"\r\n", i)].decode() if i >= 0 else "closed")
PY
}
a=$(in_ns front bash -c "$(declare -f fcgi_probe); fcgi_probe $NET.11")
b=$(in_ns app2 bash -c "$(declare -f fcgi_probe); fcgi_probe $NET.11")
[ "$a" = "Status: 200 OK" ] && ok "the front talks FastCGI to app1 ($a)" || fail "front to app1:9000: $a"
[ "$b" = closed ] && ok "app2 may not talk FastCGI to app1 (connection closed)" || fail "app2 to app1:9000: $b"
if in_ns front env PGPASSWORD="$(cat "$CL/secrets/pg_app")" psql -X -At -h "$NET.21" -U rb_app -d residency \
  -c 'SELECT 1' >"$WORK/hba.log" 2>&1; then
  fail "the front host reached the primary as rb_app"
elif grep -q 'no pg_hba.conf entry' "$WORK/hba.log"; then
  ok "the primary refuses rb_app from the front host (pg_hba)"
else
  fail "front to db1: $(cat "$WORK/hba.log")"
fi

# replica_caught_up: waits (up to 20 s) until db2 has replayed the
# primary's current WAL position.
replica_caught_up() {
  local lsn i
  lsn=$(sql db1 -c "SELECT pg_current_wal_lsn()")
  for ((i = 0; i < 200; i++)); do
    [ "$(sql db2 -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && return 0
    sleep 0.1
  done
  fail "the replica did not replay $lsn in 20 s"
  return 1
}

# --- statements to download (§4: the load downloads statements) -----------
# Company 10000001 enrolled in automatic renewal (as an approved
# subscription leaves it) and one alert cycle run by app1's scheduler
# one-shot, so the signatory has a statement and its workbook to fetch
# under the faults below.
ST_EST=10000001 ALERT_DATE=2026-12-01
sql db1 >"$WORK/renewal.log" 2>&1 <<SQL || { cat "$WORK/renewal.log"; fail "renewal settings of $ST_EST"; }
INSERT INTO renewal_settings VALUES ('$ST_EST', true, 500000, 1, 'hr@alnoor.example', '+97455000001', 'ar', 'Doha', now());
INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid, submitted_by, submitted_at,
  reviewed_by, reviewed_at) VALUES ('$ST_EST', 'RN-1000-0001', 'active', 'QA93QNBA000000000000123456789',
  '27263410001', 'test', now(), 'test', now());
SQL
cl app1 sched-run alert "$ALERT_DATE" >"$WORK/sched-alert.log" 2>&1 ||
  { cat "$WORK/sched-alert.log"; fail "the alert cycle of $ALERT_DATE on app1"; }
# The signatory's reads (no write of theirs, no token) are the replica's:
# once it has replayed the cycle.
replica_caught_up
SJAR=$WORK/signatory.jar
sig=$(api -c "$SJAR" -H 'Content-Type: application/json' \
  -d '{"username":"27263410001","password":"demo-signatory"}' "https://$FRONT/api/v1/session")
SCSRF=$(jq -r .csrf_token <<<"$sig")
scookie=$(awk '$6 == "__Host-session" {print $6 "=" $7}' "$SJAR")
[ -n "$scookie" ] && [ -n "$SCSRF" ] || fail "the signatory could not sign in: $sig"
STLIST="/api/v1/companies/$ST_EST/statements"
sid=$(api -b "$SJAR" "https://$FRONT$STLIST?kind=alert&date=$ALERT_DATE" | jq -r '.items[0].id // empty')
if [ -n "$sid" ]; then
  STXLSX="/api/v1/statements/$sid.xlsx"
  st=$(api -b "$SJAR" -o "$WORK/statement.xlsx" -w '%{http_code}' "https://$FRONT$STXLSX")
  sum=$(sha256sum "$WORK/statement.xlsx" | cut -d' ' -f1)
  [ "$st" = 200 ] && [ "$(head -c2 "$WORK/statement.xlsx")" = PK ] &&
    [ "$(sql db1 -c "SELECT encode(sha256, 'hex') FROM statements WHERE id = $sid")" = "$sum" ] &&
    ok "the alert's statement $sid downloads ($(stat -c %s "$WORK/statement.xlsx") bytes, the stored sha256)" ||
    fail "the statement $sid's workbook: status $st, sha256 $sum"
else
  fail "no alert statement of $ST_EST on $ALERT_DATE through the API (the primary has $(sql db1 -c \
    "SELECT count(*) FROM statements WHERE est_id = '$ST_EST' AND kind = 'alert'")): $(tail -n 5 "$CL/app1/log/scheduler.log")"
  STXLSX=/api/v1/health
fi

# --- load and faults -------------------------------------------------------

ACCESS=$CL/front/log/nginx-access.log
# A services account's session, made on whichever host the front chose:
# sessions are in the database, so either host honours it.
cookie=$(api -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"svc-visa","password":"demo-service"}' "https://$FRONT/api/v1/session" |
  sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n1)
[ -n "$cookie" ] || fail "svc-visa could not sign in"
CHECK="/api/v1/authorize?qid=27263410001&est_id=10000001&service=EXIT_PERMIT"
a=$(api -H "Cookie: $cookie" "https://$FRONT$CHECK" | jq -r .allowed)
[ "$a" = true ] || [ "$a" = false ] && ok "an authorization check answers ($a)" || fail "the check answered '$a'"
# A quarter each: health (the database and the directory), authorization
# checks, the signatory's statement list and the alert statement's
# workbook (the last two replica-tolerant reads: without a consistency
# token they go to db2, or to db1 while db2 is away).
cat >"$WORK/load.lua" <<LUA
local n = 0
request = function()
  n = n + 1
  if n % 4 == 0 then return wrk.format("GET", "/api/v1/health") end
  if n % 4 == 1 then return wrk.format("GET", "$CHECK", { ["Cookie"] = "$cookie" }) end
  if n % 4 == 2 then return wrk.format("GET", "$STLIST", { ["Cookie"] = "$scookie" }) end
  return wrk.format("GET", "$STXLSX", { ["Cookie"] = "$scookie" })
end
LUA
# How many times the primary's backends have read the statements tables
# (scans of statements and its lines, as pg_stat_user_tables counts them,
# flushed by idle backends within a second or so): the replica-tolerant
# downloads add to it only while the replica is away.
st_scans() {
  sql db1 -c "SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0) FROM pg_stat_user_tables
    WHERE relname LIKE 'statement%'"
}
# load SECONDS NAME: wrk from the front's namespace against its address,
# in the background; load_done prints the figures and checks the failures.
load() {
  LOAD_NAME=$2
  LOAD_MARK=$(wc -l <"$ACCESS")
  LOAD_SCANS=$(st_scans)
  in_ns front wrk -t2 -c8 -d"$1"s --timeout 10s -s "$WORK/load.lua" "https://$FRONT/" >"$WORK/wrk-$2.log" 2>&1 &
  LOAD_PID=$!
}

# load_done [MAX_FAILED]: waits for wrk, prints sent/failed/retried, and
# checks no more than MAX_FAILED failed (no check without it).
load_done() {
  local max=${1:-} sent non2xx sockerr retried dl dl_ok lists
  wait "$LOAD_PID"
  sent=$(sed -n 's/^ *\([0-9][0-9]*\) requests in.*/\1/p' "$WORK/wrk-$LOAD_NAME.log")
  non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$WORK/wrk-$LOAD_NAME.log")
  sockerr=$(sed -n 's/^ *Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' \
    "$WORK/wrk-$LOAD_NAME.log" | awk '{print $1 + $2 + $3 + $4}')
  non2xx=${non2xx:-0} sockerr=${sockerr:-0}
  # nginx's access lines of this load that went to two hosts.
  retried=$(tail -n +"$((LOAD_MARK + 1))" "$ACCESS" | grep -c '"upstream":"[^"]*, ' || true)
  LOAD_FAILED=$((non2xx + sockerr))
  # The statement lists and workbooks of this load, and how many were 200
  # (leaving out the 499s of the requests wrk gave up at its end).
  tail -n +"$((LOAD_MARK + 1))" "$ACCESS" | grep -F '"uri":"/api/v1/' | grep -F '/statements' |
    grep -vF '"status":499' >"$WORK/st-$LOAD_NAME.log"
  dl=$(grep -c '\.xlsx' "$WORK/st-$LOAD_NAME.log" || true)
  dl_ok=$(grep '\.xlsx' "$WORK/st-$LOAD_NAME.log" | grep -c '"status":200' || true)
  lists=$(grep -vc '\.xlsx' "$WORK/st-$LOAD_NAME.log" || true)
  sleep 1.5
  LOAD_SCANS=$(($(st_scans) - LOAD_SCANS))
  say "figure: $LOAD_NAME: sent ${sent:-?}, failed $LOAD_FAILED (non-2xx $non2xx, socket errors $sockerr), retried on the other host $retried"
  say "figure: $LOAD_NAME: of them statement downloads $dl ($dl_ok answered 200) and statement lists $lists; the primary read the statements tables $LOAD_SCANS times"
  LOAD_DOWNLOADS=$dl LOAD_DOWNLOADS_OK=$dl_ok
  if [ -z "$sent" ] || [ "$sent" -lt 50 ]; then
    fail "$LOAD_NAME: the load sent ${sent:-nothing}"
    cat "$WORK/wrk-$LOAD_NAME.log"
  elif [ -n "$max" ] && [ "$LOAD_FAILED" -gt "$max" ]; then
    fail "$LOAD_NAME: $LOAD_FAILED failed requests (at most $max)"
  elif [ -n "$max" ]; then
    ok "$LOAD_NAME: $LOAD_FAILED failed requests"
  fi
  LOAD_RETRIED=$retried
}

# A host's pids in its namespace whose command line names NAME.
ns_pids() {
  local pid
  for pid in $(ip netns pids "$P$1"); do
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2" && echo "$pid"
  done
}

# until_host NAME SECONDS: polls health until NAME answers; prints ms waited.
until_host() {
  local t=$(now_ms) i
  for ((i = 0; i < $2 * 10; i++)); do
    [ "$(api "https://$FRONT/api/v1/health" | jq -r .host 2>/dev/null)" = "$1" ] && { echo $(($(now_ms) - t)); return 0; }
    sleep 0.1
  done
  echo never
  return 1
}

# writer NAME SECONDS: in the background, for SECONDS, the signatory
# grants EXIT_PERMIT to one of twelve employees of 10000001 in turn and
# revokes each grant it was answered 201 for (curl bounded to 5 s a
# request). Each answer is a line of $WORK/writes-NAME.log: "grant QID
# STATUS ID" or "revoke ID STATUS"; an id comes only from a 2xx answer.
WQIDS=(29935600201 29935600202 29935600203 29935600204 29935600205 29935600206
  29935600207 29935600208 29935600209 29935600210 29935600211 29935600212)
writer() {
  local end=$(($(now_ms) + $2 * 1000)) i=0 qid out st id
  : >"$WORK/writes-$1.log"
  while [ "$(now_ms)" -lt "$end" ]; do
    qid=${WQIDS[i % ${#WQIDS[@]}]}
    i=$((i + 1))
    out=$(api -m 5 -w '\n%{http_code}' -b "$SJAR" -H 'Content-Type: application/json' -H "X-CSRF-Token: $SCSRF" \
      -d "{\"qid\":\"$qid\",\"services\":[\"EXIT_PERMIT\"]}" "https://$FRONT/api/v1/companies/$ST_EST/grants")
    st=${out##*$'\n'}
    id=
    [ "$st" = 201 ] && id=$(jq -r '.items[0].id' <<<"${out%$'\n'*}" 2>/dev/null)
    echo "grant $qid ${st:-000} $id" >>"$WORK/writes-$1.log"
    [ -n "$id" ] || continue
    st=$(api -m 5 -o /dev/null -w '%{http_code}' -b "$SJAR" -H "X-CSRF-Token: $SCSRF" -X DELETE \
      "https://$FRONT/api/v1/companies/$ST_EST/grants/$id")
    echo "revoke $id ${st:-000}" >>"$WORK/writes-$1.log"
  done
}
writer_start() {
  writer "$1" "$2" &
  WRITER_PID=$!
}

# writer_done NAME: every acknowledged write is in the primary's database
# (the grant with its person, the revocation's revoked_at) and, once the
# replica has replayed the primary's position, on the replica too.
writer_done() {
  local log=$WORK/writes-$1.log sent acked failed vals revs lost1 lost2
  wait "$WRITER_PID"
  sent=$(wc -l <"$log")
  acked=$(awk '($1 == "grant" && $3 ~ /^2/) || ($1 == "revoke" && $3 ~ /^2/)' "$log" | wc -l)
  failed=$((sent - acked))
  vals=$(awk '$1 == "grant" && $3 ~ /^2/ {printf "%s(%d, '\''%s'\'')", n++ ? ", " : "", $4, $2}' "$log")
  revs=$(awk '$1 == "revoke" && $3 ~ /^2/ {printf "%s%d", n++ ? ", " : "", $2}' "$log")
  # found HOST: how many acknowledged writes HOST's database holds.
  found() {
    sql "$1" -c "SELECT (SELECT count(*) FROM (VALUES ${vals:-(0, '')}) v(id, qid) JOIN grants g
        ON g.id = v.id AND g.qid = v.qid AND g.est_id = '$ST_EST' AND g.service = 'EXIT_PERMIT')
      + (SELECT count(*) FROM grants WHERE id IN (${revs:-0}) AND revoked_at IS NOT NULL)"
  }
  lost1=$((acked - $(found db1)))
  replica_caught_up
  lost2=$((acked - $(found db2)))
  say "figure: writes during $1: sent $sent, acknowledged $acked, failed $failed, lost $lost1 (primary), lost $lost2 (replica)"
  if [ "$acked" -lt 5 ]; then
    fail "writes during $1: only $acked acknowledged of $sent (see $log)"
  elif [ "$lost1" = 0 ] && [ "$lost2" = 0 ]; then
    ok "writes during $1: all $acked acknowledged are on the primary and on the replica"
  else
    fail "writes during $1: acknowledged and then lost: $lost1 on the primary, $lost2 on the replica"
  fi
}

# 1. One application host's rb-fcgi killed with -9, then brought back.
load 9 "kill -9 app1's rb-fcgi"
writer_start "kill -9 of app1" 8
sleep 2
kill_pids=$(ns_pids app1 rb-fcgi | tr '\n' ' ')
[ -n "$kill_pids" ] || fail "no rb-fcgi in app1"
t_kill=$(now_ms)
# shellcheck disable=SC2086
kill -KILL $kill_pids
sleep 3
cl app1 app-start >"$WORK/app1-start.log" 2>&1 || { cat "$WORK/app1-start.log"; fail "app1's rb-fcgi did not start again"; }
back=$(until_host app1 20)
load_done 0
# The replica up: the downloads are db2's, the primary hardly reads a statement.
if [ "$LOAD_DOWNLOADS" -gt 0 ] && [ "$LOAD_DOWNLOADS_OK" = "$LOAD_DOWNLOADS" ] && [ $((LOAD_SCANS * 10)) -lt "$LOAD_DOWNLOADS" ]; then
  ok "kill -9 of app1: $LOAD_DOWNLOADS statement downloads, all 200, read from the replica (the primary read statements $LOAD_SCANS times)"
else
  fail "kill -9 of app1: $LOAD_DOWNLOADS_OK of $LOAD_DOWNLOADS downloads 200, the primary read statements $LOAD_SCANS times"
fi
writer_done "kill -9 of app1"
[ "$back" != never ] && say "figure: app1 killed: whole again $(($(now_ms) - t_kill)) ms after the kill (app1 answered ${back} ms after its restart)" ||
  fail "app1 never answered again"
[ "$LOAD_RETRIED" -gt 0 ] && ok "nginx retried GETs on app2 ($LOAD_RETRIED)" || say "no request needed a retry (app1 idle at the kill)"
seen=$(hosts_seen)
[[ $seen == *app1=* && $seen == *app2=* ]] && ok "both hosts serve again ($seen)" || fail "after app1's return: $seen"

# A POST is never retried on the other host once sent: a sign-in that a
# host dies serving is answered 502/503, not done twice. (Checked from the
# configuration nginx runs: no non_idempotent.)
directives=$(grep -v '^[[:space:]]*#' "$CL/front/nginx/nginx.conf")
if grep -q 'fastcgi_next_upstream error timeout;' <<<"$directives" && ! grep -q non_idempotent <<<"$directives"; then
  ok "nginx retries idempotent requests only (fastcgi_next_upstream error timeout)"
else
  fail "nginx.conf's fastcgi_next_upstream"
fi

# 2. The replica stopped, then started.
load 6 "replica stopped and started"
sleep 1
cl db2 pg-stop >"$WORK/db2.log" 2>&1 || fail "db2 did not stop"
sleep 2
t_rep=$(now_ms)
cl db2 pg-start >>"$WORK/db2.log" 2>&1 || { cat "$WORK/db2.log"; fail "db2 did not start"; }
load_done 0
# The replica away: the same downloads fall back to the primary, none fails.
if [ "$LOAD_DOWNLOADS" -gt 0 ] && [ "$LOAD_DOWNLOADS_OK" = "$LOAD_DOWNLOADS" ] && [ "$LOAD_SCANS" -gt 0 ]; then
  ok "replica stopped: $LOAD_DOWNLOADS statement downloads, all 200, the primary serving them while db2 was away (it read statements $LOAD_SCANS times)"
else
  fail "replica stopped: $LOAD_DOWNLOADS_OK of $LOAD_DOWNLOADS downloads 200, the primary read statements $LOAD_SCANS times"
fi
lsn=$(sql db1 -c "SELECT pg_current_wal_lsn()")
caught=never
for ((i = 0; i < 300; i++)); do
  if [ "$(sql db1 -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND replay_lsn >= '$lsn'")" = 1 ]; then
    caught=$(($(now_ms) - t_rep))
    break
  fi
  sleep 0.1
done
[ "$caught" != never ] && say "figure: replica restarted: streaming and caught up ${caught} ms after its start" ||
  fail "the replica did not catch up with $lsn"

# 3. The primary restarted: requests fail while it is down, then recover.
load 8 "primary restarted"
writer_start "the primary restart" 7
sleep 1
t_pg=$(now_ms)
cl db1 pg-stop >"$WORK/db1.log" 2>&1 || fail "db1 did not stop"
cl db1 pg-start >>"$WORK/db1.log" 2>&1 || { cat "$WORK/db1.log"; fail "db1 did not start"; }
t_up=$(now_ms)
whole=never
for ((i = 0; i < 300; i++)); do
  if [ "$(api -o /dev/null -w '%{http_code}' "https://$FRONT/api/v1/health")" = 200 ] &&
    [ "$(api -o /dev/null -w '%{http_code}' "https://$FRONT/api/v1/health")" = 200 ]; then
    whole=$(($(now_ms) - t_pg))
    break
  fi
  sleep 0.1
done
# Failures are expected here (503 while the database is away): the figure counts them.
load_done
writer_done "the primary restart"
[ "$whole" != never ] && say "figure: primary restarted: down $((t_up - t_pg)) ms (stop and start), health 200 again ${whole} ms after the stop" ||
  fail "health never 200 again after the primary's restart"
seen=$(hosts_seen)
[[ $seen == *app1=* && $seen == *app2=* ]] && ok "both hosts serve after the primary's restart ($seen)" || fail "after the restart: $seen"
for ((i = 0; i < 100; i++)); do
  [ "$(sql db1 -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ] && break
  sleep 0.1
done
[ "$i" -lt 100 ] && ok "the replica streams from the restarted primary" || fail "the replica did not reconnect"

# 4. Both hosts' schedulers share an execution cycle; one is killed mid-way.
# Companies 31000000.. (as tests/lib/scenario.c's scenario_bulk): 20
# residents each, expiring before the next cycle, an active mandate each.
N=320 FIRST=31000000 QP=93 DATE=2027-03-08
sql db1 >"$WORK/bulk.log" 2>&1 <<SQL || { cat "$WORK/bulk.log"; fail "bulk companies"; }
INSERT INTO companies SELECT ($FIRST + g)::text, 'شركة ' || g, 'Bulk ' || ($FIRST + g), 'hr@bulk.example', 'en'
  FROM generate_series(0, $N - 1) g;
INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language, in_country, status, permit_expiry, fines_dirhams)
  SELECT '2${QP}356' || lpad(g::text, 5, '0'), 'موظف', 'Worker ' || g, 'IND', false, '+97455000000', 'en', true, 'active',
         '2027-03-20'::date + (g % 17), 0 FROM generate_series(0, $N * 20 - 1) g;
INSERT INTO passports SELECT '2${QP}356' || lpad(g::text, 5, '0'), 'P' || lpad(g::text, 7, '0'), '2035-01-01'
  FROM generate_series(0, $N * 20 - 1) g;
INSERT INTO employment (qid, est_id, since) SELECT '2${QP}356' || lpad(g::text, 5, '0'), ($FIRST + g / 20)::text, '2020-01-01'
  FROM generate_series(0, $N * 20 - 1) g;
INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language, in_country, status)
  VALUES ('2${QP}35699999', 'مفوض', 'Bulk Signatory', 'QAT', true, '+97455000000', 'en', true, 'active');
SQL
# Each company's IBAN: valid check digits (ISO 13616), as scenario_make_iban.
python3 - "$FIRST" "$N" "$QP" >"$WORK/bulk2.sql" <<'PY'
import sys
first, n, qp = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for i in range(n):
    est = first + i
    bban = "BULK%021d" % est
    digits = "".join(str(int(c, 36)) for c in bban + "QA00")
    iban = "QA%02d%s" % (98 - int(digits) % 97, bban)
    print("INSERT INTO bank_accounts VALUES ('%s', '%d', 100000000);" % (iban, est))
    print("INSERT INTO renewal_settings VALUES ('%d', true, 100000000, 1, 'hr@bulk.example',"
          " '+97455000000', 'en', 'Doha', now());" % est)
    print("INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid,"
          " submitted_by, submitted_at, reviewed_by, reviewed_at) VALUES ('%d', 'RN-%04d-%04d',"
          " 'active', '%s', '2%s35699999', 'test', now(), 'test', now());"
          % (est, est // 10000 % 10000, est % 10000, iban, qp))
    print("INSERT INTO signatories (qid, est_id) VALUES ('2%s35699999', '%d');" % (qp, est))
PY
sql db1 <"$WORK/bulk2.sql" >>"$WORK/bulk.log" 2>&1 || { cat "$WORK/bulk.log"; fail "bulk mandates"; }

done_count() {
  sql db1 -c "SELECT count(*) FROM cycle_companies cc JOIN cycles c ON c.id = cc.cycle_id
    WHERE c.cycle_date = '$DATE' AND c.kind = 'execution' AND cc.done_at IS NOT NULL"
}
t_cyc=$(now_ms)
cl app1 sched-run execution "$DATE" >"$WORK/sched-app1.log" 2>&1 &
s1=$!
cl app2 sched-run execution "$DATE" >"$WORK/sched-app2.log" 2>&1 &
s2=$!
for ((i = 0; i < 600; i++)); do
  # After a batch (32 companies) and before the end.
  [ "$(done_count)" -ge 32 ] && break
  sleep 0.02
done
killed=$(ns_pids app1 'rb-scheduler run' | tr '\n' ' ')
at=$(done_count)
if [ -n "$killed" ]; then
  # shellcheck disable=SC2086
  kill -KILL $killed
  say "app1's scheduler killed with $at companies done"
else
  fail "app1's scheduler had already ended ($at companies done): nothing killed"
fi
[ "$at" -lt "$N" ] || fail "the cycle was done ($at companies) before the kill: not a test of it"
wait "$s1"
wait "$s2" || fail "app2's scheduler failed (see $CL/app2/log/scheduler.log)"
passes=1
# The survivor's next poll (its daemon's) finishes what app1 held.
completed() { sql db1 -c "SELECT count(*) FROM cycles WHERE cycle_date = '$DATE' AND kind = 'execution' AND completed_at IS NOT NULL"; }
if [ "$(completed)" != 1 ]; then
  cl app2 sched-run execution "$DATE" >>"$WORK/sched-app2.log" 2>&1 || fail "app2's second pass failed"
  passes=2
fi
say "figure: shared cycle of $N companies: done in $(($(now_ms) - t_cyc)) ms with app1 killed at $at companies, app2 in $passes pass(es)"
[ "$(completed)" = 1 ] && ok "the cycle completed once" || fail "the cycle is not completed"
q() { sql db1 -c "$1"; }
check() { # check WHAT GOT WANT
  [ "$2" = "$3" ] && ok "$1: $2" || fail "$1: $2, want $3"
}
check "statements of the bulk companies (execution and debit report each)" \
  "$(q "SELECT count(*) FROM statements WHERE cycle_date = '$DATE' AND est_id LIKE '310%'")" $((N * 2))
check "companies with a statement kind twice" \
  "$(q "SELECT count(*) FROM (SELECT est_id, kind FROM statements WHERE cycle_date = '$DATE' GROUP BY 1, 2 HAVING count(*) > 1) d")" 0
check "residents debited twice" \
  "$(q "SELECT count(*) FROM (SELECT split_part(idempotency_key, ':', 3) FROM bank_debits d JOIN cycles c ON split_part(d.idempotency_key, ':', 2) = c.id::text WHERE c.cycle_date = '$DATE' GROUP BY 1 HAVING count(*) > 1) x")" 0
check "debits of the cycle" \
  "$(q "SELECT count(*) FROM bank_debits d JOIN cycles c ON split_part(d.idempotency_key, ':', 2) = c.id::text WHERE c.cycle_date = '$DATE' AND d.status = 'debited' AND split_part(d.idempotency_key, ':', 1) LIKE '310%'")" $((N * 20))
check "residents renewed" \
  "$(q "SELECT count(*) FROM persons WHERE qid LIKE '2${QP}356%' AND qid <> '2${QP}35699999' AND permit_expiry > '2028-01-01'")" $((N * 20))
check "money debited equals the statements' totals" \
  "$(q "SELECT (SELECT coalesce(sum(total_dirhams), 0) FROM statements WHERE cycle_date = '$DATE' AND kind = 'execution') = (SELECT coalesce(sum(amount_dirhams), 0) FROM bank_debits d JOIN cycles c ON split_part(d.idempotency_key, ':', 2) = c.id::text WHERE c.cycle_date = '$DATE' AND d.status = 'debited')")" t
# A sanitizer report from a host's daemon fails the test (tests/run.sh
# only reads the single stack's logs).
for f in app1/log/app.log app2/log/app.log app1/log/scheduler.log app2/log/scheduler.log; do
  if grep -qE 'ERROR: (Address|Leak|Thread)Sanitizer|runtime error:' "$CL/$f" 2>/dev/null; then
    fail "sanitizer report in $f: $(grep -m1 -E 'ERROR: (Address|Leak|Thread)Sanitizer|runtime error:' "$CL/$f")"
  fi
done

if [ "$fails" -gt 0 ]; then
  for f in front/log/nginx-error.log app1/log/app.log app2/log/app.log db1/log/postgres.log; do
    [ -s "$CL/$f" ] && { echo "----- tail of $f"; tail -n 15 "$CL/$f"; }
  done
  say "$fails failure(s)"
  exit 1
fi
say "all checks passed"
