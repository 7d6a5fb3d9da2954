"""A small closed-loop HTTP/1.1 load generator over raw asyncio streams.

Why not httpx: per request it builds ``Request``/``Response`` objects, header
models and a connection-pool round trip, which costs far more CPU than the
servers under test spend on a tiny reply; on a 2-core machine the generator
would then be the bottleneck. This client sends a pre-rendered request and
parses only what HTTP/1.1 framing needs (RFC 9112):

- the status line and headers (``Content-Length``, ``Transfer-Encoding``,
  ``Connection``);
- a body framed by ``Content-Length`` (section 6.3), or ``chunked``
  (section 7.1; chunk extensions and trailers are read and dropped), or, for
  neither, read to EOF and the connection is not reused;
- interim 1xx heads are skipped; no body for 101/204/304.

Each worker owns one keep-alive connection (reopened after an error or a
``Connection: close``) and sends its next request as soon as the previous
reply is complete: concurrency N means N requests in flight.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = [
    "HttpConnection",
    "HttpResponse",
    "Load",
    "LoadResult",
    "ProtocolError",
    "Validator",
    "event_loop_name",
    "percentile",
    "render_request",
    "run_async",
    "run_load",
]

_T = TypeVar("_T")
_NO_BODY_STATUSES = frozenset({204, 304})
_MAX_HEAD = 64 * 1024


class ProtocolError(Exception):
    """The server's reply does not follow HTTP/1.1 framing."""


@dataclass(frozen=True)
class HttpResponse:
    """One complete reply. ``first_body_at`` is the ``perf_counter`` time the
    first body bytes arrived (the head's arrival time for an empty body)."""

    status: int
    headers: dict[str, str]
    body: bytes
    first_body_at: float
    keep_alive: bool


def render_request(
    method: str,
    host: str,
    port: int,
    path: str,
    body: bytes = b"",
    headers: Sequence[tuple[str, str]] = (),
) -> bytes:
    """The full bytes of an HTTP/1.1 request, rendered once and resent as is.
    A body is sent as JSON with its ``Content-Length``."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: */*"]
    lines += [f"{name}: {value}" for name, value in headers]
    if body or method in ("POST", "PUT", "PATCH"):
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + body


class HttpConnection:
    """One keep-alive HTTP/1.1 connection, one request at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> HttpConnection:
        """Connect to ``host:port`` (plain TCP, ``TCP_NODELAY`` is asyncio's default)."""
        reader, writer = await asyncio.open_connection(host, port, limit=_MAX_HEAD)
        return cls(reader, writer)

    def close(self) -> None:
        """Drop the connection without waiting for the peer."""
        self._writer.close()

    async def exchange(self, raw_request: bytes) -> HttpResponse:
        """Send a rendered request and read the whole reply.

        Raises :class:`ProtocolError`, ``OSError`` or
        ``asyncio.IncompleteReadError``; the connection is unusable after any.
        """
        self._writer.write(raw_request)
        reader = self._reader
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.LimitOverrunError as exc:
                raise ProtocolError("response head too large") from exc
            arrived = time.perf_counter()
            status, headers = _parse_head(head)
            if not 100 <= status < 200 or status == 101:
                break  # 1xx heads are interim; the final response follows (RFC 9110 15.2)
        keep_alive = "close" not in headers.get("connection", "").lower()
        if status == 101 or status in _NO_BODY_STATUSES:
            return HttpResponse(status, headers, b"", arrived, keep_alive)
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body, first = await _read_chunked(reader)
            return HttpResponse(status, headers, body, first or arrived, keep_alive)
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                raise ProtocolError(f"bad Content-Length {length!r}")
            body = await reader.readexactly(int(length)) if length != "0" else b""
            return HttpResponse(status, headers, body, arrived, keep_alive)
        body = await reader.read()  # framed by EOF: the connection ends with it
        return HttpResponse(status, headers, body, arrived, False)


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise ProtocolError(f"bad status line {lines[0]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise ProtocolError(f"bad header line {line!r}")
        key = name.strip().lower()
        # Repeated fields fold into one comma-separated value (RFC 9110 5.3).
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return int(parts[1]), headers


async def _read_chunked(reader: asyncio.StreamReader) -> tuple[bytes, float | None]:
    chunks: list[bytes] = []
    first: float | None = None
    while True:
        size_line = await reader.readuntil(b"\r\n")
        try:
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise ProtocolError(f"bad chunk size line {size_line!r}") from None
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass  # trailer fields: ignored
            return b"".join(chunks), first
        data = await reader.readexactly(size + 2)
        if data[-2:] != b"\r\n":
            raise ProtocolError("chunk not terminated by CRLF")
        if first is None:
            first = time.perf_counter()
        chunks.append(data[:-2])


Validator = Callable[[HttpResponse], str | None]
"""Checks a reply; returns a short error label, or None when it is good."""


@dataclass(frozen=True)
class Load:
    """What to send, how hard and for how long."""

    host: str
    port: int
    raw_request: bytes
    validate: Validator
    concurrency: int
    warmup_s: float
    duration_s: float
    max_requests: int
    request_timeout_s: float = 10.0


@dataclass
class LoadResult:
    """Samples of the measured window (warm-up excluded), in seconds."""

    elapsed_s: float = 0.0
    latencies: list[float] = field(default_factory=list)
    ttfbs: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    issued: int = 0
    capped: bool = False

    @property
    def completed(self) -> int:
        """Good replies completed inside the window."""
        return len(self.latencies)

    @property
    def error_count(self) -> int:
        """Failed requests inside the window (transport or validation)."""
        return sum(self.errors.values())

    def add_error(self, label: str) -> None:
        """Count one failure under ``label``."""
        self.errors[label] = self.errors.get(label, 0) + 1


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of unsorted ``values`` (nan when empty)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(math.ceil(fraction * len(ordered)) - 1, 0))]


