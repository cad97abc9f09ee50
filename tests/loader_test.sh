#!/usr/bin/env bash
# The fixture loader (rb-load) and the audit chain verifier (rb-audit-verify)
# against the running stack. tests/run.sh runs it with stack.env exported,
# after tests/fixtures/base.json was loaded; by hand:
#   set -a; . var/stack.env; set +a; RB_BIN=build bash tests/loader_test.sh
# Prints cmocka-like lines ([ RUN ], [ OK ], [ PASSED ] N test(s).) so the
# harness counts its cases; exits non-zero when any fails. It leaves the
# data as base.json has it (person 29935600212 back to active, the audit
# row it tampers with restored).
# The t_* cases run through the list at the end.
# shellcheck disable=SC2317
set -uo pipefail

RB_ROOT=${RB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)}
RB_BIN=${RB_BIN:-$RB_ROOT/build}
: "${RB_DB_OWNER_CONNINFO:?stack.env not loaded}" "${RB_DB_CONNINFO:?}"
: "${RB_LDAP_URI:?}" "${RB_LDAP_BASE:?}" "${RB_LDAP_ADMIN_DN:?}" "${RB_LDAP_ADMIN_PW:?}"
export RB_DB_OWNER_CONNINFO RB_DB_CONNINFO RB_LDAP_URI RB_LDAP_BASE \
  RB_LDAP_ADMIN_DN RB_LDAP_ADMIN_PW

LOAD=$RB_BIN/rb-load
VERIFY=$RB_BIN/rb-audit-verify
FIX=$RB_ROOT/tests/fixtures
BASE=$FIX/base.json
PEOPLE=ou=people,$RB_LDAP_BASE
DEAD_QID=29935600212

