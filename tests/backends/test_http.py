"""The HTTP backend over a real socket: a stream whose body ends a moment after
its last event (the chunked terminator late) still gives the connection back
to the pool."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from lip.backends import build_backend, resolve_backends
from lip.backends.base import Target
from lip.canonical import DEFAULT_LIMITS, Call, Message, ResponseFinished, TextPart, collect
from lip.config import parse_config
from lip.plugins import Plugins

# A Responses stream: the reply is complete at ``response.completed``, before
# the body ends.
_EVENTS = (
    'data: {"type":"response.created","response":{"id":"r","model":"m","created_at":1}}\n\n',
    'data: {"type":"response.content_part.added","part":{"type":"output_text","text":""}}\n\n',
    'data: {"type":"response.output_text.delta","delta":"hi"}\n\n',
    'data: {"type":"response.content_part.done"}\n\n',
    'data: {"type":"response.completed","response":{"id":"r","model":"m","status":"completed"}}'
    "\n\n",
)


class LateEndServer:
    """Streams one complete SSE reply per request, then sends the chunked
    terminator only after a pause; counts the connections it accepted."""

    def __init__(self) -> None:
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
                await reader.readexactly(length)
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                    b"transfer-encoding: chunked\r\n\r\n"
                )
                for data in _EVENTS:
                    writer.write(b"%x\r\n%s\r\n" % (len(data), data.encode()))
                await writer.drain()
                await asyncio.sleep(0.05)
                writer.write(b"0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # LIP closed its connection
        finally:
            writer.close()


@pytest.mark.anyio
async def test_a_stream_whose_body_ends_late_keeps_its_connection() -> None:
    upstream = LateEndServer()
    server = await asyncio.start_server(upstream.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    config = parse_config(
        f"backends: [{{id: up, kind: openai-compatible, api: responses,"
        f" base_url: 'http://127.0.0.1:{port}/v1', api_key: sk-test-000000000000}}]",
        env={},
    )
    plugins = Plugins.builtin()
    (resolved,) = resolve_backends(config, plugins.kind_table(), plugins.codecs(), {})
    backend = build_backend(resolved, None, DEFAULT_LIMITS)
    call = Call(
        id="c", protocol="openai_chat", model="m", stream=True,
        messages=(Message(role="user", parts=(TextPart(text="hi"),)),),
    )  # fmt: skip
    target = Target(backend_id="up", model="m", upstream_model="m", selector="up:m")
    try:
        for _ in range(3):
            events = []
            # As the executor does: stop at the last event, close the stream.
            async with contextlib.aclosing(backend.stream(call, target)) as batches:
                async for batch in batches:
                    events.extend(batch)
                    if isinstance(batch[-1], ResponseFinished):
                        break
            assert collect(events).output == (TextPart(text="hi"),)
    finally:
        await backend.aclose()
        server.close()
        await server.wait_closed()
    assert upstream.connections == 1
