#!/usr/bin/python3
"""A statement and its email in the subscription's language (issue 16 §3).

    languages_check.py PO WORKBOOK MAIL.json COMPANY_NAME

PO is the language's po/<lang>.po; MAIL.json one message of
tests/mail_dump.py. Every text expected is read from the catalogue (its
msgstr), never written here: the workbook's sheet name, the header block's
labels and the table's column headers are the catalogue's report.* texts;
the sheet is right to left when the catalogue says report.direction rtl;
the email's subject is email.statement.subject with the kind and the
company filled in, and each line of email.alert.body without a
placeholder is in the body, with the company's name as its reader sees it
(COMPANY_NAME). Prints what differs and exits 1.
"""
import json
import os
import sys

import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from catalogs_check import read_po  # noqa: E402


def check(po_path, wb_path, mail_path, company):
    po = read_po(po_path)
    en = read_po(os.path.join(os.path.dirname(po_path), "en.po"))
    problems = []
    wb = openpyxl.load_workbook(wb_path)
    ws = wb.worksheets[0]
    if ws.title != po["report.sheet_name"][:31]:
        problems.append("sheet name %r, catalogue %r" % (ws.title, po["report.sheet_name"]))
    rtl = bool(ws.sheet_view.rightToLeft)
    if rtl != (po["report.direction"] == "rtl"):
        problems.append("rightToLeft=%s, catalogue direction %s" % (rtl, po["report.direction"]))
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    texts = {v for row in cells for v in row if isinstance(v, str)}
    for key in ("report.company", "report.est_id", "report.cycle_date",
                "report.execution_date", "report.verification_code"):
        if po[key] not in texts:
            problems.append("no header label %s = %r" % (key, po[key]))
    header = next((row for row in cells if po["report.col.qid"] in row), None)
    if header is None:
        problems.append("no column header %r" % po["report.col.qid"])
    else:
        cols = {po[k] for k in po if k.startswith("report.col.")}
        named = [v for v in header if v is not None]
        for v in named:
            if v not in cols:
                problems.append("column header %r is not a report.col text" % v)
        for key in ("report.col.name", "report.col.expiry", "report.col.obstacle"):
            if po[key] not in named:
                problems.append("no column %s = %r" % (key, po[key]))
        # The language's own words, not English's (a header may coincide:
        # "QID" in every language), for most columns.
        own = [v for v in named if v not in {en[k] for k in en if k.startswith("report.col.")}]
        if len(own) * 2 < len(named):
            problems.append("most column headers read as in English: %r" % named)
    if company not in texts:
        problems.append("the company is not named %r in the workbook" % company)

    mail = json.load(open(mail_path, encoding="utf-8"))
    subject = po["email.statement.subject"]
    for k, v in (("kind", po["kind.alert"]), ("company", company)):
        subject = subject.replace("{%s}" % k, v)
    fixed = subject.split("{")[0]
    if not mail["subject"].startswith(fixed):
        problems.append("subject %r does not start %r" % (mail["subject"], fixed))
    body = mail["body"].replace("\r\n", "\n")
    lines = [ln for ln in po["email.alert.body"].split("\n") if ln and "{" not in ln]
    if not lines:
        problems.append("email.alert.body has no line without a placeholder")
    for ln in lines:
        if ln not in body:
            problems.append("email body lacks %r" % ln)
    first = po["email.alert.body"].split("\n")[0].replace("{company}", company)
    if first not in body:
        problems.append("email body lacks its first line %r" % first)
    return problems


if __name__ == "__main__":
    found = check(*sys.argv[1:5])
    for p in found:
        print(p)
    sys.exit(1 if found else 0)
