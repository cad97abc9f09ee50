#!/usr/bin/env bash
# make mutants: plants each bug of tests/mutants.txt in a scratch copy of
# the tree (never the working tree), builds it, runs the tests that should
# catch it, and undoes it. Prints a verdict per mutant:
#   killed    the tests failed, as they should
#   SURVIVED  the tests passed with the bug in: a rule no test guards
#   STALE     its "find" text is not in the file (any more): fix the mutant
#   NO BUILD  the mutated tree does not compile: fix the mutant
#   BASELINE  its tests fail on the unmutated tree: they prove nothing
# and exits non-zero unless every mutant was killed.
#
#   MUTANTS='*contact*'  only the mutants whose file or comment match
#   MUTANTS_KEEP=1       keep the scratch copy and its logs
#   MUTANTS_SEED=build/t copy this build directory in first (default build,
#                        when it exists), so only what a mutant touches is
#                        rebuilt
# The scratch tree is built without sanitizers (BUILD=build/m), for speed.
# Tests named only unit_* run their programs directly; anything else runs
# tests/run.sh of the scratch tree with RB_TEST_ONLY (a throwaway stack).
# Each pattern set is first run on the unmutated tree, so a mutant is only
# counted as killed by tests that pass without it.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
list=${MUTANTS_FILE:-$root/tests/mutants.txt}
only=${MUTANTS:-*}
seed=${MUTANTS_SEED:-build}
[[ $seed == /* ]] || seed=$root/$seed
[ -r "$list" ] || { echo "mutants: no $list" >&2; exit 1; }

scratch=$(mktemp -d /tmp/rb-mutants.XXXXXX)
chmod 755 "$scratch"
cleanup() {
  if [ "${MUTANTS_KEEP:-}" = 1 ]; then
    echo "mutants: kept $scratch"
  else
    rm -rf "$scratch"
  fi
}
trap cleanup EXIT
trap 'echo "mutants: interrupted" >&2; exit 130' INT TERM
logs=$scratch/.mutants
mkdir -p "$logs"

# mutant_tool list FILE | apply FILE N DIR: the parser and the exact
# substitution (text with quotes, $ and backslashes, so not sed).
mutant_tool() {
  python3 - "$@" <<'PY'
import sys

def parse(path):
    out, cur, notes = [], {}, []
    def flush():
        if cur:
            for k in ("file", "find", "replace", "tests"):
                if k not in cur:
                    sys.exit("mutants: %s: a mutant without %s: %r" % (path, k, cur))
            cur["comment"] = " ".join(notes) or "(no comment)"
            out.append(dict(cur))
        cur.clear(); notes.clear()
    for raw in open(path, encoding="utf-8").read().split("\n"):
        line = raw.rstrip("\r")
        if line.strip() == "":
            flush()
        elif line.startswith("#"):
            if not cur:
                notes.append(line.lstrip("#").strip())
        else:
            key, sep, val = line.partition(": ")
            if not sep or key not in ("file", "find", "replace", "tests"):
                sys.exit("mutants: %s: cannot read line %r" % (path, line))
            cur[key] = val
    flush()
    # The file's own header is a comment block with no mutant after it.
    return out

cmd, path = sys.argv[1], sys.argv[2]
muts = parse(path)
if cmd == "list":
    for i, m in enumerate(muts, 1):
        print("\t".join((str(i), m["file"], m["tests"], m["comment"].replace("\t", " "))))
elif cmd == "apply":
    m = muts[int(sys.argv[3]) - 1]
    target = sys.argv[4] + "/" + m["file"]
    try:
        text = open(target, encoding="utf-8").read()
    except OSError as e:
        print("no such file: %s" % e.strerror); sys.exit(3)
    n = text.count(m["find"])
    if n == 0:
        print("text not found: %s" % m["find"]); sys.exit(3)
    if n > 1:
        print("text found %d times (make it unique): %s" % (n, m["find"])); sys.exit(3)
    with open(target, "w", encoding="utf-8") as f:
        f.write(text.replace(m["find"], m["replace"]))
PY
}

# The scratch copy: tracked and untracked (not ignored) files as they are
# in the working tree, times kept, so a seeded build stays up to date.
(cd "$root" && git ls-files -co --exclude-standard -z |
  python3 -c 'import os,sys; [sys.stdout.buffer.write(p + b"\0") for p in sys.stdin.buffer.read().split(b"\0") if p and os.path.lexists(p)]' |
  tar --null -T - -cf -) | (cd "$scratch" && tar -xf -) ||
  { echo "mutants: cannot copy the tree" >&2; exit 1; }
if [ -d "$seed/obj" ]; then
  mkdir -p "$scratch/build"
  cp -a "$seed" "$scratch/build/m"
fi

build() { make -C "$scratch" -j2 BUILD=build/m all tests >"$1" 2>&1; }

# run_tests PATTERNS LOG: 0 when the tests pass.
run_tests() {
  local pats=$1 log=$2 p t unit_only=1 rc=0 found=0
  IFS='|' read -ra ps <<<"$pats"
  for p in "${ps[@]}"; do [[ $p == unit_* ]] || unit_only=0; done
  if [ "$unit_only" = 0 ]; then
    (cd "$scratch" && RB_TEST_ONLY=$pats RB_BIN=$scratch/build/m \
      RB_TEST_TIMEOUT=${MUTANTS_TIMEOUT:-600} bash tests/run.sh) >"$log" 2>&1
    return
  fi
  : >"$log"
  for t in "$scratch"/build/m/tests/unit_*; do
    for p in "${ps[@]}"; do
      # shellcheck disable=SC2053
      if [[ $(basename "$t") == $p ]]; then
        found=1
        (cd "$scratch" && RB_ROOT=$scratch RB_BIN=$scratch/build/m timeout -k 10 "${MUTANTS_TIMEOUT:-600}" "$t") \
          >>"$log" 2>&1 || rc=1
        break
      fi
    done
  done
  [ "$found" = 1 ] || { echo "mutants: no unit program matches $pats" >>"$log"; return 2; }
  return $rc
}

echo "mutants: scratch copy in $scratch; building it"
if ! build "$logs/build-base.log"; then
  tail -n 30 "$logs/build-base.log"
  echo "mutants: the unmutated tree does not build" >&2
  exit 1
fi

mapfile -t rows < <(mutant_tool list "$list") || exit 1
selected=()
for row in "${rows[@]}"; do
  IFS=$'\t' read -r idx file pats comment <<<"$row"
  # shellcheck disable=SC2053
  [[ "$file $comment" == $only ]] && selected+=("$row")
done
[ ${#selected[@]} -gt 0 ] || { echo "mutants: none matched MUTANTS=$only" >&2; exit 1; }

# Each set of tests on the unmutated tree first: tests that fail anyway
# prove nothing about a mutant.
declare -A baseline=()
b=0
for row in "${selected[@]}"; do
  IFS=$'\t' read -r idx file pats comment <<<"$row"
  [ -z "${baseline[$pats]:-}" ] || continue
  b=$((b + 1))
  if run_tests "$pats" "$logs/base-$b.log"; then
    baseline[$pats]=ok
  else
    baseline[$pats]=$logs/base-$b.log
    echo "mutants: $pats fail on the unmutated tree (see $logs/base-$b.log)"
  fi
done

killed=0 bad=0 n=0
problems=()
for row in "${selected[@]}"; do
  IFS=$'\t' read -r idx file pats comment <<<"$row"
  n=$((n + 1))
  label="#$idx $file ($comment)"
  cp -p "$scratch/$file" "$logs/orig" 2>/dev/null || : >"$logs/orig"
  if ! why=$(mutant_tool apply "$list" "$idx" "$scratch"); then
    echo "STALE     $label: $why"
    problems+=("STALE     $label: $why")
    bad=$((bad + 1))
    continue
  fi
  if [ "${baseline[$pats]}" != ok ]; then
    verdict="BASELINE"
  elif ! build "$logs/build-$idx.log"; then
    verdict="NO BUILD"
  elif run_tests "$pats" "$logs/test-$idx.log"; then
    verdict="SURVIVED"
  else
    verdict="killed"
  fi
  # Undone: the original text back, with a new time so make rebuilds it.
  cat "$logs/orig" >"$scratch/$file"
  case $verdict in
  killed)
    killed=$((killed + 1))
    echo "killed    $label by $pats"
    ;;
  BASELINE)
    echo "BASELINE  $label: $pats fail without the mutant"
    problems+=("BASELINE  $label: $pats fail on the unmutated tree")
    bad=$((bad + 1))
    ;;
  *)
    printf '%-9s %s, tests %s\n' "$verdict" "$label" "$pats"
    problems+=("$verdict $label, tests $pats")
    bad=$((bad + 1))
    ;;
  esac
done

echo
echo "mutants: $n run, $killed killed, $bad not"
if [ "$bad" -gt 0 ]; then
  printf '  %s\n' "${problems[@]}"
  [ "${MUTANTS_KEEP:-}" = 1 ] || echo "  (MUTANTS_KEEP=1 keeps the logs)"
  exit 1
fi
