#!/usr/bin/python3
"""The SMTP sink's own ceiling, for make bench (issue 14 §3): CONNS
processes, each with a connection held open (STARTTLS and a login once
per connection, as rb-notifier does), send a message of SIZE bytes
of attachment (base64, like a statement's workbook) as fast as the sink
takes them for SECONDS. Prints "messages seconds" on one line.

  smtp_load.py HOST PORT USER CAFILE SECONDS CONNS SIZE
(the password in RB_SMTP_PASSWORD)
"""
import base64
import multiprocessing
import os
import smtplib
import ssl
import sys
import time


def worker(args, deadline, counter):
    host, port, user, cafile, size = args
    ctx = ssl.create_default_context(cafile=cafile)
    body = base64.encodebytes(os.urandom(size)).decode()
    msg = ("From: bench@residency.example\r\nTo: sink@bench.example\r\n"
           "Subject: sink ceiling\r\nMIME-Version: 1.0\r\n"
           "Content-Type: application/octet-stream\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\n" + body)
    s = smtplib.SMTP(host, port)
    s.starttls(context=ctx)
    s.login(user, os.environ.get("RB_SMTP_PASSWORD", ""))
    n = 0
    while time.monotonic() < deadline:
        s.sendmail("bench@residency.example", ["sink@bench.example"], msg)
        n += 1
    s.quit()
    with counter.get_lock():
        counter.value += n


def main():
    host, port, user, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    seconds, conns, size = float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
    counter = multiprocessing.Value("l", 0)
    t0 = time.monotonic()
    deadline = t0 + seconds
    ps = [multiprocessing.Process(target=worker,
                                  args=((host, port, user, cafile, size), deadline, counter))
          for _ in range(conns)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(counter.value, "%.2f" % (time.monotonic() - t0))


if __name__ == "__main__":
    main()
