"""A small closed-loop HTTP/1.1 load generator on a raw asyncio protocol.

It shares a 2-core machine with the servers under test, so every microsecond
of its CPU per request is taken from them. Hence neither httpx (request and
response objects, header models and a pool round trip per request) nor
asyncio streams (a coroutine hop per ``readuntil``/``readexactly``): each
connection is an :class:`asyncio.Protocol` that sends a pre-rendered request
and parses the reply as it arrives in ``data_received`` (usually whole, in
one call), only as far as HTTP/1.1 framing needs (RFC 9112):

- the status line and headers (``Content-Length``, ``Transfer-Encoding``,
  ``Connection``); a head identical to the connection's previous one (the
  usual case: a benchmark repeats one request) is not parsed again;
- a body framed by ``Content-Length`` (section 6.3), or ``chunked``
  (section 7.1; chunk extensions and trailers are read and dropped), or, for
  neither, read to EOF and the connection is not reused;
- interim 1xx heads are skipped; no body for 101/204/304.

Each worker owns one keep-alive connection (reopened after an error or a
``Connection: close``) and sends its next request as soon as the previous
reply is complete: concurrency N means N requests in flight. The request
timeout costs no timer per request: each connection keeps one timer and
re-arms it when it fires before the current request's deadline.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar, cast

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
_NO_BODY_STATUSES = frozenset({101, 204, 304})
_MAX_HEAD = 64 * 1024
_LENGTH, _CHUNKED, _EOF = range(3)  # how a body is framed


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


class _Head(NamedTuple):
    """What a response head says about the reply."""

    status: int
    headers: dict[str, str]
    framing: int  # _LENGTH (``length`` bytes), _CHUNKED or _EOF
    length: int
    keep_alive: bool


def _parse_head(head: bytes) -> _Head:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise ProtocolError(f"bad status line {lines[0]!r}")
    status = int(parts[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep:
            raise ProtocolError(f"bad header line {line!r}")
        key = name.strip().lower()
        # Repeated fields fold into one comma-separated value (RFC 9110 5.3).
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    keep_alive = "close" not in headers.get("connection", "").lower()
    if 100 <= status < 200 or status in _NO_BODY_STATUSES:
        return _Head(status, headers, _LENGTH, 0, keep_alive)
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return _Head(status, headers, _CHUNKED, 0, keep_alive)
    length = headers.get("content-length")
    if length is None:
        return _Head(status, headers, _EOF, 0, False)  # the body ends with the connection
    if not length.isdigit():
        raise ProtocolError(f"bad Content-Length {length!r}")
    return _Head(status, headers, _LENGTH, int(length), keep_alive)


def _incomplete(buf: bytes | bytearray, start: int, what: str) -> int:
    """``start``, where parsing resumes once more bytes arrived; but a line
    (or head) of over ``_MAX_HEAD`` bytes is a :class:`ProtocolError`."""
    if len(buf) - start > _MAX_HEAD:
        raise ProtocolError(f"{what} too large")
    return start


class HttpConnection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection, one request at a time.

    :meth:`data_received` parses the reply as it arrives and resolves the
    future :meth:`exchange` awaits once the reply is complete.
    """

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()  # received bytes not parsed yet
        self._waiter: asyncio.Future[HttpResponse] | None = None
        self._gone: BaseException | None = None  # why the connection is unusable
        self._head: _Head | None = None  # the final head of the reply being read
        self._head_at = self._first_at = 0.0  # perf_counter times; 0.0: no body yet
        self._chunks: list[bytes | bytearray] = []
        self._known: tuple[bytes, _Head] | None = None  # the last head read, parsed
        self._deadline = math.inf  # loop time the pending exchange times out at
        self._timer: asyncio.TimerHandle | None = None

    @classmethod
    async def open(cls, host: str, port: int) -> HttpConnection:
        """Connect to ``host:port`` (plain TCP, ``TCP_NODELAY`` is asyncio's default)."""
        _, conn = await asyncio.get_running_loop().create_connection(cls, host, port)
        return conn

    def close(self) -> None:
        """Drop the connection without waiting for the peer."""
        self._fail(ConnectionAbortedError("connection closed by the client"))

    async def exchange(self, raw_request: bytes, timeout: float | None = None) -> HttpResponse:
        """Send a rendered request and read the whole reply within ``timeout`` seconds.

        Raises :class:`ProtocolError`, ``OSError``, ``EOFError`` (the peer
        closed mid-reply: ``asyncio.IncompleteReadError``) or ``TimeoutError``;
        the connection is unusable after any.
        """
        if self._gone is not None:
            raise self._gone
        if self._waiter is not None:
            raise RuntimeError("another exchange is in progress")
        assert self._transport is not None
        waiter: asyncio.Future[HttpResponse] = self._loop.create_future()
        self._waiter = waiter
        if timeout is None:
            self._deadline = math.inf
        else:
            self._deadline = self._loop.time() + timeout
            if self._timer is None or self._timer.when() > self._deadline:
                self._arm()
        self._transport.write(raw_request)
        if self._buffer:  # bytes the peer sent ahead of the request
            del self._buffer[: self._consume(self._buffer)]
        try:
            return await waiter
        except BaseException:
            # Failed or cancelled mid-reply: the byte stream is out of step.
            self._fail(ConnectionAbortedError("exchange interrupted"))
            raise
        finally:
            self._waiter = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement, but do not subclass, asyncio.Transport.
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        if buffer or self._waiter is None:
            buffer += data
            if self._waiter is not None:
                del buffer[: self._consume(buffer)]
        else:  # the usual case: parse ``data`` without copying it
            end = self._consume(data)
            if end < len(data):
                buffer += data[end:]

    def connection_lost(self, exc: Exception | None) -> None:
        head = self._head
        if exc is None and head is not None and head.framing == _EOF:
            self._finish(bytes(self._buffer))
        self._fail(exc or asyncio.IncompleteReadError(bytes(self._buffer), None))

    def _consume(self, buf: bytes | bytearray) -> int:
        """Parse what ``buf`` holds of the reply: how many bytes it consumed."""
        now = time.perf_counter()
        pos = 0
        try:
            while (head := self._head) is None:  # 1xx heads are interim (RFC 9110 15.2)
                known = self._known
                if known is not None and buf.startswith(known[0], pos):
                    pos, head = pos + len(known[0]), known[1]
                else:
                    end = buf.find(b"\r\n\r\n", pos)
                    if end < 0 or end - pos > _MAX_HEAD:
                        return _incomplete(buf, pos, "response head")
                    head = _parse_head(bytes(buf[pos:end]))
                    self._known = (bytes(buf[pos : end + 4]), head)
                    pos = end + 4
                if not 100 <= head.status < 200 or head.status == 101:
                    self._head, self._head_at, self._first_at = head, now, 0.0
            if head.framing == _CHUNKED:
                return self._read_chunks(buf, pos, now)
            if pos < len(buf) and not self._first_at:
                self._first_at = now
            if head.framing == _LENGTH and len(buf) - pos >= head.length:
                end = pos + head.length
                self._finish(bytes(buf[pos:end]))
                return end
            return pos  # an incomplete body, or one that ends with the connection
        except ProtocolError as exc:
            self._fail(exc)
            return len(buf)

    def _read_chunks(self, buf: bytes | bytearray, pos: int, now: float) -> int:
        """Read the complete chunks from ``pos``; finish the reply at the last one."""
        chunks = self._chunks
        while True:
            eol = buf.find(b"\r\n", pos)
            if eol < 0:
                return _incomplete(buf, pos, "chunk size line")
            try:
                size = int(buf[pos:eol].partition(b";")[0], 16)
            except ValueError:
                size = -1
            if size < 0:
                raise ProtocolError(f"bad chunk size line {bytes(buf[pos:eol])!r}")
            if size == 0:  # the last chunk, trailer fields (dropped), an empty line
                end = buf.find(b"\r\n\r\n", eol)
                if end < 0:
                    return _incomplete(buf, pos, "trailer section")
                self._chunks = []
                self._finish(b"".join(chunks))
                return end + 4
            start, stop = eol + 2, eol + 2 + size
            if len(buf) < stop + 2:
                return pos
            if buf[stop : stop + 2] != b"\r\n":
                raise ProtocolError("chunk not terminated by CRLF")
            chunks.append(buf[start:stop])
            if not self._first_at:
                self._first_at = now
            pos = stop + 2

    def _finish(self, body: bytes) -> None:
        head, waiter = self._head, self._waiter
        assert head is not None
        self._head = self._waiter = None  # bytes that follow wait for the next exchange
        if waiter is not None and not waiter.done():
            first = self._first_at if body else self._head_at
            headers = head.headers.copy()  # the cached head's dict stays unshared
            waiter.set_result(HttpResponse(head.status, headers, body, first, head.keep_alive))

    def _fail(self, exc: BaseException) -> None:
        """Make the connection unusable: fail a pending exchange with ``exc``, close."""
        if self._gone is None:
            self._gone = exc
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._transport is not None:
            self._transport.close()

    def _arm(self) -> None:
        """(Re)arm the connection's one timer for the pending exchange's deadline."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._loop.call_at(self._deadline, self._on_timer)

    def _on_timer(self) -> None:
        """One timer serves many exchanges: deadlines usually only move later,
        so when it fires before the pending exchange's deadline, it is re-armed."""
        self._timer = None
        if self._waiter is None or self._deadline == math.inf:
            return  # no deadline pending: the next exchange with one arms the timer
        if self._loop.time() >= self._deadline:
            self._fail(TimeoutError("no complete reply within the request timeout"))
        else:
            self._arm()


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

    def issue(self, result: LoadResult) -> float | None:
        """The time a worker may send one more request at, or None: enforces
        the end and the cap."""
        now = time.perf_counter()
        if self.stopped or now >= self.end:
            return None
        if result.issued >= self.cap:
            self.stopped, self.end, result.capped = True, max(now, self.start), True
            return None
        result.issued += 1
        return now

    def counts(self, started: float, finished: float) -> bool:
        return started >= self.start and finished <= self.end


async def _worker(load: Load, window: _Window, result: LoadResult) -> None:
    conn: HttpConnection | None = None
    raw, timeout, validate = load.raw_request, load.request_timeout_s, load.validate
    latencies, ttfbs = result.latencies, result.ttfbs
    try:
        while (started := window.issue(result)) is not None:
            try:
                if conn is None:
                    conn = await HttpConnection.open(load.host, load.port)
                    started = time.perf_counter()  # connecting is not part of the request
                reply = await conn.exchange(raw, timeout)
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
                problem = validate(reply)
                if problem is None:
                    latencies.append(finished - started)
                    ttfbs.append(reply.first_body_at - started)
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
