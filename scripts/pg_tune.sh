#!/bin/sh
# PostgreSQL sized for the machine it runs on, computed at every start from
# the memory it has (MemTotal, or the cgroup's limit when lower), and
# printed as postgresql.conf lines (scripts/stack.sh's pg_conf() appends
# them to rb.conf). RB_PG_MEM_MB overrides the memory seen, for a host that
# shares its memory with other servers.
#
#   shared_buffers        1/4 of memory, 128 MB to 8 GB
#   effective_cache_size  3/4 of memory
#   work_mem              memory / (4 x max_connections), 4 MB to 64 MB
#   maintenance_work_mem  1/16 of memory, 64 MB to 1 GB
#   max_wal_size          1/8 of memory, 1 GB to 16 GB (a national cycle
#                         writes gigabytes: no checkpoint every few seconds)
set -eu

max_connections=${1:-200}
mem_mb=${RB_PG_MEM_MB:-}
if [ -z "$mem_mb" ]; then
  mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
  for f in /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do
    if [ -r "$f" ]; then
      lim=$(cat "$f")
      case $lim in
        ''|max|*[!0-9]*) ;;
        *) lim=$((lim / 1048576)); [ "$lim" -lt "$mem_mb" ] && mem_mb=$lim ;;
      esac
    fi
  done
fi

clamp() { v=$1; [ "$v" -lt "$2" ] && v=$2; [ "$v" -gt "$3" ] && v=$3; echo "$v"; }

echo "# sized by scripts/pg_tune.sh for ${mem_mb} MB of memory"
echo "shared_buffers = $(clamp $((mem_mb / 4)) 128 8192)MB"
echo "effective_cache_size = $(clamp $((mem_mb * 3 / 4)) 256 1048576)MB"
echo "work_mem = $(clamp $((mem_mb / (4 * max_connections))) 4 64)MB"
echo "maintenance_work_mem = $(clamp $((mem_mb / 16)) 64 1024)MB"
echo "max_wal_size = $(clamp $((mem_mb / 8)) 1024 16384)MB"
