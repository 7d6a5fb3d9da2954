"""Fold an event stream into the unary result, checking the stream grammar.

The same fold serves unary clients (the executor feeds events as they arrive)
and tests (a streamed golden must fold to its unary golden).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import assert_never

from lip.canonical.errors import InternalError, UpstreamError, error_for
from lip.canonical.events import (
    ErrorEvent,
    Event,
    FinishReason,
    ReasoningDelta,
    ReasoningSignature,
    RefusalDelta,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    ToolCallDelta,
    ToolCallFinished,
    ToolCallStarted,
    UsageEvent,
    WarningEvent,
)
from lip.canonical.limits import DEFAULT_LIMITS, Limits
from lip.canonical.parts import OutputPart, ReasoningPart, RefusalPart, TextPart, ToolCallPart
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

    def tool_calls(self) -> tuple[ToolCallPart, ...]:
        return tuple(p for p in self.output if isinstance(p, ToolCallPart))


@dataclass(slots=True)
class _Block:
    kind: type[OutputPart]
    chunks: list[str] = field(default_factory=list)
    call_id: str = ""
    name: str = ""
    signature: str | None = None
    encrypted: str | None = None
    origin: str | None = None
    finished: bool = False


class Collector:
    """Incremental fold: ``feed`` each event, then ``result()``.

    Raises :class:`UpstreamError` on a grammar violation (an upstream or a
    backend decoder that broke the contract), the stream's own error for an
    ``ErrorEvent``, and :class:`UpstreamError` when limits are exceeded.
    """

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self._limits = limits
        self._started: ResponseStarted | None = None
        self._blocks: dict[int, _Block] = {}
        self._usage: Usage | None = None
        self._warnings: list[str] = []
        self._finished: ResponseFinished | None = None
        self._bytes = 0
        self._events = 0

    def feed(self, event: Event) -> None:
        if self._finished is not None:
            raise UpstreamError("upstream stream continued after its terminal event")
        self._events += 1
        if self._events > self._limits.max_events:
            raise UpstreamError("upstream response exceeded the event limit")
        if isinstance(event, ResponseStarted):
            if self._started is not None:
                raise UpstreamError("upstream stream started twice")
            self._started = event
            return
        if self._started is None:
            raise UpstreamError("upstream stream sent output before it started")
        match event:
            case TextDelta(index=i, text=t):
                self._append(i, TextPart, t)
            case RefusalDelta(index=i, text=t):
                self._append(i, RefusalPart, t)
            case ReasoningDelta(index=i, text=t, origin=o):
                self._append(i, ReasoningPart, t).origin = o
            case ReasoningSignature():
                block = self._append(event.index, ReasoningPart, "")
                block.signature = event.signature or block.signature
                block.encrypted = event.encrypted or block.encrypted
                block.origin = event.origin or block.origin
            case ToolCallStarted(index=i, id=call_id, name=name):
                if i in self._blocks:
                    raise UpstreamError(f"tool call started at used output index {i}")
                self._blocks[i] = _Block(ToolCallPart, call_id=call_id, name=name)
            case ToolCallDelta(index=i, arguments=a):
                call = self._blocks.get(i)
                if call is None or call.kind is not ToolCallPart or call.finished:
                    raise UpstreamError(f"tool call arguments at index {i} without an open call")
                self._grow(a)
                call.chunks.append(a)
            case ToolCallFinished(index=i):
                call = self._blocks.get(i)
                if call is None or call.kind is not ToolCallPart:
                    raise UpstreamError(f"tool call finished at index {i} without a call")
                call.finished = True
            case UsageEvent(usage=u):
                self._usage = u if self._usage is None else self._usage.merged(u)
            case WarningEvent(message=m):
                self._warnings.append(m)
            case ResponseFinished():
                self._finished = event
            case ErrorEvent():
                raise error_for(
                    event.kind, event.message, code=event.code, retry_after=event.retry_after
                )
            case _:
                assert_never(event)

    def _append(self, index: int, kind: type[OutputPart], text: str) -> _Block:
        block = self._blocks.get(index)
        if block is None:
            block = self._blocks[index] = _Block(kind)
        elif block.kind is not kind:
            raise UpstreamError(
                f"output index {index} mixes {block.kind.__name__} and {kind.__name__}"
            )
        self._grow(text)
        if text:
            block.chunks.append(text)
        return block

    def _grow(self, text: str) -> None:
        self._bytes += len(text)
        if self._bytes > self._limits.max_response_bytes:
            raise UpstreamError("upstream response exceeded the size limit")

    def result(self) -> Response:
        if self._started is None or self._finished is None:
            raise UpstreamError("upstream stream ended before it finished")
        output = tuple(_fold(self._blocks[i]) for i in sorted(self._blocks))
        return Response(
            id=self._started.id,
            model=self._started.model,
            created=self._started.created,
            output=output,
            finish_reason=self._finished.finish_reason,
            stop_sequence=self._finished.stop_sequence,
            usage=self._usage,
            warnings=tuple(self._warnings),
        )


def _fold(block: _Block) -> OutputPart:
    text = "".join(block.chunks)
    if block.kind is TextPart:
        return TextPart(text=text)
    if block.kind is RefusalPart:
        return RefusalPart(text=text)
    if block.kind is ReasoningPart:
        return ReasoningPart(
            text=text, signature=block.signature, encrypted=block.encrypted, origin=block.origin
        )
    if block.kind is ToolCallPart:
        return ToolCallPart(id=block.call_id, name=block.name, arguments=text)
    raise InternalError(f"unknown block kind {block.kind!r}")


def collect(events: Iterable[Event], limits: Limits = DEFAULT_LIMITS) -> Response:
    """Fold a complete event sequence into its :class:`Response`."""
    collector = Collector(limits)
    for event in events:
        collector.feed(event)
    return collector.result()


__all__ = ["Collector", "Response", "collect"]
