"""OpenAI Chat Completions as an upstream: :class:`Call` -> request body, and the codec.

Serves the ``openai`` and ``openai-compatible`` backend kinds. Replies are
decoded in :mod:`.upstream`. Vendor fields carried for this protocol are
written back at the level they came from, so a Chat -> Chat round trip is
lossless; reasoning and opaque state from other protocols are not sent
(only the protocol that produced them may receive them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import assert_never

from pydantic_core import to_json

from lip.canonical import (
    AudioPart,
    Call,
    Event,
    FilePart,
    ImagePart,
    InvalidRequestError,
    JSONValue,
    LipError,
    Message,
    OpaquePart,
    Part,
    ReasoningPart,
    RefusalPart,
    ResponseFormatKind,
    TextPart,
    Tool,
    ToolCallPart,
    ToolChoiceMode,
    ToolResultPart,
    foreign_block,
    offerable,
    sendable,
    state_for,
)
from lip.protocols import wire_checks
from lip.protocols.base import BackendCodec, StreamDecoder
from lip.protocols.openai_chat.carry import (
    CONTENT_ARRAY,
    MAX_TOKENS_NAME,
    PROTOCOL,
    cache_control,
    own,
    tool_call_json,
)
from lip.protocols.openai_chat.errors import decode_error
from lip.protocols.openai_chat.upstream import ChatStreamDecoder, decode_response
from lip_wire.openai.chat_completion_request import ChatCompletionRequest


def _data_url(media_type: str | None, data: str) -> str:
    return f"data:{media_type or 'application/octet-stream'};base64,{data}"


def _with(body: dict[str, JSONValue], part: TextPart | ImagePart | FilePart) -> None:
    """Add a part's cache hint and carried fields (nested ones merge one level down)."""
    hint = cache_control(part.cache)
    if hint is not None:
        body["cache_control"] = hint
    for key, value in own(part.extensions).items():
        inner = body.get(key)
        if isinstance(inner, dict) and isinstance(value, dict):
            inner.update(value)
        else:
            body[key] = value


_NAMES: dict[type[Part], str] = {
    ToolCallPart: "a tool call",
    ToolResultPart: "a tool result",
    ReasoningPart: "reasoning",
}


def _content(part: Part) -> dict[str, JSONValue]:
    body: dict[str, JSONValue]
    match part:
        case TextPart(text=t):
            body = {"type": "text", "text": t}
            _with(body, part)
        case ImagePart():
            url = part.url or _data_url(part.media_type, part.data or "")
            image: dict[str, JSONValue] = {"url": url}
            if part.detail is not None:
                image["detail"] = part.detail
            body = {"type": "image_url", "image_url": image}
            _with(body, part)
        case AudioPart(data=d, format=f):
            body = {"type": "input_audio", "input_audio": {"data": d, "format": f}}
            body.update(own(part.extensions))
        case FilePart():
            body = _file(part)
        case RefusalPart(text=t):
            body = {"type": "refusal", "refusal": t}
            body.update(own(part.extensions))
        case OpaquePart():
            raise foreign_block(part, "an OpenAI Chat upstream")
        case ToolCallPart() | ToolResultPart() | ReasoningPart():
            # Valid where the client's protocol allows it (a Gemini thought or
            # function call in a user turn), but Chat content has no such part.
            raise InvalidRequestError(
                f"An OpenAI Chat upstream cannot carry {_NAMES[type(part)]} in this turn's content.",
                code="unsupported_value",
            )
        case _:
            assert_never(part)
    return body


def _file(part: FilePart) -> dict[str, JSONValue]:
    if part.text is not None:
        return {"type": "text", "text": part.text}  # a plain-text document is text to Chat
    if part.url is not None:
        raise InvalidRequestError(
            "An OpenAI Chat upstream cannot fetch a document by URL; send it inline.",
            code="unsupported_value",
        )
    file: dict[str, JSONValue] = {}
    if part.data is not None:
        file["file_data"] = _data_url(part.media_type, part.data)
    if part.file_id is not None:
        file["file_id"] = part.file_id
    if part.filename is not None:
        file["filename"] = part.filename
    body: dict[str, JSONValue] = {"type": "file", "file": file}
    _with(body, part)
    return body


def _is_plain(part: Part) -> bool:
    return (
        isinstance(part, TextPart)
        and part.cache is None
        and not part.extensions
        and not part.citations
    )


