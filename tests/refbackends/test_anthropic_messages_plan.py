"""Rendering a scripted :class:`refbackends.plan.Plan` on the Anthropic
Messages wire: every block kind to the event, unary joins, stop reasons,
usage, failures (in-stream errors and cuts), and the official ``anthropic``
SDK folding all of it, over a real loopback socket. Every body and stream
event is checked against the generated wire models (``anthropic_wire``).
Fixtures live in ``conftest.py``."""

from __future__ import annotations

import json

import anthropic
import httpx
import pytest

from tests.refbackends.anthropic_wire import (
    MODEL,
    USER,
    body,
    check_error,
    check_events,
    deltas,
    fold,
    post,
    queue,
    raw_stream,
    sse_events,
    stream,
    unary,
)

REASONING = {"reasoning": ["Let me ", "think."], "signature": "sig-opaque"}
TEXT = {"text": ["Hel", "lo, ", "wör", "ld 🌍"]}
REFUSAL = {"refusal": ["I can't ", "help."]}
CALL_A = {
    "tool_call": {"id": "toolu_a", "name": "get_weather", "arguments": ['{"ci', 'ty":', '"Paris"}']}
}
CALL_B = {"tool_call": {"id": "toolu_b", "name": "get_time", "arguments": []}}
USAGE = {"input": 120, "output": 45, "cached": 100, "reasoning": 30}
EVERY_KIND = {"blocks": [REASONING, TEXT, CALL_A, CALL_B], "finish": "tool_calls", "usage": USAGE}


# --- plans: rendered to the event ------------------------------------------------------


def test_every_block_kind_streams_one_delta_per_piece_in_order(ahttp: httpx.Client) -> None:
    queue(ahttp, {"plan": EVERY_KIND})
    events = stream(ahttp, body())
    assert [(e["type"], e.get("index")) for e in events if "content_block" in e["type"]][:2] == [
        ("content_block_start", 0),
        ("content_block_delta", 0),
    ]
    starts = [e["content_block"] for e in events if e["type"] == "content_block_start"]
    assert starts == [
        {"type": "thinking", "thinking": "", "signature": ""},
        {"type": "text", "text": ""},
        {"type": "tool_use", "id": "toolu_a", "name": "get_weather", "input": {}},
        {"type": "tool_use", "id": "toolu_b", "name": "get_time", "input": {}},
    ]
    assert deltas(events) == [
        {"type": "thinking_delta", "thinking": "Let me "},
        {"type": "thinking_delta", "thinking": "think."},
        {"type": "signature_delta", "signature": "sig-opaque"},
        {"type": "text_delta", "text": "Hel"},
        {"type": "text_delta", "text": "lo, "},
        {"type": "text_delta", "text": "wör"},
        {"type": "text_delta", "text": "ld 🌍"},
        {"type": "input_json_delta", "partial_json": '{"ci'},
        {"type": "input_json_delta", "partial_json": 'ty":'},
        {"type": "input_json_delta", "partial_json": '"Paris"}'},
    ]
    start_usage = events[0]["message"]["usage"]
    assert (start_usage["input_tokens"], start_usage["cache_read_input_tokens"]) == (20, 100)
    assert events[-2] == {
        "type": "message_delta",
        "delta": {"stop_reason": "tool_use", "stop_sequence": None},
        "usage": {"output_tokens": 45, "output_tokens_details": {"thinking_tokens": 30}},
    }


def test_unary_plan_joins_each_block(ahttp: httpx.Client) -> None:
    queue(ahttp, {"plan": EVERY_KIND}, {"plan": EVERY_KIND})
    message = unary(ahttp, body())
    assert message["content"] == [
        {"type": "thinking", "thinking": "Let me think.", "signature": "sig-opaque"},
        {"type": "text", "text": "Hello, wörld 🌍"},
        {"type": "tool_use", "id": "toolu_a", "name": "get_weather", "input": {"city": "Paris"}},
        {"type": "tool_use", "id": "toolu_b", "name": "get_time", "input": {}},
    ]
    assert message["stop_reason"] == "tool_use"
    usage = message["usage"]
    assert (usage["input_tokens"], usage["cache_read_input_tokens"], usage["output_tokens"]) == (
        20,
        100,
        45,
    )
    assert usage["output_tokens_details"] == {"thinking_tokens": 30}
    assert fold(stream(ahttp, body())) == message


