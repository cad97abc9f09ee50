#!/usr/bin/env bash
# Installs the Debian packages the build, the stack and the tests need,
# and only those that are missing. Used by both `make run` and `make test`.
set -euo pipefail

PKGS=(
  build-essential pkg-config
  libfcgi-dev libpq-dev libldap-dev libssl-dev libjansson-dev
  libcurl4-openssl-dev libxlsxwriter-dev libcmocka-dev
  postgresql-15 postgresql-client-15 slapd ldap-utils nginx-light openssl
  wrk curl python3 python3-openpyxl procps time
  python3-aiosmtpd gettext
  cppcheck
  clang libclang-rt-dev
  chromium nodejs
  libpango1.0-dev libcairo2-dev fonts-noto-core poppler-utils
  libreoffice-calc-nogui
  jq
)
# Debian's nodejs comes without npm; a Node.js from elsewhere (NodeSource)
# brings its own, and Debian's npm package would fight it.
command -v npm >/dev/null 2>&1 || PKGS+=(npm)

# The system users the daemons run as (scripts/stack.sh, deploy/): each
# process under its own, none of them root. rb-db is the group that may
# reach PostgreSQL's unix socket folder. Idempotent.
service_users() {
  local u
  getent group rb-db >/dev/null || groupadd --system rb-db
  for u in rb-fcgi rb-scheduler rb-notifier rb-sinks; do
    id -u "$u" >/dev/null 2>&1 ||
      useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin --comment "residency back office $u" "$u"
  done
  for u in rb-fcgi rb-scheduler rb-notifier; do
    id -nG "$u" | tr ' ' '\n' | grep -qx rb-db || usermod -a -G rb-db "$u"
  done
}
if [ "$(id -u)" -eq 0 ]; then
  service_users
fi

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing packages: ${missing[*]}; run as root to install them" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}"
# Keep the packages' own system services (postgresql on 5432, slapd on 389,
# nginx on 80) from starting: the project runs its own instances under var/.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; own_policy=1
fi
trap '[ $own_policy -eq 1 ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
