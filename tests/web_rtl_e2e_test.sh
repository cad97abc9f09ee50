#!/usr/bin/env bash
# Arabic right to left in the browser (tests/e2e/rtl.test.mjs): isolated
# Latin values, +974 numbers, the digit setting, one currency per amount,
# against the running stack, with stack.env exported as tests/run.sh does.
# Its company is its own; the directory accounts are tests/fixtures/web.json's.
# web_e2e_test.sh, which runs before it, installs playwright-core.
set -uo pipefail

fail() {
  echo "$*"
  echo "[  FAILED  ] 1 test(s), listed below:"
  echo "[  FAILED  ] web rtl e2e setup"
  exit 1
}

[ -n "${RB_BASE_URL:-}" ] && [ -n "${RB_DB_OWNER_CONNINFO:-}" ] || fail "stack.env not loaded"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
export RB_ROOT=${RB_ROOT:-${here%/tests}}
bin=${RB_BIN:-build}
case $bin in /*) export RB_BIN=$bin ;; *) export RB_BIN=$RB_ROOT/$bin ;; esac
cd "$RB_ROOT/tests/e2e" || fail "no tests/e2e"
[ -d node_modules/playwright-core ] ||
  npm ci --no-audit --no-fund --prefer-offline >/dev/null 2>&1 || fail "npm ci failed"
"$RB_BIN/rb-load" "$RB_ROOT/tests/fixtures/web.json" >/dev/null || fail "cannot load tests/fixtures/web.json"
exec node rtl.test.mjs
