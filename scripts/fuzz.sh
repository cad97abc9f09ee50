#!/usr/bin/env bash
# Runs every libFuzzer driver (tests/fuzz/<driver>.c) for FUZZ_SECONDS
# each (60), one after the other, from the seed corpus in the repo
# (tests/fuzz/corpus/<driver>/) plus what earlier runs found
# (build/fuzz/corpus/<driver>/, never written back to the repo).
# FUZZ_ONLY='csv ids' runs only those. A crash, a leak, a timeout or a
# failed property fails its driver; the input that did it is kept in
# build/fuzz/crashes/<driver>/ and the command that replays it is printed.
# Prints a cmocka-style summary (tests/run.sh counts one test per driver).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT" || exit 1
SECONDS_EACH=${FUZZ_SECONDS:-60}
OUT=$ROOT/build/fuzz
# shellcheck source=tests/trials/summary.sh
. "$ROOT/tests/trials/summary.sh"

make -s BUILD=build/fuzz CC=clang FUZZ=1 fuzzers || {
  echo "fuzz: the drivers did not build"
  exit 1
}
drivers=${FUZZ_ONLY:-$(make -s --no-print-directory -f - <<<'include Makefile
print: ; @echo $(FUZZERS)' print 2>/dev/null)}

passed=0
failed=()
for d in $drivers; do
  mkdir -p "$OUT/corpus/$d" "$OUT/crashes/$d"
  log=$OUT/$d.log
  echo "[ RUN      ] fuzz_$d (${SECONDS_EACH}s)"
  # -close_fd_mask: the drivers' refusals are not worth a terminal of logs.
  "$OUT/fuzz/$d" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=1024 \
    -max_len=65536 -close_fd_mask=1 -print_final_stats=1 \
    -artifact_prefix="$OUT/crashes/$d/" \
    "$OUT/corpus/$d" "tests/fuzz/corpus/$d" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if [ "$rc" -eq 0 ]; then
    echo "[       OK ] fuzz_$d: ${runs:-?} runs"
    passed=$((passed + 1))
  else
    grep -E 'property failed|ERROR:|SUMMARY:|runtime error' "$log" | head -n 5
    for a in $(grep -o "Test unit written to [^ ]*" "$log" | awk '{print $5}'); do
      echo "fuzz: reproducer kept: $a (replay: $OUT/fuzz/$d $a)"
    done
    echo "[  FAILED  ] fuzz_$d (log: $log)"
    failed+=("fuzz_$d")
  fi
done
echo "[==========] ${#failed[@]} of $((passed + ${#failed[@]})) drivers failed, ${SECONDS_EACH}s each"
summary "$passed" "${failed[@]}"
