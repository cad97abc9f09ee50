#!/usr/bin/env bash
# The company pages of issue 12 §2 in the browser (tests/e2e/company_pages.test.mjs):
# overview against the preview, employees (filters, exclude/include, CSV),
# help pages, in both languages and at phone width. Its own company.
exec bash "$(dirname "${BASH_SOURCE[0]}")/e2e/browser_test.sh" company_pages.test.mjs
