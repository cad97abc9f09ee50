#!/usr/bin/python3
"""A faster local SMTP sink, for make bench only (issue 14 §3).

scripts/mail_sink.py (aiosmtpd) reads a message line by line in asyncio,
about 10 ms of CPU for a statement's email: at 2 cores it, not the
notifier, set the benchmark's delivery figure. This sink speaks the same
subset (EHLO, STARTTLS required, AUTH PLAIN/LOGIN required, MAIL, RCPT with
.invalid refused, DATA, RSET, NOOP, QUIT), one thread per connection,
reading DATA in large blocks, and stores each message in the same Maildir
(tmp/ then new/) with the same per-process counts file. Several processes
share the port with SO_REUSEPORT.

  smtp_sink_fast.py --port P --maildir DIR --cert C --key K --user U
                    [--stats DIR]   (the password in RB_SMTP_PASSWORD)
"""
import argparse
import base64
import hmac
import os
import signal
import socket
import ssl
import sys
import threading
import time

END = b"\r\n.\r\n"


class Sink:
    def __init__(self, args):
        self.maildir = args.maildir
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(args.maildir, sub), exist_ok=True)
        self.user = args.user.encode()
        self.password = os.environ.get("RB_SMTP_PASSWORD", "").encode()
        self.ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ctx.load_cert_chain(args.cert, args.key)
        self.lock = threading.Lock()
        self.connections = 0
        self.messages = 0
        self.seq = 0
        self.stats = None
        if args.stats:
            os.makedirs(args.stats, exist_ok=True)
            self.stats = os.path.join(args.stats, "mail-%d.stats" % os.getpid())
            self.write_stats()

    def write_stats(self):
        if self.stats:
            with open(self.stats + ".tmp", "w") as f:
                f.write("connections %d\nmessages %d\n" % (self.connections, self.messages))
            os.replace(self.stats + ".tmp", self.stats)

    def store(self, data, counted):
        with self.lock:
            self.seq += 1
            name = "%d.F%d_%d.fastsink" % (time.time(), os.getpid(), self.seq)
            tmp = os.path.join(self.maildir, "tmp", name)
            try:
                with open(tmp, "wb") as f:
                    f.write(data)
                os.rename(tmp, os.path.join(self.maildir, "new", name))
            except OSError as e:
                return "452 4.3.1 Insufficient system storage (%s)" % e.strerror
            if not counted:
                self.connections += 1
            self.messages += 1
            self.write_stats()
        return None

    def auth_ok(self, login, password):
        return hmac.compare_digest(login, self.user) and hmac.compare_digest(password, self.password)


class Conn:
    def __init__(self, sink, sock):
        self.sink = sink
        self.sock = sock
        self.buf = b""
        self.tls = False
        self.authed = False
        self.counted = False
        self.rcpts = []
        self.mail = False

    def send(self, line):
        self.sock.sendall(line.encode() + b"\r\n")

    def fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError
        self.buf += chunk

    def line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                ln, self.buf = self.buf[:i], self.buf[i + 2:]
                return ln.decode("utf-8", "replace")
            if len(self.buf) > 65536:
                raise EOFError
            self.fill()

    def data(self):
        # The message up to the lone dot, read in blocks, dots unstuffed.
        start = 0
        while True:
            i = self.buf.find(END, start)
            if i >= 0:
                body, self.buf = self.buf[:i + 2], self.buf[i + len(END):]
                return body.replace(b"\r\n..", b"\r\n.")
            if self.buf.startswith(b".\r\n"):
                self.buf = self.buf[3:]
                return b""
            start = max(0, len(self.buf) - len(END))
            self.fill()

    def auth(self, args):
        parts = args.split()
        mech = parts[0].upper() if parts else ""
        if mech == "PLAIN":
            if len(parts) > 1:
                blob = parts[1]
            else:
                self.send("334 ")
                blob = self.line()
            try:
                _, login, password = base64.b64decode(blob).split(b"\0", 2)
            except ValueError:
                return False
            return self.sink.auth_ok(login, password)
        if mech == "LOGIN":
            if len(parts) > 1:
                login_b64 = parts[1]
            else:
                self.send("334 VXNlcm5hbWU6")
                login_b64 = self.line()
            self.send("334 UGFzc3dvcmQ6")
            pass_b64 = self.line()
            try:
                return self.sink.auth_ok(base64.b64decode(login_b64), base64.b64decode(pass_b64))
            except ValueError:
                return False
        return False

    def run(self):
        self.send("220 127.0.0.1 bench sink")
        while True:
            ln = self.line()
            verb, _, args = ln.partition(" ")
            verb = verb.upper()
            if verb in ("EHLO", "HELO"):
                if self.tls:
                    self.sock.sendall(b"250-127.0.0.1\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n")
                else:
                    self.sock.sendall(b"250-127.0.0.1\r\n250 STARTTLS\r\n")
            elif verb == "STARTTLS" and not self.tls:
                self.send("220 2.0.0 Ready to start TLS")
                self.sock = self.sink.ctx.wrap_socket(self.sock, server_side=True)
                self.tls = True
                self.buf = b""
            elif verb == "QUIT":
                self.send("221 Bye")
                return
            elif verb == "NOOP":
                self.send("250 OK")
            elif verb == "RSET":
                self.rcpts, self.mail = [], False
                self.send("250 OK")
            elif not self.tls:
                self.send("530 5.7.0 Must issue a STARTTLS command first")
            elif verb == "AUTH":
                self.authed = self.auth(args)
                self.send("235 2.7.0 Authentication successful" if self.authed
                          else "535 5.7.8 Authentication credentials invalid")
            elif not self.authed:
                self.send("530 5.7.0 Authentication required")
            elif verb == "MAIL":
                self.rcpts, self.mail = [], True
                self.send("250 OK")
            elif verb == "RCPT":
                addr = args.partition(":")[2].strip().split(" ")[0].strip("<>")
                domain = addr.rsplit("@", 1)[-1].lower()
                if domain == "invalid" or domain.endswith(".invalid"):
                    self.send("550 5.1.2 no such domain")
                else:
                    self.rcpts.append(addr)
                    self.send("250 OK")
            elif verb == "DATA":
                if not self.mail or not self.rcpts:
                    self.send("503 5.5.1 Bad sequence of commands")
                    continue
                self.send("354 End data with <CR><LF>.<CR><LF>")
                err = self.sink.store(self.data(), self.counted)
                if err:
                    self.send(err)
                else:
                    self.counted = True
                    self.send("250 Message accepted for delivery")
                self.rcpts, self.mail = [], False
            else:
                self.send("502 5.5.2 Command not recognized")


def serve(sink, sock):
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        Conn(sink, sock).run()
    except (EOFError, OSError, ssl.SSLError):
        pass
    finally:
        try:
            sock.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--maildir", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--stats")
    args = ap.parse_args()
    sink = Sink(args)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    ls.bind(("127.0.0.1", args.port))
    ls.listen(128)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("smtp_sink_fast: listening on 127.0.0.1:%d" % args.port, flush=True)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve, args=(sink, c), daemon=True).start()


if __name__ == "__main__":
    main()
