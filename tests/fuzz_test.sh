#!/usr/bin/env bash
# make test's short fuzzing: every libFuzzer driver (tests/fuzz/) for
# RB_FUZZ_TEST_SECONDS (8) each, so that a regression of a parser is
# caught; `make fuzz` runs them longer. One test per driver.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
FUZZ_SECONDS=${RB_FUZZ_TEST_SECONDS:-8} exec bash "$ROOT/scripts/fuzz.sh"
