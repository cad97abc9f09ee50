#!/usr/bin/env bash
# make bench: national-scale figures, printed. Not part of make test.
#
# Starts a stack of its own (temporary directory, free ports), generates the
# national data set with rb-gen (COPY), then measures the authorization
# check through nginx with wrk beside nginx's own static `return 200`,
# in the same run. Scale with BENCH_COMPANIES / BENCH_PERSONS / BENCH_GRANTS,
# load with BENCH_SECONDS / BENCH_CONNECTIONS. BENCH_ONLY=cycle runs only
# the national cycle, its COPY floor and the downloads right after it;
# BENCH_ONLY=delivery the cycle and then the delivery of its messages;
# BENCH_ONLY=authorize only the authorization section (issue 13 §4).
set -euo pipefail
cd "$(dirname "$0")/.."
RB_ROOT=$PWD
export RB_BIN=${RB_BIN:-$RB_ROOT/build}
BENCH_COMPANIES=${BENCH_COMPANIES:-50000}
BENCH_PERSONS=${BENCH_PERSONS:-3000000}
BENCH_GRANTS=${BENCH_GRANTS:-1000000}
BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-32}
# One worker process with many threads: the decision index is a process's,
# and one copy of it fits the memory goal (fcgi/main.c).
export RB_WORKERS=${RB_WORKERS:-1} RB_THREADS=${RB_THREADS:-32}

RB_VAR=$(mktemp -d /tmp/rb-bench.XXXXXX)
chmod 755 "$RB_VAR"
export RB_VAR
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export RB_PG_PORT=$(free_port) RB_LDAP_PORT=$(free_port) RB_HTTPS_PORT=$(free_port) RB_HTTP_PORT=$(free_port)
export RB_SMTP_PORT=$(free_port) RB_SMS_PORT=$(free_port)
# Cycles are run below, and their messages delivered in a measured step of
# their own, not by daemons competing for the cores.
export RB_NO_SCHEDULER=1 RB_NO_NOTIFIER=1
# The delivery section runs further sinks on the stack's ports.
export RB_MAIL_REUSE_PORT=1 RB_SMS_REUSE_PORT=1
export RB_PG_STATS=1
export RB_SIGNIN_RATE=100r/s RB_SIGNIN_BURST=100

# nginx's own static answer, the floor the check is measured against: a
# location of the benchmark's alone (the main configuration includes
# $RB_VAR/nginx/local/*.conf, empty outside this run).
mkdir -p "$RB_VAR/nginx/local"
cat >"$RB_VAR/nginx/local/bench.conf" <<'NGINX'
location = /bench/static {
    default_type text/plain;
    return 200 "ok\n";
}
NGINX

cleanup() {
  bash scripts/stack.sh stop >/dev/null 2>&1 || true
  rm -rf "$RB_VAR"
}
trap cleanup EXIT INT TERM

bash scripts/stack.sh start >"$RB_VAR/start.log" 2>&1 || { cat "$RB_VAR/start.log"; exit 1; }
set -a; . "$RB_VAR/stack.env"; set +a

echo "== national data set: $BENCH_COMPANIES companies, $BENCH_PERSONS persons, $BENCH_GRANTS grants"
/usr/bin/time -f "rb-gen: %e s wall, %M KiB peak RSS" \
  "$RB_BIN/rb-gen" --companies "$BENCH_COMPANIES" --persons "$BENCH_PERSONS" --grants "$BENCH_GRANTS"

