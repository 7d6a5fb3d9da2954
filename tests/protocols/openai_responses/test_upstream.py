"""Responses replies from an upstream -> canonical events: unary and streamed
fold to the same response whatever the chunk boundaries; failures are
in-stream errors, cuts are upstream errors."""

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
    InvalidRequestError,
    ProviderState,
    RateLimitedError,
    ReasoningPart,
    RefusalPart,
    TextPart,
    ToolCallDelta,
    ToolCallPart,
    UpstreamError,
    Usage,
    WarningEvent,
    collect,
)
from lip.protocols.openai_responses import OpenAIResponsesCodec
from lip.protocols.openai_responses.carry import PROTOCOL
from lip.protocols.openai_responses.upstream import (
    ResponsesStreamDecoder,
    decode_count,
    decode_response,
)
from lip.sse import SSEDecoder

REASONING: dict[str, Any] = {
    "id": "rs_1",
    "type": "reasoning",
    "summary": [{"type": "summary_text", "text": "Check the weather."}],
    "encrypted_content": "gAAAA-opaque",
}
MESSAGE: dict[str, Any] = {
    "id": "msg_1",
    "type": "message",
    "status": "completed",
    "role": "assistant",
    "content": [{"type": "output_text", "text": "Let me look.", "annotations": [], "logprobs": []}],
}
CALL: dict[str, Any] = {
    "id": "fc_1",
    "type": "function_call",
    "status": "completed",
    "arguments": '{"city":"Paris"}',
    "call_id": "call_1",
    "name": "get_weather",
}
USAGE: dict[str, Any] = {
    "input_tokens": 20,
    "input_tokens_details": {"cached_tokens": 8},
    "output_tokens": 30,
    "output_tokens_details": {"reasoning_tokens": 12},
    "total_tokens": 50,
}
RESPONSE: dict[str, Any] = {
    "id": "resp_up",
    "object": "response",
    "created_at": 1700000000,
    "status": "completed",
    "model": "gpt-5",
    "output": [REASONING, MESSAGE, CALL],
    "usage": USAGE,
}


def _sse(body: dict[str, Any]) -> str:
    return f"event: {body['type']}\ndata: {json.dumps(body)}\n\n"


def stream_frames(*, argument_deltas: bool = True) -> list[dict[str, Any]]:
    """The stream OpenAI sends for :data:`RESPONSE` (sequence numbers added below)."""
    start = {**RESPONSE, "status": "in_progress", "output": [], "usage": None}
    rs = {"item_id": "rs_1", "output_index": 0}
    msg = {"item_id": "msg_1", "output_index": 1, "content_index": 0}
    fc = {"item_id": "fc_1", "output_index": 2}
    summary = {"type": "summary_text", "text": "Check the weather."}
    text = MESSAGE["content"][0]
    frames: list[dict[str, Any]] = [
        {"type": "response.created", "response": start},
        {"type": "response.in_progress", "response": start},
        {
            "type": "response.output_item.added",
            "output_index": 0,
            "item": {**REASONING, "summary": [], "encrypted_content": None},
        },
        {
            "type": "response.reasoning_summary_part.added",
            **rs,
            "summary_index": 0,
            "part": {**summary, "text": ""},
        },
        {
            "type": "response.reasoning_summary_text.delta",
            **rs,
            "summary_index": 0,
            "delta": "Check the ",
        },
        {
            "type": "response.reasoning_summary_text.delta",
            **rs,
            "summary_index": 0,
            "delta": "weather.",
        },
        {
            "type": "response.reasoning_summary_text.done",
            **rs,
            "summary_index": 0,
            "text": summary["text"],
        },
        {"type": "response.reasoning_summary_part.done", **rs, "summary_index": 0, "part": summary},
        {"type": "response.output_item.done", "output_index": 0, "item": REASONING},
        {
            "type": "response.output_item.added",
            "output_index": 1,
            "item": {**MESSAGE, "status": "in_progress", "content": []},
        },
        {"type": "response.content_part.added", **msg, "part": {**text, "text": ""}},
        {"type": "response.output_text.delta", **msg, "delta": "Let me ", "logprobs": []},
        {"type": "response.output_text.delta", **msg, "delta": "look.", "logprobs": []},
        {"type": "response.output_text.done", **msg, "text": text["text"], "logprobs": []},
        {"type": "response.content_part.done", **msg, "part": text},
        {"type": "response.output_item.done", "output_index": 1, "item": MESSAGE},
        {
            "type": "response.output_item.added",
            "output_index": 2,
            "item": {**CALL, "status": "in_progress", "arguments": ""},
        },
    ]
    if argument_deltas:
        frames += [
            {"type": "response.function_call_arguments.delta", **fc, "delta": '{"city":'},
            {"type": "response.function_call_arguments.delta", **fc, "delta": '"Paris"}'},
        ]
    frames += [
        {"type": "response.function_call_arguments.done", **fc, "arguments": CALL["arguments"]},
        {"type": "response.output_item.done", "output_index": 2, "item": CALL},
        {"type": "response.completed", "response": RESPONSE},
    ]
    return [{**frame, "sequence_number": n} for n, frame in enumerate(frames)]


