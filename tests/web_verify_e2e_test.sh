#!/usr/bin/env bash
# The link of a statement's email opened in the browser
# (tests/e2e/verify_link.test.mjs) against the running stack, with
# stack.env exported as tests/run.sh does. Its company is its own and no
# one signs in. web_e2e_test.sh, which runs before it, installs
# playwright-core from the lock file.
set -uo pipefail

fail() {
  echo "$*"
  echo "[  FAILED  ] 1 test(s), listed below:"
  echo "[  FAILED  ] web verify link e2e setup"
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
[ -n "${RB_MAILDIR:-}" ] && [ -n "${RB_CLOCK_FILE:-}" ] || fail "RB_MAILDIR or RB_CLOCK_FILE not set"
exec node verify_link.test.mjs