# The largest company and one of its active signatories, for the upload.
big_est=$(psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT est_id FROM employment
  WHERE ended_on IS NULL GROUP BY est_id ORDER BY count(*) DESC LIMIT 1")
big_sig=$(psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT s.qid FROM signatories s
  JOIN persons p ON p.qid = s.qid WHERE s.est_id = '$big_est' AND s.ended_on IS NULL
  AND p.status = 'active' ORDER BY s.qid LIMIT 1")

# Directory accounts for the checking service and that signatory; no
# registry records.
cat >"$RB_VAR/bench-fixture.json" <<JSON
{"format": "registry-fixture/1",
 "directory": [{"uid": "svc-bench", "password": "bench-pass", "groups": ["services"]},
               {"uid": "$big_sig", "password": "bench-pass", "groups": []}]}
JSON
"$RB_BIN/rb-load" "$RB_VAR/bench-fixture.json" >/dev/null

cookie=$(curl -s --cacert "$RB_TLS_CERT" -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"svc-bench","password":"bench-pass"}' "$RB_BASE_URL/api/v1/session" |
  sed -n 's/^[Ss]et-[Cc]ookie: \(__Host-session=[^;]*\).*/\1/p' | tr -d '\r')
[ -n "$cookie" ] || { echo "bench: sign-in failed"; exit 1; }

if [ -z "${BENCH_ONLY:-}" ] || [ "$BENCH_ONLY" = authorize ]; then
# Questions drawn from real rows: half live grants, half signatories with a
# random service (allowed by rule signatory), all different.
export BENCH_TRIPLES=$RB_VAR/triples.txt
psql -qAt "$RB_DB_OWNER_CONNINFO" -c "
  (SELECT 'qid=' || qid || '&est_id=' || est_id || '&service=' || service
     FROM grants TABLESAMPLE SYSTEM (5) LIMIT 20000)
  UNION ALL
  (SELECT 'qid=' || qid || '&est_id=' || est_id || '&service=EXIT_PERMIT'
     FROM signatories TABLESAMPLE SYSTEM (20) LIMIT 20000)" >"$BENCH_TRIPLES"
echo "questions: $(wc -l <"$BENCH_TRIPLES")"

run_wrk() { # url [script]: prints "rate p50_ms p99_ms"
  local out
  out=$(wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_SECONDS}s" --latency ${2:+-s "$2"} "$1" 2>&1)
  echo "$out" >>"$RB_VAR/wrk.log"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rate = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    END { printf "%.0f %.3f %.3f\n", rate, p50, p99 }' <<<"$out"
}

export BENCH_COOKIE=$cookie

# --- authorization (issue 13 §4) ------------------------------------------
# One run, the same wrk settings for each: nginx's static answer, a bare
# libfcgi responder (bench/bare_fcgi.c) on the app's own socket behind the
# same nginx configuration, /authorize at minimize_latency (the decision
# index) and fully_consistent (PostgreSQL), at 32 and 4 connections. Then
# the index's memory and start-up on this data set, and how long a
# revocation takes to be applied by every worker, under load.
RUN_DIR=$RB_VAR/run
app_pid() { cat "$RUN_DIR/app.pid"; }
wait_answering() { # the app's index current again: prints seconds waited
  local t0=$(date +%s.%N) i
  for i in $(seq 1 600); do
    if grep -q "decision index: answering" "$RB_VAR/log/app.log" 2>/dev/null; then break; fi
    sleep 0.1
  done
  awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }'
}
bare_threads=$(( ${RB_WORKERS:-1} * ${RB_THREADS:-32} ))

# The bare responder first, in the app's place (we stopped the app, by its
# PID; stack.sh starts it again).
kill "$(app_pid)"; for i in $(seq 1 50); do [ -S "$RB_SOCKET" ] || break; sleep 0.1; done
"$RB_BIN/rb-bench-bare" "$RB_SOCKET" "$bare_threads" & bare_pid=$!
for i in $(seq 1 50); do [ -S "$RB_SOCKET" ] && break; sleep 0.1; done
declare -A R
for c in 32 4; do
  BENCH_CONNECTIONS=$c; read -r R[bare_rate_$c] R[bare_p50_$c] R[bare_p99_$c] < <(run_wrk "$RB_BASE_URL/" bench/authorize.lua)
done
kill "$bare_pid"; wait "$bare_pid" 2>/dev/null || true

# The app again: its decision index from a snapshot of the national set.
mv "$RB_VAR/log/app.log" "$RB_VAR/log/app.log.before" 2>/dev/null || true
t_start=$(date +%s.%N)
bash scripts/stack.sh app-restart >/dev/null
startup_s=$(wait_answering)
startup_s=$(awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }')
idx_line=$(grep "decision index: .* loaded in" "$RB_VAR/log/app.log" | tail -1 | sed 's/.*decision index: //')
rss_kib=$(ps -o rss= --ppid "$(app_pid)" | awk '{ s += $1 } END { print s + 0 }')

export BENCH_QUERY_EXTRA=
# The batch is a POST: a session of its own, with its CSRF token.
batch_signin=$(curl -s --cacert "$RB_TLS_CERT" -D "$RB_VAR/batch.h" -H 'Content-Type: application/json' \
  -d '{"username":"svc-bench","password":"bench-pass"}' "$RB_BASE_URL/api/v1/session")
