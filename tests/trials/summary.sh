# Sourced by scripts/fuzz.sh, tests/trials/trials.sh and outages.sh: the
# last lines of a run in cmocka's words, which tests/run.sh counts.
#   summary PASSED [FAILED-NAME...]: prints them; returns 1 if any failed.
summary() {
  local passed=$1
  shift
  echo "[  PASSED  ] $passed test(s)."
  [ $# -eq 0 ] && return 0
  echo "[  FAILED  ] $# test(s), listed below:"
  printf '[  FAILED  ] %s\n' "$@"
  return 1
}
