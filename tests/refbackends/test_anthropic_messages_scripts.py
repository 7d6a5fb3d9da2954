"""Scripting the Anthropic Messages emulator: status scripts surfacing as
the SDK's typed exceptions, scenarios, forced replies, timing, cuts, the
queue and the request log, over a real loopback socket with the official
``anthropic`` SDK (plans: ``test_anthropic_messages_plan.py``). Every body
and stream event is checked against the generated wire models
(``anthropic_wire``). Fixtures live in ``conftest.py``."""

from __future__ import annotations

import json
import time

import anthropic
import httpx
import pytest

from lip.cli import build_parser
from refbackends.anthropic_messages import create_app
from refbackends.serving import serve_in_thread
from tests.refbackends.anthropic_wire import (
    MODEL,
    TIME_TOOL,
    USER,
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

# --- scripted statuses: the SDK's typed exceptions -------------------------------

STATUSES: list[tuple[int, type[anthropic.APIStatusError], str, str]] = [
    (400, anthropic.BadRequestError, "invalid_request_error", "prompt is too long"),
    (401, anthropic.AuthenticationError, "authentication_error", "invalid x-api-key"),
    (403, anthropic.PermissionDeniedError, "permission_error", "does not have permission"),
    (404, anthropic.NotFoundError, "not_found_error", f"model: {MODEL}"),
    (413, anthropic.ContentTooLargeError, "request_too_large", "Request exceeds"),
    (429, anthropic.RateLimitError, "rate_limit_error", "rate limit"),
    (500, anthropic.InternalServerError, "api_error", "Internal server error"),
    (529, anthropic.OverloadedError, "overloaded_error", "Overloaded"),
]


@pytest.mark.parametrize(("status", "exc_type", "error_type", "needle"), STATUSES)
@pytest.mark.parametrize("streamed", [False, True])
def test_status_scripts_raise_the_sdk_exception(
    aclient: anthropic.Anthropic,
    status: int,
    exc_type: type[anthropic.APIStatusError],
    error_type: str,
    needle: str,
    streamed: bool,
) -> None:
    headers = {"x-emulator-status": str(status)}
    with pytest.raises(exc_type) as caught:
        if streamed:
            with aclient.messages.stream(
                model=MODEL, max_tokens=64, messages=USER, extra_headers=headers
            ) as events:
                events.get_final_message()
        else:
            aclient.messages.create(
                model=MODEL, max_tokens=64, messages=USER, extra_headers=headers
            )
    error = caught.value
    assert error.status_code == status
    assert (error.type, error.request_id) == (error_type, error.response.headers["request-id"])
    assert needle in str(error.api_message)
    assert isinstance(error.body, dict) and error.body["request_id"] == error.request_id
    if status == 429:
        assert error.response.headers["retry-after"] == "1"


def test_status_error_bodies_are_valid(ahttp: httpx.Client) -> None:
    for status, _, error_type, _ in STATUSES:
        response = post(ahttp, body(), **{"x-emulator-status": str(status)})
        check_error(response, status, error_type)
    odd = post(ahttp, body(), **{"x-emulator-status": "502"})
    assert check_error(odd, 502, "api_error") == "Bad Gateway"


def test_rate_limit_retry_after_follows_the_script(
    aclient: anthropic.Anthropic, ahttp: httpx.Client
) -> None:
    queue(ahttp, {"status": 429, "retry_after": 7})
    with pytest.raises(anthropic.RateLimitError) as caught:
        aclient.messages.create(model=MODEL, max_tokens=64, messages=USER)
    assert caught.value.response.headers["retry-after"] == "7"
    assert caught.value.response.headers["anthropic-ratelimit-requests-remaining"] == "0"


# --- scenarios and forced replies ---------------------------------------------------

SCENARIOS = [
    ("text", "end_turn"),
    ("length", "max_tokens"),
    ("content_filter", "refusal"),
    ("refusal", "refusal"),
    ("empty", "end_turn"),
    ("unicode", "end_turn"),
    ("long", "end_turn"),
    ("tool_call", "tool_use"),
    ("parallel_tool_calls", "tool_use"),
]


@pytest.mark.parametrize(("scenario", "stop_reason"), SCENARIOS)
def test_scenario_stream_folds_to_unary(
    aclient: anthropic.Anthropic, ahttp: httpx.Client, scenario: str, stop_reason: str
) -> None:
    headers = {"x-emulator-scenario": scenario}
    payload = body(tools=[WEATHER_TOOL, TIME_TOOL], max_tokens=1024)
    expected = unary(ahttp, payload, **headers)
    assert expected["stop_reason"] == stop_reason
    events = stream(ahttp, payload, **headers)
    assert fold(events) == expected
    with aclient.messages.stream(**payload, extra_headers=headers) as sdk_stream:  # type: ignore[arg-type]
        assert sdk_stream.get_final_message().to_dict() == expected
    content = expected["content"]
    if scenario == "refusal":
        assert content == [
            {"type": "text", "text": "I'm sorry, but I can't help with that request."}
        ]
        assert expected["stop_details"] == {
            "type": "refusal",
            "category": None,
            "explanation": None,
        }
    if scenario == "empty":
        assert content == [] and [e["type"] for e in events][2:] == [
            "message_delta",
            "message_stop",
        ]
    if scenario == "long":
        assert len(events) > 300
    if scenario == "parallel_tool_calls":
        assert [(b["type"], b["name"]) for b in content] == [
            ("tool_use", "get_weather"),
            ("tool_use", "get_time"),
        ]
        assert len({b["id"] for b in content}) == 2


def test_unicode_is_raw_utf8_on_the_wire(ahttp: httpx.Client) -> None:
    response = post(ahttp, {**body(), "stream": True}, **{"x-emulator-scenario": "unicode"})
    assert "🌍🚀".encode() in response.content
    assert b"\\u" not in response.content


def test_stream_error_scenario(aclient: anthropic.Anthropic, ahttp: httpx.Client) -> None:
    headers = {"x-emulator-scenario": "stream_error"}
    events = check_events(
        sse_events(post(ahttp, {**body(), "stream": True}, **headers).text), complete=False
    )
    assert events[-1] == {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded"},
    }
    assert "content_block_stop" not in [event["type"] for event in events]
    seen: list[str] = []
    with (
        pytest.raises(anthropic.APIStatusError) as caught,
        aclient.messages.stream(
            model=MODEL, max_tokens=64, messages=USER, extra_headers=headers
        ) as sdk_stream,
    ):
        seen.extend(sdk_stream.text_stream)
    assert seen == ["Echo:", " hello"]
    assert caught.value.type == "overloaded_error"
    with pytest.raises(anthropic.InternalServerError):
        aclient.messages.create(model=MODEL, max_tokens=64, messages=USER, extra_headers=headers)


def test_forced_text_and_tool_calls(aclient: anthropic.Anthropic, ahttp: httpx.Client) -> None:
    queue(
        ahttp,
        {"text": "scripted words"},
        {"tool_calls": [{"name": "lookup", "arguments": {"q": "x"}}], "text": "Let me check."},
    )
    text = aclient.messages.create(model=MODEL, max_tokens=64, messages=USER)
    assert text.content[0].type == "text" and text.content[0].text == "scripted words"
    called = aclient.messages.create(model=MODEL, max_tokens=64, messages=USER)
    assert called.stop_reason == "tool_use"
    assert called.content[0].to_dict() == {"type": "text", "text": "Let me check."}
    assert called.content[1].type == "tool_use"
    assert (called.content[1].name, called.content[1].input) == ("lookup", {"q": "x"})


# --- timing, cuts, disconnects ------------------------------------------------------------


def test_cut_after_header_mid_stream(aclient: anthropic.Anthropic, ahttp: httpx.Client) -> None:
    received, problem = raw_stream(ahttp, **{"x-emulator-cut-after": "4"})
    assert "incomplete chunked read" in problem
    assert b"".join(received).count(b"event: ") == 4
    assert b"message_stop" not in b"".join(received)
    with (
        pytest.raises(Exception, match="incomplete chunked read"),
        aclient.messages.stream(
            model=MODEL, max_tokens=64, messages=USER, extra_headers={"x-emulator-cut-after": "4"}
        ) as sdk_stream,
    ):
        sdk_stream.get_final_message()


def test_cut_after_on_a_unary_response(ahttp: httpx.Client) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match="without sending complete message body"):
        post(ahttp, body(), **{"x-emulator-cut-after": "10"})