class _Window:
    """The measured interval: [start, end), ended early by the request cap."""

    def __init__(self, load: Load) -> None:
        now = time.perf_counter()
        self.start = now + load.warmup_s
        self.end = self.start + load.duration_s
        self.cap = load.max_requests
        self.stopped = False

    def issue(self, result: LoadResult) -> bool:
        """May a worker send one more request? Enforces the end and the cap."""
        now = time.perf_counter()
        if self.stopped or now >= self.end:
            return False
        if result.issued >= self.cap:
            self.stopped, self.end, result.capped = True, max(now, self.start), True
            return False
        result.issued += 1
        return True

    def counts(self, started: float, finished: float) -> bool:
        return started >= self.start and finished <= self.end


async def _worker(load: Load, window: _Window, result: LoadResult) -> None:
    conn: HttpConnection | None = None
    try:
        while window.issue(result):
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = await HttpConnection.open(load.host, load.port)
                    started = time.perf_counter()  # connecting is not part of the request
                async with asyncio.timeout(load.request_timeout_s):
                    reply = await conn.exchange(load.raw_request)
            except (OSError, EOFError, ProtocolError, TimeoutError) as exc:
                if window.counts(started, time.perf_counter()):
                    result.add_error(type(exc).__name__)
                if conn is not None:
                    conn.close()
                conn = None
                await asyncio.sleep(0.001)  # a refusing server must not be spun on
                continue
            finished = time.perf_counter()
            if window.counts(started, finished):
                problem = load.validate(reply)
                if problem is None:
                    result.latencies.append(finished - started)
                    result.ttfbs.append(reply.first_body_at - started)
                else:
                    result.add_error(problem)
            if not reply.keep_alive:
                conn.close()
                conn = None
    finally:
        if conn is not None:
            conn.close()


async def run_load(load: Load, on_window: Callable[[str], None] | None = None) -> LoadResult:
    """Run ``load.concurrency`` closed-loop workers: warm up, then measure.

    ``on_window("start")`` and ``on_window("end")`` are called at the window
    edges (for CPU snapshots of the processes involved).
    """
    result = LoadResult()
    window = _Window(load)
    workers = [asyncio.create_task(_worker(load, window, result)) for _ in range(load.concurrency)]
    try:
        await asyncio.sleep(max(window.start - time.perf_counter(), 0.0))
        if on_window is not None:
            on_window("start")
        while time.perf_counter() < window.end and not window.stopped:
            await asyncio.sleep(min(0.05, max(window.end - time.perf_counter(), 0.0)))
        if on_window is not None:
            on_window("end")
        result.elapsed_s = max(window.end - window.start, 1e-9)
        # In-flight requests finish (they are outside the window); hung ones are cut.
        await asyncio.wait(workers, timeout=load.request_timeout_s)
    finally:
        for task in workers:
            task.cancel()
        outcomes = await asyncio.gather(*workers, return_exceptions=True)
    # A worker that died of anything but cancellation is a bug: surface it.
    failures = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    if failures:
        raise failures[0]
    return result


def run_async(main: Coroutine[Any, Any, _T]) -> _T:
    """Run ``main`` on uvloop when it is installed (as uvicorn does), else asyncio."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def event_loop_name() -> str:
    """``"uvloop"`` or ``"asyncio"``: what :func:`run_async` uses."""
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


def server_main(
    serve: Callable[[str, int], Coroutine[Any, Any, None]], description: str | None
) -> None:
    """Command line of a benchmark server: ``--host``, ``--port``, then ``serve``
    until Ctrl-C (uses uvloop when installed)."""
    import argparse
    import contextlib
    import signal

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # Ctrl-C semantics even when started with SIGINT ignored (a background
    # job of a non-interactive shell): the benchmark stops servers with SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        run_async(serve(args.host, args.port))
