"""Run a call against its plan, enforcing the output-commit rule.

Before the first client-visible output (docs/design.md, "Output commit") a
failure is raised as :class:`LipError`: the plan's walk
(:class:`lip.routing.attempts.Attempts`: failover, weighted picks, races,
per-leg and per-call time-to-first-output budgets) moves on when the
error's kind allows it (:func:`lip.canonical.may_fail_over`), and when
nothing is left the caller still answers with a proper HTTP error. After
it, failures become an in-stream ``ErrorEvent`` and the stream ends: no
budget or failure causes a retry once output has started.

Every stream is checked against the event grammar on the way through
(:class:`lip.canonical.Grammar`): a backend that breaks it is a bug in LIP,
reported as ``internal`` — a 500 before output, an in-stream error after —
and never a reason to try another leg.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
from collections.abc import AsyncGenerator, Callable, Mapping

from lip.backends.base import Backend, Target
from lip.canonical import (
    CONTENT_EVENTS,
    Call,
    ErrorEvent,
    ErrorKind,
    Event,
    Grammar,
    GrammarViolation,
    InternalError,
    LipError,
    ResponseFinished,
    error_for,
)
from lip.continuity.records import CallRecord
from lip.routing.attempts import Attempts
from lip.routing.health import HealthBoard
from lip.routing.opened import Opened
from lip.routing.planner import Planner

log = logging.getLogger("lip.executor")

_TERMINALS = (ResponseFinished, ErrorEvent)
# What a client sees of a bug in LIP: never the details (they are logged).
_INTERNAL = ErrorEvent(kind=ErrorKind.INTERNAL, message="internal error while streaming")


class Executor:
    """Stateless per call; shared by every request of a server."""

    def __init__(
        self,
        planner: Planner,
        backends: Mapping[str, Backend],
        scrub: Callable[[str], str] = str,
        *,
        health: HealthBoard | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._planner = planner
        self._backends = backends
        self._health = health
        # Weighted picks; a seeded Random makes them reproducible in tests.
        self._rng = rng or random.Random()
        # Errors leave the backends here: upstream text in them (a 4xx message,
        # an echoed key) passes through this before any client or log sees it.
        self._scrub = scrub

    async def events(
        self, call: Call, record: CallRecord | None = None
    ) -> AsyncGenerator[list[Event], None]:
        """The call's events, in the batches the backend produced them.

        ``record`` (when lineage is kept) receives the plan and one attempt
        per upstream request, each settled when it ends."""
        if record is not None:  # as written, in case it does not parse or resolve
            record.selector = call.route or call.model
        plan = self._planner.plan_tree(call)
        attempts = record.attempts if record is not None else []
        if record is not None:
            record.selector = plan.selector
            record.plan = plan.text
        loop = asyncio.get_running_loop()
        walk = Attempts(
            open_leg=lambda target: self._leg(call, target),
            record=attempts,
            health=self._health,
            rng=self._rng,
            deadline=loop.time() + plan.ttft_timeout,
            budget=plan.ttft_timeout,
            backend_of=self._backends.__getitem__,
            trace_id=record.trace_id if record is not None else None,
            # The request id's last 8 bytes (lip.server.requestid plans the
            # request's ids from it: the server span is its first 8).
            first_span_id=record.request_id[16:] if record and record.trace_id else None,
        )
        opened: Opened = await walk.open(plan.root)
        last: Event | None = None
        try:
            yield opened.first
            last = opened.first[-1]
            async for batch in opened.rest:
                yield batch
                last = batch[-1]
        finally:
            if last is not None and not isinstance(last, _TERMINALS):
                last = None  # abandoned before its end
            await opened.finish(last)

    async def _leg(self, call: Call, target: Target) -> AsyncGenerator[list[Event], None]:
        """One backend attempt; its first batch is the commit point."""
        backend = self._backends[target.backend_id]
        grammar = Grammar()
        committed = False
        # ResponseStarted (and usage before any output) is held back until
        # output commits, so a failure before any output still reaches the
        # client as a real HTTP error.
        held: list[Event] = []
        stream = backend.stream(call, target)
        try:
            async for batch in stream:
                out: list[Event] = []
                for event in batch:
                    try:
                        grammar.check(event)
                    except GrammarViolation as exc:
                        if not committed:
                            raise
                        log.error("backend %s broke the event grammar: %s", backend.id, exc)
                        out.append(_INTERNAL)
                        yield out
                        return
                    if type(event) is ErrorEvent:
                        event = dataclasses.replace(event, message=self._scrub(event.message))
                        if not committed:
                            raise error_for(
                                event.kind,
                                event.message,
                                code=event.code,
                                retry_after=event.retry_after,
                            )
                    if not committed:
                        if not isinstance(event, (*CONTENT_EVENTS, *_TERMINALS)):
                            held.append(event)
                            continue
                        committed = True
                        out.extend(held)
                        held.clear()
                    out.append(event)
                    if isinstance(event, _TERMINALS):
                        yield out
                        return
                if out:
                    yield out
            raise InternalError(f"backend {backend.id!r} ended its stream without finishing it")
        except LipError as exc:
            exc.message = self._scrub(exc.message)
            if exc.kind is ErrorKind.INTERNAL:
                log.error("backend %s: %s", backend.id, exc.message)
                if not committed:
                    raise InternalError("internal error while calling the upstream") from exc
                yield [_INTERNAL]
                return
            if not committed:
                raise
            yield [
                ErrorEvent(
                    kind=exc.kind, message=exc.message, code=exc.code, retry_after=exc.retry_after
                )
            ]
        except Exception as exc:  # a bug in an adapter: never leak it, never 500 mid-stream
            log.exception("backend %s failed", backend.id)
            if not committed:
                raise InternalError("internal error while calling the upstream") from exc
            yield [_INTERNAL]
        finally:
            await stream.aclose()


__all__ = ["Executor"]
