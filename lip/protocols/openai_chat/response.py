"""Canonical results -> OpenAI ``chat.completion`` JSON and ``chat.completion.chunk`` SSE.

https://platform.openai.com/docs/api-reference/chat/object and
https://platform.openai.com/docs/api-reference/chat-streaming. Reasoning
(which OpenAI Chat has no field for) is projected to ``reasoning_content``,
the convention of OpenAI-compatible servers (vLLM, DeepSeek); opaque
reasoning signatures are not representable and are dropped with no output.
URL citations become ``url_citation`` annotations; other citation kinds have
no Chat form. Reply-level vendor fields carried for this protocol (``logprobs``,
``system_fingerprint``, usage details) are written back where they came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from pydantic_core import to_json

from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    Citation,
    CitationDelta,
    ErrorEvent,
    Event,
    FinishReason,
    JSONValue,
    ProviderStateDelta,
    ReasoningDelta,
    ReasoningPart,
    RefusalDelta,
    RefusalPart,
    ReplyExtensions,
    Response,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    TextPart,
    ToolCallDelta,
    ToolCallPart,
    Usage,
    UsageEvent,
    WarningEvent,
    error_for,
    merge_json,
)
from lip.protocols import wire_checks
from lip.protocols.base import ClientRequest, ModelEntry, StreamEncoder, WireReply
from lip.protocols.openai_chat.carry import own, tool_call_json
from lip.protocols.openai_chat.errors import error_body
from lip.sse import encode_event
from lip_wire.openai.chat_completion import ChatCompletion
from lip_wire.openai.models_list import ModelsList

FINISH: dict[FinishReason, str] = {
    FinishReason.STOP: "stop",
    FinishReason.LENGTH: "length",
    FinishReason.TOOL_CALLS: "tool_calls",
    FinishReason.CONTENT_FILTER: "content_filter",
    FinishReason.REFUSAL: "stop",
    FinishReason.PAUSE: "stop",
    FinishReason.OTHER: "stop",
}
assert set(FINISH) == set(FinishReason)


def _completion_id(upstream_id: str) -> str:
    return upstream_id if upstream_id.startswith("chatcmpl-") else f"chatcmpl-{upstream_id}"


def usage_json(usage: Usage, extra: JSONValue = None) -> dict[str, JSONValue]:
    """OpenAI usage; ``extra`` holds the upstream's details with no canonical
    meaning (audio tokens, accepted prediction tokens, ...), merged back in."""
    body: dict[str, JSONValue] = {
        "prompt_tokens": usage.input_tokens or 0,
        "completion_tokens": usage.output_tokens or 0,
        "total_tokens": usage.total_tokens or 0,
    }
    if usage.cached_input_tokens is not None:
        body["prompt_tokens_details"] = {"cached_tokens": usage.cached_input_tokens}
    if usage.reasoning_tokens is not None:
        body["completion_tokens_details"] = {"reasoning_tokens": usage.reasoning_tokens}
    if isinstance(extra, dict):
        merged = merge_json(body, extra)
        assert isinstance(merged, dict)
        return merged
    return body


def _annotation(citation: Citation) -> dict[str, JSONValue] | None:
    """A URL citation as OpenAI's ``url_citation`` annotation; others have no Chat form."""
    if citation.kind != "url" or citation.url is None:
        return None
    body: dict[str, JSONValue] = {
        "type": "url_citation",
        "url_citation": {
            "end_index": citation.end or 0,
            "start_index": citation.start or 0,
            "title": citation.title or "",
            "url": citation.url,
        },
    }
    body.update(own(citation.extensions))
    return body


def _annotations(citations: Sequence[Citation]) -> list[JSONValue]:
    return [a for a in map(_annotation, citations) if a is not None]


