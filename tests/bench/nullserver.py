"""A do-nothing HTTP/1.1 server: every request gets the same tiny 200 reply.

It measures the load generator's own ceiling: the server does almost no
work per request, so the rate the generator reaches against it is (close to)
the most the generator can drive on this machine. Run as
``python -m tests.bench.nullserver --port N``; ``GET /healthz`` works like
any other path.

Requests are framed by their head and ``Content-Length`` (a body is read and
ignored); ``Transfer-Encoding: chunked`` request bodies are not supported
(the benchmark never sends them) and close the connection.
"""

from __future__ import annotations

import asyncio
import re
from typing import cast

from tests.bench.loadgen import server_main

__all__ = ["NullProtocol", "main", "serve"]

_REPLY = b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 15\r\n\r\n{"status":"ok"}'
_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)


class NullProtocol(asyncio.Protocol):
    """Answers each complete request (head plus declared body) with ``_REPLY``."""

    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement, but do not subclass, asyncio.Transport.
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        assert self._transport is not None
        buffer = self._buffer + data
        replies = 0
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            head = buffer[:end]
            if b"chunked" in head.lower():
                self._transport.close()
                return
            match = _LENGTH.search(head)
            total = end + 4 + (int(match.group(1)) if match else 0)
            if len(buffer) < total:
                break
            buffer = buffer[total:]
            replies += 1
        self._buffer = buffer
        if replies:
            self._transport.write(_REPLY * replies)


async def serve(host: str, port: int) -> None:
    """Serve forever on ``host:port``."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(NullProtocol, host, port, reuse_address=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    """Command line entry point (uses uvloop when installed)."""
    server_main(serve, __doc__.splitlines()[0] if __doc__ else None)


if __name__ == "__main__":
    main()
