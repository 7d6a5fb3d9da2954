"""Rendering a scripted :class:`refbackends.plan.Plan` on the OpenAI
Responses wire: every block kind to the event, unary joins, incomplete
finishes, usage, opaque reasoning state, failures (``response.failed`` and
cuts), and the official ``openai`` SDK folding all of it, over a real
loopback socket. Every body and stream event is checked against the
generated wire models (``responses_wire``). Fixtures live in ``conftest.py``."""

from __future__ import annotations

import json
from typing import Any

import httpx
import openai
import pytest

from tests.refbackends.responses_wire import (
    MODEL,
    body,
    check_error,
    check_events,
    deltas,
    fold,
    post,
    queue,
    raw_stream,
    received,
    sse_events,
    stream,
    unary,
)

REASONING = {"reasoning": ["Let me ", "think."], "signature": "sig-opaque"}
TEXT = {"text": ["Hel", "lo, ", "wör", "ld 🌍"]}
REFUSAL = {"refusal": ["I can't ", "help."]}
CALL_A = {
    "tool_call": {"id": "call_a", "name": "get_weather", "arguments": ['{"ci', 'ty":', '"Paris"}']}
}
CALL_B = {"tool_call": {"id": "call_b", "name": "get_time", "arguments": []}}
USAGE = {"input": 120, "output": 45, "cached": 100, "reasoning": 30}
EVERY_KIND = {
    "blocks": [REASONING, TEXT, REFUSAL, CALL_A, CALL_B],
    "finish": "tool_calls",
    "usage": USAGE,
}
ENCRYPTED = ["reasoning.encrypted_content"]


# --- plans: rendered to the event ------------------------------------------------------


def test_every_block_kind_streams_one_delta_per_piece_in_order(rhttp: httpx.Client) -> None:
    queue(rhttp, {"plan": EVERY_KIND})
    events = stream(rhttp, body(include=ENCRYPTED))
    added = [e["item"] for e in events if e["type"] == "response.output_item.added"]
    assert [(item["type"], item["id"][:3]) for item in added] == [
        ("reasoning", "rs_"),
        ("message", "msg"),
        ("message", "msg"),
        ("function_call", "fc_"),
        ("function_call", "fc_"),
    ]
    assert added[3] | {"id": ""} == {
        "id": "",
        "type": "function_call",
        "status": "in_progress",
        "arguments": "",
        "call_id": "call_a",
        "name": "get_weather",
    }
    assert deltas(events) == [
        ("response.reasoning_summary_text.delta", "Let me "),
        ("response.reasoning_summary_text.delta", "think."),
        *[("response.output_text.delta", piece) for piece in TEXT["text"]],
        ("response.refusal.delta", "I can't "),
        ("response.refusal.delta", "help."),
        *[
            ("response.function_call_arguments.delta", piece)
            for piece in ['{"ci', 'ty":', '"Paris"}']
        ],
    ]
    kinds = [e["type"] for e in events if e.get("output_index") == 0]
    assert kinds == [
        "response.output_item.added",
        "response.reasoning_summary_part.added",
        "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.done",
        "response.reasoning_summary_part.done",
        "response.output_item.done",
    ]
    final = fold(events)
    assert final["status"] == "completed"
    assert final["output"][0]["encrypted_content"] == "sig-opaque"


def test_unary_plan_joins_each_block(rhttp: httpx.Client) -> None:
    queue(rhttp, {"plan": EVERY_KIND})
    reply = unary(rhttp, body(include=ENCRYPTED))
    reasoning, text, refusal, call_a, call_b = reply["output"]
    assert reasoning == {
        "id": reasoning["id"],
        "type": "reasoning",
        "summary": [{"type": "summary_text", "text": "Let me think."}],
        "encrypted_content": "sig-opaque",
    }
    assert text["content"] == [
        {"type": "output_text", "annotations": [], "logprobs": [], "text": "Hello, wörld 🌍"}
    ]
    assert refusal["content"] == [{"type": "refusal", "refusal": "I can't help."}]
    assert (call_a["call_id"], call_a["arguments"]) == ("call_a", '{"city":"Paris"}')
    assert (call_b["call_id"], call_b["name"], call_b["arguments"]) == ("call_b", "get_time", "")
    assert reply["usage"] == {
        "input_tokens": 120,
        "input_tokens_details": {"cached_tokens": 100, "cache_write_tokens": 0},
        "output_tokens": 45,
        "output_tokens_details": {"reasoning_tokens": 30},
        "total_tokens": 165,
    }


