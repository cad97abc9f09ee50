#!/usr/bin/env bash
# The OpenAPI document and the server's real answers checked by validators
# that are not ours (tests/openapi/check.mjs: @seriousme/openapi-schema-validator
# for the document, ajv in strict mode for the answers), installed with
# npm ci from tests/openapi/package-lock.json. tests/run.sh runs it with
# stack.env exported; by hand, against a stack of your own:
#   set -a; . var/stack.env; set +a; bash tests/openapi_test.sh
set -uo pipefail

fail() {
  echo "$*"
  echo "[  FAILED  ] 1 test(s), listed below:"
  echo "[  FAILED  ] openapi setup"
  exit 1
}
[ -n "${RB_BASE_URL:-}" ] && [ -n "${RB_TLS_CERT:-}" ] || fail "stack.env not loaded (RB_BASE_URL, RB_TLS_CERT)"
RB_ROOT=${RB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)}
export RB_ROOT
cd "$RB_ROOT/tests/openapi" || fail "no tests/openapi"
# npm ci again only when the lock file changed since the last install.
if ! cmp -s package-lock.json node_modules/.rb-installed-lock 2>/dev/null; then
  log=$(mktemp)
  npm ci --no-audit --no-fund --prefer-offline >"$log" 2>&1 || { cat "$log"; rm -f "$log"; fail "npm ci failed"; }
  rm -f "$log"
  cp package-lock.json node_modules/.rb-installed-lock
fi
# The stack's self-signed certificate is the one authority trusted.
NODE_EXTRA_CA_CERTS=$RB_TLS_CERT exec node check.mjs
