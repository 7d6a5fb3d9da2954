"""The canonical event stream every backend produces and every frontend consumes.

Grammar (docs/design.md, "Canonical model"; checked by
:class:`lip.canonical.grammar.Grammar`):

    stream   := ResponseStarted item* terminal
    item     := block | UsageEvent | WarningEvent | ReplyExtensions
    block    := BlockStarted(i, kind) delta* BlockFinished(i)
    terminal := ResponseFinished | ErrorEvent

Blocks come one at a time, never interleaved, with indexes 0, 1, 2, ...;
a block's deltas carry its index and fit its kind (``TextDelta`` and
``CitationDelta`` in text, ``ReasoningDelta`` in reasoning, ``RefusalDelta``
in refusal, ``ToolCallDelta`` in a tool call; ``ProviderStateDelta`` in any).
An ``ErrorEvent`` may cut a block short. Every frontend encoder relies on
this grammar (Anthropic ``content_block_start``/``stop``, Responses
``output_item.added``/``done``); a backend whose upstream interleaves
buffers to it (:class:`lip.canonical.blocks.BlockTracker`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

from lip.canonical.enums import ValueEnum
from lip.canonical.errors import ErrorKind, is_retryable
from lip.canonical.parts import Citation, Extensions, ProviderState, no_extensions
from lip.canonical.usage import Usage


class FinishReason(ValueEnum):
    STOP = "stop"
    LENGTH = "length"
    TOOL_CALLS = "tool_calls"
    CONTENT_FILTER = "content_filter"
    REFUSAL = "refusal"
    PAUSE = "pause"
    OTHER = "other"


class BlockKind(ValueEnum):
    TEXT = "text"
    REASONING = "reasoning"
    TOOL_CALL = "tool_call"
    REFUSAL = "refusal"


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseStarted:
    """``extensions``: reply-level vendor fields known when the reply starts
    (later reports come as :class:`ReplyExtensions`)."""

    id: str
    model: str
    created: int
    extensions: Extensions = field(default_factory=no_extensions)


@dataclass(frozen=True, slots=True, kw_only=True)
class BlockStarted:
    """An output block opens. A tool call names its ``id`` and ``name`` here;
    ``state`` tags the block with the protocol that produced it (and any
    opaque state known up front, such as a Responses item id). ``redacted``
    marks reasoning the vendor hid (its payload is in ``state.encrypted``)."""

    index: int
    kind: BlockKind
    id: str | None = None
    name: str | None = None
    state: ProviderState | None = None
    redacted: bool = False
    extensions: Extensions = field(default_factory=no_extensions)

    def __post_init__(self) -> None:
        if (self.kind is BlockKind.TOOL_CALL) != (self.id is not None and self.name is not None):
            raise ValueError("a tool-call block, and only one, has an id and a name")
        if self.redacted and self.kind is not BlockKind.REASONING:
            raise ValueError("only reasoning can be redacted")


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
    """Reasoning text; with ``summary_index`` a piece of that summary part instead."""

    index: int
    text: str
    summary_index: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCallDelta:
    index: int
    arguments: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CitationDelta:
    index: int
    citation: Citation


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderStateDelta:
    """Opaque state for the open block (a reasoning signature, a ``thoughtSignature``);
    merged into what the block already has, only ever sent back to ``state.origin``."""

    index: int
    state: ProviderState


@dataclass(frozen=True, slots=True, kw_only=True)
class BlockFinished:
    index: int


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageEvent:
    usage: Usage


@dataclass(frozen=True, slots=True, kw_only=True)
class WarningEvent:
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyExtensions:
    """Reply-level vendor fields with no canonical meaning (OpenAI ``logprobs``,
    ``system_fingerprint``). Several reports fold together: objects merge,
    lists concatenate, later scalars win (so streamed logprobs fold to the
    unary ones)."""

    extensions: Extensions


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseFinished:
    finish_reason: FinishReason
    stop_sequence: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorEvent:
    """A terminal failure; ``message`` is safe to show to the client."""

    kind: ErrorKind
    message: str
    code: str | None = None
    retry_after: float | None = None

    @property
    def retryable(self) -> bool:
        return is_retryable(self.kind)


DeltaEvent: TypeAlias = (
    TextDelta | RefusalDelta | ReasoningDelta | ToolCallDelta | CitationDelta | ProviderStateDelta
)

ContentEvent: TypeAlias = BlockStarted | DeltaEvent | BlockFinished
"""Client-visible output: the first one commits a leg (no retry after it)."""

Event: TypeAlias = (
    ResponseStarted
    | ContentEvent
    | UsageEvent
    | WarningEvent
    | ReplyExtensions
    | ResponseFinished
    | ErrorEvent
)

CONTENT_EVENTS: tuple[type, ...] = (
    BlockStarted,
    TextDelta,
    RefusalDelta,
    ReasoningDelta,
    ToolCallDelta,
    CitationDelta,
    ProviderStateDelta,
    BlockFinished,
)

__all__ = [
    "CONTENT_EVENTS",
    "BlockFinished",
    "BlockKind",
    "BlockStarted",
    "CitationDelta",
    "ContentEvent",
    "DeltaEvent",
    "ErrorEvent",
    "Event",
    "FinishReason",
    "ProviderStateDelta",
    "ReasoningDelta",
    "RefusalDelta",
    "ReplyExtensions",
    "ResponseFinished",
    "ResponseStarted",
    "TextDelta",
    "ToolCallDelta",
    "UsageEvent",
    "WarningEvent",
]