def test_sdk_folds_a_plan_to_the_unary_reply(rclient: openai.OpenAI, rhttp: httpx.Client) -> None:
    plan = {"plan": {"blocks": [REASONING, TEXT], "usage": USAGE}}
    queue(rhttp, plan, plan)
    unary_reply = rclient.responses.create(model=MODEL, input="x", include=ENCRYPTED)  # type: ignore[arg-type]
    with rclient.responses.stream(model=MODEL, input="x", include=ENCRYPTED) as events:  # type: ignore[arg-type]
        final = events.get_final_response()
    assert final.output_text == unary_reply.output_text == "Hello, wörld 🌍"
    assert final.output[0].model_dump() == unary_reply.output[0].model_dump()
    assert final.usage == unary_reply.usage


def test_signature_is_encrypted_content_only_when_included(rhttp: httpx.Client) -> None:
    plan = {"plan": {"blocks": [REASONING, TEXT]}}
    queue(rhttp, plan, plan)
    assert "encrypted_content" not in unary(rhttp, body())["output"][0]
    assert unary(rhttp, body(include=ENCRYPTED))["output"][0]["encrypted_content"] == "sig-opaque"


def test_plan_signature_round_trips_unchanged(rhttp: httpx.Client) -> None:
    signed = {"reasoning": ["hm"], "signature": "sig-round-trip-1"}
    queue(rhttp, {"plan": {"blocks": [signed, TEXT]}})
    output = unary(rhttp, body(include=ENCRYPTED, store=False))["output"]
    history = [{"role": "user", "content": "hello"}, *output, {"role": "user", "content": "again"}]
    assert unary(rhttp, body(input=history))["output"][0]["content"][0]["text"] == "Echo: again"
    assert received(rhttp)[-1]["input"][1]["encrypted_content"] == "sig-round-trip-1"
    forged = [{**output[0], "encrypted_content": "sig-round-trip-2"}]
    check_error(post(rhttp, body(input=forged)), 400, "invalid_encrypted_content")


@pytest.mark.parametrize(
    ("finish", "reason"),
    [("length", "max_output_tokens"), ("content_filter", "content_filter")],
)
def test_short_finishes_make_the_response_incomplete(
    rhttp: httpx.Client, finish: str, reason: str
) -> None:
    plan = {"plan": {"blocks": [TEXT], "finish": finish}}
    queue(rhttp, plan, plan)
    events = stream(rhttp, body())
    assert events[-1]["type"] == "response.incomplete"
    final = fold(events)
    assert final["status"] == "incomplete"
    assert final["incomplete_details"] == {"reason": reason}
    assert final["output"][-1]["status"] == "incomplete"
    assert unary(rhttp, body()) == final


@pytest.mark.parametrize("finish", ["stop", "tool_calls", "refusal"])
def test_other_finishes_complete(rhttp: httpx.Client, finish: str) -> None:
    queue(rhttp, {"plan": {"blocks": [TEXT], "finish": finish}})
    reply = unary(rhttp, body())
    assert (reply["status"], reply["incomplete_details"]) == ("completed", None)


def test_unsigned_reasoning_and_empty_blocks(rhttp: httpx.Client) -> None:
    plan = {"plan": {"blocks": [{"reasoning": []}, {"text": []}]}}
    queue(rhttp, plan, plan)
    events = stream(rhttp, body(include=ENCRYPTED))
    assert [e["type"] for e in events if e.get("output_index") == 0] == [
        "response.output_item.added",
        "response.output_item.done",
    ]
    reasoning, message = fold(events)["output"]
    assert reasoning == {"id": reasoning["id"], "type": "reasoning", "summary": []}
    assert message["content"][0]["text"] == ""
    assert unary(rhttp, body(include=ENCRYPTED))["output"] == [reasoning, message]


def test_default_usage_counts_the_plan(rhttp: httpx.Client) -> None:
    queue(rhttp, {"plan": {"blocks": [REASONING, TEXT, CALL_A]}})
    usage = unary(rhttp, body())["usage"]
    # reasoning 3 words + text 3 words + 5 argument fragments and the call.
    assert (usage["input_tokens"], usage["output_tokens"]) == (3, 3 + 3 + 6)
    assert usage["output_tokens_details"] == {"reasoning_tokens": 3}


