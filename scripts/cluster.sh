#!/usr/bin/env bash
# The system on five hosts (issue 17 §1), each host a Linux network
# namespace of this machine with a private address that exists only inside
# it, all joined by veth pairs to one bridge:
#
#   ${P}front  .10  nginx: HTTPS, spreads /api over both application hosts
#   ${P}app1   .11  rb-fcgi (FastCGI on TCP :9000, for the front only),
#   ${P}app2   .12    rb-scheduler, rb-notifier, a local mail relay and SMS stand-in
#   ${P}db1    .21  PostgreSQL primary, slapd
#   ${P}db2    .22  PostgreSQL streaming replica (hot standby)
#
#   scripts/cluster.sh start     create the namespaces and start every host
#   scripts/cluster.sh stop      stop every host, remove namespaces, veths, bridge
#   scripts/cluster.sh status    what runs where
#   scripts/cluster.sh exec HOST CMD...   run CMD in HOST's namespace
#   scripts/cluster.sh HOST ACTION        one host's action (cluster_host.sh):
#       app1|app2 app-stop|app-start, db1|db2 pg-stop|pg-start
#
# Environment (defaults): RB_CLUSTER_PREFIX (rb-: namespaces rb-front ...,
# bridge rb-br; at most 9 characters), RB_CLUSTER_NET (10.77.0: the /24),
# RB_CLUSTER_VAR (/var/lib/residency/<prefix>cluster: the hosts' state),
# RB_CLUSTER_PORT (9443: the front on 127.0.0.1 of this machine, through
# scripts/cluster_forward.py; 0 = none), RB_BIN (<repo>/build),
# RB_NO_SCHEDULER (1 = no scheduler daemons; the tests run its one-shot
# command on each host), RB_CLOCK_FILE, RB_PG_FAST (as for stack.sh).
# The single-host scripts/stack.sh (make run) is unchanged by all this.
set -euo pipefail
umask 027

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
P=${RB_CLUSTER_PREFIX:-rb-}
[[ $P =~ ^[a-z][a-z0-9-]{0,8}$ ]] || { echo "cluster: RB_CLUSTER_PREFIX: 1-9 of a-z 0-9 -" >&2; exit 2; }
NET=${RB_CLUSTER_NET:-10.77.0}
[[ $NET =~ ^(10|172|192)\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || { echo "cluster: RB_CLUSTER_NET: a private /24 as a.b.c" >&2; exit 2; }
CL=${RB_CLUSTER_VAR:-/var/lib/residency/${P}cluster}
RB_BIN=${RB_BIN:-$RB_ROOT/build}
[[ $RB_BIN == /* ]] || RB_BIN=$RB_ROOT/$RB_BIN
HOSTS="db1 db2 app1 app2 front"
BR=${P}br

declare -A ADDR=([front]=$NET.10 [app1]=$NET.11 [app2]=$NET.12 [db1]=$NET.21 [db2]=$NET.22)

say() { printf 'cluster: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root"

ns() { printf '%s%s' "$P" "$1"; }
ns_exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$(ns "$1")"; }

# on HOST CMD...: CMD inside HOST's namespace.
on() {
  local h=$1
  shift
  ip netns exec "$(ns "$h")" "$@"
}

# host HOST ACTION [ARG...]: cluster_host.sh in HOST's namespace.
host() {
  local h=$1
  shift
  on "$h" bash "$RB_ROOT/scripts/cluster_host.sh" "$CL" "$h" "$@"
}

net_up() {
  local h
  ip link add "$BR" type bridge
  ip link set "$BR" up
  for h in $HOSTS; do
    ip netns add "$(ns "$h")"
    # The host's end is eth0 inside its namespace; the other end joins
    # the bridge. Nothing of the cluster's /24 is on this machine's side.
    ip link add "$P$h" type veth peer name eth0 netns "$(ns "$h")"
    ip link set "$P$h" master "$BR" up
    on "$h" ip link set lo up
    on "$h" ip addr add "${ADDR[$h]}/24" dev eth0
    on "$h" ip link set eth0 up
  done
}

# Removes the namespaces (their veths go with them) and the bridge; a
# process still inside one (a start that failed half way) is ended first,
# by its pid: only ours can be in our namespaces.
net_down() {
  local h pid
  for h in $HOSTS; do
    ns_exists "$h" || continue
    for pid in $(ip netns pids "$(ns "$h")" 2>/dev/null); do
      kill -KILL "$pid" 2>/dev/null || true
    done
    ip netns delete "$(ns "$h")" 2>/dev/null || true
    ip link delete "$P$h" 2>/dev/null || true
  done
  ip link delete "$BR" 2>/dev/null || true
}

write_cluster_env() {
  # Its parent (/var/lib/residency by default) must let the service users
  # through to their hosts' folders (stack.sh checks it).
  [ -d "$(dirname "$CL")" ] || (umask 022 && mkdir -p "$(dirname "$CL")")
  mkdir -p "$CL"
  chmod 711 "$CL"
  {
    echo "# written by scripts/cluster.sh start"
    echo "NET=$NET"
    echo "PREFIX=$P"
    echo "RB_BIN=$RB_BIN"
    echo "FRONT_ADDR=${ADDR[front]} APP1_ADDR=${ADDR[app1]} APP2_ADDR=${ADDR[app2]}"
    echo "DB1_ADDR=${ADDR[db1]} DB2_ADDR=${ADDR[db2]}"
    # Threads per application host, idle FastCGI connections per nginx
    # worker: 2 workers x KEEPALIVE stay below APP_THREADS.
    echo "APP_THREADS=${RB_CLUSTER_THREADS:-12} KEEPALIVE=4"
    local v
    for v in RB_CLOCK_FILE RB_PG_FAST RB_NO_SCHEDULER RB_NO_NOTIFIER RB_SCHED_POLL RB_NOTIFY_POLL \
      RB_SIGNIN_RATE RB_SIGNIN_BURST RB_FAIL_TIMEOUT RB_NOTIFY_MAX_ATTEMPTS ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
      [ -z "${!v:-}" ] || printf 'export %s=%q\n' "$v" "${!v}"
    done
  } >"$CL/cluster.env"
  chmod 600 "$CL/cluster.env"
}

forward_start() {
  local port=${RB_CLUSTER_PORT:-9443}
  [ "$port" != 0 ] || return 0
  touch "$CL/forward.log"
  chmod 600 "$CL/forward.log"
  setsid python3 "$RB_ROOT/scripts/cluster_forward.py" 127.0.0.1 "$port" \
    "/var/run/netns/$(ns front)" "${ADDR[front]}" 443 </dev/null >>"$CL/forward.log" 2>&1 &
  echo $! >"$CL/forward.pid"
  local i
  for ((i = 0; i < 50; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  die "the forwarder to the front did not listen on 127.0.0.1:$port (see $CL/forward.log)"
}

forward_stop() {
  local pid
  [ -s "$CL/forward.pid" ] || return 0
  pid=$(cat "$CL/forward.pid")
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q cluster_forward.py; then
    kill -TERM "$pid" 2>/dev/null || true
  fi
  rm -f "$CL/forward.pid"
}

start() {
  [ -x "$RB_BIN/rb-fcgi" ] || die "$RB_BIN/rb-fcgi not built (make all)"
  if ns_exists front || ip link show "$BR" >/dev/null 2>&1; then
    die "a cluster of prefix $P exists already (scripts/cluster.sh stop first)"
  fi
  # A start that fails half way leaves nothing behind.
  trap 'say "start failed: stopping what started"; stop >/dev/null 2>&1 || true' EXIT
  write_cluster_env
  net_up
  host db1 start
  host db2 start
  host app1 start
  host app2 start
  host front start
  forward_start
  trap - EXIT
  say "ready: https://${ADDR[front]}/ inside $(ns front) (scripts/cluster.sh exec front curl ...)"
  [ "${RB_CLUSTER_PORT:-9443}" = 0 ] ||
    say "and https://127.0.0.1:${RB_CLUSTER_PORT:-9443}/ from this machine (certificate $CL/front/tls/cert.pem)"
}

stop() {
  local h
  forward_stop
  if [ -f "$CL/cluster.env" ]; then
    for h in front app2 app1 db2 db1; do
      [ -d "$CL/$h" ] || continue
      if ns_exists "$h"; then
        host "$h" stop || say "$h did not stop cleanly"
      else
        bash "$RB_ROOT/scripts/cluster_host.sh" "$CL" "$h" stop || say "$h did not stop cleanly"
      fi
    done
  fi
  net_down
  say "stopped; namespaces, veths and bridge of prefix $P removed"
}

status() {
  local h rc=0
  [ -f "$CL/cluster.env" ] || { echo "no cluster in $CL"; return 1; }
  for h in $HOSTS; do
    if ns_exists "$h"; then
      host "$h" status || rc=1
    else
      echo "$h: no namespace $(ns "$h")"
      rc=1
    fi
  done
  return $rc
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  exec) shift; h=${1:?host}; shift; on "$h" "$@" ;;
  front | app1 | app2 | db1 | db2) [ -n "${2:-}" ] || die "usage: $0 $1 ACTION"; host "$@" ;;
  *) echo "usage: $0 start|stop|status|exec HOST CMD...|HOST ACTION" >&2; exit 2 ;;
esac