def stream_text(frames: list[dict[str, Any]] | None = None) -> str:
    return "".join(_sse(f) for f in (stream_frames() if frames is None else frames))


def decode_stream(chunks: list[bytes]) -> list[Event]:
    sse, decoder = SSEDecoder(), ResponsesStreamDecoder()
    events: list[Event] = []
    for chunk in chunks:
        for frame in sse.feed(chunk):
            events += decoder.feed(frame)
    for frame in sse.close():
        events += decoder.feed(frame)
    return events + decoder.close()


def unary(body: dict[str, Any] = RESPONSE) -> list[Event]:
    return decode_response(json.dumps(body).encode())


def test_a_unary_reply_decodes_every_item_and_usage() -> None:
    response = collect(unary())
    assert (response.id, response.model, response.created) == ("resp_up", "gpt-5", 1700000000)
    reasoning, text, call = response.output
    assert reasoning == ReasoningPart(
        summary=("Check the weather.",),
        state=ProviderState(origin=PROTOCOL, item_id="rs_1", encrypted="gAAAA-opaque"),
    )
    assert text == TextPart(text="Let me look.")
    assert call == ToolCallPart(
        id="call_1",
        name="get_weather",
        arguments='{"city":"Paris"}',
        state=ProviderState(origin=PROTOCOL, item_id="fc_1"),
    )
    assert response.finish_reason is FinishReason.TOOL_CALLS
    assert response.usage == Usage(
        input_tokens=20, output_tokens=30, cached_input_tokens=8, reasoning_tokens=12
    )


def test_a_stream_folds_to_the_unary_reply() -> None:
    assert collect(decode_stream([stream_text().encode()])) == collect(unary())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=len(stream_text().encode()) - 1), max_size=30))
def test_chunk_boundaries_change_nothing(cuts: list[int]) -> None:
    raw = stream_text().encode()
    points = sorted(set(cuts))
    chunks = [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]
    assert decode_stream(chunks) == decode_stream([raw])


def test_arguments_only_in_the_finished_item_still_arrive() -> None:
    events = decode_stream([stream_text(stream_frames(argument_deltas=False)).encode()])
    deltas = [e for e in events if isinstance(e, ToolCallDelta)]
    assert [d.arguments for d in deltas] == ['{"city":"Paris"}']
    assert collect(events) == collect(unary())


def test_streamed_arguments_are_not_repeated_by_the_finished_item() -> None:
    events = decode_stream([stream_text().encode()])
    assert "".join(e.arguments for e in events if isinstance(e, ToolCallDelta)) == CALL["arguments"]


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        ({"code": "rate_limit_exceeded", "message": "slow down"}, ErrorKind.RATE_LIMITED),
        ({"code": "server_error", "message": "boom"}, ErrorKind.UPSTREAM_ERROR),
        (None, ErrorKind.UPSTREAM_ERROR),
    ],
)
def test_a_failed_response_is_an_error_event(error: dict[str, Any] | None, kind: ErrorKind) -> None:
    frames = stream_frames()[:12]
    failed = {**RESPONSE, "status": "failed", "error": error, "output": []}
    frames.append({"type": "response.failed", "sequence_number": 12, "response": failed})
    frames.append(stream_frames()[-1])  # nothing after the end counts
    events = decode_stream([stream_text(frames).encode()])
    assert isinstance(events[-1], ErrorEvent) and events[-1].kind is kind
    assert sum(isinstance(e, ErrorEvent) for e in events) == 1
    assert unary(failed) == [events[-1]]


