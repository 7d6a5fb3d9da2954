"""Fault injection every emulator offers the gateway's resilience tests,
over real loopback sockets: scripted 429/500 bodies (unary and streamed),
a slow first byte, a mid-stream cut, a stall, the request log's exchange
times (a departed client noticed within milliseconds, even mid-sleep), and
a port that refuses connections. Fixtures live in ``conftest.py``.

Most checks use a raw socket: it shows exactly when the status line
arrives, which chunks came and whether the terminating one did, and when
the client closed."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from refbackends.openai_chat import create_app
from refbackends.scripting import Script
from refbackends.serving import refused_port, refused_url, serve_in_thread
from refbackends.streaming import scripted_response
from tests.refbackends.wire import Event, queue, wait_for_request

USER: Any = [{"role": "user", "content": "hello there world"}]


def _openai_kind(body: Any) -> str:
    error = body["error"]
    assert set(error) == {"message", "type", "param", "code"}
    return str(error["code"] or error["type"])


def _anthropic_kind(body: Any) -> str:
    assert body["type"] == "error" and body["request_id"].startswith("req_")
    return str(body["error"]["type"])


def _google_kind(body: Any) -> str:
    error = body["error"]
    assert isinstance(error["code"], int) and error["message"]
    return str(error["status"])


@dataclass(frozen=True)
class Emulator:
    """How to ask one emulator for a unary or a streamed reply, and how its
    vendor spells a 429 and a 500."""

    name: str
    client: str  # the conftest fixture: a raw httpx client on a reset emulator
    path: str
    stream_path: str
    body: dict[str, object]
    stream_body: dict[str, object]
    error_kind: Callable[[Any], str]
    kinds: dict[int, str]
    headers: dict[str, str] = field(default_factory=dict)


_GEMINI = "/v1beta/models/gemini-2.5-flash"
_GEMINI_BODY: dict[str, object] = {
    "contents": [{"role": "user", "parts": [{"text": "hello there world"}]}]
}
_CLAUDE: dict[str, object] = {"model": "claude-opus-4-5", "max_tokens": 256, "messages": USER}
EMULATORS = [
    Emulator(
        "openai_chat",
        "http",
        "/v1/chat/completions",
        "/v1/chat/completions",
        {"model": "gpt-4o", "messages": USER},
        {"model": "gpt-4o", "messages": USER, "stream": True},
        _openai_kind,
        {429: "rate_limit_exceeded", 500: "server_error"},
    ),
    Emulator(
        "openai_responses",
        "rhttp",
        "/v1/responses",
        "/v1/responses",
        {"model": "gpt-4.1", "input": "hello there world"},
        {"model": "gpt-4.1", "input": "hello there world", "stream": True},
        _openai_kind,
        {429: "rate_limit_exceeded", 500: "server_error"},
    ),
    Emulator(
        "anthropic_messages",
        "ahttp",
        "/v1/messages",
        "/v1/messages",
        _CLAUDE,
        {**_CLAUDE, "stream": True},
        _anthropic_kind,
        {429: "rate_limit_error", 500: "api_error"},
        {"anthropic-version": "2023-06-01"},
    ),
    Emulator(
        "gemini",
        "ghttp",
        f"{_GEMINI}:generateContent",
        f"{_GEMINI}:streamGenerateContent?alt=sse",
        _GEMINI_BODY,
        _GEMINI_BODY,
        _google_kind,
        {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL"},
    ),
]


@dataclass(frozen=True)
class Target:
    """An emulator spec bound to its running server's client."""

    spec: Emulator
    http: httpx.Client

    def post(self, *, streamed: bool, **headers: str) -> httpx.Response:
        path = self.spec.stream_path if streamed else self.spec.path
        payload = self.spec.stream_body if streamed else self.spec.body
        return self.http.post(path, json=payload, headers={**self.spec.headers, **headers})

    def connect(self, *, streamed: bool, **headers: str) -> socket.socket:
        """A raw socket that has sent the request (``Connection: close``)."""
        url = self.http.base_url
        assert url.port is not None
        path = self.spec.stream_path if streamed else self.spec.path
        payload = json.dumps(self.spec.stream_body if streamed else self.spec.body).encode()
        lines = [
            f"POST {path} HTTP/1.1",
            f"host: {url.host}:{url.port}",
            "content-type: application/json",
            f"content-length: {len(payload)}",
            "connection: close",
            *(f"{name}: {value}" for name, value in {**self.spec.headers, **headers}.items()),
        ]
        sock = socket.create_connection((url.host, url.port), timeout=5)
        sock.sendall("\r\n".join(lines).encode() + b"\r\n\r\n" + payload)
        return sock

    def entry(self, predicate: Callable[[Event], bool] = lambda _: True) -> Event:
        return wait_for_request(self.http, predicate)


@pytest.fixture(params=EMULATORS, ids=[spec.name for spec in EMULATORS])
def target(request: pytest.FixtureRequest) -> Target:
    spec: Emulator = request.param
    return Target(spec, request.getfixturevalue(spec.client))


