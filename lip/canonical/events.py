"""The canonical event stream every backend produces and every frontend consumes.

Grammar (docs/design.md, "Canonical model"): ``ResponseStarted`` exactly once
and first; then any number of content events (``TextDelta``,
``RefusalDelta``, ``ReasoningDelta``, ``ReasoningSignature``,
``ToolCallStarted``, ``ToolCallDelta``, ``ToolCallFinished``), ``UsageEvent``
and ``WarningEvent``; then exactly one terminal: ``ResponseFinished`` or
``ErrorEvent``. Content events carry ``index``, the position of the output
block they belong to; a tool call's deltas follow its ``ToolCallStarted`` at
the same index.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from lip.canonical.errors import ErrorKind
from lip.canonical.usage import Usage


class FinishReason(StrEnum):
    STOP = "stop"
    LENGTH = "length"
    TOOL_CALLS = "tool_calls"
    CONTENT_FILTER = "content_filter"
    REFUSAL = "refusal"
    PAUSE = "pause"
    OTHER = "other"


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseStarted:
    id: str
    model: str
    created: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TextDelta:
    index: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RefusalDelta:
    index: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReasoningDelta:
    index: int
    text: str
    origin: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReasoningSignature:
    """Opaque reasoning state; only ever sent back to the ``origin`` protocol."""

    index: int
    signature: str | None = None
    encrypted: str | None = None
    origin: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCallStarted:
    index: int
    id: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCallDelta:
    index: int
    arguments: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCallFinished:
    index: int


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageEvent:
    usage: Usage


@dataclass(frozen=True, slots=True, kw_only=True)
class WarningEvent:
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseFinished:
    finish_reason: FinishReason
    stop_sequence: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorEvent:
    """A terminal failure; ``message`` is safe to show to the client."""

    kind: ErrorKind
    message: str
    retryable: bool = False
    code: str | None = None
    retry_after: float | None = None


ContentEvent: TypeAlias = (
    TextDelta
    | RefusalDelta
    | ReasoningDelta
    | ReasoningSignature
    | ToolCallStarted
    | ToolCallDelta
    | ToolCallFinished
)
"""Client-visible output: the first one commits a leg (no retry after it)."""

Event: TypeAlias = (
    ResponseStarted | ContentEvent | UsageEvent | WarningEvent | ResponseFinished | ErrorEvent
)

CONTENT_EVENTS: tuple[type, ...] = (
    TextDelta,
    RefusalDelta,
    ReasoningDelta,
    ReasoningSignature,
    ToolCallStarted,
    ToolCallDelta,
    ToolCallFinished,
)

__all__ = [
    "CONTENT_EVENTS",
    "ContentEvent",
    "ErrorEvent",
    "Event",
    "FinishReason",
    "ReasoningDelta",
    "ReasoningSignature",
    "RefusalDelta",
    "ResponseFinished",
    "ResponseStarted",
    "TextDelta",
    "ToolCallDelta",
    "ToolCallFinished",
    "ToolCallStarted",
    "UsageEvent",
    "WarningEvent",
]
