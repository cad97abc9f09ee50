#!/usr/bin/env bash
# Reads on a streaming replica (issue 17 §2), on loopback: a real hot
# standby made with pg_basebackup -R from the test stack's PostgreSQL, on
# its own port, and rb-fcgi restarted with RB_DB_REPLICA_CONNINFO. It shows
#  - replica-tolerant reads answered by the replica (its pg_stat_activity
#    has the application's "residency-replica" connections; the metrics'
#    rb_replica_reads_total{outcome="replica"} grows), other routes not;
#  - read-your-writes with the replica's replay paused: after a grant and
#    after an exclusion upload, the read carrying the write's token (the
#    cookie, or the RB-Consistency header) is fresh, from the primary; the
#    same read without it is stale, so it was the replica's;
#  - a replica lagging past RB_REPLICA_MAX_LAG_MS taken out of reads, and
#    put back once caught up; GET /api/v1/health says which;
#  - a statement's first download on the replica: its recording (a write)
#    done by the primary, the workbook answered;
#  - the replica stopped: every read still answered, health says "down";
#    started again: back in reads; lost in the middle of requests: they
#    fall back to the primary, no error.
# At the end rb-fcgi is restarted as the stack had it and the replica is
# removed. tests/run.sh runs it with stack.env exported (root).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
PGBIN=/usr/lib/postgresql/15/bin
PGRUN=$RB_VAR/pg/run
REP=$RB_VAR/replica
REP_RUN=$RB_VAR/replica-run
EST=18700001
SIG=27263418701
GRANTEE=28535618702
EXCLUDED=28535618703
WORK=$(mktemp -d "$RB_VAR/replica-test.XXXXXX")
passed=0
failures=()

