"""OpenAI Chat Completions as an upstream: :class:`Call` -> request, replies -> events.

Serves the ``openai`` and ``openai-compatible`` backend kinds. Compatible
servers' ``reasoning_content`` / ``reasoning`` deltas (vLLM, DeepSeek,
OpenRouter) become canonical reasoning.
"""

from __future__ import annotations

import json
from typing import TypeVar, assert_never

from pydantic import BaseModel, ValidationError
from pydantic_core import to_json

from lip.canonical import (
    AudioPart,
    BlockTracker,
    Call,
    ErrorEvent,
    ErrorKind,
    Event,
    FilePart,
    FinishReason,
    ImagePart,
    JSONValue,
    Message,
    Part,
    ReasoningPart,
    RefusalPart,
    ResponseFinished,
    ResponseFormatKind,
    ResponseStarted,
    TextPart,
    ToolCallPart,
    ToolChoiceMode,
    ToolResultPart,
    UpstreamError,
    Usage,
    UsageEvent,
)
from lip.protocols.openai_chat.errors import decode_error
from lip.protocols.openai_chat.request import MAX_TOKENS_NAME, PROTOCOL
from lip.sse import SSEEvent
from lip_wire.openai import chat_completion as unary
from lip_wire.openai import chat_completion_chunk as chunked
from lip_wire.openai.chat_completion_request import ChatCompletionRequest

FINISH: dict[str, FinishReason] = {
    "stop": FinishReason.STOP,
    "length": FinishReason.LENGTH,
    "tool_calls": FinishReason.TOOL_CALLS,
    "function_call": FinishReason.TOOL_CALLS,
    "content_filter": FinishReason.CONTENT_FILTER,
}


# ---------------------------------------------------------------- request


def _data_url(media_type: str | None, data: str) -> str:
    return f"data:{media_type or 'application/octet-stream'};base64,{data}"


def _content(part: Part) -> dict[str, JSONValue]:
    match part:
        case TextPart(text=t):
            return {"type": "text", "text": t}
        case ImagePart():
            url = part.url or _data_url(part.media_type, part.data or "")
            image: dict[str, JSONValue] = {"url": url}
            if part.detail is not None:
                image["detail"] = part.detail
            return {"type": "image_url", "image_url": image}
        case AudioPart(data=d, format=f):
            return {"type": "input_audio", "input_audio": {"data": d, "format": f}}
        case FilePart():
            file: dict[str, JSONValue] = {}
            if part.data is not None:
                file["file_data"] = _data_url(part.media_type, part.data)
            if part.file_id is not None:
                file["file_id"] = part.file_id
            if part.filename is not None:
                file["filename"] = part.filename
            return {"type": "file", "file": file}
        case RefusalPart(text=t):
            return {"type": "refusal", "refusal": t}
        case ToolCallPart() | ToolResultPart() | ReasoningPart():
            raise UpstreamError(f"{type(part).__name__} cannot appear in message content")
        case _:
            assert_never(part)


def _content_field(parts: list[Part]) -> JSONValue:
    if all(isinstance(p, TextPart) for p in parts):
        return "".join(p.text for p in parts if isinstance(p, TextPart))
    return [_content(p) for p in parts]


def _messages(message: Message) -> list[JSONValue]:
    if message.role == "tool":
        out: list[JSONValue] = []
        for part in message.parts:
            if isinstance(part, ToolResultPart):
                out.append(
                    {
                        "role": "tool",
                        "tool_call_id": part.call_id,
                        "content": _content_field(list(part.content)),
                    }
                )
        return out
    body: dict[str, JSONValue] = {"role": message.role}
    if message.name is not None:
        body["name"] = message.name
    if message.role != "assistant":
        body["content"] = _content_field(list(message.parts))
        return [body]
    content = [p for p in message.parts if isinstance(p, TextPart)]
    refusal = [p.text for p in message.parts if isinstance(p, RefusalPart)]
    calls = [p for p in message.parts if isinstance(p, ToolCallPart)]
    body["content"] = "".join(p.text for p in content) if content or not calls else None
    if refusal:
        body["refusal"] = "".join(refusal)
    if calls:
        body["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in calls
        ]
    return [body]


