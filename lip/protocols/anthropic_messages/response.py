"""Canonical results -> Anthropic Messages replies (the frontend's encode half).

The stream follows what both official SDKs enforce (WIRE-FACTS): every
frame has its ``event:`` line; ``message_start`` comes first, with usage —
the upstream's when it reported input before its first output (Anthropic
does), else an estimate from the request size, never zero; text blocks
open with ``"text": ""``, tool_use blocks with ``"input": {}`` and their
arguments as ``input_json_delta`` fragments; ``message_delta`` always
carries usage. Canonical blocks never interleave, so their indexes are the
content block indexes. Reasoning from other providers has no signature and
streams as thinking with an empty one (Anthropic upstreams never receive it
back); refusals are text with stop reason ``refusal``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
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
    fields_for,
    merge_json,
    state_for,
)
from lip.protocols import wire_checks
from lip.protocols.anthropic_messages.carry import PROTOCOL, own
from lip.protocols.anthropic_messages.errors import error_json
from lip.protocols.anthropic_messages.request import MessagesReplyShape
from lip.protocols.base import ClientRequest, ModelEntry, StreamEncoder, WireReply
from lip.sse import encode_event
from lip_wire.anthropic.message import Message

STOP_REASON: dict[FinishReason, str] = {
    FinishReason.STOP: "end_turn",
    FinishReason.LENGTH: "max_tokens",
    FinishReason.TOOL_CALLS: "tool_use",
    FinishReason.CONTENT_FILTER: "refusal",
    FinishReason.REFUSAL: "refusal",
    FinishReason.PAUSE: "pause_turn",
    FinishReason.OTHER: "end_turn",
}
_SERVER_BLOCKS = "server_blocks"


def _stop_reason(reason: FinishReason, stop_sequence: str | None, refused: bool = False) -> str:
    """``refused``: the reply holds a refusal, which Anthropic says with the
    stop reason (a protocol that ends a refusal with a plain stop, like OpenAI
    Chat, still gives ``refusal``)."""
    if reason is FinishReason.STOP and refused:
        return "refusal"
    if reason is FinishReason.STOP and stop_sequence is not None:
        return "stop_sequence"
    return STOP_REASON[reason]


def message_id(upstream_id: str) -> str:
    return upstream_id if upstream_id.startswith("msg_") else f"msg_{upstream_id}"


def usage_json(
    usage: Usage | None, extra: JSONValue = None, *, estimate: int = 0
) -> dict[str, JSONValue]:
    """Anthropic usage: input excludes cached input (canonical input includes it)."""
    usage = usage or Usage()
    read = usage.cached_input_tokens or 0
    created = usage.cache_creation_input_tokens or 0
    total = usage.input_tokens
    body: dict[str, JSONValue] = {
        "input_tokens": max(total - read - created, 0) if total is not None else estimate,
        "output_tokens": usage.output_tokens or 0,
    }
    if usage.cache_creation_input_tokens is not None:
        body["cache_creation_input_tokens"] = created
    if usage.cached_input_tokens is not None:
        body["cache_read_input_tokens"] = read
    if usage.reasoning_tokens is not None:
        body["output_tokens_details"] = {"thinking_tokens": usage.reasoning_tokens}
    if isinstance(extra, dict):
        body.update(extra)
    return body


def _citation(citation: Citation) -> dict[str, JSONValue] | None:
    """An Anthropic citation back on its own wire; others have no Anthropic form."""
    carried = dict(fields_for(citation.extensions, PROTOCOL))
    kind = carried.get("type")
    if kind is None:
        return None
    body: dict[str, JSONValue] = dict(carried)
    if citation.cited_text is not None:
        body["cited_text"] = citation.cited_text
    if citation.kind == "url":
        body["url"] = citation.url
        body["title"] = citation.title
    else:
        body["document_title"] = citation.title
        if citation.document_index is not None:
            body["document_index"] = citation.document_index
    return body


def _arguments_object(text: str) -> dict[str, JSONValue]:
    try:
        value = json.loads(text) if text.strip() else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _block(part: TextPart | RefusalPart | ReasoningPart | ToolCallPart) -> dict[str, JSONValue]:
    match part:
        case TextPart():
            body: dict[str, JSONValue] = {"type": "text", "text": part.text}
            citations = [c for c in map(_citation, part.citations) if c is not None]
            if citations:
                body["citations"] = list(citations)
            return body
        case RefusalPart(text=t):
            return {"type": "text", "text": t}
        case ReasoningPart():
            state = state_for(part.state, PROTOCOL)
            if part.redacted and state is not None:
                return {"type": "redacted_thinking", "data": state.encrypted or ""}
            signature = state.signature if state is not None else None
            thinking = part.text or "\n".join(part.summary)  # a summary is all some vendors show
            return {"type": "thinking", "thinking": thinking, "signature": signature or ""}
        case ToolCallPart():
            return {
                "type": "tool_use",
                "id": part.id,
                "name": part.name,
                "input": _arguments_object(part.arguments),
            }
        case _:
            assert_never(part)


def encode_response(response: Response, request: ClientRequest) -> WireReply:
    ext = own(response.extensions)
    server = ext.pop(_SERVER_BLOCKS, None)
    usage_extra = ext.pop("usage", None)
    content: list[JSONValue] = [_block(p) for p in response.output]
    if isinstance(server, list):
        content.extend(server)
    shape = request.shape
    estimate = shape.input_estimate if isinstance(shape, MessagesReplyShape) else 0
    body: dict[str, JSONValue] = {
        "id": message_id(response.id),
        "type": "message",
        "role": "assistant",
        "model": response.model,
        "content": content,
        "stop_reason": _stop_reason(
            response.finish_reason,
            response.stop_sequence,
            any(isinstance(p, RefusalPart) for p in response.output),
        ),
        "stop_sequence": response.stop_sequence,
        "usage": usage_json(response.usage, usage_extra, estimate=estimate),
    }
    body.update(ext)
    wire_checks.check(Message, body, "message reply")
    return WireReply(status=200, body=to_json(body))


def _frame(kind: str, body: dict[str, JSONValue]) -> bytes:
    return b"event: " + kind.encode() + b"\ndata: " + to_json(body) + b"\n\n"


class MessagesStreamEncoder(StreamEncoder):
    """One streamed reply: ``message_start`` is held until the first block (or
    the end), so usage the upstream reports up front is in it."""

    def __init__(self, input_estimate: int) -> None:
        self._estimate = input_estimate
        self._started: ResponseStarted | None = None
        self._opened = False
        self._usage: Usage | None = None
        self._usage_extra: JSONValue = None
        self._extra: dict[str, JSONValue] = {}
        self._kinds: dict[int, BlockKind] = {}
        self._refused = False

    def _open(self) -> bytes:
        if self._opened or self._started is None:
            return b""
        self._opened = True
        started = self._started
        usage = usage_json(self._usage, estimate=self._estimate)
        output = usage.get("output_tokens")
        usage["output_tokens"] = max(output if isinstance(output, int) else 0, 1)
        message: dict[str, JSONValue] = {
            "id": message_id(started.id),
            "type": "message",
            "role": "assistant",
            "model": started.model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": usage,
        }
        return _frame("message_start", {"type": "message_start", "message": message}) + _frame(
            "ping", {"type": "ping"}
        )

    def _delta(self, index: int, delta: dict[str, JSONValue]) -> bytes:
        return _frame(
            "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
        )

    def encode(self, event: Event) -> bytes:
        match event:
            case ResponseStarted():
                self._started = event
                self._extra.update(own(event.extensions))
                return b""
            case UsageEvent(usage=u):
                self._usage = u if self._usage is None else self._usage.merged(u)
                return b""
            case ReplyExtensions(extensions=x):
                fields = own(x)
                usage = fields.pop("usage", None)
                if usage is not None:
                    self._usage_extra = merge_json(self._usage_extra, usage)
                fields.pop(_SERVER_BLOCKS, None)
                self._extra.update(fields)
                return b""
            case WarningEvent():
                return b""
            case BlockStarted(index=i, kind=kind):
                self._kinds[i] = kind
                self._refused = self._refused or kind is BlockKind.REFUSAL
                return self._open() + _frame(
                    "content_block_start",
                    {"type": "content_block_start", "index": i, "content_block": _start(event)},
                )
            case TextDelta(index=i, text=t) | RefusalDelta(index=i, text=t):
                return self._delta(i, {"type": "text_delta", "text": t}) if t else b""
            case ReasoningDelta(index=i, text=t):
                return self._delta(i, {"type": "thinking_delta", "thinking": t}) if t else b""
            case ToolCallDelta(index=i, arguments=a):
                return self._delta(i, {"type": "input_json_delta", "partial_json": a}) if a else b""
            case ProviderStateDelta(index=i, state=state):
                mine = state_for(state, PROTOCOL)
                if (
                    mine is None
                    or mine.signature is None
                    or self._kinds.get(i) is not BlockKind.REASONING
                ):
                    return b""
                return self._delta(i, {"type": "signature_delta", "signature": mine.signature})
            case CitationDelta(index=i, citation=c):
                body = _citation(c)
                return (
                    self._delta(i, {"type": "citations_delta", "citation": body}) if body else b""
                )
            case BlockFinished(index=i):
                return _frame("content_block_stop", {"type": "content_block_stop", "index": i})
            case ResponseFinished(finish_reason=reason, stop_sequence=stop):
                usage = usage_json(self._usage, self._usage_extra, estimate=self._estimate)
                delta: dict[str, JSONValue] = {
                    "stop_reason": _stop_reason(reason, stop, self._refused),
                    "stop_sequence": stop,
                }
                delta.update(
                    {k: v for k, v in self._extra.items() if k in ("container", "stop_details")}
                )
                return (
                    self._open()
                    + _frame(
                        "message_delta", {"type": "message_delta", "delta": delta, "usage": usage}
                    )
                    + _frame("message_stop", {"type": "message_stop"})
                )
            case ErrorEvent():
                return self._open() + encode_event(json.dumps(error_json(event)), event="error")
            case _:
                assert_never(event)


def _start(event: BlockStarted) -> dict[str, JSONValue]:
    kind = event.kind
    if kind is BlockKind.TOOL_CALL:
        body: dict[str, JSONValue] = {
            "type": "tool_use",
            "id": event.id,
            "name": event.name,
            "input": {},
        }
        return body
    if kind is BlockKind.REASONING:
        state = state_for(event.state, PROTOCOL)
        if event.redacted and state is not None:
            return {"type": "redacted_thinking", "data": state.encrypted or ""}
        return {"type": "thinking", "thinking": "", "signature": ""}
    return {"type": "text", "text": ""}


def _created_at() -> str:
    return datetime.fromtimestamp(0, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _model(entry: ModelEntry) -> dict[str, JSONValue]:
    return {
        "type": "model",
        "id": entry.id,
        "display_name": entry.id,
        "created_at": _created_at(),
    }


def encode_models(models: Sequence[ModelEntry]) -> WireReply:
    data = [_model(m) for m in models]
    body: dict[str, JSONValue] = {
        "data": list(data),
        "has_more": False,
        "first_id": models[0].id if models else None,
        "last_id": models[-1].id if models else None,
    }
    return WireReply(status=200, body=to_json(body))


def encode_model(model: ModelEntry) -> WireReply:
    return WireReply(status=200, body=to_json(_model(model)))


def stream_encoder(request: ClientRequest) -> MessagesStreamEncoder:
    shape = request.shape
    estimate = shape.input_estimate if isinstance(shape, MessagesReplyShape) else 1
    return MessagesStreamEncoder(estimate)


__all__ = [
    "MessagesStreamEncoder",
    "encode_model",
    "encode_models",
    "encode_response",
    "message_id",
    "stream_encoder",
    "usage_json",
]
