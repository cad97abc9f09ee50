#!/usr/bin/env bash
# make test's short fault trials: RB_TRIALS_TEST (8) trials, two of each kind, on
# 60 companies (tests/trials/trials.sh; make trials
# runs 100 on 300).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
TRIALS=${RB_TRIALS_TEST:-8} COMPANIES=${RB_TRIALS_TEST_COMPANIES:-60} \
  exec bash "$ROOT/tests/trials/trials.sh"