def encode_request(call: Call, model: str) -> bytes:
    """The upstream request body for ``call`` aimed at ``model``."""
    body: dict[str, JSONValue] = {
        "model": model,
        "messages": [m for msg in call.messages for m in _messages(msg)],
    }
    ext = dict(call.extension(PROTOCOL))
    max_field = ext.pop(MAX_TOKENS_NAME, "max_completion_tokens")
    opts = call.options
    if opts.max_output_tokens is not None:
        body[str(max_field)] = opts.max_output_tokens
    for key, value in (
        ("temperature", opts.temperature),
        ("top_p", opts.top_p),
        ("seed", opts.seed),
        ("presence_penalty", opts.presence_penalty),
        ("frequency_penalty", opts.frequency_penalty),
        ("reasoning_effort", opts.reasoning_effort),
        ("parallel_tool_calls", opts.parallel_tool_calls),
        ("user", call.user),
    ):
        if value is not None:
            body[key] = value
    if opts.stop:
        body["stop"] = list(opts.stop)
    if call.metadata:
        body["metadata"] = dict(call.metadata)
    fmt = opts.response_format
    if fmt is not None:
        if fmt.kind is ResponseFormatKind.JSON_SCHEMA:
            spec: dict[str, JSONValue] = {"name": fmt.name or "response"}
            if fmt.description is not None:
                spec["description"] = fmt.description
            if fmt.schema is not None:
                spec["schema"] = fmt.schema
            if fmt.strict is not None:
                spec["strict"] = fmt.strict
            body["response_format"] = {"type": "json_schema", "json_schema": spec}
        else:
            body["response_format"] = {"type": fmt.kind.value}
    if call.tools:
        tools: list[JSONValue] = []
        for tool in call.tools:
            fn: dict[str, JSONValue] = {"name": tool.name}
            if tool.description is not None:
                fn["description"] = tool.description
            if tool.parameters is not None:
                fn["parameters"] = tool.parameters
            if tool.strict is not None:
                fn["strict"] = tool.strict
            tools.append({"type": "function", "function": fn})
        body["tools"] = tools
    choice = call.tool_choice
    if choice is not None:
        body["tool_choice"] = (
            {"type": "function", "function": {"name": choice.name or ""}}
            if choice.mode is ToolChoiceMode.NAMED
            else choice.mode.value
        )
    body.update(ext)
    if call.stream:
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    try:
        ChatCompletionRequest.model_validate(body)  # never send an off-spec request upstream
    except ValidationError as exc:
        raise UpstreamError(
            f"could not build a valid upstream request: {exc.errors()[0]['msg']}"
        ) from None
    return to_json(body)


# --------------------------------------------------------------- response


def _usage(usage: unary.CompletionUsage | chunked.CompletionUsage) -> Usage:
    prompt = usage.prompt_tokens_details
    completion = usage.completion_tokens_details
    return Usage(
        input_tokens=usage.prompt_tokens,
        output_tokens=usage.completion_tokens,
        cached_input_tokens=prompt.cached_tokens if prompt is not None else None,
        reasoning_tokens=completion.reasoning_tokens if completion is not None else None,
    )


def _reasoning_of(obj: BaseModel) -> str | None:
    extra = obj.model_extra or {}
    value = extra.get("reasoning_content") or extra.get("reasoning")
    return value if isinstance(value, str) else None


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


