#!/usr/bin/env python3
"""Bounded load for the demo and test servers, on loopback only: CONNS
connections each sending a small message and waiting for the reply, until
SECONDS have passed or MESSAGES round trips per connection are done.
Prints "round_trips N" at the end. The message is SIZE bytes of "x", or
--send's text (backslash escapes decoded, e.g. "get k\\r\\n" for memcached).

Usage: load_client.py --port N [--conns 20] [--seconds 3] [--messages 0 (no cap)] [--reply BYTES] [--send TEXT]
"""
import argparse
import codecs
import selectors
import socket
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--conns", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--messages", type=int, default=0)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--reply", type=int, default=0, help="bytes in a reply (default: the message's, an echo)")
    ap.add_argument("--send", help="the message, with backslash escapes (default: SIZE bytes of x)")
    args = ap.parse_args()

    sel = selectors.DefaultSelector()
    payload = codecs.decode(args.send, "unicode_escape").encode() if args.send else b"x" * args.size
    reply = args.reply or len(payload)
    done = {}
    for _ in range(args.conns):
        s = socket.create_connection(("127.0.0.1", args.port))
        s.setblocking(False)
        s.sendall(payload)
        done[s] = 0
        sel.register(s, selectors.EVENT_READ, bytearray())

    deadline = time.monotonic() + args.seconds
    total = 0
    while done and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.1):
            s, buf = key.fileobj, key.data
            try:
                chunk = s.recv(65536)
            except BlockingIOError:
                continue
            if not chunk:
                sel.unregister(s)
                del done[s]
                continue
            buf += chunk
            if len(buf) >= reply:
                del buf[:reply]
                total += 1
                done[s] += 1
                if args.messages and done[s] >= args.messages:
                    sel.unregister(s)
                    s.close()
                    del done[s]
                else:
                    s.sendall(payload)
    for s in list(done):
        s.close()
    print("round_trips %d" % total, flush=True)


if __name__ == "__main__":
    main()