def test_delay_and_chunk_delay(ahttp: httpx.Client) -> None:
    started = time.monotonic()
    unary(ahttp, body(), **{"x-emulator-delay-ms": "200"})
    assert time.monotonic() - started >= 0.19
    arrivals: list[float] = []
    payload = {**body(), "stream": True}
    headers = {"x-emulator-chunk-delay-ms": "40"}
    sent = time.monotonic()
    with ahttp.stream("POST", "/v1/messages", json=payload, headers=headers) as response:
        for line in response.iter_lines():
            if line.startswith("event: "):
                arrivals.append(time.monotonic())
    # 10 events (start, ping, block start, 4 deltas, block stop, delta, stop): 9 gaps,
    # all after the request was sent (timed from there: a client that reads its
    # first event late cannot shorten it).
    assert len(arrivals) == 10
    assert arrivals[-1] - sent >= 9 * 0.04 - 0.02


def test_client_disconnect_stops_the_stream() -> None:
    payload = {**body(), "stream": True}
    headers = {
        "anthropic-version": "2023-06-01",
        "x-emulator-scenario": "long",
        "x-emulator-chunk-delay-ms": "200",
    }
    with serve_in_thread(create_app()) as url:
        with (
            httpx.Client(base_url=url, timeout=5) as raw,
            raw.stream("POST", "/v1/messages", json=payload, headers=headers) as response,
        ):
            assert next(response.iter_lines()) == "event: message_start"
        closing = time.monotonic()
    # The stream would run 72 s: shutting down well before that means it stopped.
    assert time.monotonic() - closing < 30