def test_sdk_folds_a_plan_to_the_unary_reply(
    aclient: anthropic.Anthropic, ahttp: httpx.Client
) -> None:
    queue(ahttp, {"plan": EVERY_KIND}, {"plan": EVERY_KIND})
    expected = aclient.messages.create(model=MODEL, max_tokens=64, messages=USER)
    with aclient.messages.stream(model=MODEL, max_tokens=64, messages=USER) as sdk_stream:
        final = sdk_stream.get_final_message()
    assert final.to_dict() == expected.to_dict()
    thinking, _, call, _ = final.content
    assert thinking.type == "thinking" and thinking.signature == "sig-opaque"
    assert call.type == "tool_use" and call.input == {"city": "Paris"}
    assert final.usage.cache_read_input_tokens == 100


def test_split_arguments_are_sent_exactly_and_parsed_by_the_sdk(
    aclient: anthropic.Anthropic, ahttp: httpx.Client
) -> None:
    fragments = ['{"ci', 'ty": "Pa', "ris \\u00e9\\u", '4e16", "un', 'it": "c"}']
    call = {"tool_call": {"id": "toolu_s1", "name": "get_weather", "arguments": fragments}}
    plan = {"blocks": [call], "finish": "tool_calls"}
    queue(ahttp, {"plan": plan}, {"plan": plan})
    assert [d["partial_json"] for d in deltas(stream(ahttp, body()))] == fragments
    with aclient.messages.stream(model=MODEL, max_tokens=64, messages=USER) as sdk_stream:
        final = sdk_stream.get_final_message()
    assert final.content[0].type == "tool_use"
    assert final.content[0].input == {"city": "Paris é世", "unit": "c"}


@pytest.mark.parametrize(
    ("finish", "blocks", "stop_reason"),
    [
        ("stop", [TEXT], "end_turn"),
        ("length", [TEXT], "max_tokens"),
        ("tool_calls", [CALL_B], "tool_use"),
        ("content_filter", [TEXT], "refusal"),
        ("refusal", [TEXT], "refusal"),
        ("stop", [REFUSAL], "refusal"),
    ],
)
def test_plan_finish_mapping(
    ahttp: httpx.Client, finish: str, blocks: list[object], stop_reason: str
) -> None:
    plan = {"blocks": blocks, "finish": finish}
    queue(ahttp, {"plan": plan}, {"plan": plan})
    message = unary(ahttp, body())
    assert message["stop_reason"] == stop_reason
    events = stream(ahttp, body())
    assert events[-2]["delta"]["stop_reason"] == stop_reason
    assert ("stop_details" in events[-2]["delta"]) == (stop_reason == "refusal")
    assert fold(events) == message


def test_refusal_plan_renders_as_text(ahttp: httpx.Client) -> None:
    queue(ahttp, {"plan": {"blocks": [REFUSAL], "finish": "refusal"}})
    message = unary(ahttp, body())
    assert message["content"] == [{"type": "text", "text": "I can't help."}]
    assert message["stop_details"]["type"] == "refusal"


def test_unsigned_reasoning_and_empty_text_blocks(ahttp: httpx.Client) -> None:
    plan = {"blocks": [{"reasoning": ["hm"]}, {"text": []}]}
    queue(ahttp, {"plan": plan}, {"plan": plan})
    message = unary(ahttp, body())
    assert message["content"] == [
        {"type": "thinking", "thinking": "hm", "signature": ""},
        {"type": "text", "text": ""},
    ]
    events = stream(ahttp, body())
    assert [d["type"] for d in deltas(events)] == ["thinking_delta"]
    assert fold(events) == message


ERRORS = [
    ("rate_limited", "rate_limit_error"),
    ("overloaded", "overloaded_error"),
    ("server_error", "api_error"),
]


@pytest.mark.parametrize(("kind", "error_type"), ERRORS)
def test_failure_error_after_whole_blocks(
    aclient: anthropic.Anthropic, ahttp: httpx.Client, kind: str, error_type: str
) -> None:
    failure = {"after_blocks": 2, "mode": "error", "kind": kind}
    queue(ahttp, {"plan": {**EVERY_KIND, "failure": failure}})
    response = post(ahttp, {**body(), "stream": True})
    events = check_events(sse_events(response.text), complete=False)
    assert events[-1]["type"] == "error" and events[-1]["error"]["type"] == error_type
    assert [e["type"] for e in events].count("content_block_stop") == 2
    assert "message_delta" not in [e["type"] for e in events]
    queue(
        ahttp, {"plan": {"blocks": [TEXT, REFUSAL], "failure": {"after_blocks": 1, "kind": kind}}}
    )
    seen: list[str] = []
    with (
        pytest.raises(anthropic.APIStatusError) as caught,
        aclient.messages.stream(model=MODEL, max_tokens=64, messages=USER) as sdk_stream,
    ):
        seen.extend(sdk_stream.text_stream)
    assert "".join(seen) == "Hello, wörld 🌍"
    assert caught.value.type == error_type


