"""Events -> OpenAI wire -> events: goldens, and the streamed golden folds to the unary one."""

from __future__ import annotations

import json

import pytest
from syrupy.assertion import SnapshotAssertion

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
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    TextPart,
    ToolCallDelta,
    Usage,
    UsageEvent,
    collect,
)
from lip.protocols.base import ClientRequest
from lip.protocols.openai_chat.errors import decode_error
from lip.protocols.openai_chat.request import ChatReplyShape
from lip.protocols.openai_chat.response import ChatStreamEncoder, encode_response
from lip.protocols.openai_chat.upstream import ChatStreamDecoder, decode_response
from lip.sse import SSEDecoder
from lip_wire.openai.chat_completion_chunk import ChatCompletionChunk

REQUEST = ClientRequest(
    call=Call(id="c", protocol="openai_chat", model="m", messages=(), stream=True),
    shape=ChatReplyShape(include_usage=True),
)
CHAT = ProviderState(origin="openai_chat")

EVENTS: list[Event] = [
    ResponseStarted(id="chatcmpl-golden", model="gpt-4o-mini", created=1_700_000_000),
    BlockStarted(index=0, kind=BlockKind.REASONING, state=CHAT),
    ReasoningDelta(index=0, text="thinking"),
    ProviderStateDelta(index=0, state=ProviderState(origin="anthropic_messages", signature="x")),
    BlockFinished(index=0),
    BlockStarted(index=1, kind=BlockKind.TEXT),
    TextDelta(index=1, text="Hello, "),
    TextDelta(index=1, text="w\u00f6rld \U0001f600"),
    BlockFinished(index=1),
    BlockStarted(index=2, kind=BlockKind.TOOL_CALL, id="call_a", name="get_weather"),
    ToolCallDelta(index=2, arguments='{"city":'),
    ToolCallDelta(index=2, arguments='"Paris"}'),
    BlockFinished(index=2),
    BlockStarted(index=3, kind=BlockKind.TOOL_CALL, id="call_b", name="get_time"),
    ToolCallDelta(index=3, arguments="{}"),
    BlockFinished(index=3),
    UsageEvent(
        usage=Usage(input_tokens=11, output_tokens=7, cached_input_tokens=3, reasoning_tokens=2)
    ),
    ResponseFinished(finish_reason=FinishReason.TOOL_CALLS),
]


def _encode(events: list[Event], request: ClientRequest = REQUEST) -> bytes:
    shape = request.shape
    encoder = ChatStreamEncoder(isinstance(shape, ChatReplyShape) and shape.include_usage)
    return b"".join(encoder.encode(e) for e in events) + encoder.close()


def _decode_stream(wire: bytes) -> list[Event]:
    sse, decoder = SSEDecoder(), ChatStreamDecoder()
    events: list[Event] = []
    for frame in sse.feed(wire) + sse.close():
        events += decoder.feed(frame)
    return events + decoder.close()


def test_stream_golden(snapshot: SnapshotAssertion) -> None:
    wire = _encode(EVENTS)
    assert wire.decode() == snapshot
    frames = [f.data for f in SSEDecoder().feed(wire)]
    assert frames[-1] == "[DONE]"
    for data in frames[:-1]:
        ChatCompletionChunk.model_validate_json(data)  # every frame is a valid chunk


def test_unary_golden(snapshot: SnapshotAssertion) -> None:
    reply = encode_response(collect(EVENTS), REQUEST)
    assert reply.status == 200
    assert reply.body.decode() == snapshot  # bytes: OpenAI's field order is the contract


def test_streamed_golden_folds_to_unary_golden() -> None:
    """Both wire forms decode back to the same canonical response (signatures aside:
    OpenAI Chat cannot carry them)."""
    expected = collect([e for e in EVENTS if not isinstance(e, ProviderStateDelta)])
    from_stream = collect(_decode_stream(_encode(EVENTS)))
    from_unary = collect(decode_response(encode_response(collect(EVENTS), REQUEST).body))
    assert from_stream == expected
    assert from_unary == expected


def test_usage_chunk_only_when_asked() -> None:
    quiet = ClientRequest(call=REQUEST.call)
    assert b'"usage"' not in _encode(EVENTS, quiet)
    assert b'"choices":[],' in _encode(EVENTS)


def test_in_stream_error_ends_without_done() -> None:
    wire = _encode(
        [*EVENTS[:7], ErrorEvent(kind=ErrorKind.UPSTREAM_ERROR, message="upstream failed")]
    )
    last = SSEDecoder().feed(wire)[-1].data
    assert json.loads(last)["error"]["type"] == "server_error"
    assert b"[DONE]" not in wire


@pytest.mark.parametrize(
    "cut",
    [
        b"",
        b'data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}\n\n',
    ],
)
def test_stream_without_finish_is_an_upstream_cut(cut: bytes) -> None:
    from lip.canonical import UpstreamError

    with pytest.raises(UpstreamError, match="ended before it finished"):
        _decode_stream(cut)


def test_missing_done_is_tolerated() -> None:
    wire = _encode(EVENTS).replace(b"data: [DONE]\n\n", b"")
    assert collect(_decode_stream(wire)).finish_reason is FinishReason.TOOL_CALLS


@pytest.mark.parametrize(
    "status, kind, echoed",
    [
        (400, ErrorKind.INVALID_REQUEST, True),
        (401, ErrorKind.UPSTREAM_ERROR, False),
        (403, ErrorKind.PERMISSION, True),
        (404, ErrorKind.NOT_FOUND, True),
        (413, ErrorKind.REQUEST_TOO_LARGE, True),
        (429, ErrorKind.RATE_LIMITED, True),
        (500, ErrorKind.UPSTREAM_ERROR, False),
        (503, ErrorKind.OVERLOADED, False),
        (504, ErrorKind.TIMEOUT, False),
    ],
)
def test_upstream_error_mapping(status: int, kind: ErrorKind, echoed: bool) -> None:
    body = json.dumps(
        {"error": {"message": "upstream says sk-abc", "type": "x", "param": None, "code": None}}
    ).encode()
    error = decode_error(status, body, retry_after=1.5)
    assert error.kind is kind
    assert ("upstream says" in error.message) is echoed
    if status == 429:
        assert error.retry_after == 1.5


def test_compatible_servers_omitting_always_present_fields_are_accepted() -> None:
    """Ollama / llama.cpp leave out ``refusal``, ``logprobs`` and sometimes ``finish_reason``."""
    unary = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "llama3",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    response = collect(decode_response(json.dumps(unary).encode()))
    assert response.output[0] == TextPart(text="hi")
    chunks = [
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": "h"}}],
        },
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0, "delta": {"content": "i"}, "finish_reason": "stop"}],
        },
    ]
    wire = b"".join(f"data: {json.dumps(c)}\n\n".encode() for c in chunks)
    assert collect(_decode_stream(wire)).output == (TextPart(text="hi"),)


def test_malformed_upstream_reply_is_an_upstream_error() -> None:
    from lip.canonical import UpstreamError

    with pytest.raises(UpstreamError, match="malformed"):
        decode_response(b'{"id": 1}')
    with pytest.raises(UpstreamError, match="malformed"):
        _decode_stream(b'data: {"choices": "nope"}\n\n')