def test_an_error_event_ends_the_stream() -> None:
    frames = stream_frames()[:5]
    frames.append(
        {
            "type": "error",
            "sequence_number": 5,
            "code": "rate_limit_exceeded",
            "message": "x",
            "param": None,
        }
    )
    events = decode_stream([stream_text(frames).encode()])
    assert events[-1] == ErrorEvent(
        kind=ErrorKind.RATE_LIMITED,
        message="the upstream is rate limiting requests",
        code="rate_limit_exceeded",
    )


@pytest.mark.parametrize("keep", [0, 2, 9, len(stream_frames()) - 1])
def test_a_stream_cut_before_the_end_is_an_upstream_error(keep: int) -> None:
    with pytest.raises(UpstreamError, match="ended before the response did"):
        decode_stream([stream_text(stream_frames()[:keep]).encode()])


@pytest.mark.parametrize(
    ("reason", "finish"),
    [("max_output_tokens", FinishReason.LENGTH), ("content_filter", FinishReason.CONTENT_FILTER)],
)
def test_incomplete_responses(reason: str, finish: FinishReason) -> None:
    body = {**RESPONSE, "status": "incomplete", "incomplete_details": {"reason": reason}}
    assert collect(unary(body)).finish_reason is finish
    frames = stream_frames()
    frames[-1] = {
        "type": "response.incomplete",
        "sequence_number": len(frames) - 1,
        "response": body,
    }
    assert collect(decode_stream([stream_text(frames).encode()])).finish_reason is finish


def test_hosted_tool_items_are_reported_not_relayed() -> None:
    search = {
        "id": "ws_1",
        "type": "web_search_call",
        "status": "completed",
        "action": {"type": "search"},
    }
    body = {**RESPONSE, "output": [search, MESSAGE]}
    events = unary(body)
    assert any(isinstance(e, WarningEvent) and "web_search_call" in e.message for e in events)
    assert [e.index for e in events if isinstance(e, BlockStarted)] == [0]
    frames = [
        stream_frames()[0],
        {
            "type": "response.output_item.added",
            "sequence_number": 1,
            "output_index": 0,
            "item": search,
        },
        {
            "type": "response.output_item.done",
            "sequence_number": 2,
            "output_index": 0,
            "item": search,
        },
        {"type": "response.completed", "sequence_number": 3, "response": body},
    ]
    streamed = decode_stream([stream_text(frames).encode()])
    assert any(isinstance(e, WarningEvent) for e in streamed)
    assert collect(streamed).output == ()


def test_a_refusal_part_is_a_refusal_block() -> None:
    refusal = {**MESSAGE, "content": [{"type": "refusal", "refusal": "No."}]}
    (part,) = collect(unary({**RESPONSE, "output": [refusal]})).output
    assert part == RefusalPart(text="No.")


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]"])
def test_a_reply_that_is_no_json_object_is_an_upstream_error(body: bytes) -> None:
    with pytest.raises(UpstreamError):
        decode_response(body)
    with pytest.raises(UpstreamError):
        decode_stream([b"data: " + body + b"\n\n"])


def test_done_markers_and_comments_are_ignored() -> None:
    raw = ": keep-alive\n\n" + stream_text() + "data: [DONE]\n\n"
    assert collect(decode_stream([raw.encode()])) == collect(unary())


def test_input_token_counts() -> None:
    assert decode_count(b'{"object": "response.input_tokens", "input_tokens": 42}') == 42
    with pytest.raises(UpstreamError):
        decode_count(b'{"object": "response.input_tokens"}')


def test_upstream_http_errors_are_typed() -> None:
    codec = OpenAIResponsesCodec()
    body = json.dumps(
        {
            "error": {
                "message": "Bad thing",
                "type": "invalid_request_error",
                "param": "input",
                "code": None,
            }
        }
    )
    bad = codec.decode_error(400, body.encode(), None)
    assert isinstance(bad, InvalidRequestError) and (bad.message, bad.param) == (
        "Bad thing",
        "input",
    )
    limited = codec.decode_error(429, b"{}", 3.0)
    assert isinstance(limited, RateLimitedError) and limited.retry_after == 3.0
