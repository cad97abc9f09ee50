#!/usr/bin/env bash
# Arabic right to left in the browser (tests/e2e/rtl.test.mjs): isolated
# Latin values, +974 numbers, the digit setting, one currency per amount.
# Its company is its own; the directory accounts are tests/fixtures/web.json's.
# web_e2e_test.sh, which runs before it, installs playwright-core.
exec bash "$(dirname "${BASH_SOURCE[0]}")/e2e/browser_test.sh" rtl.test.mjs
