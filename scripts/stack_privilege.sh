# Sourced by scripts/stack.sh: least privilege for every process it
# starts (issue 11 §2). Each of our daemons runs as its own system user
# (scripts/deps.sh creates rb-fcgi, rb-scheduler, rb-notifier, rb-sinks),
# from a copy of its binary it cannot change ($RB_VAR/app), with `env -i`
# and its own env file ($RB_VAR/env/NAME.env, root's and its group's
# only), holding the settings lib/config.c lets it read and no other.
# Uses stack.sh's globals (RB_VAR, LOG, RUN, APP, ENVDIR, the secrets).
# shellcheck shell=bash

# The state folder must be reachable by the service users without opening
# any folder above it to everyone (the tree may live under /root, 0700):
# when the default <repo>/var is not, it lives under /var/lib/residency and
# <repo>/var is a link to it; a given RB_VAR that is not is refused.
state_folder_reachable() {
  local var_real=$RB_VAR alt
  [ ! -d "$RB_VAR" ] || var_real=$(cd "$RB_VAR" && pwd -P)
  if ! setpriv --reuid=nobody --regid=nogroup --clear-groups \
    test -x "$(dirname "$var_real")" 2>/dev/null; then
    if [ "$var_default" = 1 ] && [ ! -e "$RB_ROOT/var" ]; then
      alt=/var/lib/residency/$(printf '%s' "$RB_ROOT" | sha256sum | cut -c1-12)
      mkdir -p "$alt"
      chmod 755 /var/lib/residency
      ln -s "$alt" "$RB_ROOT/var"
      printf 'stack: %s is closed to the service users: the state lives in %s\n' \
        "$RB_ROOT" "$alt" >&2
    else
      printf 'stack: error: %s: a folder above it is closed to the service users;' \
        "$RB_VAR" >&2
      printf ' choose an RB_VAR they can reach (e.g. /var/lib/residency/NAME)\n' >&2
      exit 1
    fi
  fi
}

# own USER FILE...: each FILE exists, belongs to USER and only USER (and
# its group) may read it: the logs a daemon writes through the descriptor
# the stack opened for it.
own() {
  local user=$1 f
  shift
  for f in "$@"; do
    [ -e "$f" ] || : >"$f"
    chown "$user:$user" "$f"
    chmod 640 "$f"
  done
}

# own_dir USER MODE DIR...: DIR exists, belongs to USER with MODE, and so
# does everything in it (state kept from a start before this one).
own_dir() {
  local user=$1 mode=$2 d
  shift 2
  for d in "$@"; do
    mkdir -p "$d"
    chown -R "$user:$user" "$d"
    chmod -R go-rwx "$d"
    chmod "$mode" "$d"
  done
}

# install_app FILE...: copies FILE (a path under $RB_BIN or the tree) into
# $APP, root's, readable and runnable by all (our code holds no secrets).
install_app() {
  local f
  mkdir -p "$APP"
  chmod 755 "$APP"
  for f in "$@"; do
    if [ -d "$f" ]; then
      rm -rf "$APP/$(basename "$f").tmp"
      cp -R "$f" "$APP/$(basename "$f").tmp"
      chmod -R a+rX,go-w "$APP/$(basename "$f").tmp"
      rm -rf "$APP/$(basename "$f")"
      mv "$APP/$(basename "$f").tmp" "$APP/$(basename "$f")"
    else
      # A new file moved over the old: a running copy keeps its own.
      install -m 755 -o root -g root "$f" "$APP/$(basename "$f").tmp"
      mv -f "$APP/$(basename "$f").tmp" "$APP/$(basename "$f")"
    fi
  done
}

# env_line NAME [VALUE]: NAME=VALUE, VALUE defaulting to $NAME; nothing
# when that is empty. The daemons' env files are one NAME=VALUE a line,
# unquoted (systemd's EnvironmentFile= reads them too).
env_line() {
  local v=${2-${!1:-}}
  [ -z "$v" ] || printf '%s=%s\n' "$1" "$v"
}

# write_daemon_env NAME USER: $ENVDIR/NAME.env from stdin, root's and
# USER's group's only.
write_daemon_env() {
  local f=$ENVDIR/$1.env
  mkdir -p "$ENVDIR"
  chmod 711 "$ENVDIR"
  (umask 077 && cat >"$f.tmp")
  chown "root:$2" "$f.tmp"
  chmod 640 "$f.tmp"
  mv -f "$f.tmp" "$f"
}

# launch NAME USER CMD...: in a background subshell (the caller records
# $!), replaces itself with CMD run as USER, in its own session, with
# nothing of this script's environment: only $ENVDIR/NAME.env. The
# caller redirects its output.
launch() {
  local name=$1 user=$2 line vars=()
  shift 2
  while IFS= read -r line; do
    vars+=("$line")
  done <"$ENVDIR/$name.env"
  exec setsid setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs -- \
    env -i "${vars[@]}" "$@"
}

# Sanitizer settings of the caller, passed to our C daemons.
sanitizer_env() {
  env_line ASAN_OPTIONS
  env_line UBSAN_OPTIONS
  env_line LSAN_OPTIONS
}

