#!/usr/bin/python3
"""Reads a stored statement workbook back and checks it against the API.

    statement_xlsx_check.py WORKBOOK STATEMENT.json

STATEMENT.json is GET /api/v1/statements/{id}. Independent of the writer:
openpyxl finds the table rows by their QID cells and checks, line by line,
the QIDs in order, the fee as a QAR number with a money format, the old
expiry as a real date, the reason code; a column holding every line's fee
(what was debited; an alert's expected fee) that adds up to the total, so
that a fee on a line not renewed is caught; an alert line's blocker amount
and the date to act before; then the sheet's direction for the statement's
language, that no cell anywhere is a formula, and that text a spreadsheet
could take for one is a string in the Text format "@".
"""
import datetime
import json
import re
import sys

import openpyxl


def main(wb_path, json_path):
    st = json.load(open(json_path, encoding="utf-8"))
    wb = openpyxl.load_workbook(wb_path)
    if len(wb.worksheets) != 1:
        return "expected one sheet, found %d" % len(wb.worksheets)
    ws = wb.worksheets[0]
    rtl = bool(ws.sheet_view.rightToLeft)
    if rtl != (st["language"] in ("ar", "ur")):
        return "sheet direction: rightToLeft=%s for language %s" % (rtl, st["language"])
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f":
                return "cell %s holds a formula: %r" % (c.coordinate, c.value)
            # Text a spreadsheet could take for a formula: a string, as it
            # is, in the Text format "@" so that editing keeps it text.
            if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t", "\r")) \
                    and (c.data_type != "s" or c.number_format != "@"):
                return "cell %s: %r is not text in the format '@' (%s, %r)" % (
                    c.coordinate, c.value, c.data_type, c.number_format)
    rows = [r for r in ws.iter_rows() if isinstance(r[0].value, str) and re.fullmatch(r"\d{11}", r[0].value)]
    lines = st["items"]
    if [r[0].value for r in rows] != [l["qid"] for l in lines]:
        return "QIDs differ: %s vs %s" % ([r[0].value for r in rows], [l["qid"] for l in lines])
    alert = st["kind"] == "alert"
    fee_key = "expected_fee_dirhams" if alert else "fee_dirhams"
    if sum(l[fee_key] for l in lines) != st["total_dirhams"]:
        return "the lines' %s add up to %d, the total is %d" % (
            fee_key, sum(l[fee_key] for l in lines), st["total_dirhams"])
    if rows:
        def money_at(r, i):
            v = r[i].value if i < len(r) else None
            return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
        width = min(len(r) for r in rows)
        fee_cols = [i for i in range(width)
                    if all(money_at(r, i) is not None and round(money_at(r, i) * 100) == l[fee_key]
                           for r, l in zip(rows, lines))]
        if not fee_cols:
            return "no column holds every line's %s: %r" % (
                fee_key, [[c.value for c in r] for r in rows])
        total = sum(round(money_at(r, fee_cols[0]) * 100) for r in rows)
        header = [c.value for row in ws.iter_rows(max_row=rows[0][0].row - 1) for c in row]
        if total != st["total_dirhams"] or not any(
                isinstance(v, (int, float)) and round(v * 100) == total for v in header):
            return "the fee column adds up to %d, not the total %d shown above the table" % (
                total, st["total_dirhams"])
    for r, l in zip(rows, lines):
        values = [c.value for c in r]
        if alert and l.get("blocker_amount_dirhams") is not None and not any(
                isinstance(v, (int, float)) and not isinstance(v, bool)
                and round(v * 100) == l["blocker_amount_dirhams"] for v in values):
            return "line %s: no cell with the blocker's amount %d" % (
                l["qid"], l["blocker_amount_dirhams"])
        if alert and l.get("remedy_before") and not any(
                isinstance(v, datetime.datetime) and v.date().isoformat() == l["remedy_before"]
                for v in values):
            return "line %s: no date %s to act before" % (l["qid"], l["remedy_before"])
        amount = l[fee_key] / 100.0
        money = [c for c in r if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
                 and abs(c.value - amount) < 0.001]
        if not money:
            return "line %s: no cell with the fee %.2f: %r" % (l["qid"], amount, values)
        if "QAR" not in money[0].number_format and "ر.ق" not in money[0].number_format:
            return "line %s: fee format %r" % (l["qid"], money[0].number_format)
        if st["kind"] != "debit_report":
            old = datetime.date.fromisoformat(l["old_expiry"])
            dates = [c for c in r if isinstance(c.value, datetime.datetime) and c.value.date() == old]
            if not dates:
                return "line %s: no date cell for %s: %r" % (l["qid"], old, values)
            if not dates[0].is_date:
                return "line %s: the expiry is not formatted as a date" % l["qid"]
        if st["kind"] == "execution" and l["reason"] and l["reason"] not in values:
            return "line %s: reason code %s missing: %r" % (l["qid"], l["reason"], values)
        if l.get("debit_reference") and l["debit_reference"] not in values:
            return "line %s: debit reference missing" % l["qid"]
    return None


if __name__ == "__main__":
    err = main(sys.argv[1], sys.argv[2])
    if err:
        print("statement_xlsx_check: " + err, file=sys.stderr)
        sys.exit(1)
