#!/usr/bin/env bash
# Issue 12 §3: every workbook prints well on A4. The writers' own workbooks
# (build/.../tests/unit_workbook --print-dir: 60-line statements of each
# kind and the two ministry reports with 60 companies, in Arabic and
# English) are printed to PDF by LibreOffice headless (Debian's
# libreoffice-calc-nogui), all in one soffice call, in a profile of this
# run's own. Each PDF is checked with poppler-utils: its page count and
# orientation (60 lines are a few readable pages, not one tiny page nor
# twenty narrow ones), and on every page the table's column header (the
# QID header of a statement, in its language; a wrapped title by its
# first word), the page header (company,
# kind) and the footer (the verification code, "Page i of N").
# Needs no stack: tests/run.sh runs it like the others; by hand:
#   RB_BIN=build/t bash tests/print_test.sh
# Prints cmocka-like lines ([ RUN ], [ OK ], [ PASSED ] N test(s).).
# shellcheck disable=SC2317
set -uo pipefail

RB_ROOT=${RB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)}
RB_BIN=${RB_BIN:-$RB_ROOT/build}
export RB_BIN

TMP=$(mktemp -d /tmp/rb-print-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# The page's text, bidirectional controls removed (pdftotext keeps them).
page_text() {
  pdftotext -f "$2" -l "$2" -layout "$1" - 2>/dev/null |
    perl -CSD -pe 's/[\x{200E}\x{200F}\x{061C}\x{202A}-\x{202E}\x{2066}-\x{2069}]//g'
}

pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'; }

# "landscape" or "portrait", from the first page's size.
orientation() {
  pdfinfo "$1" 2>/dev/null | awk '/^Page size:/ {print ($3 > $5) ? "landscape" : "portrait"}'
}

err() { echo "  $*"; return 1; }

# check NAME PAGES ORIENTATION HEADER...: the PDF of NAME.xlsx has PAGES
# pages in ORIENTATION; each page holds every HEADER text (a|b: either).
check() {
  local name=$1 want=$2 orient=$3 pdf=$TMP/pdf/$1.pdf n i h text
  shift 3
  [ -s "$pdf" ] || err "$name: no PDF (soffice failed?)" || return 1
  n=$(pages "$pdf")
  [ "$n" = "$want" ] || err "$name: $n pages, expected $want" || return 1
  [ "$(orientation "$pdf")" = "$orient" ] ||
    err "$name: $(orientation "$pdf"), expected $orient" || return 1
  pdfinfo "$pdf" | grep -q '(A4)' || err "$name: not A4" || return 1
  for i in $(seq 1 "$n"); do
    text=$(page_text "$pdf" "$i")
    for h in "$@"; do
      h=${h//@P/$i}
      h=${h//@N/$n}
      if [[ $h == *'|'* ]]; then
        grep -qF -e "${h%%|*}" -e "${h#*|}" <<<"$text" ||
          err "$name page $i/$n: neither ${h%%|*} nor ${h#*|}" || return 1
      else
        grep -qF -e "$h" <<<"$text" || err "$name page $i/$n: no \"$h\"" || return 1
      fi
    done
  done
}

CODE=RBV-7K3Q-X9MD-2PLA
CO_EN="Al Noor Trading & Contracting"
CO_AR="شركة النور للتجارة"

t_alert_en() {
  check alert-en 2 landscape QID "$CO_EN" "Renewal alert" "Cycle date 2025-03-01" \
    "Verification code: $CODE" "Page @P of @N"
}
t_alert_ar() {
  check alert-ar 2 landscape "الرقم الشخصي" "$CO_AR" "تنبيه التجديد" "تاريخ الدورة" \
    "$CODE" "رمز التحقق" "صفحة"
}
t_execution_en() {
  check execution-en 2 landscape QID "$CO_EN" "Renewal execution statement" \
    "Cycle date 2025-03-08" "Verification code: $CODE" "Page @P of @N"
}
t_execution_ar() {
  check execution-ar 2 landscape "الرقم الشخصي" "$CO_AR" "كشف تنفيذ التجديد" "$CODE" "صفحة"
}
# Five columns fit a portrait page: more lines per page than landscape.
t_debit_report_en() {
  check debit_report-en 2 portrait QID "$CO_EN" "Debit report" "Verification code: $CODE" \
    "Page @P of @N"
}
t_debit_report_ar() {
  check debit_report-ar 2 portrait "الرقم الشخصي" "$CO_AR" "تقرير الخصم" "$CODE" "صفحة"
}
t_ministry_summary_en() {
  check ministry_summary-en 2 landscape "Establishment" \
    "Execution summary, all companies" "Cycle date 2025-03-08" "Page @P of @N"
}
t_ministry_summary_ar() {
  check ministry_summary-ar 2 landscape "رقم المنشأة" "ملخص التنفيذ لجميع الشركات" "صفحة"
}
# Two pages of companies, then the banks' sheet (by name as well as code).
t_ministry_debits_en() {
  check ministry_debits-en 3 landscape "Establishment|Bank code" \
    "Debit report, all companies" "Page @P of @N" || return 1
  page_text "$TMP/pdf/ministry_debits-en.pdf" 3 | grep -q "Qatar National Bank" ||
    err "ministry_debits-en: no bank name on the banks' page"
}
t_ministry_debits_ar() {
  check ministry_debits-ar 3 landscape "رقم المنشأة|رمز البنك" "تقرير الخصم لجميع الشركات" \
    "صفحة" || return 1
  page_text "$TMP/pdf/ministry_debits-ar.pdf" 3 | grep -q "بنك قطر الوطني" ||
    err "ministry_debits-ar: no bank name on the banks' page"
}

# The reviewers' workbook of the penalties issued in a period (issue 15 §2):
# 60 penalties, the period in the page header, the header row on each page.
t_penalties_en() {
  check penalties-en 1 landscape "Penalty no." "Penalties issued in a period" \
    "2026-01-01 – 2026-12-31" "Page @P of @N"
}
t_penalties_ar() {
  check penalties-ar 2 landscape "رقم المخالفة" "المخالفات الصادرة" \
    "2026-01-01 – 2026-12-31" "صفحة"
}

tests=(t_alert_en t_alert_ar t_execution_en t_execution_ar t_debit_report_en
  t_debit_report_ar t_ministry_summary_en t_ministry_summary_ar t_ministry_debits_en
  t_ministry_debits_ar t_penalties_en t_penalties_ar)

mkdir -p "$TMP/xlsx" "$TMP/pdf" "$TMP/home"
if ! "$RB_BIN/tests/unit_workbook" --print-dir "$TMP/xlsx" >"$TMP/write.log" 2>&1; then
  cat "$TMP/write.log"
  echo "[  FAILED  ] 1 test(s), listed below:"
  echo "[  FAILED  ] writing the workbooks"
  exit 1
fi
if ! "$RB_BIN/tests/unit_workbook_penalties" --print-dir "$TMP/xlsx" >>"$TMP/write.log" 2>&1; then
  cat "$TMP/write.log"
  echo "[  FAILED  ] 1 test(s), listed below:"
  echo "[  FAILED  ] writing the penalties workbooks"
  exit 1
fi
# One soffice for every file: it takes seconds to start. A profile of its
# own, so that runs side by side do not share one.
HOME=$TMP/home timeout 120 soffice "-env:UserInstallation=file://$TMP/home/lo" --headless \
  --convert-to pdf --outdir "$TMP/pdf" "$TMP"/xlsx/*.xlsx >"$TMP/soffice.log" 2>&1 ||
  { echo "soffice failed:"; cat "$TMP/soffice.log"; }

failed=()
for t in "${tests[@]}"; do
  echo "[ RUN      ] $t"
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
