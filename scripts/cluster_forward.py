#!/usr/bin/env python3
"""Makes the cluster's front reachable from this machine (issue 17 §1).

    cluster_forward.py LISTEN_ADDR PORT NETNS_PATH TARGET_ADDR TARGET_PORT

Listens on LISTEN_ADDR:PORT of the namespace it is started in (the
machine's own, loopback), then enters the network namespace NETNS_PATH
(/var/run/netns/rb-front) and relays each connection to TARGET_ADDR:
TARGET_PORT there. The socket keeps the namespace it was made in, so the
cluster's private addresses stay inside the namespaces: nothing routes
to them from the machine. scripts/cluster.sh starts and stops it.
"""
import ctypes
import os
import signal
import socket
import sys
import threading

CLONE_NEWNET = 0x40000000


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (dst,):
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass


def relay(client, target):
    try:
        upstream = socket.create_connection(target, timeout=5)
    except OSError as e:
        print("forward: %s:%d: %s" % (target[0], target[1], e), file=sys.stderr, flush=True)
        client.close()
        return
    upstream.settimeout(None)
    t = threading.Thread(target=pipe, args=(upstream, client), daemon=True)
    t.start()
    pipe(client, upstream)
    t.join()
    client.close()
    upstream.close()


def main():
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    listen_addr, port, netns, taddr, tport = sys.argv[1:]
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((listen_addr, int(port)))
    srv.listen(128)
    # Before any thread exists: every thread made afterwards, and every
    # socket they open, is in the front's namespace.
    fd = os.open(netns, os.O_RDONLY)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        print("forward: setns %s: %s" % (netns, os.strerror(ctypes.get_errno())), file=sys.stderr)
        return 1
    os.close(fd)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    target = (taddr, int(tport))
    while True:
        client, _ = srv.accept()
        threading.Thread(target=relay, args=(client, target), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
