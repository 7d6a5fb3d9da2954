"""Per-backend health: a circuit breaker per backend, and the board that holds
each backend's breaker and bulkhead (:mod:`lip.routing.bulkhead`).

A breaker is a small state machine, driven by the executor::

    closed ──(failures in a row, or failure_ratio over the window)──▶ open
    open ──(open_for elapsed, checked lazily on access)──▶ half_open
    half_open ──(half_open_probes successes)──▶ closed
    half_open ──(any failure)──▶ open

Per call the executor asks :meth:`Breaker.admit`, and if admitted ends the
call with exactly one of :meth:`~Breaker.record_success`,
:meth:`~Breaker.record_failure` (when :func:`counts_as_failure` says the error
is the backend's) or :meth:`~Breaker.release` (cancelled, lost a race, or a
client error: says nothing about the backend's health).

Everything here is synchronous and clock-injectable: no tasks or timers, so
the components are deterministic under test and cost nothing while idle.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import assert_never

from lip.canonical import ErrorKind
from lip.canonical.enums import ValueEnum
from lip.config.model import BreakerConfig, Config
from lip.routing.bulkhead import Bulkhead

# An upstream Retry-After keeps a breaker open at least that long, but a
# misbehaving upstream must not be able to park a backend for days.
MAX_RETRY_AFTER = 3600.0


class BreakerState(ValueEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


OnChange = Callable[[str, BreakerState, BreakerState], None]
"""Called with (backend id, old state, new state) after every transition."""


def counts_as_failure(kind: ErrorKind) -> bool:
    """Does an error of this kind count against the backend's health?

    Yes for what the backend (or the path to it) did: rate limited, overloaded,
    timed out, failed or spoke off-spec. No for what the request or client did
    (invalid, unauthenticated, forbidden, not found, too large, cancelled): the
    same backend would serve a good request. No for ``internal`` either: that is
    a bug in LIP, and opening the breaker would hide it behind "circuit open".
    """
    match kind:
        case (
            ErrorKind.RATE_LIMITED
            | ErrorKind.OVERLOADED
            | ErrorKind.TIMEOUT
            | ErrorKind.UPSTREAM_ERROR
        ):
            return True
        case (
            ErrorKind.INVALID_REQUEST
            | ErrorKind.AUTHENTICATION
            | ErrorKind.PERMISSION
            | ErrorKind.NOT_FOUND
            | ErrorKind.REQUEST_TOO_LARGE
            | ErrorKind.CANCELLED
            | ErrorKind.INTERNAL
        ):
            return False
        case _:
            assert_never(kind)


class Breaker:
    """The circuit breaker of one backend (see the module docstring).

    Results that arrive while the breaker is open (calls admitted before it
    opened) change nothing, except that a Retry-After may lengthen the open
    interval. While half-open every result is taken as a probe's: ``admit``
    returns a bare bool, so a late result from before the opening cannot be
    told apart, and it is recent evidence about the backend either way.
    Not thread-safe: one per event loop (per worker).
    """

    def __init__(
        self,
        backend_id: str,
        config: BreakerConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        on_change: OnChange | None = None,
    ) -> None:
        self.backend_id = backend_id
        self.config = config
        self._clock = clock
        self._on_change = on_change
        self._state = BreakerState.CLOSED
        self._open_until = 0.0
        self._consecutive = 0
        # (time, ok) of the calls in the ratio window, oldest first; pruned on
        # every record so it holds at most `window` seconds of calls.
        self._window: deque[tuple[float, bool]] = deque()
        self._window_failures = 0
        self._probes = 0  # admitted half-open probes still running
        self._probe_successes = 0
        self._transitions = 0

    @property
    def state(self) -> BreakerState:
        """The current state; an open breaker whose interval has passed turns
        half-open here (there is no timer)."""
        if self._state is BreakerState.OPEN and self._clock() >= self._open_until:
            self._probes = 0
            self._probe_successes = 0
            self._move(BreakerState.HALF_OPEN)
        return self._state

    @property
    def transitions(self) -> int:
        """State changes so far (for tests and metrics)."""
        return self._transitions

    @property
    def probes_in_flight(self) -> int:
        """Half-open probes admitted and not yet ended."""
        return self._probes

    def admit(self) -> bool:
        """May a call go to the backend now? A True must be followed by exactly
        one ``record_success``, ``record_failure`` or ``release``."""
        state = self.state
        match state:
            case BreakerState.CLOSED:
                return True
            case BreakerState.OPEN:
                return False
            case BreakerState.HALF_OPEN:
                if self._probes >= self.config.half_open_probes:
                    return False
                self._probes += 1
                return True
            case _:
                assert_never(state)

    def record_success(self) -> None:
        """An admitted call succeeded."""
        state = self.state
        match state:
            case BreakerState.CLOSED:
                self._consecutive = 0
                self._record_in_window(ok=True)
            case BreakerState.OPEN:
                pass
            case BreakerState.HALF_OPEN:
                self._end_probe()
                self._probe_successes += 1
                if self._probe_successes >= self.config.half_open_probes:
                    self._reset_counts()
                    self._move(BreakerState.CLOSED)
            case _:
                assert_never(state)

    def record_failure(self, retry_after: float | None = None) -> None:
        """An admitted call failed in a way :func:`counts_as_failure` accepts.

        ``retry_after`` (seconds, from an upstream 429/503) keeps the breaker
        open at least that long if it opens now or is open already, capped at
        :data:`MAX_RETRY_AFTER`.
        """
        state = self.state
        match state:
            case BreakerState.CLOSED:
                self._consecutive += 1
                self._record_in_window(ok=False)
                if self._should_open():
                    self._open(retry_after)
            case BreakerState.OPEN:
                if retry_after is not None:
                    self._open_until = max(self._open_until, self._clock() + _cap(retry_after))
            case BreakerState.HALF_OPEN:
                self._end_probe()
                self._open(retry_after)
            case _:
                assert_never(state)

    def release(self) -> None:
        """An admitted call ended with neither success nor failure (cancelled,
        lost a race, or a client error): free its probe slot, count nothing."""
        if self.state is BreakerState.HALF_OPEN:
            self._end_probe()

    def reopens_in(self) -> float:
        """Seconds until an open breaker turns half-open (0 when not open): the
        Retry-After of a "circuit open" refusal."""
        if self.state is not BreakerState.OPEN:
            return 0.0
        return max(0.0, self._open_until - self._clock())

    def _should_open(self) -> bool:
        if self._consecutive >= self.config.failures:
            return True
        ratio = self.config.failure_ratio
        calls = len(self._window)
        # A division, not failures >= ratio * calls: 0.3 * 10 is 3.0000000000000004.
        return (
            ratio is not None
            and calls >= self.config.min_calls
            and self._window_failures / calls >= ratio
        )

    def _record_in_window(self, *, ok: bool) -> None:
        if self.config.failure_ratio is None:
            return  # ratio mode off: keep no history at all
        now = self._clock()
        self._window.append((now, ok))
        if not ok:
            self._window_failures += 1
        horizon = now - self.config.window
        while self._window and self._window[0][0] <= horizon:
            _, old_ok = self._window.popleft()
            if not old_ok:
                self._window_failures -= 1

    def _open(self, retry_after: float | None) -> None:
        hold = self.config.open_for
        if retry_after is not None:
            hold = max(hold, _cap(retry_after))
        self._open_until = self._clock() + hold
        self._reset_counts()
        self._move(BreakerState.OPEN)

    def _end_probe(self) -> None:
        # Clamped: a late result from a call admitted before the opening may
        # arrive with no probe of its own out.
        self._probes = max(0, self._probes - 1)

    def _reset_counts(self) -> None:
        # A fresh start on every transition: the history that opened the breaker
        # must not count again against the backend once it has recovered.
        self._consecutive = 0
        self._window.clear()
        self._window_failures = 0
        self._probes = 0
        self._probe_successes = 0

    def _move(self, new: BreakerState) -> None:
        old, self._state = self._state, new
        self._transitions += 1
        if self._on_change is not None:
            self._on_change(self.backend_id, old, new)


def _cap(retry_after: float) -> float:
    return min(max(retry_after, 0.0), MAX_RETRY_AFTER)


@dataclass(frozen=True, slots=True)
class BackendHealth:
    """One backend's health for diagnostics; ``None``: that part is not configured."""

    breaker: BreakerState | None
    reopens_in: float | None
    in_flight: int | None
    queued: int | None


