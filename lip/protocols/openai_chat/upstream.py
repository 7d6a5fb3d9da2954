"""OpenAI Chat replies from an upstream -> canonical events (unary and streamed).

Compatible servers' ``reasoning_content`` / ``reasoning`` (vLLM, DeepSeek,
OpenRouter) become canonical reasoning. Chat streams tool calls by
``index`` and servers may interleave parallel calls; :class:`BlockTracker`
turns that into whole blocks. Reply-level fields with no canonical meaning
(``logprobs``, ``system_fingerprint``, ``service_tier``, usage details) are
carried as :class:`ReplyExtensions` for a Chat frontend to write back;
a chunk's ``obfuscation`` padding is not (see ``_CHUNK_TOP``).
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from lip.canonical import (
    NO_EXTENSIONS,
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
# ``obfuscation`` pads each chunk with random characters so that chunk sizes
# do not reveal token lengths (stream_options.include_obfuscation). It
# belongs to one chunk on one connection: relayed onto other chunks it would
# mean nothing, so it is not carried (a documented projection).
_CHUNK_TOP = _TOP | {"obfuscation"}
_CACHED = frozenset({"cached_tokens"})
_REASONING = frozenset({"reasoning_tokens"})
_USAGE_HANDLED = frozenset(
    {
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "prompt_tokens_details",
        "completion_tokens_details",
    }
)
_MESSAGE = frozenset(
    {"role", "content", "refusal", "tool_calls", "annotations", "reasoning_content", "reasoning"}
)

_DELTA_CALL = frozenset({"index", "id", "type", "function"})

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


def _usage(usage: unary.CompletionUsage | chunked.CompletionUsage) -> tuple[Usage, JSONValue]:
    """Canonical usage plus the details with no canonical meaning."""
    prompt = usage.prompt_tokens_details
    completion = usage.completion_tokens_details
    canonical = Usage(
        input_tokens=usage.prompt_tokens,
        output_tokens=usage.completion_tokens,
        cached_input_tokens=prompt.cached_tokens if prompt is not None else None,
        reasoning_tokens=completion.reasoning_tokens if completion is not None else None,
    )
    extra: dict[str, JSONValue] = {}
    for name, details, handled in (
        ("prompt_tokens_details", prompt, _CACHED),
        ("completion_tokens_details", completion, _REASONING),
    ):
        if details is not None:
            rest = carried(details, handled)  # audio tokens, prediction tokens, ...
            if rest:
                extra[name] = rest
    if usage.model_fields_set - _USAGE_HANDLED:
        extra.update(carried(usage, _USAGE_HANDLED))
    return canonical, extra or None


def _reasoning_of(extra: dict[str, Any]) -> str | None:
    value = extra.get("reasoning_content") or extra.get("reasoning")
    return value if isinstance(value, str) else None


def _citations(source: unary.ChatCompletionMessage | chunked.ChoiceDelta) -> list[Citation]:
    if isinstance(source, unary.ChatCompletionMessage):
        annotations = source.annotations or []
    else:  # streamed annotations are not in the chunk schema yet: read them typed
        raw = (source.model_extra or {}).get("annotations")
        if not raw:
            return []
        try:
            annotations = [unary.Annotation.model_validate(a) for a in raw]
        except ValidationError:
            raise UpstreamError("the upstream sent malformed annotations") from None
    return [
        Citation(
            kind="url",
            url=a.url_citation.url,
            title=a.url_citation.title,
            start=a.url_citation.start_index,
            end=a.url_citation.end_index,
        )
        for a in annotations
    ]


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
        self, source: unary.ChatCompletionMessage | chunked.ChoiceDelta, out: list[Event]
    ) -> None:
        extra = source.model_extra  # reasoning_content, streamed annotations
        if extra:
            reasoning = _reasoning_of(extra)
            if reasoning:
                self.add(BlockKind.REASONING, reasoning, out)
        if source.content:
            self.add(BlockKind.TEXT, source.content, out)
        if source.refusal:
            self.add(BlockKind.REFUSAL, source.refusal, out)
        if extra or isinstance(source, unary.ChatCompletionMessage):
            for citation in _citations(source):
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
    content.feed(message, events)
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
    message_fields = carried(message, _MESSAGE)
    if message_fields:
        fields["message"] = message_fields
    if completion.usage is not None:
        usage, usage_extra = _usage(completion.usage)
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
        self._top: dict[str, object] = {}
        self._done = False
        self._errored = False

    def feed(self, frame: SSEEvent) -> list[Event]:
        data = frame.data
        if self._done or not data:
            return []
        if data == "[DONE]":  # not JSON; ends the stream
            self._done = True
            return []
        try:
            chunk = _tolerant(chunked.ChatCompletionChunk, data)
        except ValidationError:
            error = decode_stream_error(data)
            if error is None:
                raise UpstreamError("the upstream sent a malformed chat.completion.chunk") from None
            self._done = self._errored = True
            return [error]
        events: list[Event] = []
        names = chunk.model_fields_set - _CHUNK_TOP
        if not self._started:
            self._started = True
            self._top = {name: getattr(chunk, name) for name in names}
            events.append(
                ResponseStarted(
                    id=chunk.id,
                    model=chunk.model,
                    created=chunk.created,
                    extensions=wrap(carried(chunk, _CHUNK_TOP)) if names else NO_EXTENSIONS,
                )
            )
        elif names:
            # Repeated on every chunk (system_fingerprint): report changes only,
            # and compare the parsed values before paying for a dump.
            raw = {name: getattr(chunk, name) for name in names}
            if raw != self._top:
                self._top = raw
                events.append(ReplyExtensions(extensions=wrap(carried(chunk, _CHUNK_TOP))))
        if chunk.usage is not None:
            self._usage, self._usage_extra = _usage(chunk.usage)
        for choice in chunk.choices:
            if choice.index != 0:
                continue
            if choice.logprobs is not None:
                logprobs = choice.logprobs.model_dump(mode="json", exclude_unset=True)
                events.append(ReplyExtensions(extensions=wrap({"logprobs": logprobs})))
            self._delta(choice.delta, events)
            if choice.finish_reason is not None:
                self._finish = FINISH.get(choice.finish_reason, FinishReason.OTHER)
        return events

    def _delta(self, delta: chunked.ChoiceDelta, events: list[Event]) -> None:
        blocks = self._blocks
        self._content.feed(delta, events)
        for call in delta.tool_calls or ():
            key = ("tool", call.index)
            fn = call.function
            if not blocks.is_open(key):
                if call.id is None or fn is None or fn.name is None:
                    raise UpstreamError(
                        "the upstream streamed tool-call arguments before the call's id and name"
                    )
                self._content.end(events)
                extra = carried(call, _DELTA_CALL) if call.model_extra else {}
                blocks.tool_call(key, call.id, fn.name, events, extensions=wrap(extra))
            if fn is not None and fn.arguments:
                blocks.arguments(key, fn.arguments, events)

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
