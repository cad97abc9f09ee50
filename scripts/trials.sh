#!/usr/bin/env bash
# make trials: TRIALS (100) kill -9 trials of a renewal execution on
# COMPANIES (300) companies, with the programs of build/ (tests/trials/).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s all
RB_BIN=${RB_BIN:-$PWD/build} exec bash tests/trials/trials.sh
