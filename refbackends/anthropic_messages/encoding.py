"""Encoding a :class:`.reply.Reply` as Messages API wire bytes.

Unary (:func:`encode_message`): one ``message`` object (compact JSON, the
API's field order): ``id`` (``msg_...``), ``type``, ``role``, ``model``,
``content`` (text / thinking with signature / tool_use with ``input`` as a
JSON object), ``stop_reason``, ``stop_sequence``, ``stop_details`` (set on
a refusal, else null) and ``usage``.

Streamed (:func:`encode_stream`), one SSE frame per event, each with its
``event:`` line (the SDKs dispatch on it) and compact ``data:``:

1. ``message_start``: the message with empty ``content``, null stop fields
   and the usage so far (input counts, ``output_tokens`` 1);
2. one ``ping``, as the API sends;
3. per block: ``content_block_start`` (text ``{"text": ""}``, thinking
   ``{"thinking": "", "signature": ""}``, tool_use ``{"input": {}}``), one
   ``content_block_delta`` per piece (``text_delta``, ``thinking_delta``,
   ``input_json_delta`` with ``partial_json``), a ``signature_delta`` for a
   signed thinking block, ``content_block_stop``;
4. ``message_delta`` with the stop reason, stop sequence (and
   ``stop_details`` on a refusal) and ``usage.output_tokens`` (mandatory:
   the SDKs crash without it);
5. ``message_stop``.

A :class:`.reply.StreamFailure` stops after its blocks (and pieces of the
next): ``error`` adds an ``event: error`` frame; ``cut`` sets
:attr:`EncodedStream.cut_after` to the frame count for the app's cut.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import assert_never

from refbackends.anthropic_messages.errors import stream_error_payload
from refbackends.anthropic_messages.reply import Reply, ReplyBlock, ReplyUsage, tool_input
from refbackends.anthropic_messages.validation import MessagesRequest
from refbackends.content import stable_id

__all__ = [
    "EncodedStream",
    "Identity",
    "encode_message",
    "encode_stream",
    "identity_for",
    "message_object",
    "sse_event",
]

_Json = dict[str, object]


@dataclass(frozen=True)
class Identity:
    """The fields the message and its stream repeat."""

    id: str
    model: str


@dataclass(frozen=True)
class EncodedStream:
    """The frames of a stream; ``cut_after`` (a frame count) is set when
    the reply ends in a connection cut after those frames."""

    frames: list[bytes]
    cut_after: int | None = None


def identity_for(request: MessagesRequest) -> Identity:
    """Ids derived from the request body, so equal requests get equal ids."""
    return Identity(f"msg_01{stable_id([request.fingerprint, 'msg'], 22)}", request.model)


def message_object(ident: Identity, reply: Reply) -> _Json:
    """The unary ``message`` (every tool_use block's input must parse to
    an object: see :func:`.reply.tool_input`)."""
    message = _shell(ident, reply.usage, output=reply.usage.output, details=True)
    message["content"] = [_unary_block(block) for block in reply.blocks]
    message["stop_reason"] = reply.stop_reason
    message["stop_sequence"] = reply.stop_sequence
    message["stop_details"] = _REFUSAL_DETAILS if reply.stop_reason == "refusal" else None
    return _ordered(message)


def encode_message(ident: Identity, reply: Reply) -> bytes:
    """The unary response body."""
    return _dumps(message_object(ident, reply)).encode("utf-8")


def encode_stream(ident: Identity, reply: Reply) -> EncodedStream:
    """Every SSE frame of the streamed reply (see the module docstring)."""
    start = _shell(ident, reply.usage, output=min(reply.usage.output, 1), details=False)
    start |= {"content": [], "stop_reason": None, "stop_sequence": None, "stop_details": None}
    events: list[_Json] = [
        {"type": "message_start", "message": _ordered(start)},
        {"type": "ping"},
    ]
    failure = reply.failure
    for index, block in enumerate(reply.blocks):
        block_events = _block_events(index, block)
        if failure is not None and index >= failure.after_blocks:
            if index == failure.after_blocks and failure.extra_pieces:
                events += block_events[: 1 + min(failure.extra_pieces, len(block.pieces))]
            break
        events += block_events
    if failure is None:
        delta: _Json = {"stop_reason": reply.stop_reason, "stop_sequence": reply.stop_sequence}
        if reply.stop_reason == "refusal":
            delta["stop_details"] = _REFUSAL_DETAILS
        usage: _Json = {"output_tokens": reply.usage.output}
        if reply.usage.thinking is not None:
            usage["output_tokens_details"] = {"thinking_tokens": reply.usage.thinking}
        events += [
            {"type": "message_delta", "delta": delta, "usage": usage},
            {"type": "message_stop"},
        ]
        return EncodedStream([sse_event(event) for event in events])
    frames = [sse_event(event) for event in events]
    match failure.mode:
        case "error":
            return EncodedStream([*frames, sse_event(stream_error_payload(failure.kind))])
        case "cut":
            return EncodedStream(frames, cut_after=len(frames))
        case _:
            assert_never(failure.mode)


def sse_event(payload: _Json) -> bytes:
    """One frame: ``event: <type>`` and ``data: <compact json>``."""
    return f"event: {payload['type']}\ndata: {_dumps(payload)}\n\n".encode()


_REFUSAL_DETAILS: _Json = {"type": "refusal", "category": None, "explanation": None}
_ORDER = ("id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "stop_details")


def _shell(ident: Identity, usage: ReplyUsage, *, output: int, details: bool) -> _Json:
    return {
        "id": ident.id,
        "type": "message",
        "role": "assistant",
        "model": ident.model,
        "usage": _usage(usage, output, details),
    }


def _ordered(message: _Json) -> _Json:
    """The API's key order: identity, content, stop fields, then usage."""
    keys = [*_ORDER, *(key for key in message if key not in _ORDER and key != "usage"), "usage"]
    return {key: message[key] for key in keys if key in message}


