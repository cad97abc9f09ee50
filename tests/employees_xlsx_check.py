#!/usr/bin/python3
"""Reads the employees workbook back and prints what it holds as JSON.

    employees_xlsx_check.py WORKBOOK

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
"""
import datetime
import json
import sys

import openpyxl


def value(v):
    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: employees_xlsx_check.py WORKBOOK")
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
    json.dump(out, sys.stdout, ensure_ascii=False)


main()