@dataclass
class Raw:
    """What a raw socket read: status, head, complete chunks (or the body
    of a sized response), and whether the body ended properly."""

    status: int
    head: bytes
    parts: list[bytes]
    complete: bool


def read_until(sock: socket.socket, *, quiet: float | None) -> bytes:
    """Everything the server sends until it closes (``quiet`` None) or
    stays silent for ``quiet`` seconds."""
    sock.settimeout(quiet if quiet is not None else 5)
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            if quiet is None:
                raise
            return data
        if not chunk:
            return data
        data += chunk


def parse(data: bytes) -> Raw:
    head, sep, body = data.partition(b"\r\n\r\n")
    assert sep, data
    status = int(head.split(b" ", 2)[1])
    headers = dict(
        line.lower().split(b": ", 1) for line in head.split(b"\r\n")[1:] if b": " in line
    )
    if b"content-length" in headers:
        return Raw(status, head, [body], len(body) == int(headers[b"content-length"]))
    assert headers.get(b"transfer-encoding") == b"chunked", head
    parts: list[bytes] = []
    while body:
        size_line, sep, rest = body.partition(b"\r\n")
        size = int(size_line, 16) if sep else -1
        if size == 0:
            return Raw(status, head, parts, True)
        if size < 0 or len(rest) < size + 2:
            break
        parts.append(rest[:size])
        body = rest[size + 2 :]
    return Raw(status, head, parts, False)


def close_and_measure(
    target: Target, sock: socket.socket, record_property: Callable[[str, object], None]
) -> Event:
    """Close the client's socket; the log entry once the emulator noticed.
    Asserts the notice came promptly and records how long it took."""
    closed_at = time.time()  # taken first: the server may notice before close() returns
    sock.close()
    entry = target.entry(lambda e: e["disconnected_at"] is not None)
    latency = entry["disconnected_at"] - closed_at
    record_property("disconnect_notice_ms", round(latency * 1000, 2))
    print(f"{target.spec.name}: disconnect noticed {latency * 1000:.1f} ms after close")
    # The target is ~100 ms (uvicorn reports the peer's FIN at once); 2 s
    # keeps a loaded machine from failing the test.
    assert 0 <= latency < 2.0
    assert entry["finished_at"] is None
    return entry


@pytest.fixture
def connections() -> Iterator[list[socket.socket]]:
    """Raw sockets closed after the test, even a failed one."""
    opened: list[socket.socket] = []
    yield opened
    for sock in opened:
        sock.close()


# --- scripted error statuses ---------------------------------------------------------------


@pytest.mark.parametrize("streamed", [False, True], ids=["unary", "streamed"])
@pytest.mark.parametrize(("status", "retry_after"), [(429, 7), (429, None), (500, None), (500, 2)])
def test_scripted_errors_carry_the_vendor_body(
    target: Target, streamed: bool, status: int, retry_after: int | None
) -> None:
    script: dict[str, object] = {"status": status}
    if retry_after is not None:
        script["retry_after"] = retry_after
    queue(target.http, script)
    response = target.post(streamed=streamed)
    assert response.status_code == status
    # A request refused before its stream starts gets a JSON error, not SSE.
    assert response.headers["content-type"].startswith("application/json")
    assert target.spec.error_kind(response.json()) == target.spec.kinds[status]
    if retry_after is not None:
        assert response.headers["retry-after"] == str(retry_after)
    entry = target.entry()
    assert entry["finished_at"] is not None and entry["disconnected_at"] is None


# --- timing, cuts, stalls ------------------------------------------------------------------


@pytest.mark.parametrize("streamed", [False, True], ids=["unary", "streamed"])
def test_delay_ms_holds_back_the_status_line(
    target: Target, streamed: bool, connections: list[socket.socket]
) -> None:
    sock = target.connect(streamed=streamed, **{"x-emulator-delay-ms": "150"})
    connections.append(sock)
    sent = time.monotonic()
    sock.settimeout(5)
    first = sock.recv(1)
    waited = time.monotonic() - sent
    assert first == b"H" and waited >= 0.14
    raw = parse(first + read_until(sock, quiet=None))
    assert raw.status == 200 and raw.complete
    entry = target.entry()
    assert entry["first_byte_at"] - entry["received_at"] >= 0.14
    assert entry["received_at"] <= entry["first_byte_at"] <= entry["finished_at"]
    assert entry["disconnected_at"] is None


@pytest.mark.parametrize("streamed", [False, True], ids=["unary", "streamed"])
def test_complete_responses_set_finished_at(target: Target, streamed: bool) -> None:
    before = time.time()
    response = target.post(streamed=streamed)
    after = time.time()
    assert response.status_code == 200
    entry = target.entry()
    assert before <= entry["received_at"] <= entry["first_byte_at"] <= entry["finished_at"] <= after
    assert entry["disconnected_at"] is None


