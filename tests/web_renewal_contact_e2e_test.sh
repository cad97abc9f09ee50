#!/usr/bin/env bash
# Who may change where statements and renewed cards go, in the browser
# (tests/e2e/renewal_contact.test.mjs, issue 11 §2). Its company is its
# own; the directory accounts are tests/fixtures/web.json's.
exec bash "$(dirname "${BASH_SOURCE[0]}")/e2e/browser_test.sh" renewal_contact.test.mjs
