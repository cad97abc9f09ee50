#!/usr/bin/env bash
# The static analyzer of `make analyze` (run by `make test` before the
# tests): cppcheck over the non-test sources, any finding fails.
# A false positive is suppressed where it is, with a comment saying why:
#   /* cppcheck-suppress <id> ; <why> */ on the line before it;
# findings in a file that cannot carry such a comment go to
# scripts/cppcheck.supp, each with its reason.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$root"
command -v cppcheck >/dev/null 2>&1 ||
  { echo "analyze: cppcheck missing (make deps installs it)" >&2; exit 1; }

dirs=(lib domain notify store fcgi scheduler notifier reports tools bench)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# warning: likely bugs; portability and performance: cheap, and quiet on
# this code base. style is left out: its findings are taste, not defects.
if ! cppcheck -q -j2 --std=c17 -I. -D_GNU_SOURCE \
  --enable=warning,portability,performance --inline-suppr \
  --suppressions-list=scripts/cppcheck.supp --error-exitcode=1 \
  --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
  "${dirs[@]}" 2>"$out"; then
  cat "$out" >&2
  echo "analyze: cppcheck found the problems above" >&2
  exit 1
fi
echo "analyze: cppcheck clean (${dirs[*]})"
