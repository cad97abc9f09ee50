#!/usr/bin/env bash
# One host of the cluster (issue 17 §1), run by scripts/cluster.sh inside
# that host's network namespace (`ip netns exec`):
#
#   cluster_host.sh CLUSTER_DIR HOST start|stop|status
#   cluster_host.sh CLUSTER_DIR HOST app-start|app-stop|pg-start|pg-stop
#   cluster_host.sh CLUSTER_DIR app1|app2 sched-run alert|execution DATE
#                   (the scheduler's one-shot command, as the daemon would run it)
#
# HOST is front, app1, app2, db1 or db2. Each host has a state folder of
# its own ($CLUSTER_DIR/HOST, the RB_VAR of scripts/stack.sh, whose
# functions this script uses: it sources stack.sh as a library) and they
# share the secrets ($CLUSTER_DIR/secrets), as hosts provisioned from one
# vault would. Inside a namespace the ports are the standard ones: no
# other server shares its addresses.
set -euo pipefail

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
CL=${1:?cluster folder}
HOST=${2:?host}
ACTION=${3:?action}
shift 3
# shellcheck source=/dev/null
. "$CL/cluster.env" # NET, RB_BIN, the hosts' addresses (cluster.sh writes it)

export RB_VAR=$CL/$HOST
export RB_BIN
RB_PG_PORT=5432 RB_LDAP_PORT=389 RB_HTTPS_PORT=443 RB_HTTP_PORT=80
RB_SMTP_PORT=2525 RB_SMS_PORT=8025
# One machine shares its memory and two cores between both PostgreSQL
# servers and four application processes.
export RB_PG_MEM_MB=${RB_PG_MEM_MB:-512}
RB_WORKERS=1
RB_THREADS=$APP_THREADS
RB_STACK_AS_LIB=1
# shellcheck source=scripts/stack.sh
. "$RB_ROOT/scripts/stack.sh" lib
SECRETS=$CL/secrets
mkdir -p "$SECRETS"
chmod 700 "$SECRETS"

# The database hosts let in the application hosts' daemons (and the
# replica's replication connection) from their own addresses only.
hba_file() {
  local f=$RB_VAR/pg-hba-cluster.conf a
  {
    echo "# written by scripts/cluster_host.sh: the cluster's hosts"
    for a in "$APP1_ADDR" "$APP2_ADDR"; do
      echo "host    residency   rb_app,rb_scheduler,rb_notifier $a/32 scram-sha-256"
    done
    echo "host    replication rb_replicator $DB2_ADDR/32 scram-sha-256"
  } >"$f"
  chmod 644 "$f"
  RB_PG_HBA_FILE=$f
}

replicator_role() {
  local pw
  pw=$(secret pg_replicator)
  # The password goes in on stdin, never on a command line.
  printf '\\set pw %s\n%s\n' "$pw" "
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rb_replicator') AS missing \\gset
\\if :missing
CREATE ROLE rb_replicator REPLICATION LOGIN;
\\endif
ALTER ROLE rb_replicator PASSWORD :'pw';" |
    pg psql -X -q -h "$PGRUN" -p "$RB_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null
}

db1_start() {
  prepare
  hba_file
  RB_PG_LISTEN="127.0.0.1,$DB1_ADDR"
  pg_start
  replicator_role
  RB_LDAP_LISTEN="ldap://127.0.0.1:$RB_LDAP_PORT/ ldap://$DB1_ADDR:$RB_LDAP_PORT/"
  ldap_start
  write_env
  migrate
}

# The replica: a copy of the primary taken with pg_basebackup -R (which
# writes primary_conninfo and standby.signal), then a hot standby that
# follows it by streaming replication. Its roles are the primary's.
db2_start() {
  prepare
  hba_file
  RB_PG_LISTEN="127.0.0.1,$DB2_ADDR"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$RB_VAR/pg"
    chown postgres:rb-db "$RB_VAR/pg"
    chmod 750 "$RB_VAR/pg"
    rm -rf "$PGDATA"
    say "pg_basebackup from $DB1_ADDR"
    # PGPASSWORD for this one command: -R keeps it in primary_conninfo
    # (postgresql.auto.conf, postgres's only), which streaming needs.
    runuser -u postgres -- env PGPASSWORD="$(secret pg_replicator)" "$PGBIN/pg_basebackup" \
      -h "$DB1_ADDR" -p "$RB_PG_PORT" -U rb_replicator -D "$PGDATA" -R -X stream -c fast \
      >"$LOG/basebackup.log" 2>&1 || { cat "$LOG/basebackup.log" >&2; die "pg_basebackup failed"; }
  fi
  pg_bootstrap() { :; } # a standby is read-only: the primary's roles are already in it
  pg_start
  write_env
}

