"""The keep-alive connections to one origin.

At most ``limit`` connections are open at once (idle and busy together); a
request that finds none idle and the pool full waits for one, within its
connect timeout. Idle connections are reused newest first, and closed after
``idle_timeout`` seconds unused (one timer per pool sweeps them). A
connection goes back to the pool only from :meth:`Response.close
<lip.backends.h1.response.Response.close>`, after a reply read to its end.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque

from lip.backends.h1.connect import open_connection
from lip.backends.h1.connection import Connection
from lip.backends.h1.endpoint import Origin
from lip.backends.h1.errors import ConnectTimeout


class Pool:
    """Connections to one :class:`Origin`."""

    __slots__ = (
        "_closed",
        "_idle",
        "_idle_timeout",
        "_limit",
        "_max_header_bytes",
        "_open",
        "_sweeper",
        "_waiters",
        "origin",
    )

    def __init__(
        self, origin: Origin, *, limit: int, idle_timeout: float, max_header_bytes: int
    ) -> None:
        self.origin = origin
        self._limit = limit
        self._idle_timeout = idle_timeout
        self._max_header_bytes = max_header_bytes
        self._idle: list[Connection] = []
        self._open = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._sweeper: asyncio.TimerHandle | None = None
        self._closed = False

    @property
    def open_connections(self) -> int:
        return self._open

    def idle(self) -> Connection | None:
        """The newest idle connection still open, or ``None``."""
        idle = self._idle
        while idle:
            conn = idle.pop()
            if conn.lost:
                continue
            transport = conn.transport
            if (
                transport is None
                or transport.is_closing()
                or time.monotonic() - conn.idle_since > self._idle_timeout
            ):
                conn.close()
                continue
            return conn
        return None

    async def acquire(self, connect_timeout: float, *, fresh: bool = False) -> Connection:
        """An idle connection, else a new one (``fresh``: always a new one), waiting
        for room when the pool is full; all within ``connect_timeout``."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(connect_timeout):
                while self._open >= self._limit:
                    if not fresh and (conn := self.idle()) is not None:
                        return conn
                    while fresh and self._idle:
                        oldest = self._idle.pop(0)
                        if not oldest.lost:
                            oldest.close()  # room for a new connection: the oldest idle goes
                            break
                    waiter = loop.create_future()
                    self._waiters.append(waiter)
                    try:
                        await waiter
                    except asyncio.CancelledError:
                        if waiter.done() and not waiter.cancelled():
                            self._wake()  # woken, then cancelled: pass the turn on
                        raise
                self._open += 1
                try:
                    return await open_connection(self.origin, lambda: self._connection(loop))
                except BaseException:
                    self._open -= 1
                    self._wake()
                    raise
        except TimeoutError:
            raise ConnectTimeout("not connected within the connect timeout") from None

    def release(self, conn: Connection) -> None:
        """Keep a connection whose reply was read to its end, for the next request."""
        if self._closed:
            conn.close()
            return
        conn.idle_since = time.monotonic()
        self._idle.append(conn)
        if self._sweeper is None:
            loop = asyncio.get_running_loop()
            self._sweeper = loop.call_later(self._idle_timeout, self._sweep)
        self._wake()

    def close(self) -> None:
        """Close the idle connections; busy ones close when their reply does."""
        self._closed = True
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None
        idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def _connection(self, loop: asyncio.AbstractEventLoop) -> Connection:
        return Connection(loop, max_header_bytes=self._max_header_bytes, on_lost=self._on_lost)

    def _on_lost(self, conn: Connection) -> None:
        self._open -= 1
        self._wake()

    def _wake(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _sweep(self) -> None:
        self._sweeper = None
        cutoff = time.monotonic() - self._idle_timeout
        keep: list[Connection] = []
        for conn in self._idle:
            if conn.lost:
                continue
            if conn.idle_since <= cutoff:
                conn.close()
            else:
                keep.append(conn)
        self._idle = keep
        if keep:
            # The oldest kept connection expires first: sweep again then.
            delay = keep[0].idle_since - cutoff
            self._sweeper = asyncio.get_running_loop().call_later(delay, self._sweep)


__all__ = ["Pool"]
