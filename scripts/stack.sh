#!/usr/bin/env bash
# Runs the whole stack on 127.0.0.1 from a state directory: PostgreSQL 15,
# OpenLDAP (slapd), the FastCGI app (build/rb-fcgi), the renewal scheduler
# (rb-scheduler), the notification worker (rb-notifier), a local SMTP server
# (mail lands in $RB_VAR/mail, a Maildir), a local SMS gateway stand-in
# (messages land in $RB_VAR/sms) and nginx.
#
#   scripts/stack.sh start        start what is not running, migrate, write stack.env
#   scripts/stack.sh stop         stop what start started (by pid files)
#   scripts/stack.sh run          start, load the demo fixture, serve until Ctrl-C
#                                 or until stack.sh stop (another terminal)
#   scripts/stack.sh status       show what is running
#   scripts/stack.sh pg-stop | pg-start | ldap-stop | ldap-start | app-restart | app-stop
#   scripts/stack.sh scheduler-start | scheduler-stop
#   scripts/stack.sh notifier-start | notifier-stop | mail-start | mail-stop
#
# Environment (defaults): RB_VAR (<repo>/var), RB_PG_PORT (55432),
# RB_LDAP_PORT (3890), RB_HTTPS_PORT (8443), RB_HTTP_PORT (8080),
# RB_PG_FAST (unset; 1 = no fsync, for tests), RB_PG_STATS (unset; 1 = load
# pg_stat_statements, for benchmarks), RB_WORKERS (1), RB_THREADS (32),
# RB_SIGNIN_RATE (10r/s), RB_SIGNIN_BURST (20), RB_BODY_MAX_NGINX (1m),
# RB_BODY_MAX_UPLOAD (4m), RB_BODY_MAX_ENROLLMENT (16m), RB_CLOCK_FILE (passed through to the app),
# RB_SMTP_PORT (2525), RB_SMS_PORT (8025), RB_NO_NOTIFIER (unset; 1 = no
# delivery daemon, tests run `rb-notifier --once`),
# RB_LDAP_DEBUG (0; slapd -d level, e.g. "stats"), RB_BIN (<repo>/build:
# where rb-fcgi and rb-load are), RB_PUBLIC_URL (unset: the address emails
# link to is https://127.0.0.1:$RB_HTTPS_PORT/).
# Must run as root: it runs PostgreSQL as `postgres`, slapd as `openldap`,
# nginx workers as `www-data`, and our own daemons each as its own system
# user (scripts/deps.sh creates them): rb-fcgi, rb-scheduler, rb-notifier,
# and rb-sinks for the local mail and SMS stand-ins. Each of these is
# started with `env -i` and its own env file ($RB_VAR/env/NAME.env, readable
# by root and that user only): no process sees another's secrets.
# $RB_VAR/stack.env (root only) holds everything, for the tools and tests.
set -euo pipefail
# Nothing the stack writes is for everyone: what a user must read is
# opened to it explicitly below.
umask 027

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# Who runs what with which settings (issue 11 §2): users, env files, modes.
# shellcheck source=scripts/stack_privilege.sh
. "$RB_ROOT/scripts/stack_privilege.sh"
var_default=0
[ -n "${RB_VAR:-}" ] || var_default=1
RB_VAR=${RB_VAR:-$RB_ROOT/var}
case ${1:-} in
  stop | status | pg-stop) [ -d "$RB_VAR" ] || { echo "stack: nothing in $RB_VAR" >&2; exit 0; } ;;
esac
state_folder_reachable
mkdir -p "$RB_VAR"
RB_VAR=$(cd "$RB_VAR" && pwd -P)
# Settings not given in the environment keep the values of the last start.
for v in RB_PG_PORT RB_LDAP_PORT RB_HTTPS_PORT RB_HTTP_PORT RB_SMTP_PORT RB_SMS_PORT RB_PG_FAST \
  RB_CLOCK_FILE RB_PUBLIC_URL RB_NOTIFY_MAX_ATTEMPTS; do
  if [ -z "${!v:-}" ] && [ -r "$RB_VAR/stack.env" ]; then
    val=$(sed -n "s/^export $v='\([^']*\)'\$/\1/p" "$RB_VAR/stack.env")
    [ -z "$val" ] || printf -v "$v" '%s' "$val"
  fi