db_stop() {
  [ "$HOST" = db2 ] || ldap_stop
  pg_stop
}

# fcgi_env and friends (stack_privilege.sh) read these globals by name.
# shellcheck disable=SC2034
app_env() {
  RB_DB_CONNINFO="host=$DB1_ADDR port=$RB_PG_PORT dbname=residency user=rb_app password=$PG_APP_PW"
  RB_SCHED_CONNINFO="host=$DB1_ADDR port=$RB_PG_PORT dbname=residency user=rb_scheduler password=$PG_SCHED_PW"
  RB_NOTIFY_CONNINFO="host=$DB1_ADDR port=$RB_PG_PORT dbname=residency user=rb_notifier password=$PG_NOTIFY_PW"
  # For the reads that tolerate a replica (issue 17 §2).
  RB_DB_REPLICA_CONNINFO="host=$DB2_ADDR port=$RB_PG_PORT dbname=residency user=rb_app password=$PG_APP_PW"
  RB_LDAP_URI=ldap://$DB1_ADDR:$RB_LDAP_PORT
  RB_FCGI_LISTEN=$1:9000
  RB_FCGI_ALLOW=$FRONT_ADDR
  RB_HOST_NAME=$HOST
}

# An application host: rb-fcgi on TCP for the front only, the scheduler
# and the notifier, and its own local mail relay and SMS stand-in on
# loopback (as a host's local MTA would forward to the ministry's relay).
app_host_start() {
  local addr=$1
  prepare
  app_env "$addr"
  write_env
  mail_start
  sms_start
  app_start
  # Written even when the daemon is off, for sched-run.
  scheduler_env | write_daemon_env scheduler rb-scheduler
  sched_start
  notifier_start
}

# The scheduler's one-shot command on this host, in the foreground, as its
# own user with its env file only (as the daemon runs its cycles).
sched_run() {
  prepare
  app_env "$1"
  shift
  install_app "$RB_BIN/rb-scheduler"
  # Its TMPDIR (scheduler_env): the workbooks it renders are built there.
  own_dir rb-scheduler 700 "$RB_VAR/private/rb-scheduler"
  own rb-scheduler "$LOG/scheduler.log"
  launch scheduler rb-scheduler "$APP/rb-scheduler" run "$@" </dev/null >>"$LOG/scheduler.log" 2>&1
}

app_host_stop() {
  notifier_stop
  sched_stop
  app_stop
  sms_stop
  mail_stop
}

# The front's certificate names its address (and loopback, where
# scripts/cluster_forward.py makes it reachable from the machine).
front_cert() {
  local d=$RB_VAR/tls
  [ -s "$d/cert.pem" ] && [ -s "$d/key.pem" ] && return 0
  (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -days 825 -subj "/CN=$FRONT_ADDR" -addext "subjectAltName=IP:$FRONT_ADDR,IP:127.0.0.1" \
    -addext basicConstraints=critical,CA:FALSE -addext extendedKeyUsage=serverAuth \
    -keyout "$d/key.pem" -out "$d/cert.pem" >/dev/null 2>&1) || die "openssl req failed"
  chmod 600 "$d/key.pem"
  chmod 644 "$d/cert.pem"
}

