#!/usr/bin/python3
"""Checks a statement workbook (.xlsx) against the statement it was made from.

    workbook_check.py WORKBOOK EXPECTED.json [--same OTHER.xlsx]

EXPECTED.json is written by tests/unit/workbook.c from the struct statement:
kind, language, header values and lines. Checked with openpyxl (Debian's
python3-openpyxl, hence /usr/bin/python3): one sheet, its direction, no
formula anywhere, text that a spreadsheet could take for one exactly as it
is in the Text number format "@" (so that editing keeps it text), the
header block, the frozen header row, the auto-filter, and every table row
(text, numbers in QAR with the money format, real dates with a date
format), the totals row under them, the hidden code columns, and the
A4 page setup (orientation, fit to width, the header row repeated, the
page header and footer). --same OTHER.xlsx: OTHER must hold the same
cells.

Exits 0 when everything matches, 1 with a message on the first mismatch.
"""

import datetime
import json
import re
import sys

import openpyxl
from openpyxl.utils import get_column_letter

# What a spreadsheet (or a CSV export of it) could read as a formula.
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

# The flags of an alert, in the order of their columns.
FLAGS = ["EXCLUDED", "PASSPORT", "FINES", "OVER_CAP", "NOT_ACTIVE", "ABROAD"]

COLUMNS = {
    "alert": 11 + len(FLAGS),
    "execution": 13,
    "debit_report": 5,
}
# Columns for programs, hidden (1-based): the alert's flags repeat its
# obstacle column, the execution's codes its result and reason columns.
HIDDEN = {
    "alert": set(range(12, 12 + len(FLAGS))),
    "execution": {12, 13},
    "debit_report": set(),
}
# The money columns the totals row sums, each with the lines' field.
TOTALS = {
    "alert": {10: "expected_fee_dirhams", 11: "expected_late_fine_dirhams"},
    "execution": {7: "fee_dirhams", 8: "late_fine_dirhams"},
    "debit_report": {4: "fee_dirhams"},
}
LANDSCAPE = {"alert": True, "execution": True, "debit_report": False}


class Mismatch(Exception):
    pass


def fail(msg):
    raise Mismatch(msg)


