# Sourced by bench/run.sh after the authorization section (it uses its
# run_wrk, RB_VAR and BENCH_* settings): the cost of the decision log
# (issue 13 §3). The same /authorize load twice in the same run, the log
# off (RB_DECISION_LOG=0) and on, each after a restart of the application
# and a warm-up; prints both, the cost ratio (goal <= 10 %), the rows
# written and what a full buffer dropped.
dl_measure() { # on: prints "rate p50 p99"
  RB_DECISION_LOG=$1 bash scripts/stack.sh app-restart >>"$RB_VAR/start.log" 2>&1
  wrk -t2 -c"$BENCH_CONNECTIONS" -d2s -s bench/authorize.lua "$RB_BASE_URL/" >/dev/null 2>&1 || true
  run_wrk "$RB_BASE_URL/" bench/authorize.lua
}
dl_rows() { psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT count(*) FROM decision_log"; }

read -r dl_off_rate dl_off_p50 dl_off_p99 < <(dl_measure 0)
dl_before=$(dl_rows)
read -r dl_on_rate dl_on_p50 dl_on_p99 < <(dl_measure 1)
sleep 1	# the last flush (200 ms bound)
dl_written=$(( $(dl_rows) - dl_before ))
dl_health=$(curl -s --cacert "$RB_TLS_CERT" "$RB_BASE_URL/api/v1/health")
echo
echo "== decision log: GET /api/v1/authorize with the log off and on (same run)"
printf '%-28s %10s %10s %10s\n' "" "req/s" "p50 ms" "p99 ms"
printf '%-28s %10s %10s %10s\n' "log off (RB_DECISION_LOG=0)" "$dl_off_rate" "$dl_off_p50" "$dl_off_p99"
printf '%-28s %10s %10s %10s\n' "log on" "$dl_on_rate" "$dl_on_p50" "$dl_on_p99"
awk -v on="$dl_on_rate" -v off="$dl_off_rate" 'BEGIN {
  printf "cost: %.1f%% of the rate (goal <= 10%%)\n", 100 * (off - on) / off }'
echo "rows written: $dl_written; health: $(python3 -c 'import json,sys; print(json.load(sys.stdin)["decision_log"])' <<<"$dl_health")"
