#!/usr/bin/env python3
"""The reference article's selectors echo server, ported to Python 3 as a
test target: selectors.DefaultSelector (epoll on Linux, level-triggered),
non-blocking sockets, one recv(1000) per readable event, the data sent back.

Usage: selectors_server.py [--port N]   (port 0: pick one; prints "listening on 127.0.0.1:PORT")
"""
import argparse
import selectors
import socket

sel = selectors.DefaultSelector()


def accept(sock, mask):
    conn, _addr = sock.accept()  # should be ready
    conn.setblocking(False)
    sel.register(conn, selectors.EVENT_READ, read)


def read(conn, mask):
    try:
        data = conn.recv(1000)  # should be ready
    except ConnectionError:
        data = b""
    if data:
        conn.send(data)
    else:
        sel.unregister(conn)
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=1234)
    args = ap.parse_args()
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(100)
    sock.setblocking(False)
    sel.register(sock, selectors.EVENT_READ, accept)
    print("listening on 127.0.0.1:%d" % sock.getsockname()[1], flush=True)
    while True:
        for key, mask in sel.select():
            key.data(key.fileobj, mask)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
