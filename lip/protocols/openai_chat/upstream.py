"""OpenAI Chat replies from an upstream -> canonical events (unary and streamed).

Compatible servers' ``reasoning_content`` / ``reasoning`` (vLLM, DeepSeek,
OpenRouter) become canonical reasoning. Chat streams tool calls by
``index`` and servers may interleave parallel calls; :class:`BlockTracker`
turns that into whole blocks. Reply-level fields with no canonical meaning
(``logprobs``, ``system_fingerprint``, ``service_tier``, usage details) are
carried as :class:`ReplyExtensions` for a Chat frontend to write back;
a chunk's ``obfuscation`` padding is not (see :mod:`.chunks`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from lip.canonical import (
    BlockKind,
    BlockTracker,
    Citation,
    Event,
    FinishReason,
    JSONValue,
    ReplyExtensions,
    ResponseFinished,
    ResponseStarted,
    UpstreamError,
    Usage,
    UsageEvent,
)
from lip.protocols.base import StreamDecoder
from lip.protocols.openai_chat.carry import PROTOCOL, carried, wrap
from lip.protocols.openai_chat.chunks import (
    ChoiceDelta,
    citations,
    read_fast,
    read_typed,
    reasoning_of,
    usage_of,
)
from lip.protocols.openai_chat.errors import decode_stream_error
from lip.sse import SSEEvent
from lip_wire.openai import chat_completion as unary
from lip_wire.openai import chat_completion_chunk as chunked

FINISH: dict[str, FinishReason] = {
    "stop": FinishReason.STOP,
    "length": FinishReason.LENGTH,
    "tool_calls": FinishReason.TOOL_CALLS,
    "function_call": FinishReason.TOOL_CALLS,
    "content_filter": FinishReason.CONTENT_FILTER,
}

# Fields translated into events; every other field set is carried.
_TOP = frozenset({"id", "object", "created", "model", "choices", "usage"})
_MESSAGE = frozenset(
    {"role", "content", "refusal", "tool_calls", "annotations", "reasoning_content", "reasoning"}
)

_M = TypeVar("_M", bound=BaseModel)

# Fields the OpenAI API always sends (possibly as null) and the wire models
# therefore require; OpenAI-compatible servers (Ollama, llama.cpp, vLLM) often
# leave them out. A missing one is read as null rather than failing the reply.
_ALWAYS_PRESENT = frozenset({"content", "refusal", "finish_reason", "logprobs"})


def _tolerant(model: type[_M], raw: str | bytes) -> _M:
    """Validate ``raw``; on the fast path's failure, fill in omitted always-present fields."""
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        if not all(
            e["type"] == "missing" and e["loc"] and e["loc"][-1] in _ALWAYS_PRESENT for e in errors
        ):
            raise
    data = json.loads(raw)
    for error in errors:
        node = data
        try:
            for key in error["loc"][:-1]:
                node = node[key]
        except (KeyError, IndexError, TypeError):
            raise UpstreamError(f"the upstream sent a malformed {model.__name__}") from None
        node[error["loc"][-1]] = None
    return model.model_validate(data)


class _Content:
    """Reasoning, text and refusal of a message or deltas, as blocks.

    Chat has one stream each for reasoning, content and refusal, which
    servers send one after the other; switching from one to another closes
    the previous block (a later return opens a new one). Tool calls stay
    open until the end: parallel calls may interleave."""

    __slots__ = ("_blocks", "_current")

    def __init__(self, blocks: BlockTracker) -> None:
        self._blocks = blocks
        self._current: BlockKind | None = None

    def add(self, kind: BlockKind, text: str, out: list[Event]) -> None:
        blocks = self._blocks
        if self._current is not kind:
            if self._current is not None:
                blocks.finish(self._current, out)
            self._current = kind
        if kind is BlockKind.TEXT:
            blocks.text(kind, text, out)
        elif kind is BlockKind.REASONING:
            blocks.reasoning(kind, text, out)
        else:
            blocks.refusal(kind, text, out)

    def citation(self, citation: Citation, out: list[Event]) -> None:
        if self._current is not BlockKind.TEXT:
            self.add(BlockKind.TEXT, "", out)
        self._blocks.citation(BlockKind.TEXT, citation, out)

    def end(self, out: list[Event]) -> None:
        if self._current is not None:
            self._blocks.finish(self._current, out)
            self._current = None

    def feed(
        self,
        reasoning: str | None,
        text: str | None,
        refusal: str | None,
        cited: Iterable[Citation],
        out: list[Event],
    ) -> None:
        if reasoning:
            self.add(BlockKind.REASONING, reasoning, out)
        if text:
            self.add(BlockKind.TEXT, text, out)
        if refusal:
            self.add(BlockKind.REFUSAL, refusal, out)
        for citation in cited:
            self.citation(citation, out)


def _reply_fields(obj: BaseModel) -> dict[str, JSONValue]:
    return carried(obj, _TOP) if obj.model_fields_set - _TOP else {}


