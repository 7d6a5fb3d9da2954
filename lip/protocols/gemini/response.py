"""Canonical results -> Gemini replies: ``GenerateContentResponse``, its stream, models.

One candidate (index 0) whose ``content`` is a ``model`` turn. Text is
``text`` parts, reasoning ``thought: true`` parts, tool calls whole
``functionCall`` parts (with the call id, which clients echo back in the
function response); a ``thoughtSignature`` only when a Gemini upstream gave
it; an empty block without one is no part (the stream has none either). A
stream is one ``GenerateContentResponse`` per piece: text and thoughts
as they come, a function call once complete, and ``finishReason`` with
``usageMetadata`` on the last chunk, whose one part is an empty text (a
chunk without parts makes the SDKs' chat sessions drop the turn). SSE
(``alt=sse``) frames each chunk as ``data:``; otherwise the chunks are the
elements of one JSON array, as the API sends them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, assert_never

from pydantic_core import to_json

from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    CitationDelta,
    ErrorEvent,
    Event,
    FinishReason,
    OutputPart,
    ProviderState,
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
    state_for,
)
from lip.protocols import wire_checks
from lip.protocols.base import ClientRequest, ModelEntry, StreamEncoder, WireReply
from lip.protocols.gemini.carry import PROTOCOL
from lip.protocols.gemini.errors import stream_error
from lip.protocols.gemini.request import GeminiReplyShape
from lip_wire.gemini.generate_content_response import GenerateContentResponse

__all__ = [
    "GeminiStreamEncoder",
    "encode_model",
    "encode_models",
    "encode_response",
    "usage_json",
]

FINISH: dict[FinishReason, str] = {
    FinishReason.STOP: "STOP",
    FinishReason.TOOL_CALLS: "STOP",
    FinishReason.LENGTH: "MAX_TOKENS",
    FinishReason.CONTENT_FILTER: "SAFETY",
    FinishReason.REFUSAL: "SAFETY",
    FinishReason.PAUSE: "STOP",
    FinishReason.OTHER: "OTHER",
}


def usage_json(usage: Usage | None) -> dict[str, int] | None:
    if usage is None:
        return None
    prompt = usage.input_tokens or 0
    thoughts = usage.reasoning_tokens or 0
    candidates = max((usage.output_tokens or 0) - thoughts, 0)
    body = {
        "promptTokenCount": prompt,
        "candidatesTokenCount": candidates,
        "totalTokenCount": prompt + candidates + thoughts,
    }
    if thoughts:
        body["thoughtsTokenCount"] = thoughts
    if usage.cached_input_tokens:
        body["cachedContentTokenCount"] = usage.cached_input_tokens
    return body


def _signed(body: dict[str, Any], state: ProviderState | None) -> dict[str, Any]:
    mine = state_for(state, PROTOCOL)
    if mine is not None and mine.signature:
        body["thoughtSignature"] = mine.signature
    return body


def _call(part: ToolCallPart) -> dict[str, Any]:
    try:
        args = json.loads(part.arguments) if part.arguments.strip() else {}
    except ValueError:
        args = {"arguments": part.arguments}
    if not isinstance(args, dict):
        args = {"value": args}
    return _signed({"functionCall": {"id": part.id, "name": part.name, "args": args}}, part.state)


def _part(part: OutputPart) -> dict[str, Any]:
    match part:
        case TextPart():
            return _signed({"text": part.text}, part.state)
        case RefusalPart(text=t):
            return {"text": t}
        case ReasoningPart():
            text = part.text or "\n".join(part.summary)
            return _signed({"text": text, "thought": True}, part.state)
        case ToolCallPart():
            return _call(part)
        case _:
            assert_never(part)


def _chunk(
    parts: list[dict[str, Any]],
    model: str,
    ident: str,
    finish: str | None = None,
    usage: dict[str, int] | None = None,
) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": parts}, "index": 0}
    if finish is not None:
        candidate["finishReason"] = finish
    body: dict[str, Any] = {"candidates": [candidate]}
    if usage is not None:
        body["usageMetadata"] = usage
    body["modelVersion"] = model
    body["responseId"] = ident
    return body


def _sent(part: OutputPart) -> bool:
    """Whether a part has anything to say: text, a call, or Gemini's own state
    (what the stream sends too, so a stream reads back as the unary reply)."""
    match part:
        case ToolCallPart():
            return True
        case RefusalPart():
            return bool(part.text)
        case TextPart():
            return bool(part.text) or state_for(part.state, PROTOCOL) is not None
        case ReasoningPart():
            mine = state_for(part.state, PROTOCOL) is not None
            return bool(part.text or part.summary) or mine
        case _:
            assert_never(part)


def encode_response(result: Response, request: ClientRequest) -> WireReply:
    body = _chunk(
        [_part(p) for p in result.output if _sent(p)],
        result.model or request.call.model,  # as the stream does
        request.call.id,
        FINISH[result.finish_reason],
        usage_json(result.usage) or usage_json(Usage(input_tokens=0, output_tokens=0)),
    )
    wire_checks.check(GenerateContentResponse, body, "generateContent reply")
    return WireReply(status=200, body=to_json(body))


class GeminiStreamEncoder(StreamEncoder):
    def __init__(self, request: ClientRequest) -> None:
        shape = request.shape
        self._sse = shape.sse if isinstance(shape, GeminiReplyShape) else True
        self.media_type = "text/event-stream" if self._sse else "application/json"
        self._ident = request.call.id
        self._model = request.call.model
        self._sent = 0
        self._usage: Usage | None = None
        self._kinds: dict[int, BlockKind] = {}
        self._calls: dict[int, ToolCallPart] = {}
        self._states: dict[int, ProviderState] = {}

    def _frame(self, body: dict[str, Any]) -> bytes:
        data = to_json(body)
        self._sent += 1
        if self._sse:
            return b"data: " + data + b"\r\n\r\n"
        return (b"[" if self._sent == 1 else b",\r\n") + data

    def _emit(self, parts: list[dict[str, Any]]) -> bytes:
        return self._frame(_chunk(parts, self._model, self._ident))

    def _finish(self, index: int) -> bytes:
        kind = self._kinds.get(index)
        state = self._states.get(index)
        if kind is BlockKind.TOOL_CALL:
            call = self._calls.pop(index)
            return self._emit(
                [
                    _call(
                        ToolCallPart(
                            id=call.id, name=call.name, arguments=call.arguments, state=state
                        )
                    )
                ]
            )
        if state is not None and state_for(state, PROTOCOL) is not None:
            thought = kind is BlockKind.REASONING
            part = _signed({"text": "", **({"thought": True} if thought else {})}, state)
            return self._emit([part])
        return b""

    def encode(self, event: Event) -> bytes:
        match event:
            case ResponseStarted():
                self._model = event.model or self._model
                return b""
            case BlockStarted(index=i, kind=kind):
                self._kinds[i] = kind
                if event.state is not None:
                    self._states[i] = event.state
                if kind is BlockKind.TOOL_CALL:
                    self._calls[i] = ToolCallPart(
                        id=event.id or "", name=event.name or "", arguments=""
                    )
                return b""
            case TextDelta(text=t) | RefusalDelta(text=t):
                return self._emit([{"text": t}]) if t else b""
            case ReasoningDelta(text=t):
                return self._emit([{"text": t, "thought": True}]) if t else b""
            case ToolCallDelta(index=i, arguments=a):
                call = self._calls[i]
                self._calls[i] = ToolCallPart(
                    id=call.id, name=call.name, arguments=call.arguments + a
                )
                return b""
            case ProviderStateDelta(index=i, state=state):
                previous = self._states.get(i)
                self._states[i] = state if previous is None else previous.merged(state)
                return b""
            case BlockFinished(index=i):
                return self._finish(i)
            case UsageEvent(usage=u):
                self._usage = u if self._usage is None else self._usage.merged(u)
                return b""
            case ReplyExtensions() | CitationDelta() | WarningEvent():
                return b""
            case ResponseFinished(finish_reason=reason):
                usage = usage_json(self._usage) or usage_json(
                    Usage(input_tokens=0, output_tokens=0)
                )
                # An empty text part, as the API ends its streams: the SDKs' chat
                # sessions drop a streamed turn with a chunk that has no parts.
                last = [{"text": ""}]
                return self._frame(_chunk(last, self._model, self._ident, FINISH[reason], usage))
            case ErrorEvent():
                return self._frame(stream_error(event))
            case _:
                assert_never(event)

    def close(self) -> bytes:
        if self._sse:
            return b""
        return b"]" if self._sent else b"[]"


def _model(entry: ModelEntry) -> dict[str, Any]:
    return {
        "name": f"models/{entry.id}",
        "version": "001",
        "displayName": entry.id,
        "description": f"{entry.id}, served by {entry.owned_by} through LIP",
        "inputTokenLimit": 1_048_576,
        "outputTokenLimit": 65_536,
        "supportedGenerationMethods": ["generateContent", "streamGenerateContent", "countTokens"],
    }


def encode_models(models: Sequence[ModelEntry]) -> WireReply:
    return WireReply(status=200, body=to_json({"models": [_model(m) for m in models]}))


def encode_model(model: ModelEntry) -> WireReply:
    return WireReply(status=200, body=to_json(_model(model)))