@pytest.mark.parametrize("after", [0, 1, 2, 4])
def test_failure_cut_drops_the_connection_after_whole_blocks(
    ahttp: httpx.Client, after: int
) -> None:
    queue(ahttp, {"plan": {**EVERY_KIND, "failure": {"after_blocks": after, "mode": "cut"}}})
    received, problem = raw_stream(ahttp)
    assert "incomplete chunked read" in problem
    events = check_events(sse_events(b"".join(received).decode()), complete=False)
    # message_start and ping, then start + deltas + stop of each whole block.
    per_block = [2 + 3, 2 + 4, 2 + 3, 2 + 0]
    assert len(events) == 2 + sum(per_block[:after])
    assert all(e["type"] not in ("error", "message_delta") for e in events)


def test_script_cut_after_and_the_plans_cut_the_earlier_wins(ahttp: httpx.Client) -> None:
    queue(
        ahttp,
        {"plan": {**EVERY_KIND, "failure": {"after_blocks": 2, "mode": "cut"}}, "cut_after": 3},
    )
    received, _ = raw_stream(ahttp)
    assert b"".join(received).count(b"event: ") == 3


def test_sdk_sees_a_cut_stream_as_a_transport_error(
    aclient: anthropic.Anthropic, ahttp: httpx.Client
) -> None:
    queue(ahttp, {"plan": {"blocks": [TEXT, TEXT], "failure": {"after_blocks": 1, "mode": "cut"}}})
    seen: list[str] = []
    with (
        pytest.raises(Exception, match="incomplete chunked read") as caught,
        aclient.messages.stream(model=MODEL, max_tokens=64, messages=USER) as sdk_stream,
    ):
        seen.extend(sdk_stream.text_stream)
    assert caught.typename == "RemoteProtocolError"  # the SDK's transport error, unwrapped
    assert "".join(seen) == "Hello, wörld 🌍"


@pytest.mark.parametrize("mode", ["error", "cut"])
def test_unary_with_a_failure_is_a_500(
    aclient: anthropic.Anthropic, ahttp: httpx.Client, mode: str
) -> None:
    queue(ahttp, {"plan": {"blocks": [TEXT], "failure": {"after_blocks": 1, "mode": mode}}})
    with pytest.raises(anthropic.InternalServerError) as caught:
        aclient.messages.create(model=MODEL, max_tokens=64, messages=USER)
    assert caught.value.type == "api_error"


def test_unary_plan_with_non_object_tool_input_is_refused(ahttp: httpx.Client) -> None:
    call = {"tool_call": {"id": "toolu_x", "name": "f", "arguments": ['{"a"']}}
    queue(ahttp, {"plan": {"blocks": [call]}}, {"plan": {"blocks": [call]}})
    message = check_error(post(ahttp, body()), 400, "invalid_request_error")
    assert message.startswith("Invalid emulator script: the input of tool_use toolu_x")
    assert [d["partial_json"] for d in deltas(stream(ahttp, body()))] == ['{"a"']


def test_plan_with_an_error_status_answers_that_status(
    aclient: anthropic.Anthropic, ahttp: httpx.Client
) -> None:
    queue(ahttp, {"plan": {"blocks": [TEXT]}, "status": 529})
    with pytest.raises(anthropic.OverloadedError):
        aclient.messages.create(model=MODEL, max_tokens=64, messages=USER)


def test_request_is_still_validated_under_a_plan(ahttp: httpx.Client) -> None:
    queue(ahttp, {"plan": {"blocks": [TEXT]}})
    response = post(ahttp, {"model": MODEL, "messages": USER})
    assert check_error(response, 400, "invalid_request_error") == "max_tokens: Field required"


def test_plan_header(ahttp: httpx.Client) -> None:
    plan = json.dumps({"blocks": [{"text": ["from ", "header"]}], "finish": "length"})
    message = unary(ahttp, body(), **{"x-emulator-plan": plan})
    assert (message["content"][0]["text"], message["stop_reason"]) == ("from header", "max_tokens")