export BENCH_BATCH_COOKIE BENCH_BATCH_CSRF
BENCH_BATCH_COOKIE=$(sed -n 's/^[Ss]et-[Cc]ookie: \(__Host-session=[^;]*\).*/\1/p' "$RB_VAR/batch.h" | tr -d '\r')
BENCH_BATCH_CSRF=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["csrf_token"])' "$batch_signin")
BENCH_CONNECTIONS=32
# Warm the workers' connections and prepared statements first.
wrk -t2 -c32 -d2s -s bench/authorize.lua "$RB_BASE_URL/" >/dev/null 2>&1 || true
for c in 32 4; do
  BENCH_CONNECTIONS=$c
  read -r R[static_rate_$c] R[static_p50_$c] R[static_p99_$c] < <(run_wrk "$RB_BASE_URL/bench/static")
  BENCH_QUERY_EXTRA=
  read -r R[min_rate_$c] R[min_p50_$c] R[min_p99_$c] < <(run_wrk "$RB_BASE_URL/" bench/authorize.lua)
  BENCH_QUERY_EXTRA='&consistency=fully_consistent'
  read -r R[full_rate_$c] R[full_p50_$c] R[full_p99_$c] < <(run_wrk "$RB_BASE_URL/" bench/authorize.lua)
  BENCH_QUERY_EXTRA=
  read -r R[batch_rate_$c] R[batch_p50_$c] R[batch_p99_$c] < <(run_wrk "$RB_BASE_URL/" bench/authorize_batch.lua)
done
if grep -q "unexpected status" "$RB_VAR/wrk.log"; then
  echo "bench: the authorization check answered errors:"; grep "unexpected status" "$RB_VAR/wrk.log" | head -3
  exit 1
fi
from_index=$(curl -s --cacert "$RB_TLS_CERT" -H "Cookie: $cookie" \
  "$RB_BASE_URL/api/v1/authorize?$(head -1 "$BENCH_TRIPLES")" | python3 -c 'import json,sys; print(json.load(sys.stdin)["decided_from"])')

# Revocation to every worker, under load: the signatory revokes grants of
# the largest company while wrk checks at minimize_latency; a revocation's
# answer comes once every worker's index has applied it (AUTHZ_WRITE_WAIT_MS),
# so its time is the revocation-to-deny latency's upper bound. The latency
# itself, as the issue defines it (commit to every worker denying), is the
# app's rb_authz_revision_visible_seconds histogram (fcgi/metrics.h), and
# its part in each worker, from the change's commit (PostgreSQL's commit timestamp) to the apply,
# rb_authz_change_apply_seconds: both scraped before and after the
# revocations, their quantiles interpolated within the buckets.
scrape_metrics() { curl -s --cacert "$RB_TLS_CERT" "$RB_BASE_URL/metrics"; }
lag_quantiles() { # before after name: prints "n p50_ms p99_ms over_20_ms"
  python3 - "$@" <<'PY'
import sys
def hist(path, name):
    b = {}
    for line in open(path):
        if line.startswith(name + '_bucket{le="'):
            le = line.split('"')[1]
            b[float('inf') if le == '+Inf' else float(le)] = float(line.rsplit(' ', 1)[1])
    return b
a, z = hist(sys.argv[1], sys.argv[3]), hist(sys.argv[2], sys.argv[3])
edges = sorted(z)
cum = [z[e] - a.get(e, 0) for e in edges]
n = cum[-1] if cum else 0
def q(p):
    want, lo, prev = p * n, 0.0, 0.0
    for e, c in zip(edges, cum):
        if c >= want:
            if e == float('inf'):
                return lo * 1000
            return (lo + (e - lo) * ((want - prev) / (c - prev) if c > prev else 1)) * 1000
        lo, prev = e, c
    return float('nan')
over = n - dict(zip(edges, cum)).get(0.02, n)
print("%d %.2f %.2f %d" % (n, q(0.5), q(0.99), over) if n else "0 - - 0")
PY
}
signin=$(curl -s --cacert "$RB_TLS_CERT" -D "$RB_VAR/sig.h" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$big_sig\",\"password\":\"bench-pass\"}" "$RB_BASE_URL/api/v1/session")
sig_cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(__Host-session=[^;]*\).*/\1/p' "$RB_VAR/sig.h" | tr -d '\r')
sig_csrf=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["csrf_token"])' "$signin")
psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT id FROM grants WHERE est_id = '$big_est'
  AND revoked_at IS NULL ORDER BY id LIMIT 100" >"$RB_VAR/revoke.ids"
BENCH_CONNECTIONS=32
wrk -t2 -c32 -d"$((BENCH_SECONDS + 5))s" -s bench/authorize.lua "$RB_BASE_URL/" >/dev/null 2>&1 & wrk_pid=$!
sleep 1
scrape_metrics >"$RB_VAR/metrics.before"
while read -r id; do
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --cacert "$RB_TLS_CERT" -X DELETE \
    -H "Cookie: $sig_cookie" -H "X-CSRF-Token: $sig_csrf" \
    "$RB_BASE_URL/api/v1/companies/$big_est/grants/$id"
