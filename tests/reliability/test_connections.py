"""The connection layer over raw sockets: slow and silent clients are closed
after their timeouts, oversized heads and malformed HTTP are answered in the
client protocol's error shape, the connection cap answers instead of locking
everyone out, a client that stops reading is cut (and its upstream closed),
and during a drain responses say ``Connection: close``.

Time bounds here are the point of the tests and stay loose: a stalled
connection must be closed within twice its timeout (plus scheduling slack)."""

from __future__ import annotations

import asyncio
import json
import select
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from lip.config import parse_config
from lip.server import create_app
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

TIMEOUT = 0.5
SLACK = 1.5
"""Added to 2x the timeout: the server thread competes with the test for a CPU."""
MAX_CONNECTIONS = 8
CHAT = "/v1/chat/completions"
BODY = json.dumps({"model": "lip-stub", "messages": [{"role": "user", "content": "hi"}]}).encode()


class _Upstream:
    """Streams large chunks forever and records when a stream is closed."""

    def __init__(self) -> None:
        self.closed = threading.Event()

    def app(self) -> Starlette:
        async def completions(request: Request) -> Response:
            chunk = {
                "id": "c",
                "object": "chat.completion.chunk",
                "created": 1,
                "model": "m",
                "choices": [{"index": 0, "delta": {"content": "x" * 16384}, "finish_reason": None}],
            }
            frame = f"data: {json.dumps(chunk)}\n\n".encode()

            async def frames() -> AsyncIterator[bytes]:
                try:
                    for _ in range(100_000):
                        yield frame
                        await asyncio.sleep(0)
                finally:
                    self.closed.set()

            return StreamingResponse(frames(), media_type="text/event-stream")

        return Starlette(routes=[Route(CHAT, completions, methods=["POST"])])


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[_Upstream, str]]:
    up = _Upstream()
    with serve_in_thread(up.app()) as url:
        yield up, url


@pytest.fixture(scope="module")
def lip(upstream: tuple[_Upstream, str]) -> Iterator[str]:
    _, url = upstream
    config = parse_config(
        f"""
server:
  max_connections: {MAX_CONNECTIONS}
  max_header_bytes: 8192
  timeouts: {{header_read: {TIMEOUT}, body_read: {TIMEOUT}, keep_alive: {TIMEOUT}, write: {TIMEOUT}}}
backends:
  - {{id: stub, kind: localstub, models: [lip-stub]}}
  - {{id: firehose, kind: openai-compatible, base_url: '{url}/v1', models: [firehose]}}
""",
        env={},
    )
    app = create_app(config)
    with serve_lip(app) as base:
        yield base


def _connect(base: str, rcvbuf: int | None = None) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.socket()
    if rcvbuf is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.connect((host, int(port)))
    sock.settimeout(10)
    return sock


def _read_until_closed(sock: socket.socket) -> bytes:
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


def _answered(sock: socket.socket) -> bool:
    """Has the server sent something (or closed) yet?"""
    return bool(select.select([sock], [], [], 0)[0])


def _trickle(sock: socket.socket, data: bytes, pause: float, limit: float) -> None:
    """Send ``data`` a byte at a time until the server answers (or ``limit`` s)."""
    start = time.monotonic()
    for byte in data:
        if _answered(sock) or time.monotonic() - start > limit:
            return
        try:
            sock.send(bytes([byte]))
        except OSError:
            return
        time.sleep(pause)


def _error_reply(raw: bytes) -> tuple[int, dict[str, object], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    error = json.loads(body)["error"]
    assert set(error) == {"message", "type", "param", "code"}  # OpenAI's error shape
    return status, error, head.lower()


def _request(path: str = CHAT, body: bytes = BODY, extra: bytes = b"") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\n".encode()
        + extra
        + b"\r\n"
        + body
    )


def test_a_request_on_the_guarded_layer_is_served(lip: str) -> None:
    with _connect(lip) as sock:
        sock.sendall(_request())
        head = sock.recv(65536)
    assert head.startswith(b"HTTP/1.1 200 ")


def test_a_silent_connection_is_closed_after_the_header_timeout(lip: str) -> None:
    with _connect(lip) as sock:
        start = time.monotonic()
        assert _read_until_closed(sock) == b""
        assert time.monotonic() - start < 2 * TIMEOUT + SLACK


def test_headers_trickled_a_byte_at_a_time_get_408_in_the_clients_shape(lip: str) -> None:
    with _connect(lip) as sock:
        start = time.monotonic()
        _trickle(sock, _request(), 0.1, 4 * TIMEOUT + SLACK)
        raw = _read_until_closed(sock)
        elapsed = time.monotonic() - start
    status, error, head = _error_reply(raw)
    assert (status, error["type"]) == (408, "invalid_request_error")
    assert "headers did not arrive" in str(error["message"])
    assert b"connection: close" in head
    assert elapsed < 2 * TIMEOUT + SLACK


