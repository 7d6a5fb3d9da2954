"""The rate limiter seam: what :class:`Limiter` promises, the :class:`Ticket`
it hands out, and the refusals it raises.

Every limit is counted over a sliding window of :data:`WINDOW` seconds (a log
of admissions, not fixed minute buckets), so a burst at a minute's edge can
never get twice the limit through. ``admit`` checks and records all three
limits in one atomic step: of N concurrent requests against ``rpm: R``
exactly R are admitted.

A refusal is a :class:`~lip.canonical.errors.RateLimitedError` whose code
names the limit (``rpm_exceeded``, ``tpm_exceeded``, ``concurrency_exceeded``)
and whose ``retry_after`` is the time until the window frees enough room.
Its message names the limit and its value, never the key.
"""

from __future__ import annotations

import itertools
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from lip.canonical.errors import RateLimitedError
from lip.config.access import KeyLimits

__all__ = ["WINDOW", "Limiter", "Refusal", "Ticket", "ticket_id"]

WINDOW = 60.0
"""Seconds an admission counts against ``rpm`` and its tokens against ``tpm``."""

# Ticket ids: this process's random prefix and a counter, unique among every
# process sharing one Redis without a system call per request. A forked
# worker draws its own prefix.
_process = os.urandom(8).hex()
_numbers = itertools.count(1)


def _new_process() -> None:
    global _process, _numbers
    _process, _numbers = os.urandom(8).hex(), itertools.count(1)


os.register_at_fork(after_in_child=_new_process)


def ticket_id() -> str:
    """A ticket id unique among the processes sharing a store."""
    return f"{_process}{next(_numbers):x}"


@dataclass(slots=True, eq=False)
class Ticket:
    """One admitted request, handed back to :meth:`Limiter.settle` and
    :meth:`Limiter.release`. It remembers what the admission recorded, so
    settling twice or releasing twice changes nothing."""

    subject: str
    estimated_tokens: int
    counts_tokens: bool
    """Its tokens were recorded (the subject has a ``tpm`` limit)."""
    holds_slot: bool
    """It holds a concurrency slot until released."""
    id: str = ""
    """The admission's name in a shared store (:func:`ticket_id`); an in-process
    limiter needs none."""
    settled: bool = False
    released: bool = False
    mark: object = field(default=None, repr=False)
    """Where the limiter recorded the admission, for its own settle and release."""


class Limiter(ABC):
    """Counts requests, tokens and requests in flight per subject (a client key,
    a token subject, an IP) against that subject's :class:`KeyLimits`."""

    remote: bool = True
    """Whether the counts live outside the process, so that a cancelled settle
    could leave them half-written (in-process limiters never suspend)."""

    @abstractmethod
    async def admit(self, subject: str, limits: KeyLimits, estimated_tokens: int) -> Ticket:
        """Check every limit set in ``limits`` and, only if all pass, record the
        request: one request for ``rpm``, ``estimated_tokens`` for ``tpm`` (up
        front, corrected by :meth:`settle`), one slot for ``concurrency``.

        Raises :class:`RateLimitedError` when a limit is reached; when several
        are, the one that frees last (its ``retry_after`` is then enough for all
        the time-based ones)."""

    @abstractmethod
    async def settle(self, ticket: Ticket, actual_tokens: int) -> None:
        """Correct the ticket's tokens from the estimate to ``actual_tokens``.
        The record keeps its admission time while that is still in the window;
        once it has left the window, tokens above the estimate are counted from
        now (so underestimates cannot slip past ``tpm``) and an overestimate is
        moot. Only the first call counts; never calling it leaves the estimate."""

    @abstractmethod
    async def release(self, ticket: Ticket) -> None:
        """Free the ticket's concurrency slot; calling it again does nothing."""

    async def finish(self, ticket: Ticket, actual_tokens: int | None) -> None:
        """What a call does once it is over: :meth:`settle` (when its usage is
        known, ``actual_tokens`` not None), then :meth:`release`."""
        try:
            if actual_tokens is not None:
                await self.settle(ticket, actual_tokens)
        finally:
            await self.release(ticket)

    async def aclose(self) -> None:
        """Release what the limiter holds (connections); it is not used after."""
        return None


@dataclass(frozen=True, slots=True)
class Refusal:
    """One limit a request did not fit: ``retry_after`` None means waiting will
    not help (``never``) or that nobody can tell (a concurrency slot)."""

    code: str
    message: str
    retry_after: float | None
    never: bool = False

    def error(self) -> RateLimitedError:
        return RateLimitedError(self.message, code=self.code, retry_after=self.retry_after)

    @staticmethod
    def rpm(limit: int, retry_after: float) -> Refusal:
        return Refusal(
            "rpm_exceeded",
            f"Rate limit reached: {limit} requests per minute; retry in {retry_after:.1f} s.",
            retry_after,
        )

    @staticmethod
    def tpm(limit: int, estimated: int, retry_after: float | None) -> Refusal:
        if retry_after is None:
            return Refusal(
                "tpm_exceeded",
                f"Token rate limit: this request is estimated at {estimated} tokens,"
                f" more than the limit of {limit} tokens per minute allows.",
                None,
                never=True,
            )
        return Refusal(
            "tpm_exceeded",
            f"Token rate limit reached: {limit} tokens per minute (this request is"
            f" estimated at {estimated}); retry in {retry_after:.1f} s.",
            retry_after,
        )

    @staticmethod
    def concurrency(limit: int) -> Refusal:
        return Refusal(
            "concurrency_exceeded",
            f"Concurrency limit reached: {limit} requests in flight at once;"
            " retry when one of them has finished.",
            None,
        )

    @staticmethod
    def worst(refusals: list[Refusal]) -> Refusal:
        """The refusal to report: one that waiting cannot cure, else the one that
        frees last (a full concurrency slot only when nothing else is refused)."""
        return max(
            refusals,
            key=lambda r: (r.never, r.retry_after is not None, r.retry_after or 0.0),
        )
