"""Canonical events -> the Responses event stream: every frame is a valid
ResponseStreamEvent, sequence numbers count without gaps, item ids and
indexes agree across added/delta/done, and the final response is the unary one."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    ErrorEvent,
    ErrorKind,
    Event,
    FinishReason,
    ProviderState,
    ProviderStateDelta,
    ReasoningDelta,
    RefusalDelta,
    ReplyExtensions,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    ToolCallDelta,
    Usage,
    UsageEvent,
    WarningEvent,
    collect,
)
from lip.protocols.base import ClientRequest
from lip.protocols.openai_responses import conversation
from lip.protocols.openai_responses.carry import PROTOCOL
from lip.protocols.openai_responses.request import decode_request
from lip.protocols.openai_responses.response import encode_response
from lip.protocols.openai_responses.stream import ResponsesStreamEncoder
from lip.server.state import MemoryStore
from lip_wire.openai.response_stream_event import ResponseStreamEvent

Frame = tuple[str, dict[str, Any]]
START = ResponseStarted(id="up-1", model="gpt-x", created=1700000000)
ENCRYPTED = ["reasoning.encrypted_content"]


def request_for(body: dict[str, Any] | None = None, **kwargs: Any) -> ClientRequest:
    raw = {"model": "m", "input": "hi", "include": ENCRYPTED, **(body or {})}
    request = decode_request(json.dumps(raw).encode(), **kwargs)
    return dataclasses.replace(request, call=dataclasses.replace(request.call, id="abc"))


def stream(events: list[Event], request: ClientRequest | None = None) -> list[Frame]:
    """The frames of ``events``, each checked on its own and against the others."""
    encoder = ResponsesStreamEncoder(request or request_for())
    wire = b"".join(encoder.encode(e) for e in events) + encoder.close()
    assert wire.endswith(b"\n\n")
    frames: list[Frame] = []
    for block in wire[:-2].split(b"\n\n"):
        event, data = block.split(b"\n")
        assert event.startswith(b"event: ") and data.startswith(b"data: ")
        ResponseStreamEvent.model_validate_json(data[6:])
        body = json.loads(data[6:])
        assert body["type"] == event[7:].decode()
        frames.append((body["type"], body))
    check_stream(frames)
    return frames


def check_stream(frames: list[Frame]) -> None:
    kinds = [kind for kind, _ in frames]
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert kinds[-1] in ("response.completed", "response.incomplete", "response.failed")
    assert [body["sequence_number"] for _, body in frames] == list(range(len(frames)))
    ids: list[str] = []  # item id by output index
    done: list[dict[str, Any]] = []
    parts: dict[int, int] = {}  # content parts added, by output index
    open_part: dict[int, int | None] = {}
    summaries: dict[int, int] = {}
    for kind, body in frames:
        index: int = body.get("output_index", -1)
        if kind == "response.output_item.added":
            assert index == len(ids) and len(done) == index  # one item at a time, in order
            ids.append(body["item"]["id"])
            parts[index], open_part[index], summaries[index] = 0, None, 0
        elif kind == "response.output_item.done":
            assert body["item"]["id"] == ids[index] and index == len(done)
            assert open_part[index] is None
            done.append(body["item"])
        elif index >= 0:
            assert index == len(ids) - 1 and index == len(done), kind  # the open item's events
            assert body["item_id"] == ids[index], kind
        if kind == "response.content_part.added":
            assert body["content_index"] == parts[index] and open_part[index] is None
            open_part[index] = parts[index]
            parts[index] += 1
        elif kind == "response.content_part.done":
            assert body["content_index"] == open_part[index]
            open_part[index] = None
        elif "content_index" in body and not kind.startswith("response.reasoning"):
            assert body["content_index"] == open_part[index], kind
        if kind == "response.reasoning_summary_part.added":
            assert body["summary_index"] == summaries[index]
            summaries[index] += 1
        elif "summary_index" in body:
            assert body["summary_index"] < summaries[index]
    final = frames[-1][1]["response"]
    assert final["output"] == done
    assert final["id"] == frames[0][1]["response"]["id"]


def final(frames: list[Frame]) -> dict[str, Any]:
    response: dict[str, Any] = frames[-1][1]["response"]
    return response


def unary(events: list[Event], request: ClientRequest | None = None) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(
        encode_response(collect(events), request or request_for()).body
    )
    return body


def _timeless(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "completed_at"}


def text_block(index: int, *chunks: str, refusal: bool = False) -> list[Event]:
    kind = BlockKind.REFUSAL if refusal else BlockKind.TEXT
    delta = RefusalDelta if refusal else TextDelta
    return [
        BlockStarted(index=index, kind=kind),
        *(delta(index=index, text=c) for c in chunks),
        BlockFinished(index=index),
    ]


def call_block(index: int, call_id: str, name: str, *fragments: str) -> list[Event]:
    return [
        BlockStarted(index=index, kind=BlockKind.TOOL_CALL, id=call_id, name=name),
        *(ToolCallDelta(index=index, arguments=f) for f in fragments),
        BlockFinished(index=index),
    ]


REASONING_BLOCK: list[Event] = [
    BlockStarted(
        index=0, kind=BlockKind.REASONING, state=ProviderState(origin=PROTOCOL, item_id="rs_up")
    ),
    ReasoningDelta(index=0, text="Plan ", summary_index=0),
    ReasoningDelta(index=0, text="it.", summary_index=0),
    ReasoningDelta(index=0, text="Then answer.", summary_index=1),
    ReasoningDelta(index=0, text="raw thoughts"),
    ProviderStateDelta(index=0, state=ProviderState(origin=PROTOCOL, encrypted="enc")),
    BlockFinished(index=0),
]
USAGE = UsageEvent(usage=Usage(input_tokens=7, output_tokens=3))
SCENARIOS: dict[str, list[Event]] = {
    "text": [
        START,
        *text_block(0, "Hel", "lo"),
        USAGE,
        ResponseFinished(finish_reason=FinishReason.STOP),
    ],
    "refusal": [
        START,
        *text_block(0, "I can't", refusal=True),
        ResponseFinished(finish_reason=FinishReason.STOP),
    ],
    "reasoning": [
        START,
        *REASONING_BLOCK,
        *text_block(1, "Hi"),
        ResponseFinished(finish_reason=FinishReason.STOP),
    ],
    "tool-call": [
        START,
        *call_block(0, "call_1", "get_weather", '{"ci', 'ty": "Pa', 'ris"}'),
        ResponseFinished(finish_reason=FinishReason.TOOL_CALLS),
    ],
    "text-then-calls": [
        START,
        *text_block(0, "Let me look."),
        *text_block(1, "No.", refusal=True),
        *call_block(2, "call_1", "w", '{"city":"Paris"}'),
        WarningEvent(message="ignored"),
        *call_block(3, "call_2", "w", '{"city":', '"Rome"}'),
        USAGE,
        ResponseFinished(finish_reason=FinishReason.TOOL_CALLS),
    ],
    "length": [
        START,
        *text_block(0, "cut sh"),
        ResponseFinished(finish_reason=FinishReason.LENGTH),
    ],
    "empty": [START, ResponseFinished(finish_reason=FinishReason.STOP)],
}


@pytest.mark.parametrize("events", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_a_stream_folds_to_the_unary_response(events: list[Event]) -> None:
    frames = stream(events)
    assert _timeless(final(frames)) == _timeless(unary(events))


def test_text_deltas_name_their_item_and_part() -> None:
    frames = stream(SCENARIOS["text"])
    assert [kind for kind, _ in frames] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert frames[0][1]["response"]["status"] == "in_progress"
    assert frames[0][1]["response"]["output"] == []
    assert [b["delta"] for k, b in frames if k.endswith(".delta")] == ["Hel", "lo"]
    assert final(frames)["output"][0]["content"][0]["text"] == "Hello"
    assert final(frames)["usage"]["total_tokens"] == 10


def test_reasoning_summaries_text_and_encrypted_content() -> None:
    frames = stream(SCENARIOS["reasoning"])
    kinds = [kind for kind, _ in frames]
    assert kinds.count("response.reasoning_summary_part.added") == 2
    assert kinds.count("response.reasoning_text.delta") == 1
    (item,) = [b["item"] for k, b in frames if k == "response.output_item.done"][:1]
    assert item["id"] == "rs_up" and item["encrypted_content"] == "enc"
    assert [s["text"] for s in item["summary"]] == ["Plan it.", "Then answer."]
    assert item["content"] == [{"type": "reasoning_text", "text": "raw thoughts"}]
    added = next(b["item"] for k, b in frames if k == "response.output_item.added")
    assert "encrypted_content" not in added and added["status"] == "in_progress"
    unasked = stream(SCENARIOS["reasoning"], request_for({"include": []}))
    assert "encrypted_content" not in final(unasked)["output"][0]


def test_tool_call_arguments_stream_in_fragments() -> None:
    frames = stream(SCENARIOS["tool-call"])
    deltas = [b["delta"] for k, b in frames if k == "response.function_call_arguments.delta"]
    assert deltas == ['{"ci', 'ty": "Pa', 'ris"}']
    (args,) = [b for k, b in frames if k == "response.function_call_arguments.done"]
    assert (args["arguments"], args["name"]) == ('{"city": "Paris"}', "get_weather")
    (item,) = final(frames)["output"]
    assert (item["id"], item["call_id"], item["status"]) == ("fc_abc0000", "call_1", "completed")


def test_text_then_calls_share_one_message_then_one_item_each() -> None:
    output = final(stream(SCENARIOS["text-then-calls"]))["output"]
    assert [i["type"] for i in output] == ["message", "function_call", "function_call"]
    assert [p["type"] for p in output[0]["content"]] == ["output_text", "refusal"]
    assert [i["id"] for i in output] == ["msg_abc0000", "fc_abc0001", "fc_abc0002"]


def test_a_length_finish_is_response_incomplete() -> None:
    frames = stream(SCENARIOS["length"])
    assert frames[-1][0] == "response.incomplete"
    response = final(frames)
    assert response["status"] == "incomplete"
    assert response["incomplete_details"] == {"reason": "max_output_tokens"}


def test_an_error_after_output_is_error_then_response_failed() -> None:
    events: list[Event] = [
        START,
        *call_block(0, "call_1", "w", "{}"),
        BlockStarted(index=1, kind=BlockKind.TEXT),
        TextDelta(index=1, text="partial"),
        ErrorEvent(kind=ErrorKind.RATE_LIMITED, message="the upstream is rate limiting requests"),
    ]
    frames = stream(events)
    assert [k for k, _ in frames[-2:]] == ["error", "response.failed"]
    error = frames[-2][1]
    assert (error["code"], error["message"]) == (
        "rate_limit_exceeded",
        "the upstream is rate limiting requests",
    )
    response = final(frames)
    assert response["status"] == "failed"
    assert response["error"] == {"code": "rate_limit_exceeded", "message": error["message"]}
    assert [i["type"] for i in response["output"]] == ["function_call"]  # what was finished


def test_an_error_before_anything_still_opens_the_response() -> None:
    frames = stream(
        [ErrorEvent(kind=ErrorKind.OVERLOADED, message="overloaded", code="overloaded")]
    )
    assert [k for k, _ in frames] == [
        "response.created",
        "response.in_progress",
        "error",
        "response.failed",
    ]
    assert frames[2][1]["code"] == "overloaded"


def test_reply_extensions_reach_the_final_response() -> None:
    events: list[Event] = [
        START,
        ReplyExtensions(extensions={PROTOCOL: {"service_tier": "flex"}}),
        *text_block(0, "x"),
        ResponseFinished(finish_reason=FinishReason.STOP),
    ]
    assert final(stream(events))["service_tier"] == "flex"


def test_the_final_response_is_stored() -> None:
    store = MemoryStore(max_entries=8, max_bytes=1 << 20, ttl=60)
    frames = stream(SCENARIOS["text"], request_for(store=store))
    assert conversation.retrieve(store, "resp_abc") == final(frames)
    other = MemoryStore(max_entries=8, max_bytes=1 << 20, ttl=60)
    stream(SCENARIOS["text"], request_for({"store": False}, store=other))
    assert len(other) == 0


# -- any well-formed stream

texts = st.text(max_size=6)


@st.composite
def event_streams(draw: st.DrawFn) -> list[Event]:
    events: list[Event] = [START]
    called = False
    for index in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(BlockKind))
        if kind is BlockKind.TOOL_CALL:
            called = True
            state = draw(
                st.none() | st.just(ProviderState(origin=PROTOCOL, item_id=f"fc_up{index}"))
            )
            events.append(
                BlockStarted(index=index, kind=kind, id=f"call_{index}", name="f", state=state)
            )
            events += [
                ToolCallDelta(index=index, arguments=a) for a in draw(st.lists(texts, max_size=3))
            ]
        elif kind is BlockKind.REASONING:
            state = draw(
                st.none()
                | st.builds(
                    ProviderState,
                    origin=st.just(PROTOCOL),
                    item_id=st.just(f"rs_up{index}"),
                    encrypted=st.none() | st.just("enc"),
                )
            )
            events.append(BlockStarted(index=index, kind=kind, state=state))
            summary = 0
            for text, step in draw(
                st.lists(st.tuples(texts, st.sampled_from([None, 0, 1])), max_size=5)
            ):
                if step is None:
                    events.append(ReasoningDelta(index=index, text=text))
                else:
                    summary += step
                    events.append(ReasoningDelta(index=index, text=text, summary_index=summary))
        else:
            events.append(BlockStarted(index=index, kind=kind))
            delta = TextDelta if kind is BlockKind.TEXT else RefusalDelta
            events += [delta(index=index, text=t) for t in draw(st.lists(texts, max_size=3))]
        events.append(BlockFinished(index=index))
        if draw(st.booleans()):
            events.append(
                UsageEvent(usage=Usage(input_tokens=draw(st.integers(0, 9)), output_tokens=1))
            )
    if draw(st.booleans()):
        message = draw(st.sampled_from(["overloaded", "rate limited"]))
        kind_ = draw(
            st.sampled_from(
                [ErrorKind.OVERLOADED, ErrorKind.RATE_LIMITED, ErrorKind.UPSTREAM_ERROR]
            )
        )
        events.append(ErrorEvent(kind=kind_, message=message))
    else:
        reasons = [FinishReason.TOOL_CALLS] if called else [FinishReason.STOP, FinishReason.LENGTH]
        events.append(ResponseFinished(finish_reason=draw(st.sampled_from(reasons))))
    return events


@settings(max_examples=300, deadline=None)
@given(event_streams())
def test_any_stream_is_well_formed_and_folds_to_the_unary_response(events: list[Event]) -> None:
    frames = stream(events)
    if isinstance(events[-1], ErrorEvent):
        assert frames[-1][0] == "response.failed" and frames[-2][0] == "error"
    else:
        assert _timeless(final(frames)) == _timeless(unary(events))
