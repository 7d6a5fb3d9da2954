"""What watches finished calls: the seam metrics, traces and access logs plug into.

An observer sees each HTTP request's :class:`CallRecord` twice: when the
request starts (:meth:`CallObserver.started`, e.g. an in-flight gauge) and
when its reply is complete (:meth:`CallObserver.ended`; the record then
holds the status, timings, the attempts and the usage). Observers run on the
event loop and must be quick; a failing observer is logged, never the
request's problem.

An observer that sets :attr:`CallObserver.batches` sees finished records a
batch at a time (:class:`Observers` keeps them until :data:`BATCH` have ended
or ``flush_interval`` has passed since the first, then hands each observer
the whole batch in order). Running the same observer over many records in a
row costs far less per record than running every observer once per request,
and the reply never waits for it. :meth:`Observers.flush` hands over what is
pending at once (before a metrics scrape, when the runtime closes).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Sequence

from lip.continuity.records import CallRecord
from lip.continuity.store import LineageStore

log = logging.getLogger("lip.observe")

BATCH = 64
"""The most finished records :class:`Observers` keeps before handing them over:
it bounds the pause one hand-over makes on the event loop (well under a
millisecond with metrics, tracing and an access log)."""


class CallObserver:
    """Base: every hook does nothing."""

    traces = False
    """Whether this observer needs trace ids (then every call gets one, and
    every upstream attempt a span sent as ``traceparent``)."""

    batches = False
    """Whether :meth:`ended` may see a record up to ``flush_interval`` after the
    call ended (a metrics counter, a span exporter, a log); False: at once
    (e.g. the lineage ``/diagnostics`` reads back)."""

    def started(self, record: CallRecord) -> None:
        """A request arrived (only ``request_id``, ``method``, ``path`` and the trace are set)."""

    def ended(self, record: CallRecord) -> None:
        """The request's reply is complete (or the client left)."""

    def ended_batch(self, records: Sequence[CallRecord]) -> None:
        """Several finished requests, in the order they ended: how an observer
        that :attr:`batches` gets them. By default :meth:`ended` for each, a
        failure losing only the record it failed on."""
        for record in records:
            try:
                self.ended(record)
            except Exception:
                log.exception("observer %s failed", type(self).__name__)

    def close(self) -> None:
        """The runtime is closing: flush what is pending. It may block (an
        exporter's last send), so the runtime calls it off the event loop."""


class Observers(CallObserver):
    """Several observers as one; each one's failures are its own.

    ``flush_interval``: the longest a finished record waits for the observers
    that batch (0: none waits). Records are handed over on the event loop
    that ended them; without a running loop, at once."""

    def __init__(self, observers: Sequence[CallObserver], *, flush_interval: float = 0.0) -> None:
        self._observers = tuple(observers)
        self.traces = any(o.traces for o in self._observers)
        self._interval = flush_interval
        batched = tuple(o for o in self._observers if o.batches) if flush_interval > 0 else ()
        self._batched = batched
        self._immediate = tuple(o for o in self._observers if o not in batched)
        # Only those with a started hook of their own are called for it.
        self._starting = tuple(
            o for o in self._observers if type(o).started is not CallObserver.started
        )
        self._pending: list[CallRecord] = []
        self._timer: asyncio.TimerHandle | None = None

    def __bool__(self) -> bool:
        return bool(self._observers)

    def __iter__(self) -> Iterator[CallObserver]:
        """Each observer, in the order they run (the app finds the metrics one)."""
        return iter(self._observers)

    def started(self, record: CallRecord) -> None:
        for observer in self._starting:
            try:
                observer.started(record)
            except Exception:
                log.exception("observer %s failed", type(observer).__name__)

    def ended(self, record: CallRecord) -> None:
        for observer in self._immediate:
            try:
                observer.ended(record)
            except Exception:
                log.exception("observer %s failed", type(observer).__name__)
        if not self._batched:
            return
        pending = self._pending
        pending.append(record)
        if len(pending) >= BATCH:
            self.flush()
        elif self._timer is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self.flush()
                return
            self._timer = loop.call_later(self._interval, self.flush)

    def flush(self) -> None:
        """Hand every pending record to the observers that batch, now."""
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        records, self._pending = self._pending, []
        if not records:
            return
        for observer in self._batched:
            try:
                observer.ended_batch(records)
            except Exception:
                log.exception("observer %s failed", type(observer).__name__)

    def close(self) -> None:
        self.flush()
        for observer in self._observers:
            try:
                observer.close()
            except Exception:
                log.exception("observer %s failed to close", type(observer).__name__)


class Lineage(CallObserver):
    """Keeps each finished generate call's record for ``/diagnostics``: every
    call that was routed (one refused before routing, e.g. an invalid body or
    a 401, has nothing to trace)."""

    def __init__(self, store: LineageStore) -> None:
        self.store = store

    def ended(self, record: CallRecord) -> None:
        if record.selector is not None:
            self.store.put(record)


__all__ = ["BATCH", "CallObserver", "Lineage", "Observers"]
