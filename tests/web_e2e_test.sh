#!/usr/bin/env bash
# The web interface end to end: Debian's chromium, headless, driven by
# playwright-core (tests/e2e, installed with npm ci from its lock file)
# against the running stack. tests/run.sh runs it with stack.env exported;
# by hand, against a stack of your own:
#   set -a; . var/stack.env; set +a; RB_BIN=build bash tests/web_e2e_test.sh
# It loads its own fixture (tests/fixtures/web.json: companies 1500000X),
# so the other tests' changes to the base fixture do not matter.
# RB_SCREENSHOTS=dir saves screenshots of the main pages there.
set -uo pipefail

RB_ROOT=${RB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)}
RB_BIN=${RB_BIN:-$RB_ROOT/build}
[[ $RB_BIN == /* ]] || RB_BIN=$RB_ROOT/$RB_BIN
: "${RB_BASE_URL:?stack.env not loaded}" "${RB_DB_OWNER_CONNINFO:?}"
export RB_ROOT RB_BIN

fail() {
  echo "$*"
  echo "[  PASSED  ] 0 test(s)."
  echo "[  FAILED  ] 1 test(s), listed below:"
  echo "[  FAILED  ] web e2e setup"
  exit 1
}

cd "$RB_ROOT/tests/e2e" || fail "no tests/e2e"
# npm ci again only when the lock file changed since the last install.
if ! cmp -s package-lock.json node_modules/.rb-installed-lock 2>/dev/null; then
  log=$(mktemp)
  npm ci --no-audit --no-fund --prefer-offline >"$log" 2>&1 || { cat "$log"; rm -f "$log"; fail "npm ci failed"; }
  rm -f "$log"
  cp package-lock.json node_modules/.rb-installed-lock
fi
"$RB_BIN/rb-load" "$RB_ROOT/tests/fixtures/web.json" >/dev/null || fail "cannot load tests/fixtures/web.json"
exec node web.test.mjs