def _content_field(parts: Sequence[Part], as_array: bool) -> JSONValue:
    if not as_array and all(_is_plain(p) for p in parts):
        return "".join(p.text for p in parts if isinstance(p, TextPart))
    return [_content(p) for p in parts]


def _tool_messages(message: Message) -> list[JSONValue]:
    extra = own(message.extensions)
    as_array = bool(extra.pop(CONTENT_ARRAY, False))
    out: list[JSONValue] = []
    for part in message.parts:
        if not isinstance(part, ToolResultPart):
            raise InvalidRequestError(
                "An OpenAI Chat upstream accepts only tool results in a tool turn.",
                code="unsupported_value",
            )
        if not all(isinstance(p, TextPart | FilePart) for p in part.content):
            raise InvalidRequestError(
                "An OpenAI Chat upstream accepts only text in tool results.",
                code="unsupported_value",
            )
        body: dict[str, JSONValue] = {
            "role": "tool",
            "tool_call_id": part.call_id,
            "content": _content_field(part.content, as_array),
        }
        body.update(extra)
        out.append(body)
    return out


def _message(message: Message) -> list[JSONValue]:
    if message.role == "tool":
        return _tool_messages(message)
    extra = own(message.extensions)
    as_array = bool(extra.pop(CONTENT_ARRAY, False))
    body: dict[str, JSONValue] = {"role": message.role}
    if message.name is not None:
        body["name"] = message.name
    if message.role != "assistant":
        body["content"] = _content_field(message.parts, as_array)
        body.update(extra)
        return [body]
    content: list[Part] = []
    refusal: list[str] = []
    calls: list[JSONValue] = []
    reasoning: list[str] = []
    for part in sendable(message.parts, PROTOCOL, assistant=True):
        match part:
            case ToolCallPart():
                calls.append(tool_call_json(part))
            case RefusalPart() if not as_array:
                refusal.append(part.text)
            case ReasoningPart():
                if state_for(part.state, PROTOCOL) is not None:
                    reasoning.append(part.text)
            case _:
                content.append(part)
    if content or as_array:
        body["content"] = _content_field(content, as_array)
    else:
        body["content"] = None if calls or refusal else ""
    if refusal:
        body["refusal"] = "".join(refusal)
    if calls:
        body["tool_calls"] = calls
    if reasoning:
        body["reasoning_content"] = "".join(reasoning)
    body.update(extra)
    return [body]


def _tool(tool: Tool) -> JSONValue:
    extra = own(tool.extensions)
    fn: dict[str, JSONValue] = {"name": tool.name}
    if tool.description is not None:
        fn["description"] = tool.description
    if tool.parameters is not None:
        fn["parameters"] = tool.parameters
    if tool.strict is not None:
        fn["strict"] = tool.strict
    inner = extra.pop("function", None)
    if isinstance(inner, dict):
        fn.update(inner)
    body: dict[str, JSONValue] = {"type": "function", "function": fn}
    hint = cache_control(tool.cache)
    if hint is not None:
        body["cache_control"] = hint
    body.update(extra)
    return body


def encode_request(call: Call, model: str) -> bytes:
    """The upstream request body for ``call`` aimed at ``model``."""
    call = offerable(call, PROTOCOL, "an OpenAI Chat upstream")
    body: dict[str, JSONValue] = {
        "model": model,
        "messages": [m for msg in call.messages for m in _message(msg)],
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
        body["tools"] = [_tool(t) for t in call.tools]
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
    wire_checks.check(ChatCompletionRequest, body, "upstream request")
    return to_json(body)


class OpenAIChatCodec(BackendCodec):
    """``POST {base_url}/chat/completions`` with a Bearer key."""

    protocol = PROTOCOL

    def path(self, model: str, *, stream: bool) -> str:
        return "/chat/completions"

    def auth_headers(self, key: str) -> Mapping[str, str]:
        return {"authorization": f"Bearer {key}"}

    def encode_request(self, call: Call, model: str) -> bytes:
        return encode_request(call, model)

    def decode_response(self, body: bytes) -> list[Event]:
        return decode_response(body)

    def stream_decoder(self) -> StreamDecoder:
        return ChatStreamDecoder()

    def decode_error(self, status: int, body: bytes, retry_after: float | None) -> LipError:
        return decode_error(status, body, retry_after)


__all__ = ["OpenAIChatCodec", "encode_request"]