# --- failures --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("server_error", "server_error"),
        ("rate_limited", "rate_limit_exceeded"),
        ("overloaded", "server_is_overloaded"),
    ],
)
def test_failure_error_after_whole_blocks(rhttp: httpx.Client, kind: str, code: str) -> None:
    plan = {"blocks": [TEXT, CALL_A], "failure": {"after_blocks": 1, "kind": kind}}
    queue(rhttp, {"plan": plan})
    response = post(rhttp, body(stream=True))
    events = check_events(sse_events(response.text), complete=False)
    assert events[-1]["type"] == "response.failed"
    failed = events[-1]["response"]
    assert failed["status"] == "failed" and failed["usage"] is None
    assert failed["error"]["code"] == code
    assert [item["type"] for item in failed["output"]] == ["message"]
    assert not any(e["type"].startswith("response.function_call") for e in events)


def test_sdk_sees_a_failed_response(rclient: openai.OpenAI, rhttp: httpx.Client) -> None:
    queue(rhttp, {"plan": {"blocks": [TEXT], "failure": {"after_blocks": 1}}})
    events = list(rclient.responses.create(model=MODEL, input="x", stream=True))
    assert events[-1].type == "response.failed"
    assert events[-1].response.error is not None
    assert events[-1].response.error.code == "server_error"


def test_failure_cut_drops_the_connection_after_whole_blocks(rhttp: httpx.Client) -> None:
    queue(
        rhttp, {"plan": {"blocks": [TEXT, CALL_A], "failure": {"after_blocks": 1, "mode": "cut"}}}
    )
    events, error = raw_stream(rhttp, body())
    assert events[-1]["type"] == "response.output_item.done"
    assert events[-1]["item"]["type"] == "message"
    assert "peer closed connection" in error


def test_script_cut_after_and_the_plans_cut_the_earlier_wins(rhttp: httpx.Client) -> None:
    plan = {"blocks": [TEXT, CALL_A], "failure": {"after_blocks": 2, "mode": "cut"}}
    queue(rhttp, {"plan": plan, "cut_after": 4})
    events, _ = raw_stream(rhttp, body())
    assert len(events) == 4


def test_sdk_sees_a_cut_stream_as_a_connection_error(
    rclient: openai.OpenAI, rhttp: httpx.Client
) -> None:
    queue(rhttp, {"plan": {"blocks": [TEXT], "failure": {"after_blocks": 0, "mode": "cut"}}})
    seen: list[str] = []
    with pytest.raises(openai.APIConnectionError):
        for event in rclient.responses.create(model=MODEL, input="x", stream=True):
            seen.append(event.type)
    assert seen == ["response.created", "response.in_progress"]


def test_unary_with_a_failure_is_a_500(rhttp: httpx.Client) -> None:
    queue(rhttp, {"plan": {"blocks": [TEXT], "failure": {"after_blocks": 1}}})
    error = check_error(post(rhttp, body()), 500, None)
    assert error["type"] == "server_error"


def test_failed_stream_is_stored_as_failed(rhttp: httpx.Client) -> None:
    queue(rhttp, {"plan": {"blocks": [TEXT, CALL_A], "failure": {"after_blocks": 1}}})
    events = sse_events(post(rhttp, body(input="stored failure", stream=True)).text)
    stored = rhttp.get(f"/v1/responses/{events[0]['response']['id']}").json()
    assert stored == events[-1]["response"]


# --- plans and the rest of the script -------------------------------------------------------


def test_plan_with_an_error_status_answers_that_status(rhttp: httpx.Client) -> None:
    queue(rhttp, {"plan": {"blocks": [TEXT]}, "status": 503})
    check_error(post(rhttp, body()), 503, None)


def test_request_is_still_validated_under_a_plan(rhttp: httpx.Client) -> None:
    queue(rhttp, {"plan": {"blocks": [TEXT]}})
    check_error(post(rhttp, body(temperature=5)), 400, "decimal_above_max_value")


def test_plan_header(rhttp: httpx.Client) -> None:
    plan: Any = {"blocks": [{"text": ["from ", "a header"]}]}
    reply = unary(rhttp, body(), **{"x-emulator-plan": json.dumps(plan)})
    assert reply["output"][0]["content"][0]["text"] == "from a header"
