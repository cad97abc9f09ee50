#!/usr/bin/env bash
# The forms' field errors, required marks and the exclusion upload in the
# browser (tests/e2e/forms.test.mjs). Its company is its own; the directory
# accounts are tests/fixtures/web.json's.
exec bash "$(dirname "${BASH_SOURCE[0]}")/e2e/browser_test.sh" forms.test.mjs
