"""The in-process :class:`~lip.limits.window.Limiter`: exact sliding logs per
subject, counted in this process only (``--workers 4`` gives each key four
times its limits: use the Redis store to share one count).

Memory stays bounded: a subject's logs hold only what is inside the window
(at most ``rpm`` requests, one entry per admission for ``tpm``), every
admission drops the least recently seen subjects once they are idle, and at
most ``max_subjects`` are kept (past it the least recently seen one is
forgotten even if busy: it then starts afresh, the lesser harm next to
unbounded growth when clients present ever new subjects).
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

from lip.config.access import KeyLimits
from lip.limits.window import WINDOW, Limiter, Refusal, Ticket

__all__ = ["MemoryLimiter"]

Clock = Callable[[], float]

_SWEEP = 2  # idle subjects looked at per admission: amortised O(1) cleanup


class _Spend:
    """Tokens recorded at ``at``; ``ticket`` is None for a late correction."""

    __slots__ = ("at", "ticket", "tokens")

    def __init__(self, at: float, tokens: int, ticket: str | None) -> None:
        self.at, self.tokens, self.ticket = at, tokens, ticket


class _Subject:
    __slots__ = ("by_ticket", "in_flight", "requests", "spends", "tokens")

    def __init__(self) -> None:
        self.requests: deque[float] = deque()
        self.spends: deque[_Spend] = deque()
        self.by_ticket: dict[str, _Spend] = {}
        self.tokens = 0
        self.in_flight: set[str] = set()

    def prune(self, since: float) -> None:
        """Forget what was recorded at or before ``since`` (it left the window)."""
        requests, spends = self.requests, self.spends
        while requests and requests[0] <= since:
            requests.popleft()
        while spends and spends[0].at <= since:
            spend = spends.popleft()
            self.tokens -= spend.tokens
            if spend.ticket is not None:
                del self.by_ticket[spend.ticket]

    @property
    def idle(self) -> bool:
        return not (self.requests or self.spends or self.in_flight)

    def add_tokens(self, at: float, tokens: int, ticket: str | None) -> None:
        spend = _Spend(at, tokens, ticket)
        self.spends.append(spend)
        self.tokens += tokens
        if ticket is not None:
            self.by_ticket[ticket] = spend

    def tpm_wait(self, limit: int, estimated: int, now: float) -> float:
        """Seconds until ``estimated`` more tokens fit under ``limit``: until
        enough of the oldest entries have left the window."""
        excess, freed = self.tokens + estimated - limit, 0
        for spend in self.spends:
            freed += spend.tokens
            if freed >= excess:
                return spend.at + WINDOW - now
        return WINDOW  # unreachable while estimated <= limit; a safe answer anyway


class MemoryLimiter(Limiter):
    """Sliding-log limits in this process. ``clock`` (monotonic seconds) is
    injectable for tests; ``max_subjects`` bounds the subjects remembered."""

    remote = False

    def __init__(self, *, clock: Clock = time.monotonic, max_subjects: int = 100_000) -> None:
        if max_subjects < 1:
            raise ValueError("max_subjects must be at least 1")
        self._clock, self._max_subjects = clock, max_subjects
        # Least recently admitted first: the order idle sweeping and eviction use.
        self._subjects: OrderedDict[str, _Subject] = OrderedDict()

    def __len__(self) -> int:
        """Subjects currently remembered."""
        return len(self._subjects)

    async def admit(self, subject: str, limits: KeyLimits, estimated_tokens: int) -> Ticket:
        # No await in here: within one event loop the check and the record are
        # one atomic step, which is what makes a concurrent burst exact.
        rpm, tpm, concurrency = limits.rpm, limits.tpm, limits.concurrency
        estimated = max(0, estimated_tokens)
        if rpm is None and tpm is None and concurrency is None:
            return Ticket(subject, estimated, counts_tokens=False, holds_slot=False)
        now = self._clock()
        state = self._state(subject)
        state.prune(now - WINDOW)
        if len(self._subjects) > 1:  # the one subject would be ``state``
            self._sweep(now, keep=state)
        if (
            (rpm is not None and len(state.requests) >= rpm)
            or (tpm is not None and state.tokens + estimated > tpm)
            or (concurrency is not None and len(state.in_flight) >= concurrency)
        ):
            raise Refusal.worst(_refusals(state, limits, estimated, now)).error()
        ticket = Ticket(
            subject,
            estimated,
            counts_tokens=tpm is not None,
            holds_slot=concurrency is not None,
        )
        if rpm is not None:
            state.requests.append(now)
        if tpm is not None:
            state.add_tokens(now, estimated, ticket.id)
        if concurrency is not None:
            state.in_flight.add(ticket.id)
        return ticket

    async def settle(self, ticket: Ticket, actual_tokens: int) -> None:
        self._settle(ticket, actual_tokens)

    async def release(self, ticket: Ticket) -> None:
        self._release(ticket)

    async def finish(self, ticket: Ticket, actual_tokens: int | None) -> None:
        # One await for both: neither suspends.
        if actual_tokens is not None:
            self._settle(ticket, actual_tokens)
        self._release(ticket)

    def _settle(self, ticket: Ticket, actual_tokens: int) -> None:
        if ticket.settled or not ticket.counts_tokens:
            return
        ticket.settled = True
        actual = max(0, actual_tokens)
        now = self._clock()
        state = self._subjects.get(ticket.subject)
        if state is not None:
            spend = state.by_ticket.get(ticket.id)
            if spend is not None and spend.at > now - WINDOW:  # still in the window
                state.tokens += actual - spend.tokens
                spend.tokens = actual
                return
        if actual > ticket.estimated_tokens:
            # The admission has left the window (or its subject was forgotten):
            # count the tokens it used beyond its estimate from now.
            self._state(ticket.subject).add_tokens(now, actual - ticket.estimated_tokens, None)

    def _release(self, ticket: Ticket) -> None:
        if ticket.released or not ticket.holds_slot:
            return
        ticket.released = True
        state = self._subjects.get(ticket.subject)
        if state is not None:
            state.in_flight.discard(ticket.id)

    def _state(self, subject: str) -> _Subject:
        state = self._subjects.get(subject)
        if state is not None:
            self._subjects.move_to_end(subject)
            return state
        while len(self._subjects) >= self._max_subjects:
            self._subjects.popitem(last=False)
        state = self._subjects[subject] = _Subject()
        return state

    def _sweep(self, now: float, keep: _Subject) -> None:
        """Drop the least recently seen subjects once nothing of theirs is left
        (never ``keep``, the subject being admitted)."""
        since = now - WINDOW
        for _ in range(_SWEEP):
            subject, state = next(iter(self._subjects.items()))
            state.prune(since)
            if state is keep or not state.idle:
                return
            del self._subjects[subject]


def _refusals(state: _Subject, limits: KeyLimits, estimated: int, now: float) -> list[Refusal]:
    """Every limit of ``limits`` the request does not fit."""
    rpm, tpm, concurrency = limits.rpm, limits.tpm, limits.concurrency
    refusals: list[Refusal] = []
    if rpm is not None and len(state.requests) >= rpm:
        # The request that must leave the window before one more fits.
        leaving = state.requests[len(state.requests) - rpm]
        refusals.append(Refusal.rpm(rpm, leaving + WINDOW - now))
    if tpm is not None:
        if estimated > tpm:
            refusals.append(Refusal.tpm(tpm, estimated, None))
        elif state.tokens + estimated > tpm:
            wait = state.tpm_wait(tpm, estimated, now)
            refusals.append(Refusal.tpm(tpm, estimated, wait))
    if concurrency is not None and len(state.in_flight) >= concurrency:
        refusals.append(Refusal.concurrency(concurrency))
    return refusals
