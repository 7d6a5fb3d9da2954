"""Scripting the OpenAI Responses emulator: status scripts, scenarios,
forced replies, timing, cuts, the script queue and the request log, over a
real loopback socket. Every body and stream event is checked against the
generated wire models (``responses_wire``). Fixtures live in ``conftest.py``."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import openai
import pytest

from tests.refbackends.responses_wire import (
    MODEL,
    TIME_TOOL,
    WEATHER_TOOL,
    body,
    check_error,
    check_events,
    fold,
    post,
    queue,
    raw_stream,
    sse_events,
    stream,
    unary,
)

# --- scripted statuses ----------------------------------------------------------------------

STATUSES: list[tuple[int, type[openai.APIStatusError], str, str | None]] = [
    (400, openai.BadRequestError, "invalid_request_error", "context_length_exceeded"),
    (401, openai.AuthenticationError, "invalid_request_error", "invalid_api_key"),
    (
        403,
        openai.PermissionDeniedError,
        "request_forbidden",
        "unsupported_country_region_territory",
    ),
    (404, openai.NotFoundError, "invalid_request_error", "model_not_found"),
    (429, openai.RateLimitError, "requests", "rate_limit_exceeded"),
    (500, openai.InternalServerError, "server_error", None),
    (503, openai.InternalServerError, "server_error", None),
]


@pytest.mark.parametrize(("status", "exc_type", "error_type", "code"), STATUSES)
def test_status_scripts_raise_the_sdk_exception(
    rclient: openai.OpenAI,
    status: int,
    exc_type: type[openai.APIStatusError],
    error_type: str,
    code: str | None,
) -> None:
    with pytest.raises(exc_type) as caught:
        rclient.responses.create(
            model=MODEL, input="x", extra_headers={"x-emulator-status": str(status)}
        )
    error = caught.value
    assert error.status_code == status
    assert isinstance(error.body, dict)
    assert set(error.body) == {"message", "type", "param", "code"}
    assert (error.type, error.code) == (error_type, code)
    if status == 400:
        assert error.param == "input"


def test_rate_limit_carries_retry_after(rhttp: httpx.Client) -> None:
    queue(rhttp, {"status": 429, "retry_after": 7})
    response = post(rhttp, body())
    check_error(response, 429, "rate_limit_exceeded")
    assert response.headers["retry-after"] == "7"
    assert response.headers["x-ratelimit-remaining-requests"] == "0"


def test_unlisted_server_status_is_a_server_error(rhttp: httpx.Client) -> None:
    queue(rhttp, {"status": 529})
    assert check_error(post(rhttp, body()), 529, None)["type"] == "server_error"


def test_success_status_script_keeps_the_reply(rhttp: httpx.Client) -> None:
    queue(rhttp, {"status": 201})
    response = post(rhttp, body())
    assert response.status_code == 201
    assert response.json()["output"][0]["content"][0]["text"] == "Echo: hello there world"


# --- scenarios and forced replies ------------------------------------------------------------


def test_tool_call_scenarios(rhttp: httpx.Client) -> None:
    tools = [WEATHER_TOOL, TIME_TOOL]
    queue(rhttp, {"scenario": "tool_call"}, {"scenario": "parallel_tool_calls"})
    one = unary(rhttp, body(tools=tools, tool_choice="none"))
    assert [item["name"] for item in one["output"]] == ["get_weather"]
    two = unary(rhttp, body(tools=tools))
    assert [item["name"] for item in two["output"]] == ["get_weather", "get_time"]
    assert len({item["call_id"] for item in two["output"]}) == 2


def test_forced_tool_calls_and_text(rhttp: httpx.Client) -> None:
    calls = [{"name": "lookup", "arguments": {"q": "x"}}]
    queue(rhttp, {"tool_calls": calls, "text": "Let me check."})
    message, call = unary(rhttp, body())["output"]
    assert message["content"][0]["text"] == "Let me check."
    assert (call["name"], json.loads(call["arguments"])) == ("lookup", {"q": "x"})
    queue(rhttp, {"text": "Forced words"})
    assert unary(rhttp, body())["output"][0]["content"][0]["text"] == "Forced words"


@pytest.mark.parametrize(
    ("scenario", "status", "reason"),
    [
        ("length", "incomplete", "max_output_tokens"),
        ("content_filter", "incomplete", "content_filter"),
    ],
)
def test_short_scenarios_are_incomplete(
    rhttp: httpx.Client, scenario: str, status: str, reason: str
) -> None:
    queue(rhttp, {"scenario": scenario, "text": "one two three four"})
    reply = unary(rhttp, body())
    assert (reply["status"], reply["incomplete_details"]) == (status, {"reason": reason})
    assert reply["output"][0]["content"][0]["text"] == "one two"


def test_refusal_and_empty_scenarios(rhttp: httpx.Client) -> None:
    queue(rhttp, {"scenario": "refusal"}, {"scenario": "empty"})
    refusal = unary(rhttp, body())["output"][0]["content"]
    assert refusal == [
        {"type": "refusal", "refusal": "I'm sorry, but I can't help with that request."}
    ]
    empty = unary(rhttp, body())["output"][0]["content"]
    assert empty[0]["text"] == ""


def test_unicode_and_long_scenarios_stream_word_by_word(rhttp: httpx.Client) -> None:
    queue(rhttp, {"scenario": "unicode"}, {"scenario": "long"})
    unicode = fold(stream(rhttp, body()))
    assert "🌍🚀" in unicode["output"][0]["content"][0]["text"]
    events = stream(rhttp, body())
    assert sum(e["type"] == "response.output_text.delta" for e in events) == 360


def test_stream_error_scenario_fails_half_way(rhttp: httpx.Client) -> None:
    queue(
        rhttp,
        {"scenario": "stream_error", "text": "one two three four"},
        {"scenario": "stream_error"},
    )
    events = check_events(sse_events(post(rhttp, body(stream=True)).text), complete=False)
    texts = [e["delta"] for e in events if e["type"] == "response.output_text.delta"]
    assert texts == ["one", " two"]
    assert events[-1]["type"] == "response.failed"
    assert events[-1]["response"]["output"] == []
    check_error(post(rhttp, body()), 500, None)


# --- timing and cuts ------------------------------------------------------------------------


def test_delay_holds_the_first_byte(rhttp: httpx.Client) -> None:
    queue(rhttp, {"delay_ms": 150})
    started = time.monotonic()
    response = post(rhttp, body())
    assert time.monotonic() - started >= 0.15
    assert response.headers["openai-processing-ms"] == "150"


def test_chunk_delay_spaces_the_frames(rhttp: httpx.Client) -> None:
    queue(rhttp, {"chunk_delay_ms": 20})
    started = time.monotonic()
    events = stream(rhttp, body())
    assert time.monotonic() - started >= 0.02 * (len(events) - 1)


def test_cut_after_drops_the_stream(rhttp: httpx.Client) -> None:
    queue(rhttp, {"cut_after": 3})
    events, error = raw_stream(rhttp, body())
    assert [e["type"] for e in events] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
    ]
    assert "peer closed connection" in error


def test_cut_after_drops_a_unary_body(rhttp: httpx.Client) -> None:
    queue(rhttp, {"cut_after": 10})
    with pytest.raises(httpx.RemoteProtocolError):
        post(rhttp, body())


# --- queue, log, script errors ---------------------------------------------------------------


def test_only_create_requests_pop_the_queue(rhttp: httpx.Client) -> None:
    created = unary(rhttp, body(input="kept"))
    queue(rhttp, {"text": "scripted"})
    assert rhttp.get(f"/v1/responses/{created['id']}").status_code == 200
    assert rhttp.post("/v1/responses/input_tokens", json=body()).status_code == 200
    assert rhttp.get("/v1/models").status_code == 200
    assert rhttp.get("/__emulator__/scripts").json()["pending"] == [{"text": "scripted"}]
    assert unary(rhttp, body())["output"][0]["content"][0]["text"] == "scripted"


def test_request_log_records_bodies_scripts_and_masks_keys(rhttp: httpx.Client) -> None:
    queue(rhttp, {"scenario": "refusal"})
    post(rhttp, body(), authorization="Bearer sk-secret-0123456789")
    (entry,) = rhttp.get("/__emulator__/requests").json()["data"]
    assert (entry["method"], entry["path"]) == ("POST", "/v1/responses")
    assert entry["body"] == body()
    assert entry["headers"]["authorization"] == "Bearer sk-***6789"
    assert (entry["script"], entry["script_source"]) == ({"scenario": "refusal"}, "queue")


def test_bad_script_header_is_a_400(rhttp: httpx.Client) -> None:
    response = post(rhttp, body(), **{"x-emulator-scenario": "nope"})
    error = check_error(response, 400, "emulator_script_error")
    assert error["message"].startswith("Invalid emulator script:")


def test_header_script_wins_over_the_queue(rhttp: httpx.Client) -> None:
    queue(rhttp, {"text": "queued"})
    headers: Any = {"x-emulator-text": "from header"}
    assert unary(rhttp, body(), **headers)["output"][0]["content"][0]["text"] == "from header"
    assert unary(rhttp, body())["output"][0]["content"][0]["text"] == "queued"