# --- queue, log, invalid scripts, CLI ------------------------------------------------------


def test_script_queue_is_fifo_headers_win_and_only_messages_pop_it(
    aclient: anthropic.Anthropic, ahttp: httpx.Client
) -> None:
    queue(ahttp, {"text": "first"}, {"status": 429}, {"scenario": "refusal"})
    header_scripted = aclient.messages.create(
        model=MODEL, max_tokens=64, messages=USER, extra_headers={"x-emulator-text": "from header"}
    )
    assert header_scripted.content[0].type == "text"
    assert header_scripted.content[0].text == "from header"
    assert aclient.messages.count_tokens(model=MODEL, messages=USER).input_tokens == 3
    assert aclient.models.list().data
    first = aclient.messages.create(model=MODEL, max_tokens=64, messages=USER)
    assert first.content[0].type == "text" and first.content[0].text == "first"
    with pytest.raises(anthropic.RateLimitError):
        aclient.messages.create(model=MODEL, max_tokens=64, messages=USER)
    assert ahttp.get("/__emulator__/scripts").json() == {"pending": [{"scenario": "refusal"}]}
    assert (
        aclient.messages.create(model=MODEL, max_tokens=64, messages=USER).stop_reason == "refusal"
    )
    default = aclient.messages.create(model=MODEL, max_tokens=64, messages=USER)
    assert (
        default.content[0].type == "text" and default.content[0].text == "Echo: hello there world"
    )


def test_request_log_records_bodies_and_masks_keys(
    aclient: anthropic.Anthropic, ahttp: httpx.Client
) -> None:
    queue(ahttp, {"scenario": "long"})
    aclient.messages.create(model=MODEL, max_tokens=5, messages=USER)
    post(ahttp, body(model="other"), **{"x-api-key": "sk-ant-a-much-longer-secret-key-42"})
    log = ahttp.get("/__emulator__/requests").json()
    first, second = log["data"]
    assert (first["method"], first["path"]) == ("POST", "/v1/messages")
    assert first["body"]["max_tokens"] == 5
    assert first["script"] == {"scenario": "long"} and first["script_source"] == "queue"
    assert "sk-ant-test" not in json.dumps(first["headers"])
    assert second["headers"]["x-api-key"] == "sk-***y-42" and second["script"] is None
    assert [
        e["body"]["model"] for e in ahttp.get("/__emulator__/requests?limit=1").json()["data"]
    ] == ["other"]


def test_invalid_scripts(ahttp: httpx.Client) -> None:
    response = post(ahttp, body(), **{"x-emulator-status": "soon"})
    assert check_error(response, 400, "invalid_request_error").startswith(
        "Invalid emulator script: header x-emulator-status must be an integer"
    )
    typo = post(ahttp, body(), **{"x-emulator-typo": "1"})
    assert check_error(typo, 400, "invalid_request_error").endswith(
        "unknown emulator header x-emulator-typo"
    )
    rejected = ahttp.post("/__emulator__/scripts", json=[{"plan": {"blocks": [{}]}}])
    assert rejected.status_code == 400 and rejected.json()["error"]["type"] == "emulator_error"


def test_lip_emulate_knows_the_emulator() -> None:
    args = build_parser().parse_args(["emulate", "anthropic-messages", "--port", "0"])
    assert args.protocol == "anthropic-messages"