def encode_response(response: Response, request: ClientRequest) -> WireReply:
    text: list[str] = []
    refusal: list[str] = []
    reasoning: list[str] = []
    annotations: list[JSONValue] = []
    tool_calls: list[JSONValue] = []
    for part in response.output:
        match part:
            case TextPart():
                text.append(part.text)
                annotations.extend(_annotations(part.citations))
            case RefusalPart(text=t):
                refusal.append(t)
            case ReasoningPart():
                # Projection: Chat has no reasoning field; OpenAI-compatible servers
                # use reasoning_content. Signatures have no Chat form.
                reasoning.append(part.text or "\n".join(part.summary))
            case ToolCallPart():
                tool_calls.append(tool_call_json(part))
            case _:
                assert_never(part)
    ext = own(response.extensions)
    message: dict[str, JSONValue] = {
        "role": "assistant",
        "content": "".join(text) if text or not (tool_calls or refusal) else None,
        "refusal": "".join(refusal) if refusal else None,
        "annotations": annotations,
    }
    if tool_calls:
        message["tool_calls"] = tool_calls
    if reasoning:
        message["reasoning_content"] = "".join(reasoning)
    extra_message = ext.pop("message", None)
    if isinstance(extra_message, dict):
        message.update(extra_message)
    choice: dict[str, JSONValue] = {
        "index": 0,
        "message": message,
        "logprobs": ext.pop("logprobs", None),
        "finish_reason": FINISH[response.finish_reason],
    }
    extra_choice = ext.pop("choice", None)
    if isinstance(extra_choice, dict):
        choice.update(extra_choice)
    body: dict[str, JSONValue] = {
        "id": _completion_id(response.id),
        "object": "chat.completion",
        "created": response.created,
        "model": response.model,
        "choices": [choice],
    }
    if response.usage is not None:
        body["usage"] = usage_json(response.usage, ext.pop("usage", None))
    body.update(ext)  # service_tier, system_fingerprint, fields newer than the schema
    wire_checks.check(ChatCompletion, body, "chat.completion reply")
    return WireReply(status=200, body=to_json(body))


def _frame(body: dict[str, JSONValue]) -> bytes:
    """One ``data:`` frame. The per-token hot path skips runtime validation:
    chunk shapes are fixed here, and the tests validate every shape against
    the generated ``ChatCompletionChunk`` (re-validating each frame cost a
    quarter of the streaming CPU). JSON text never holds a raw newline, so
    the frame is always one ``data:`` line."""
    return b"data: " + to_json(body) + b"\n\n"


_OPENING: dict[str, JSONValue] = {"role": "assistant", "content": "", "refusal": None}
_PLAIN_TAIL = b',"logprobs":null,"finish_reason":null}]}\n\n'


