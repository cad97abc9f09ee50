# Sourced by tests/trials/trials.sh and outages.sh: a stack of the trial's
# own (temp RB_VAR, free ports), apart from any other (make test's stack
# keeps running beside it), and its databases.
#   own_stack_prepare  the environment: nothing inherited but RB_BIN and
#                      what the caller sets after it; RB_VAR created
#   own_stack_start    scripts/stack.sh start, then its stack.env
#   own_stack_stop     stops it and removes RB_VAR (TRIALS_KEEP=1 keeps it)
#   owner, super       psql as the database owner, as postgres
#   subscribe_all      every company with a signatory and an account subscribes
# ROOT (the tree) and BIN (the programs) are the caller's.

own_stack_prepare() {
  local v
  for v in $(compgen -e | grep '^RB_'); do unset "$v"; done
  export RB_BIN=$BIN RB_PG_FAST=1 RB_NO_SCHEDULER=1 RB_NO_NOTIFIER=1
  RB_VAR=$(mktemp -d /tmp/rb-trials.XXXXXX)
  chmod 755 "$RB_VAR"
  export RB_VAR
  mkdir -p "$RB_VAR/tmp"
  export TMPDIR=$RB_VAR/tmp
  for v in RB_PG_PORT RB_LDAP_PORT RB_HTTPS_PORT RB_HTTP_PORT RB_SMTP_PORT RB_SMS_PORT; do
    export "$v=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  done
}

own_stack_start() {
  bash "$ROOT/scripts/stack.sh" start >"$RB_VAR/start.log" 2>&1 || {
    tail -n 30 "$RB_VAR/start.log"; echo "trials: the stack did not start"; return 1; }
  set -a
  # shellcheck disable=SC1091
  . "$RB_VAR/stack.env"
  set +a
}

own_stack_stop() {
  bash "$ROOT/scripts/stack.sh" stop >/dev/null 2>&1
  if [ "${TRIALS_KEEP:-}" = 1 ]; then echo "trials: kept $RB_VAR"; else rm -rf "$RB_VAR"; fi
}

owner() { psql -X -qAt "$RB_DB_OWNER_CONNINFO" "$@"; }
super() { runuser -u postgres -- psql -X -qAt -h "$RB_VAR/pg/run" -p "$RB_PG_PORT" -d postgres "$@"; }

# With a cap that never stops a renewal: an execution touches every company.
subscribe_all() {
  owner <<'SQL'
WITH c AS (
  SELECT est_id,
         (SELECT min(iban) FROM bank_accounts b WHERE b.est_id = co.est_id) AS iban,
         (SELECT min(qid) FROM signatories s WHERE s.est_id = co.est_id) AS signatory
  FROM companies co
), s AS (
  INSERT INTO renewal_settings
  SELECT est_id, true, 100000000000, 1, 'hr@company.example', '+97455000000',
         CASE WHEN right(est_id, 1) IN ('0', '2', '4', '6', '8') THEN 'ar' ELSE 'en' END,
         'Doha', now() FROM c
)
INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid,
    submitted_by, submitted_at, reviewed_by, reviewed_at)
SELECT est_id, 'RN-' || left(est_id, 4) || '-' || right(est_id, 4), 'active', iban, signatory,
       'trials', now(), 'trials', now()
FROM c WHERE iban IS NOT NULL AND signatory IS NOT NULL;
SQL
}
