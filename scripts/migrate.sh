#!/usr/bin/env bash
# Applies the schema migrations sql/NNN_*.sql that are not yet recorded in
# schema_migrations, in order, each in one transaction together with its
# record. Forward only: a recorded migration is never run again, and a
# migration file must not be edited or renamed once applied. Migration
# files must not contain BEGIN/COMMIT themselves.
#
# Connects with RB_DB_OWNER_CONNINFO (the database owner); if it is unset,
# reads $RB_VAR/stack.env (RB_VAR defaults to <repo>/var).
# RB_SQL_DIR overrides the directory of migrations (default <repo>/sql).
# An advisory lock serialises concurrent runners.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
if [ -z "${RB_DB_OWNER_CONNINFO:-}" ]; then
  env_file=${RB_VAR:-$root/var}/stack.env
  [ -r "$env_file" ] || { echo "migrate: RB_DB_OWNER_CONNINFO unset and no $env_file" >&2; exit 1; }
  # shellcheck disable=SC1090
  . "$env_file"
fi
sql_dir=${RB_SQL_DIR:-$root/sql}
# Any fixed number: "rbmigr" in ASCII.
lock_key=125762640086898

export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql_run() { psql -X -q -v ON_ERROR_STOP=1 --single-transaction "$@" "$RB_DB_OWNER_CONNINFO"; }

psql_run -c "SELECT pg_advisory_xact_lock($lock_key)" -c "
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
)" >/dev/null

shopt -s nullglob
files=()
for f in "$sql_dir"/[0-9][0-9][0-9]_*.sql; do files+=("$f"); done
[ ${#files[@]} -gt 0 ] || exit 0
mapfile -t files < <(printf '%s\n' "${files[@]}" | LC_ALL=C sort)

# Two files with one number would make the order ambiguous.
dups=$(printf '%s\n' "${files[@]##*/}" | cut -c1-3 | sort | uniq -d)
[ -z "$dups" ] || { echo "migrate: more than one migration numbered: $dups" >&2; exit 1; }

applied=$(psql -X -q -At -c "SELECT version FROM schema_migrations" "$RB_DB_OWNER_CONNINFO")

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
n=0
for f in "${files[@]}"; do
  version=$(basename "$f" .sql)
  grep -qxF -- "$version" <<<"$applied" && continue
  [[ $version =~ ^[0-9A-Za-z_.-]+$ ]] || { echo "migrate: bad file name $f" >&2; exit 1; }
  # The check is repeated under the lock, so a concurrent runner that got
  # there first makes this one skip the file instead of applying it twice.
  cat >"$tmp" <<SQL
SELECT pg_advisory_xact_lock($lock_key) AS rb_locked \gset
SELECT NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version = '$version') AS rb_todo \gset
\if :rb_todo
\echo migrate: applying $version
\i '${f//\'/\\\'}'
INSERT INTO schema_migrations (version) VALUES ('$version');
\endif
SQL
  if ! psql_run -f "$tmp"; then
    echo "migrate: $version failed; nothing of it was applied" >&2
    exit 1
  fi
  n=$((n + 1))
done
exit 0
