"""Canonical results -> Anthropic replies: every frame valid against the
generated stream-event models, with the event line the SDKs need, usage in
message_start (never zero) and message_delta, and a stream that folds to the
unary reply."""

from __future__ import annotations

import json
from typing import Any

from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    Call,
    ErrorEvent,
    ErrorKind,
    Event,
    FinishReason,
    ProviderState,
    ProviderStateDelta,
    ReasoningDelta,
    RefusalDelta,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    ToolCallDelta,
    Usage,
    UsageEvent,
    collect,
)
from lip.protocols.anthropic_messages.request import MessagesReplyShape
from lip.protocols.anthropic_messages.response import MessagesStreamEncoder, encode_response
from lip.protocols.anthropic_messages.upstream import AnthropicStreamDecoder, decode_response
from lip.protocols.base import ClientRequest
from lip.sse import SSEDecoder
from lip_wire.anthropic.message import Message
from lip_wire.anthropic.message_stream_event import MessageStreamEvent

OPENAI_STATE = ProviderState(origin="openai_chat")
EVENTS: list[Event] = [
    ResponseStarted(id="chatcmpl-9", model="gpt-4o", created=1),
    BlockStarted(index=0, kind=BlockKind.REASONING, state=OPENAI_STATE),
    ReasoningDelta(index=0, text="thinking"),
    BlockFinished(index=0),
    BlockStarted(index=1, kind=BlockKind.TEXT),
    TextDelta(index=1, text="Hello"),
    TextDelta(index=1, text=""),
    BlockFinished(index=1),
    BlockStarted(index=2, kind=BlockKind.TOOL_CALL, id="call_1", name="get_weather"),
    ToolCallDelta(index=2, arguments='{"city":'),
    ToolCallDelta(index=2, arguments='"Paris"}'),
    BlockFinished(index=2),
    UsageEvent(usage=Usage(input_tokens=30, output_tokens=12, cached_input_tokens=10)),
    ResponseFinished(finish_reason=FinishReason.TOOL_CALLS),
]
REQUEST = ClientRequest(
    call=Call(id="c", protocol="anthropic_messages", model="m", messages=()),
    shape=MessagesReplyShape(input_estimate=42),
)


def _frames(events: list[Event]) -> list[tuple[str, dict[str, Any]]]:
    encoder = MessagesStreamEncoder(42)
    raw = b"".join(encoder.encode(e) for e in events) + encoder.close()
    frames = SSEDecoder().feed(raw)
    out = []
    for frame in frames:
        MessageStreamEvent.model_validate_json(frame.data)  # the wire contract
        body = json.loads(frame.data)
        assert frame.event == body["type"]  # the SDKs dispatch on the event line
        out.append((frame.event, body))
    return out


def test_every_frame_is_valid_and_named() -> None:
    kinds = [kind for kind, _ in _frames(EVENTS)]
    assert kinds == [
        "message_start", "ping",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop",
    ]  # fmt: skip


def test_usage_is_in_message_start_and_message_delta() -> None:
    frames = dict(_frames(EVENTS))
    start_usage = frames["message_start"]["message"]["usage"]
    assert start_usage["input_tokens"] == 42 and start_usage["output_tokens"] >= 1  # the estimate
    delta = frames["message_delta"]
    assert delta["delta"]["stop_reason"] == "tool_use"
    assert delta["usage"] == {
        "input_tokens": 20,
        "output_tokens": 12,
        "cache_read_input_tokens": 10,
    }


def test_upstream_usage_known_up_front_is_used_in_message_start() -> None:
    early = [EVENTS[0], UsageEvent(usage=Usage(input_tokens=7, output_tokens=1)), *EVENTS[1:]]
    frames = dict(_frames(early))
    assert frames["message_start"]["message"]["usage"]["input_tokens"] == 7


def test_blocks_open_empty_and_a_foreign_reasoning_has_no_signature() -> None:
    starts = [
        body["content_block"] for kind, body in _frames(EVENTS) if kind == "content_block_start"
    ]
    assert starts == [
        {"type": "thinking", "thinking": "", "signature": ""},
        {"type": "text", "text": ""},
        {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {}},
    ]


def test_an_anthropic_signature_streams_as_signature_delta() -> None:
    mine = ProviderState(origin="anthropic_messages")
    events: list[Event] = [
        ResponseStarted(id="msg_1", model="claude-x", created=1),
        BlockStarted(index=0, kind=BlockKind.REASONING, state=mine),
        ReasoningDelta(index=0, text="hmm"),
        ProviderStateDelta(
            index=0, state=ProviderState(origin="anthropic_messages", signature="sig")
        ),
        BlockFinished(index=0),
        ResponseFinished(finish_reason=FinishReason.STOP),
    ]
    deltas = [body["delta"] for kind, body in _frames(events) if kind == "content_block_delta"]
    assert deltas == [
        {"type": "thinking_delta", "thinking": "hmm"},
        {"type": "signature_delta", "signature": "sig"},
    ]


def test_the_stream_folds_to_the_unary_reply() -> None:
    encoder = MessagesStreamEncoder(42)
    raw = b"".join(encoder.encode(e) for e in EVENTS)
    decoder = AnthropicStreamDecoder()
    events = [e for frame in SSEDecoder().feed(raw) for e in decoder.feed(frame)]
    streamed = collect(events + decoder.close())
    reply = encode_response(collect(EVENTS), REQUEST)
    Message.model_validate_json(reply.body)
    unary = collect(decode_response(reply.body))
    assert streamed.output[1:] == unary.output[1:]
    assert streamed.output[0].text == unary.output[0].text  # type: ignore[union-attr]
    assert (streamed.usage, streamed.finish_reason) == (unary.usage, unary.finish_reason)


def test_an_error_mid_stream_is_an_error_event() -> None:
    events: list[Event] = [
        *EVENTS[:6],
        ErrorEvent(kind=ErrorKind.RATE_LIMITED, message="slow down"),
    ]
    kind, body = _frames(events)[-1]
    assert (kind, body) == (
        "error",
        {"type": "error", "error": {"type": "rate_limit_error", "message": "slow down"}},
    )


def test_a_refusal_that_ends_with_a_plain_stop_has_stop_reason_refusal() -> None:
    refused: list[Event] = [
        ResponseStarted(id="chatcmpl-9", model="gpt-4o", created=1),
        BlockStarted(index=0, kind=BlockKind.REFUSAL),
        RefusalDelta(index=0, text="I can't help with that."),
        BlockFinished(index=0),
        ResponseFinished(finish_reason=FinishReason.STOP),
    ]
    frames = dict(_frames(refused))
    assert frames["message_delta"]["delta"]["stop_reason"] == "refusal"
    unary = json.loads(encode_response(collect(refused), REQUEST).body)
    assert unary["stop_reason"] == "refusal"
    assert unary["content"] == [{"type": "text", "text": "I can't help with that."}]


def test_reasoning_tokens_are_thinking_tokens() -> None:
    usage = Usage(input_tokens=8, output_tokens=12, reasoning_tokens=10)
    events = [*EVENTS[:-2], UsageEvent(usage=usage), EVENTS[-1]]
    delta = dict(_frames(events))["message_delta"]
    assert delta["usage"]["output_tokens_details"] == {"thinking_tokens": 10}
    unary = json.loads(encode_response(collect(events), REQUEST).body)
    assert unary["usage"]["output_tokens_details"] == {"thinking_tokens": 10}
