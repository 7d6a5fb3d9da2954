"""A fast OpenAI Chat Completions upstream with fixed replies, for gateway benchmarks.

The OpenAI emulator does real work per request (validation, scripting,
token counting), so in a gateway benchmark it shares the cores with the
gateway under test and caps what the gateway can reach. This server answers
from bytes rendered at start-up and costs a few tens of microseconds of CPU
per request, so a gateway in front of it is measured, not the upstream.

Run as ``python -m tests.bench.mockupstream --host H --port P``:

- ``POST .../chat/completions`` answers a fixed ``chat.completion`` (framed
  by ``Content-Length``, keep-alive) or, when the body has ``"stream": true``,
  an SSE stream (``Transfer-Encoding: chunked``, one HTTP chunk per event): a
  role chunk, :data:`STREAM_CHUNKS` content chunks, a finish chunk
  (``finish_reason: "stop"``), a usage chunk when
  ``stream_options.include_usage`` is true, then ``data: [DONE]``;
- ``GET /healthz`` answers 200, ``GET .../models`` a one-model list;
- anything else gets a 404 in OpenAI's error shape.

The request body is not parsed: streaming and usage are found by a byte
search, which is all a benchmark client needs. Request bodies framed by
``Content-Length`` or ``chunked`` are both read; pipelined requests are
answered in order; a request with ``Connection: close`` closes after its reply.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import cast

from tests.bench.loadgen import server_main

__all__ = ["REPLY_TEXT", "STREAM_CHUNKS", "MockProtocol", "main", "serve"]

STREAM_CHUNKS = 20
"""Content chunks in every streamed reply."""
REPLY_TEXT = "Mock reply: hello from the benchmark upstream."
"""The unary reply's content (a benchmark client checks for it)."""
MODEL = "gpt-4o-mini"

_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:[^\r]*chunked", re.IGNORECASE)
_CLOSE = re.compile(rb"\r\nconnection:[ \t]*close", re.IGNORECASE)
_STREAM = re.compile(rb'"stream"\s*:\s*true')
_USAGE = re.compile(rb'"include_usage"\s*:\s*true')
_MAX_HEAD = 64 * 1024


