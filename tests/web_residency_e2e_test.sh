#!/usr/bin/env bash
# A resident's own page in the browser (tests/e2e/me_residency.test.mjs):
# renewed (English), not renewed for fines (Arabic, right to left), a new
# mobile number confirmed with its code; and the reviewers' notifications
# page with an undeliverable SMS and its company's count. Its company and
# residents are tests/fixtures/web_residency.json's, loaded by the test
# (the reviewer is tests/fixtures/web.json's).
exec bash "$(dirname "${BASH_SOURCE[0]}")/e2e/browser_test.sh" me_residency.test.mjs
