#!/usr/bin/env python3
"""The reference article's select() echo server ("select 文艺版"), ported to
Python 3 as a demo and test target: one thread, non-blocking sockets, every
fd passed to select() on every loop, replies queued until the socket is
writable. Python's select.select() issues the pselect6 syscall; sock.recv is
recvfrom, sock.send is sendto.

Usage: select_server.py [--port N] [--verbose]   (port 0: pick one; the
chosen port is printed as "listening on 127.0.0.1:PORT")
"""
import argparse
import queue
import select
import socket
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=10000)
    ap.add_argument("--verbose", action="store_true", help="print every event, as the original does")
    args = ap.parse_args()
    log = print if args.verbose else (lambda *a, **k: None)

    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.setblocking(False)
    server.bind(("127.0.0.1", args.port))
    server.listen(128)
    print("listening on 127.0.0.1:%d" % server.getsockname()[1], flush=True)

    inputs = [server]   # the listening socket is watched too: it is readable on a new connection
    outputs = []
    message_queues = {}

    while True:
        log("waiting for next event...")
        readable, writeable, exceptional = select.select(inputs, outputs, inputs)
        for s in readable:
            if s is server:
                conn, addr = s.accept()
                log("new connection from", addr)
                conn.setblocking(False)
                inputs.append(conn)
                message_queues[conn] = queue.Queue()
            else:
                try:
                    data = s.recv(1024)
                except ConnectionError:
                    data = b""
                if data:
                    message_queues[s].put(data)
                    if s not in outputs:
                        outputs.append(s)
                else:  # the client closed
                    if s in outputs:
                        outputs.remove(s)
                    inputs.remove(s)
                    del message_queues[s]
                    s.close()
        for s in writeable:
            if s not in message_queues:
                continue
            try:
                next_msg = message_queues[s].get_nowait()
            except queue.Empty:
                outputs.remove(s)
            else:
                try:
                    s.send(next_msg.upper())
                except ConnectionError:
                    pass
        for s in exceptional:
            if s in inputs:
                inputs.remove(s)
            if s in outputs:
                outputs.remove(s)
            message_queues.pop(s, None)
            s.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
