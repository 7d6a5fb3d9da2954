"""Run a call against its planned backend, enforcing the output-commit rule.

Before the first client-visible output (docs/design.md, "Output commit") a
failure is raised as :class:`LipError`, so the caller can still answer with a
proper HTTP error (and, with failover selectors, try another leg). After it,
failures become an in-stream ``ErrorEvent`` and the stream ends.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Mapping

from lip.backends.base import Backend
from lip.canonical import (
    CONTENT_EVENTS,
    Call,
    ErrorEvent,
    ErrorKind,
    Event,
    InternalError,
    LipError,
    ResponseFinished,
    UpstreamError,
    error_for,
)
from lip.routing.planner import Planner

log = logging.getLogger("lip.executor")

_TERMINALS = (ResponseFinished, ErrorEvent)


class Executor:
    """Stateless per call; shared by every request of a server."""

    def __init__(self, planner: Planner, backends: Mapping[str, Backend]) -> None:
        self._planner = planner
        self._backends = backends

    async def events(self, call: Call) -> AsyncGenerator[list[Event], None]:
        """The call's events, in the batches the backend produced them."""
        target = self._planner.plan(call)
        backend = self._backends[target.backend_id]
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
                    if not committed:
                        if isinstance(event, ErrorEvent):
                            raise error_for(
                                event.kind,
                                event.message,
                                code=event.code,
                                retry_after=event.retry_after,
                            )
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
            raise UpstreamError("upstream stream ended before it finished")
        except LipError as exc:
            if not committed:
                raise
            yield [
                ErrorEvent(
                    kind=exc.kind, message=exc.message, retryable=exc.retryable, code=exc.code
                )
            ]
        except Exception as exc:  # a bug in an adapter: never leak it, never 500 mid-stream
            log.exception("backend %s failed", backend.id)
            if not committed:
                raise InternalError("internal error while calling the upstream") from exc
            yield [ErrorEvent(kind=ErrorKind.INTERNAL, message="internal error while streaming")]
        finally:
            await stream.aclose()


__all__ = ["Executor"]
