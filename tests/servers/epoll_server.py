#!/usr/bin/env python3
"""The reference article's epoll server, ported to Python 3 as a test target.
Level-triggered epoll (select.epoll, EPOLLIN), BLOCKING client sockets, as in
the original: after accept it reads the first message at once (a blocking
recv) and answers "ok" to every message. Unlike the original, a client that
closes is unregistered instead of being reported forever.

Usage: epoll_server.py [--port N]   (port 0: pick one; prints "listening on 127.0.0.1:PORT")
"""
import argparse
import select
import socket


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8888)
    args = ap.parse_args()

    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", args.port))
    s.listen(128)
    print("listening on 127.0.0.1:%d" % s.getsockname()[1], flush=True)
    epoll_obj = select.epoll()
    epoll_obj.register(s, select.EPOLLIN)
    connections = {}

    def drop(fd):
        epoll_obj.unregister(fd)
        connections.pop(fd).close()

    while True:
        for fd, _event in epoll_obj.poll():
            if fd == s.fileno():
                conn, _addr = s.accept()
                connections[conn.fileno()] = conn
                epoll_obj.register(conn, select.EPOLLIN)
                msg = conn.recv(200)      # blocking: waits for the first message
                if msg:
                    conn.sendall(b"ok")
                else:
                    drop(conn.fileno())
            else:
                conn = connections[fd]
                try:
                    msg = conn.recv(200)
                    if not msg:
                        drop(fd)
                        continue
                    conn.sendall(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    drop(fd)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
