"""The OpenAI Chat Completions emulator over a real loopback socket, with the
official ``openai`` SDK (and raw httpx where the SDK would hide the wire)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest

from refbackends.openai_chat import create_app
from refbackends.serving import serve_in_thread

SECRET = "sk-emulator-secret-0123456789abcd"
USER = [{"role": "user", "content": "hello there world"}]
WEATHER_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "days": {"type": "integer", "minimum": 1},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "verbose": {"type": "boolean"},
            },
            "required": ["city", "days", "unit"],
        },
    },
}
TIME_TOOL: Any = {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}}}


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_in_thread(create_app()) as url:
        yield url


@pytest.fixture(scope="module")
def secured_url() -> Iterator[str]:
    with serve_in_thread(create_app(api_key=SECRET)) as url:
        yield url


@pytest.fixture(scope="module")
def shared_http(base_url: str) -> Iterator[httpx.Client]:
    # Clients are module scoped: building one costs ~0.1 s (TLS context).
    with httpx.Client(base_url=base_url, timeout=5) as client:
        yield client


@pytest.fixture(scope="module")
def shared_sdk(base_url: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=f"{base_url}/v1", api_key="sk-test", max_retries=0, timeout=5) as sdk:
        yield sdk


@pytest.fixture
def http(shared_http: httpx.Client) -> httpx.Client:
    """A raw client on a reset emulator (empty script queue and request log)."""
    shared_http.delete("/__emulator__/scripts").raise_for_status()
    shared_http.delete("/__emulator__/requests").raise_for_status()
    return shared_http


@pytest.fixture
def client(shared_sdk: openai.OpenAI, http: httpx.Client) -> openai.OpenAI:
    """The official SDK on a reset emulator."""
    return shared_sdk


def sse_payloads(body: bytes) -> list[str]:
    """The ``data:`` payloads of a complete SSE body."""
    assert body.endswith(b"\n\n")
    return [frame.removeprefix(b"data: ").decode() for frame in body.split(b"\n\n") if frame]


def call_tuples(calls: Any) -> list[tuple[str, str, str]]:
    """(id, name, arguments) of SDK tool calls, whichever model class holds them."""
    return [(call.id, call.function.name, call.function.arguments) for call in calls or []]


def post(http: httpx.Client, body: object, **headers: str) -> httpx.Response:
    return http.post("/v1/chat/completions", content=json.dumps(body), headers=headers)


# --- default behaviour ------------------------------------------------------


def test_unary_text_has_the_api_shape(client: openai.OpenAI) -> None:
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o", messages=USER)
    assert raw.headers["x-request-id"].startswith("req_")
    assert raw.headers["content-type"] == "application/json"
    body = json.loads(raw.text)
    assert body["object"] == "chat.completion"
    assert body["id"].startswith("chatcmpl-")
    assert body["choices"][0]["message"] == {
        "role": "assistant",
        "content": "Echo: hello there world",
        "refusal": None,
        "annotations": [],
    }
    assert body["choices"][0]["logprobs"] is None
    assert body["service_tier"] == "default"
    assert body["system_fingerprint"].startswith("fp_")
    completion = raw.parse()
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (3, 4)
    assert completion.usage.total_tokens == 7


def test_content_parts_are_joined(client: openai.OpenAI) -> None:
    parts: Any = [{"type": "text", "text": "one"}, {"type": "text", "text": "two"}]
    completion = client.chat.completions.create(model="m", messages=[{"role": "user", "content": parts}])
    assert completion.choices[0].message.content == "Echo: one two"


def test_same_request_same_body(http: httpx.Client) -> None:
    body = {"model": "gpt-4o", "messages": USER}
    assert post(http, body).content == post(http, body).content


def test_stream_matches_unary_and_reports_usage(client: openai.OpenAI) -> None:
    unary = client.chat.completions.create(model="gpt-4o", messages=USER)
    chunks = list(
        client.chat.completions.create(
            model="gpt-4o", messages=USER, stream=True, stream_options={"include_usage": True}
        )
    )
    assert len({chunk.id for chunk in chunks}) == 1
    first = chunks[0].choices[0].delta
    assert (first.role, first.content, first.refusal) == ("assistant", "", None)
    pieces = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(pieces) == 4
    assert "".join(pieces) == unary.choices[0].message.content
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage == unary.usage
    assert all(chunk.usage is None for chunk in chunks[:-1])


def test_stream_wire_framing(http: httpx.Client) -> None:
    response = post(http, {"model": "m", "messages": USER, "stream": True})
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["openai-processing-ms"] == "0"
    payloads = sse_payloads(response.content)
    assert payloads[-1] == "[DONE]"
    chunks = [json.loads(p) for p in payloads[:-1]]
    assert all(chunk["object"] == "chat.completion.chunk" for chunk in chunks)
    assert all("usage" not in chunk for chunk in chunks)  # include_usage not requested
    assert chunks[-1]["choices"][0] == {"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}


def test_tool_call_unary_fills_required_arguments(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(model="m", messages=USER, tools=[WEATHER_TOOL, TIME_TOOL])
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    assert choice.message.tool_calls is not None
    (call,) = choice.message.tool_calls
    assert call.type == "function"
    assert call.id.startswith("call_")
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"city": "city", "days": 1, "unit": "celsius"}


def test_tool_choice_names_the_tool(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="m",
        messages=USER,
        tools=[WEATHER_TOOL, TIME_TOOL],
        tool_choice={"type": "function", "function": {"name": "get_time"}},
    )
    assert completion.choices[0].message.tool_calls is not None
    assert completion.choices[0].message.tool_calls[0].function.name == "get_time"


def test_tool_choice_none_replies_text(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(model="m", messages=USER, tools=[WEATHER_TOOL], tool_choice="none")
    assert completion.choices[0].message.content == "Echo: hello there world"


def test_streamed_tool_call_is_reassembled_by_the_sdk(client: openai.OpenAI, http: httpx.Client) -> None:
    unary = client.chat.completions.create(model="m", messages=USER, tools=[WEATHER_TOOL])
    with client.chat.completions.stream(model="m", messages=USER, tools=[WEATHER_TOOL]) as stream:
        folded = stream.get_final_completion()
    assert folded.choices[0].finish_reason == "tool_calls"
    assert call_tuples(folded.choices[0].message.tool_calls) == call_tuples(unary.choices[0].message.tool_calls)
    # On the wire: every tool-call delta carries its index; only the first has id/name.
    raw = post(http, {"model": "m", "messages": USER, "tools": [WEATHER_TOOL], "stream": True})
    deltas = [json.loads(p)["choices"][0]["delta"] for p in sse_payloads(raw.content)[:-1]]
    calls = [call for delta in deltas for call in delta.get("tool_calls", [])]
    assert len(calls) > 3
    assert all("index" in call for call in calls)
    assert calls[0]["function"] == {"name": "get_weather", "arguments": ""}
    assert all("id" not in call for call in calls[1:])
    assert deltas[0]["role"] == "assistant"


def test_tool_results_turn_replies_text(client: openai.OpenAI) -> None:
    messages: Any = [
        *USER,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "12:00"},
    ]
    completion = client.chat.completions.create(model="m", messages=messages, tools=[TIME_TOOL])
    assert completion.choices[0].message.content == "Tool results: 12:00"


def test_n_choices_stream_and_unary(client: openai.OpenAI) -> None:
    unary = client.chat.completions.create(model="m", messages=USER, n=3)
    assert [c.index for c in unary.choices] == [0, 1, 2]
    chunks = list(client.chat.completions.create(model="m", messages=USER, n=3, stream=True))
    for index in range(3):
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices[0].index == index)
        assert text == unary.choices[index].message.content


def test_max_tokens_and_stop(client: openai.OpenAI) -> None:
    cut = client.chat.completions.create(model="m", messages=USER, max_tokens=2)
    assert (cut.choices[0].message.content, cut.choices[0].finish_reason) == ("Echo: hello", "length")
    stopped = client.chat.completions.create(model="m", messages=USER, stop=[" world"])
    assert (stopped.choices[0].message.content, stopped.choices[0].finish_reason) == ("Echo: hello there", "stop")


def test_json_schema_response_format(client: openai.OpenAI) -> None:
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}
    completion = client.chat.completions.create(
        model="m",
        messages=USER,
        response_format={"type": "json_schema", "json_schema": {"name": "out", "schema": schema}},
    )
    assert json.loads(completion.choices[0].message.content or "") == {"answer": "answer"}


# --- validation --------------------------------------------------------------


def _body(**overrides: object) -> dict[str, object]:
    return {"model": "m", "messages": USER, **overrides}


TOOL_CALL_TURN: Any = {
    "role": "assistant",
    "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}],
}

INVALID: list[tuple[object, str | None, str | None, str]] = [
    (b"{not json", None, None, "We could not parse the JSON body of your request."),
    ([], None, "invalid_type", "Invalid type for body: expected an object, but got an array instead."),
    ({"messages": USER}, None, None, "you must provide a model parameter"),
    ({"model": "m"}, "messages", "missing_required_parameter", "Missing required parameter: 'messages'."),
    (_body(messages=[]), "messages", "empty_array", "Invalid 'messages': empty array."),
    (_body(messages=[{"content": "x"}]), "messages[0].role", "missing_required_parameter", "'messages[0].role'"),
    (_body(messages=[{"role": "robot", "content": "x"}]), "messages[0].role", "invalid_value", "'robot'"),
    (
        _body(temperature="hot"),
        "temperature",
        "invalid_type",
        "Invalid type for 'temperature': expected a decimal, but got a string instead.",
    ),
    (_body(temperature=3), "temperature", "decimal_above_max_value", "Expected a value <= 2, but got 3 instead."),
    (_body(n=1.5), "n", "invalid_type", "Invalid type for 'n': expected an integer, but got a decimal instead."),
    (
        _body(tools=[{"type": "browser"}]),
        "tools[0].type",
        "invalid_value",
        "Invalid value: 'browser'. Supported values are: 'function' and 'custom'.",
    ),
    (_body(top_k=3), None, None, "Unrecognized request argument supplied: top_k"),
    (_body(tool_choice="auto"), "tool_choice", None, "'tool_choice' is only allowed when 'tools' are specified."),
    (_body(stream_options={"include_usage": True}), "stream_options", None, "only allowed when 'stream' is enabled"),
    (
        _body(messages=[*USER, {"role": "tool", "tool_call_id": "call_1", "content": "x"}]),
        "messages.[1].role",
        None,
        "messages with role 'tool' must be a response to a preceeding message with 'tool_calls'",
    ),
    (
        _body(messages=[*USER, TOOL_CALL_TURN, *USER]),
        "messages.[1].role",
        None,
        "did not have response messages: call_1",
    ),
]


@pytest.mark.parametrize(("body", "param", "code", "message"), INVALID)
def test_invalid_requests_get_openai_400s(
    http: httpx.Client, body: object, param: str | None, code: str | None, message: str
) -> None:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = http.post("/v1/chat/completions", content=content)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert (error["param"], error["code"]) == (param, code)
    assert message in error["message"]


def test_sdk_raises_bad_request(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="m", messages=USER, extra_body={"top_k": 1})
    assert caught.value.status_code == 400


# --- scripted statuses and scenarios ----------------------------------------

STATUSES: list[tuple[int, type[openai.APIStatusError], str, str | None]] = [
    (400, openai.BadRequestError, "invalid_request_error", "context_length_exceeded"),
    (401, openai.AuthenticationError, "invalid_request_error", "invalid_api_key"),
    (403, openai.PermissionDeniedError, "request_forbidden", "unsupported_country_region_territory"),
    (404, openai.NotFoundError, "invalid_request_error", "model_not_found"),
    (429, openai.RateLimitError, "requests", "rate_limit_exceeded"),
    (500, openai.InternalServerError, "server_error", None),
    (503, openai.InternalServerError, "server_error", None),
]


@pytest.mark.parametrize(("status", "exc_type", "error_type", "code"), STATUSES)
def test_status_scripts_raise_the_sdk_exception(
    client: openai.OpenAI, status: int, exc_type: type[openai.APIStatusError], error_type: str, code: str | None
) -> None:
    with pytest.raises(exc_type) as caught:
        client.chat.completions.create(model="gpt-4o", messages=USER, extra_headers={"x-emulator-status": str(status)})
    error = caught.value
    assert error.status_code == status
    assert isinstance(error.body, dict)
    assert set(error.body) == {"message", "type", "param", "code"}
    assert (error.type, error.code) == (error_type, code)
    if status == 404:
        assert error.body["message"] == "The model `gpt-4o` does not exist or you do not have access to it."
    if status == 401:
        assert "sk-test" not in error.body["message"]


def test_rate_limit_carries_retry_after(client: openai.OpenAI, http: httpx.Client) -> None:
    http.post("/__emulator__/scripts", json=[{"status": 429, "retry_after": 7}]).raise_for_status()
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="m", messages=USER, stream=True)
    assert caught.value.response.headers["retry-after"] == "7"
    assert caught.value.response.headers["x-ratelimit-remaining-requests"] == "0"


@pytest.mark.parametrize("scenario", ["length", "content_filter", "refusal", "empty", "unicode", "long"])
def test_scenario_stream_folds_to_unary(client: openai.OpenAI, scenario: str) -> None:
    headers = {"x-emulator-scenario": scenario}
    unary = client.chat.completions.create(model="m", messages=USER, extra_headers=headers)
    chunks = list(client.chat.completions.create(model="m", messages=USER, stream=True, extra_headers=headers))
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
    [("length", openai.LengthFinishReasonError), ("content_filter", openai.ContentFilterFinishReasonError)],
)
def test_sdk_stream_helper_rejects_truncated_replies(
    client: openai.OpenAI, scenario: str, error: type[Exception]
) -> None:
    headers = {"x-emulator-scenario": scenario}
    with client.chat.completions.stream(model="m", messages=USER, extra_headers=headers) as stream:
        with pytest.raises(error):
            stream.get_final_completion()


def test_unicode_is_raw_utf8_on_the_wire(http: httpx.Client) -> None:
    raw = post(http, {"model": "m", "messages": USER, "stream": True}, **{"x-emulator-scenario": "unicode"})
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
    calls = unary.choices[0].message.tool_calls
    assert calls is not None
    assert [call.function.name for call in calls] == ["get_weather", "get_time"]
    assert len({call.id for call in calls}) == 2
    assert call_tuples(folded.choices[0].message.tool_calls) == call_tuples(calls)


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
    scripts = [{"text": "scripted words"}, {"tool_calls": [{"name": "lookup", "arguments": {"q": "x"}}]}]
    http.post("/__emulator__/scripts", json=scripts).raise_for_status()
    assert client.chat.completions.create(model="m", messages=USER).choices[0].message.content == "scripted words"
    calls = client.chat.completions.create(model="m", messages=USER).choices[0].message.tool_calls
    assert calls is not None
    assert (calls[0].function.name, calls[0].function.arguments) == ("lookup", '{"q":"x"}')


# --- timing and cuts -----------------------------------------------------------


def test_cut_after_drops_the_connection_mid_stream(http: httpx.Client) -> None:
    frames: list[bytes] = []
    body = {"model": "m", "messages": USER, "stream": True}
    with http.stream("POST", "/v1/chat/completions", json=body, headers={"x-emulator-cut-after": "3"}) as response:
        assert response.status_code == 200
        with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
            for chunk in response.iter_bytes():
                frames.append(chunk)
    received = b"".join(frames)
    assert received.count(b"data: ") == 3
    assert b"[DONE]" not in received and b'finish_reason":"stop' not in received


def test_cut_stream_surfaces_as_connection_error_in_the_sdk(client: openai.OpenAI, http: httpx.Client) -> None:
    http.post("/__emulator__/scripts", json={"cut_after": 2}).raise_for_status()
    stream = client.chat.completions.create(model="m", messages=USER, stream=True)
    with pytest.raises(openai.APIConnectionError):
        for _ in stream:
            pass


def test_cut_after_on_a_unary_response(http: httpx.Client) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match="incomplete message body|complete message body"):
        post(http, {"model": "m", "messages": USER}, **{"x-emulator-cut-after": "10"})


def test_delay_before_first_byte(http: httpx.Client) -> None:
    started = time.monotonic()
    response = post(http, {"model": "m", "messages": USER}, **{"x-emulator-delay-ms": "200"})
    assert time.monotonic() - started >= 0.19
    assert response.headers["openai-processing-ms"] == "200"


def test_chunk_delay_spaces_frames(http: httpx.Client) -> None:
    body = {"model": "m", "messages": USER, "stream": True}
    arrivals: list[float] = []
    with http.stream("POST", "/v1/chat/completions", json=body, headers={"x-emulator-chunk-delay-ms": "40"}) as r:
        for line in r.iter_lines():
            if line:
                arrivals.append(time.monotonic())
    # 7 frames (role, 4 words, finish, [DONE]) -> 6 gaps of 40 ms
    assert len(arrivals) == 7
    assert arrivals[-1] - arrivals[0] >= 6 * 0.04 - 0.02


def test_client_disconnect_stops_the_stream() -> None:
    body = {"model": "m", "messages": USER, "stream": True}
    # 360 frames, 200 ms apart: a stream that outlived its client would hold
    # the server's shutdown for its whole grace period.
    headers = {"x-emulator-scenario": "long", "x-emulator-chunk-delay-ms": "200"}
    with serve_in_thread(create_app()) as url:
        with httpx.Client(base_url=url, timeout=5) as raw:
            with raw.stream("POST", "/v1/chat/completions", json=body, headers=headers) as response:
                assert next(response.iter_lines()).startswith("data: ")
        closing = time.monotonic()
    assert time.monotonic() - closing < 1.0


# --- queue, log, auth, models ---------------------------------------------


def test_script_queue_is_fifo_and_headers_win(client: openai.OpenAI, http: httpx.Client) -> None:
    queued = http.post("/__emulator__/scripts", json=[{"text": "first"}, {"status": 429}, {"scenario": "refusal"}])
    assert queued.json() == {"queued": 3, "pending": 3}
    header_scripted = client.chat.completions.create(
        model="m", messages=USER, extra_headers={"x-emulator-text": "from header"}
    )
    assert header_scripted.choices[0].message.content == "from header"
    assert client.chat.completions.create(model="m", messages=USER).choices[0].message.content == "first"
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(model="m", messages=USER)
    assert http.get("/__emulator__/scripts").json() == {"pending": [{"scenario": "refusal"}]}
    assert client.chat.completions.create(model="m", messages=USER).choices[0].message.refusal is not None
    assert client.chat.completions.create(model="m", messages=USER).choices[0].message.content == (
        "Echo: hello there world"
    )
    http.post("/__emulator__/scripts", json={"text": "x"})
    assert http.delete("/__emulator__/scripts").json() == {"cleared": 1}


@pytest.mark.parametrize(
    "scripts", [[{"status": "429"}], [{"scenario": "nope"}], [{"colour": "red"}], [{"cut_after": -1}], ["text"]]
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


def test_request_log_records_bodies_and_masks_keys(client: openai.OpenAI, http: httpx.Client) -> None:
    http.post("/__emulator__/scripts", json={"scenario": "long"})
    client.chat.completions.create(model="m", messages=USER, max_tokens=5)
    client.with_options(api_key="sk-a-much-longer-secret-key-42").chat.completions.create(model="n", messages=USER)
    log = http.get("/__emulator__/requests").json()
    first, second = log["data"]
    assert first["method"] == "POST" and first["path"] == "/v1/chat/completions"
    assert first["body"]["max_tokens"] == 5
    assert first["headers"]["authorization"] == "Bearer ***"
    assert first["script"] == {"scenario": "long"} and first["script_source"] == "queue"
    assert second["headers"]["authorization"] == "Bearer sk-***y-42"
    assert second["script"] is None
    assert [e["body"]["model"] for e in http.get("/__emulator__/requests?limit=1").json()["data"]] == ["n"]
    assert http.delete("/__emulator__/requests").json() == {"cleared": 2}
    assert http.get("/__emulator__/requests").json()["data"] == []


def test_api_key_is_enforced_without_echoing_it(secured_url: str) -> None:
    wrong_key = "sk-wrong-key-abcdefghijklmnop-9876"
    with openai.OpenAI(base_url=f"{secured_url}/v1", api_key=wrong_key, max_retries=0) as wrong:
        with pytest.raises(openai.AuthenticationError) as caught:
            wrong.chat.completions.create(model="m", messages=USER)
    assert caught.value.code == "invalid_api_key"
    message = str(caught.value.body["message"]) if isinstance(caught.value.body, dict) else ""
    assert message.startswith("Incorrect API key provided: sk-wrong")
    assert wrong_key not in message and "9876" in message
    with httpx.Client(base_url=secured_url) as raw:
        missing = raw.get("/v1/models")
        assert missing.status_code == 401
        assert missing.json()["error"]["message"].startswith("You didn't provide an API key.")
    with openai.OpenAI(base_url=f"{secured_url}/v1", api_key=SECRET, max_retries=0) as right:
        assert right.chat.completions.create(model="m", messages=USER).choices[0].message.content
        assert right.models.list().data


def test_models_health_and_unknown_routes(client: openai.OpenAI, http: httpx.Client) -> None:
    models = client.models.list()
    assert "gpt-4o" in [model.id for model in models.data]
    assert client.models.retrieve("gpt-4o-mini").owned_by == "system"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-none")
    assert http.get("/models").json()["object"] == "list"
    assert post_unprefixed(http).status_code == 200
    assert http.get("/healthz").json() == {"status": "ok"}
    unknown = http.post("/v1/nothing")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"] == "Invalid URL (POST /v1/nothing)"
    assert http.get("/v1/chat/completions").json()["error"]["message"].startswith("Invalid method for URL")


def post_unprefixed(http: httpx.Client) -> httpx.Response:
    return http.post("/chat/completions", json={"model": "m", "messages": USER})