def decode_response(body: bytes) -> list[Event]:
    """A unary ``chat.completion`` as a complete event sequence."""
    try:
        completion = _tolerant(unary.ChatCompletion, body)
    except ValidationError:
        raise UpstreamError("the upstream sent a malformed chat.completion") from None
    if not completion.choices:
        raise UpstreamError("the upstream sent a chat.completion without choices")
    choice = completion.choices[0]
    message = choice.message
    blocks = BlockTracker(PROTOCOL)
    events: list[Event] = [
        ResponseStarted(id=completion.id, model=completion.model, created=completion.created)
    ]
    content = _Content(blocks)
    extra = message.model_extra
    reasoning = reasoning_of(extra) if extra else None
    content.feed(reasoning, message.content, message.refusal, citations(message), events)
    content.end(events)
    for number, call in enumerate(message.tool_calls or ()):
        if not isinstance(call, unary.ChatCompletionMessageFunctionToolCall):
            raise UpstreamError(
                f"the upstream returned a {call.type!r} tool call, which LIP cannot carry"
            )
        blocks.tool_call(
            number,
            call.id,
            call.function.name,
            events,
            extensions=wrap(carried(call, frozenset({"id", "type", "function"}))),
        )
        blocks.arguments(number, call.function.arguments, events)
        blocks.finish(number, events)
    fields = _reply_fields(completion)
    if choice.logprobs is not None:
        fields["logprobs"] = choice.logprobs.model_dump(mode="json", exclude_unset=True)
    if choice.model_extra:  # vLLM's stop_reason, ...
        fields["choice"] = dict(choice.model_extra)
    message_fields = carried(message, _MESSAGE)
    if message_fields:
        fields["message"] = message_fields
    if completion.usage is not None:
        usage, usage_extra = usage_of(completion.usage)
        events.append(UsageEvent(usage=usage))
        if usage_extra is not None:
            fields["usage"] = usage_extra
    if fields:
        events.append(ReplyExtensions(extensions=wrap(fields)))
    events.append(
        ResponseFinished(
            finish_reason=FINISH.get(choice.finish_reason or "stop", FinishReason.OTHER)
        )
    )
    return events


class ChatStreamDecoder(StreamDecoder):
    """``chat.completion.chunk`` frames -> events, for one upstream response."""

    def __init__(self) -> None:
        self._blocks = BlockTracker(PROTOCOL)
        self._content = _Content(self._blocks)
        self._started = False
        self._finish: FinishReason | None = None
        self._usage: Usage | None = None
        self._usage_extra: JSONValue = None
        self._top: dict[str, JSONValue] = {}
        self._choice: dict[str, JSONValue] = {}
        self._done = False
        self._errored = False

    def feed(self, frame: SSEEvent) -> list[Event]:
        data = frame.data
        if self._done or not data:
            return []
        if data == "[DONE]":  # not JSON; ends the stream
            self._done = True
            return []
        chunk = read_fast(data)
        if chunk is None:
            try:
                chunk = read_typed(_tolerant(chunked.ChatCompletionChunk, data))
            except ValidationError:
                error = decode_stream_error(data)
                if error is None:
                    raise UpstreamError(
                        "the upstream sent a malformed chat.completion.chunk"
                    ) from None
                self._done = self._errored = True
                return [error]
        events: list[Event] = []
        top = chunk.top
        if not self._started:
            self._started = True
            self._top = top
            events.append(
                ResponseStarted(
                    id=chunk.id, model=chunk.model, created=chunk.created, extensions=wrap(top)
                )
            )
        elif top and top != self._top:  # repeated on every chunk (system_fingerprint)
            self._top = top
            events.append(ReplyExtensions(extensions=wrap(top)))
        if chunk.usage is not None:
            self._usage, self._usage_extra = chunk.usage
        for choice in chunk.choices:
            if choice.extra and choice.extra != self._choice:  # repeated: report changes
                self._choice = choice.extra
                events.append(ReplyExtensions(extensions=wrap({"choice": choice.extra})))
            if choice.logprobs is not None:
                events.append(ReplyExtensions(extensions=wrap({"logprobs": choice.logprobs})))
            self._delta(choice, events)
            if choice.finish_reason is not None:
                self._finish = FINISH.get(choice.finish_reason, FinishReason.OTHER)
        return events

    def _delta(self, delta: ChoiceDelta, events: list[Event]) -> None:
        blocks = self._blocks
        self._content.feed(delta.reasoning, delta.content, delta.refusal, delta.citations, events)
        for call in delta.calls:
            key = ("tool", call.call_index)
            if not blocks.is_open(key):
                if call.id is None or call.name is None:
                    raise UpstreamError(
                        "the upstream streamed tool-call arguments before the call's id and name"
                    )
                self._content.end(events)
                blocks.tool_call(key, call.id, call.name, events, extensions=wrap(call.extra))
            if call.arguments:
                blocks.arguments(key, call.arguments, events)

    def close(self) -> list[Event]:
        """End of the upstream body: close open blocks and finish, or report the cut."""
        if self._errored:
            return []
        if self._finish is None:
            raise UpstreamError("the upstream stream ended before it finished")
        events: list[Event] = []
        self._content.end(events)
        self._blocks.finish_all(events)
        if self._usage is not None:
            events.append(UsageEvent(usage=self._usage))
        if self._usage_extra is not None:
            events.append(ReplyExtensions(extensions=wrap({"usage": self._usage_extra})))
        events.append(ResponseFinished(finish_reason=self._finish))
        return events


__all__ = ["FINISH", "ChatStreamDecoder", "decode_response"]