done <"$RB_VAR/revoke.ids" >"$RB_VAR/revoke.times"
scrape_metrics >"$RB_VAR/metrics.after"
rv_load=$(cut -d' ' -f1 /proc/loadavg)
kill "$wrk_pid" 2>/dev/null || true; wait "$wrk_pid" 2>/dev/null || true
read -r vis_n vis_p50 vis_p99 vis_over < <(lag_quantiles "$RB_VAR/metrics.before" "$RB_VAR/metrics.after" rb_authz_revision_visible_seconds)
read -r app_n app_p50 app_p99 app_over < <(lag_quantiles "$RB_VAR/metrics.before" "$RB_VAR/metrics.after" rb_authz_change_apply_seconds)
read -r rv_n rv_p50 rv_p99 < <(awk '$1 == 200 { print $2 * 1000 }' "$RB_VAR/revoke.times" | sort -n |
  awk '{ v[NR] = $1 } END { if (NR == 0) { print "0 - -"; exit }
    printf "%d %.1f %.1f\n", NR, v[int((NR + 1) * 0.5)], v[(int(NR * 0.99) > 0 ? int(NR * 0.99) : 1)] }')

echo
echo "== authorization through nginx (wrk -t2, ${BENCH_SECONDS}s each, same run; app: workers=${RB_WORKERS:-1} threads=${RB_THREADS:-32})"
for c in 32 4; do
  echo "-- $c connections"
  printf '%-34s %10s %10s %10s %10s\n' "" "req/s" "p50 ms" "p99 ms" "% of bare"
  row() { printf '%-34s %10s %10s %10s %9.1f%%\n' "$1" "${R[${2}_rate_$c]}" "${R[${2}_p50_$c]}" "${R[${2}_p99_$c]}" \
    "$(awk -v a="${R[${2}_rate_$c]}" -v b="${R[bare_rate_$c]}" 'BEGIN { print 100 * a / b }')"; }
  row "nginx static return 200" static
  row "bare libfcgi responder" bare
  row "authorize minimize_latency" min
  row "authorize fully_consistent" full
  row "authorize/batch of 100 (per batch)" batch
  awk -v a="${R[min_p99_$c]}" -v b="${R[bare_p99_$c]}" -v c="$c" 'BEGIN {
    printf "p99 minimize_latency / bare = %.2f (goal <= 1.5 at 32)%s\n", a / b,
      c == 4 ? sprintf("; p99 %.3f ms (goal < 2)", a) : "" }'
  echo "batch of 100: p99 ${R[batch_p99_$c]} ms (goal < 5)"
done
echo "minimize_latency answered from: $from_index"
echo "decision index: $idx_line"
echo "app workers' RSS: $((rss_kib / 1024)) MiB; restart to index answering: ${startup_s} s"
echo "revocation under /authorize load (wrk -c32, load average $rv_load):"
echo "  commit to every worker applied (rb_authz_revision_visible_seconds): n=$vis_n p50 ${vis_p50} ms p99 ${vis_p99} ms, $vis_over over 20 ms (goal p99 < 20)"
echo "  per worker, change's commit to apply (rb_authz_change_apply_seconds): n=$app_n p50 ${app_p50} ms p99 ${app_p99} ms, $app_over over 20 ms"
echo "  the revoke's whole answer (curl, upper bound): n=$rv_n p50 ${rv_p50} ms p99 ${rv_p99} ms"
. bench/decision_log.sh	# the decision log's cost, log off vs on
# --- end of the authorization section --------------------------------------
[ "${BENCH_ONLY:-}" = authorize ] && exit 0

