#!/usr/bin/env python3
"""Every catalogue complete (issue 16 §3): each key of po/en.po in every
po/<lang>.po and each key of web/i18n/en.json in every web/i18n/<lang>.json,
with the same placeholders, and no key English does not have; a translation
that is the English text copied is listed too when it is a phrase of three
words or more (one or two words may well be the same: "Service", "Total",
"Notifications" in French; a text of placeholders and marks is the same in
every language). Counted nouns ("days.few",
"months.=1") are each language's own forms and are not compared key by key:
tests/unit/catalog.c checks that they cover every number. Prints one line
per problem, "file: key: what", so that the list can be worked through, and
exits 1 if there is any. Every error code the API can answer has its
message "error.<code>" in po/en.po, hence in every catalogue: the codes
the handlers write (fcgi/*.c) and those of the domain's rule tables
(domain/*_rules.c), which reach the answer through the handlers (a
refusal's code, a refused CSV line's code).
Usage: catalogs_check.py [repository root]."""
import json
import os
import re
import sys

# The six languages every catalogue must exist in.
LANGS = ["ar", "en", "fr", "ur", "ml", "es"]
PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
COUNTED = re.compile(r"\.(=[0-9]+|zero|one|two|few|many|other)$")
WORD = re.compile(r"[^\W\d_]+")


def copied(text, translation):
    """The English phrase itself, not a word languages share."""
    return translation == text and len(WORD.findall(PLACEHOLDER.sub("", text))) >= 3


def unquote(s):
    """A po string literal's text (the quotes removed, escapes decoded)."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(n, "\\" + n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_po(path):
    """{msgid: msgstr} of a po file (no plural forms: ours has none)."""
    entries, key, field, buf = {}, None, None, {}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if line.startswith("#") or not line:
                continue
            m = re.match(r'^(msgid|msgstr)\s+"(.*)"$', line)
            if m:
                if m.group(1) == "msgid":
                    if key is not None:
                        entries[key] = buf.get("msgstr", "")
                    buf = {"msgid": unquote(m.group(2))}
                    key = None
                field = m.group(1)
                if field == "msgstr":
                    key = buf["msgid"]
                    buf["msgstr"] = unquote(m.group(2))
                continue
            m = re.match(r'^"(.*)"$', line)
            if m and field:
                buf[field] = buf.get(field, "") + unquote(m.group(1))
                if field == "msgid":
                    continue
    if key is not None:
        entries[key] = buf.get("msgstr", "")
    entries.pop("", None)  # the header
    return entries


def placeholders(s):
    return sorted(set(PLACEHOLDER.findall(s)))


def compare(kind, en, other, path, problems):
    for key, text in en.items():
        if kind == "po" and COUNTED.search(key):
            continue
        if key not in other:
            problems.append(f"{path}: {key}: missing (English: {text!r})")
            continue
        if placeholders(text) != placeholders(other[key]):
            problems.append(f"{path}: {key}: placeholders {placeholders(other[key])},"
                            f" English {placeholders(text)}")
        elif copied(text, other[key]):
            problems.append(f"{path}: {key}: the English text copied ({text!r})")
        if not other[key].strip():
            problems.append(f"{path}: {key}: empty")
    for key in other:
        if key not in en and not (kind == "po" and COUNTED.search(key)):
            problems.append(f"{path}: {key}: not a key of English")


# The API's error codes written at the handlers' call sites (fcgi/*.c):
# each needs its message in the catalogues, "error.<code>" (issue 16 §3).
# A call whose second argument is an HTTP status and whose third a code
# is one too, whatever its name: the handlers' own wrappers
# (authorize_check.c's refuse(a, 404, "unknown_person", ...)).
ERROR_CALL = re.compile(r'(?:resp_error(?:_field)?\(\s*[^,]+,\s*\d+|'
                        r'\b\w+\(\s*[^,()]+,\s*[1-5]\d\d|'
                        r'field_error_add\(\s*[^,]+,\s*[^,]+),\s*"([a-z_]+)"', re.S)


def error_codes(root):
    codes = set()
    d = os.path.join(root, "fcgi")
    for name in sorted(os.listdir(d)):
        if name.endswith(".c"):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                codes.update(ERROR_CALL.findall(f.read()))
    return codes


# The domain's rule tables: designated entries whose first member is the
# code ([GRANT_UNKNOWN_PERSON] = { "unknown_person", ...), the handlers'
# error codes (grant_refusal_code(), subscription_refusal_answer(), the
# exclusion upload's lines). "ok" (index 0) is never an error.
RULE_ENTRY = re.compile(r'\[\s*[A-Z][A-Z0-9_]*\s*\]\s*=\s*\{\s*"([a-z_]+)"')


def rule_codes(root):
    codes = {}
    d = os.path.join(root, "domain")
    for name in sorted(os.listdir(d)):
        if name.endswith("_rules.c"):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                for code in RULE_ENTRY.findall(f.read()):
                    if code != "ok":
                        codes.setdefault(code, "domain/" + name)
    return codes


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    problems = []
    for kind, folder, ext, reader in (
            ("po", "po", ".po", read_po),
            ("web", os.path.join("web", "i18n"), ".json",
             lambda p: json.load(open(p, encoding="utf-8")))):
        d = os.path.join(root, folder)
        en = reader(os.path.join(d, "en" + ext))
        present = sorted(f[:-len(ext)] for f in os.listdir(d) if f.endswith(ext))
        for lang in LANGS:
            if lang not in present:
                problems.append(f"{folder}/{lang}{ext}: the whole catalogue is missing")
        for lang in present:
            if lang == "en":
                continue
            path = f"{folder}/{lang}{ext}"
            try:
                other = reader(os.path.join(d, lang + ext))
            except (ValueError, OSError) as e:
                problems.append(f"{path}: unreadable: {e}")
                continue
            compare(kind, en, other, path, problems)
    en_po = read_po(os.path.join(root, "po", "en.po"))
    for code in sorted(error_codes(root)):
        if "error." + code not in en_po:
            problems.append(f"po/en.po: error.{code}: missing (an API error code of fcgi/,"
                            " its message in the caller's language)")
    for code, where in sorted(rule_codes(root).items()):
        if "error." + code not in en_po:
            problems.append(f"po/en.po: error.{code}: missing (an API error code of {where},"
                            " its message in the caller's language)")
    # By file, each file's keys in English's order: a list to work through.
    problems.sort(key=lambda p: p.split(":")[0])
    for p in problems:
        print(p)
    if problems:
        print(f"catalogs: {len(problems)} problem(s); each missing key falls back to"
              " English at runtime until it is translated")
        return 1
    print(f"catalogs: complete in {', '.join(LANGS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
