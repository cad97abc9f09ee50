#!/usr/bin/env bash
# Every catalogue complete in the six languages (issue 16 §3): each key of
# po/en.po in every po/<lang>.po, each key of web/i18n/en.json in every
# web/i18n/<lang>.json, same placeholders; the missing ones listed by file
# and key (tests/catalogs_check.py). Then the checker is shown to catch a
# key taken out and a placeholder changed, on a copy of the catalogues.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
fails=0
passes=0
pass() { echo "[       OK ] $1"; passes=$((passes + 1)); }
fail() { echo "[  FAILED  ] $1"; fails=$((fails + 1)); }

if python3 "$root/tests/catalogs_check.py" "$root"; then
  pass "catalogues complete"
else
  fail "catalogues complete (the list above)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/po" "$tmp/web/i18n" "$tmp/fcgi" "$tmp/domain"
cp "$root"/po/*.po "$tmp/po/"
cp "$root"/web/i18n/*.json "$tmp/web/i18n/"
cp "$root"/fcgi/*.c "$tmp/fcgi/"
# An API error code a handler writes and no catalogue has (issue 16 §3).
printf 'x(){ resp_error(r, 409, "seeded_code", "seeded"); }\n' >"$tmp/fcgi/seeded.c"
# One through a handler's own wrapper (a status, then the code).
printf 'y(){ refuse(&a, 404, "seeded_wrapped", NULL, "seeded"); }\n' >>"$tmp/fcgi/seeded.c"
# And one a domain rule table answers through a handler.
cp "$root"/domain/*_rules.c "$tmp/domain/"
printf 'static const struct t t[2] = {\n\t[SEEDED_OK] = { "ok", "" },\n\t[SEEDED_NO] = { "seeded_refusal",\n\t    "seeded" },\n};\n' >"$tmp/domain/seeded_rules.c"
# A key removed from Malayalam, a placeholder renamed in Urdu, a po entry
# removed from Spanish, the English copied into French, Urdu's web file gone.
python3 - "$tmp" <<'PY'
import json, re, sys
t = sys.argv[1]
p = f"{t}/web/i18n/ml.json"; d = json.load(open(p)); del d["grants.revoke"]; json.dump(d, open(p, "w"))
p = f"{t}/web/i18n/fr.json"; d = json.load(open(p)); d["signin.lead"] = json.load(open(f"{t}/web/i18n/en.json"))["signin.lead"]; json.dump(d, open(p, "w"))
p = f"{t}/po/ur.po"; s = open(p).read(); open(p, "w").write(s.replace("{new_expiry}", "{expiry_new}"))
p = f"{t}/po/es.po"; s = open(p).read()
open(p, "w").write(re.sub(r'msgid "kind.alert"\nmsgstr "[^"]*"\n', "", s))
PY
rm "$tmp/web/i18n/ur.json"
out=$(python3 "$root/tests/catalogs_check.py" "$tmp" || echo "exit=$?")
echo "$out" | sed 's/^/  seeded: /'
for want in "web/i18n/ml.json: grants.revoke: missing" \
            "web/i18n/fr.json: signin.lead: the English text copied" \
            "po/ur.po: sms.permit.renewed: placeholders" \
            "po/es.po: kind.alert: missing" \
            "web/i18n/ur.json: the whole catalogue is missing" \
            "po/en.po: error.seeded_code: missing" \
            "po/en.po: error.seeded_wrapped: missing" \
            "po/en.po: error.seeded_refusal: missing (an API error code of domain/seeded_rules.c" \
            "exit=1"; do
  if grep -qF "$want" <<<"$out"; then pass "seeded: $want"; else fail "seeded: $want"; fi
done
[ "$(grep -c ': ' <<<"$out")" -ge 5 ] || fail "seeded: one line per problem"

if [ "$fails" -eq 0 ]; then
  echo "[  PASSED  ] ${passes} test(s)."
else
  echo "[  FAILED  ] $fails test(s), listed below:"
  exit 1
fi