def _dumps(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _response(status: str, content_type: str, body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


def _usage() -> dict[str, int]:
    return {"prompt_tokens": 12, "completion_tokens": STREAM_CHUNKS, "total_tokens": 32}


def _completion(created: int) -> bytes:
    body = {
        "id": "chatcmpl-mock",
        "object": "chat.completion",
        "created": created,
        "model": MODEL,
        "system_fingerprint": "fp_mock",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": REPLY_TEXT, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": _usage(),
    }
    return _response("200 OK", "application/json", _dumps(body))


def _chunk(created: int, delta: dict[str, str], finish: str | None) -> dict[str, object]:
    return {
        "id": "chatcmpl-mock",
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL,
        "system_fingerprint": "fp_mock",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }


def _events(created: int, include_usage: bool) -> list[bytes]:
    chunks = [_chunk(created, {"role": "assistant", "content": ""}, None)]
    chunks += [_chunk(created, {"content": f"w{i} "}, None) for i in range(STREAM_CHUNKS)]
    chunks.append(_chunk(created, {}, "stop"))
    if include_usage:
        usage = _chunk(created, {}, None)
        usage["choices"] = []
        usage["usage"] = _usage()
        chunks.append(usage)
    return [b"data: " + _dumps(c) + b"\n\n" for c in chunks] + [b"data: [DONE]\n\n"]


def _stream(created: int, include_usage: bool) -> bytes:
    head = (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
        b"cache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n"
    )
    framed = [b"%x\r\n%s\r\n" % (len(e), e) for e in _events(created, include_usage)]
    return head + b"".join(framed) + b"0\r\n\r\n"


def _models(created: int) -> bytes:
    body = {
        "object": "list",
        "data": [{"id": MODEL, "object": "model", "created": created, "owned_by": "mock"}],
    }
    return _response("200 OK", "application/json", _dumps(body))


def _not_found() -> bytes:
    error = {"message": "not found", "type": "invalid_request_error", "param": None, "code": None}
    return _response("404 Not Found", "application/json", _dumps({"error": error}))


class _Replies:
    """Every reply the server sends, rendered once."""

    def __init__(self) -> None:
        created = int(time.time())
        self.completion = _completion(created)
        self.stream = _stream(created, include_usage=False)
        self.stream_usage = _stream(created, include_usage=True)
        self.models = _models(created)
        self.health = _response("200 OK", "application/json", b'{"status":"ok"}')
        self.not_found = _not_found()

    def pick(self, request_line: bytes, body: bytes) -> bytes:
        """The reply to one request (its first line and its body)."""
        method, _, rest = request_line.partition(b" ")
        path = rest.partition(b" ")[0].partition(b"?")[0]
        if method == b"POST" and path.endswith(b"/chat/completions"):
            if _STREAM.search(body) is None:
                return self.completion
            return self.stream_usage if _USAGE.search(body) else self.stream
        if method == b"GET":
            if path == b"/healthz":
                return self.health
            if path.endswith(b"/models"):
                return self.models
        return self.not_found


def _chunked_body(buffer: bytes, start: int) -> tuple[bytes, int] | None:
    """Decode a chunked body starting at ``start``: (body, end offset), or
    None while incomplete. Extensions and trailers are dropped."""
    parts: list[bytes] = []
    pos = start
    while True:
        eol = buffer.find(b"\r\n", pos)
        if eol < 0:
            return None
        size = int(buffer[pos:eol].split(b";", 1)[0].strip() or b"0", 16)
        pos = eol + 2
        if size == 0:
            end = buffer.find(b"\r\n\r\n", pos - 2)
            return (b"".join(parts), end + 4) if end >= 0 else None
        if len(buffer) < pos + size + 2:
            return None
        parts.append(buffer[pos : pos + size])
        pos += size + 2


class MockProtocol(asyncio.Protocol):
    """One client connection: parse complete requests, answer from :class:`_Replies`."""

    def __init__(self, replies: _Replies) -> None:
        self._transport: asyncio.Transport | None = None
        self._buffer = b""
        self._replies = replies
        # The last read that was exactly one whole request, and its reply: a
        # gateway under test sends the same bytes request after request, and
        # those are answered without being parsed again.
        self._repeat: tuple[bytes, bytes] = (b"", b"")

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement, but do not subclass, asyncio.Transport.
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        transport = self._transport
        assert transport is not None
        fresh = not self._buffer  # ``data`` starts a request
        if fresh and data == self._repeat[0]:
            transport.write(self._repeat[1])
            return
        buffer = self._buffer + data
        out: list[bytes] = []
        close = False
        while not close:
            try:
                parsed = self._next_request(buffer)
            except ValueError:  # a malformed chunk size: drop the connection
                transport.close()
                return
            if parsed is None:
                break
            reply, consumed, close = parsed
            out.append(reply)
            buffer = buffer[consumed:]
        self._buffer = buffer
        if fresh and len(out) == 1 and not buffer and not close:
            self._repeat = (data, out[0])
        if out:
            transport.write(b"".join(out))
        if close or (len(buffer) > _MAX_HEAD and buffer.find(b"\r\n\r\n") < 0):
            transport.close()

    def _next_request(self, buffer: bytes) -> tuple[bytes, int, bool] | None:
        """(reply, bytes consumed, close after) for the first complete request."""
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = buffer[:end]
        if _CHUNKED.search(head):
            decoded = _chunked_body(buffer, end + 4)
            if decoded is None:
                return None
            body, consumed = decoded
        else:
            match = _LENGTH.search(head)
            consumed = end + 4 + (int(match.group(1)) if match else 0)
            if len(buffer) < consumed:
                return None
            body = buffer[end + 4 : consumed]
        request_line = head.partition(b"\r\n")[0]
        close = _CLOSE.search(head) is not None or request_line.endswith(b"HTTP/1.0")
        return self._replies.pick(request_line, body), consumed, close


async def serve(host: str, port: int) -> None:
    """Serve forever on ``host:port``."""
    loop = asyncio.get_running_loop()
    replies = _Replies()
    server = await loop.create_server(
        lambda: MockProtocol(replies), host, port, reuse_address=True, backlog=1024
    )
    async with server:
        await server.serve_forever()


def main() -> None:
    """Command line entry point (uses uvloop when installed)."""
    server_main(serve, __doc__.splitlines()[0] if __doc__ else None)


if __name__ == "__main__":
    main()