class ChatStreamEncoder(StreamEncoder):
    """One streamed reply's state: ids, tool-call numbering, pending usage and
    the reply-level vendor fields every chunk repeats."""

    def __init__(self, include_usage: bool) -> None:
        self._include_usage = include_usage
        self._id = ""
        self._model = ""
        self._created = 0
        self._tool_number = -1
        self._usage: Usage | None = None
        self._usage_extra: JSONValue = None
        self._top: dict[str, JSONValue] = {}
        self._logprobs: JSONValue = None
        self._failed = False
        self._head: bytes | None = None
        # The choice's fields beyond the schema (vLLM's stop_reason), after finish_reason.
        self._choice: dict[str, JSONValue] = {}
        self._choice_fields = b""
        self._tail = _PLAIN_TAIL

    def _chunk(self, delta: dict[str, JSONValue], finish: str | None = None) -> bytes:
        return self._framed(to_json(delta), finish)

    def _framed(self, delta: bytes, finish: str | None = None) -> bytes:
        """A chunk frame around ``delta`` (JSON). Every chunk of a stream starts
        alike, up to its delta: that head is encoded once, until a field changes."""
        head = self._head
        if head is None:
            head = self._head = (
                b"data: " + to_json(self._envelope())[:-1] + b',"choices":[{"index":0,"delta":'
            )
        if finish is None and self._logprobs is None:
            return head + delta + self._tail
        logprobs, self._logprobs = self._logprobs, None
        return b"".join(
            (
                head,
                delta,
                b',"logprobs":',
                to_json(logprobs),
                b',"finish_reason":',
                to_json(finish),
                self._choice_fields,
                b"}]}\n\n",
            )
        )

    def encode(self, event: Event) -> bytes:
        match event:
            case ResponseStarted(id=rid, model=model, created=created):
                self._id, self._model, self._created = _completion_id(rid), model, created
                self._head = None
                if event.extensions:  # system_fingerprint & co.: OpenAI repeats them on every chunk
                    self._extend(own(event.extensions))
                return self._chunk(_OPENING)
            case TextDelta(text=t):
                return self._framed(b'{"content":' + to_json(t) + b"}") if t else b""
            case RefusalDelta(text=t):
                return self._framed(b'{"refusal":' + to_json(t) + b"}") if t else b""
            case ReasoningDelta(text=t):
                return self._framed(b'{"reasoning_content":' + to_json(t) + b"}") if t else b""
            case BlockStarted(kind=BlockKind.TOOL_CALL, id=call_id, name=name):
                self._tool_number += 1
                call: dict[str, JSONValue] = {
                    "index": self._tool_number,
                    "id": call_id,
                    "type": "function",
                    "function": {"name": name, "arguments": ""},
                }
                call.update(own(event.extensions))
                return self._chunk({"tool_calls": [call]})
            case ToolCallDelta(arguments=a):
                fragment: dict[str, JSONValue] = {
                    "index": self._tool_number,
                    "function": {"arguments": a},
                }
                return self._chunk({"tool_calls": [fragment]}) if a else b""
            case CitationDelta(citation=c):
                annotation = _annotation(c)
                return self._chunk({"annotations": [annotation]}) if annotation else b""
            case BlockStarted() | BlockFinished() | ProviderStateDelta() | WarningEvent():
                return b""
            case ReplyExtensions(extensions=x):
                self._extend(own(x))
                return b""
            case UsageEvent(usage=u):
                self._usage = u if self._usage is None else self._usage.merged(u)
                return b""
            case ResponseFinished(finish_reason=reason):
                out = self._chunk({}, FINISH[reason])
                if self._include_usage:
                    out += self._usage_chunk()
                return out
            case ErrorEvent():
                self._failed = True
                error = error_for(event.kind, event.message, code=event.code)
                return encode_event(error_body(error).decode())
            case _:
                assert_never(event)

    def _extend(self, fields: dict[str, JSONValue]) -> None:
        logprobs = fields.pop("logprobs", None)
        if logprobs is not None:
            self._logprobs = merge_json(self._logprobs, logprobs)
        usage = fields.pop("usage", None)
        if usage is not None:
            self._usage_extra = merge_json(self._usage_extra, usage)
        fields.pop("message", None)  # message-level fields have no chunk form
        choice = fields.pop("choice", None)
        if isinstance(choice, dict) and choice:
            self._choice.update(choice)
            self._choice_fields = b"," + to_json(self._choice)[1:-1]
            self._tail = b',"logprobs":null,"finish_reason":null' + self._choice_fields + b"}]}\n\n"
        if fields:
            self._top.update(fields)
            self._head = None

    def _envelope(self) -> dict[str, JSONValue]:
        """What every chunk of the stream starts with, up to its choices."""
        body: dict[str, JSONValue] = {
            "id": self._id,
            "object": "chat.completion.chunk",
            "created": self._created,
            "model": self._model,
        }
        if self._top:  # OpenAI sends service_tier and system_fingerprint before choices
            body.update(self._top)
        return body

    def _usage_chunk(self) -> bytes:
        body = self._envelope()
        body["choices"] = []
        body["usage"] = usage_json(
            self._usage or Usage(input_tokens=0, output_tokens=0), self._usage_extra
        )
        return _frame(body)

    def close(self) -> bytes:
        # After an in-stream error OpenAI ends the stream without [DONE].
        return b"" if self._failed else b"data: [DONE]\n\n"


def encode_models(models: Sequence[ModelEntry]) -> WireReply:
    body = {
        "object": "list",
        "data": [
            {"id": m.id, "object": "model", "created": 0, "owned_by": m.owned_by} for m in models
        ],
    }
    wire_checks.check(ModelsList, body, "model list")
    return WireReply(status=200, body=to_json(body))


def encode_model(model: ModelEntry) -> WireReply:
    """One entry of the list, as ``GET /v1/models/{model}`` returns it."""
    entry: dict[str, JSONValue] = {
        "id": model.id,
        "object": "model",
        "created": 0,
        "owned_by": model.owned_by,
    }
    wire_checks.check(ModelsList, {"object": "list", "data": [entry]}, "model")
    return WireReply(status=200, body=to_json(entry))


__all__ = ["ChatStreamEncoder", "encode_model", "encode_models", "encode_response", "usage_json"]
