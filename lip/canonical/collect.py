"""Fold an event stream into the unary result, checking the stream grammar.

The same fold serves unary clients (the executor feeds events as they arrive)
and tests (a streamed golden must fold to its unary golden).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import assert_never

from lip.canonical.errors import UpstreamError, error_for
from lip.canonical.events import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    CitationDelta,
    ErrorEvent,
    Event,
    FinishReason,
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
from lip.canonical.extensions import merge_extensions
from lip.canonical.grammar import Grammar, GrammarViolation
from lip.canonical.limits import DEFAULT_LIMITS, Limits
from lip.canonical.parts import (
    NO_EXTENSIONS,
    Citation,
    Extensions,
    OutputPart,
    ProviderState,
    ReasoningPart,
    RefusalPart,
    TextPart,
    ToolCallPart,
    no_extensions,
)
from lip.canonical.usage import Usage


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """A finished response: output blocks in index order, plus how it ended."""

    id: str
    model: str
    created: int
    output: tuple[OutputPart, ...]
    finish_reason: FinishReason
    stop_sequence: str | None = None
    usage: Usage | None = None
    warnings: tuple[str, ...] = ()
    extensions: Extensions = field(default_factory=no_extensions)

    def tool_calls(self) -> tuple[ToolCallPart, ...]:
        return tuple(p for p in self.output if isinstance(p, ToolCallPart))


def _NO_CHECK(event: Event) -> None:
    pass


@dataclass(slots=True)
class _Block:
    start: BlockStarted
    chunks: list[str] = field(default_factory=list)
    summary: list[list[str]] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    state: ProviderState | None = None


class Collector:
    """Incremental fold: ``feed`` each event, then ``result()``.

    Raises :class:`~lip.canonical.grammar.GrammarViolation` (internal) when
    the stream breaks the grammar (unless ``checked`` says it was checked already), the stream's own error for an
    ``ErrorEvent``, and :class:`UpstreamError` when limits are exceeded.
    """

    def __init__(self, limits: Limits = DEFAULT_LIMITS, *, checked: bool = False) -> None:
        self._limits = limits
        # A stream the executor has already run through the grammar need not be
        # checked twice; the fold itself relies on the grammar either way.
        self._check = _NO_CHECK if checked else Grammar().check
        self._started: ResponseStarted | None = None
        self._blocks: list[_Block] = []
        self._usage: Usage | None = None
        self._warnings: list[str] = []
        self._extensions: Extensions = NO_EXTENSIONS
        self._finished: ResponseFinished | None = None
        self._bytes = 0
        self._events = 0

    def feed(self, event: Event) -> None:
        self._events += 1
        if self._events > self._limits.max_events:
            raise UpstreamError("upstream response exceeded the event limit")
        self._check(event)
        match event:
            case ResponseStarted():
                self._started = event
                if event.extensions:
                    self._extensions = merge_extensions(self._extensions, event.extensions)
            case BlockStarted():
                self._blocks.append(_Block(event, state=event.state))
            case TextDelta(text=t) | RefusalDelta(text=t) | ToolCallDelta(arguments=t):
                self._grow(t)
                self._blocks[-1].chunks.append(t)
            case ReasoningDelta(text=t, summary_index=s):
                self._grow(t)
                block = self._blocks[-1]
                if s is None:
                    block.chunks.append(t)
                else:
                    while len(block.summary) <= s:
                        block.summary.append([])
                    block.summary[s].append(t)
            case CitationDelta(citation=c):
                self._blocks[-1].citations.append(c)
            case ProviderStateDelta(state=s):
                block = self._blocks[-1]
                block.state = s if block.state is None else block.state.merged(s)
            case BlockFinished():
                pass
            case UsageEvent(usage=u):
                self._usage = u if self._usage is None else self._usage.merged(u)
            case WarningEvent(message=m):
                self._warnings.append(m)
            case ReplyExtensions(extensions=x):
                self._extensions = merge_extensions(self._extensions, x)
            case ResponseFinished():
                self._finished = event
            case ErrorEvent():
                raise error_for(
                    event.kind, event.message, code=event.code, retry_after=event.retry_after
                )
            case _:
                assert_never(event)

    @property
    def usage(self) -> Usage | None:
        """The usage the events fed so far reported (merged), if any."""
        return self._usage

    @property
    def finish_reason(self) -> FinishReason | None:
        """Why the response's output ended, once it has finished."""
        finished = self._finished
        return None if finished is None else finished.finish_reason

    @property
    def model(self) -> str | None:
        """The model the response named, once it has started (and named one)."""
        started = self._started
        return started.model or None if started is not None else None

    def _grow(self, text: str) -> None:
        self._bytes += len(text)
        if self._bytes > self._limits.max_response_bytes:
            raise UpstreamError("upstream response exceeded the size limit")

    def result(self) -> Response:
        if self._started is None or self._finished is None:
            raise GrammarViolation("the response stream ended before it finished")
        return Response(
            id=self._started.id,
            model=self._started.model,
            created=self._started.created,
            output=tuple(_fold(b) for b in self._blocks),
            finish_reason=self._finished.finish_reason,
            stop_sequence=self._finished.stop_sequence,
            usage=self._usage,
            warnings=tuple(self._warnings),
            extensions=self._extensions,
        )


def _fold(block: _Block) -> OutputPart:
    start = block.start
    text = "".join(block.chunks)
    match start.kind:
        case BlockKind.TEXT:
            return TextPart(
                text=text,
                citations=tuple(block.citations),
                state=block.state,
                extensions=start.extensions,
            )
        case BlockKind.REFUSAL:
            return RefusalPart(text=text, extensions=start.extensions)
        case BlockKind.REASONING:
            state = block.state
            return ReasoningPart(
                text=text,
                summary=tuple("".join(s) for s in block.summary),
                redacted=start.redacted,
                state=state,
                extensions=start.extensions,
            )
        case BlockKind.TOOL_CALL:
            assert start.id is not None and start.name is not None
            return ToolCallPart(
                id=start.id,
                name=start.name,
                arguments=text,
                state=block.state,
                extensions=start.extensions,
            )
        case _:
            assert_never(start.kind)


def collect(events: Iterable[Event], limits: Limits = DEFAULT_LIMITS) -> Response:
    """Fold a complete event sequence into its :class:`Response`."""
    collector = Collector(limits)
    for event in events:
        collector.feed(event)
    return collector.result()


__all__ = ["Collector", "Response", "collect"]