done
RB_PG_PORT=${RB_PG_PORT:-55432}
RB_LDAP_PORT=${RB_LDAP_PORT:-3890}
RB_HTTPS_PORT=${RB_HTTPS_PORT:-8443}
RB_HTTP_PORT=${RB_HTTP_PORT:-8080}
RB_SMTP_PORT=${RB_SMTP_PORT:-2525}
RB_SMS_PORT=${RB_SMS_PORT:-8025}
# One process holds one decision index (issue 13: the national index in
# about 130 MiB); its threads serve the requests, the supervisor replaces it.
RB_WORKERS=${RB_WORKERS:-1}
RB_THREADS=${RB_THREADS:-32}
# Where rb-fcgi and rb-load are (make test uses build/san).
RB_BIN=${RB_BIN:-$RB_ROOT/build}
[[ $RB_BIN == /* ]] || RB_BIN=$RB_ROOT/$RB_BIN

PGBIN=/usr/lib/postgresql/15/bin
PGDATA=$RB_VAR/pg/data
PGRUN=$RB_VAR/pg/run
RUN=$RB_VAR/run
LOG=$RB_VAR/log
SECRETS=$RB_VAR/secrets
LDAP_BASE=dc=ministry,dc=qa
LDAP_ADMIN_DN=cn=admin,$LDAP_BASE
LDAP_APP_DN=cn=app,$LDAP_BASE
# The FastCGI socket's folder: rb-fcgi's, entered by nginx's group only.
FCGI_RUN=$RUN/fcgi
RB_SOCKET=$FCGI_RUN/app.sock
LDAP_USER=openldap
# Our daemons run what start installed here, not the build tree itself:
# the build may sit where the service users cannot go, and they must not
# be able to change what they run.
APP=$RB_VAR/app
ENVDIR=$RB_VAR/env

say() { printf 'stack: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"

# --- helpers -------------------------------------------------------------

# pid_alive PIDFILE NAME: the pid in PIDFILE is a live process whose
# command line mentions NAME (guards against a recycled pid).
pid_alive() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(head -n1 "$1" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2"
}

# proc_running PID: the process exists and is not a zombie.
proc_running() {
  [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# stop_pidfile PIDFILE NAME WHAT: SIGTERM, wait up to 10 s, then SIGKILL.
stop_pidfile() {
  local pidfile=$1 name=$2 what=$3 pid i
  if ! pid_alive "$pidfile" "$name"; then
    rm -f "$pidfile"
    return 0
  fi
  pid=$(head -n1 "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    [ -e "/proc/$pid" ] || break
    # a zombie child of ours would never disappear by itself
    [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
    sleep 0.1
  done
  if [ -e "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
    say "$what (pid $pid) did not stop in 10 s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  say "$what stopped"
}

# secret NAME: a random hex secret made once, kept in $RB_VAR/secrets/NAME.
secret() {
  local f=$SECRETS/$1
  if [ ! -s "$f" ]; then
    (umask 077 && printf '%s' "$(openssl rand -hex 16)" >"$f.tmp" && mv "$f.tmp" "$f")
  fi
  chmod 600 "$f"
  cat "$f"
}

# sed_escape VALUE: VALUE usable as a sed replacement with '|' delimiter.
sed_escape() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }

# render TEMPLATE OUT NAME=VALUE...: substitute @NAME@ in TEMPLATE.
render() {
  local in=$1 out=$2 args=() kv
  shift 2
  for kv in "$@"; do
    args+=(-e "s|@${kv%%=*}@|$(sed_escape "${kv#*=}")|g")
  done
  sed "${args[@]}" "$in" >"$out.tmp"
  local left
  left=$(grep -v '^[[:space:]]*#' "$out.tmp" | grep -o '@[A-Z_]*@' | sort -u | tr '\n' ' ') || true
  [ -z "$left" ] || die "$out: unsubstituted $left"
  mv "$out.tmp" "$out"
}

# wait_for SECONDS WHAT CMD...: retry CMD every 0.1 s until it succeeds.
wait_for() {
  local secs=$1 what=$2 i
  shift 2
  for ((i = 0; i < secs * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "$what not ready after ${secs}s"
}

q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# --- layout and secrets --------------------------------------------------

SERVICE_USERS="rb-fcgi rb-scheduler rb-notifier rb-sinks"

prepare() {
  local u
  for u in $SERVICE_USERS; do
    id -u "$u" >/dev/null 2>&1 || die "no system user $u: run scripts/deps.sh (make deps) as root"
  done
  # Entered by every service user, listed by root only; each folder inside
  # is opened to the users that need it and no one else.
  chown root:root "$RB_VAR"
  chmod 711 "$RB_VAR"
  mkdir -p "$LOG" "$SECRETS" "$RUN" "$RB_VAR/pg" "$RB_VAR/ldap" "$RB_VAR/nginx/tmp" "$RB_VAR/tls"
  mkdir -p "$RB_VAR/private"
  chown root:root "$RUN"
  chmod 711 "$LOG" "$RUN" "$RB_VAR/tls" "$RB_VAR/private"
  chmod 700 "$SECRETS"
  chown root:www-data "$RB_VAR/nginx" "$RB_VAR/nginx/tmp"
  chmod 750 "$RB_VAR/nginx" "$RB_VAR/nginx/tmp"
  # The FastCGI socket: made by rb-fcgi in a folder only nginx's group may
  # enter; the setgid bit gives the socket that group.
  mkdir -p "$FCGI_RUN"
  chown rb-fcgi:www-data "$FCGI_RUN"
  chmod 2750 "$FCGI_RUN"
  # Log files from before this layout were everyone's.
  find "$LOG" -maxdepth 1 -type f -perm /o=r -exec chmod o-rwx {} + 2>/dev/null || true
  PG_OWNER_PW=$(secret pg_owner)
  PG_APP_PW=$(secret pg_app)
  PG_SCHED_PW=$(secret pg_sched)
  PG_NOTIFY_PW=$(secret pg_notify)
  SMTP_PW=$(secret smtp)
  SMS_TOKEN=$(secret sms_token)
  LDAP_ADMIN_PW=$(secret ldap_admin)
  LDAP_APP_PW=$(secret ldap_app)
  # The application talks to PostgreSQL over its unix socket: the
  # authorization check is a round trip per request, and TCP costs more.
  RB_DB_CONNINFO="host=$PGRUN port=$RB_PG_PORT dbname=residency user=rb_app password=$PG_APP_PW"
  RB_SCHED_CONNINFO="host=$PGRUN port=$RB_PG_PORT dbname=residency user=rb_scheduler password=$PG_SCHED_PW"
  RB_NOTIFY_CONNINFO="host=$PGRUN port=$RB_PG_PORT dbname=residency user=rb_notifier password=$PG_NOTIFY_PW"
  RB_DB_OWNER_CONNINFO="host=127.0.0.1 port=$RB_PG_PORT dbname=residency user=rb_owner password=$PG_OWNER_PW"
  RB_LDAP_URI=ldap://127.0.0.1:$RB_LDAP_PORT
  RB_SMTP_CA=$RB_VAR/tls/smtp-cert.pem
}

write_env() {
  local f=$RB_VAR/stack.env
  {
    echo "# written by scripts/stack.sh start; source it to reach the stack"
    echo "export RB_ROOT=$(q "$RB_ROOT")"
    echo "export RB_VAR=$(q "$RB_VAR")"
    echo "export RB_PG_PORT=$(q "$RB_PG_PORT")"
    echo "export RB_LDAP_PORT=$(q "$RB_LDAP_PORT")"
    echo "export RB_HTTPS_PORT=$(q "$RB_HTTPS_PORT")"
    echo "export RB_HTTP_PORT=$(q "$RB_HTTP_PORT")"
    echo "export RB_DB_CONNINFO=$(q "$RB_DB_CONNINFO")"
    echo "export RB_DB_OWNER_CONNINFO=$(q "$RB_DB_OWNER_CONNINFO")"
    echo "export RB_SCHED_CONNINFO=$(q "$RB_SCHED_CONNINFO")"
    echo "export RB_NOTIFY_CONNINFO=$(q "$RB_NOTIFY_CONNINFO")"
    echo "export RB_SMTP_PORT=$(q "$RB_SMTP_PORT")"
    echo "export RB_SMS_PORT=$(q "$RB_SMS_PORT")"
    # The local SMTP server wants STARTTLS and a login, as a real relay would.
    echo "export RB_SMTP_URL=$(q "smtp://127.0.0.1:$RB_SMTP_PORT")"
    echo "export RB_SMTP_STARTTLS=1"
    echo "export RB_SMTP_CA_FILE=$(q "$RB_SMTP_CA")"
    echo "export RB_SMTP_USER=rb-notifier"
    echo "export RB_SMTP_PASSWORD=$(q "$SMTP_PW")"
    echo "export RB_SMS_URL=$(q "http://127.0.0.1:$RB_SMS_PORT/v1/messages")"
    echo "export RB_SMS_TOKEN=$(q "$SMS_TOKEN")"
    echo "export RB_LOCALE_DIR=$(q "$RB_BIN/locale")"
    echo "export RB_MAILDIR=$(q "$RB_VAR/mail")"
    echo "export RB_SMS_DIR=$(q "$RB_VAR/sms")"
    if [ -n "${RB_NOTIFY_MAX_ATTEMPTS:-}" ]; then
      echo "export RB_NOTIFY_MAX_ATTEMPTS=$(q "$RB_NOTIFY_MAX_ATTEMPTS")"
    fi
    echo "export RB_LDAP_URI=$(q "$RB_LDAP_URI")"
    echo "export RB_LDAP_BASE=$(q "$LDAP_BASE")"
    echo "export RB_LDAP_BIND_DN=$(q "$LDAP_APP_DN")"
    echo "export RB_LDAP_BIND_PW=$(q "$LDAP_APP_PW")"
    echo "export RB_LDAP_ADMIN_DN=$(q "$LDAP_ADMIN_DN")"
    echo "export RB_LDAP_ADMIN_PW=$(q "$LDAP_ADMIN_PW")"
    echo "export RB_SOCKET=$(q "$RB_SOCKET")"
    echo "export RB_BASE_URL=$(q "https://127.0.0.1:$RB_HTTPS_PORT")"
    echo "export RB_TLS_CERT=$(q "$RB_VAR/tls/cert.pem")"
    if [ -n "${RB_PG_FAST:-}" ]; then
      echo "export RB_PG_FAST=$(q "$RB_PG_FAST")"
    fi
    if [ -n "${RB_CLOCK_FILE:-}" ]; then
      echo "export RB_CLOCK_FILE=$(q "$RB_CLOCK_FILE")"
    fi
    # The address emails link to; unset, the programs derive it from
    # RB_HTTPS_PORT (lib/config.c).
    if [ -n "${RB_PUBLIC_URL:-}" ]; then
      echo "export RB_PUBLIC_URL=$(q "$RB_PUBLIC_URL")"
    fi
  } >"$f.tmp"
  chmod 600 "$f.tmp"
  mv "$f.tmp" "$f"
}

# --- PostgreSQL ----------------------------------------------------------

pg() { runuser -u postgres -- "$@"; }

pg_running() { [ -f "$PGDATA/postmaster.pid" ] && pg "$PGBIN/pg_ctl" status -D "$PGDATA" >/dev/null 2>&1; }

pg_conf() {
  # Regenerated at every start, so ports and paths follow the environment.
  {
    echo "# written by scripts/stack.sh"
    # A cluster's database host (scripts/cluster.sh) adds its own address.
    echo "listen_addresses = '${RB_PG_LISTEN:-127.0.0.1}'"
    echo "port = $RB_PG_PORT"
    echo "unix_socket_directories = '$PGRUN'"
    echo "unix_socket_permissions = 0777" # its folder (pg_start) decides who enters
    echo "password_encryption = 'scram-sha-256'"
    echo "max_connections = 200"
    echo "log_line_prefix = '%m [%p] %q%u@%d '"
    echo "log_min_duration_statement = 1000"
    echo "timezone = 'UTC'"
    echo "include_if_exists 'rb-archive.conf'" # WAL archiving (scripts/pg_archive.sh)
    # Each decision change's commit instant: the decision index's followers
    # time their apply from it (rb_authz_change_apply_seconds, issue 13 §4).
    echo "track_commit_timestamp = on"
    "$RB_ROOT/scripts/pg_tune.sh" 200
    # Benchmarks: which statements the time goes to (bench/run.sh prints them).
    if [ "${RB_PG_STATS:-}" = 1 ]; then
      echo "shared_preload_libraries = 'pg_stat_statements'"
      echo "pg_stat_statements.track = all"
    fi
    if [ "${RB_PG_FAST:-}" = 1 ]; then
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } >"$PGDATA/rb.conf"
  chown postgres:postgres "$PGDATA/rb.conf"
  bash "$RB_ROOT/scripts/pg_archive.sh" conf "$PGDATA" "$RB_VAR/backup/wal"
  cat >"$PGDATA/pg_hba.conf" <<EOF
# written by scripts/stack.sh
local   all         postgres                 peer
local   replication postgres                 peer
local   residency   rb_app,rb_owner,rb_scheduler,rb_notifier scram-sha-256
host    all         all       127.0.0.1/32   scram-sha-256
EOF
  # A cluster's database host: the other hosts' lines (scripts/cluster_host.sh).
  if [ -n "${RB_PG_HBA_FILE:-}" ]; then cat "$RB_PG_HBA_FILE" >>"$PGDATA/pg_hba.conf"; fi
  chown postgres:postgres "$PGDATA/pg_hba.conf"
}

pg_start() {
  mkdir -p "$RB_VAR/pg" "$PGRUN"
  # The unix socket's folder is what keeps others from the server: only
  # postgres and the daemons' group rb-db (scripts/deps.sh) may enter it.
  chown postgres:rb-db "$RB_VAR/pg" "$PGRUN"
  chmod 750 "$RB_VAR/pg" "$PGRUN"
  if pg_running; then
    say "postgres already running"
  else
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
      say "initdb $PGDATA"
      local nosync=()
      [ "${RB_PG_FAST:-}" = 1 ] && nosync=(--no-sync)
      pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 "${nosync[@]}" >"$LOG/initdb.log" 2>&1 ||
        { cat "$LOG/initdb.log" >&2; die "initdb failed"; }
      echo "include 'rb.conf'" >>"$PGDATA/postgresql.conf"
    fi
    pg_conf
    touch "$LOG/postgres.log"
    chown postgres:postgres "$LOG/postgres.log"
    chmod 640 "$LOG/postgres.log"
    say "starting postgres on 127.0.0.1:$RB_PG_PORT"
    setsid runuser -u postgres -- "$PGBIN/pg_ctl" start -D "$PGDATA" -l "$LOG/postgres.log" \
      -w -t 30 -s </dev/null >/dev/null 2>&1 ||
      { tail -n 20 "$LOG/postgres.log" >&2; die "postgres did not start"; }
  fi
  head -n1 "$PGDATA/postmaster.pid" >"$RUN/postgres.pid"
  wait_for 30 postgres pg "$PGBIN/pg_isready" -q -h "$PGRUN" -p "$RB_PG_PORT"
  pg_bootstrap
}

pg_bootstrap() {
  # Idempotent; passwords are set from the secrets at every start.
  # Passwords go in on stdin, never on a command line.
  {
    printf '\\set owner_pw %s\n\\set app_pw %s\n\\set sched_pw %s\n\\set notify_pw %s\n' \
      "$PG_OWNER_PW" "$PG_APP_PW" "$PG_SCHED_PW" "$PG_NOTIFY_PW"
    cat "$RB_ROOT/sql/bootstrap_roles.sql"
  } | pg psql -X -q -h "$PGRUN" -p "$RB_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null
}

pg_stop() {
  if pg_running; then
    say "stopping postgres"
    pg "$PGBIN/pg_ctl" stop -D "$PGDATA" -m fast -w -t 30 -s || die "postgres did not stop"
    say "postgres stopped"
  fi
  rm -f "$RUN/postgres.pid"
}

# --- slapd ---------------------------------------------------------------

ldap_start() {
  local d=$RB_VAR/ldap conf=$RB_VAR/ldap/slapd.conf first=0 hash
  if pid_alive "$RUN/slapd.pid" slapd; then
    say "slapd already running"
    return 0
  fi
  mkdir -p "$d/data" "$d/run"
  chown "root:$LDAP_USER" "$d"
  chmod 750 "$d"
  own "$LDAP_USER" "$LOG/slapd.log"
  [ -e "$d/data/data.mdb" ] || first=1
  chown -R "$LDAP_USER:$LDAP_USER" "$d/data" "$d/run"
  chmod 700 "$d/data" "$d/run"
  hash=$(slappasswd -h '{SSHA}' -T "$SECRETS/ldap_admin")
  (umask 077 && render "$RB_ROOT/directory/slapd.conf.in" "$conf" \
    RB_VAR="$RB_VAR" RB_LDAP_ROOTPW_HASH="$hash" RB_LDAP_LOGLEVEL="${RB_LDAP_LOGLEVEL:-none}")
  chown "root:$LDAP_USER" "$conf"
  chmod 640 "$conf"
  slaptest -Q -u -f "$conf" >/dev/null 2>&1 || { slaptest -u -f "$conf" >&2 || true; die "bad slapd.conf"; }
  rm -f "$RUN/slapd.pid" "$d/run/slapd.pid"
  say "starting slapd on $RB_LDAP_URI"
  # -d keeps it in the foreground, its messages going to our log; setsid
  # detaches it from the terminal so Ctrl-C reaches only this script.
  # It drops to $LDAP_USER after opening its port.
  setsid /usr/sbin/slapd -d "${RB_LDAP_DEBUG:-0}" -u "$LDAP_USER" -g "$LDAP_USER" \
    -h "${RB_LDAP_LISTEN:-ldap://127.0.0.1:$RB_LDAP_PORT/}" -f "$conf" </dev/null >>"$LOG/slapd.log" 2>&1 &
  echo $! >"$RUN/slapd.pid"
  wait_for 15 slapd ldapwhoami -x -H "$RB_LDAP_URI" -D "$LDAP_ADMIN_DN" -y "$SECRETS/ldap_admin"
  # slapd's own pid file is authoritative (in case setsid had to fork).
  [ -s "$d/run/slapd.pid" ] && cp "$d/run/slapd.pid" "$RUN/slapd.pid"
  pid_alive "$RUN/slapd.pid" slapd || die "slapd exited; see $LOG/slapd.log"
  if [ $first = 1 ] || ! ldap_base_present; then
    ldap_base
  fi
}

ldap_base_present() {
  ldapsearch -x -LLL -H "$RB_LDAP_URI" -D "$LDAP_ADMIN_DN" -y "$SECRETS/ldap_admin" \
    -b "$LDAP_APP_DN" -s base dn >/dev/null 2>&1
}

ldap_base() {
  say "adding base LDAP entries"
  local apphash
  apphash=$(slappasswd -h '{SSHA}' -T "$SECRETS/ldap_app")
  ldapadd -c -x -H "$RB_LDAP_URI" -D "$LDAP_ADMIN_DN" -y "$SECRETS/ldap_admin" >"$LOG/ldap-base.log" 2>&1 <<EOF || true
dn: $LDAP_BASE
objectClass: dcObject
objectClass: organization
dc: ministry
o: Ministry

dn: ou=people,$LDAP_BASE
objectClass: organizationalUnit
ou: people

dn: ou=groups,$LDAP_BASE
objectClass: organizationalUnit
ou: groups

dn: $LDAP_APP_DN
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: app
description: application account (read only)
userPassword: $apphash

dn: cn=reviewers,ou=groups,$LDAP_BASE
objectClass: groupOfNames
cn: reviewers
member: $LDAP_ADMIN_DN

dn: cn=services,ou=groups,$LDAP_BASE
objectClass: groupOfNames
cn: services
member: $LDAP_ADMIN_DN
EOF
  ldap_base_present || { cat "$LOG/ldap-base.log" >&2; die "could not add base LDAP entries"; }
}

ldap_stop() { stop_pidfile "$RUN/slapd.pid" slapd slapd; }

# --- FastCGI app ---------------------------------------------------------

app_start() {
  local bin=$RB_BIN/rb-fcgi i
  if pid_alive "$RUN/app.pid" rb-fcgi; then
    say "app already running"
    return 0
  fi
  if [ ! -x "$bin" ]; then
    say "warning: $bin not built; /api answers 503 until it runs (make all, then stack.sh app-restart)"
    return 0
  fi
  rm -f "$RB_SOCKET"
  install_app "$bin"
  own_dir rb-fcgi 700 "$RB_VAR/private/rb-fcgi"
  fcgi_env | write_daemon_env fcgi rb-fcgi
  own rb-fcgi "$LOG/app.log"
  say "starting $bin as rb-fcgi (workers=$RB_WORKERS threads=$RB_THREADS)"
  (launch fcgi rb-fcgi "$APP/rb-fcgi" </dev/null >>"$LOG/app.log" 2>&1) &
  echo $! >"$RUN/app.pid"
  for ((i = 0; i < 150; i++)); do
    if [ -n "${RB_FCGI_LISTEN:-}" ]; then
      # A cluster's application host listens on TCP (scripts/cluster.sh).
      (exec 3<>"/dev/tcp/${RB_FCGI_LISTEN%:*}/${RB_FCGI_LISTEN##*:}") 2>/dev/null && return 0
    fi
    [ -S "$RB_SOCKET" ] && break
    # Not pid_alive: until the subshell has exec'd, its command line is
    # still this script's, and that is no reason to give up.
    proc_running "$(cat "$RUN/app.pid")" || { tail -n 20 "$LOG/app.log" >&2; die "app exited; see $LOG/app.log"; }
    sleep 0.1
  done
  [ -S "$RB_SOCKET" ] || { tail -n 20 "$LOG/app.log" >&2; die "app socket $RB_SOCKET not created in 15 s"; }
}

app_stop() { stop_pidfile "$RUN/app.pid" rb-fcgi app; rm -f "$RB_SOCKET"; }

# --- scheduler and notifier --------------------------------------------------

# daemon_start NAME SKIP WHY [force]: start $RB_BIN/rb-NAME (a daemon that
# supervises its own worker) with the stack's environment, logging to
# $LOG/NAME.log, unless SKIP (an RB_NO_* flag) is 1 and force is not given.
# The tests keep both off and run their one-shot commands instead.
daemon_start() {
  local name=$1 skip=$2 why=$3 bin=$RB_BIN/rb-$1
  if [ "$skip" = 1 ] && [ "${4:-}" != force ]; then return 0; fi
  if pid_alive "$RUN/$name.pid" "rb-$name"; then
    say "$name already running"
    return 0
  fi
  if [ ! -x "$bin" ]; then
    say "warning: $bin not built; $why"
    return 0
  fi
  install_app "$bin"
  own_dir "rb-$name" 700 "$RB_VAR/private/rb-$name"
  "${name}_env" | write_daemon_env "$name" "rb-$name"
  own "rb-$name" "$LOG/$name.log"
  say "starting $bin as rb-$name"
  (launch "$name" "rb-$name" "$APP/rb-$name" </dev/null >>"$LOG/$name.log" 2>&1) &
  echo $! >"$RUN/$name.pid"
}

sched_start() { daemon_start scheduler "${RB_NO_SCHEDULER:-}" "no renewal cycles run" "$@"; }
sched_stop() { stop_pidfile "$RUN/scheduler.pid" rb-scheduler scheduler; }
notifier_start() { daemon_start notifier "${RB_NO_NOTIFIER:-}" "no email or SMS is delivered" "$@"; }
notifier_stop() { stop_pidfile "$RUN/notifier.pid" rb-notifier notifier; }

# --- local mail and SMS --------------------------------------------------------

# port_open PORT: something accepts connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A local SMTP server (Debian's aiosmtpd) that stores what it receives in a
# Maildir; it insists on STARTTLS and a login like a real relay. It counts
# its connections and messages in $RB_VAR/mail-stats/. RB_MAIL_REUSE_PORT=1
# lets further sinks share its port (make bench runs several).
mail_start() {
  if pid_alive "$RUN/mail.pid" mail_sink.py; then
    say "smtp server already running"
    return 0
  fi
  smtp_cert
  own_dir rb-sinks 700 "$RB_VAR/mail-stats"
  say "starting smtp server on 127.0.0.1:$RB_SMTP_PORT as rb-sinks (Maildir $RB_VAR/mail)"
  sink_start mail mail_sink.py "$RB_VAR/mail" RB_SMTP_PASSWORD "$SMTP_PW" --port "$RB_SMTP_PORT" \
    --maildir "$RB_VAR/mail" --cert "$RB_SMTP_CA" --key "$RB_VAR/tls/smtp-key.pem" --user rb-notifier \
    --stats "$RB_VAR/mail-stats" ${RB_MAIL_REUSE_PORT:+--reuse-port}
  wait_for 15 "smtp server" port_open "$RB_SMTP_PORT"
}

mail_stop() { stop_pidfile "$RUN/mail.pid" mail_sink.py "smtp server"; }

# A stand-in for the SMS gateway's HTTP API; messages land in $RB_VAR/sms.
# RB_SMS_REUSE_PORT=1 lets further stand-ins share its port and directory.
sms_start() {
  if pid_alive "$RUN/sms.pid" sms_gateway.py; then
    say "sms gateway already running"
    return 0
  fi
  say "starting sms gateway stand-in on 127.0.0.1:$RB_SMS_PORT as rb-sinks ($RB_VAR/sms)"
  sink_start sms sms_gateway.py "$RB_VAR/sms" RB_SMS_TOKEN "$SMS_TOKEN" --port "$RB_SMS_PORT" \
    --dir "$RB_VAR/sms" ${RB_SMS_REUSE_PORT:+--reuse-port}
  wait_for 15 "sms gateway" port_open "$RB_SMS_PORT"
}

sms_stop() { stop_pidfile "$RUN/sms.pid" sms_gateway.py "sms gateway"; }

# --- nginx ---------------------------------------------------------------

tls_cert() {
  local d=$RB_VAR/tls
  [ -s "$d/cert.pem" ] && [ -s "$d/key.pem" ] && return 0
  say "creating self-signed certificate for 127.0.0.1"
  (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -days 825 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -addext basicConstraints=critical,CA:FALSE -addext extendedKeyUsage=serverAuth \
    -keyout "$d/key.pem" -out "$d/cert.pem" >/dev/null 2>&1) || die "openssl req failed"
  chmod 600 "$d/key.pem"
  chmod 644 "$d/cert.pem"
}

nginx_start() {
  local d=$RB_VAR/nginx conf=$RB_VAR/nginx/nginx.conf web
  if pid_alive "$RUN/nginx.pid" nginx; then
    say "nginx already running"
    return 0
  fi
  tls_cert
  mkdir -p "$d/tmp" "$d/logs"
  # RB_METRICS_ALLOW (a,b,...): the addresses besides loopback that may scrape /metrics.
  local metrics_allow="" a list=${RB_METRICS_ALLOW:-}
  for a in ${list//,/ }; do
    [[ $a =~ ^[0-9A-Fa-f.:/]+$ ]] || die "RB_METRICS_ALLOW: $a is not an address"
    metrics_allow+="allow $a; "
  done
  web=$(web_root)
  # nginx (root) opens its logs: root's, not everyone's.
  touch "$LOG/nginx-error.log" "$LOG/nginx-access.log"
  chmod 640 "$LOG/nginx-error.log" "$LOG/nginx-access.log"
  render "$RB_ROOT/nginx/nginx.conf.in" "$conf" \
    RB_VAR="$RB_VAR" RB_ROOT="$web" RB_SOCKET="$RB_SOCKET" \
    RB_HTTPS_PORT="$RB_HTTPS_PORT" RB_HTTP_PORT="$RB_HTTP_PORT" \
    RB_SIGNIN_RATE="${RB_SIGNIN_RATE:-10r/s}" RB_SIGNIN_BURST="${RB_SIGNIN_BURST:-20}" \
    RB_BODY_MAX_NGINX="${RB_BODY_MAX_NGINX:-1m}" RB_BODY_MAX_UPLOAD="${RB_BODY_MAX_UPLOAD:-4m}" \
    RB_BODY_MAX_ENROLLMENT="${RB_BODY_MAX_ENROLLMENT:-16m}" \
    RB_METRICS_ALLOW="$metrics_allow" \
    RB_FONT_DIR="${RB_FONT_DIR:-/usr/share/fonts/truetype/noto}"
  /usr/sbin/nginx -q -t -p "$d" -c "$conf" 2>"$LOG/nginx-test.log" ||
    { cat "$LOG/nginx-test.log" >&2; die "nginx config test failed"; }
  say "starting nginx on https://127.0.0.1:$RB_HTTPS_PORT/ (http $RB_HTTP_PORT redirects)"
  rm -f "$RUN/nginx.pid"
  setsid /usr/sbin/nginx -p "$d" -c "$conf" </dev/null >>"$LOG/nginx-error.log" 2>&1 ||
    { tail -n 20 "$LOG/nginx-error.log" >&2; die "nginx did not start"; }
  wait_for 10 nginx curl -s -o /dev/null -k "https://127.0.0.1:$RB_HTTPS_PORT/" # the static web interface: nginx alone answers it
}

nginx_stop() { stop_pidfile "$RUN/nginx.pid" nginx nginx; }

# --- commands ------------------------------------------------------------

migrate() {
  RB_DB_OWNER_CONNINFO=$RB_DB_OWNER_CONNINFO bash "$RB_ROOT/scripts/migrate.sh"
}

start() {
  prepare
  pg_start
  ldap_start
  write_env
  migrate
  mail_start
  sms_start
  app_start
  sched_start
  notifier_start
  nginx_start
  say "ready: https://127.0.0.1:$RB_HTTPS_PORT/ (env in $RB_VAR/stack.env)"
}

stop() {
  nginx_stop
  notifier_stop
  sched_stop
  app_stop
  sms_stop
  mail_stop
  ldap_stop
  pg_stop
}

status() {
  local rc=0
  if pg_running; then echo "postgres: running (pid $(head -n1 "$PGDATA/postmaster.pid"))"; else echo "postgres: stopped"; rc=1; fi
  local p
  for p in slapd:slapd app:rb-fcgi scheduler:rb-scheduler notifier:rb-notifier mail:mail_sink.py sms:sms_gateway.py nginx:nginx; do
    if pid_alive "$RUN/${p%%:*}.pid" "${p#*:}"; then
      echo "${p%%:*}: running (pid $(head -n1 "$RUN/${p%%:*}.pid"))"
    else
      echo "${p%%:*}: stopped"; rc=1
    fi
  done
  return $rc
}

print_logins() {
  python3 - "$1" "$RB_HTTPS_PORT" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
names = {p["qid"]: p.get("name_en") or p.get("name_ar") or "" for p in d.get("persons", [])}
companies = {c["est_id"]: c.get("name_en") or c.get("name_ar") or "" for c in d.get("companies", [])}
sig = {}
for s in d.get("signatories", []):
    sig.setdefault(s["qid"], []).append("%s %s" % (s["est_id"], companies.get(s["est_id"], "")))
print()
print("Residency back office: https://127.0.0.1:%s/  (self-signed certificate)" % sys.argv[2])
print()
print("Demo logins (user / password):")
for e in d.get("directory", []):
    uid = e["uid"]
    role = []
    if e.get("groups"):
        role.append("groups: " + ", ".join(e["groups"]))
    if uid in sig:
        role.append("signatory of " + "; ".join(sig[uid]))
    line = "  %-12s %-18s" % (uid, e.get("password", ""))
    if names.get(uid):
        line += " " + names[uid]
    if role:
        line += "  [" + " | ".join(role) + "]"
    print(line)
print()
EOF
}

run() {
  local fixture loader=$RB_BIN/rb-load
  if [ -f "$RB_ROOT/../shared/fixtures/demo.json" ]; then
    fixture=$(cd "$RB_ROOT/../shared/fixtures" && pwd -P)/demo.json
  else
    fixture=$RB_ROOT/fixtures/demo.json
  fi
  trap 'trap - INT TERM EXIT; echo; say "stopping"; stop; exit 0' INT TERM
  trap 'stop' EXIT
  start
  if [ -x "$loader" ]; then
    say "loading $fixture"
    (
      set -a
      # shellcheck disable=SC1091
      . "$RB_VAR/stack.env"
      set +a
      "$loader" "$fixture"
    ) || die "loading $fixture failed"
  else
    say "warning: $loader not built; demo data not loaded"
  fi
  print_logins "$fixture"
  echo "Mail sent by the system: $RB_VAR/mail/new/ (a Maildir; one file per message)."
  echo "SMS sent by the system:  $RB_VAR/sms/ (one JSON file per message)."
  echo "Serving until Ctrl-C or \`make stop\`. Logs in $LOG/."
  # `stack.sh stop` from another terminal removes the pid files as it
  # stops each server, PostgreSQL's last: then there is nothing left to
  # serve, and nothing left for this script to stop.
  while [ -e "$RUN/postgres.pid" ]; do
    sleep 1 &
    wait $! || true
  done
  trap - INT TERM EXIT
  say "the stack was stopped (stack.sh stop); exiting"
}

# scripts/cluster_host.sh sources this file for its functions only.
if [ "${RB_STACK_AS_LIB:-}" = 1 ]; then return 0; fi

cmd=${1:-}
case $cmd in
  start) start ;;
  stop) stop ;;
  run) run ;;
  status) status ;;
  pg-stop) pg_stop ;;
  pg-start) prepare; pg_start ;;
  ldap-stop) prepare; ldap_stop ;;
  ldap-start) prepare; ldap_start ;;
  app-restart) prepare; app_stop; app_start ;;
  app-stop) prepare; app_stop ;;
  scheduler-start) prepare; sched_start force ;;
  scheduler-stop) prepare; sched_stop ;;
  notifier-start) prepare; notifier_start force ;;
  notifier-stop) prepare; notifier_stop ;;
  mail-start) prepare; mail_start ;;
  mail-stop) prepare; mail_stop ;;
  sms-start) prepare; sms_start ;;
  sms-stop) prepare; sms_stop ;;
  migrate) prepare; migrate ;;
  *) echo "usage: $0 start|stop|run|status|pg-stop|pg-start|app-restart|migrate" >&2; exit 2 ;;
esac
