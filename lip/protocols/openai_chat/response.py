"""Canonical results -> OpenAI ``chat.completion`` JSON and ``chat.completion.chunk`` SSE.

https://platform.openai.com/docs/api-reference/chat/object and
https://platform.openai.com/docs/api-reference/chat-streaming. Reasoning
(which OpenAI Chat has no field for) is projected to ``reasoning_content``,
the convention of OpenAI-compatible servers (vLLM, DeepSeek); opaque
reasoning signatures are not representable and are dropped with no output.
"""

from __future__ import annotations

from typing import assert_never

from pydantic_core import to_json

from lip.canonical import (
    Call,
    ErrorEvent,
    Event,
    FinishReason,
    JSONValue,
    ReasoningDelta,
    ReasoningPart,
    ReasoningSignature,
    RefusalDelta,
    RefusalPart,
    Response,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    TextPart,
    ToolCallDelta,
    ToolCallFinished,
    ToolCallPart,
    ToolCallStarted,
    Usage,
    UsageEvent,
    WarningEvent,
    error_for,
)
from lip.protocols.base import StreamEncoder, WireReply
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


def usage_json(usage: Usage) -> dict[str, JSONValue]:
    body: dict[str, JSONValue] = {
        "prompt_tokens": usage.input_tokens or 0,
        "completion_tokens": usage.output_tokens or 0,
        "total_tokens": usage.total_tokens or 0,
    }
    if usage.cached_input_tokens is not None:
        body["prompt_tokens_details"] = {"cached_tokens": usage.cached_input_tokens}
    if usage.reasoning_tokens is not None:
        body["completion_tokens_details"] = {"reasoning_tokens": usage.reasoning_tokens}
    return body


def encode_response(response: Response, call: Call) -> WireReply:
    text: list[str] = []
    refusal: list[str] = []
    reasoning: list[str] = []
    tool_calls: list[JSONValue] = []
    for part in response.output:
        match part:
            case TextPart(text=t):
                text.append(t)
            case RefusalPart(text=t):
                refusal.append(t)
            case ReasoningPart(text=t):
                reasoning.append(t)
            case ToolCallPart(id=call_id, name=name, arguments=arguments):
                tool_calls.append(
                    {
                        "id": call_id,
                        "type": "function",
                        "function": {"name": name, "arguments": arguments},
                    }
                )
            case _:
                assert_never(part)
    message: dict[str, JSONValue] = {
        "role": "assistant",
        "content": "".join(text) if text or not (tool_calls or refusal) else None,
        "refusal": "".join(refusal) if refusal else None,
        "annotations": [],
    }
    if tool_calls:
        message["tool_calls"] = tool_calls
    if reasoning:
        message["reasoning_content"] = "".join(reasoning)
    body: dict[str, JSONValue] = {
        "id": _completion_id(response.id),
        "object": "chat.completion",
        "created": response.created,
        "model": response.model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": FINISH[response.finish_reason],
            }
        ],
    }
    if response.usage is not None:
        body["usage"] = usage_json(response.usage)
    ChatCompletion.model_validate(body)  # the wire contract, checked on every unary reply
    return WireReply(status=200, body=to_json(body))


def _frame(body: dict[str, JSONValue]) -> bytes:
    """One ``data:`` frame. The per-token hot path skips runtime validation:
    chunk shapes are fixed here, and the tests validate every shape against
    the generated ``ChatCompletionChunk`` (re-validating each frame cost a
    quarter of the streaming CPU). JSON text never holds a raw newline, so
    the frame is always one ``data:`` line."""
    return b"data: " + to_json(body) + b"\n\n"


class ChatStreamEncoder(StreamEncoder):
    """One streamed reply's state: ids, tool-call numbering, pending usage."""

    def __init__(self, call: Call) -> None:
        self._include_usage = call.include_usage
        self._id = ""
        self._model = ""
        self._created = 0
        self._tool_numbers: dict[int, int] = {}
        self._usage: Usage | None = None
        self._failed = False

    def _chunk(self, delta: dict[str, JSONValue], finish: str | None = None) -> bytes:
        body: dict[str, JSONValue] = {
            "id": self._id,
            "object": "chat.completion.chunk",
            "created": self._created,
            "model": self._model,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        return _frame(body)

    def encode(self, event: Event) -> bytes:
        match event:
            case ResponseStarted(id=rid, model=model, created=created):
                self._id, self._model, self._created = _completion_id(rid), model, created
                return self._chunk({"role": "assistant", "content": "", "refusal": None})
            case TextDelta(text=t):
                return self._chunk({"content": t}) if t else b""
            case RefusalDelta(text=t):
                return self._chunk({"refusal": t}) if t else b""
            case ReasoningDelta(text=t):
                return self._chunk({"reasoning_content": t}) if t else b""
            case ToolCallStarted(index=i, id=call_id, name=name):
                number = self._tool_numbers[i] = len(self._tool_numbers)
                call: dict[str, JSONValue] = {
                    "index": number,
                    "id": call_id,
                    "type": "function",
                    "function": {"name": name, "arguments": ""},
                }
                return self._chunk({"tool_calls": [call]})
            case ToolCallDelta(index=i, arguments=a):
                fragment: dict[str, JSONValue] = {
                    "index": self._tool_numbers[i],
                    "function": {"arguments": a},
                }
                return self._chunk({"tool_calls": [fragment]}) if a else b""
            case ReasoningSignature() | ToolCallFinished() | WarningEvent():
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

    def _usage_chunk(self) -> bytes:
        body: dict[str, JSONValue] = {
            "id": self._id,
            "object": "chat.completion.chunk",
            "created": self._created,
            "model": self._model,
            "choices": [],
            "usage": usage_json(self._usage or Usage(input_tokens=0, output_tokens=0)),
        }
        return _frame(body)

    def close(self) -> bytes:
        # After an in-stream error OpenAI ends the stream without [DONE].
        return b"" if self._failed else b"data: [DONE]\n\n"


def encode_models(models: list[tuple[str, str]]) -> WireReply:
    body = {
        "object": "list",
        "data": [{"id": m, "object": "model", "created": 0, "owned_by": b} for m, b in models],
    }
    ModelsList.model_validate(body)
    return WireReply(status=200, body=to_json(body))


def encode_model(model: str, backend_id: str) -> WireReply:
    """One entry of the list, as ``GET /v1/models/{model}`` returns it."""
    entry: dict[str, JSONValue] = {
        "id": model,
        "object": "model",
        "created": 0,
        "owned_by": backend_id,
    }
    ModelsList.model_validate({"object": "list", "data": [entry]})
    return WireReply(status=200, body=to_json(entry))


__all__ = ["ChatStreamEncoder", "encode_model", "encode_models", "encode_response", "usage_json"]
