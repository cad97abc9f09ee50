#!/usr/bin/env bash
# make test's outages under load: each dependency away for
# RB_OUTAGE_TEST_SECONDS (3) (tests/trials/outages.sh; OUTAGE_SECONDS=60
# bash tests/trials/outages.sh is the long version).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
OUTAGE_SECONDS=${RB_OUTAGE_TEST_SECONDS:-3} exec bash "$ROOT/tests/trials/outages.sh"
