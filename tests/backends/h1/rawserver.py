"""A loopback HTTP/1.1 server scripted per request, for the client's socket tests.

Each request is read in full (head, then a ``Content-Length`` body) and
handed to the test's handler with the connection it came on; the handler
writes whatever bytes it likes and says whether the connection stays open.
Every connection and request is recorded, so tests check what the server saw
(one connection reused, a header absent).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field


@dataclass
class Seen:
    """One request as the server read it."""

    connection: int
    line: str
    headers: dict[str, str]
    body: bytes


@dataclass
class ServerLog:
    connections: int = 0
    open: int = 0
    most_open: int = 0
    requests: list[Seen] = field(default_factory=list)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    """Set whenever a connection ends from the client's side."""


Handler = Callable[[Seen, asyncio.StreamWriter], Awaitable[bool]]


async def read_request(reader: asyncio.StreamReader, connection: int) -> Seen | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    line, *rest = head.decode("latin-1").split("\r\n")
    headers = {}
    for item in rest:
        if item:
            name, _, value = item.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return Seen(connection, line, headers, body)


def reply(status: int = 200, body: bytes = b"{}", **headers: str) -> bytes:
    """A complete reply with a ``Content-Length``."""
    lines = [f"HTTP/1.1 {status} X", f"content-length: {len(body)}"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def answer_ok(seen: Seen, writer: asyncio.StreamWriter) -> bool:
    writer.write(reply(body=b'{"ok":true}'))
    return True


@contextlib.asynccontextmanager
async def serve(
    handler: Handler = answer_ok, *, tls: ssl.SSLContext | None = None
) -> AsyncIterator[tuple[str, ServerLog]]:
    """Yield ``(base URL, log)`` of a server on 127.0.0.1 running ``handler``."""
    log = ServerLog()
    tasks: set[asyncio.Task[None]] = set()

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        log.connections += 1
        log.open += 1
        log.most_open = max(log.most_open, log.open)
        number = log.connections
        try:
            while True:
                seen = await read_request(reader, number)
                if seen is None:
                    break
                log.requests.append(seen)
                keep = await handler(seen, writer)
                await writer.drain()
                if not keep:
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            pass  # the server is stopping (asyncio's start_server logs a cancelled handler)
        finally:
            log.open -= 1
            log.closed.set()
            writer.close()
            tasks.discard(task)

    server = await asyncio.start_server(connection, "127.0.0.1", 0, ssl=tls)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}", log
    finally:
        server.close()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()


__all__ = ["Handler", "Seen", "ServerLog", "answer_ok", "read_request", "reply", "serve"]
