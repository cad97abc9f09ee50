#!/usr/bin/python3
"""Prints every message of a Maildir (new/ and cur/) as one JSON document:
[{"file", "message_id", "to", "subject", "body", "attachments":
[{"name", "type", "length", "sha256"}]}], headers and text decoded.
Used by the notification tests (tests/integration/notify.c)."""
import email
import email.policy
import hashlib
import json
import os
import sys

out = []
for sub in ("new", "cur"):
    d = os.path.join(sys.argv[1], sub)
    if not os.path.isdir(d):
        continue
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            m = email.message_from_binary_file(f, policy=email.policy.default)
        doc = {"file": name, "message_id": str(m["message-id"] or ""),
               "to": str(m["to"] or ""), "subject": str(m["subject"] or ""),
               "body": "", "attachments": []}
        for part in m.walk():
            if part.is_multipart():
                continue
            if part.get_filename():
                data = part.get_payload(decode=True)
                doc["attachments"].append({
                    "name": part.get_filename(), "type": part.get_content_type(),
                    "length": len(data), "sha256": hashlib.sha256(data).hexdigest()})
            elif part.get_content_type() == "text/plain":
                doc["body"] += part.get_content()
        out.append(doc)
json.dump(out, sys.stdout, ensure_ascii=False)
