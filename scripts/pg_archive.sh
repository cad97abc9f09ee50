#!/usr/bin/env bash
# WAL archiving for point-in-time recovery (scripts/backup.sh, restore.sh).
#
#   scripts/pg_archive.sh conf PGDATA ARCHIVE_DIR
#
# Writes PGDATA/rb-archive.conf, which rb.conf includes (scripts/stack.sh
# pg_conf), and creates ARCHIVE_DIR for the postgres user. Each completed
# WAL segment is copied there under a temporary name, flushed and renamed,
# so a segment in the archive is always whole; a segment already archived
# is accepted again only if it is identical (PostgreSQL retries after a
# crash between copying and recording), never overwritten. archive_timeout
# bounds what an idle server leaves unarchived to one minute.
# RB_PG_FAST=1 (tests) skips the flush, as it skips fsync in the server.
set -euo pipefail

[ "${1:-}" = conf ] && [ $# -eq 3 ] || { echo "usage: $0 conf PGDATA ARCHIVE_DIR" >&2; exit 2; }
pgdata=$2
arch=$3
case $arch in
  *\'* | *\ * | *%*) echo "pg_archive: $arch: no quotes, spaces or % in the archive path" >&2; exit 2 ;;
esac
mkdir -p "$arch"
chown postgres:postgres "$(dirname "$arch")" "$arch"
chmod 700 "$(dirname "$arch")" "$arch"
flush="sync \"$arch/%f.part\" && "
[ "${RB_PG_FAST:-}" = 1 ] && flush=""
cat >"$pgdata/rb-archive.conf.tmp" <<CONF
# written by scripts/pg_archive.sh: WAL archiving into $arch
wal_level = replica
archive_mode = on
archive_timeout = 60
archive_command = 'if test -f "$arch/%f"; then cmp -s "%p" "$arch/%f"; else cp "%p" "$arch/%f.part" && ${flush}mv "$arch/%f.part" "$arch/%f"; fi'
CONF
chown postgres:postgres "$pgdata/rb-archive.conf.tmp"
mv "$pgdata/rb-archive.conf.tmp" "$pgdata/rb-archive.conf"
