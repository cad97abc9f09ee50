#!/usr/bin/env bash
# Point-in-time recovery into a NEW cluster (make restore TARGET=<time>):
#
#   scripts/restore.sh TARGET [DIR [PORT]]
#
# TARGET is an instant `date -d` reads ("2026-12-01 22:50:00", or with an
# offset "...+00"); without an offset it is Asia/Qatar time. DIR (default
# $RB_VAR/restore/<stamp>) gets the cluster in DIR/data, its socket in
# DIR/run, its log in DIR/postgres.log and DIR/restore.env (the owner's and
# the app's connection strings, for rb-audit-verify or psql); PORT is a
# free one. The running cluster is never touched, except that its current
# WAL segment is archived first so that the archive reaches the present.
# The newest base backup of scripts/backup.sh consistent before TARGET is
# copied, the archived WAL replayed up to TARGET (commits at TARGET
# included), and the cluster promoted: it then runs on its own, with
# archiving off. Stop it with: pg_ctl stop -D DIR/data (as postgres).
set -euo pipefail

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
RB_VAR=${RB_VAR:-$RB_ROOT/var}
# shellcheck disable=SC1091
. "$RB_VAR/stack.env"
PGBIN=/usr/lib/postgresql/15/bin
say() { printf 'restore: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"
[ $# -ge 1 ] && [ -n "$1" ] || die "usage: $0 TARGET [DIR [PORT]] (make restore TARGET='2026-12-01 22:50:00')"
target_epoch=$(TZ=Asia/Qatar date -d "$1" +%s.%N 2>/dev/null) || die "TARGET: cannot read '$1' as a time"
target=$(date -u -d "@$target_epoch" '+%Y-%m-%d %H:%M:%S.%6N+00')
[ "${target_epoch%.*}" -le "$(date +%s)" ] || die "TARGET $target is in the future"
dir=${2:-$RB_VAR/restore/$(date -u +%Y%m%dT%H%M%SZ)}
port=${3:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
[[ $port =~ ^[0-9]+$ ]] || die "PORT must be a number"
[ "$(cd "$(dirname "$dir")" 2>/dev/null && pwd -P)/$(basename "$dir")/data" != "$(cd "$RB_VAR/pg/data" && pwd -P)" ] ||
  die "$dir is the running cluster's directory"
[ ! -e "$dir/data" ] || die "$dir/data exists: restore into a new directory"

# The newest base backup consistent before the target.
chosen=""
for b in $(find "$RB_VAR/backup/base" -mindepth 1 -maxdepth 1 -type d ! -name '*.part' -printf '%f\n' 2>/dev/null | LC_ALL=C sort); do
  c=$(sed -n 's/^consistent_epoch=//p' "$RB_VAR/backup/base/$b/rb-backup.info" 2>/dev/null) || continue
  awk -v c="$c" -v t="$target_epoch" 'BEGIN { exit !(c <= t) }' && chosen=$b
done
[ -n "$chosen" ] || die "no base backup consistent before $target (make backup first; backups: $RB_VAR/backup/base)"
say "base backup $chosen, WAL from $RB_VAR/backup/wal, target $target"

# The running cluster's latest changes into the archive, and wait for it.
pgq() { runuser -u postgres -- "$PGBIN/psql" -X -q -At -h "$RB_VAR/pg/run" -p "$RB_PG_PORT" -U postgres -d postgres -c "$1"; }
# A transaction id's commit is a record stamped after TARGET: recovery
# finds where to stop even when nothing was committed since.
if pgq 'SELECT txid_current()' >/dev/null 2>&1 &&
  seg=$(pgq 'SELECT pg_walfile_name(pg_switch_wal())' 2>/dev/null); then
  for ((i = 0; i < 300; i++)); do
    [ -f "$RB_VAR/backup/wal/$seg" ] && break
    sleep 0.1
  done
  [ -f "$RB_VAR/backup/wal/$seg" ] || say "warning: $seg not archived after 30 s; recovery may stop short"
fi

t0=$(date +%s%N)
mkdir -p "$dir/run"
runuser -u postgres -- test -x "$dir/.." ||
  die "postgres cannot enter $(dirname "$dir"): choose another DIR or chmod o+x it"
cp -a "$RB_VAR/backup/base/$chosen" "$dir/data"
rm -f "$dir/data/rb-backup.info" "$dir/data/postmaster.pid"
# Read after rb.conf, so these win over the source's port, socket and archiving.
cat >>"$dir/data/postgresql.auto.conf" <<CONF
# written by scripts/restore.sh: recovery to $target
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/run'
archive_mode = off
restore_command = 'cp "$RB_VAR/backup/wal/%f" "%p"'
recovery_target_time = '$target'
recovery_target_inclusive = on
recovery_target_action = 'promote'
CONF
touch "$dir/data/recovery.signal"
chown -R postgres:postgres "$dir"
chmod 700 "$dir" "$dir/data" "$dir/run"
say "starting the restored cluster on 127.0.0.1:$port"
runuser -u postgres -- "$PGBIN/pg_ctl" start -D "$dir/data" -l "$dir/postgres.log" -w -t 300 -s ||
  { tail -n 20 "$dir/postgres.log" >&2; die "the restored cluster did not start (see $dir/postgres.log)"; }
rq() { runuser -u postgres -- "$PGBIN/psql" -X -q -At -h "$dir/run" -p "$port" -U postgres -d postgres -c "$1"; }
for ((i = 0; i < 3000; i++)); do
  [ "$(rq 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
  sleep 0.1
done
[ "$(rq 'SELECT pg_is_in_recovery()')" = f ] || die "still recovering after 300 s (see $dir/postgres.log)"
grep -q 'recovery stopping before\|recovery stopping after\|recovery has paused\|last completed transaction' "$dir/postgres.log" ||
  say "warning: the log does not say where recovery stopped"
# The same roles and passwords as the source: its secrets.
(
  umask 077
  for r in owner:rb_owner app:rb_app; do
    printf "export RB_DB_%sCONNINFO='host=127.0.0.1 port=%s dbname=residency user=%s password=%s'\n" \
      "$([ "${r%%:*}" = owner ] && echo OWNER_)" "$port" "${r#*:}" "$(cat "$RB_VAR/secrets/pg_${r%%:*}")"
  done
  printf "export RB_RESTORE_PGDATA='%s' RB_RESTORE_PORT='%s'\n" "$dir/data" "$port"
) >"$dir/restore.env"
say "restored to $target in $((($(date +%s%N) - t0) / 1000000)) ms: $dir/data on port $port"
say "connection: . $dir/restore.env; stop: runuser -u postgres -- $PGBIN/pg_ctl stop -D $dir/data"
echo "$dir"
