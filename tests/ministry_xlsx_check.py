#!/usr/bin/python3
"""Reads a ministry report workbook back and prints what it holds as JSON.

    ministry_xlsx_check.py WORKBOOK

For tests/integration/statements_ministry.c, which compares the figures
with the database. Independent of the writer: openpyxl (Debian's
python3-openpyxl, hence /usr/bin/python3) reads each sheet as a header
block (labels in column A, values in column B, down to the first empty
row), then a table: its header row, its data rows, and the row whose first
cell is "Total" ("الإجمالي" in Arabic). Printed on stdout:

    {"sheets": [{"name", "rtl", "header": {label: value},
                 "columns": [...], "rows": [{column: value}], "total": {column: value},
                 "frozen": "A12", "auto_filter": "A11:I14",
                 "widths": {column: width}, "head_height": points,
                 "print": {"orientation", "paper", "fit_to_page", "fit_width",
                           "fit_height", "title_rows", "header": [l, c, r],
                           "footer": [l, c, r]},
                 "money_formats": [...], "money_not_number": [...]}],
     "formulas": [...], "unquoted": [...]}

Dates come as "YYYY-MM-DD", numbers as numbers. money_formats are the
distinct number formats of the cells of the "(QAR)" ("(ر.ق)") columns and
of the money figures of the header block; money_not_number lists the cells of
those columns that are not numbers. formulas lists every cell holding a
formula (or text starting with = that is not a string in the Text format
"@"); unquoted every text cell a spreadsheet could take for a formula
(first character =, +, -, @, tab, CR) that is not in the Text format "@".
Exits 1 with a message on stderr when the file is not such a workbook.
"""
import datetime
import json
import sys

import openpyxl
from openpyxl.utils import get_column_letter

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
# The header block's figures that are amounts of money, and the first cell
# of the totals row, in English and Arabic.
MONEY_FIGURES = ("Total debited", "Grand total", "إجمالي المبالغ المخصومة", "الإجمالي العام")
TOTAL = ("Total", "الإجمالي")
MONEY_COLUMN = ("(QAR)", "(ر.ق)")


def plain(v):
    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v


def empty(row):
    return all(c.value is None or c.value == "" for c in row)


def read_sheet(ws):
    rows = list(ws.iter_rows())
    out = {"name": ws.title, "rtl": bool(ws.sheet_view.rightToLeft), "header": {},
           "columns": [], "rows": [], "total": None, "frozen": ws.freeze_panes,
           "auto_filter": ws.auto_filter.ref, "widths": {}, "money_formats": [],
           "money_not_number": [], "head_height": None,
           "print": {"orientation": ws.page_setup.orientation or "portrait",
                     "paper": str(ws.page_setup.paperSize),
                     "fit_to_page": bool(ws.sheet_properties.pageSetUpPr.fitToPage),
                     "fit_width": ws.page_setup.fitToWidth,
                     "fit_height": ws.page_setup.fitToHeight,
                     "title_rows": (ws.print_title_rows or "").replace("$", ""),
                     "header": [(p.text or "").replace("&&", "&") for p in
                                (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right)],
                     "footer": [(p.text or "").replace("&&", "&") for p in
                                (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right)]}}
    formats = set()
    i = 0
    while i < len(rows) and not empty(rows[i]):
        label, value = rows[i][0].value, rows[i][1] if len(rows[i]) > 1 else None
        out["header"][label] = plain(value.value) if value is not None else None
        if label in MONEY_FIGURES and value is not None:
            formats.add(value.number_format)
            if not isinstance(value.value, (int, float)):
                out["money_not_number"].append(value.coordinate)
        i += 1
    while i < len(rows) and empty(rows[i]):
        i += 1
    if i == len(rows):
        raise ValueError("sheet %s: no table" % ws.title)
    columns = [c.value for c in rows[i] if c.value is not None]
    out["columns"] = columns
    out["head_row"] = i + 1
    out["head_height"] = ws.row_dimensions[i + 1].height
    for k, name in enumerate(columns):
        dim = ws.column_dimensions.get(get_column_letter(k + 1))
        out["widths"][name] = dim.width if dim is not None else None
    for row in rows[i + 1:]:
        if empty(row):
            continue
        cells = {name: row[k] for k, name in enumerate(columns) if k < len(row)}
        values = {name: plain(c.value) for name, c in cells.items()}
        for name, c in cells.items():
            if name.endswith(MONEY_COLUMN) and c.value is not None:
                formats.add(c.number_format)
                if isinstance(c.value, bool) or not isinstance(c.value, (int, float)):
                    out["money_not_number"].append(c.coordinate)
        if row[0].value in TOTAL:
            if out["total"] is not None:
                raise ValueError("sheet %s: two totals rows" % ws.title)
            out["total"] = values
        elif out["total"] is not None:
            raise ValueError("sheet %s: a row below the totals: %s" % (ws.title, row[0].coordinate))
        else:
            out["rows"].append(values)
    out["money_formats"] = sorted(formats)
    return out


def main(path):
    wb = openpyxl.load_workbook(path)
    report = {"sheets": [], "formulas": [], "unquoted": []}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                where = "%s!%s" % (ws.title, c.coordinate)
                if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=")
                                          and (c.data_type != "s" or c.number_format != "@")):
                    report["formulas"].append(where)
                if isinstance(c.value, str) and c.value.startswith(DANGEROUS) and c.number_format != "@":
                    report["unquoted"].append(where)
        report["sheets"].append(read_sheet(ws))
    json.dump(report, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except (ValueError, KeyError, IndexError, OSError) as e:
        print("ministry_xlsx_check: %s" % e, file=sys.stderr)
        sys.exit(1)