def _content_events(
    source: unary.ChatCompletionMessage | chunked.ChoiceDelta,
    blocks: BlockTracker,
    events: list[Event],
) -> None:
    """Reasoning, text and refusal of a message or a delta, in that order."""
    reasoning = _reasoning_of(source)
    if reasoning:
        events.append(blocks.reasoning("reasoning", reasoning, PROTOCOL))
    if source.content:
        events.append(blocks.text("text", source.content))
    if source.refusal:
        events.append(blocks.refusal("refusal", source.refusal))


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
    blocks = BlockTracker()
    events: list[Event] = [
        ResponseStarted(id=completion.id, model=completion.model, created=completion.created)
    ]
    _content_events(message, blocks, events)
    for number, call in enumerate(message.tool_calls or ()):
        if not isinstance(call, unary.ChatCompletionMessageFunctionToolCall):
            raise UpstreamError(
                f"the upstream returned a {call.type!r} tool call, which LIP cannot carry"
            )
        events.append(blocks.tool_started(number, call.id, call.function.name))
        events.append(blocks.tool_arguments(number, call.function.arguments))
        events.append(blocks.tool_finished(number))
    if completion.usage is not None:
        events.append(UsageEvent(usage=_usage(completion.usage)))
    events.append(
        ResponseFinished(
            finish_reason=FINISH.get(choice.finish_reason or "stop", FinishReason.OTHER)
        )
    )
    return events


class StreamDecoder:
    """``chat.completion.chunk`` frames -> events, for one upstream response."""

    def __init__(self) -> None:
        self._blocks = BlockTracker()
        self._started = False
        self._finish: FinishReason | None = None
        self._usage: Usage | None = None
        self._done = False
        self._errored = False

    def feed(self, frame: SSEEvent) -> list[Event]:
        data = frame.data
        if self._done or not data:
            return []
        if data == "[DONE]":  # not JSON; ends the stream
            self._done = True
            return []
        if data.startswith('{"error"'):
            return [self._error(data)]
        try:
            chunk = _tolerant(chunked.ChatCompletionChunk, data)
        except ValidationError:
            if '"error"' in data:
                return [self._error(data)]
            raise UpstreamError("the upstream sent a malformed chat.completion.chunk") from None
        events: list[Event] = []
        if not self._started:
            self._started = True
            events.append(ResponseStarted(id=chunk.id, model=chunk.model, created=chunk.created))
        if chunk.usage is not None:
            self._usage = _usage(chunk.usage)
        for choice in chunk.choices:
            if choice.index != 0:
                continue
            self._delta(choice.delta, events)
            if choice.finish_reason is not None:
                self._finish = FINISH.get(choice.finish_reason, FinishReason.OTHER)
        return events

    def _delta(self, delta: chunked.ChoiceDelta, events: list[Event]) -> None:
        blocks = self._blocks
        _content_events(delta, blocks, events)
        for call in delta.tool_calls or ():
            key = ("tool", call.index)
            fn = call.function
            if not blocks.is_open(key):
                if call.id is None or fn is None or fn.name is None:
                    raise UpstreamError(
                        "the upstream streamed tool-call arguments before the call's id and name"
                    )
                events.append(blocks.tool_started(key, call.id, fn.name))
            if fn is not None and fn.arguments:
                events.append(blocks.tool_arguments(key, fn.arguments))

    def _error(self, data: str) -> ErrorEvent:
        # Upstream text is never echoed for server-side failures (it may name
        # internals); the stream simply ends in the client's error form.
        self._done = True
        self._errored = True
        return ErrorEvent(kind=ErrorKind.UPSTREAM_ERROR, message="the upstream failed mid-stream")

    def close(self) -> list[Event]:
        """End of the upstream body: close open calls and finish, or report the cut."""
        if self._errored:
            return []
        if self._finish is None:
            raise UpstreamError("the upstream stream ended before it finished")
        events: list[Event] = self._blocks.finish_all()
        if self._usage is not None:
            events.append(UsageEvent(usage=self._usage))
        events.append(ResponseFinished(finish_reason=self._finish))
        return events


__all__ = ["StreamDecoder", "decode_error", "decode_response", "encode_request"]
