"""Anthropic replies -> canonical events: unary and streamed fold to the same
response, whatever the chunk boundaries; cuts, errors and off-spec streams
are upstream errors, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lip.canonical import (
    BlockStarted,
    ErrorEvent,
    ErrorKind,
    Event,
    FinishReason,
    ReasoningPart,
    TextPart,
    ToolCallPart,
    UpstreamError,
    UsageEvent,
    WarningEvent,
    collect,
)
from lip.protocols.anthropic_messages.upstream import AnthropicStreamDecoder, decode_response
from lip.sse import SSEDecoder

MESSAGE: dict[str, Any] = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "claude-x",
    "content": [
        {"type": "thinking", "thinking": "Check the weather.", "signature": "sig-abc"},
        {"type": "text", "text": "Let me look."},
        {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
    ],
    "stop_reason": "tool_use",
    "stop_sequence": None,
    "usage": {
        "input_tokens": 10,
        "output_tokens": 20,
        "cache_read_input_tokens": 5,
        "cache_creation_input_tokens": 2,
    },
}


def _sse(kind: str, body: dict[str, Any]) -> str:
    return f"event: {kind}\ndata: {json.dumps(body)}\n\n"


def stream_text() -> str:
    start = {
        **MESSAGE,
        "content": [],
        "stop_reason": None,
        "usage": {**MESSAGE["usage"], "output_tokens": 1},
    }
    frames = [
        _sse("message_start", {"type": "message_start", "message": start}),
        _sse("ping", {"type": "ping"}),
        _sse(
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "thinking", "thinking": "", "signature": ""},
            },
        ),
        _sse(
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "thinking_delta", "thinking": "Check the "},
            },
        ),
        _sse(
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "thinking_delta", "thinking": "weather."},
            },
        ),
        _sse(
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "signature_delta", "signature": "sig-abc"},
            },
        ),
        _sse("content_block_stop", {"type": "content_block_stop", "index": 0}),
        _sse(
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 1,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        _sse(
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 1,
                "delta": {"type": "text_delta", "text": "Let me "},
            },
        ),
        _sse(
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 1,
                "delta": {"type": "text_delta", "text": "look."},
            },
        ),
        _sse("content_block_stop", {"type": "content_block_stop", "index": 1}),
        _sse(
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 2,
                "content_block": {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "get_weather",
                    "input": {},
                },
            },
        ),
        _sse(
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 2,
                "delta": {"type": "input_json_delta", "partial_json": ""},
            },
        ),
        _sse(
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 2,
                "delta": {"type": "input_json_delta", "partial_json": '{"city": "Pa'},
            },
        ),
        _sse(
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 2,
                "delta": {"type": "input_json_delta", "partial_json": 'ris"}'},
            },
        ),
        _sse("content_block_stop", {"type": "content_block_stop", "index": 2}),
        _sse(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                "usage": {"output_tokens": 20},
            },
        ),
        _sse("message_stop", {"type": "message_stop"}),
    ]
    return "".join(frames)


def _decode_stream(chunks: list[bytes]) -> list[Event]:
    sse, decoder = SSEDecoder(), AnthropicStreamDecoder()
    events: list[Event] = []
    for chunk in chunks:
        for frame in sse.feed(chunk):
            events.extend(decoder.feed(frame))
    for frame in sse.close():
        events.extend(decoder.feed(frame))
    return events + decoder.close()


def test_unary_reply_decodes_every_block_and_usage() -> None:
    response = collect(decode_response(json.dumps(MESSAGE).encode()))
    thinking, text, call = response.output
    assert isinstance(thinking, ReasoningPart) and thinking.text == "Check the weather."
    assert thinking.state is not None and thinking.state.signature == "sig-abc"
    assert isinstance(text, TextPart) and text.text == "Let me look."
    assert isinstance(call, ToolCallPart) and json.loads(call.arguments) == {"city": "Paris"}
    assert response.finish_reason is FinishReason.TOOL_CALLS
    usage = response.usage
    assert usage is not None
    # Canonical input includes cached input; Anthropic counts it apart.
    assert (usage.input_tokens, usage.cached_input_tokens, usage.cache_creation_input_tokens) == (
        17,
        5,
        2,
    )
    assert usage.output_tokens == 20


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=len(stream_text().encode()) - 1), max_size=30))
def test_a_stream_folds_to_the_unary_reply_whatever_the_chunk_boundaries(cuts: list[int]) -> None:
    raw = stream_text().encode()
    points = sorted(set(cuts))
    chunks = [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]
    streamed = collect(_decode_stream(chunks))
    unary = collect(decode_response(json.dumps(MESSAGE).encode()))
    assert streamed.output[:2] == unary.output[:2]
    (s_call,), (u_call,) = streamed.tool_calls(), unary.tool_calls()
    # The unary input object and the streamed JSON text are the same arguments.
    assert (s_call.id, s_call.name) == (u_call.id, u_call.name)
    assert json.loads(s_call.arguments) == json.loads(u_call.arguments)
    assert (streamed.usage, streamed.finish_reason) == (unary.usage, unary.finish_reason)


def test_a_stream_cut_before_message_stop_is_an_upstream_error() -> None:
    raw = stream_text()
    cut = raw[: raw.index("event: message_delta")]
    with pytest.raises(UpstreamError, match="before message_stop"):
        _decode_stream([cut.encode()])


def test_an_error_event_ends_the_stream_with_its_kind() -> None:
    raw = stream_text()
    head = raw[: raw.index("event: content_block_start")]
    error = _sse(
        "error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    )
    events = _decode_stream([(head + error).encode()])
    assert events[-1] == ErrorEvent(kind=ErrorKind.OVERLOADED, message="the upstream is overloaded")


def test_content_before_message_start_is_an_upstream_error() -> None:
    raw = stream_text()
    body = raw[raw.index("event: content_block_start") :]
    with pytest.raises(UpstreamError, match="before message_start"):
        _decode_stream([body.encode()])


def test_server_tool_blocks_are_set_aside_with_a_warning() -> None:
    message = {
        **MESSAGE,
        "content": [
            {
                "type": "server_tool_use",
                "id": "srvtoolu_1",
                "name": "web_search",
                "input": {"query": "x"},
            },
            {"type": "text", "text": "Found it."},
        ],
        "stop_reason": "end_turn",
    }
    events = decode_response(json.dumps(message).encode())
    assert any(isinstance(e, WarningEvent) for e in events)
    started = [e for e in events if isinstance(e, BlockStarted)]
    assert len(started) == 1 and started[0].index == 0
    response = collect(events)
    assert response.output == (TextPart(text="Found it."),)
    assert response.extensions["anthropic_messages"]["server_blocks"][0]["id"] == "srvtoolu_1"


def test_a_malformed_message_is_an_upstream_error() -> None:
    with pytest.raises(UpstreamError, match="malformed message"):
        decode_response(b'{"id": "x"}')


def test_a_unary_tool_use_without_input_has_empty_object_arguments() -> None:
    call = {"type": "tool_use", "id": "toolu_2", "name": "get_time", "input": {}}
    response = collect(decode_response(json.dumps({**MESSAGE, "content": [call]}).encode()))
    (part,) = response.output
    assert isinstance(part, ToolCallPart) and part.arguments == "{}"


def test_thinking_tokens_are_reasoning_tokens_unary_and_streamed() -> None:
    details = {"output_tokens_details": {"thinking_tokens": 7}}
    unary = {**MESSAGE, "usage": {**MESSAGE["usage"], **details}}
    usage = collect(decode_response(json.dumps(unary).encode())).usage
    assert usage is not None and usage.reasoning_tokens == 7
    streamed = stream_text().replace(
        '"usage": {"output_tokens": 20}',
        '"usage": {"output_tokens": 20, "output_tokens_details": {"thinking_tokens": 7}}',
    )
    usage = collect(_decode_stream([streamed.encode()])).usage
    assert usage is not None and usage.reasoning_tokens == 7


def test_input_usage_from_message_start_comes_before_any_output() -> None:
    events = _decode_stream([stream_text().encode()])
    first_block = next(i for i, e in enumerate(events) if isinstance(e, BlockStarted))
    early = [e for e in events[:first_block] if isinstance(e, UsageEvent)]
    assert [e.usage.input_tokens for e in early] == [17]


def test_message_delta_fields_are_carried_like_the_unary_ones() -> None:
    streamed = stream_text().replace(
        '"delta": {"stop_reason": "tool_use", "stop_sequence": null}',
        '"delta": {"stop_reason": "tool_use", "stop_sequence": null, "stop_details": null}',
    )
    assert '"stop_details"' in streamed
    folded = collect(_decode_stream([streamed.encode()]))
    replied = collect(decode_response(json.dumps({**MESSAGE, "stop_details": None}).encode()))
    assert folded.extensions == replied.extensions
