#!/usr/bin/python3
"""A stand-in for the SMS gateway's HTTP API, for `make run` and the tests.

POST /v1/messages with `Authorization: Bearer <RB_SMS_TOKEN>` and a JSON
body {"to": "+974...", "text": "...", "client_ref": "..."} answers
202 {"id": "..."} and stores the message as one JSON file in --dir.
A wrong token is 401, a bad body 400. Runs until SIGTERM.
"""
import argparse
import hmac
import json
import os
import re
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 64 * 1024


def make_handler(directory, token):
    counter = [0]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def reply(self, status, doc):
            body = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            if self.path != "/v1/messages":
                return self.reply(404, {"error": "not found"})
            auth = self.headers.get("Authorization", "")
            if not hmac.compare_digest(auth.encode(), ("Bearer " + token).encode()):
                return self.reply(401, {"error": "bad token"})
            try:
                n = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                n = -1
            if n < 0 or n > MAX_BODY:
                return self.reply(400, {"error": "bad length"})
            try:
                msg = json.loads(self.rfile.read(n).decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return self.reply(400, {"error": "bad json"})
            if (not isinstance(msg, dict) or not isinstance(msg.get("to"), str)
                    or not re.fullmatch(r"\+[0-9]{8,15}", msg["to"])
                    or not isinstance(msg.get("text"), str) or not msg["text"]):
                return self.reply(400, {"error": "to and text are required"})
            with lock:
                counter[0] += 1
                ident = "%d-%06d" % (time.time_ns(), counter[0])
            msg["received_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            path = os.path.join(directory, ident + ".json")
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                json.dump(msg, f, ensure_ascii=False)
            os.rename(path + ".tmp", path)
            self.reply(202, {"id": ident})

        def log_message(self, fmt, *args):
            print("sms_gateway: " + fmt % args, flush=True)

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    token = os.environ.get("RB_SMS_TOKEN", "")
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.dir, token))
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print("sms_gateway: listening on 127.0.0.1:%d, storing in %s" % (args.port, args.dir),
          flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
