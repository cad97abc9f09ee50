#!/usr/bin/env bash
# Runs one browser test file of this folder (its name the only argument)
# against the running stack, with stack.env exported as tests/run.sh does:
# playwright-core from the lock file when missing, then the directory
# accounts of tests/fixtures/web.json. Each tests/web_*_e2e_test.sh is a
# line calling this.
set -uo pipefail

name=${1:?usage: browser_test.sh FILE.test.mjs}
fail() {
  echo "$*"
  echo "[  FAILED  ] 1 test(s), listed below:"
  echo "[  FAILED  ] $name setup"
  exit 1
}

[ -n "${RB_BASE_URL:-}" ] && [ -n "${RB_DB_OWNER_CONNINFO:-}" ] || fail "stack.env not loaded"
e2e=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
export RB_ROOT=${RB_ROOT:-${e2e%/tests/e2e}}
bin=${RB_BIN:-build}
case $bin in /*) export RB_BIN=$bin ;; *) export RB_BIN=$RB_ROOT/$bin ;; esac
cd "$e2e" || fail "no tests/e2e"
# axe-core too (the accessibility audit): a lock file that gained a package.
[ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] ||
  npm ci --no-audit --no-fund --prefer-offline >/dev/null 2>&1 || fail "npm ci failed"
"$RB_BIN/rb-load" "$RB_ROOT/tests/fixtures/web.json" >/dev/null || fail "cannot load tests/fixtures/web.json"
exec node "$name"
