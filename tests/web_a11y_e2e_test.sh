#!/usr/bin/env bash
# The accessibility audit of every page (tests/e2e/a11y.test.mjs): axe-core
# with the WCAG 2.x A and AA rules, in English and Arabic, at desktop and
# phone width; no serious or critical violation. The page list is PAGES in
# that file. The directory accounts are tests/fixtures/web.json's.
exec bash "$(dirname "${BASH_SOURCE[0]}")/e2e/browser_test.sh" a11y.test.mjs
