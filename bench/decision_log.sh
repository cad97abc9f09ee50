# Sourced by bench/run.sh after the authorization section (it uses its
# run_wrk, RB_VAR and BENCH_* settings): the cost of the decision log
# (issue 13 §3). The same /authorize load twice in the same run, the log
# off (RB_DECISION_LOG=0) and on, alternating, each after a restart of the
# application and a warm-up; prints both, the cost ratio (goal <= 10 %), the rows
# written and what a full buffer dropped.
dl_measure() { # on: prints "rate p50 p99"
  RB_DECISION_LOG=$1 bash scripts/stack.sh app-restart >>"$RB_VAR/start.log" 2>&1
  wrk -t2 -c"$BENCH_CONNECTIONS" -d2s -s bench/authorize.lua "$RB_BASE_URL/" >/dev/null 2>&1 || true
  run_wrk "$RB_BASE_URL/" bench/authorize.lua
}
dl_rows() { psql -qAt "$RB_DB_OWNER_CONNINFO" -c "SELECT count(*) FROM decision_log"; }

# Off, on, off, on: two rounds each, so that a change of the machine's
# load during the run weighs on both; the figures are each side's mean.
dl_written=0
for dl_round in 1 2; do
  read -r dl_r dl_a dl_b < <(dl_measure 0)
  dl_off+=("$dl_r $dl_a $dl_b")
  dl_before=$(dl_rows)
  read -r dl_r dl_a dl_b < <(dl_measure 1)
  dl_on+=("$dl_r $dl_a $dl_b")
  sleep 1	# the last flush (200 ms bound)
  dl_written=$(( dl_written + $(dl_rows) - dl_before ))
done
dl_mean() { printf '%s\n' "$@" | awk '{ r += $1; a += $2; b += $3 } END { printf "%.0f %.3f %.3f\n", r / NR, a / NR, b / NR }'; }
read -r dl_off_rate dl_off_p50 dl_off_p99 < <(dl_mean "${dl_off[@]}")
read -r dl_on_rate dl_on_p50 dl_on_p99 < <(dl_mean "${dl_on[@]}")
dl_health=$(curl -s --cacert "$RB_TLS_CERT" "$RB_BASE_URL/api/v1/health")
echo
echo "== decision log: GET /api/v1/authorize with the log off and on (same run, mean of 2 rounds each)"
printf '%-28s %10s %10s %10s\n' "" "req/s" "p50 ms" "p99 ms"
printf '%-28s %10s %10s %10s\n' "log off (RB_DECISION_LOG=0)" "$dl_off_rate" "$dl_off_p50" "$dl_off_p99"
printf '%-28s %10s %10s %10s\n' "log on" "$dl_on_rate" "$dl_on_p50" "$dl_on_p99"
awk -v on="$dl_on_rate" -v off="$dl_off_rate" 'BEGIN {
  printf "cost: %.1f%% of the rate (goal <= 10%%)\n", 100 * (off - on) / off }'
echo "rows written: $dl_written; health: $(python3 -c 'import json,sys; print(json.load(sys.stdin)["decision_log"])' <<<"$dl_health")"