# The FastCGI app's settings (lib/config.c: CONFIG_FCGI) and nothing else.
fcgi_env() {
  local v
  # The message catalogues: the workbooks' texts (reports/texts.c), and a
  # resident's page says why in their language.
  install_app "$RB_BIN/locale"
  env_line RB_LOCALE_DIR "$APP/locale"
  env_line RB_DB_CONNINFO
  env_line RB_LDAP_URI
  env_line RB_LDAP_BASE "$LDAP_BASE"
  env_line RB_LDAP_BIND_DN "$LDAP_APP_DN"
  env_line RB_LDAP_BIND_PW "$LDAP_APP_PW"
  env_line RB_SOCKET
  env_line RB_WORKERS
  env_line RB_THREADS
  # Its optional settings (lib/config.c), when the caller gives them.
  for v in RB_CLOCK_FILE RB_LOG_LEVEL RB_SOCKET_GROUP RB_BODY_MAX RB_UPLOAD_MAX RB_ENROLLMENT_MAX \
    RB_SESSION_IDLE RB_SESSION_MAX RB_SIGNIN_WINDOW RB_SIGNIN_USER_MAX RB_SIGNIN_ADDR_MAX \
    RB_DECISION_LOG RB_DECISION_LOG_BUFFER RB_DECISION_LOG_FLUSH_MS RB_METRICS_ALLOW \
    RB_GRANT_ACCEPTANCE RB_GRANT_ACCEPT_DAYS RB_SIGNAL_ADDR_PEOPLE RB_SIGNAL_USER_ADDRS RB_TRUSTED_PROXY \
    RB_FCGI_LISTEN RB_FCGI_ALLOW RB_HOST_NAME RB_DB_REPLICA_CONNINFO RB_REPLICA_WAIT_MS RB_REPLICA_MAX_LAG_MS RB_REPLICA_MAX_LAG_BYTES RB_REPLICA_CHECK_MS; do
    env_line "$v"
  done
  # Workbooks (ministry reports, statements at first download) are
  # assembled in temporary files: its own folder.
  env_line TMPDIR "$RB_VAR/private/rb-fcgi"
  sanitizer_env
}

# The scheduler's settings (lib/config.c: CONFIG_SCHEDULER) and nothing else.
scheduler_env() {
  install_app "$RB_BIN/locale"
  env_line RB_SCHED_CONNINFO
  env_line RB_CLOCK_FILE
  env_line RB_SCHED_POLL
  env_line RB_LOG_LEVEL
  # It renders a cycle's workbooks before the cycle is complete (issue 14
  # §2): their texts, its workers, and libxlsxwriter's part files in its
  # own folder.
  env_line RB_LOCALE_DIR "$APP/locale"
  env_line RB_SCHED_RENDER_WORKERS
  env_line TMPDIR "$RB_VAR/private/rb-scheduler"
  sanitizer_env
}

# The notifier's (CONFIG_NOTIFIER): the outbox, SMTP and the SMS gateway.
notifier_env() {
  local v
  install_app "$RB_BIN/locale"
  env_line RB_NOTIFY_CONNINFO
  env_line RB_LOCALE_DIR "$APP/locale"
  env_line RB_SMTP_URL "smtp://127.0.0.1:$RB_SMTP_PORT"
  env_line RB_SMTP_STARTTLS 1
  env_line RB_SMTP_CA_FILE "$RB_SMTP_CA"
  env_line RB_SMTP_USER rb-notifier
  env_line RB_SMTP_PASSWORD "$SMTP_PW"
  env_line RB_SMS_URL "http://127.0.0.1:$RB_SMS_PORT/v1/messages"
  env_line RB_SMS_TOKEN "$SMS_TOKEN"
  env_line RB_HTTPS_PORT
  # It renders statements' workbooks at their first email: the parts
  # libxlsxwriter writes go to its own folder.
  env_line TMPDIR "$RB_VAR/private/rb-notifier"
  for v in RB_PUBLIC_URL RB_CLOCK_FILE RB_LOG_LEVEL RB_NOTIFY_MAX_ATTEMPTS RB_NOTIFY_BACKOFF \
    RB_NOTIFY_POLL RB_SEND_TIMEOUT RB_NOTIFY_KEEP_DAYS RB_SMTP_FROM; do
    env_line "$v"
  done
  sanitizer_env
}

# sink_start NAME SCRIPT DIR SETTING SECRET ARGS...: the local stand-in
# scripts/SCRIPT (python3) in the background as rb-sinks, given only
# SETTING=SECRET, its messages in DIR (0700). umask 077: each message is
# its reader's (root's) and the sink's only.
sink_start() {
  local name=$1 script=$2 dir=$3 setting=$4 value=$5
  shift 5
  own_dir rb-sinks 700 "$dir"
  own rb-sinks "$LOG/$name.log"
  install_app "$RB_ROOT/scripts/$script"
  env_line "$setting" "$value" | write_daemon_env "$name" rb-sinks
  (umask 077 && launch "$name" rb-sinks /usr/bin/python3 "$APP/$script" "$@" \
    </dev/null >>"$LOG/$name.log" 2>&1) &
  echo $! >"$RUN/$name.pid"
}

# The local mail server's own key (rb-sinks'), apart from nginx's; the
# notifier trusts its certificate (RB_SMTP_CA_FILE).
smtp_cert() {
  local d=$RB_VAR/tls
  if [ ! -s "$d/smtp-cert.pem" ] || [ ! -s "$d/smtp-key.pem" ]; then
    (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -days 825 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
      -addext basicConstraints=critical,CA:FALSE -addext extendedKeyUsage=serverAuth \
      -keyout "$d/smtp-key.pem" -out "$d/smtp-cert.pem" >/dev/null 2>&1) || die "openssl req failed"
  fi
  chown rb-sinks:rb-sinks "$d/smtp-key.pem"
  chmod 600 "$d/smtp-key.pem"
  chmod 644 "$d/smtp-cert.pem"
}

# web_root: the folder holding web/ that nginx's workers can read: the
# tree's own when they can reach it (edits show at once), else a copy.
web_root() {
  if setpriv --reuid=www-data --regid=www-data --clear-groups \
    test -r "$RB_ROOT/web/index.html" 2>/dev/null; then
    printf '%s' "$RB_ROOT"
  else
    install_app "$RB_ROOT/web"
    printf '%s' "$APP"
  fi
}