def _usage(usage: ReplyUsage, output: int, details: bool) -> _Json:
    body: _Json = {
        "input_tokens": usage.input,
        "cache_creation_input_tokens": usage.cache_creation,
        "cache_read_input_tokens": usage.cache_read,
        "cache_creation": {
            "ephemeral_5m_input_tokens": usage.cache_creation,
            "ephemeral_1h_input_tokens": 0,
        },
        "output_tokens": output,
        "service_tier": "standard",
    }
    if details and usage.thinking is not None:
        body["output_tokens_details"] = {"thinking_tokens": usage.thinking}
    return body


def _unary_block(block: ReplyBlock) -> _Json:
    match block.kind:
        case "text":
            return {"type": "text", "text": block.joined}
        case "thinking":
            return {
                "type": "thinking",
                "thinking": block.joined,
                "signature": block.signature or "",
            }
        case "tool_use":
            arguments = tool_input(block)
            if arguments is None:
                raise ValueError(f"tool_use {block.id}: input is not a JSON object")
            return {"type": "tool_use", "id": block.id, "name": block.name, "input": arguments}
        case _:
            assert_never(block.kind)


def _block_events(index: int, block: ReplyBlock) -> list[_Json]:
    """content_block_start, the deltas, content_block_stop."""
    deltas: list[_Json]
    match block.kind:
        case "text":
            opening: _Json = {"type": "text", "text": ""}
            deltas = [{"type": "text_delta", "text": piece} for piece in block.pieces]
        case "thinking":
            opening = {"type": "thinking", "thinking": "", "signature": ""}
            deltas = [{"type": "thinking_delta", "thinking": piece} for piece in block.pieces]
            if block.signature is not None:
                deltas.append({"type": "signature_delta", "signature": block.signature})
        case "tool_use":
            opening = {"type": "tool_use", "id": block.id, "name": block.name, "input": {}}
            deltas = [{"type": "input_json_delta", "partial_json": piece} for piece in block.pieces]
        case _:
            assert_never(block.kind)
    return [
        {"type": "content_block_start", "index": index, "content_block": opening},
        *({"type": "content_block_delta", "index": index, "delta": d} for d in deltas),
        {"type": "content_block_stop", "index": index},
    ]


def _dumps(payload: object) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
