#!/usr/bin/env python3
"""An asyncio echo server (stdlib only) as a test target: the default event
loop (selectors.EpollSelector, level-triggered, on Linux) with a Protocol
that writes back what each data_received gets.

Usage: asyncio_echo_server.py [--port N]   (port 0: pick one; prints "listening on 127.0.0.1:PORT")
"""
import argparse
import asyncio


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


async def serve(port):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Echo, "127.0.0.1", port)
    print("listening on 127.0.0.1:%d" % server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=1234)
    args = ap.parse_args()
    asyncio.run(serve(args.port))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