# A 50,000-line exclusion upload (SPEC §4) for the largest company, through
# nginx: its employees, cycled to 50,000 lines (a repeated QID keeps the last
# line's note).
echo
echo "== exclusion upload: 50000 lines for $big_est (signatory $big_sig)"
{
  echo "qid,note"
  psql -qAt "$RB_DB_OWNER_CONNINFO" -c "WITH e AS (SELECT qid,
      row_number() OVER (ORDER BY qid) - 1 AS i FROM employment
      WHERE est_id = '$big_est' AND ended_on IS NULL)
    SELECT e.qid || ',bench line ' || g FROM generate_series(1, 50000) g
    JOIN e ON e.i = (g - 1) % (SELECT count(*) FROM e) ORDER BY g"
} >"$RB_VAR/exclusions.csv"
jar=$RB_VAR/upload.jar
csrf=$(curl -s --cacert "$RB_TLS_CERT" -c "$jar" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$big_sig\",\"password\":\"bench-pass\"}" "$RB_BASE_URL/api/v1/session" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
out=$(curl -s --cacert "$RB_TLS_CERT" -b "$jar" -H 'Content-Type: text/csv' -H "X-CSRF-Token: $csrf" \
  --data-binary @"$RB_VAR/exclusions.csv" -w '\n%{http_code} %{time_total}' \
  "$RB_BASE_URL/api/v1/companies/$big_est/exclusions")
status=$(tail -n1 <<<"$out" | cut -d' ' -f1)
secs=$(tail -n1 <<<"$out" | cut -d' ' -f2)
echo "status $status: $(head -n1 <<<"$out" | cut -c1-120)"
[ "$status" = 200 ] || exit 1
awk -v s="$secs" 'BEGIN { printf "50000 lines in %.2f s: %.0f lines/s\n", s, 50000 / s }'
fi

# The national cycle (SPEC §7): every company subscribed, an alert on
# 2026-12-01 and the execution of 2026-12-08 with every workbook, run by two
# scheduler instances sharing the cycle (one per core), beside the time
# PostgreSQL needs to COPY the rows the execution wrote. A cycle's wall time
# runs until it is complete: every statement's workbook rendered (each
# instance with RB_SCHED_RENDER_WORKERS threads, default the cores).
echo
echo "== national cycle: every company subscribed"
psql -qAt "$RB_DB_OWNER_CONNINFO" >/dev/null <<'SQL'
INSERT INTO renewal_settings
  SELECT est_id, true, 100000000000, 1, 'hr@company.example', '+97455000000',
         CASE WHEN est_id::bigint % 2 = 0 THEN 'ar' ELSE 'en' END, 'Doha', now()
  FROM companies;
INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid,
    submitted_by, submitted_at, reviewed_by, reviewed_at)
  SELECT c.est_id, 'RN-' || substr(c.est_id, 1, 4) || '-' || substr(c.est_id, 5, 4), 'active',
         (SELECT iban FROM bank_accounts b WHERE b.est_id = c.est_id LIMIT 1),
         (SELECT qid FROM signatories s WHERE s.est_id = c.est_id ORDER BY qid LIMIT 1),
         'bench', now(), 'bench', now()
  FROM companies c
  WHERE EXISTS (SELECT 1 FROM signatories s WHERE s.est_id = c.est_id)
    AND EXISTS (SELECT 1 FROM bank_accounts b WHERE b.est_id = c.est_id);
