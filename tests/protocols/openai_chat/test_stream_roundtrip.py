"""Property: any well-formed event stream survives OpenAI SSE encoding and
decoding, whatever byte boundaries the network introduces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lip.canonical import (
    BlockTracker,
    Event,
    FinishReason,
    ResponseFinished,
    ResponseStarted,
    Usage,
    UsageEvent,
    collect,
)
from lip.protocols.openai_chat.response import ChatStreamEncoder
from lip.protocols.openai_chat.upstream import ChatStreamDecoder
from lip.sse import SSEDecoder
from lip_wire.openai.chat_completion_chunk import ChatCompletionChunk

texts = st.text(min_size=1, max_size=12)


@st.composite
def event_streams(draw: st.DrawFn) -> list[Event]:
    events: list[Event] = [ResponseStarted(id="chatcmpl-x", model="m", created=1)]
    blocks = BlockTracker("openai_chat")
    for key, add in (
        ("reasoning", blocks.reasoning),
        ("text", blocks.text),
        ("refusal", blocks.refusal),
    ):
        for piece in draw(st.lists(texts, max_size=4)):
            add(key, piece, events)
        blocks.finish(key, events)
    calls = draw(st.integers(min_value=0, max_value=3))
    for n in range(calls):
        name = draw(st.from_regex(r"[a-z_]{1,8}", fullmatch=True))
        blocks.tool_call(n, f"call_{n}", name, events)
        for fragment in draw(st.lists(texts, max_size=4)):
            blocks.arguments(n, fragment, events)
        blocks.finish(n, events)
    events.append(
        UsageEvent(
            usage=Usage(
                input_tokens=draw(st.integers(0, 99)), output_tokens=draw(st.integers(0, 99))
            )
        )
    )
    reason = (
        FinishReason.TOOL_CALLS
        if calls
        else draw(st.sampled_from([FinishReason.STOP, FinishReason.LENGTH]))
    )
    events.append(ResponseFinished(finish_reason=reason))
    return events


@settings(max_examples=200, deadline=None)
@given(event_streams(), st.lists(st.integers(min_value=0, max_value=100_000), max_size=12))
def test_encode_split_decode_folds_to_the_same_response(
    events: list[Event], cuts: list[int]
) -> None:
    encoder = ChatStreamEncoder(include_usage=True)
    wire = b"".join(encoder.encode(e) for e in events) + encoder.close()
    frames = [f.data for f in SSEDecoder().feed(wire)]
    assert frames[-1] == "[DONE]"
    for data in frames[:-1]:  # the encoder skips runtime validation; prove every shape here
        ChatCompletionChunk.model_validate_json(data, strict=True)
    points = sorted({c % (len(wire) + 1) for c in cuts})
    pieces = [wire[a:b] for a, b in zip([0, *points], [*points, len(wire)], strict=True)]
    sse, decoder = SSEDecoder(), ChatStreamDecoder()
    decoded: list[Event] = []
    for piece in pieces:
        for frame in sse.feed(piece):
            decoded += decoder.feed(frame)
    for frame in sse.close():
        decoded += decoder.feed(frame)
    decoded += decoder.close()
    assert collect(decoded) == collect(events)
