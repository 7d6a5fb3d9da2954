"""One upstream HTTP/1.1 connection: a request written, its reply parsed by llhttp.

The connection is an :class:`asyncio.Protocol`, so bytes are parsed as the
loop hands them over, with no reader task. One request is in flight at a
time. Its body is buffered up to a high-water mark, then reading from the
socket pauses until the consumer takes the buffer (flow control). Any
failure, and a consumer that gives up (cancelled), aborts the transport at
once: a connection is only ever reused after a reply read to its end.

The read timeout is the longest silence while the consumer waits for the
upstream. One timer per connection serves it: when it fires it measures the
silence since the last bytes (or the start of the wait) and either fails the
wait or re-arms itself, so no timer is created or cancelled per read.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import cast

import httptools

from lip.backends.h1.errors import ConnectionClosed, ProtocolError, ReadTimeout, TransportError

HIGH_WATER = 256 * 1024
"""Buffered body bytes past which reading from the socket pauses."""

_NO_BODY = frozenset((204, 304))


class Connection(asyncio.Protocol):
    """An upstream connection and the state of the reply in flight on it."""

    __slots__ = (
        "_active",
        "_buffered",
        "_chunks",
        "_complete",
        "_error",
        "_head",
        "_header_bytes",
        "_interim",
        "_last_read",
        "_loop",
        "_max_header_bytes",
        "_on_lost",
        "_parser",
        "_paused",
        "_raw_headers",
        "_read_timeout",
        "_timer",
        "_timer_at",
        "_wait_start",
        "_waiter",
        "headers",
        "idle_since",
        "keep_alive",
        "lost",
        "received",
        "requests",
        "status",
        "transport",
        "until_close",
    )

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        *,
        max_header_bytes: int,
        on_lost: Callable[[Connection], None],
    ) -> None:
        self._loop = loop
        self._max_header_bytes = max_header_bytes
        self._on_lost = on_lost
        self._parser: httptools.HttpResponseParser  # made once connected
        self.transport: asyncio.Transport | None = None
        self.lost = False
        self.requests = 0
        """Requests sent on this connection (a reused one may have gone stale while idle)."""
        self.idle_since = 0.0
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0
        self._waiter: asyncio.Future[None] | None = None
        self._wait_start = self._last_read = 0.0
        self._read_timeout = 0.0
        self._chunks: deque[bytes] = deque()
        self._reset()

    def _reset(self) -> None:
        self._active = False
        self._head = self._complete = self._interim = self._paused = False
        self._error: TransportError | None = None
        self._raw_headers: list[tuple[bytes, bytes]] = []
        self._header_bytes = self._buffered = 0
        self.received = 0
        self.status = 0
        self.headers: dict[str, str] = {}
        self.keep_alive = False
        self.until_close = False

    # -- the request ------------------------------------------------------------

    def start(self, data: bytes, read_timeout: float) -> None:
        """Write one request (head and body); its reply is parsed as it arrives."""
        if self.requests:
            self._reset()
        self.requests += 1
        self._active = True
        self._read_timeout = read_timeout
        transport = self.transport
        if transport is None or self.lost or transport.is_closing():
            self._fail(ConnectionClosed("the connection closed before the request was sent"))
            return
        transport.write(data)

    async def read_head(self) -> None:
        """Wait for the status line and headers (``status``, ``headers``)."""
        while not self._head:
            if self._error is not None:
                raise self._error
            await self._wait()

    async def next_chunk(self) -> bytes:
        """All of the body buffered so far (at most about :data:`HIGH_WATER`
        bytes), waiting for some when there is none; ``b""`` at its end.
        Buffered bytes are handed over before a failure that followed them is
        raised. Handing over everything at once, not piece by piece, lets a
        stream's consumer do its per-read work once per burst of events."""
        while True:
            chunks = self._chunks
            if chunks:
                if len(chunks) == 1:
                    chunk = chunks.popleft()
                else:
                    chunk = b"".join(chunks)
                    chunks.clear()
                self._buffered = 0
                if self._paused:
                    self._paused = False
                    if self.transport is not None and not self.lost:
                        self.transport.resume_reading()
                return chunk
            if self._complete:
                return b""
            if self._error is not None:
                raise self._error
            await self._wait()

    @property
    def buffered(self) -> int:
        """Body bytes received and not yet handed over."""
        return self._buffered

    @property
    def drained(self) -> bool:
        """Whether the reply is complete and every body byte was handed over."""
        return self._complete and not self._chunks

    @property
    def reusable(self) -> bool:
        """Whether the next request may use this connection."""
        return (
            self._complete
            and self.keep_alive
            and not self._chunks
            and self._error is None
            and not self.lost
            and self.transport is not None
            and not self.transport.is_closing()
        )

    def close(self) -> None:
        """Close after a complete reply (the peer sees a clean FIN)."""
        self._disarm()
        if self.transport is not None and not self.lost:
            self.transport.close()

    def abort(self) -> None:
        """Drop the connection at once: nothing more is read or written on it."""
        self._disarm()
        if self.transport is not None and not self.lost:
            self.transport.abort()

    async def _wait(self) -> None:
        loop = self._loop
        waiter = self._waiter = loop.create_future()
        self._wait_start = now = loop.time()
        deadline = now + self._read_timeout
        if self._timer is None or self._timer_at > deadline:  # (a shorter timeout than before)
            self._arm(deadline)
        try:
            await waiter
        except asyncio.CancelledError:
            # The consumer is gone (a client disconnect): so is the upstream request.
            self._waiter = None
            self._fail(ConnectionClosed("the request was cancelled"))
            raise

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def _on_timer(self) -> None:
        self._timer = None
        if self._waiter is None or not self._active:
            return
        deadline = max(self._last_read, self._wait_start) + self._read_timeout
        if self._loop.time() >= deadline:
            self._fail(ReadTimeout("no reply within the read timeout"))
        else:
            self._arm(deadline)

    def _arm(self, deadline: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._loop.call_at(deadline, self._on_timer)
        self._timer_at = deadline

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _fail(self, error: TransportError) -> None:
        if self._error is None and not self._complete:
            self._error = error
        self.keep_alive = False
        self.abort()
        self._wake()

    # -- asyncio.Protocol -------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement, but do not subclass, asyncio.Transport.
        self.transport = cast(asyncio.Transport, transport)
        # The parser calls back into this connection: a reference cycle, made
        # only once connected and broken when the connection is lost, so that
        # neither a refused connection nor a closed one waits for the collector.
        self._parser = httptools.HttpResponseParser(self)

    def data_received(self, data: bytes) -> None:
        if self._timer is not None:
            self._last_read = self._loop.time()
        if not self._active or self._complete:
            # Bytes nobody asked for: the connection's framing can't be trusted.
            self.keep_alive = False
            self.abort()
            return
        self.received += len(data)
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserCallbackError:
            self._fail(self._error or ProtocolError("the reply is not valid HTTP"))
            return
        except (httptools.HttpParserError, httptools.HttpParserUpgrade):
            self._fail(ProtocolError("the reply is not valid HTTP"))
            return
        if not self._head and self.received > self._max_header_bytes:
            # A head still incomplete after this many bytes (its headers are
            # counted one by one as they complete, in on_header).
            self._fail(ProtocolError("the reply's header section is over the limit"))
            return
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self._disarm()
        if self._active and not self._complete and self._error is None:
            if self._head and self.until_close:
                self._complete = True  # a body delimited by the end of the connection
            else:
                self._error = ConnectionClosed("the connection closed mid-reply")
        self.keep_alive = False
        self._wake()
        self._on_lost(self)
        del self._parser

    # -- llhttp callbacks -------------------------------------------------------

    def on_header(self, name: bytes, value: bytes) -> None:
        self._raw_headers.append((name, value))
        self._header_bytes += len(name) + len(value) + 4
        if self._header_bytes > self._max_header_bytes:
            self._error = ProtocolError("the reply's header section is over the limit")
            raise self._error

    def on_headers_complete(self) -> None:
        if self._complete:
            # A second reply to one request: the framing can't be trusted.
            raise ProtocolError("a reply after the end of the reply")
        status = self._parser.get_status_code()
        if status < 200:
            # An interim reply (103 Early Hints, a stray 100): the real one follows.
            self._interim = True
            self._raw_headers = []
            return
        headers: dict[str, str] = {}
        for raw_name, raw_value in self._raw_headers:
            name = raw_name.decode("latin-1").lower()
            value = raw_value.decode("latin-1")
            previous = headers.get(name)
            headers[name] = value if previous is None else f"{previous}, {value}"
        self.status = status
        self.headers = headers
        self.keep_alive = self._parser.should_keep_alive()
        self.until_close = (
            status not in _NO_BODY
            and "content-length" not in headers
            and "chunked" not in headers.get("transfer-encoding", "").lower()
        )
        self._head = True

    def on_body(self, body: bytes) -> None:
        self._chunks.append(body)
        self._buffered += len(body)
        if self._buffered > HIGH_WATER and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()

    def on_message_complete(self) -> None:
        if self._interim:
            self._interim = False
            return
        # The read timer is left armed: it finds no wait and lapses (cheaper than
        # a cancel per reply).
        self._complete = True


__all__ = ["HIGH_WATER", "Connection"]
