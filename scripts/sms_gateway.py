#!/usr/bin/python3
"""A stand-in for the SMS gateway's HTTP API, for `make run` and the tests.

POST /v1/messages with `Authorization: Bearer <RB_SMS_TOKEN>` and a JSON
body {"to": "+974...", "text": "...", "client_ref": "..."} answers
202 {"id": "..."} and stores the message as one JSON file in --dir.
A wrong token is 401, a bad body 400. Runs until SIGTERM.

client_ref is an idempotency key, as at a real gateway: a message whose
client_ref was taken before (by this process, an earlier one, or another
one on the same --dir) is not sent again; the answer is 409
{"error": "duplicate", "id": <the first one's id>}. The key is claimed by
creating --dir/.refs/<sha256 of it> exclusively, so several processes may
share the port (--reuse-port: the kernel spreads connections over them)
and the directory. HTTP/1.1 keep-alive: a client's connection serves many
messages.

A message that cannot be stored (the disk is full) answers 507 and gives
its client_ref back, so that the sender's retry is taken, never refused as
a duplicate of a message that was not kept.
"""
import argparse
import hashlib
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

    refs = os.path.join(directory, ".refs")
    os.makedirs(refs, exist_ok=True)

    def claim(client_ref, ident):
        """The id that first took client_ref: ident when it is this one."""
        path = os.path.join(refs, hashlib.sha256(client_ref.encode()).hexdigest())
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            for _ in range(50):  # its writer may be between open and write
                with open(path, encoding="utf-8") as f:
                    first = f.read()
                if first:
                    return first
                time.sleep(0.01)
            return "unknown"
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(ident)
        except OSError:
            os.unlink(path)  # an empty claim would refuse every retry
            raise
        return ident

    def release(client_ref):
        """The claim of a message that was not stored, given back."""
        try:
            os.unlink(os.path.join(refs, hashlib.sha256(client_ref.encode()).hexdigest()))
        except FileNotFoundError:
            pass

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Replies are written in pieces: without this, Nagle and the
        # client's delayed ACK hold each kept-alive answer ~40 ms.
        disable_nagle_algorithm = True

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
                    or not isinstance(msg.get("text"), str) or not msg["text"]
                    or not isinstance(msg.get("client_ref", ""), str)):
                return self.reply(400, {"error": "to and text are required"})
            with lock:
                counter[0] += 1
                ident = "%d-%d-%06d" % (time.time_ns(), os.getpid(), counter[0])
            ref = msg.get("client_ref")
            path = os.path.join(directory, ident + ".json")
            claimed = False
            try:
                if ref:
                    first = claim(ref, ident)
                    if first != ident:
                        return self.reply(409, {"error": "duplicate", "id": first})
                    claimed = True
                msg["received_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                with open(path + ".tmp", "w", encoding="utf-8") as f:
                    json.dump(msg, f, ensure_ascii=False)
                os.rename(path + ".tmp", path)
            except OSError as e:
                # Not kept: nothing of it stays, not even its key.
                try:
                    os.unlink(path + ".tmp")
                except FileNotFoundError:
                    pass
                if claimed:
                    release(ref)
                return self.reply(507, {"error": "not stored: %s" % e.strerror})
            self.reply(202, {"id": ident})

        def log_message(self, fmt, *args):
            print("sms_gateway: " + fmt % args, flush=True)

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--reuse-port", action="store_true",
                    help="share the port with other processes (SO_REUSEPORT)")
    ap.add_argument("--quiet", action="store_true", help="no line per request")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    token = os.environ.get("RB_SMS_TOKEN", "")

    class Server(ThreadingHTTPServer):
        allow_reuse_port = args.reuse_port
        request_queue_size = 128

    handler = make_handler(args.dir, token)
    if args.quiet:
        handler.log_message = lambda *_: None
    server = Server(("127.0.0.1", args.port), handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print("sms_gateway: listening on 127.0.0.1:%d, storing in %s" % (args.port, args.dir),
          flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
