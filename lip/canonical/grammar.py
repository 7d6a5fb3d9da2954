"""The event-stream grammar as a checker (the grammar is drawn in :mod:`.events`).

Backend decoders are written to produce grammatical streams; the executor
runs every stream through :class:`Grammar` anyway, so that a decoder bug
becomes a well-formed error in the client's protocol instead of an encoder
crash and a dropped connection after the 200 is out.
"""

from __future__ import annotations

from lip.canonical.errors import InternalError
from lip.canonical.events import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    CitationDelta,
    ErrorEvent,
    Event,
    ProviderStateDelta,
    ReasoningDelta,
    RefusalDelta,
    ReplyExtensions,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    ToolCallDelta,
    UsageEvent,
    WarningEvent,
)


class GrammarViolation(InternalError):
    """A stream broke the event grammar: a bug in the code that produced it."""


# The block kind each delta type belongs to (ProviderStateDelta fits any block).
_DELTA_KIND: dict[type, BlockKind] = {
    TextDelta: BlockKind.TEXT,
    CitationDelta: BlockKind.TEXT,
    ReasoningDelta: BlockKind.REASONING,
    RefusalDelta: BlockKind.REFUSAL,
    ToolCallDelta: BlockKind.TOOL_CALL,
}
_ANYWHERE = (UsageEvent, WarningEvent, ReplyExtensions)


class Grammar:
    """Per-stream state; :meth:`check` each event in order, :meth:`finished` at the end."""

    __slots__ = ("_done", "_next", "_open", "_open_kind", "_started")

    def __init__(self) -> None:
        self._started = False
        self._done = False
        self._open: int | None = None
        self._open_kind: BlockKind | None = None
        self._next = 0

    @property
    def done(self) -> bool:
        """A terminal event has been seen."""
        return self._done

    def check(self, event: Event) -> None:
        """Raise :class:`GrammarViolation` when ``event`` may not come next."""
        if self._done:
            raise GrammarViolation(f"{type(event).__name__} after the terminal event")
        cls = type(event)
        kind = _DELTA_KIND.get(cls)
        if kind is not None:
            index = event.index  # type: ignore[union-attr]
            if index != self._open or kind is not self._open_kind:
                raise GrammarViolation(f"{cls.__name__} at index {index} outside its block")
            return
        if not self._started:
            if cls is ResponseStarted:
                self._started = True
                return
            if cls is ErrorEvent:
                self._done = True
                return
            raise GrammarViolation(f"{cls.__name__} before ResponseStarted")
        if cls is BlockStarted:
            assert isinstance(event, BlockStarted)
            if self._open is not None:
                raise GrammarViolation(f"block {event.index} started inside block {self._open}")
            if event.index != self._next:
                raise GrammarViolation(f"block {event.index} started; expected {self._next}")
            self._open, self._open_kind = event.index, event.kind
            self._next += 1
        elif cls is BlockFinished:
            assert isinstance(event, BlockFinished)
            if event.index != self._open:
                raise GrammarViolation(f"block {event.index} finished but was not open")
            self._open = self._open_kind = None
        elif cls is ProviderStateDelta:
            assert isinstance(event, ProviderStateDelta)
            if event.index != self._open:
                raise GrammarViolation(f"provider state at index {event.index} outside its block")
        elif cls is ResponseFinished:
            if self._open is not None:
                raise GrammarViolation(f"response finished inside block {self._open}")
            self._done = True
        elif cls is ErrorEvent:
            self._done = True  # an error may cut a block short
        elif cls is ResponseStarted:
            raise GrammarViolation("ResponseStarted twice")
        elif not issubclass(cls, _ANYWHERE):
            raise GrammarViolation(f"unknown event {cls.__name__}")


__all__ = ["Grammar", "GrammarViolation"]
