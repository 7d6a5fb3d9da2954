"""Run a call against its planned legs, enforcing the output-commit rule.

Before the first client-visible output (docs/design.md, "Output commit") a
failure is raised as :class:`LipError`: the next failover leg is tried when
the error's kind allows it (:func:`lip.canonical.may_fail_over`), and when
none is left the caller still answers with a proper HTTP error. After it,
failures become an in-stream ``ErrorEvent`` and the stream ends. The time
to the first output is bounded for the whole call (``routing.ttft_timeout``),
not per leg, so failover never multiplies a client's wait.

Every stream is checked against the event grammar on the way through
(:class:`lip.canonical.Grammar`): a backend that breaks it is a bug in LIP,
reported as ``internal`` — a 500 before output, an in-stream error after —
and never a reason to try another leg.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
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
    UpstreamTimeoutError,
    error_for,
    may_fail_over,
)
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
        ttft_timeout: float = 300,
    ) -> None:
        self._planner = planner
        self._ttft_timeout = ttft_timeout
        self._backends = backends
        # Errors leave the backends here: upstream text in them (a 4xx message,
        # an echoed key) passes through this before any client or log sees it.
        self._scrub = scrub

    async def events(self, call: Call) -> AsyncGenerator[list[Event], None]:
        """The call's events, in the batches the backend produced them."""
        legs = self._planner.plan(call)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._ttft_timeout
        for number, target in enumerate(legs):
            leg = self._leg(call, target)
            try:
                try:
                    async with asyncio.timeout_at(deadline):
                        first = await anext(leg)
                except TimeoutError:
                    raise UpstreamTimeoutError(
                        f"no output within {self._ttft_timeout:g} s"
                        f" (routing.ttft_timeout; {number + 1} of {len(legs)} leg(s) tried)"
                    ) from None
                except LipError as exc:
                    if number + 1 < len(legs) and may_fail_over(exc.kind):
                        log.warning(
                            "leg %s failed before output (%s); trying %s",
                            f"{target.backend_id}:{target.model}",
                            exc.kind.value,
                            f"{legs[number + 1].backend_id}:{legs[number + 1].model}",
                        )
                        continue
                    raise
                yield first
                async for batch in leg:
                    yield batch
                return
            finally:
                await leg.aclose()

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