class HealthBoard:
    """Every backend's breaker and bulkhead, built once from the config."""

    def __init__(
        self,
        breakers: Mapping[str, Breaker],
        bulkheads: Mapping[str, Bulkhead],
        ids: tuple[str, ...],
    ) -> None:
        self._breakers = dict(breakers)
        self._bulkheads = dict(bulkheads)
        self._ids = ids

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        clock: Callable[[], float] = time.monotonic,
        on_change: OnChange | None = None,
        replacing: tuple[Config, HealthBoard] | None = None,
    ) -> HealthBoard:
        """A breaker for each backend with ``breaker`` set and a bulkhead for
        each with ``concurrency`` set; ``on_change`` hears every breaker's transitions.

        A backend with instances gets none of its own: each instance
        (``<backend>.<instance>``) gets its own, built from the backend's
        settings, so one failing upstream never closes off its siblings.

        ``replacing``: the config and board a reload replaces; a backend
        configured exactly as before keeps its breakers and bulkheads (their
        state, and the calls they hold)."""
        kept: tuple[Mapping[str, Breaker], Mapping[str, Bulkhead]] = ({}, {})
        same: set[str] = set()
        if replacing is not None:
            before = {b.id: b for b in replacing[0].backends}
            same = {b.id for b in config.backends if before.get(b.id) == b}
            kept = (replacing[1]._breakers, replacing[1]._bulkheads)
        breakers = {
            uid: (kept[0].get(uid) if b.id in same else None)
            or Breaker(uid, b.breaker, clock=clock, on_change=on_change)
            for b in config.backends
            if b.breaker is not None
            for uid in b.upstream_ids()
        }
        bulkheads = {
            uid: (kept[1].get(uid) if b.id in same else None)
            or Bulkhead.from_config(uid, b.concurrency)
            for b in config.backends
            if b.concurrency is not None
            for uid in b.upstream_ids()
        }
        ids = tuple(uid for b in config.backends for uid in b.upstream_ids())
        return cls(breakers, bulkheads, ids)

    def breaker(self, backend_id: str) -> Breaker | None:
        """The backend's breaker; ``None`` when it has none configured."""
        return self._breakers.get(backend_id)

    def bulkhead(self, backend_id: str) -> Bulkhead | None:
        """The backend's bulkhead; ``None`` when it has none configured."""
        return self._bulkheads.get(backend_id)

    def snapshot(self) -> Mapping[str, BackendHealth]:
        """Every configured backend's health now, by id in config order."""
        out: dict[str, BackendHealth] = {}
        for backend_id in self._ids:
            breaker = self._breakers.get(backend_id)
            bulkhead = self._bulkheads.get(backend_id)
            out[backend_id] = BackendHealth(
                breaker=breaker.state if breaker is not None else None,
                reopens_in=breaker.reopens_in() if breaker is not None else None,
                in_flight=bulkhead.in_flight if bulkhead is not None else None,
                queued=bulkhead.queued if bulkhead is not None else None,
            )
        return out


__all__ = [
    "MAX_RETRY_AFTER",
    "BackendHealth",
    "Breaker",
    "BreakerState",
    "HealthBoard",
    "OnChange",
    "counts_as_failure",
]
