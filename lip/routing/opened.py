"""A leg that has committed output: the rest of its stream, and how it is settled."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field

from lip.canonical import ErrorEvent, Event
from lip.continuity.records import Attempt, Outcome
from lip.routing.bulkhead import Bulkhead
from lip.routing.health import Breaker, counts_as_failure


@dataclass(slots=True, eq=False)
class Opened:
    """A leg that has produced its first batch; ``rest`` streams the remainder."""

    first: list[Event]
    rest: AsyncGenerator[list[Event], None]
    attempt: Attempt
    breaker: Breaker | None = None
    bulkhead: Bulkhead | None = None
    closed: bool = field(default=False)

    async def finish(self, last: Event | None, outcome: Outcome | None = None) -> None:
        """Close the upstream stream and settle the attempt and the backend's health.

        ``last`` is the final event the client received (None: the stream was
        abandoned); ``outcome`` overrides what it implies (cancelled, lost race).
        """
        if self.closed:
            return
        self.closed = True
        attempt = self.attempt
        try:
            await self.rest.aclose()
        finally:
            if self.bulkhead is not None:
                self.bulkhead.release()
            if outcome is None:
                if type(last) is ErrorEvent:
                    outcome = Outcome.SURFACED
                    attempt.error_kind, attempt.error_message = last.kind.value, last.message
                else:
                    outcome = Outcome.SUCCESS if last is not None else Outcome.CANCELLED
            attempt.outcome = outcome
            attempt.ended = time.time() - attempt.started
            if self.breaker is not None:
                if outcome is Outcome.SUCCESS:
                    self.breaker.record_success()
                elif (
                    outcome is Outcome.SURFACED
                    and type(last) is ErrorEvent
                    and counts_as_failure(last.kind)
                ):
                    self.breaker.record_failure(last.retry_after)
                else:
                    self.breaker.release()


__all__ = ["Opened"]