ok() { passed=$((passed + 1)); echo "[       OK ] $1"; }
bad() { failures+=("$1"); echo "[  FAILED  ] $1${2:+: $2}"; return 1; }
check() { # check NAME CMD...: passes when CMD succeeds
  local name=$1
  shift
  if "$@"; then ok "$name"; else bad "$name"; fi
}
finish() {
  echo "[==========] replica reads: $((passed + ${#failures[@]})) test(s) run."
  echo "[  PASSED  ] $passed test(s)."
  if [ ${#failures[@]} -gt 0 ]; then
    echo "[  FAILED  ] ${#failures[@]} test(s), listed below:"
    printf '[  FAILED  ] %s\n' "${failures[@]}"
    exit 1
  fi
  exit 0
}
setup_fail() {
  bad "replica setup" "$1"
  [ -f "$REP/log" ] && tail -n 20 "$REP/log"
  exit 1 # the EXIT trap restores and reports
}

pg() { runuser -u postgres -- "$@"; }
rep_sql() { pg "$PGBIN/psql" -X -qAt -h "$REP_RUN" -p "$REP_PORT" -d residency -c "$1"; }
restore() {
  trap - EXIT
  # The stack's own rb-fcgi, without a replica, for the tests after this one.
  env -u RB_DB_REPLICA_CONNINFO -u RB_REPLICA_CHECK_MS -u RB_REPLICA_MAX_LAG_MS \
    -u RB_REPLICA_WAIT_MS bash "$ROOT/scripts/stack.sh" app-restart >"$WORK/restore.log" 2>&1 ||
    cat "$WORK/restore.log"
  [ -f "$REP/postmaster.pid" ] && pg "$PGBIN/pg_ctl" stop -D "$REP" -m immediate -w -s >/dev/null 2>&1
  rm -rf "$REP" "$REP_RUN" "$WORK"
}
trap 'restore; finish' EXIT

[ -n "${RB_BASE_URL:-}" ] && [ -n "${RB_DB_CONNINFO:-}" ] || setup_fail "stack.env not loaded"
[ "$(id -u)" = 0 ] || setup_fail "needs root (PostgreSQL runs as postgres)"
REP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# --- the company, its signatory, two employees -------------------------------
cat >"$WORK/fixture.json" <<EOF
{"format": "registry-fixture/1",
 "companies": [{"est_id": "$EST", "name_ar": "شركة النسخة", "name_en": "Replica Trading", "email": "hr@replica.example", "language": "en"}],
 "persons": [
  {"qid": "$SIG", "name_ar": "سالم المري", "name_en": "Salem Al-Marri", "nationality": "QAT", "citizen": true, "mobile": "+97455018701", "language": "en", "in_country": true, "status": "active", "permit_expiry": null, "passport": null, "fines_dirhams": 0},
  {"qid": "$GRANTEE", "name_ar": "أنيل مينون", "name_en": "Anil Menon", "nationality": "IND", "citizen": false, "mobile": "+97455018702", "language": "en", "in_country": true, "status": "active", "permit_expiry": "2027-09-30", "passport": {"number": "P8700002", "expiry": "2031-01-01"}, "fines_dirhams": 0},
  {"qid": "$EXCLUDED", "name_ar": "رافي ناير", "name_en": "Ravi Nair", "nationality": "IND", "citizen": false, "mobile": "+97455018703", "language": "en", "in_country": true, "status": "active", "permit_expiry": "2027-10-31", "passport": {"number": "P8700003", "expiry": "2031-01-01"}, "fines_dirhams": 0}],
 "employment": [{"qid": "$GRANTEE", "est_id": "$EST", "since": "2022-01-01"}, {"qid": "$EXCLUDED", "est_id": "$EST", "since": "2022-01-01"}],
 "signatories": [{"qid": "$SIG", "est_id": "$EST"}],
 "bank_accounts": [],
 "directory": [{"uid": "$SIG", "password": "replica-signatory", "groups": []}]}
EOF
"$RB_BIN/rb-load" "$WORK/fixture.json" >"$WORK/load.log" 2>&1 || { cat "$WORK/load.log"; setup_fail "rb-load"; }

# --- the replica: a base backup of the stack's server, a hot standby ---------
mkdir -p "$REP" "$REP_RUN"
chown postgres:postgres "$REP" "$REP_RUN"
chmod 700 "$REP"
pg "$PGBIN/pg_basebackup" -h "$PGRUN" -p "$RB_PG_PORT" -U postgres -D "$REP" -R -X stream \
  -c fast >"$WORK/basebackup.log" 2>&1 || { cat "$WORK/basebackup.log"; setup_fail "pg_basebackup"; }
# Its own port and socket; it archives nothing (the primary does).
cat >>"$REP/postgresql.auto.conf" <<EOF
port = $REP_PORT
unix_socket_directories = '$REP_RUN'
archive_mode = off
hot_standby = on
EOF
rep_start() {
  pg "$PGBIN/pg_ctl" start -D "$REP" -l "$REP/log" -w -t 30 -s </dev/null >/dev/null 2>&1
}
rep_stop() { pg "$PGBIN/pg_ctl" stop -D "$REP" -m fast -w -t 30 -s >/dev/null 2>&1; }
rep_start || setup_fail "the replica did not start"
[ "$(rep_sql 'SELECT pg_is_in_recovery()')" = t ] || setup_fail "the replica is not in recovery"

# rb-fcgi with the replica: the stack's own application role, over TCP.
REPLICA_CONNINFO=$(printf '%s' "$RB_DB_CONNINFO" | sed -E "s/host=[^ ]+/host=127.0.0.1/; s/port=[^ ]+/port=$REP_PORT/")
app_with_replica() { # app_with_replica CHECK_MS
  RB_DB_REPLICA_CONNINFO=$REPLICA_CONNINFO RB_REPLICA_CHECK_MS=$1 RB_REPLICA_MAX_LAG_MS=8000 \
    RB_REPLICA_WAIT_MS=100 bash "$ROOT/scripts/stack.sh" app-restart >"$WORK/app.log" 2>&1 ||
    { cat "$WORK/app.log"; setup_fail "rb-fcgi did not restart with the replica"; }
}
app_with_replica 100

# --- HTTP --------------------------------------------------------------------
JAR=$WORK/jar
CURL=(curl -s --cacert "$RB_TLS_CERT")
# req METHOD PATH [curl args...]: body in $WORK/body, headers in $WORK/hdr, prints the status.
req() {
  local m=$1 p=$2
  shift 2
  "${CURL[@]}" -X "$m" -D "$WORK/hdr" -o "$WORK/body" -w '%{http_code}' "$@" "$RB_BASE_URL$p"
}
# The session cookie alone: a browser that never wrote.
tokenless_jar() { grep -v rb_consistency "$JAR" >"$WORK/jar0"; }
st=$(req POST /api/v1/session -c "$JAR" -b "$JAR" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$SIG\",\"password\":\"replica-signatory\"}")
[ "$st" = 201 ] || setup_fail "sign-in answered $st: $(cat "$WORK/body")"
CSRF=$(jq -r .csrf_token "$WORK/body")
metric() { # metric OUTCOME: the pool's rb_replica_reads_total for it
  "${CURL[@]}" "$RB_BASE_URL/metrics" | sed -n "s/^rb_replica_reads_total{outcome=\"$1\"} //p"
}
health() { "${CURL[@]}" "$RB_BASE_URL/api/v1/health"; }
# jqt FILTER JSON: the filter holds for the document (printed when not).
jqt() { jq -e "$1" >/dev/null <<<"$2" || { echo "  $2"; return 1; }; }
# reads N PATH JAR WANT [curl args]: N reads, each 200; "fresh" or "stale"
# as WANT says about whether the body names $NEEDLE.
reads() {
  local n=$1 p=$2 jar=$3 want=$4 i st got
  shift 4
  for ((i = 0; i < n; i++)); do
    st=$(req GET "$p" -b "$jar" "$@")
    [ "$st" = 200 ] || { echo "  read $i of $p: $st $(head -c 200 "$WORK/body")"; return 1; }
    if grep -q "$NEEDLE" "$WORK/body"; then got=fresh; else got=stale; fi
    [ "$got" = "$want" ] || { echo "  read $i of $p: $got, wanted $want"; return 1; }
  done
}
# Waits (10 s at most) for the replica to have replayed what the primary has.
caught_up() {
  local want i
  want=$(pg "$PGBIN/psql" -X -qAt -h "$PGRUN" -p "$RB_PG_PORT" -d postgres -c 'SELECT pg_current_wal_insert_lsn()')
  for ((i = 0; i < 100; i++)); do
    [ "$(rep_sql "SELECT pg_last_wal_replay_lsn() >= '$want'::pg_lsn")" = t ] && return 0
    sleep 0.1
  done
  return 1
}
health_state() { # health_state STATE: polls health (10 s) until the replica's state is STATE
  local i
  for ((i = 0; i < 50; i++)); do
    [ "$(health | jq -r .replica.state)" = "$1" ] && return 0
    sleep 0.2
  done
  health
  return 1
}

# --- 1. the replica answers the replica-tolerant reads -----------------------
NEEDLE=never-there
r0=$(metric replica)
check "tolerant reads answered" reads 20 "/api/v1/companies/$EST/exclusions" "$JAR" stale
check "the metrics count them as the replica's" test "$(metric replica)" -ge $((${r0:-0} + 20))
check "the replica holds the application's connections" \
  test "$(rep_sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'residency-replica' AND usename = 'rb_app'")" -gt 0
r1=$(metric replica)
for i in 1 2 3 4 5; do req GET "/api/v1/companies/$EST/employees" -b "$JAR" >/dev/null; done
check "a route not marked for the replica stays on the primary" test "$(metric replica)" = "$r1"
h=$(health)
check "health: the replica up and in reads" test "$(jq -r '.replica.state + " " + (.replica.in_reads|tostring)' <<<"$h")" = "up true"
check "health: its lag in bytes and seconds" jqt '(.replica.lag_bytes|type) == "number" and (.replica.lag_seconds|type) == "number"' "$h"
check "a malformed RB-Consistency header is refused" \
  test "$(req GET "/api/v1/companies/$EST/exclusions" -b "$JAR" -H 'RB-Consistency: 12ab'):$(jq -r .error.field "$WORK/body")" = "400:RB-Consistency"

# --- 2. read-your-writes, the replica's replay paused ------------------------
# A commit just replayed: the replica's lag is counted from here.
pg "$PGBIN/psql" -X -qAt -h "$PGRUN" -p "$RB_PG_PORT" -d postgres -c 'SELECT txid_current()' >/dev/null
caught_up || bad "the replica caught up before the pause"
rep_sql 'SELECT pg_wal_replay_pause()' >/dev/null
t_before=$(metric token_not_reached)
st=$(req POST "/api/v1/companies/$EST/grants" -c "$JAR" -b "$JAR" -H 'Content-Type: application/json' \
  -H "X-CSRF-Token: $CSRF" -d "{\"qid\":\"$GRANTEE\",\"services\":[\"EXIT_PERMIT\"]}")
T1=$(sed -n 's/^RB-Consistency: \([0-9]*\)\r$/\1/ip' "$WORK/hdr")
check "the grant is made ($st)" test "$st" = 201 -o "$st" = 200
check "the grant answers with its RB-Consistency token" test -n "$T1"
check "and sets it in the rb_consistency cookie" grep -q "rb_consistency.$T1" "$JAR"
tokenless_jar
NEEDLE=$GRANTEE
check "grant: read without a token is the replica's, stale" reads 5 "/api/v1/companies/$EST/grants" "$WORK/jar0" stale
printf 'qid,note\n%s,on long leave\n' "$EXCLUDED" >"$WORK/excl.csv"
st=$(req POST "/api/v1/companies/$EST/exclusions" -c "$JAR" -b "$JAR" -H 'Content-Type: text/csv' \
  -H "X-CSRF-Token: $CSRF" --data-binary @"$WORK/excl.csv")
T2=$(sed -n 's/^RB-Consistency: \([0-9]*\)\r$/\1/ip' "$WORK/hdr")
check "the exclusion upload is stored ($st $(head -c 120 "$WORK/body"))" test "$st" = 200
check "its token is past the grant's" test "${T2:-0}" -gt "${T1:-0}"
NEEDLE=$EXCLUDED
check "exclusions: read without a token is stale" reads 5 "/api/v1/companies/$EST/exclusions" "$WORK/jar0" stale
# The token reads wait RB_REPLICA_WAIT_MS (100) each, then the primary.
NEEDLE=$GRANTEE
check "grant: read with the token (cookie) is fresh" reads 5 "/api/v1/companies/$EST/grants" "$JAR" fresh
check "grant: read with the RB-Consistency header is fresh" \
  reads 5 "/api/v1/companies/$EST/grants" "$WORK/jar0" fresh -H "RB-Consistency: $T1"
NEEDLE=$EXCLUDED
check "exclusions: read with the token is fresh" reads 5 "/api/v1/companies/$EST/exclusions" "$JAR" fresh
check "exclusions: download with the token is fresh" reads 2 "/api/v1/companies/$EST/exclusions.csv" "$JAR" fresh
check "the token reads went to the primary (metrics)" test "$(metric token_not_reached)" -ge $((${t_before:-0} + 17))

# --- 3. lagging past RB_REPLICA_MAX_LAG_MS (8 s): out of reads, then back ----
sleep 8
echo "  replica: $(rep_sql "SELECT pg_is_wal_replay_paused(), pg_last_wal_replay_lsn(), clock_timestamp() - pg_last_xact_replay_timestamp()")"
check "lagging: a read without a token is now fresh (the primary's)" \
  reads 10 "/api/v1/companies/$EST/exclusions" "$WORK/jar0" fresh
h=$(health)
check "health: lagging, out of reads, lag reported" \
  jqt '.status == "ok" and .replica.state == "lagging" and .replica.in_reads == false and .replica.lag_bytes > 0 and .replica.lag_seconds >= 8' "$h"
rep_sql 'SELECT pg_wal_replay_resume()' >/dev/null
check "resumed: health says up again" health_state up
r0=$(metric replica)
sleep 0.3
check "caught up: reads without a token fresh" reads 20 "/api/v1/companies/$EST/exclusions" "$WORK/jar0" fresh
check "and answered by the replica again" test "$(metric replica)" -gt "${r0:-0}"

# --- 3b. a read that writes: a statement's first download ---------------------
# The workbook is rendered and recorded at its first download: on the
# replica that UPDATE is refused (read-only), and the primary does it.
psql_primary() { pg "$PGBIN/psql" -X -qAt -h "$PGRUN" -p "$RB_PG_PORT" -d residency -v ON_ERROR_STOP=1 -c "$1"; }
SID=$(psql_primary "WITH c AS (INSERT INTO cycles (kind, cycle_date, created_at)
    VALUES ('alert', '2079-01-15', now()) ON CONFLICT (kind, cycle_date) DO UPDATE SET kind = EXCLUDED.kind RETURNING id)
  INSERT INTO statements (est_id, cycle_id, kind, cycle_date, execution_date, language, cap_dirhams,
    total_dirhams, lines_count, verification_code, created_at)
  SELECT '$EST', id, 'alert', '2079-01-15', '2079-01-22', 'en', 0, 0, 0, 'RPLC-7K3M-Q9TX', now() FROM c
  RETURNING id" | head -n1)
caught_up || bad "the replica caught up with the statement"
f0=$(metric fallback)
st=$(req GET "/api/v1/statements/$SID.xlsx" -b "$WORK/jar0")
check "first download on the replica answered ($st)" test "$st" = 200
check "with the workbook" test "$(head -c 2 "$WORK/body")" = PK
check "its recording fell back to the primary (metrics)" test "$(metric fallback)" -gt "${f0:-0}"
check "the primary recorded it, the SHA-256 of what was sent" \
  test "$(psql_primary "SELECT encode(sha256, 'hex') FROM statements WHERE id = $SID")" = "$(sha256sum "$WORK/body" | cut -d' ' -f1)"

# --- 4. the replica stopped and started ---------------------------------------
NEEDLE=$GRANTEE
rep_stop || bad "the replica stopped"
check "replica stopped: every read still answered, fresh" reads 40 "/api/v1/companies/$EST/grants" "$WORK/jar0" fresh
h=$(health)
check "health: the replica down, the service ok" \
  jqt '.status == "ok" and .replica.state == "down" and .replica.in_reads == false and .replica.lag_bytes == null' "$h"
o0=$(metric out_of_reads)
check "reads while it is down go to the primary" reads 10 "/api/v1/companies/$EST/grants" "$WORK/jar0" fresh
check "counted as out of reads" test "$(metric out_of_reads)" -ge $((${o0:-0} + 10))
rep_start || bad "the replica started again"
check "replica started: health says up" health_state up
# A process that found it down looks again 5 s later; its first look
# after that may still find it catching up (its WAL receiver reconnects).
sleep 5.5
check "reads answered" reads 10 "/api/v1/companies/$EST/grants" "$WORK/jar0" fresh
sleep 0.5
r0=$(metric replica)
check "reads answered" reads 40 "/api/v1/companies/$EST/grants" "$WORK/jar0" fresh
r1=$(metric replica)
check "back in reads: the replica answers them ($((${r1:-0} - ${r0:-0})) of 40)" test "${r1:-0}" -ge $((${r0:-0} + 40))

# --- 5. a replica lost in the middle of a request --------------------------------
# Threads that look at the replica once a minute only: they find it gone
# in the middle of a request, not at a look.
app_with_replica 60000
check "warm: every thread reads the replica" reads 40 "/api/v1/companies/$EST/grants" "$WORK/jar0" fresh
f0=$(metric fallback)
rep_stop || bad "the replica stopped"
check "replica lost: every read still answered, fresh" reads 40 "/api/v1/companies/$EST/grants" "$WORK/jar0" fresh
check "they fell back to the primary mid-request (metrics)" test "$(metric fallback)" -gt "${f0:-0}"