def unescape(s):
    """Excel's _xHHHH_ escapes of control characters, as Excel reads them."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)


def quoted(text):
    """What write_text() stores for text: None for nothing, else the text as it is
    (text a spreadsheet could take for a formula in a Text "@" format, check_text)."""
    if text is None or text == "":
        return None
    return text


def has_arabic(s):
    return any("\u0600" <= ch <= "\u06ff" for ch in s)


def where(cell):
    return "%s (row %d, column %d)" % (cell.coordinate, cell.row, cell.column)


def cell_text(cell):
    if cell.value is None:
        return None
    if cell.data_type != "s" or not isinstance(cell.value, str):
        fail("%s: expected text, got %r (type %s)" % (where(cell), cell.value, cell.data_type))
    return unescape(cell.value)


def check_text(cell, want, what):
    got = cell_text(cell)
    if got != want:
        fail("%s %s: expected %r, got %r" % (where(cell), what, want, got))
    if want is not None and want.startswith(DANGEROUS) and cell.number_format != "@":
        fail("%s %s: %r without the text format '@' (got %r)" % (where(cell), what, want, cell.number_format))


def check_code(cell, want, what):
    check_text(cell, want, what)
    if want is not None and cell.number_format != "@":
        fail("%s %s: expected the text format '@', got %r" % (where(cell), what, cell.number_format))


def check_money(cell, dirhams, lang, what):
    v = cell.value
    if cell.data_type != "n" or isinstance(v, bool) or not isinstance(v, (int, float)):
        fail("%s %s: expected a number, got %r (type %s)" % (where(cell), what, v, cell.data_type))
    if v != dirhams / 100.0 or round(v * 100) != dirhams:
        fail("%s %s: expected %.2f QAR, got %r" % (where(cell), what, dirhams / 100.0, v))
    fmt = cell.number_format
    currency = "ر.ق" if lang == "ar" else "QAR"
    if currency not in fmt or "#,##0.00" not in fmt:
        fail("%s %s: expected a %s money format, got %r" % (where(cell), what, currency, fmt))


def check_int(cell, n, what):
    v = cell.value
    if cell.data_type != "n" or isinstance(v, bool) or v != n:
        fail("%s %s: expected the number %d, got %r (type %s)" % (where(cell), what, n, v, cell.data_type))


def check_date(cell, iso, what):
    v = cell.value
    if iso is None:
        if v is not None:
            fail("%s %s: expected an empty cell, got %r" % (where(cell), what, v))
        return
    want = datetime.date.fromisoformat(iso)
    if isinstance(v, datetime.datetime):
        if v.time() != datetime.time(0, 0):
            fail("%s %s: expected a date without time, got %r" % (where(cell), what, v))
        v = v.date()
    if not isinstance(v, datetime.date) or not cell.is_date:
        fail("%s %s: expected the date %s, got %r (type %s)" % (where(cell), what, iso, v, cell.data_type))
    if v != want:
        fail("%s %s: expected %s, got %s" % (where(cell), what, iso, v.isoformat()))
    fmt = cell.number_format.lower()
    if not ("yy" in fmt and "m" in fmt and "d" in fmt):
        fail("%s %s: expected a date format, got %r" % (where(cell), what, cell.number_format))


def check_every_cell(ws):
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                fail("%s: a formula: %r" % (where(cell), cell.value))
            if isinstance(cell.value, str):
                if cell.data_type != "s":
                    fail("%s: text %r stored as type %s" % (where(cell), cell.value, cell.data_type))
                if unescape(cell.value).startswith(DANGEROUS) and cell.number_format != "@":
                    fail("%s: text a spreadsheet could take for a formula, not in the text format '@': %r (%r)"
                         % (where(cell), cell.value, cell.number_format))


def check_header_block(ws, exp, head_row):
    """Values in column B above the table: order-free, each must be found."""
    lang = exp["language"]
    cells = [ws.cell(row=r, column=2) for r in range(1, head_row)]
    labels = [ws.cell(row=r, column=1).value for r in range(1, head_row)]
    for r, label in enumerate(labels, start=1):
        if not isinstance(label, str) or label == "":
            if ws.cell(row=r, column=2).value is not None:
                fail("A%d: a header value without a label" % r)
        elif lang == "ar" and not has_arabic(label):
            fail("A%d: label %r is not Arabic in an Arabic statement" % (r, label))
        elif lang != "ar" and has_arabic(label):
            fail("A%d: label %r is Arabic in an English statement" % (r, label))

    def find(pred, what):
        for c in cells:
            if c.value is not None and pred(c):
                return c
        fail("header block: no %s in B1:B%d" % (what, head_row - 1))

    find(lambda c: cell_text(c) == exp["kind_text"], "kind of statement %r" % exp["kind_text"])
    find(lambda c: cell_text(c) == quoted(exp["company"]), "company %r" % exp["company"])
    c = find(lambda c: c.data_type == "s" and c.value == exp["est_id"], "establishment %r" % exp["est_id"])
    check_code(c, exp["est_id"], "establishment")
    c = find(lambda c: c.data_type == "s" and c.value == exp["verification_code"],
             "verification code %r" % exp["verification_code"])
    check_code(c, exp["verification_code"], "verification code")
    dates = [exp["cycle_date"]] + ([exp["execution_date"]] if exp["kind"] == "alert" else [])
    for iso in dates:
        c = find(lambda c: c.is_date and isinstance(c.value, datetime.datetime)
                 and c.value.date().isoformat() == iso, "date %s" % iso)
        check_date(c, iso, "header date")
    for key in ("total_dirhams", "cap_dirhams"):
        c = find(lambda c: c.data_type == "n" and not c.is_date and "0.00" in c.number_format
                 and round(c.value * 100) == exp[key], "%s %d" % (key, exp[key]))
        check_money(c, exp[key], lang, key)
    # The lines by result: each count next to its localized result; an
    # alert also counts those that will and will not be renewed, so that
    # the counts agree with the total expected.
    counts = {}
    for line in exp["lines"]:
        counts[line["result_text"]] = counts.get(line["result_text"], 0) + 1
    if exp["kind"] == "alert":
        will = sum(1 for line in exp["lines"] if line["will_renew"])
        counts[exp["will_renew_text"]] = will
        counts[exp["blocked_text"]] = len(exp["lines"]) - will
    for text, n in counts.items():
        for r, label in enumerate(labels, start=1):
            if label == text:
                check_int(ws.cell(row=r, column=2), n, "count of %r" % text)
                break
        else:
            fail("header block: no count for result %r" % text)
    find(lambda c: c.data_type == "n" and not c.is_date and c.value == len(exp["lines"])
         and c.number_format == "0", "count of lines %d" % len(exp["lines"]))


def check_line(ws, r, exp, line):
    lang = exp["language"]
    kind = exp["kind"]
    cell = lambda c: ws.cell(row=r, column=c)
    check_code(cell(1), line["qid"], "QID")
    check_text(cell(2), quoted(line["name"]), "name")
    if kind == "alert":
        check_date(cell(3), line["old_expiry"], "expiry")
        check_int(cell(4), line["days_left"], "days left")
        check_text(cell(5), line["outlook_text"], "as things stand")
        check_text(cell(6), quoted(line["reason_text"]), "obstacle")
        if line["blocker_amount_dirhams"] is None:
            if cell(7).value is not None:
                fail("%s: an amount for a blocker without one" % where(cell(7)))
        else:
            check_money(cell(7), line["blocker_amount_dirhams"], lang, "blocker amount")
        check_text(cell(8), quoted(line["remedy_text"]), "remedy")
        check_date(cell(9), line["remedy_before"], "remedy before")
        check_money(cell(10), line["expected_fee_dirhams"], lang, "expected fee")
        check_money(cell(11), line["expected_late_fine_dirhams"], lang, "expected late fine")
        for i, flag in enumerate(FLAGS):
            want = exp["yes"] if flag in line["flags"] else None
            check_text(cell(12 + i), want, "flag " + flag)
    elif kind == "execution":
        check_text(cell(3), quoted(line["result_text"]), "result")
        check_text(cell(4), quoted(line["reason_text"]), "reason")
        check_date(cell(5), line["old_expiry"], "old expiry")
        check_date(cell(6), line["new_expiry"], "new expiry")
        check_money(cell(7), line["fee_dirhams"], lang, "fee")
        check_money(cell(8), line["late_fine_dirhams"], lang, "late fine")
        check_code(cell(9), quoted(line["debit_ref"]), "debit reference")
        check_date(cell(10), line["delivery_from"], "delivery from")
        check_date(cell(11), line["delivery_to"], "delivery to")
        check_code(cell(12), line["result"], "result code")
        check_code(cell(13), line["reason"], "reason code")
    else:
        check_code(cell(3), quoted(line["iban"]), "IBAN")
        check_money(cell(4), line["fee_dirhams"], lang, "amount")
        check_code(cell(5), quoted(line["debit_ref"]), "debit reference")
    for text in (line["reason_text"], line["result_text"]):
        if text and (lang == "ar") != has_arabic(text):
            fail("row %d: %r is not in the statement's language %s" % (r, text, lang))


def check(path, exp):
    wb = openpyxl.load_workbook(path)
    if len(wb.worksheets) != 1:
        fail("expected one sheet, found %d" % len(wb.worksheets))
    ws = wb.worksheets[0]
    lang = exp["language"]
    rtl = bool(ws.sheet_view.rightToLeft)
    if rtl != (lang == "ar"):
        fail("sheet rightToLeft is %r for language %s" % (ws.sheet_view.rightToLeft, lang))
    check_every_cell(ws)

    # The frozen pane is just below the header row, at column A.
    m = re.fullmatch(r"A(\d+)", ws.freeze_panes or "")
    if not m:
        fail("no frozen pane below a header row (freeze_panes %r)" % ws.freeze_panes)
    head = int(m.group(1)) - 1
    if head < 2:
        fail("frozen pane %r leaves no room for the header block" % ws.freeze_panes)
    ncol = COLUMNS[exp["kind"]]
    n = len(exp["lines"])
    want_ref = "A%d:%s%d" % (head, get_column_letter(ncol), head + n)
    if ws.auto_filter.ref != want_ref:
        fail("auto-filter %r, expected %r" % (ws.auto_filter.ref, want_ref))
    for c in range(1, ncol + 1):
        h = ws.cell(row=head, column=c).value
        if not isinstance(h, str) or h == "":
            fail("header row %d: column %d has no header" % (head, c))
        if (lang == "ar") != has_arabic(h):
            fail("header %r is not in the statement's language %s" % (h, lang))
        if ws.column_dimensions[get_column_letter(c)].width in (None, 0):
            fail("column %s has no width" % get_column_letter(c))
    if ws.cell(row=head, column=ncol + 1).value is not None:
        fail("header row %d: more than %d columns" % (head, ncol))

    check_header_block(ws, exp, head)
    for i, line in enumerate(exp["lines"]):
        check_line(ws, head + 1 + i, exp, line)
    # The fee column (expected fee in an alert) adds up to the total of the
    # header block: what was debited, or what will be.
    fee_col = {"alert": 10, "execution": 7, "debit_report": 4}[exp["kind"]]
    col_sum = sum(round(ws.cell(row=head + 1 + i, column=fee_col).value * 100) for i in range(n))
    if col_sum != exp["total_dirhams"]:
        fail("column %s adds up to %d dirhams, the total says %d"
             % (get_column_letter(fee_col), col_sum, exp["total_dirhams"]))
    check_totals_row(ws, exp, head + n + 1, ncol)
    for c in range(1, ncol + 2):
        if ws.cell(row=head + n + 2, column=c).value is not None:
            fail("row %d: a cell below the totals row" % (head + n + 2))
    check_columns_shown(ws, exp["kind"], ncol)
    check_header_row_height(ws, head, ncol)
    check_page_setup(ws, exp, head)


def check_totals_row(ws, exp, r, ncol):
    """The totals row: its label, then each money column's sum, nothing else."""
    lang = exp["language"]
    check_text(ws.cell(row=r, column=1), exp["total_text"], "totals row label")
    sums = TOTALS[exp["kind"]]
    for c in range(2, ncol + 2):
        cell = ws.cell(row=r, column=c)
        if c in sums:
            want = sum(line[sums[c]] for line in exp["lines"])
            check_money(cell, want, lang, "total of " + sums[c])
            if not cell.font.b:
                fail("%s: the total is not bold" % where(cell))
        elif cell.value is not None:
            fail("%s: %r in the totals row" % (where(cell), cell.value))