@pytest.mark.parametrize("leading", [b"\r\n", b"GET /\r\n"])
def test_a_bare_crlf_or_http09_line_is_answered_not_ignored(lip: str, leading: bytes) -> None:
    with _connect(lip) as sock:
        sock.sendall(leading)
        raw = _read_until_closed(sock)
    status, _, _ = _error_reply(raw)
    assert status == 408


def test_an_endless_header_is_refused_with_431_and_not_buffered(lip: str) -> None:
    with _connect(lip) as sock:
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nx-filler: ")
        sent = 0
        try:
            while sent < 20 * 1024 * 1024 and not _answered(sock):  # an unfinished 20 MB header
                sock.sendall(b"a" * 65536)
                sent += 65536
        except OSError:
            pass  # the server closed
        raw = _read_until_closed(sock)
    status, error, _ = _error_reply(raw)
    assert (status, error["type"]) == (431, "invalid_request_error")
    assert "8192 bytes" in str(error["message"])
    # Answered long before the 20 MB (what was sent beyond 8 KiB sat in the
    # kernel's socket buffers, which loopback autotunes to several MB).
    assert sent < 16 * 1024 * 1024


def test_a_trickled_body_gets_408_after_the_body_timeout(lip: str) -> None:
    with _connect(lip) as sock:
        request = _request()
        head, body = request[: -len(BODY)], BODY
        sock.sendall(head)
        start = time.monotonic()
        _trickle(sock, body, 0.2, 4 * TIMEOUT + SLACK)
        raw = _read_until_closed(sock)
        elapsed = time.monotonic() - start
    status, error, _ = _error_reply(raw)
    assert status == 408
    assert "body did not arrive" in str(error["message"])
    assert elapsed < 2 * TIMEOUT + SLACK + 0.2


MALFORMED = [
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS ClientHello to a plain port
    b"G\x00T / HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\r\nbad header line\r\n\r\n",
    b"GET / HTTP/1.1\r\nx y: z\r\n\r\n",
    b"GET / HTTP/9.9\r\n\r\n",
    b"POST /v1/chat/completions HTTP/1.1\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\n",
    b"POST /v1/chat/completions HTTP/1.1\r\ncontent-length: -1\r\n\r\n",
    b"POST /v1/chat/completions HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
    b"POST /v1/chat/completions HTTP/1.1\r\ntransfer-encoding: chunked\r\ncontent-length: 3\r\n\r\n",
    b"GET /v1/models HTTP/1.1\r\nhost: \x01\r\n\r\n",
]


@pytest.mark.parametrize("raw", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_http_is_answered_400_in_the_clients_shape(lip: str, raw: bytes) -> None:
    with _connect(lip) as sock:
        sock.sendall(raw)
        reply = _read_until_closed(sock)
    status, error, head = _error_reply(reply)
    assert (status, error["type"]) == (400, "invalid_request_error")
    assert b"content-type: application/json" in head


def test_past_the_connection_cap_a_new_client_is_answered_503_then_served_again(
    lip: str,
) -> None:
    idle = [_connect(lip) for _ in range(MAX_CONNECTIONS)]
    try:
        # Until the server has registered them all, one more is an ordinary
        # connection, closed silently after the header timeout: try again.
        deadline = time.monotonic() + 30
        while True:
            with _connect(lip) as extra:
                raw = _read_until_closed(extra)
            if raw or time.monotonic() > deadline:
                break
        status, error, head = _error_reply(raw)
        assert (status, error["type"]) == (503, "server_error")
        assert b"retry-after: 1" in head
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 10
    while True:
        reply = httpx.post(f"{lip}{CHAT}", content=BODY, timeout=10)
        if reply.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert reply.status_code == 200


def test_a_client_that_stops_reading_is_cut_and_its_upstream_closed(
    lip: str, upstream: tuple[_Upstream, str]
) -> None:
    up, _ = upstream
    up.closed.clear()
    body = json.dumps(
        {"model": "firehose", "stream": True, "messages": [{"role": "user", "content": "x"}]}
    ).encode()
    with _connect(lip, rcvbuf=4096) as sock:
        sock.sendall(_request(body=body))
        # Never read: LIP's socket buffer fills, writing pauses, and the write
        # timeout cuts the connection, which cancels the upstream stream.
        assert up.closed.wait(timeout=30)


def test_during_a_drain_keep_alive_responses_say_connection_close(
    upstream: tuple[_Upstream, str],
) -> None:
    config = parse_config("backends: [{id: stub, kind: localstub, models: [lip-stub]}]", env={})
    app = create_app(config)
    with serve_lip(app) as base, httpx.Client(base_url=base, timeout=10) as client:
        first = client.post(CHAT, content=BODY)
        assert "close" not in first.headers.get("connection", "")
        app.state.runtime.begin_drain()
        second = client.post(CHAT, content=BODY)  # on the same keep-alive connection
        assert second.status_code == 200
        assert second.headers["connection"] == "close"
        assert client.get("/readyz").status_code == 503
