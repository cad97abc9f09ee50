#!/usr/bin/env bash
# Six languages in the browser (tests/e2e/languages.test.mjs): French, Urdu
# (right to left, Nastaliq), Malayalam (its Noto font) and Spanish pages,
# amounts and dates in each language's conventions, the English fallback.
# Its company is its own; the directory accounts are tests/fixtures/web.json's.
# web_e2e_test.sh, which runs before it, installs playwright-core.
exec bash "$(dirname "${BASH_SOURCE[0]}")/e2e/browser_test.sh" languages.test.mjs
