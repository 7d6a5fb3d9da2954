"""A per-backend bulkhead: at most ``limit`` requests in flight, a bounded FIFO
queue of callers waiting for a slot, and an immediate refusal past it.

One slow backend then cannot take every worker coroutine (and every socket)
with it: its callers wait a bounded time in a bounded queue, or are refused
with ``overloaded`` (503) so the executor can fail over to the next leg.

A freed slot is *handed over* to the first waiter rather than put back up for
grabs: ``in_flight`` never drops while someone waits, so a newcomer can never
overtake the queue (strict FIFO), and a waiter that is cancelled or times out
at the very moment it is handed a slot passes it on instead of leaking it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from lip.canonical import OverloadedError
from lip.config.model import ConcurrencyConfig

# What a refused client is told to wait: slots free as fast as requests finish,
# so a short hint; a failover leg, if any, is tried at once anyway.
RETRY_AFTER = 1.0


class Bulkhead:
    """Concurrency limit with a bounded FIFO wait queue for one backend.

    Use ``async with bulkhead.slot(): ...`` or pair :meth:`acquire` with exactly
    one :meth:`release`. Not thread-safe: one per event loop (per worker).
    """

    def __init__(
        self,
        limit: int,
        queue: int = 0,
        queue_timeout: float = 10.0,
        *,
        backend_id: str,
    ) -> None:
        if limit < 1 or queue < 0 or queue_timeout <= 0:
            raise ValueError("limit >= 1, queue >= 0 and queue_timeout > 0 are required")
        self.backend_id = backend_id
        self.limit = limit
        self.queue = queue
        self.queue_timeout = queue_timeout
        self._in_flight = 0
        # Each waiter's future is resolved (never cancelled by us) when a slot is
        # handed to it; only pending futures stay in the deque.
        self._waiters: deque[asyncio.Future[None]] = deque()

    @classmethod
    def from_config(cls, backend_id: str, config: ConcurrencyConfig) -> Bulkhead:
        """The bulkhead a backend's ``concurrency`` section describes."""
        return cls(config.limit, config.queue, config.queue_timeout, backend_id=backend_id)

    @property
    def in_flight(self) -> int:
        """Slots held (including ones handed to a waiter that has not resumed yet)."""
        return self._in_flight

    @property
    def queued(self) -> int:
        """Callers waiting for a slot."""
        return len(self._waiters)

    async def acquire(self) -> None:
        """Take a slot, waiting in line if the queue has room.

        Raises :class:`~lip.canonical.OverloadedError` with code ``backend_busy``
        when the limit is reached and the queue is full, or ``queue_timeout``
        when no slot came within ``queue_timeout`` seconds. A cancelled caller
        leaves the queue (or passes on a slot it was just handed) and re-raises.
        """
        if self._in_flight < self.limit and not self._waiters:
            self._in_flight += 1
            return
        if len(self._waiters) >= self.queue:
            raise OverloadedError(
                f"backend {self.backend_id} is at its concurrency limit "
                f"({self._in_flight} in flight, {len(self._waiters)} queued)",
                code="backend_busy",
                retry_after=RETRY_AFTER,
            )
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(self.queue_timeout):
                await waiter
        except TimeoutError:
            if self._was_handed_slot(waiter):
                # The slot arrived just as the timer fired: the wait did succeed.
                return
            raise OverloadedError(
                f"backend {self.backend_id} had no free concurrency slot within "
                f"{self.queue_timeout:g} s ({self._in_flight} in flight, "
                f"{len(self._waiters)} queued)",
                code="queue_timeout",
                retry_after=RETRY_AFTER,
            ) from None
        except BaseException:
            # Cancelled from outside: the caller will never release, so a slot
            # handed over in the same loop turn goes on to the next in line.
            if self._was_handed_slot(waiter):
                self.release()
            raise

    def release(self) -> None:
        """Give back a slot taken by :meth:`acquire`: the first waiter gets it."""
        if self._in_flight <= 0:
            raise RuntimeError(f"bulkhead {self.backend_id}: release without acquire")
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # in_flight unchanged: the slot changes hands
                return
        self._in_flight -= 1

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a slot for the body of an ``async with`` block."""
        await self.acquire()
        try:
            yield
        finally:
            self.release()

    def _was_handed_slot(self, waiter: asyncio.Future[None]) -> bool:
        """After a failed wait: did ``waiter`` receive a slot (True) or is it
        withdrawn from the queue now (False)?"""
        if waiter.done() and not waiter.cancelled():
            return True
        waiter.cancel()
        # release() may already have dropped it (it skips done futures).
        with suppress(ValueError):
            self._waiters.remove(waiter)
        return False


__all__ = ["RETRY_AFTER", "Bulkhead"]
