"""Gemini replies -> canonical events: unary and streamed collect to the same
response whatever the chunk boundaries; finish reasons, usage and thought
signatures land where they belong; errors, cuts and off-spec replies are
upstream errors, never a 500."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lip.canonical import (
    BlockStarted,
    ErrorEvent,
    ErrorKind,
    Event,
    FinishReason,
    InvalidRequestError,
    LipError,
    NotFoundError,
    OverloadedError,
    PermissionDeniedError,
    ProviderState,
    ProviderStateDelta,
    RateLimitedError,
    ReasoningPart,
    RequestTooLargeError,
    ResponseStarted,
    TextPart,
    ToolCallPart,
    UpstreamError,
    UpstreamTimeoutError,
    Usage,
    collect,
)
from lip.protocols.gemini.carry import PROTOCOL
from lip.protocols.gemini.errors import decode_error
from lip.protocols.gemini.upstream import GeminiStreamDecoder, decode_response
from lip.sse import SSEDecoder

SIGNED_TEXT = "c2lnLXRleHQ="
SIGNED_CALL = "c2lnLWNhbGw="
USAGE = {
    "promptTokenCount": 10,
    "candidatesTokenCount": 20,
    "thoughtsTokenCount": 5,
    "cachedContentTokenCount": 4,
    "totalTokenCount": 35,
}


def _reply(parts: list[dict[str, Any]], **candidate: Any) -> dict[str, Any]:
    return {
        "candidates": [{"content": {"role": "model", "parts": parts}, "index": 0, **candidate}],
        "modelVersion": "gemini-2.5-flash",
        "responseId": "resp-1",
    }


UNARY: dict[str, Any] = {
    **_reply(
        [
            {"text": "Check the weather.", "thought": True},
            {"text": "Grüße aus 東京 ☀️. ", "thoughtSignature": SIGNED_TEXT},
            {"text": "Let me look."},
            {
                "functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
                "thoughtSignature": SIGNED_CALL,
            },
            {"functionCall": {"id": "fc_2", "name": "get_time", "args": {}}},
        ],
        finishReason="STOP",
    ),
    "usageMetadata": USAGE,
}
CHUNKS: list[dict[str, Any]] = [
    {
        **_reply([{"text": "Check the ", "thought": True}]),
        "usageMetadata": {"promptTokenCount": 10},
    },
    _reply([{"text": "weather.", "thought": True}]),
    _reply([{"text": "Grüße aus 東京 ☀️. ", "thoughtSignature": SIGNED_TEXT}]),
    _reply(
        [
            {"text": "Let me look."},
            {
                "functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
                "thoughtSignature": SIGNED_CALL,
            },
        ]
    ),
    {
        **_reply(
            [{"functionCall": {"id": "fc_2", "name": "get_time", "args": {}}}], finishReason="STOP"
        ),
        "usageMetadata": USAGE,
    },
]


def stream_bytes(chunks: list[Any] = CHUNKS, newline: str = "\r\n") -> bytes:
    frames = (f"data: {json.dumps(c, ensure_ascii=False)}{newline}{newline}" for c in chunks)
    return "".join(frames).encode()


def _decode_stream(pieces: list[bytes]) -> list[Event]:
    sse, decoder = SSEDecoder(), GeminiStreamDecoder()
    events: list[Event] = []
    for piece in pieces:
        for frame in sse.feed(piece):
            events.extend(decoder.feed(frame))
    for frame in sse.close():
        events.extend(decoder.feed(frame))
    return events + decoder.close()


def _timeless(events: list[Event]) -> list[Event]:
    return [
        dataclasses.replace(e, created=0) if isinstance(e, ResponseStarted) else e for e in events
    ]


def _unary(body: dict[str, Any]) -> list[Event]:
    return decode_response(json.dumps(body).encode())


def test_a_unary_reply_decodes_every_part_and_the_usage() -> None:
    response = collect(_unary(UNARY))
    thought, text, first, second = response.output
    assert thought == ReasoningPart(text="Check the weather.")
    assert text == TextPart(
        text="Grüße aus 東京 ☀️. Let me look.",
        state=ProviderState(origin=PROTOCOL, signature=SIGNED_TEXT),
    )
    # The signature rides on the call it came with; a call without an id gets one.
    assert first == ToolCallPart(
        id="call_resp-1_1",
        name="get_weather",
        arguments='{"city":"Paris"}',
        state=ProviderState(origin=PROTOCOL, signature=SIGNED_CALL),
    )
    assert second == ToolCallPart(id="fc_2", name="get_time", arguments="{}")
    assert (response.id, response.model) == ("resp-1", "gemini-2.5-flash")
    assert response.finish_reason is FinishReason.TOOL_CALLS
    # Thoughts are output tokens (and reasoning tokens); cached input is input.
    assert response.usage == Usage(
        input_tokens=10, output_tokens=25, cached_input_tokens=4, reasoning_tokens=5
    )


def test_unary_and_streamed_replies_collect_to_the_same_response() -> None:
    streamed = collect(_decode_stream([stream_bytes()]))
    unary = collect(_unary(UNARY))
    assert dataclasses.replace(streamed, created=0) == dataclasses.replace(unary, created=0)


def test_a_signature_is_provider_state_on_the_block_it_came_with() -> None:
    events = _decode_stream([stream_bytes()])
    started = {e.index: e for e in events if isinstance(e, BlockStarted)}
    states = [(e.index, e.state.signature) for e in events if isinstance(e, ProviderStateDelta)]
    assert states == [(1, SIGNED_TEXT)]  # the text block (index 1), not the thoughts
    assert started[2].state == ProviderState(origin=PROTOCOL, signature=SIGNED_CALL)
    assert started[0].state is None and started[3].state is None


RAW = stream_bytes()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=1, max_value=len(RAW) - 1), max_size=40), st.booleans())
def test_stream_decoding_does_not_depend_on_the_chunk_boundaries(
    cuts: list[int], crlf: bool
) -> None:
    # Cuts fall anywhere: inside a UTF-8 character, inside "data:", between
    # the CR and LF of a frame's end; LF framing decodes the same.
    raw = RAW if crlf else stream_bytes(newline="\n")
    points = sorted({c for c in cuts if c < len(raw)})
    pieces = [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]
    assert _timeless(_decode_stream(pieces)) == _timeless(_decode_stream([RAW]))


@pytest.mark.parametrize(
    ("reason", "calls", "finish"),
    [
        ("STOP", False, FinishReason.STOP),
        ("STOP", True, FinishReason.TOOL_CALLS),
        ("FINISH_REASON_UNSPECIFIED", False, FinishReason.STOP),
        ("MAX_TOKENS", False, FinishReason.LENGTH),
        ("MAX_TOKENS", True, FinishReason.LENGTH),
        ("SAFETY", False, FinishReason.CONTENT_FILTER),
        ("RECITATION", False, FinishReason.CONTENT_FILTER),
        ("BLOCKLIST", False, FinishReason.CONTENT_FILTER),
        ("PROHIBITED_CONTENT", False, FinishReason.CONTENT_FILTER),
        ("SPII", False, FinishReason.CONTENT_FILTER),
        ("IMAGE_SAFETY", False, FinishReason.CONTENT_FILTER),
        ("OTHER", False, FinishReason.OTHER),
        ("MALFORMED_FUNCTION_CALL", False, FinishReason.OTHER),
        ("LANGUAGE", False, FinishReason.OTHER),
    ],
)
def test_finish_reasons(reason: str, calls: bool, finish: FinishReason) -> None:
    part = {"functionCall": {"name": "f", "args": {}}} if calls else {"text": "x"}
    body = _reply([part], finishReason=reason)
    assert collect(_unary(body)).finish_reason is finish
    assert collect(_decode_stream([stream_bytes([body])])).finish_reason is finish


def test_a_blocked_prompt_is_a_content_filter_unary_and_streamed() -> None:
    blocked = {
        "promptFeedback": {"blockReason": "SAFETY"},
        "usageMetadata": {"promptTokenCount": 7, "totalTokenCount": 7},
        "responseId": "resp-2",
    }
    for events in (_unary(blocked), _decode_stream([stream_bytes([blocked])])):
        response = collect(events)
        assert (response.output, response.finish_reason) == ((), FinishReason.CONTENT_FILTER)
        assert response.usage == Usage(input_tokens=7, output_tokens=0)


def test_a_unary_reply_without_a_finish_reason_still_ends() -> None:
    response = collect(_unary(_reply([{"text": "hi"}])))
    assert (response.output, response.finish_reason) == ((TextPart(text="hi"),), FinishReason.STOP)


def test_a_stream_without_a_finish_reason_is_an_upstream_error() -> None:
    with pytest.raises(UpstreamError, match="ended before the response did"):
        _decode_stream([stream_bytes(CHUNKS[:-1])])


@pytest.mark.parametrize(
    ("code", "kind", "error"),
    [
        (429, ErrorKind.RATE_LIMITED, RateLimitedError),
        (503, ErrorKind.OVERLOADED, OverloadedError),
        (504, ErrorKind.TIMEOUT, UpstreamTimeoutError),
        (500, ErrorKind.UPSTREAM_ERROR, UpstreamError),
    ],
)
def test_an_error_chunk_ends_the_stream_with_its_kind(
    code: int, kind: ErrorKind, error: type[LipError]
) -> None:
    failure = {"error": {"code": code, "message": "upstream words", "status": "X"}}
    events = _decode_stream([stream_bytes([*CHUNKS[:2], failure, CHUNKS[-1]])])
    last = events[-1]
    assert isinstance(last, ErrorEvent) and last.kind is kind
    assert "upstream words" not in last.message  # upstream text stays upstream
    with pytest.raises(error):
        collect(events)


def test_empty_frames_are_ignored() -> None:
    raw = b"data: \r\n\r\n" + stream_bytes()
    assert _timeless(_decode_stream([raw])) == _timeless(_decode_stream([stream_bytes()]))


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"candidates": {"content": {}}}',
        b'{"candidates": [{"content": "text"}]}',
        b'{"candidates": [{"content": {"parts": [{"text": 5}]}}]}',
        b'{"usageMetadata": {"promptTokenCount": "many"}}',
    ],
)
def test_an_off_spec_reply_is_an_upstream_error(body: bytes) -> None:
    with pytest.raises(UpstreamError):
        decode_response(body)
    with pytest.raises(UpstreamError):
        _decode_stream([b"data: " + body + b"\n\n"])


keys = st.sampled_from(
    [
        "candidates", "content", "parts", "text", "thought", "thoughtSignature", "finishReason",
        "functionCall", "name", "args", "id", "usageMetadata", "promptTokenCount",
        "candidatesTokenCount", "thoughtsTokenCount", "promptFeedback", "blockReason", "error",
        "code", "responseId", "modelVersion",
    ]
)  # fmt: skip
junk = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=16,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(junk, min_size=1, max_size=3))
def test_junk_replies_are_upstream_errors_or_responses(bodies: list[Any]) -> None:
    for body in bodies:
        with contextlib.suppress(LipError):
            collect(decode_response(json.dumps(body).encode()))
    with contextlib.suppress(LipError):
        collect(_decode_stream([stream_bytes(bodies)]))


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (400, {"error": {"message": "Bad field x"}}, InvalidRequestError, "Bad field x"),
        (400, {"error": {"message": "API key not valid."}}, UpstreamError, "credentials"),
        (401, {}, UpstreamError, "credentials"),
        (403, {"error": {"message": "No access"}}, PermissionDeniedError, "No access"),
        (404, {"error": {"message": "models/x is not found"}}, NotFoundError, "not found"),
        (413, {}, RequestTooLargeError, "too large"),
        (503, {"error": {"message": "secret upstream detail"}}, OverloadedError, "overloaded"),
        (504, {}, UpstreamTimeoutError, "timed out"),
        (500, {"error": {"message": "secret upstream detail"}}, UpstreamError, "status 500"),
    ],
)
def test_upstream_error_replies_map_to_the_taxonomy(
    status: int, body: dict[str, Any], error: type[LipError], message: str
) -> None:
    decoded = decode_error(status, json.dumps(body).encode(), None)
    assert type(decoded) is error and message in decoded.message
    assert "secret" not in decoded.message


def test_a_rate_limit_takes_its_delay_from_retry_info_or_the_header() -> None:
    body = {
        "error": {
            "code": 429,
            "message": "Quota exceeded",
            "status": "RESOURCE_EXHAUSTED",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "7s"}],
        }
    }
    raw = json.dumps(body).encode()
    assert decode_error(429, raw, None).retry_after == 7.0
    assert decode_error(429, raw, 2.0).retry_after == 2.0
    assert decode_error(429, b"<html>", None).retry_after is None