TMP=$(mktemp -d /tmp/rb-loader-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
# The admin password goes to ldap tools in a file, not on a command line.
(umask 077 && printf '%s' "$RB_LDAP_ADMIN_PW" >"$TMP/ldap_admin")

# --- helpers -------------------------------------------------------------

psql_owner() { psql -X -q -At -v ON_ERROR_STOP=1 "$RB_DB_OWNER_CONNINFO" "$@"; }

# The registry tables, every column plus xmin: an UPDATE that rewrites a
# row with the same values still shows as a new xmin.
db_dump() {
  psql_owner \
    -c "COPY (SELECT xmin, * FROM companies ORDER BY est_id) TO STDOUT" \
    -c "COPY (SELECT xmin, * FROM persons ORDER BY qid) TO STDOUT" \
    -c "COPY (SELECT xmin, * FROM passports ORDER BY qid) TO STDOUT" \
    -c "COPY (SELECT xmin, * FROM employment ORDER BY id) TO STDOUT" \
    -c "COPY (SELECT xmin, * FROM signatories ORDER BY qid, est_id) TO STDOUT" \
    -c "COPY (SELECT xmin, * FROM bank_accounts ORDER BY iban) TO STDOUT" |
    md5sum | cut -d' ' -f1
}

# People and groups with their operational attributes (modifyTimestamp,
# entryCSN), so a rewrite of an unchanged entry shows.
ldap_dump() {
  ldapsearch -x -LLL -o ldif-wrap=no -H "$RB_LDAP_URI" -D "$RB_LDAP_ADMIN_DN" \
    -y "$TMP/ldap_admin" -b "$RB_LDAP_BASE" \
    '(|(objectClass=inetOrgPerson)(objectClass=groupOfNames))' '*' '+' |
    md5sum | cut -d' ' -f1
}

audit_max() { psql_owner -c "SELECT coalesce(max(id), 0) FROM audit_log"; }

ldap_bind_ok() {
  ldapwhoami -x -H "$RB_LDAP_URI" -D "uid=$1,$PEOPLE" -w "$2" >/dev/null 2>&1
}

# load FILE [ENV=VALUE...]: runs rb-load; its stdout/stderr in $TMP/out, $TMP/err.
load() {
  local f=$1
  shift
  env "$@" "$LOAD" "$f" >"$TMP/out" 2>"$TMP/err"
}

fail() {
  echo "    $*"
  [ ! -s "$TMP/err" ] || sed 's/^/    stderr: /' "$TMP/err" | head -n 20
}

# --- cases ---------------------------------------------------------------

t_reload_base_changes_nothing() {
  # The first load converges whatever earlier tests changed.
  load "$BASE" || { fail "first load of base.json failed"; return 1; }
  local db1 ld1 db2 ld2
  db1=$(db_dump) || { fail "dump failed"; return 1; }
  ld1=$(ldap_dump) || { fail "dump failed"; return 1; }
  load "$BASE" || { fail "second load of base.json failed"; return 1; }
  db2=$(db_dump) || { fail "dump failed"; return 1; }
  ld2=$(ldap_dump) || { fail "dump failed"; return 1; }
  [ "$db1" = "$db2" ] || { fail "registry tables changed on reload"; return 1; }
  [ "$ld1" = "$ld2" ] || { fail "directory entries changed on reload"; return 1; }
  grep -q '(0 new, 0 changed' "$TMP/out" || { fail "summary: $(cat "$TMP/out")"; return 1; }
}

t_directory_accounts() {
  local n
  for n in 201 202 203 204; do
    ldap_bind_ok "29935600$n" "test-pass-$n" || { fail "cannot bind as 29935600$n"; return 1; }
  done
  ldap_bind_ok 29935600205 test-pass-205 && { fail "29935600205 has an account"; return 1; }
  ldap_bind_ok svc-test svc-test-pass || { fail "cannot bind as svc-test"; return 1; }
  ldap_bind_ok svc-test wrong-pass && { fail "svc-test accepts a wrong password"; return 1; }
  ldapsearch -x -LLL -H "$RB_LDAP_URI" -D "$RB_LDAP_ADMIN_DN" -y "$TMP/ldap_admin" \
    -b "cn=services,ou=groups,$RB_LDAP_BASE" -s base member >"$TMP/grp" ||
    { fail "cannot read the services group"; return 1; }
  grep -qi "^member: uid=svc-test,$PEOPLE\$" "$TMP/grp" || { fail "svc-test not in services"; return 1; }
  ldapsearch -x -LLL -o ldif-wrap=no -H "$RB_LDAP_URI" -D "$RB_LDAP_ADMIN_DN" -y "$TMP/ldap_admin" \
    -b "uid=29935600201,$PEOPLE" -s base cn >"$TMP/cn" || { fail "cannot read 29935600201"; return 1; }
  grep -q '^cn: Test Resident 201$' "$TMP/cn" || { fail "cn of 29935600201: $(cat "$TMP/cn")"; return 1; }
}

t_directory_password_restored() {
  ldappasswd -x -H "$RB_LDAP_URI" -D "$RB_LDAP_ADMIN_DN" -y "$TMP/ldap_admin" \
    -s changed-elsewhere "uid=29935600204,$PEOPLE" >/dev/null 2>&1 ||
    { fail "ldappasswd failed"; return 1; }
  ldap_bind_ok 29935600204 test-pass-204 && { fail "password was not changed"; return 1; }
  load "$BASE" || { fail "load failed"; return 1; }
  ldap_bind_ok 29935600204 test-pass-204 || { fail "password not set back by the load"; return 1; }
  grep -q '1 passwords set' "$TMP/out" || { fail "summary: $(cat "$TMP/out")"; return 1; }
}

# bad_fixture FILE FIELD: refused with exit 1, naming FIELD, nothing written.
bad_fixture() {
  local file=$FIX/$1 field=$2 db1 db2 a1 a2 rc
  [ -f "$file" ] || { fail "$file missing"; return 1; }
  db1=$(db_dump) || { fail "dump failed"; return 1; }
  a1=$(audit_max) || { fail "dump failed"; return 1; }
  load "$file"
  rc=$?
  db2=$(db_dump) || { fail "dump failed"; return 1; }
  a2=$(audit_max) || { fail "dump failed"; return 1; }
  [ "$rc" -eq 1 ] || { fail "exit status $rc, want 1"; return 1; }
  grep -qF "fixture refused: $field: " "$TMP/err" || { fail "message does not name $field"; return 1; }
  [ "$db1" = "$db2" ] || { fail "registry tables changed"; return 1; }
  [ "$a1" = "$a2" ] || { fail "audit rows appended"; return 1; }
}

t_bad_qid() { bad_fixture bad_qid.json 'persons[1].qid'; }
t_bad_iban_checksum() { bad_fixture bad_iban.json 'bank_accounts[0].iban'; }
t_bad_date() { bad_fixture bad_date.json 'persons[0].permit_expiry'; }
t_bad_status() { bad_fixture bad_status.json 'persons[0].status'; }
t_bad_reference() { bad_fixture bad_reference.json 'employment[0].qid'; }
t_bad_citizen_with_permit() { bad_fixture bad_citizen_permit.json 'persons[0].permit_expiry'; }
t_bad_unknown_field() { bad_fixture bad_unknown_field.json 'persons[0].nickname'; }
t_bad_group() { bad_fixture bad_group.json 'directory[0].groups'; }
# A language without catalogues (German), beside a company in Malayalam.
t_bad_language() { bad_fixture bad_language.json 'persons[0].language'; }

t_bad_sector() { bad_fixture bad_sector.json 'companies[0].sector'; }
t_bad_license_number() { bad_fixture bad_license.json 'companies[0].license_number'; }

# The licence fields of issue 15: loaded as given, a reload changes
# nothing, and a later fixture without them keeps them (base.json's
# companies, which have none, stay enrolled). Companies it_enrollment
# leaves alone (it activates 16000001, and activations outlive the feed).
t_enrollment_fields() {
  local got db1 db2
  load "$FIX/enrollment.json" || { fail "load failed"; return 1; }
  got=$(psql_owner -c "SELECT string_agg(est_id || ':' || coalesce(sector, '-') || ':' ||
      coalesce(license_number, '-') || ':' || coalesce(licensed_on::text, '-') || ':' ||
      coalesce(license_expiry::text, '-') || ':' || enrolled, ' ' ORDER BY est_id)
      FROM companies WHERE est_id IN ('16000002', '16000004', '16000005', '10000001')")
  [ "$got" = "10000001:-:-:-:-:true 16000002:hotels_residences:CR-160002:2026-08-15:2028-08-14:false 16000004:internet_cafes:-:-:-:false 16000005:security_guarding:CR-160005:2025-01-01:2028-12-31:true" ] ||
    { fail "companies: $got"; return 1; }
  db1=$(db_dump) || { fail "dump failed"; return 1; }
  load "$FIX/enrollment.json" || { fail "reload failed"; return 1; }
  db2=$(db_dump) || { fail "dump failed"; return 1; }
  [ "$db1" = "$db2" ] || { fail "a reload changed the tables"; return 1; }
  printf '{"format":"registry-fixture/1","companies":[{"est_id":"16000003","name_ar":"مجوهرات السوق","name_en":"Souq Jewellery","email":"shop@souq-gold.example","language":"ar"}]}' >"$TMP/silent.json"
  load "$TMP/silent.json" || { fail "silent load failed"; return 1; }
  got=$(psql_owner -c "SELECT sector || ':' || enrolled FROM companies WHERE est_id = '16000003'")
  [ "$got" = "gold_jewellery:false" ] || { fail "a feed silent on the licence changed it: $got"; return 1; }
}

t_directory_failure_rolls_back() {
  # A fixture with a new company, loaded while the directory refuses the
  # admin: the company must not stay behind.
  python3 - "$BASE" "$TMP/newco.json" <<'EOF' || { fail "cannot write the fixture"; return 1; }
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
d["companies"].append({"est_id": "10000098", "name_ar": "شركة", "name_en": "Rollback Co",
                       "email": "hr@rollback.example", "language": "en"})
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
EOF
  local db1 db2 a1 a2 rc
  db1=$(db_dump) || { fail "dump failed"; return 1; }
  a1=$(audit_max) || { fail "dump failed"; return 1; }
  load "$TMP/newco.json" RB_LDAP_ADMIN_PW=not-the-password
  rc=$?
  db2=$(db_dump) || { fail "dump failed"; return 1; }
  a2=$(audit_max) || { fail "dump failed"; return 1; }
  [ "$rc" -eq 1 ] || { fail "exit status $rc, want 1"; return 1; }
  grep -q 'directory' "$TMP/err" || { fail "no directory error reported"; return 1; }
  [ "$db1" = "$db2" ] || { fail "registry tables changed"; return 1; }
  [ "$a1" = "$a2" ] || { fail "audit rows appended"; return 1; }
}

t_status_change_revokes_grants() {
  local ids n a0 revoked audited status
  load "$BASE" || { fail "load of base.json failed"; return 1; }
  # Two live grants of the resident, written directly as the owner.
  psql_owner -c "
    INSERT INTO grants (est_id, qid, service, granted_by, basis_employment_id, granted_at)
    SELECT e.est_id, e.qid, s.code, '27263410001', e.id, now()
    FROM employment e, (VALUES ('EXIT_PERMIT'), ('TRAVEL_NOTICE')) AS s(code)
    WHERE e.qid = '$DEAD_QID' AND e.est_id = '10000001' AND e.ended_on IS NULL
    ON CONFLICT (est_id, qid, service) WHERE revoked_at IS NULL DO NOTHING" >/dev/null ||
    { fail "cannot insert grants"; return 1; }
  ids=$(psql_owner -c "SELECT string_agg(id::text, ',' ORDER BY id) FROM grants
                       WHERE qid = '$DEAD_QID' AND revoked_at IS NULL")
  n=$(tr ',' '\n' <<<"$ids" | grep -c .)
  [ "$n" -ge 2 ] || { fail "want 2 live grants, have '$ids'"; return 1; }
  a0=$(audit_max)
  python3 - "$BASE" "$TMP/deceased.json" "$DEAD_QID" <<'EOF' || { fail "cannot write the fixture"; return 1; }
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
p = [p for p in d["persons"] if p["qid"] == sys.argv[3]][0]
p["status"] = "deceased"
json.dump({"format": d["format"], "persons": [p]}, open(sys.argv[2], "w", encoding="utf-8"),
          ensure_ascii=False)
EOF
  load "$TMP/deceased.json" || { fail "load of the status change failed"; return 1; }
  status=$(psql_owner -c "SELECT status FROM persons WHERE qid = '$DEAD_QID'")
  [ "$status" = deceased ] || { fail "status is '$status'"; return 1; }
  revoked=$(psql_owner -c "SELECT count(*) FROM grants WHERE id IN ($ids)
    AND revoked_at IS NOT NULL AND revoke_reason = 'deceased' AND revoked_by = 'fixture-loader'")
  [ "$revoked" = "$n" ] || { fail "$revoked of $n grants revoked as deceased"; return 1; }
  audited=$(psql_owner -c "SELECT count(*) FROM audit_log WHERE id > $a0
    AND action = 'grant.revoke' AND actor = 'fixture-loader'
    AND target IN (SELECT 'grant:' || id FROM grants WHERE id IN ($ids))")
  [ "$audited" = "$n" ] || { fail "$audited grant.revoke audit rows, want $n"; return 1; }
  audited=$(psql_owner -c "SELECT count(*) FROM audit_log WHERE id > $a0
    AND action = 'person.status' AND target = 'person:$DEAD_QID'")
  [ "$audited" = 1 ] || { fail "$audited person.status audit rows, want 1"; return 1; }
  # Again: nothing more happens.
  a0=$(audit_max)
  load "$TMP/deceased.json" || { fail "second load of the status change failed"; return 1; }
  audited=$(psql_owner -c "SELECT count(*) FROM audit_log WHERE id > $a0 AND action <> 'fixture.load'")
  [ "$audited" = 0 ] || { fail "second load audited $audited changes"; return 1; }
  # Back to base.json's data for whatever runs next.
  load "$BASE" || { fail "restoring base.json failed"; return 1; }
  status=$(psql_owner -c "SELECT status FROM persons WHERE qid = '$DEAD_QID'")
  [ "$status" = active ] || { fail "status not restored: '$status'"; return 1; }
}

# issue 16 §2: the feed's numbers are verified unless it says otherwise;
# a value that is not a boolean is refused, naming the field.
t_mobile_verified() {
  local v db1 db2
  load "$BASE" || { fail "load of base.json failed"; return 1; }
  python3 - "$BASE" "$TMP/unverified.json" "$DEAD_QID" <<'EOF' || { fail "cannot write the fixture"; return 1; }
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
p = [p for p in d["persons"] if p["qid"] == sys.argv[3]][0]
p["mobile_verified"] = False
json.dump({"format": d["format"], "persons": [p]}, open(sys.argv[2], "w", encoding="utf-8"),
          ensure_ascii=False)
p["mobile_verified"] = "yes"
json.dump({"format": d["format"], "persons": [p]}, open(sys.argv[2] + ".bad", "w", encoding="utf-8"),
          ensure_ascii=False)
EOF
  v=$(psql_owner -c "SELECT mobile_verified FROM persons WHERE qid = '$DEAD_QID'")
  [ "$v" = t ] || { fail "without the field the number is '$v', want verified"; return 1; }
  load "$TMP/unverified.json" || { fail "load with mobile_verified false failed"; return 1; }
  v=$(psql_owner -c "SELECT mobile_verified FROM persons WHERE qid = '$DEAD_QID'")
  [ "$v" = f ] || { fail "mobile_verified is '$v' after false"; return 1; }
  db1=$(db_dump) || { fail "dump failed"; return 1; }
  load "$TMP/unverified.json.bad"
  [ $? -eq 1 ] || { fail "a string for mobile_verified was not refused"; return 1; }
  grep -qF "fixture refused: persons[0].mobile_verified: " "$TMP/err" ||
    { fail "message does not name persons[0].mobile_verified"; return 1; }
  db2=$(db_dump) || { fail "dump failed"; return 1; }
  [ "$db1" = "$db2" ] || { fail "registry tables changed"; return 1; }
  load "$BASE" || { fail "restoring base.json failed"; return 1; }
  v=$(psql_owner -c "SELECT mobile_verified FROM persons WHERE qid = '$DEAD_QID'")
  [ "$v" = t ] || { fail "base.json did not make the number verified again: '$v'"; return 1; }
}

t_audit_verify_ok() {
  "$VERIFY" >"$TMP/out" 2>"$TMP/err" || { fail "exit $?: $(cat "$TMP/out")"; return 1; }
  grep -Eq '^audit chain ok: [0-9]+ rows$' "$TMP/out" || { fail "output: $(cat "$TMP/out")"; return 1; }
}

# tamper SQL: runs SQL on audit_log with its append-only trigger off, in one
# transaction, so the trigger is never left disabled.
tamper() {
  psql_owner -c "BEGIN" \
    -c "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only" \
    -c "$1" \
    -c "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only" \
    -c "COMMIT" >/dev/null
}

t_audit_verify_detects_tampering() {
  local id rc ok=0
  id=$(psql_owner -c "SELECT id FROM audit_log ORDER BY id
                      OFFSET (SELECT count(*) / 2 FROM audit_log) LIMIT 1")
  [ -n "$id" ] || { fail "no audit rows"; return 1; }
  tamper "UPDATE audit_log SET detail = detail || ' ' WHERE id = $id" ||
    { fail "cannot tamper with row $id"; return 1; }
  "$VERIFY" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  if [ "$rc" -ne 1 ]; then
    fail "exit $rc after tampering with row $id, want 1: $(cat "$TMP/out")"
  elif ! grep -q "^audit chain broken at row $id: " "$TMP/out"; then
    fail "output does not name row $id: $(cat "$TMP/out")"
  else
    ok=1
  fi
  tamper "UPDATE audit_log SET detail = left(detail, -1) WHERE id = $id" ||
    { fail "cannot restore row $id"; return 1; }
  [ "$ok" = 1 ] || return 1
  "$VERIFY" >"$TMP/out" 2>"$TMP/err" || { fail "chain not ok after restoring row $id: $(cat "$TMP/out")"; return 1; }
}

# --- runner --------------------------------------------------------------

tests=(
  t_reload_base_changes_nothing
  t_directory_accounts
  t_directory_password_restored
  t_bad_qid
  t_bad_iban_checksum
  t_bad_date
  t_bad_status
  t_bad_reference
  t_bad_citizen_with_permit
  t_bad_unknown_field
  t_bad_group
  t_bad_language

  t_bad_sector
  t_bad_license_number
  t_enrollment_fields
  t_directory_failure_rolls_back
  t_status_change_revokes_grants
  t_mobile_verified
  t_audit_verify_ok
  t_audit_verify_detects_tampering
)

failed=()
echo "[==========] Running ${#tests[@]} test(s)."
for t in "${tests[@]}"; do
  echo "[ RUN      ] $t"
  : >"$TMP/err"
  if "$t"; then
    echo "[       OK ] $t"
  else
    echo "[  FAILED  ] $t"
    failed+=("$t")
  fi
done
echo "[==========] ${#tests[@]} test(s) run."
echo "[  PASSED  ] $((${#tests[@]} - ${#failed[@]})) test(s)."
if [ ${#failed[@]} -gt 0 ]; then
  echo "[  FAILED  ] ${#failed[@]} test(s), listed below:"
  printf '[  FAILED  ] %s\n' "${failed[@]}"
  exit 1
fi
exit 0
