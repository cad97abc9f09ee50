#!/usr/bin/env bash
# A full backup of the running stack's PostgreSQL (make backup):
#   $RB_VAR/backup/base/<UTC stamp>/   pg_basebackup, plain format, with the
#                                      WAL it needs (self-contained)
#   $RB_VAR/backup/wal/                the WAL archive (scripts/pg_archive.sh),
#                                      for recovery to any later instant
# Each base backup gets rb-backup.info (when it became consistent, as
# epoch seconds), which scripts/restore.sh uses to pick the newest backup
# before its target. RB_BACKUP_KEEP (3) base backups are kept; WAL older
# than the oldest kept one is removed with pg_archivecleanup.
# Reads the stack's settings from $RB_VAR/stack.env; runs as root.
set -euo pipefail

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
RB_VAR=${RB_VAR:-$RB_ROOT/var}
# shellcheck disable=SC1091
. "$RB_VAR/stack.env"
PGBIN=/usr/lib/postgresql/15/bin
KEEP=${RB_BACKUP_KEEP:-3}
base=$RB_VAR/backup/base
say() { printf 'backup: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"
[[ $KEEP =~ ^[1-9][0-9]*$ ]] || die "RB_BACKUP_KEEP must be a positive number"
[ -d "$RB_VAR/backup/wal" ] || die "no WAL archive in $RB_VAR/backup/wal (start the stack with scripts/stack.sh)"
pgq() { runuser -u postgres -- "$PGBIN/psql" -X -q -At -h "$RB_VAR/pg/run" -p "$RB_PG_PORT" -U postgres -d postgres -c "$1"; }
[ "$(pgq 'SHOW archive_mode')" = on ] || die "archive_mode is off: restart PostgreSQL (scripts/stack.sh pg-stop, pg-start)"

mkdir -p "$base"
chown postgres:postgres "$base"
chmod 700 "$base"
stamp=$(date -u +%Y%m%dT%H%M%S.%NZ)
dir=$base/$stamp
nosync=()
[ "${RB_PG_FAST:-}" = 1 ] && nosync=(--no-sync)
say "pg_basebackup into $dir"
t0=$(date +%s%N)
runuser -u postgres -- "$PGBIN/pg_basebackup" -h "$RB_VAR/pg/run" -p "$RB_PG_PORT" -U postgres \
  -D "$dir.part" -Fp -X stream -c fast "${nosync[@]}" ||
  { rm -rf "$dir.part"; die "pg_basebackup failed"; }
# Consistent from the end of the backup on: a target before this instant
# needs an older backup.
printf 'consistent_epoch=%s\n' "$(date +%s.%N)" >"$dir.part/rb-backup.info"
# The WAL segment the backup started in: everything older belongs to
# older backups only.
start_wal=$(sed -n 's/^START WAL LOCATION: .* (file \([0-9A-F]\{24\}\))$/\1/p' "$dir.part/backup_label")
[ -n "$start_wal" ] || die "no START WAL LOCATION in backup_label"
printf 'start_wal=%s\n' "$start_wal" >>"$dir.part/rb-backup.info"
mv "$dir.part" "$dir"
# The segment being written now goes to the archive at once, so the
# backup is restorable to this instant without waiting for archive_timeout.
pgq 'SELECT pg_switch_wal()' >/dev/null
say "done in $((($(date +%s%N) - t0) / 1000000)) ms: $(du -sh "$dir" | cut -f1)"

# Retention: the newest $KEEP base backups and the WAL from the oldest of them.
mapfile -t all < <(find "$base" -mindepth 1 -maxdepth 1 -type d ! -name '*.part' -printf '%f\n' | LC_ALL=C sort)
if [ "${#all[@]}" -gt "$KEEP" ]; then
  for old in "${all[@]:0:${#all[@]}-KEEP}"; do
    say "removing old base backup $old"
    rm -rf "${base:?}/$old"
  done
fi
oldest=$(find "$base" -mindepth 1 -maxdepth 1 -type d ! -name '*.part' -printf '%f\n' | LC_ALL=C sort | head -n1)
oldest_wal=$(sed -n 's/^start_wal=//p' "$base/$oldest/rb-backup.info")
runuser -u postgres -- "$PGBIN/pg_archivecleanup" "$RB_VAR/backup/wal" "$oldest_wal"
echo "$dir"