front_start() {
  local d=$RB_VAR/nginx conf=$RB_VAR/nginx/nginx.conf
  prepare
  if pid_alive "$RUN/nginx.pid" nginx; then
    say "nginx already running"
    return 0
  fi
  front_cert
  mkdir -p "$d/tmp" "$d/logs" "$d/local"
  touch "$LOG/nginx-error.log" "$LOG/nginx-access.log"
  chmod 640 "$LOG/nginx-error.log" "$LOG/nginx-access.log"
  render "$RB_ROOT/nginx/cluster.conf.in" "$conf" \
    RB_VAR="$RB_VAR" RB_ROOT="$(web_root)" RB_FRONT_ADDR="$FRONT_ADDR" \
    RB_APP1="$APP1_ADDR:9000" RB_APP2="$APP2_ADDR:9000" RB_APP_THREADS="$APP_THREADS" \
    RB_KEEPALIVE="$KEEPALIVE" RB_FAIL_TIMEOUT="${RB_FAIL_TIMEOUT:-5s}" \
    RB_HTTPS_PORT="$RB_HTTPS_PORT" RB_HTTP_PORT="$RB_HTTP_PORT" \
    RB_SIGNIN_RATE="${RB_SIGNIN_RATE:-10r/s}" RB_SIGNIN_BURST="${RB_SIGNIN_BURST:-20}" \
    RB_BODY_MAX_NGINX="${RB_BODY_MAX_NGINX:-1m}" RB_BODY_MAX_UPLOAD="${RB_BODY_MAX_UPLOAD:-4m}" \
    RB_BODY_MAX_ENROLLMENT="${RB_BODY_MAX_ENROLLMENT:-16m}" RB_METRICS_ALLOW="" \
    RB_FONT_DIR="${RB_FONT_DIR:-/usr/share/fonts/truetype/noto}"
  /usr/sbin/nginx -q -t -p "$d" -c "$conf" 2>"$LOG/nginx-test.log" ||
    { cat "$LOG/nginx-test.log" >&2; die "nginx config test failed"; }
  say "starting nginx on https://$FRONT_ADDR/"
  rm -f "$RUN/nginx.pid"
  setsid /usr/sbin/nginx -p "$d" -c "$conf" </dev/null >>"$LOG/nginx-error.log" 2>&1 ||
    { tail -n 20 "$LOG/nginx-error.log" >&2; die "nginx did not start"; }
  wait_for 10 nginx curl -s -o /dev/null --cacert "$RB_VAR/tls/cert.pem" "https://$FRONT_ADDR/"
}

host_status() {
  local p rc=0
  case $HOST in
    db1) set -- postgres:postgres slapd:slapd ;;
    db2) set -- postgres:postgres ;;
    app1 | app2)
      set -- app:rb-fcgi mail:mail_sink.py sms:sms_gateway.py
      [ "${RB_NO_SCHEDULER:-}" = 1 ] || set -- "$@" scheduler:rb-scheduler
      [ "${RB_NO_NOTIFIER:-}" = 1 ] || set -- "$@" notifier:rb-notifier
      ;;
    front) set -- nginx:nginx ;;
  esac
  for p in "$@"; do
    if pid_alive "$RUN/${p%%:*}.pid" "${p#*:}"; then
      echo "$HOST ${p%%:*}: running (pid $(head -n1 "$RUN/${p%%:*}.pid"))"
    else
      echo "$HOST ${p%%:*}: stopped"
      rc=1
    fi
  done
  return $rc
}

case $HOST:$ACTION in
  db1:start) db1_start ;;
  db2:start) db2_start ;;
  db1:stop | db2:stop) db_stop ;;
  db1:pg-stop | db2:pg-stop) pg_stop ;;
  db1:pg-start) prepare; hba_file; RB_PG_LISTEN="127.0.0.1,$DB1_ADDR"; pg_start ;;
  db2:pg-start) db2_start ;;
  app1:start) app_host_start "$APP1_ADDR" ;;
  app2:start) app_host_start "$APP2_ADDR" ;;
  app1:stop | app2:stop) app_host_stop ;;
  app1:app-start) prepare; app_env "$APP1_ADDR"; app_start ;;
  app2:app-start) prepare; app_env "$APP2_ADDR"; app_start ;;
  app1:app-stop | app2:app-stop) app_stop ;;
  app1:sched-run) sched_run "$APP1_ADDR" "$@" ;;
  app2:sched-run) sched_run "$APP2_ADDR" "$@" ;;
  front:start) front_start ;;
  front:stop) nginx_stop ;;
  *:status) host_status ;;
  *) echo "usage: $0 CLUSTER_DIR front|app1|app2|db1|db2 start|stop|status|app-start|app-stop|pg-start|pg-stop" >&2; exit 2 ;;
esac
