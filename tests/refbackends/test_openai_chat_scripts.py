"""Scripting the OpenAI Chat Completions emulator: status scripts,
scenarios, forced replies, timing, cuts, the script queue and the request
log, over a real loopback socket. Fixtures live in ``conftest.py``."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import openai
import pytest

from refbackends.openai_chat import create_app
from refbackends.serving import serve_in_thread

USER: Any = [{"role": "user", "content": "hello there world"}]
WEATHER_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
TIME_TOOL: Any = {
    "type": "function",
    "function": {"name": "get_time", "parameters": {"type": "object"}},
}


def call_tuples(calls: Any) -> list[tuple[str, str, str]]:
    """(id, name, arguments) of SDK tool calls, whichever model class holds them."""
    return [(call.id, call.function.name, call.function.arguments) for call in calls or []]


def post(http: httpx.Client, body: object, **headers: str) -> httpx.Response:
    return http.post("/v1/chat/completions", content=json.dumps(body), headers=headers)


# --- scripted statuses and scenarios ----------------------------------------

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
    client: openai.OpenAI,
    status: int,
    exc_type: type[openai.APIStatusError],
    error_type: str,
    code: str | None,
) -> None:
    with pytest.raises(exc_type) as caught:
        client.chat.completions.create(
            model="gpt-4o", messages=USER, extra_headers={"x-emulator-status": str(status)}
        )
    error = caught.value
    assert error.status_code == status
    assert isinstance(error.body, dict)
    assert set(error.body) == {"message", "type", "param", "code"}
    assert (error.type, error.code) == (error_type, code)
    if status == 404:
        assert (
            error.body["message"]
            == "The model `gpt-4o` does not exist or you do not have access to it."
        )
    if status == 401:
        assert "sk-test" not in error.body["message"]


def test_rate_limit_carries_retry_after(client: openai.OpenAI, http: httpx.Client) -> None:
    http.post("/__emulator__/scripts", json=[{"status": 429, "retry_after": 7}]).raise_for_status()
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="m", messages=USER, stream=True)
    assert caught.value.response.headers["retry-after"] == "7"
    assert caught.value.response.headers["x-ratelimit-remaining-requests"] == "0"


@pytest.mark.parametrize(
    "scenario", ["length", "content_filter", "refusal", "empty", "unicode", "long"]
)
def test_scenario_stream_folds_to_unary(client: openai.OpenAI, scenario: str) -> None:
    headers = {"x-emulator-scenario": scenario}
    unary = client.chat.completions.create(model="m", messages=USER, extra_headers=headers)
    chunks = list(
        client.chat.completions.create(model="m", messages=USER, stream=True, extra_headers=headers)
    )
    assert {chunk.id for chunk in chunks} == {unary.id}
    deltas = [chunk.choices[0].delta for chunk in chunks]
    choice = unary.choices[0]
    assert chunks[-1].choices[0].finish_reason == choice.finish_reason
    if choice.message.content is not None:
        assert "".join(d.content or "" for d in deltas) == choice.message.content
    if choice.message.refusal is not None:
        assert "".join(d.refusal or "" for d in deltas) == choice.message.refusal
    expected_finish = {"length": "length", "content_filter": "content_filter"}.get(scenario, "stop")
    assert choice.finish_reason == expected_finish
    if scenario == "refusal":
        assert (choice.message.content, choice.message.refusal) == (
            None,
            "I'm sorry, but I can't help with that request.",
        )
    if scenario == "empty":
        assert choice.message.content == ""
    if scenario == "long":
        assert len(chunks) > 300


@pytest.mark.parametrize(
    ("scenario", "error"),
    [
        ("length", openai.LengthFinishReasonError),
        ("content_filter", openai.ContentFilterFinishReasonError),
    ],
)
def test_sdk_stream_helper_rejects_truncated_replies(
    client: openai.OpenAI, scenario: str, error: type[Exception]
) -> None:
    headers = {"x-emulator-scenario": scenario}
    stream = client.chat.completions.stream(model="m", messages=USER, extra_headers=headers)
    with stream as events, pytest.raises(error):
        events.get_final_completion()


def test_unicode_is_raw_utf8_on_the_wire(http: httpx.Client) -> None:
    raw = post(
        http, {"model": "m", "messages": USER, "stream": True}, **{"x-emulator-scenario": "unicode"}
    )
    assert "🌍🚀".encode() in raw.content
    assert b"\\u" not in raw.content


def test_parallel_tool_calls_scenario(client: openai.OpenAI) -> None:
    headers = {"x-emulator-scenario": "parallel_tool_calls"}
    unary = client.chat.completions.create(
        model="m", messages=USER, tools=[WEATHER_TOOL, TIME_TOOL], extra_headers=headers
    )
    with client.chat.completions.stream(
        model="m", messages=USER, tools=[WEATHER_TOOL, TIME_TOOL], extra_headers=headers
    ) as stream:
        folded = stream.get_final_completion()
    calls = call_tuples(unary.choices[0].message.tool_calls)
    assert [name for _, name, _ in calls] == ["get_weather", "get_time"]
    assert len({call_id for call_id, _, _ in calls}) == 2
    assert call_tuples(folded.choices[0].message.tool_calls) == calls


def test_stream_error_scenario(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="m", messages=USER, stream=True, extra_headers={"x-emulator-scenario": "stream_error"}
    )
    seen: list[str] = []
    with pytest.raises(openai.APIError) as caught:
        for chunk in stream:
            seen.append(chunk.choices[0].delta.content or "")
    assert seen  # some output came first
    assert caught.value.type == "server_error"


def test_forced_text_and_tool_calls(client: openai.OpenAI, http: httpx.Client) -> None:
    scripts = [
        {"text": "scripted words"},
        {"tool_calls": [{"name": "lookup", "arguments": {"q": "x"}}]},
    ]
    http.post("/__emulator__/scripts", json=scripts).raise_for_status()
    assert (
        client.chat.completions.create(model="m", messages=USER).choices[0].message.content
        == "scripted words"
    )
    calls = client.chat.completions.create(model="m", messages=USER).choices[0].message.tool_calls
    assert [(name, arguments) for _, name, arguments in call_tuples(calls)] == [
        ("lookup", '{"q":"x"}')
    ]


# --- timing and cuts -----------------------------------------------------------


def test_cut_after_drops_the_connection_mid_stream(http: httpx.Client) -> None:
    frames: list[bytes] = []
    body = {"model": "m", "messages": USER, "stream": True}
    with http.stream(
        "POST", "/v1/chat/completions", json=body, headers={"x-emulator-cut-after": "3"}
    ) as response:
        assert response.status_code == 200
        with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
            for chunk in response.iter_bytes():
                frames.append(chunk)
    received = b"".join(frames)
    assert received.count(b"data: ") == 3
    assert b"[DONE]" not in received and b'finish_reason":"stop' not in received


def test_cut_stream_surfaces_as_connection_error_in_the_sdk(
    client: openai.OpenAI, http: httpx.Client
) -> None:
    http.post("/__emulator__/scripts", json={"cut_after": 2}).raise_for_status()
    stream = client.chat.completions.create(model="m", messages=USER, stream=True)
    with pytest.raises(openai.APIConnectionError):
        for _ in stream:
            pass


def test_cut_after_on_a_unary_response(http: httpx.Client) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match="without sending complete message body"):
        post(http, {"model": "m", "messages": USER}, **{"x-emulator-cut-after": "10"})


def test_delay_before_first_byte(http: httpx.Client) -> None:
    started = time.monotonic()
    response = post(http, {"model": "m", "messages": USER}, **{"x-emulator-delay-ms": "200"})
    assert time.monotonic() - started >= 0.19
    assert response.headers["openai-processing-ms"] == "200"


def test_chunk_delay_spaces_frames(http: httpx.Client) -> None:
    body = {"model": "m", "messages": USER, "stream": True}
    arrivals: list[float] = []
    sent = time.monotonic()
    with http.stream(
        "POST", "/v1/chat/completions", json=body, headers={"x-emulator-chunk-delay-ms": "40"}
    ) as r:
        for line in r.iter_lines():
            if line:
                arrivals.append(time.monotonic())
    # 7 frames (role, 4 words, finish, [DONE]) -> 6 gaps of 40 ms, all after the
    # request was sent (timed from there: a first frame read late cannot shorten it)
    assert len(arrivals) == 7
    assert arrivals[-1] - sent >= 6 * 0.04 - 0.02


def test_client_disconnect_stops_the_stream() -> None:
    body = {"model": "m", "messages": USER, "stream": True}
    # 360 frames, 200 ms apart: a stream that outlived its client would hold
    # the server's shutdown for its whole grace period.
    headers = {"x-emulator-scenario": "long", "x-emulator-chunk-delay-ms": "200"}
    with serve_in_thread(create_app()) as url:
        with (
            httpx.Client(base_url=url, timeout=5) as raw,
            raw.stream("POST", "/v1/chat/completions", json=body, headers=headers) as response,
        ):
            assert next(response.iter_lines()).startswith("data: ")
        closing = time.monotonic()
    # The stream would run 72 s: shutting down well before that means it stopped.
    assert time.monotonic() - closing < 30


# --- queue, log, auth, models ---------------------------------------------


def test_script_queue_is_fifo_and_headers_win(client: openai.OpenAI, http: httpx.Client) -> None:
    queued = http.post(
        "/__emulator__/scripts", json=[{"text": "first"}, {"status": 429}, {"scenario": "refusal"}]
    )
    assert queued.json() == {"queued": 3, "pending": 3}
    header_scripted = client.chat.completions.create(
        model="m", messages=USER, extra_headers={"x-emulator-text": "from header"}
    )
    assert header_scripted.choices[0].message.content == "from header"
    assert (
        client.chat.completions.create(model="m", messages=USER).choices[0].message.content
        == "first"
    )
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(model="m", messages=USER)
    assert http.get("/__emulator__/scripts").json() == {"pending": [{"scenario": "refusal"}]}
    assert (
        client.chat.completions.create(model="m", messages=USER).choices[0].message.refusal
        is not None
    )
    assert client.chat.completions.create(model="m", messages=USER).choices[0].message.content == (
        "Echo: hello there world"
    )
    http.post("/__emulator__/scripts", json={"text": "x"})
    assert http.delete("/__emulator__/scripts").json() == {"cleared": 1}


@pytest.mark.parametrize(
    "scripts",
    [
        [{"status": "429"}],
        [{"scenario": "nope"}],
        [{"colour": "red"}],
        [{"cut_after": -1}],
        ["text"],
    ],
)
def test_invalid_scripts_are_rejected(http: httpx.Client, scripts: object) -> None:
    response = http.post("/__emulator__/scripts", json=scripts)
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "emulator_error"
    assert http.get("/__emulator__/scripts").json() == {"pending": []}


def test_invalid_script_header(http: httpx.Client) -> None:
    response = post(http, {"model": "m", "messages": USER}, **{"x-emulator-status": "soon"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "emulator_script_error"
    response = post(http, {"model": "m", "messages": USER}, **{"x-emulator-typo": "1"})
    assert response.json()["error"]["message"].endswith("unknown emulator header x-emulator-typo")


def test_request_log_records_bodies_and_masks_keys(
    client: openai.OpenAI, http: httpx.Client
) -> None:
    http.post("/__emulator__/scripts", json={"scenario": "long"})
    client.chat.completions.create(model="m", messages=USER, max_tokens=5)
    client.with_options(api_key="sk-a-much-longer-secret-key-42").chat.completions.create(
        model="n", messages=USER
    )
    log = http.get("/__emulator__/requests").json()
    first, second = log["data"]
    assert first["method"] == "POST" and first["path"] == "/v1/chat/completions"
    assert first["body"]["max_tokens"] == 5
    assert first["headers"]["authorization"] == "Bearer ***"
    assert first["script"] == {"scenario": "long"} and first["script_source"] == "queue"
    assert second["headers"]["authorization"] == "Bearer sk-***y-42"
    assert second["script"] is None
    assert [
        e["body"]["model"] for e in http.get("/__emulator__/requests?limit=1").json()["data"]
    ] == ["n"]
    assert http.delete("/__emulator__/requests").json() == {"cleared": 2}
    assert http.get("/__emulator__/requests").json()["data"] == []
