#!/usr/bin/env bash
# The penalties pages in the browser (tests/e2e/penalties.test.mjs), as
# tests/e2e/browser_test.sh runs each browser test.
exec bash "$(dirname "${BASH_SOURCE[0]}")/e2e/browser_test.sh" penalties.test.mjs
