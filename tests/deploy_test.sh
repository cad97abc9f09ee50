#!/usr/bin/env bash
# deploy/: the systemd units pass `systemd-analyze verify` (which also
# checks that each ExecStart binary exists: the units are copied with
# /usr/local/bin replaced by this run's $RB_BIN and /opt/rb by the tree, and
# nothing else changed), and `systemd-analyze security --offline` finds
# each rb-* unit sandboxed (ProtectSystem=strict, NoNewPrivileges,
# PrivateTmp through rb-.service.d/hardening.conf; exposure at most 2.0, on its 0-100 scale 20),
# running as its own user with its own EnvironmentFile.
set -euo pipefail

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
RB_BIN=${RB_BIN:-$RB_ROOT/build}
[[ $RB_BIN == /* ]] || RB_BIN=$RB_ROOT/$RB_BIN
SA=/usr/bin/systemd-analyze
fail() { echo "deploy_test: FAIL: $*"; exit 1; }
[ -x "$SA" ] || fail "$SA missing"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$RB_ROOT/deploy/." "$work/"
sed -i -e "s|/usr/local/bin/|$RB_BIN/|g" -e "s|/opt/rb/|$RB_ROOT/|g" "$work"/*.service
cd "$work"
export SYSTEMD_UNIT_PATH=$work:
units=(*.service rb.target)
[ "${#units[@]}" -ge 7 ] || fail "only ${units[*]}"

if ! out=$("$SA" verify --man=no "${units[@]}" 2>&1) || [ -n "$out" ]; then
  fail "systemd-analyze verify: $out"
fi
# The same check refuses a unit whose binary is not there.
sed 's|^ExecStart=.*|ExecStart=/nonexistent/rb-fcgi|' rb-fcgi.service >rb-missing.service
"$SA" verify --man=no rb-missing.service >/dev/null 2>&1 && fail "verify accepted a missing ExecStart binary"
rm rb-missing.service

# unit user env-file
for u in "rb-fcgi rb-fcgi rb-fcgi" "rb-scheduler rb-scheduler rb-scheduler" \
  "rb-notifier rb-notifier rb-notifier" "rb-mail-sink rb-sinks rb-sinks" "rb-sms-gateway rb-sinks rb-sinks"; do
  read -r name user env <<<"$u"
  grep -qx "User=$user" "$name.service" || fail "$name does not run as $user"
  grep -qx "EnvironmentFile=/etc/rb/$env.env" "$name.service" || fail "$name has not its own EnvironmentFile"
  [ -f "$RB_ROOT/deploy/env/$env.env" ] || fail "no example deploy/env/$env.env"
  sec=$("$SA" security --offline=true --threshold=20 --no-pager "$name.service" 2>&1) ||
    fail "$name: exposure above 2.0: $(grep Overall <<<"$sec")"
  for want in "NoNewPrivileges=.*cannot acquire new privileges" \
    "ProtectSystem=.*strict read-only" "PrivateTmp=.*no access to other software's temporary files"; do
    grep -q "✓ $want" <<<"$sec" || fail "$name: not $want"
  done
done
# Each env file holds only its process's secrets: no database password of another role.
grep -q 'user=rb_app' "$RB_ROOT/deploy/env/rb-fcgi.env" || fail "rb-fcgi.env without its conninfo"
! grep -qE 'RB_(SCHED|NOTIFY)_CONNINFO|RB_SMTP_PASSWORD|RB_SMS_TOKEN|RB_LDAP_ADMIN' "$RB_ROOT/deploy/env/rb-fcgi.env" ||
  fail "rb-fcgi.env holds another process's secret"
! grep -qE 'RB_DB_CONNINFO|RB_LDAP|RB_SMTP|RB_SMS' "$RB_ROOT/deploy/env/rb-scheduler.env" ||
  fail "rb-scheduler.env holds another process's secret"
! grep -qE 'RB_DB_CONNINFO|RB_SCHED_CONNINFO|RB_LDAP' "$RB_ROOT/deploy/env/rb-notifier.env" ||
  fail "rb-notifier.env holds another process's secret"
echo "deploy_test: ok (${#units[@]} units verified)"
