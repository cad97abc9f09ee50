#!/usr/bin/python3
"""A local SMTP server for `make run` and the tests: what it accepts is
stored, byte for byte, as one file per message in a Maildir (new/).

Like a real relay it insists on STARTTLS and a login (user --user, password
from RB_SMTP_PASSWORD) before it takes mail, and it refuses recipients in
the reserved `.invalid` domain with a permanent 550, so a message that can
never be delivered can be shown.

--stats DIR: the sink writes DIR/mail-<pid>.stats, "connections N
messages M", after every message: connections counts the SMTP sessions
(each one STARTTLS handshake and one login) that carried the messages,
so a test can tell that a client keeps its connection open.
--reuse-port: several sinks share the port (SO_REUSEPORT), the kernel
spreading connections over them, when one Python process is the limit.

Uses Debian's python3-aiosmtpd; runs until SIGTERM.
"""
import argparse
import hmac
import mailbox
import os
import signal
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class MaildirHandler:
    def __init__(self, path, stats_dir):
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        self.box = mailbox.Maildir(path, create=False)
        self.lock = threading.Lock()
        self.stats = None
        if stats_dir:
            os.makedirs(stats_dir, exist_ok=True)
            self.stats = os.path.join(stats_dir, "mail-%d.stats" % os.getpid())
        self.connections = 0
        self.messages = 0

    def count(self, session):
        if not getattr(session, "rb_counted", False):
            session.rb_counted = True
            self.connections += 1
        self.messages += 1
        if self.stats:
            with open(self.stats + ".tmp", "w") as f:
                f.write("connections %d\nmessages %d\n" % (self.connections, self.messages))
            os.replace(self.stats + ".tmp", self.stats)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        domain = address.rsplit("@", 1)[-1].lower()
        if domain == "invalid" or domain.endswith(".invalid"):
            return "550 5.1.2 no such domain"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        with self.lock:
            try:
                self.box.add(data)
            except OSError as e:
                # Not kept (the disk is full): a transient refusal, so the
                # sender tries again, never a 250 for a message we lost.
                return "452 4.3.1 Insufficient system storage (%s)" % e.strerror
            self.count(session)
        return "250 Message accepted for delivery"


class SharedPortController(Controller):
    """A Controller whose port other processes may share (SO_REUSEPORT).
    Its readiness check connects to the port, which could reach another
    process: the factory is run directly instead."""

    def _create_server(self):
        return self.loop.create_server(
            self._factory_invoker, host=self.hostname, port=self.port,
            ssl=self.ssl_context, reuse_port=True)

    def _trigger_server(self):
        self._factory_invoker()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--maildir", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--stats", help="directory of the per-process counts")
    ap.add_argument("--reuse-port", action="store_true")
    args = ap.parse_args()
    password = os.environ.get("RB_SMTP_PASSWORD", "").encode()
    user = args.user.encode()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and hmac.compare_digest(auth_data.login, user)
              and hmac.compare_digest(auth_data.password, password))
        return AuthResult(success=ok)

    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(args.cert, args.key)
    kind = SharedPortController if args.reuse_port else Controller
    controller = kind(
        MaildirHandler(args.maildir, args.stats), hostname="127.0.0.1", port=args.port,
        tls_context=ctx, require_starttls=True, auth_required=True,
        auth_require_tls=True, authenticator=authenticator,
        ready_timeout=10)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()
    print("mail_sink: listening on 127.0.0.1:%d, Maildir %s" % (args.port, args.maildir),
          flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
