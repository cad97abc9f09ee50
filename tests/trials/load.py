#!/usr/bin/env python3
"""A small steady load on the API for the outage test (tests/trials/outages.sh).

usage: load.py PORT USER PASSWORD OUTDIR STOPFILE

Two threads, each in a loop until STOPFILE exists: sign in (POST
/api/v1/session, a write: the session row), read the session back
(GET /api/v1/me, the database), ask for health. Every answer is one line of
OUTDIR/answers ("epoch_ms route status"; status 0: no answer within 10 s);
the token of every 2xx sign-in goes to OUTDIR/acked (its SHA-256 in hex,
as the sessions table keeps it), so that the test can check each one.
"""
import hashlib
import http.client
import json
import os
import ssl
import sys
import threading
import time

port, user, password, outdir, stopfile = sys.argv[1:6]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
lock = threading.Lock()
answers = open(os.path.join(outdir, "answers"), "a", buffering=1)
acked = open(os.path.join(outdir, "acked"), "a", buffering=1)


def note(route, status):
    with lock:
        answers.write("%d %s %d\n" % (time.time() * 1000, route, status))


def call(conn, method, path, body=None, headers=None):
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, resp.getheader("Set-Cookie") or "", data
    except (OSError, http.client.HTTPException):
        conn.close()
        return 0, "", b""


def worker():
    conn = http.client.HTTPSConnection("127.0.0.1", int(port), context=ctx, timeout=10)
    body = json.dumps({"username": user, "password": password})
    while not os.path.exists(stopfile):
        status, cookie, _ = call(conn, "POST", "/api/v1/session", body,
                                 {"Content-Type": "application/json"})
        note("session", status)
        token = None
        if 200 <= status < 300 and cookie.startswith("__Host-session="):
            token = cookie.split(";")[0].split("=", 1)[1]
            with lock:
                acked.write(hashlib.sha256(token.encode()).hexdigest() + "\n")
        if token:
            status, _, _ = call(conn, "GET", "/api/v1/me",
                                headers={"Cookie": "__Host-session=" + token})
            note("me", status)
        status, _, _ = call(conn, "GET", "/api/v1/health")
        note("health", status)
        time.sleep(0.02)


threads = [threading.Thread(target=worker) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
