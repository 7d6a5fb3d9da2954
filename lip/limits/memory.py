"""The in-process :class:`~lip.limits.window.Limiter`: sliding logs per
subject, counted in this process only (``--workers 4`` gives each key four
times its limits: use the Redis store to share one count).

A subject's log is a queue of time slots: the admissions that came within
:data:`SLOT` seconds of a slot's first one share it (a count of requests and
of tokens), and leave the window together, at the first one's time plus
:data:`~lip.limits.window.WINDOW`. So a limit is exact to within one slot
(10 ms of a 60 s window), and the log holds at most ``WINDOW / SLOT`` slots
whatever the request rate, with no object per request. A ticket remembers
its slot, to settle its tokens there while the slot is in the window.

Memory stays bounded: every admission drops the least recently seen subjects
once they are idle, and at most ``max_subjects`` are kept (past it the least
recently seen one is forgotten even if busy: it then starts afresh, the
lesser harm next to unbounded growth when clients present ever new subjects).
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

from lip.config.access import KeyLimits
from lip.limits.window import WINDOW, Limiter, Refusal, Ticket

__all__ = ["SLOT", "MemoryLimiter"]

Clock = Callable[[], float]

SLOT = 0.01
"""Seconds within which admissions share one slot of a subject's log."""

_SWEEP = 2  # idle subjects looked at per admission: amortised O(1) cleanup


class _Slot:
    """Requests and tokens recorded from ``at`` on, for :data:`SLOT` seconds."""

    __slots__ = ("at", "requests", "tokens")

    def __init__(self, at: float) -> None:
        self.at, self.requests, self.tokens = at, 0, 0


class _Subject:
    __slots__ = ("in_flight", "requests", "slots", "tokens")

    def __init__(self) -> None:
        self.slots: deque[_Slot] = deque()
        self.requests = 0
        self.tokens = 0
        self.in_flight = 0

    def prune(self, since: float) -> None:
        """Forget what was recorded at or before ``since`` (it left the window)."""
        slots = self.slots
        while slots and slots[0].at <= since:
            slot = slots.popleft()
            self.requests -= slot.requests
            self.tokens -= slot.tokens

    @property
    def idle(self) -> bool:
        return not (self.slots or self.in_flight)

    def record(self, now: float, requests: int, tokens: int) -> _Slot:
        slots = self.slots
        slot = slots[-1] if slots else None
        if slot is None or now - slot.at >= SLOT:
            slot = _Slot(now)
            slots.append(slot)
        slot.requests += requests
        slot.tokens += tokens
        self.requests += requests
        self.tokens += tokens
        return slot

    def wait(self, excess: int, now: float, *, tokens: bool) -> float:
        """Seconds until the oldest slots holding ``excess`` requests (or tokens)
        have left the window."""
        freed = 0
        for slot in self.slots:
            freed += slot.tokens if tokens else slot.requests
            if freed >= excess:
                return slot.at + WINDOW - now
        return WINDOW  # unreachable while the excess is in the log; a safe answer anyway


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
            (rpm is not None and state.requests >= rpm)
            or (tpm is not None and state.tokens + estimated > tpm)
            or (concurrency is not None and state.in_flight >= concurrency)
        ):
            raise Refusal.worst(_refusals(state, limits, estimated, now)).error()
        ticket = Ticket(
            subject,
            estimated,
            counts_tokens=tpm is not None,
            holds_slot=concurrency is not None,
        )
        slot = None
        if rpm is not None or tpm is not None:
            slot = state.record(
                now, 1 if rpm is not None else 0, estimated if tpm is not None else 0
            )
        if concurrency is not None:
            state.in_flight += 1
        ticket.mark = (state, slot)
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
        mark = ticket.mark
        if state is not None and isinstance(mark, tuple) and mark[0] is state:
            slot: _Slot = mark[1]
            if slot.at > now - WINDOW:  # still in the window: correct it in place
                slot.tokens += actual - ticket.estimated_tokens
                state.tokens += actual - ticket.estimated_tokens
                return
        if actual > ticket.estimated_tokens:
            # The admission has left the window (or its subject was forgotten):
            # count the tokens it used beyond its estimate from now.
            self._state(ticket.subject).record(now, 0, actual - ticket.estimated_tokens)

    def _release(self, ticket: Ticket) -> None:
        if ticket.released or not ticket.holds_slot:
            return
        ticket.released = True
        mark, state = ticket.mark, self._subjects.get(ticket.subject)
        if state is not None and isinstance(mark, tuple) and mark[0] is state:
            state.in_flight -= 1

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
    if rpm is not None and state.requests >= rpm:
        # The request that must leave the window before one more fits.
        wait = state.wait(state.requests - rpm + 1, now, tokens=False)
        refusals.append(Refusal.rpm(rpm, wait))
    if tpm is not None:
        if estimated > tpm:
            refusals.append(Refusal.tpm(tpm, estimated, None))
        elif state.tokens + estimated > tpm:
            wait = state.wait(state.tokens + estimated - tpm, now, tokens=True)
            refusals.append(Refusal.tpm(tpm, estimated, wait))
    if concurrency is not None and state.in_flight >= concurrency:
        refusals.append(Refusal.concurrency(concurrency))
    return refusals