def test_cut_after_drops_the_stream(target: Target, connections: list[socket.socket]) -> None:
    sock = target.connect(streamed=True, **{"x-emulator-cut-after": "2"})
    connections.append(sock)
    raw = parse(read_until(sock, quiet=None))  # the emulator closes the connection
    assert raw.status == 200 and len(raw.parts) == 2 and not raw.complete
    with pytest.raises(httpx.RemoteProtocolError):
        target.post(streamed=True, **{"x-emulator-cut-after": "2"})
    entry = target.entry()
    assert entry["first_byte_at"] is not None
    assert entry["finished_at"] is None and entry["disconnected_at"] is None


def test_cut_after_on_a_unary_body(target: Target) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        target.post(streamed=False, **{"x-emulator-cut-after": "10"})


@pytest.mark.parametrize("streamed", [False, True], ids=["unary", "streamed"])
def test_a_stall_holds_the_connection_until_the_client_leaves(
    target: Target,
    streamed: bool,
    connections: list[socket.socket],
    record_property: Callable[[str, object], None],
) -> None:
    # Streams stall after 2 frames, unary bodies after 10 bytes.
    stall_after = "2" if streamed else "10"
    sock = target.connect(streamed=streamed, **{"x-emulator-stall-after": stall_after})
    connections.append(sock)
    raw = parse(read_until(sock, quiet=0.2))
    assert raw.status == 200 and not raw.complete
    if streamed:
        assert len(raw.parts) == 2
    else:
        assert raw.parts == [raw.parts[0][:10]] and len(raw.parts[0]) == 10
    entry = close_and_measure(target, sock, record_property)
    assert entry["first_byte_at"] is not None


def test_queued_stall_after_zero_sends_only_the_headers(
    target: Target,
    connections: list[socket.socket],
    record_property: Callable[[str, object], None],
) -> None:
    queue(target.http, {"stall_after": 0})
    sock = target.connect(streamed=True)
    connections.append(sock)
    raw = parse(read_until(sock, quiet=0.2))
    assert raw.status == 200 and raw.parts == [] and not raw.complete
    close_and_measure(target, sock, record_property)


def test_a_client_leaving_during_a_chunk_delay_is_noticed(
    target: Target,
    connections: list[socket.socket],
    record_property: Callable[[str, object], None],
) -> None:
    sock = target.connect(streamed=True, **{"x-emulator-chunk-delay-ms": "500"})
    connections.append(sock)
    raw = parse(read_until(sock, quiet=0.15))
    assert raw.status == 200 and len(raw.parts) == 1
    close_and_measure(target, sock, record_property)


def test_a_client_leaving_during_the_first_byte_delay_is_noticed(
    target: Target,
    connections: list[socket.socket],
    record_property: Callable[[str, object], None],
) -> None:
    sock = target.connect(streamed=True, **{"x-emulator-delay-ms": "60000"})
    connections.append(sock)
    target.entry()  # logged: the emulator is in its delay
    entry = close_and_measure(target, sock, record_property)
    assert entry["first_byte_at"] is None


def test_a_stall_ends_with_its_client() -> None:
    """The stalled handler is cancelled, not left sleeping: a server still
    running it would spend its whole shutdown grace period (30 s) waiting."""
    spec = EMULATORS[0]
    with (
        serve_in_thread(create_app(), shutdown_timeout=30) as url,
        httpx.Client(base_url=url, timeout=5) as http,
    ):
        target = Target(spec, http)
        sock = target.connect(streamed=True, **{"x-emulator-stall-after": "1"})
        with sock:
            assert len(parse(read_until(sock, quiet=0.1)).parts) == 1
        target.entry(lambda e: e["disconnected_at"] is not None)
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 15  # far below the grace period, however loaded


# --- the script itself, and an upstream that is down ---------------------------------------


@pytest.mark.parametrize(
    ("stall_after", "cut_after", "frames", "stall", "cut"),
    [
        (2, None, [b"a", b"b"], True, False),
        (2, 1, [b"a"], False, True),
        (1, 1, [b"a"], True, False),
        (9, None, [b"a", b"b", b"c"], True, False),
    ],
)
def test_the_smaller_of_stall_and_cut_wins(
    stall_after: int, cut_after: int | None, frames: list[bytes], stall: bool, cut: bool
) -> None:
    script = Script(stall_after=stall_after, cut_after=cut_after)
    response = scripted_response(
        [b"a", b"b", b"c"], {}, script, status=200, media_type="text/plain", unary=False
    )
    assert (response.frames, response.stall, response.cut) == (frames, stall, cut)


def test_a_unary_stall_never_sends_the_whole_body() -> None:
    script = Script(stall_after=99)
    response = scripted_response(
        [b"abcdef"], {}, script, status=200, media_type="text/plain", unary=True
    )
    assert (response.frames, response.stall) == ([b"abcde"], True)
    assert (b"content-length", b"6") in response.raw_headers


def test_refused_port_refuses_connections() -> None:
    with refused_port() as port:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2)
        # Held: nobody else can take the port meanwhile.
        other = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        with other, pytest.raises(OSError):
            other.bind(("127.0.0.1", port))
    with refused_url() as url, pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=2)
