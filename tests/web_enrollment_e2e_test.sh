#!/usr/bin/env bash
# The enrollment pages in the browser (tests/e2e/enrollment.test.mjs), as
# tests/e2e/browser_test.sh runs each browser test.
exec bash "$(dirname "${BASH_SOURCE[0]}")/e2e/browser_test.sh" enrollment.test.mjs
