"""Canonical results -> Gemini replies: every chunk valid against the generated
response model, SSE or one JSON array, a stream that the upstream decoder
reads back to the unary reply, and errors in Google's shape."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    Call,
    ErrorEvent,
    ErrorKind,
    Event,
    FinishReason,
    LipError,
    ProviderState,
    ProviderStateDelta,
    ReasoningDelta,
    RefusalDelta,
    Response,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    ToolCallDelta,
    Usage,
    UsageEvent,
    WarningEvent,
    collect,
    error_for,
)
from lip.protocols.base import ClientRequest, ModelEntry
from lip.protocols.gemini import GeminiFrontend
from lip.protocols.gemini.carry import PROTOCOL
from lip.protocols.gemini.request import GeminiReplyShape
from lip.protocols.gemini.response import (
    GeminiStreamEncoder,
    encode_model,
    encode_models,
    encode_response,
)
from lip.protocols.gemini.upstream import GeminiStreamDecoder, decode_response
from lip.sse import SSEDecoder, SSEEvent
from lip_wire.gemini.error_response import ErrorResponse
from lip_wire.gemini.generate_content_response import GenerateContentResponse

GEMINI = ProviderState(origin=PROTOCOL)
OWN: list[Event] = [
    ResponseStarted(id="upstream-1", model="gemini-2.5-flash", created=1),
    BlockStarted(index=0, kind=BlockKind.REASONING, state=GEMINI),
    ReasoningDelta(index=0, text="Check the "),
    ReasoningDelta(index=0, text="weather."),
    ProviderStateDelta(index=0, state=ProviderState(origin=PROTOCOL, signature="c2lnLTA=")),
    BlockFinished(index=0),
    BlockStarted(index=1, kind=BlockKind.TEXT),
    TextDelta(index=1, text="Grüße aus 東京 ☀️. "),
    TextDelta(index=1, text=""),
    TextDelta(index=1, text="Let me look."),
    BlockFinished(index=1),
    BlockStarted(
        index=2,
        kind=BlockKind.TOOL_CALL,
        id="fc_1",
        name="get_weather",
        state=ProviderState(origin=PROTOCOL, signature="c2lnLTE="),
    ),
    ToolCallDelta(index=2, arguments='{"city":'),
    ToolCallDelta(index=2, arguments='"Paris"}'),
    BlockFinished(index=2),
    BlockStarted(index=3, kind=BlockKind.TOOL_CALL, id="call_2", name="get_time"),
    BlockFinished(index=3),
    UsageEvent(usage=Usage(input_tokens=10, output_tokens=25, reasoning_tokens=5)),
    ResponseFinished(finish_reason=FinishReason.TOOL_CALLS),
]
ANTHROPIC = ProviderState(origin="anthropic_messages", signature="anthropic-sig")
FOREIGN: list[Event] = [
    ResponseStarted(id="msg_1", model="claude-x", created=1),
    BlockStarted(index=0, kind=BlockKind.REASONING, state=ANTHROPIC),
    ReasoningDelta(index=0, text="hmm"),
    BlockFinished(index=0),
    BlockStarted(index=1, kind=BlockKind.REFUSAL),
    RefusalDelta(index=1, text="I can't help with that."),
    BlockFinished(index=1),
    BlockStarted(index=2, kind=BlockKind.TEXT),  # empty: no part, unary or streamed
    BlockFinished(index=2),
    WarningEvent(message="something was left out"),
    UsageEvent(usage=Usage(input_tokens=3, output_tokens=4, cached_input_tokens=2)),
    ResponseFinished(finish_reason=FinishReason.CONTENT_FILTER),
]
CASES = {"gemini": OWN, "foreign": FOREIGN}


def _request(sse: bool = True) -> ClientRequest:
    call = Call(id="lip-1", protocol=PROTOCOL, model="gemini-x", messages=())
    return ClientRequest(call=call, shape=GeminiReplyShape(sse=sse))


def _encode(events: list[Event], sse: bool = True) -> bytes:
    encoder = GeminiStreamEncoder(_request(sse))
    return b"".join(encoder.encode(e) for e in events) + encoder.close()


def _sse_chunks(raw: bytes) -> list[dict[str, Any]]:
    assert b"data: " in raw and raw.endswith(b"\r\n\r\n")  # the space the Python SDK needs
    return [json.loads(frame.data) for frame in SSEDecoder().feed(raw)]


def _array_chunks(raw: bytes) -> list[dict[str, Any]]:
    chunks = json.loads(raw)  # one JSON array, as the API sends without alt=sse
    assert isinstance(chunks, list)
    return chunks


def _collected(chunks: list[dict[str, Any]]) -> Response:
    decoder = GeminiStreamDecoder()
    events = [e for c in chunks for e in decoder.feed(SSEEvent(data=json.dumps(c)))]
    return collect(events + decoder.close())


def _timeless(response: Response) -> Response:
    return dataclasses.replace(response, created=0)


@pytest.mark.parametrize("sse", [True, False], ids=["sse", "array"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_chunk_is_a_valid_reply(case: str, sse: bool) -> None:
    raw = _encode(CASES[case], sse)
    chunks = _sse_chunks(raw) if sse else _array_chunks(raw)
    for chunk in chunks:
        GenerateContentResponse.model_validate(chunk)
        assert chunk["responseId"] == "lip-1" and chunk["candidates"][0]["index"] == 0
    last = chunks[-1]
    assert "finishReason" in last["candidates"][0] and "usageMetadata" in last
    assert all("finishReason" not in c["candidates"][0] for c in chunks[:-1])


@pytest.mark.parametrize("sse", [True, False], ids=["sse", "array"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_stream_reads_back_as_the_unary_reply(case: str, sse: bool) -> None:
    events = CASES[case]
    raw = _encode(events, sse)
    streamed = _collected(_sse_chunks(raw) if sse else _array_chunks(raw))
    reply = encode_response(collect(events), _request(sse))
    GenerateContentResponse.model_validate_json(reply.body)
    unary = collect(decode_response(reply.body))
    assert _timeless(streamed) == _timeless(unary)


words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
states = st.sampled_from(
    [
        None,
        GEMINI,
        ProviderState(origin=PROTOCOL, signature="c2ln"),
        ANTHROPIC,
        ProviderState(origin="openai_responses", encrypted="gAAA", item_id="rs_1"),
    ]
)


@st.composite
def event_streams(draw: st.DrawFn) -> list[Event]:
    """Grammatical canonical streams from any upstream."""
    events: list[Event] = [
        ResponseStarted(id="r", model=draw(st.sampled_from(["m", ""])), created=1)
    ]
    for index in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(BlockKind))
        state = None if kind is BlockKind.REFUSAL else draw(states)  # refusals are OpenAI's
        if kind is BlockKind.TOOL_CALL:
            events.append(
                BlockStarted(index=index, kind=kind, id=f"c{index}", name="f", state=state)
            )
            text = json.dumps(draw(st.dictionaries(words, words, max_size=2)), ensure_ascii=False)
            cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=3)))
            for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True):
                events.append(ToolCallDelta(index=index, arguments=text[a:b]))
        else:
            events.append(BlockStarted(index=index, kind=kind, state=state))
            delta = {BlockKind.TEXT: TextDelta, BlockKind.REASONING: ReasoningDelta}.get(
                kind, RefusalDelta
            )
            events += [delta(index=index, text=t) for t in draw(st.lists(words, max_size=3))]
            # A Gemini upstream signs its text and thoughts late (it has no refusals).
            gemini = state is None or state.origin == PROTOCOL
            if gemini and kind is not BlockKind.REFUSAL and draw(st.booleans()):
                late = ProviderState(
                    origin=PROTOCOL, signature=draw(st.sampled_from(["YQ==", "Yg=="]))
                )
                events.append(ProviderStateDelta(index=index, state=late))
        events.append(BlockFinished(index=index))
        if draw(st.booleans()):
            counts = st.none() | st.integers(0, 50)
            usage = Usage(input_tokens=draw(counts), output_tokens=draw(counts))
            events.append(UsageEvent(usage=usage))
    events.append(ResponseFinished(finish_reason=draw(st.sampled_from(FinishReason))))
    return events


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event_streams(), st.booleans())
def test_any_stream_is_valid_and_reads_back_as_the_unary_reply(
    events: list[Event], sse: bool
) -> None:
    raw = _encode(events, sse)
    chunks = _sse_chunks(raw) if sse else _array_chunks(raw)
    for chunk in chunks:
        GenerateContentResponse.model_validate(chunk)
    reply = encode_response(collect(events), _request(sse))
    GenerateContentResponse.model_validate_json(reply.body)
    assert _timeless(_collected(chunks)) == _timeless(collect(decode_response(reply.body)))


def test_the_chunks_of_a_gemini_stream() -> None:
    parts = [c["candidates"][0]["content"]["parts"] for c in _sse_chunks(_encode(OWN))]
    assert parts == [
        [{"text": "Check the ", "thought": True}],
        [{"text": "weather.", "thought": True}],
        [{"text": "", "thought": True, "thoughtSignature": "c2lnLTA="}],
        [{"text": "Grüße aus 東京 ☀️. "}],
        [{"text": "Let me look."}],
        [
            {
                "functionCall": {"id": "fc_1", "name": "get_weather", "args": {"city": "Paris"}},
                "thoughtSignature": "c2lnLTE=",
            }
        ],
        [{"functionCall": {"id": "call_2", "name": "get_time", "args": {}}}],
        [{"text": ""}],  # the finish chunk: a chunk without parts is an invalid turn to the SDKs
    ]
    last = _sse_chunks(_encode(OWN))[-1]
    assert last["candidates"][0]["finishReason"] == "STOP"
    assert last["usageMetadata"] == {
        "promptTokenCount": 10,
        "candidatesTokenCount": 20,
        "totalTokenCount": 35,
        "thoughtsTokenCount": 5,
    }
    assert last["modelVersion"] == "gemini-2.5-flash"


def test_another_providers_state_never_reaches_the_client() -> None:
    for sse in (True, False):
        raw = _encode(FOREIGN, sse)
        assert b"thoughtSignature" not in raw and b"anthropic-sig" not in raw
    reply = json.loads(encode_response(collect(FOREIGN), _request()).body)
    assert reply["candidates"][0]["content"]["parts"] == [
        {"text": "hmm", "thought": True},
        {"text": "I can't help with that."},
    ]
    assert reply["candidates"][0]["finishReason"] == "SAFETY"
    assert reply["usageMetadata"]["cachedContentTokenCount"] == 2


@pytest.mark.parametrize(
    ("finish", "wire"),
    [
        (FinishReason.STOP, "STOP"),
        (FinishReason.TOOL_CALLS, "STOP"),
        (FinishReason.LENGTH, "MAX_TOKENS"),
        (FinishReason.CONTENT_FILTER, "SAFETY"),
        (FinishReason.REFUSAL, "SAFETY"),
        (FinishReason.PAUSE, "STOP"),
        (FinishReason.OTHER, "OTHER"),
    ],
)
def test_finish_reasons(finish: FinishReason, wire: str) -> None:
    events: list[Event] = [OWN[0], ResponseFinished(finish_reason=finish)]
    last = _sse_chunks(_encode(events))[-1]
    assert last["candidates"][0]["finishReason"] == wire
    assert last["usageMetadata"] == {  # never absent: the SDKs read it
        "promptTokenCount": 0,
        "candidatesTokenCount": 0,
        "totalTokenCount": 0,
    }
    unary = json.loads(encode_response(collect(events), _request()).body)
    assert unary["candidates"][0]["finishReason"] == wire


def _error_chunk(chunk: dict[str, Any]) -> dict[str, Any]:
    ErrorResponse.model_validate(chunk)
    error: dict[str, Any] = chunk["error"]
    return error


@pytest.mark.parametrize("sse", [True, False], ids=["sse", "array"])
def test_an_error_mid_stream_is_an_error_chunk_in_googles_shape(sse: bool) -> None:
    failure = ErrorEvent(kind=ErrorKind.RATE_LIMITED, message="slow down", retry_after=6.2)
    raw = _encode([*OWN[:8], failure], sse)
    chunks = _sse_chunks(raw) if sse else _array_chunks(raw)
    for chunk in chunks[:-1]:
        GenerateContentResponse.model_validate(chunk)
    assert _error_chunk(chunks[-1]) == {
        "code": 429,
        "message": "slow down",
        "status": "RESOURCE_EXHAUSTED",
        "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "7s"}],
    }
    # Read back by a Gemini decoder: the stream's error, with its kind.
    with pytest.raises(LipError) as info:
        _collected(chunks)
    assert info.value.kind is ErrorKind.RATE_LIMITED


def test_an_array_stream_is_one_json_array_even_with_no_events_before_an_error() -> None:
    failure = ErrorEvent(kind=ErrorKind.OVERLOADED, message="busy")
    (chunk,) = _array_chunks(_encode([failure], sse=False))
    assert _error_chunk(chunk)["status"] == "UNAVAILABLE"
    assert _array_chunks(_encode([], sse=False)) == []
    assert _encode([], sse=True) == b""


def test_the_stream_media_types() -> None:
    assert GeminiStreamEncoder(_request(sse=True)).media_type == "text/event-stream"
    assert GeminiStreamEncoder(_request(sse=False)).media_type == "application/json"
    plain = ClientRequest(call=_request().call)  # no Gemini shape: SSE
    assert GeminiStreamEncoder(plain).media_type == "text/event-stream"


@pytest.mark.parametrize("kind", list(ErrorKind))
def test_errors_are_googles_error_bodies(kind: ErrorKind) -> None:
    retry = 2.5 if kind is ErrorKind.RATE_LIMITED else None
    reply = GeminiFrontend().encode_error(error_for(kind, "words", retry_after=retry))
    error = _error_chunk(json.loads(reply.body))
    assert error["code"] == reply.status and error["message"] == "words"
    assert error["status"].isupper()
    if retry is not None:
        assert reply.headers["retry-after"] == "3"
        assert error["details"][0]["retryDelay"] == "3s"


def test_models_and_token_counts_in_geminis_shape() -> None:
    entry = ModelEntry(id="anthropic:claude-x", owned_by="anthropic")
    listed = json.loads(encode_models([entry]).body)
    assert listed["models"][0]["name"] == "models/anthropic:claude-x"
    assert "generateContent" in listed["models"][0]["supportedGenerationMethods"]
    assert json.loads(encode_model(entry).body) == listed["models"][0]
    counted = GeminiFrontend().encode_count(12, estimated=True)
    assert json.loads(counted.body) == {"totalTokens": 12}
    assert counted.headers["x-lip-token-count"] == "estimate"
