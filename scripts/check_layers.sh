#!/usr/bin/env bash
# The layers of docs/ARCHITECTURE.md, checked on every build: each folder
# includes only the folders below it, and the pure rules (domain/) never
# reach a database, JSON or the network.
set -u
cd "$(dirname "$0")/.."
fail=0

# allowed <folder> <allowed project folders...>
allowed() {
	local dir=$1; shift
	local pat
	pat=$(printf '%s/|' "$@"); pat=${pat%|}
	local bad
	bad=$(grep -Hn '^#include "' "$dir"/*.[ch] 2>/dev/null |
	      grep -Ev "#include \"($pat)" || true)
	if [ -n "$bad" ]; then
		echo "layers: $dir/ may include only $*:"; echo "$bad"; fail=1
	fi
}

allowed lib lib
allowed domain domain lib
allowed notify notify domain lib
allowed store store notify domain lib
allowed reports reports domain lib

# The pure layer: no libpq, jansson, libcurl, libldap, and none of lib's
# modules that talk to them.
bad=$(grep -Hn '^#include' domain/*.[ch] |
      grep -E '<(libpq-fe|jansson|curl/curl|ldap|lber|fcgiapp|fcgi_stdio)\.h>|"lib/(db|date_json|log|config|clock|supervise)\.h"' || true)
if [ -n "$bad" ]; then
	echo "layers: domain/ is pure (no database, JSON, network, settings or clock):"
	echo "$bad"; fail=1
fi
# Workbook writers get typed values, never a database handle.
bad=$(grep -Hn '^#include' reports/*.[ch] | grep -E '<libpq-fe\.h>|"lib/db\.h"' || true)
if [ -n "$bad" ]; then
	echo "layers: reports/ writes workbooks from typed values, no database:"
	echo "$bad"; fail=1
fi
exit $fail
