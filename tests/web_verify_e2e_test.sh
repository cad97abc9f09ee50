#!/usr/bin/env bash
# The link of a statement's email, as delivered, opened in the browser
# (tests/e2e/verify_link.test.mjs) against the running stack, with
# stack.env exported as tests/run.sh does. Its company is its own and no
# one signs in. web_e2e_test.sh, which runs before it, installs
# playwright-core from the lock file.
set -uo pipefail

if [ -z "${RB_BASE_URL:-}" ] || [ -z "${RB_MAILDIR:-}" ] || [ -z "${RB_CLOCK_FILE:-}" ]; then
  printf '%s\n' "stack.env not loaded (RB_BASE_URL, RB_MAILDIR, RB_CLOCK_FILE)" \
    "[  FAILED  ] 1 test(s), listed below:" "[  FAILED  ] web verify link e2e setup"
  exit 1
fi
RB_ROOT=${RB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)}
RB_BIN=${RB_BIN:-$RB_ROOT/build}
[[ $RB_BIN == /* ]] || RB_BIN=$RB_ROOT/$RB_BIN
export RB_ROOT RB_BIN
cd "$RB_ROOT/tests/e2e" && exec node verify_link.test.mjs