ANALYZE renewal_settings, renewal_subscriptions;
SQL
cycle() { # kind date: two instances; prints wall seconds and the larger peak RSS
  local t0 t1 a b
  # As scripts/stack.sh runs the daemon: workbooks assembled in memory.
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M %U %S" -o "$RB_VAR/rss.a" "$RB_BIN/rb-scheduler" run "$1" "$2" 2>>"$RB_VAR/sched.log" &
  a=$!
  /usr/bin/time -f "%M %U %S" -o "$RB_VAR/rss.b" "$RB_BIN/rb-scheduler" run "$1" "$2" 2>>"$RB_VAR/sched.log" &
  b=$!
  wait $a $b
  t1=$(date +%s.%N)
  cycle_wall=$(awk -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.1f", t1 - t0 }')
  # CPU: the schedulers' own (user + system), the rest of the two cores
  # being mostly PostgreSQL.
  awk -v t0="$t0" -v t1="$t1" -v a="$(tail -n1 "$RB_VAR/rss.a")" -v b="$(tail -n1 "$RB_VAR/rss.b")" \
    'BEGIN { split(a, x, " "); split(b, y, " ");
      printf "%.1f s wall, peak RSS %.0f MiB per instance, scheduler CPU %.1f s\n", t1 - t0,
        (x[1] > y[1] ? x[1] : y[1]) / 1024, x[2] + x[3] + y[2] + y[3] }'
}
printf '%-40s ' "alert 2026-12-01 (2 instances):"; cycle alert 2026-12-01
echo "  (goals: alert < 30 s, peak RSS <= 256 MiB per process)"
outbox0=$(psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT coalesce(max(id), 0) FROM outbox")
pgsu() { runuser -u postgres -- psql -X -qAt -h "$RB_VAR/pg/run" -p "$RB_PG_PORT" -d residency "$@"; }
pgsu -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "SELECT pg_stat_statements_reset()" >/dev/null
printf '%-40s ' "execution 2026-12-08 (2 instances):"; cycle execution 2026-12-08
echo "where PostgreSQL spent the execution (pg_stat_statements, top 8 by total time):"
pgsu -F ' | ' -c "SELECT round(total_exec_time::numeric / 1000, 1) || ' s', calls,
  left(regexp_replace(query, '\s+', ' ', 'g'), 90) FROM pg_stat_statements
  ORDER BY total_exec_time DESC LIMIT 8" | sed 's/^/  /'
psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT 'messages queued by the execution: ' || count(*)
  || ' (' || count(*) FILTER (WHERE channel = 'email') || ' emails)' FROM outbox WHERE id > $outbox0"
psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT 'statements: ' || count(*) || ', lines: ' ||
  sum(lines_count) || ', workbooks: ' || pg_size_pretty(coalesce(sum(octet_length(workbook)), 0)) || ' (rendered by the scheduler before the cycle completed)'
  FROM statements WHERE cycle_date = '2026-12-08'"
psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT 'renewed: ' || count(*) FILTER (WHERE result = 'RENEWED')
  || ', not renewed: ' || count(*) FILTER (WHERE result <> 'RENEWED') FROM statement_lines l
  JOIN statements s ON s.id = l.statement_id WHERE s.cycle_date = '2026-12-08' AND s.kind = 'execution'"

# The COPY floor: the same rows the execution wrote, copied into empty tables.
for t in statements statement_lines bank_debits card_deliveries outbox; do
  psql -qAt "$RB_DB_OWNER_CONNINFO" -c "CREATE UNLOGGED TABLE bench_$t (LIKE $t)" >/dev/null
done
psql -qAt "$RB_DB_OWNER_CONNINFO" >/dev/null <<SQL
\copy (SELECT s.* FROM statements s WHERE cycle_date = '2026-12-08') TO '$RB_VAR/statements.copy'
\copy (SELECT l.* FROM statement_lines l JOIN statements s ON s.id = l.statement_id WHERE s.cycle_date = '2026-12-08') TO '$RB_VAR/statement_lines.copy'
\copy (SELECT * FROM bank_debits) TO '$RB_VAR/bank_debits.copy'
\copy (SELECT * FROM card_deliveries) TO '$RB_VAR/card_deliveries.copy'
\copy (SELECT * FROM outbox WHERE id > $outbox0) TO '$RB_VAR/outbox.copy'
SQL
t0=$(date +%s.%N)
for t in statements statement_lines bank_debits card_deliveries outbox; do
  psql -qAt "$RB_DB_OWNER_CONNINFO" -c "\\copy bench_$t FROM '$RB_VAR/$t.copy'" >/dev/null
done
t1=$(date +%s.%N)
awk -v t0="$t0" -v t1="$t1" -v e="$cycle_wall" 'BEGIN { f = t1 - t0;
  printf "%-40s %.1f s\n", "COPY of the same rows (floor):", f
  printf "ratio: execution / COPY floor = %.1fx (goals: execution < 60 s, <= 3x the floor)\n", e / f }'

# Right after the cycle (issue 14 §2): statement downloads through nginx,
# p99 against the goal of 50 ms. The cycle is complete only once its
# workbooks are rendered (scheduler/render_pool.c), so these read the
# recorded bytes; a statement still without one would be rendered by its
# download (counted below). Measured with BENCH_ONLY=cycle too; the load
# average says how shared the machine was.
BENCH_DOWNLOADS_N=${BENCH_DOWNLOADS_N:-3000}
echo
echo "== downloads right after the cycle"
psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT 'statements of the execution without a workbook: '
  || count(*) FILTER (WHERE sha256 IS NULL) || ' of ' || count(*) || ', cycle '
  || (SELECT CASE WHEN completed_at IS NULL THEN 'not complete' ELSE 'complete' END
      FROM cycles WHERE kind = 'execution' AND cycle_date = '2026-12-08')
  FROM statements WHERE cycle_date = '2026-12-08'"
printf '%s\n' '{"format": "registry-fixture/1", "directory":' \
  '[{"uid": "rev-bench", "password": "bench-pass", "groups": ["reviewers"]}]}' \
  >"$RB_VAR/bench-reviewer.json"
"$RB_BIN/rb-load" "$RB_VAR/bench-reviewer.json" >/dev/null
curl -s --cacert "$RB_TLS_CERT" -c "$RB_VAR/rev.jar" -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"rev-bench","password":"bench-pass"}' "$RB_BASE_URL/api/v1/session"
rev_cookie=$(awk '$6 == "__Host-session" { print $6 "=" $7 }' "$RB_VAR/rev.jar")
[ -n "$rev_cookie" ] || { echo "bench: reviewer sign-in failed"; exit 1; }
psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT '/api/v1/statements/' || id || '.xlsx'
  FROM statements WHERE cycle_date = '2026-12-08'
  ORDER BY random() LIMIT $BENCH_DOWNLOADS_N" >"$RB_VAR/downloads.txt"