def check_columns_shown(ws, kind, ncol):
    for c in range(1, ncol + 1):
        hidden = bool(ws.column_dimensions[get_column_letter(c)].hidden)
        if hidden != (c in HIDDEN[kind]):
            fail("column %s: hidden is %r" % (get_column_letter(c), hidden))


def check_header_row_height(ws, head, ncol):
    """Tall enough for each title wrapped in its column: at least a line
    per column width of characters (the writer wraps at spaces, so more)."""
    height = ws.row_dimensions[head].height
    if height is None:
        fail("header row %d: no height of its own" % head)
    for c in range(1, ncol + 1):
        title = ws.cell(row=head, column=c).value
        width = ws.column_dimensions[get_column_letter(c)].width
        lines = -(-len(title) // max(1, int(width) - 1))
        if height < 15 * lines:
            fail("header row %d: %s %r needs %d lines, the row is %.1f points"
                 % (head, get_column_letter(c), title, lines, height))


def header_text(part):
    """A page header part's text as printed ('&&' is one '&')."""
    t = part.text or ""
    return t.replace("&&", "&")


def check_page_setup(ws, exp, head):
    ps = ws.page_setup
    want = "landscape" if LANDSCAPE[exp["kind"]] else "portrait"
    if (ps.orientation or "portrait") != want:
        fail("orientation %r, expected %s" % (ps.orientation, want))
    if str(ps.paperSize) != "9":
        fail("paper size %r, expected A4 (9)" % ps.paperSize)
    if not ws.sheet_properties.pageSetUpPr.fitToPage or ps.fitToWidth not in (1, None) \
            or ps.fitToHeight != 0:
        fail("not fit to one page wide: fitToPage %r width %r height %r"
             % (ws.sheet_properties.pageSetUpPr.fitToPage, ps.fitToWidth, ps.fitToHeight))
    if (ws.print_title_rows or "").replace("$", "") != "%d:%d" % (head, head):
        fail("repeated rows %r, expected the header row %d" % (ws.print_title_rows, head))
    hdr, ftr = ws.oddHeader, ws.oddFooter
    company = exp["company"]
    if not company.startswith(header_text(hdr.left)) or len(header_text(hdr.left)) == 0:
        fail("page header left %r: not the company %r" % (hdr.left.text, company))
    if header_text(hdr.center) != exp["kind_text"]:
        fail("page header centre %r, expected %r" % (hdr.center.text, exp["kind_text"]))
    right = header_text(hdr.right)
    if exp["cycle_date_text"] not in right or exp["cycle_date"] not in right:
        fail("page header right %r: no cycle date %s" % (hdr.right.text, exp["cycle_date"]))
    left = header_text(ftr.left)
    if exp["verification_code_text"] not in left or exp["verification_code"] not in left:
        fail("footer left %r: no verification code" % ftr.left.text)
    right = ftr.right.text or ""
    if "&P" not in right or "&N" not in right or right.index("&P") > right.index("&N"):
        fail("footer right %r: not the page and the number of pages" % right)


def cells(path):
    """The sheet's cells that hold something, freshly read from path."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    return {c.coordinate: (c.value, c.data_type, c.number_format)
            for row in ws.iter_rows() for c in row if c.value is not None}


def main(argv):
    if len(argv) not in (3, 5) or (len(argv) == 5 and argv[3] != "--same"):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    path = argv[1]
    try:
        with open(argv[2], encoding="utf-8") as f:
            exp = json.load(f)
        check(path, exp)
        if len(argv) == 5:
            mine, other = cells(path), cells(argv[4])
            for coord in sorted(set(mine) | set(other)):
                if mine.get(coord) != other.get(coord):
                    fail("%s holds %r at %s, not %r" % (argv[4], other.get(coord), coord,
                                                       mine.get(coord)))
    except Mismatch as e:
        print("workbook_check: %s: %s" % (path, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
