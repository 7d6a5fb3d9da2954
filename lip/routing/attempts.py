"""Running a plan tree up to its first client-visible output.

:class:`Attempts` opens one call's :class:`lip.routing.plan.Plan`: it walks
the tree (failover in order, weighted in a seeded random order, races
concurrently) until one leg commits output, and hands that leg back as an
:class:`Opened` stream. Everything before that point is invisible to the
client, so any leg may fail (connect error, 5xx, 429, a per-leg TTFT budget)
and the walk moves on; after it, nothing is retried (the executor streams
the winner to the end).

Each upstream attempt is a B-leg :class:`lip.continuity.records.Attempt`
appended to the call's record, and is reported to its backend's circuit
breaker, bulkhead and key pool. The whole call's TTFT budget is a hard
deadline: when it passes, the walk stops with a timeout (it never starts
another leg past it).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncGenerator, Callable, Sequence
from typing import assert_never

from lip.backends.base import Backend, Target
from lip.backends.keys import Key, verdict
from lip.canonical import (
    ErrorKind,
    Event,
    LipError,
    OverloadedError,
    RateLimitedError,
    UpstreamTimeoutError,
    may_fail_over,
)
from lip.continuity.records import Attempt, Outcome
from lip.ids import random_hex
from lip.routing.bulkhead import Bulkhead
from lip.routing.health import Breaker, HealthBoard, counts_as_failure
from lip.routing.opened import Opened
from lip.routing.plan import Branch, Leg, Op, Step

log = logging.getLogger("lip.executor")

LegStream = Callable[[Target], AsyncGenerator[list[Event], None]]
"""Opens one backend attempt (the executor's grammar-checked leg)."""

_KEY_ERRORS = frozenset({ErrorKind.RATE_LIMITED, ErrorKind.AUTHENTICATION, ErrorKind.PERMISSION})
_MAX_KEY_TRIES = 4  # attempts of one leg on different keys of the same backend


class BudgetExceeded(UpstreamTimeoutError):
    """The call's own time-to-first-output budget ran out: nothing more is tried."""


_TIMER_SLACK = 0.002
"""Seconds a deadline timer may fire early (see :meth:`Attempts._passed`)."""


class Attempts:
    """One call's walk of its plan; ``record`` collects the B-legs in start order."""

    def __init__(
        self,
        *,
        open_leg: LegStream,
        record: list[Attempt],
        health: HealthBoard | None,
        rng: random.Random,
        deadline: float,
        budget: float,
        backend_of: Callable[[str], Backend],
        trace_id: str | None = None,
        first_span_id: str | None = None,
    ) -> None:
        """``trace_id``: the call's W3C trace, when traced; every attempt sent
        upstream then gets a span id (the first one ``first_span_id``, when
        given; the others drawn) and a ``traceparent`` naming it."""
        self._open_leg = open_leg
        self._record = record
        self._health = health
        self._rng = rng
        self._deadline = deadline
        self._budget = budget
        self._backend_of = backend_of
        self._trace_id = trace_id
        self._first_span_id = first_span_id
        self._loop = asyncio.get_running_loop()

    async def open(self, step: Step) -> Opened:
        """The first leg of ``step`` to commit output; raises the walk's error otherwise."""
        return await self._step(step, self._deadline, [])

    # -- the tree ---------------------------------------------------------

    async def _step(self, step: Step, deadline: float, trail: list[Attempt]) -> Opened:
        budget = step.attrs.ttft_timeout
        if budget is not None:
            deadline = min(deadline, self._loop.time() + budget)
        if isinstance(step, Leg):
            return await self._leg(step, deadline, trail)
        match step.op:
            case Op.FAILOVER:
                return await self._in_order(step.children, deadline, trail)
            case Op.WEIGHTED:
                return await self._in_order(self._weighted(step), deadline, trail)
            case Op.RACE:
                return await self._race(step.children, deadline, trail)
            case _:
                assert_never(step.op)

    def _weighted(self, branch: Branch) -> list[Step]:
        """The children in a weighted random order (sampling without replacement)."""
        pool = list(branch.children)
        weights = [c.attrs.weight if c.attrs.weight is not None else 1.0 for c in pool]
        order: list[Step] = []
        while pool:
            (index,) = self._rng.choices(range(len(pool)), weights=weights)
            order.append(pool.pop(index))
            weights.pop(index)
        return order

    async def _in_order(
        self, steps: Sequence[Step], deadline: float, trail: list[Attempt]
    ) -> Opened:
        failure: LipError | None = None
        try:
            for step in steps:
                if failure is not None and self._passed(deadline):
                    break
                try:
                    return await self._step(step, deadline, trail)
                except BudgetExceeded:
                    raise
                except LipError as exc:
                    if not may_fail_over(exc.kind):
                        raise
                    failure = exc
            assert failure is not None  # a branch has at least two children
            raise failure
        finally:
            failure = None  # its traceback holds this frame: no cycle left for the collector

    async def _race(self, steps: Sequence[Step], deadline: float, trail: list[Attempt]) -> Opened:
        trails: list[list[Attempt]] = [[] for _ in steps]
        tasks = [
            asyncio.create_task(self._handicapped(step, deadline, own))
            for step, own in zip(steps, trails, strict=True)
        ]
        pending: set[asyncio.Task[Opened]] = set(tasks)
        failures: list[LipError] = []
        winner: Opened | None = None
        try:
            while pending and winner is None:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in (t for t in tasks if t in done):
                    error = task.exception()
                    if error is None:
                        opened = task.result()
                        if winner is None:
                            winner = opened
                        else:  # finished in the same instant: too late all the same
                            await opened.finish(None, Outcome.LOST_RACE)
                    elif isinstance(error, BudgetExceeded):
                        raise error
                    elif isinstance(error, LipError):
                        failures.append(error)
                    else:
                        raise error
        finally:
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)
            for task, own in zip(tasks, trails, strict=True):
                trail.extend(own)
                if winner is not None and (task.cancelled() or task in pending):
                    for attempt in own:
                        if attempt.outcome is Outcome.CANCELLED:
                            attempt.outcome = Outcome.LOST_RACE
        if winner is not None:
            return winner
        # Every branch failed: the most telling error is one that no other
        # backend would change (an invalid request), else the last one.
        final = next((e for e in failures if not may_fail_over(e.kind)), failures[-1])
        # What refers to the failed tasks and their errors goes before the raise:
        # the error's traceback will hold this frame.
        failures.clear()
        tasks.clear()
        done.clear()
        error = None
        del task
        try:
            raise final
        finally:
            del final

    async def _handicapped(self, step: Step, deadline: float, trail: list[Attempt]) -> Opened:
        handicap = step.attrs.handicap
        if handicap:
            await asyncio.sleep(max(0.0, min(handicap, deadline - self._loop.time())))
        return await self._step(step, deadline, trail)

    # -- one leg ----------------------------------------------------------

    async def _leg(self, leg: Leg, deadline: float, trail: list[Attempt]) -> Opened:
        target = leg.target
        backend = self._backend_of(target.backend_id)
        breaker = self._health.breaker(target.backend_id) if self._health else None
        bulkhead = self._health.bulkhead(target.backend_id) if self._health else None
        pool = backend.keys
        lone: Key | None = None
        if pool is not None and len(pool) == 1:
            # A lone key is never set aside: the backend sends it itself, and
            # the target needs no copy per call.
            lone, pool = pool.keys[0], None
        tried: set[Key] = set()
        failure: LipError | None = None  # the previous key's, when retrying on the next
        try:
            while True:
                if self._passed(deadline):
                    raise failure or self._timeout(deadline)
                key: Key | None = None
                if pool is not None:
                    key = pool.acquire()
                    if failure is not None and (key is None or key in tried):
                        raise failure  # no other key to try: the upstream's own answer
                attempt = Attempt.begun(
                    len(self._record) + 1,
                    target.backend_id,
                    target.model,
                    target.upstream_model,
                    _fingerprint(key if key is not None else lone),
                )
                self._record.append(attempt)
                trail.append(attempt)
                if breaker is not None and not breaker.admit():
                    self._skip(attempt, "circuit_open")
                    raise OverloadedError(
                        f"backend {target.backend_id!r} is unavailable (circuit breaker open)",
                        code="circuit_open",
                        retry_after=breaker.reopens_in() or None,
                    )
                if pool is not None and key is None:
                    self._skip(attempt, "no_usable_key")
                    if breaker is not None:
                        breaker.release()
                    raise RateLimitedError(
                        f"every upstream key of backend {target.backend_id!r} is cooling down"
                        " or disabled",
                        code="keys_exhausted",
                        retry_after=pool.retry_after(),
                    )
                traceparent = None
                if self._trace_id is not None:
                    span_id, self._first_span_id = self._first_span_id or random_hex(8), None
                    attempt.span_id = span_id
                    traceparent = f"00-{self._trace_id}-{span_id}-01"
                if key is not None or traceparent is not None:
                    target = target.sent_with(key, traceparent)
                try:
                    return await self._attempt(
                        target,
                        attempt,
                        deadline,
                        breaker,
                        bulkhead,
                    )
                except BudgetExceeded:
                    raise
                except LipError as exc:
                    kind = verdict(exc)
                    if key is None or pool is None or kind not in _KEY_ERRORS:
                        raise
                    pool.report(key, kind, exc.retry_after)
                    tried.add(key)
                    if len(tried) >= min(len(pool), _MAX_KEY_TRIES):
                        raise
                    failure = exc  # the same leg again, on the pool's next key
        finally:
            failure = None  # its traceback holds this frame: no cycle left for the collector

    async def _attempt(
        self,
        target: Target,
        attempt: Attempt,
        deadline: float,
        breaker: Breaker | None,
        bulkhead: Bulkhead | None,
    ) -> Opened:
        stream: AsyncGenerator[list[Event], None] | None = None
        admitted = False
        try:
            async with asyncio.timeout_at(deadline):
                if bulkhead is not None:
                    await bulkhead.acquire()
                    admitted = True
                stream = self._open_leg(target)
                first = await anext(stream)
        except TimeoutError:
            error: LipError = self._timeout(deadline)
        except LipError as exc:
            error = exc
        except (asyncio.CancelledError, Exception):
            # Lost a race or the client left (or a bug, logged by the leg):
            # nothing to say about the backend's health.
            attempt.outcome = Outcome.CANCELLED
            attempt.ended = time.time() - attempt.started
            await self._abandon(stream, bulkhead if admitted else None, breaker)
            raise
        else:
            attempt.first_output = time.time() - attempt.started
            return Opened(
                first=first,
                rest=stream,
                attempt=attempt,
                breaker=breaker,
                bulkhead=bulkhead if admitted else None,
            )
        sent = admitted or bulkhead is None
        attempt.outcome = Outcome.FAILED_BEFORE_OUTPUT if sent else Outcome.SKIPPED
        attempt.error_kind, attempt.error_message = error.kind.value, error.message
        attempt.ended = time.time() - attempt.started
        if breaker is not None:
            if sent and counts_as_failure(error.kind):
                breaker.record_failure(error.retry_after)
            else:
                breaker.release()
        await self._abandon(stream, bulkhead if admitted else None, None)
        try:
            raise error
        finally:
            del error  # its traceback holds this frame: no cycle left for the collector

    async def _abandon(
        self,
        stream: AsyncGenerator[list[Event], None] | None,
        bulkhead: Bulkhead | None,
        breaker: Breaker | None,
    ) -> None:
        try:
            if stream is not None:
                await stream.aclose()
        finally:
            if bulkhead is not None:
                bulkhead.release()
            if breaker is not None:
                breaker.release()

    def _skip(self, attempt: Attempt, code: str) -> None:
        attempt.outcome = Outcome.SKIPPED
        attempt.error_kind = code
        attempt.ended = 0.0

    def _passed(self, deadline: float) -> bool:
        """Whether ``deadline`` has come. A timer may fire up to the loop's
        clock granularity early (uvloop counts whole milliseconds): that close
        counts as reached, so a call's budget is never mistaken for a leg's."""
        return self._loop.time() >= deadline - _TIMER_SLACK

    def _timeout(self, deadline: float) -> LipError:
        """A deadline passed: the call's own (final) or a leg's or group's (move on)."""
        if deadline >= self._deadline and self._passed(self._deadline):
            return BudgetExceeded(
                f"no output within {self._budget:g} s (the call's time-to-first-output budget)"
            )
        return UpstreamTimeoutError("no output within the leg's time-to-first-output budget")


def _fingerprint(key: Key | None) -> str | None:
    return key.fingerprint if key is not None else None


__all__ = ["Attempts", "BudgetExceeded", "LegStream"]