n_dl=$(wc -l <"$RB_VAR/downloads.txt")
unrendered0=$(psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT count(*) FROM statements
  WHERE cycle_date = '2026-12-08' AND sha256 IS NULL")
load0=$(cut -d' ' -f1-3 /proc/loadavg)
out=$(BENCH_COOKIE=$rev_cookie BENCH_DOWNLOADS=$RB_VAR/downloads.txt BENCH_THREADS=2 \
  wrk -t2 -c2 -d120s --latency -s bench/download.lua "$RB_BASE_URL/" 2>&1)
echo "$out" >>"$RB_VAR/wrk.log"
if grep -q "unexpected status" <<<"$out"; then echo "bench: downloads answered errors"; exit 1; fi
unrendered1=$(psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT count(*) FROM statements
  WHERE cycle_date = '2026-12-08' AND sha256 IS NULL")
awk -v n="$n_dl" -v r="$((unrendered0 - unrendered1))" '
  function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
  /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /Requests\/sec/ { rate = $2 }
  END { printf "%-40s %d statements (%d rendered by their download), p50 %.1f ms, p99 %.1f ms (goal < 50 ms p99), %.0f/s\n",
    "download right after the cycle:", n, r, p50, p99, rate }' <<<"$out"
echo "  load average before / after the downloads: $load0 / $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"

[ "${BENCH_ONLY:-}" = cycle ] && exit 0
# == Delivery (issue 14 §3) ==
# The sinks' own ceilings, measured with load generators of their own: the
# Python SMTP server (BENCH_SINKS processes sharing its port with
# SO_REUSEPORT) and the SMS stand-in; then BENCH_NOTIFY_WORKERS rb-notifier
# workers deliver every message the execution queued (the alert's are set
# aside), timed until the queue is empty.
BENCH_SINKS=${BENCH_SINKS:-2}
BENCH_NOTIFY_WORKERS=${BENCH_NOTIFY_WORKERS:-4}
BENCH_NOTIFY_SECONDS=${BENCH_NOTIFY_SECONDS:-900}
echo
echo "== delivery"

# Further sinks on the same ports and directories (stack.sh started one of
# each). BENCH_SINK=fast (the default) replaces the stack's aiosmtpd server
# by BENCH_SINKS processes of bench/smtp_sink_fast.py (same protocol subset,
# same Maildir and counts, about a third of aiosmtpd's CPU a message);
# BENCH_SINK=python keeps aiosmtpd and adds BENCH_SINKS - 1 more of it.
BENCH_SINK=${BENCH_SINK:-fast}
extra_pids=() mail_pids=()
if [ "$BENCH_SINK" = fast ]; then
  bash scripts/stack.sh mail-stop >/dev/null 2>&1
  for _ in $(seq 1 "$BENCH_SINKS"); do
    setsid /usr/bin/python3 bench/smtp_sink_fast.py --port "$RB_SMTP_PORT" --maildir "$RB_MAILDIR" \
      --cert "$RB_VAR/tls/smtp-cert.pem" --key "$RB_VAR/tls/smtp-key.pem" --user rb-notifier \
      --stats "$RB_VAR/mail-stats" >>"$RB_VAR/mail-extra.log" 2>&1 &
    extra_pids+=($!) mail_pids+=($!)
  done
else
  mail_pids+=("$(cat "$RB_VAR/run/mail.pid")")
  for _ in $(seq 2 "$BENCH_SINKS"); do
    setsid /usr/bin/python3 scripts/mail_sink.py --port "$RB_SMTP_PORT" --maildir "$RB_MAILDIR" \
      --cert "$RB_VAR/tls/smtp-cert.pem" --key "$RB_VAR/tls/smtp-key.pem" --user rb-notifier \
      --stats "$RB_VAR/mail-stats" --reuse-port >>"$RB_VAR/mail-extra.log" 2>&1 &
    extra_pids+=($!) mail_pids+=($!)
  done
fi
for _ in $(seq 2 "$BENCH_SINKS"); do
  setsid /usr/bin/python3 scripts/sms_gateway.py --port "$RB_SMS_PORT" --dir "$RB_SMS_DIR" \
    --reuse-port --quiet >>"$RB_VAR/sms-extra.log" 2>&1 &
  extra_pids+=($!)
done
# CPU ticks (user + system, every thread) of the mail sinks so far.
sink_ticks() { local t=0 p; for p in "${mail_pids[@]}"; do
  t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
# A sink already gone must not stop the trap (set -e) before cleanup.
trap 'for p in "${extra_pids[@]}"; do kill "$p" 2>/dev/null || true; done; cleanup' EXIT INT TERM
sleep 2
wb_size=$(psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT coalesce(avg(length(workbook))::int, 8000)
  FROM statements WHERE workbook IS NOT NULL")
read -r s_msgs s_secs < <(/usr/bin/python3 bench/smtp_load.py 127.0.0.1 "$RB_SMTP_PORT" rb-notifier "$RB_SMTP_CA_FILE" 10 4 "$wb_size")
smtp_ceiling=$(awk -v m="$s_msgs" -v s="$s_secs" 'BEGIN { printf "%.0f", m / s }')
out=$(wrk -t2 -c8 -d10s -s bench/sms_load.lua "$RB_SMS_URL" 2>&1)
echo "$out" >>"$RB_VAR/wrk.log"
sms_ceiling=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")
printf '%-40s %s emails/s (%d %s sinks, %d-byte attachments; a bound of the Python load generator too), %s SMS/s\n' \
  "the sinks' own ceiling:" "$smtp_ceiling" "$BENCH_SINKS" "$BENCH_SINK" "$wb_size" "$sms_ceiling"

# The execution's messages only: the alert's wait a year.
psql -qAt "$RB_DB_OWNER_CONNINFO" -c "UPDATE outbox SET next_attempt_at = next_attempt_at
  + interval '1 year' WHERE id <= $outbox0 AND status = 'pending'" >/dev/null
read -r q_email q_sms < <(psql -qAt -F ' ' "$RB_DB_OWNER_CONNINFO" -c "SELECT
  count(*) FILTER (WHERE channel = 'email'), count(*) FILTER (WHERE channel = 'sms')
  FROM outbox WHERE id > $outbox0 AND status = 'pending'")
ticks0=$(sink_ticks)
conn0=$(cat "$RB_VAR"/mail-stats/*.stats 2>/dev/null | awk '/^connections/ { c += $2 } END { print c + 0 }')
t0=$(date +%s.%N)
pids=()
for _ in $(seq "$BENCH_NOTIFY_WORKERS"); do
  /usr/bin/time -f "%M %U %S" -a -o "$RB_VAR/rss.notifier" \
    timeout -s TERM "$BENCH_NOTIFY_SECONDS" "$RB_BIN/rb-notifier" --once 2>>"$RB_VAR/notifier.log" &
  pids+=($!)
done
wait "${pids[@]}" || true
t1=$(date +%s.%N)
ticks1=$(sink_ticks)
conn1=$(cat "$RB_VAR"/mail-stats/*.stats 2>/dev/null | awk '/^connections/ { c += $2 } END { print c + 0 }')
read -r d_email d_sms left < <(psql -qAt -F ' ' "$RB_DB_OWNER_CONNINFO" -c "SELECT
  count(*) FILTER (WHERE channel = 'email' AND status = 'sent'),
  count(*) FILTER (WHERE channel = 'sms' AND status = 'sent'),
  count(*) FILTER (WHERE status <> 'sent') FROM outbox WHERE id > $outbox0")
awk -v t0="$t0" -v t1="$t1" -v e="$d_email" -v m="$d_sms" -v qe="$q_email" -v qm="$q_sms" \
  -v left="$left" -v w="$BENCH_NOTIFY_WORKERS" -v c="$((conn1 - conn0))" -v se="$smtp_ceiling" \
  -v ss="$sms_ceiling" -v rss="$(sort -n "$RB_VAR/rss.notifier" | tail -n1 | cut -d' ' -f1)" 'BEGIN {
  s = t1 - t0;
  printf "%-40s %d of %d emails + %d of %d SMS in %.1f s: %.0f messages/s (%d left)\n",
    "notifier, " w " workers:", e, qe, m, qm, s, (e + m) / s, left;
  printf "%-40s emails %.0f/s of the sink'\''s %s/s, SMS %.0f/s of %s/s; %d SMTP connections; peak RSS %.0f MiB\n",
    "", e / s, se, m / s, ss, c, rss / 1024;
  printf "%-40s %.0f s for 276,626 messages at this rate (goal < 240 s)\n",
    "national execution, extrapolated:", 276626 / ((e + m) / s) }'
# The sinks' ceiling from their own CPU in the delivery just measured: what
# one core of them would take at that cost a message, beside the rate.
awk -v t="$((ticks1 - ticks0))" -v hz="$(getconf CLK_TCK)" -v e="$d_email" \
  -v cpu="$(awk '{ u += $2 + $3 } END { print u + 0 }' "$RB_VAR/rss.notifier")" -v m="$((d_email + d_sms))" 'BEGIN {
  s = t / hz; if (e > 0 && s > 0)
    printf "%-40s %.1f s CPU for %d emails: %.2f ms each, about %.0f emails/s per core\n",
      "mail sinks during the delivery:", s, e, 1000 * s / e, e / s;
  if (m > 0) printf "%-40s %.1f s CPU for %d messages: %.2f ms each\n",
      "notifier workers:", cpu, m, 1000 * cpu / m }'
