#!/usr/bin/env bash
# Least privilege (issue 11 §2), on a stack of its own with every daemon
# running (the test stack keeps the scheduler and the notifier off):
#   - each daemon (FastCGI supervisor and a worker, scheduler and its
#     worker, notifier and its worker, the mail and SMS stand-ins) runs as
#     its own system user, and its /proc/<pid>/environ holds its own
#     secrets and no other process's;
#   - var/ and what is in it are closed to others: logs, mail, SMS, env
#     files and the FastCGI socket have the owners and modes they should;
#   - a process running as one of these users cannot read the others'
#     files;
#   - a state folder below a closed folder is refused, and the closed
#     folder stays closed (no o+x added to parents).
# tests/run.sh runs it (it needs root, as the stack does).
# Prints cmocka-like lines so the harness counts its cases.
# shellcheck disable=SC2317
set -uo pipefail

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
bin=${RB_BIN:-$RB_ROOT/build}
[[ $bin == /* ]] || bin=$RB_ROOT/$bin

VAR=$(mktemp -d /tmp/rb-privilege.XXXXXX)
CLOSED=$(mktemp -d /tmp/rb-closed.XXXXXX)
chmod 700 "$CLOSED"

# Six free ports of its own, then only what this stack is given: the
# scheduler and the notifier daemons run.
mapfile -t PORTS < <(python3 -c 'import socket
socks = [socket.create_server(("127.0.0.1", 0)) for _ in range(6)]
print("\n".join(str(s.getsockname()[1]) for s in socks))')
P3=${PORTS[2]}
STACK_ENV=(PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 RB_VAR="$VAR" RB_BIN="$bin"
  RB_PG_PORT="${PORTS[0]}" RB_LDAP_PORT="${PORTS[1]}" RB_HTTPS_PORT="$P3"
  RB_HTTP_PORT="${PORTS[3]}" RB_SMTP_PORT="${PORTS[4]}" RB_SMS_PORT="${PORTS[5]}"
  RB_PG_FAST=1 RB_NOTIFY_POLL=1 RB_WORKERS=2 RB_THREADS=2)
stack() { env -i "${STACK_ENV[@]}" bash "$RB_ROOT/scripts/stack.sh" "$@"; }

cleanup() {
  stack stop >/dev/null 2>&1
  rm -rf "$VAR" "$CLOSED"
}
trap cleanup EXIT

if ! stack start >"$CLOSED.start.log" 2>&1; then
  cat "$CLOSED.start.log"
  echo "[  FAILED  ] 1 test(s), listed below:"
  echo "[  FAILED  ] the stack did not start"
  rm -f "$CLOSED.start.log"
  exit 1
fi
rm -f "$CLOSED.start.log"

secret() { cat "$VAR/secrets/$1"; }
pidof_() { head -n1 "$VAR/run/$1.pid"; }
# The first child of PID: the worker a supervisor forked.
child_of() {
  local c
  for c in /proc/[0-9]*; do
    [ "$(awk '{print $4}' "$c/stat" 2>/dev/null)" = "$1" ] && { basename "$c"; return 0; }
  done
  return 1
}
# as USER CMD...: CMD run as USER with its own groups only.
as() {
  local u=$1
  shift
  setpriv --reuid="$u" --regid="$u" --init-groups -- "$@"
}
fail() { echo "  $*"; return 1; }

ALL_SECRETS="pg_owner pg_app pg_sched pg_notify smtp sms_token ldap_admin ldap_app"

# proc_ok PID USER OWN...: PID runs as USER; its environment holds each
# OWN secret and none of the others.
proc_ok() {
  local pid=$1 user=$2 s env own
  shift 2
  own=" $* "
  [ -n "$pid" ] && [ -r "/proc/$pid/environ" ] || fail "no process $pid"
  [ "$(stat -c %U "/proc/$pid")" = "$user" ] || fail "pid $pid runs as $(stat -c %U "/proc/$pid"), not $user"
  awk '/^Uid:/ {exit !($2 == $3 && $3 == $4 && $4 == $5)}' "/proc/$pid/status" ||
    fail "pid $pid: real, effective and saved uids differ"
  env=$(tr '\0' '\n' <"/proc/$pid/environ")
  for s in $ALL_SECRETS; do
    if [[ $own == *" $s "* ]]; then
      grep -qF -- "$(secret "$s")" <<<"$env" || fail "pid $pid ($user) lacks its own $s"
    elif grep -qF -- "$(secret "$s")" <<<"$env"; then
      fail "pid $pid ($user) holds $s"
    fi
  done
  # Nothing inherited from whoever ran the stack.
  ! grep -qE '^(HOME|PATH|SUDO_[A-Z]*|RB_VAR|RB_BIN|RB_PG_PORT)=' <<<"$env" ||
    fail "pid $pid ($user) inherited: $(grep -E '^(HOME|PATH|SUDO_[A-Z]*|RB_VAR|RB_BIN|RB_PG_PORT)=' <<<"$env" | cut -d= -f1 | tr '\n' ' ')"
}

t_fcgi() {
  local p
  p=$(pidof_ app)
  proc_ok "$p" rb-fcgi pg_app ldap_app && proc_ok "$(child_of "$p")" rb-fcgi pg_app ldap_app
}
t_scheduler() {
  local p
  p=$(pidof_ scheduler)
  proc_ok "$p" rb-scheduler pg_sched && proc_ok "$(child_of "$p")" rb-scheduler pg_sched
}
t_notifier() {
  local p
  p=$(pidof_ notifier)
  proc_ok "$p" rb-notifier pg_notify smtp sms_token &&
    proc_ok "$(child_of "$p")" rb-notifier pg_notify smtp sms_token
}
t_sinks() {
  proc_ok "$(pidof_ mail)" rb-sinks smtp && proc_ok "$(pidof_ sms)" rb-sinks sms_token
}
# The servers we do not own drop to their own users as well.
t_others() {
  [ "$(stat -c %U "/proc/$(pidof_ slapd)")" = openldap ] || fail "slapd not openldap"
  [ "$(stat -c %U "/proc/$(pidof_ postgres)")" = postgres ] || fail "postgres not postgres"
}

# An email and an SMS through the running notifier and sinks, so that
# their files exist to be looked at.
owner_sql() {
  (set -a && . "$VAR/stack.env" && set +a && psql -X -q -At -v ON_ERROR_STOP=1 \
    "$RB_DB_OWNER_CONNINFO" -c "$1")
}
deliver_some() {
  local i
  owner_sql "INSERT INTO outbox (channel, recipient, language, template, params,
    next_attempt_at, created_at) VALUES
    ('sms', '+97455500001', 'en', 'sms.execution.done', '{\"cycle_date\": \"2026-12-08\",
      \"company_en\": \"Privilege Test Co\", \"renewed\": 1, \"not_renewed\": 0,
      \"total_dirhams\": 100}', now(), now()),
    ('email', 'privilege@example.qa', 'en', 'email.debit_report.body', '{\"cycle_date\":
      \"2026-12-08\", \"company_en\": \"Privilege Test Co\", \"est_id\": \"10000001\",
      \"lines\": 1, \"total_dirhams\": 100, \"verification_code\": \"ABCD-EFGH\",
      \"kind\": \"debit_report\"}', now(), now())" || return 1
  for ((i = 0; i < 150; i++)); do
    [ "$(owner_sql "SELECT count(*) FROM outbox WHERE status = 'sent'")" = 2 ] && return 0
    sleep 0.1
  done
  owner_sql "SELECT channel, status, last_error FROM outbox"
  return 1
}

# mode_is PATH MODE OWNER GROUP
mode_is() {
  local got
  got=$(stat -c '%a %U %G' "$1") || return 1
  [ "$got" = "$2 $3 $4" ] || fail "$1: $got, want $2 $3 $4"
}

t_files() {
  local f ok=0
  deliver_some || fail "the notifier did not deliver" || return 1
  curl -sk -o /dev/null "https://127.0.0.1:$P3/api/v1/health" || fail "nginx"
  mode_is "$VAR" 711 root root || ok=1
  mode_is "$VAR/log" 711 root root || ok=1
  mode_is "$VAR/env" 711 root root || ok=1
  mode_is "$VAR/secrets" 700 root root || ok=1
  mode_is "$VAR/stack.env" 600 root root || ok=1
  mode_is "$VAR/run/fcgi" 2750 rb-fcgi www-data || ok=1
  mode_is "$VAR/run/fcgi/app.sock" 660 rb-fcgi www-data || ok=1
  [ -S "$VAR/run/fcgi/app.sock" ] || fail "no socket" || ok=1
  mode_is "$VAR/log/app.log" 640 rb-fcgi rb-fcgi || ok=1
  mode_is "$VAR/log/scheduler.log" 640 rb-scheduler rb-scheduler || ok=1
  mode_is "$VAR/log/notifier.log" 640 rb-notifier rb-notifier || ok=1
  mode_is "$VAR/log/mail.log" 640 rb-sinks rb-sinks || ok=1
  mode_is "$VAR/log/sms.log" 640 rb-sinks rb-sinks || ok=1
  mode_is "$VAR/log/nginx-access.log" 640 root root || ok=1
  [ -s "$VAR/log/nginx-access.log" ] || fail "nothing in nginx-access.log" || ok=1
  mode_is "$VAR/mail" 700 rb-sinks rb-sinks || ok=1
  mode_is "$VAR/sms" 700 rb-sinks rb-sinks || ok=1
  for f in fcgi:rb-fcgi scheduler:rb-scheduler notifier:rb-notifier mail:rb-sinks sms:rb-sinks; do
    mode_is "$VAR/env/${f%%:*}.env" 640 root "${f#*:}" || ok=1
  done
  set -- "$VAR"/mail/new/* "$VAR"/sms/*.json
  [ $# = 2 ] && [ -e "$1" ] && [ -e "$2" ] || fail "want one mail and one SMS, have: $*" || ok=1
  for f in "$@"; do
    mode_is "$f" 600 rb-sinks rb-sinks || ok=1
  done
  # Nothing under var/ is readable by everyone but the programs installed
  # for the daemons (app/), certificates and PostgreSQL's socket (its
  # folder keeps others out).
  f=$(find "$VAR" -path "$VAR/app" -prune -o -perm /o=r ! -type l ! -type s ! -name '*cert.pem' -print |
    grep -v "^$VAR/pg/data" | head -n 5)
  [ -z "$f" ] || fail "readable by others: $f" || ok=1
  return $ok
}

# cannot USER FILE...: USER can read none of FILE.
cannot() {
  local u=$1 f
  shift
  for f in "$@"; do
    [ -e "$f" ] || fail "missing $f" || return 1
    if as "$u" cat "$f" >/dev/null 2>&1; then fail "$u can read $f"; return 1; fi
  done
}

t_cross() {
  local mail sms ok=0
  mail=$(ls "$VAR"/mail/new/* | head -n1)
  sms=$(ls "$VAR"/sms/*.json | head -n1)
  # Each reads its own env file (the files are not simply closed to all)...
  as rb-fcgi cat "$VAR/env/fcgi.env" >/dev/null || fail "rb-fcgi cannot read its own env" || ok=1
  as rb-sinks cat "$VAR/env/mail.env" >/dev/null || fail "rb-sinks cannot read its own env" || ok=1
  # ... and none of the others' files.
  cannot rb-fcgi "$VAR/env/scheduler.env" "$VAR/env/notifier.env" "$VAR/env/mail.env" \
    "$VAR/log/notifier.log" "$VAR/log/scheduler.log" "$mail" "$sms" "$VAR/stack.env" \
    "$VAR/secrets/pg_owner" "$VAR/tls/smtp-key.pem" || ok=1
  cannot rb-scheduler "$VAR/env/fcgi.env" "$VAR/env/notifier.env" "$VAR/log/app.log" \
    "$mail" "$sms" "$VAR/stack.env" || ok=1
  cannot rb-notifier "$VAR/env/fcgi.env" "$VAR/env/scheduler.env" "$VAR/log/app.log" \
    "$mail" "$sms" "$VAR/tls/smtp-key.pem" || ok=1
  cannot rb-sinks "$VAR/env/fcgi.env" "$VAR/env/scheduler.env" "$VAR/env/notifier.env" \
    "$VAR/log/app.log" "$VAR/log/notifier.log" "$VAR/stack.env" "$VAR/tls/key.pem" || ok=1
  cannot www-data "$VAR/env/fcgi.env" "$mail" "$sms" "$VAR/log/app.log" "$VAR/stack.env" || ok=1
  # PostgreSQL's socket folder: the database's clients only.
  as rb-fcgi test -x "$VAR/pg/run" || fail "rb-fcgi cannot reach the database socket" || ok=1
  ! as rb-sinks test -x "$VAR/pg/run" || fail "rb-sinks can reach the database socket" || ok=1
  ! as www-data test -x "$VAR/pg/run" || fail "www-data can reach the database socket" || ok=1
  # The FastCGI socket: nginx's group only.
  ! as rb-sinks test -x "$VAR/run/fcgi" || fail "rb-sinks can reach the FastCGI socket" || ok=1
  as www-data test -w "$VAR/run/fcgi/app.sock" || fail "nginx cannot reach the FastCGI socket" || ok=1
  # The daemons cannot change what they run.
  ! as rb-fcgi test -w "$VAR/app/rb-fcgi" || fail "rb-fcgi can write its binary" || ok=1
  return $ok
}

# A state folder below a folder the service users cannot enter is
# refused before anything is made, and that folder is left as it was.
t_closed_parent() {
  local out
  out=$(env -i PATH="$PATH" RB_VAR="$CLOSED/var" bash "$RB_ROOT/scripts/stack.sh" start 2>&1) &&
    fail "started below a closed folder"
  grep -qF "a folder above it is closed to the service users" <<<"$out" || fail "said: $out"
  [ "$(stat -c %a "$CLOSED")" = 700 ] || fail "$CLOSED is now $(stat -c %a "$CLOSED")"
  [ ! -e "$CLOSED/var" ] || fail "made $CLOSED/var"
}

# Each case: its function, then what it shows.
cases=(
  "t_fcgi the FastCGI supervisor and its worker run as rb-fcgi with their own secrets only"
  "t_scheduler the scheduler and its worker run as rb-scheduler with their own secret only"
  "t_notifier the notifier and its worker run as rb-notifier with their own secrets only"
  "t_sinks the mail and SMS stand-ins run as rb-sinks, each with its own secret only"
  "t_others slapd and PostgreSQL run as their own users"
  "t_files var/, logs, mail, SMS, env files and the FastCGI socket: owners and modes"
  "t_cross no service user can read another's files"
  "t_closed_parent a state folder below a closed folder is refused, nothing opened"
)
passed=0
failed=()
for c in "${cases[@]}"; do
  echo "[ RUN      ] ${c#* }"
  if "${c%% *}"; then
    echo "[       OK ] ${c#* }"
    passed=$((passed + 1))
    continue
  fi
  echo "[  FAILED  ] ${c#* }"
  failed+=("${c#* }")
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "[  PASSED  ] $passed test(s)."
  echo "[  FAILED  ] ${#failed[@]} test(s), listed below:"
  printf '[  FAILED  ] %s\n' "${failed[@]}"
  exit 1
fi
echo "[  PASSED  ] $passed test(s)."
