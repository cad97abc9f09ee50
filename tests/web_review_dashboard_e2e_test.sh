#!/usr/bin/env bash
# The reviewers' dashboard and subscription detail in the browser (issue 12 §2).
exec bash "$(dirname "${BASH_SOURCE[0]}")/e2e/browser_test.sh" review_dashboard.test.mjs
