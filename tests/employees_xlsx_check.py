#!/usr/bin/python3
"""Reads the employees workbook back and prints what it holds as JSON.

    employees_xlsx_check.py WORKBOOK [PO EST_ID DATE EXECUTION_DATE]

For tests/integration/company_pages.c, which compares it with the
employees list of the API. Independent of the writer: openpyxl (Debian's
python3-openpyxl, hence /usr/bin/python3). Printed on stdout:

    {"title", "rtl", "columns": [...], "rows": [[...]], "frozen",
     "print_titles", "landscape", "fit_width", "formulas": [...],
     "unquoted": [...]}

The title is cell A1, the header row 2, the data rows from 3; dates come as
"YYYY-MM-DD", numbers as numbers, empty cells as null. formulas lists the
cells holding a formula; unquoted every text cell a spreadsheet could take
for one (first character =, +, -, @, tab, CR) that is not in the Text
number format "@" (the workbooks' defence, reports/workbook.c: the text is
kept as it is, and editing the cell keeps it text).

With PO (a language's po/<lang>.po) and the title's values, "problems"
lists where the sheet is not in that catalogue's words: every text expected
is the catalogue's msgstr, never written here (the sheet name, the title
with its placeholders filled, the column headers, the statuses, the
direction), and (but in English) most headers must not read as English's.
"""
import datetime
import json
import os
import sys

import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from catalogs_check import read_po  # noqa: E402


def value(v):
    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v


COLS = ("qid", "name", "status", "permit_expiry", "passport_expiry", "fines", "excluded",
        "in_scope", "next_result", "reason")
STATUSES = ("active", "sponsorship_transferred", "residency_cancelled", "deceased")


def in_language(ws, po_path, est_id, date, execution):
    po = read_po(po_path)
    en = read_po(os.path.join(os.path.dirname(po_path), "en.po"))
    k = "report.employees."
    problems = []
    if ws.title != po[k + "sheet_name"][:31]:
        problems.append("sheet name %r, catalogue %r" % (ws.title, po[k + "sheet_name"]))
    title = (po[k + "title"].replace("{est_id}", est_id).replace("{date}", date)
             .replace("{execution_date}", execution))
    if ws["A1"].value != title:
        problems.append("title %r, catalogue %r" % (ws["A1"].value, title))
    if bool(ws.sheet_view.rightToLeft) != (po["report.direction"] == "rtl"):
        problems.append("rightToLeft=%s, catalogue direction %s"
                        % (ws.sheet_view.rightToLeft, po["report.direction"]))
    heads = [c.value for c in ws[2]]
    want = [po[k + "col." + c] for c in COLS] + ["result_code", "reason_code"]
    if heads != want:
        problems.append("headers %r, catalogue %r" % (heads, want))
    if os.path.basename(po_path) != "en.po" and sum(1 for c in COLS if po[k + "col." + c] != en[k + "col." + c]) * 2 < len(COLS):
        problems.append("most headers read as in English: %r" % heads)
    statuses = {po[k + "status." + s] for s in STATUSES}
    for r in ws.iter_rows(min_row=3):
        if r[2].value not in statuses:
            problems.append("%s: status %r is not a catalogue status" % (r[2].coordinate,
                                                                       r[2].value))
        if r[6].value is not None and r[6].value != po["report.yes"]:
            problems.append("%s: %r is not report.yes" % (r[6].coordinate, r[6].value))
    return problems


def main():
    if len(sys.argv) not in (2, 6):
        sys.exit("usage: employees_xlsx_check.py WORKBOOK [PO EST_ID DATE EXECUTION_DATE]")
    try:
        wb = openpyxl.load_workbook(sys.argv[1])
    except Exception as e:  # noqa: BLE001 - any failure is "not a workbook"
        sys.exit(f"{sys.argv[1]}: {e}")
    ws = wb.worksheets[0]
    formulas, unquoted = [], []
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f":
                formulas.append(c.coordinate)
            elif (isinstance(c.value, str) and c.value[:1] in ("=", "+", "-", "@", "\t", "\r")
                  and c.number_format != "@"):
                unquoted.append(c.coordinate)
    rows = [[value(c.value) for c in r] for r in ws.iter_rows(min_row=3)]
    out = {
        "title": ws["A1"].value,
        "rtl": bool(ws.sheet_view.rightToLeft),
        "columns": [c.value for c in ws[2]],
        "rows": rows,
        "frozen": ws.freeze_panes,
        "print_titles": ws.print_title_rows,
        "landscape": ws.page_setup.orientation == "landscape",
        # Fit to pages (sheetPr): 1 page wide when fitToWidth is left at its default.
        "fit_width": (ws.page_setup.fitToWidth or 1)
        if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
        else None,
        "formulas": formulas,
        "unquoted": unquoted,
    }
    if len(sys.argv) == 6:
        out["problems"] = in_language(ws, *sys.argv[2:])
    json.dump(out, sys.stdout, ensure_ascii=False)


main()
