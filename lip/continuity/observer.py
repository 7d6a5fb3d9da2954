"""What watches finished calls: the seam metrics, traces and access logs plug into.

An observer sees each HTTP request's :class:`CallRecord` twice: when the
request starts (:meth:`CallObserver.started`, e.g. an in-flight gauge) and
when its reply is complete (:meth:`CallObserver.ended`; the record then
holds the status, timings, the attempts and the usage). Observers run on the
event loop and must be quick; a failing observer is logged, never the
request's problem.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from lip.continuity.records import CallRecord
from lip.continuity.store import LineageStore

log = logging.getLogger("lip.observe")


class CallObserver:
    """Base: every hook does nothing."""

    traces = False
    """Whether this observer needs trace ids (then every call gets one, and
    every upstream attempt a span sent as ``traceparent``)."""

    def started(self, record: CallRecord) -> None:
        """A request arrived (only ``request_id``, ``method``, ``path`` and the trace are set)."""

    def ended(self, record: CallRecord) -> None:
        """The request's reply is complete (or the client left)."""

    def close(self) -> None:
        """The runtime is closing: flush what is pending. It may block (an
        exporter's last send), so the runtime calls it off the event loop."""


class Observers(CallObserver):
    """Several observers as one; each one's failures are its own."""

    def __init__(self, observers: Sequence[CallObserver]) -> None:
        self._observers = tuple(observers)
        self.traces = any(o.traces for o in self._observers)

    def __bool__(self) -> bool:
        return bool(self._observers)

    def __iter__(self) -> Iterator[CallObserver]:
        """Each observer, in the order they run (the app finds the metrics one)."""
        return iter(self._observers)

    def started(self, record: CallRecord) -> None:
        for observer in self._observers:
            try:
                observer.started(record)
            except Exception:
                log.exception("observer %s failed", type(observer).__name__)

    def ended(self, record: CallRecord) -> None:
        for observer in self._observers:
            try:
                observer.ended(record)
            except Exception:
                log.exception("observer %s failed", type(observer).__name__)

    def close(self) -> None:
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


__all__ = ["CallObserver", "Lineage", "Observers"]
