"""The OpenAI Chat Completions emulator's default behaviour, validation,
auth and models, over a real loopback socket with the official ``openai``
SDK (and raw httpx where the SDK would hide the wire). Fixtures live in
``conftest.py``."""

from __future__ import annotations

import json
from typing import Any

import httpx
import openai
import pytest

USER: Any = [{"role": "user", "content": "hello there world"}]
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
TIME_TOOL: Any = {
    "type": "function",
    "function": {"name": "get_time", "parameters": {"type": "object"}},
}


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
    completion = client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": parts}]
    )
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
    pieces = [
        c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content
    ]
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
    assert chunks[-1]["choices"][0] == {
        "index": 0,
        "delta": {},
        "logprobs": None,
        "finish_reason": "stop",
    }


def test_tool_call_unary_fills_required_arguments(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="m", messages=USER, tools=[WEATHER_TOOL, TIME_TOOL]
    )
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
    assert [name for _, name, _ in call_tuples(completion.choices[0].message.tool_calls)] == [
        "get_time"
    ]


def test_tool_choice_none_replies_text(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="m", messages=USER, tools=[WEATHER_TOOL], tool_choice="none"
    )
    assert completion.choices[0].message.content == "Echo: hello there world"


def test_streamed_tool_call_is_reassembled_by_the_sdk(
    client: openai.OpenAI, http: httpx.Client
) -> None:
    unary = client.chat.completions.create(model="m", messages=USER, tools=[WEATHER_TOOL])
    with client.chat.completions.stream(model="m", messages=USER, tools=[WEATHER_TOOL]) as stream:
        folded = stream.get_final_completion()
    assert folded.choices[0].finish_reason == "tool_calls"
    assert call_tuples(folded.choices[0].message.tool_calls) == call_tuples(
        unary.choices[0].message.tool_calls
    )
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
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_time", "arguments": "{}"},
                }
            ],
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
        text = "".join(
            c.choices[0].delta.content or "" for c in chunks if c.choices[0].index == index
        )
        assert text == unary.choices[index].message.content


def test_max_tokens_and_stop(client: openai.OpenAI) -> None:
    cut = client.chat.completions.create(model="m", messages=USER, max_tokens=2)
    assert (cut.choices[0].message.content, cut.choices[0].finish_reason) == (
        "Echo: hello",
        "length",
    )
    stopped = client.chat.completions.create(model="m", messages=USER, stop=[" world"])
    assert (stopped.choices[0].message.content, stopped.choices[0].finish_reason) == (
        "Echo: hello there",
        "stop",
    )


def test_json_schema_response_format(client: openai.OpenAI) -> None:
    schema: Any = {
        "type": "object",
        "properties": {"answer": {"type": "string"}},
        "required": ["answer"],
    }
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
    "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    ],
}

INVALID: list[tuple[object, str | None, str | None, str]] = [
    (b"{not json", None, None, "We could not parse the JSON body of your request."),
    (
        [],
        None,
        "invalid_type",
        "Invalid type for body: expected an object, but got an array instead.",
    ),
    ({"messages": USER}, None, None, "you must provide a model parameter"),
    (
        {"model": "m"},
        "messages",
        "missing_required_parameter",
        "Missing required parameter: 'messages'.",
    ),
    (_body(messages=[]), "messages", "empty_array", "Invalid 'messages': empty array."),
    (
        _body(messages=[{"content": "x"}]),
        "messages[0].role",
        "missing_required_parameter",
        "'messages[0].role'",
    ),
    (
        _body(messages=[{"role": "robot", "content": "x"}]),
        "messages[0].role",
        "invalid_value",
        "'robot'",
    ),
    (
        _body(temperature="hot"),
        "temperature",
        "invalid_type",
        "Invalid type for 'temperature': expected a decimal, but got a string instead.",
    ),
    (
        _body(temperature=3),
        "temperature",
        "decimal_above_max_value",
        "Expected a value <= 2, but got 3 instead.",
    ),
    (
        _body(n=1.5),
        "n",
        "invalid_type",
        "Invalid type for 'n': expected an integer, but got a decimal instead.",
    ),
    (
        _body(tools=[{"type": "browser"}]),
        "tools[0].type",
        "invalid_value",
        "Invalid value: 'browser'. Supported values are: 'function' and 'custom'.",
    ),
    (_body(top_k=3), None, None, "Unrecognized request argument supplied: top_k"),
    (
        _body(tool_choice="auto"),
        "tool_choice",
        None,
        "'tool_choice' is only allowed when 'tools' are specified.",
    ),
    (
        _body(stream_options={"include_usage": True}),
        "stream_options",
        None,
        "only allowed when 'stream' is enabled",
    ),
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


def test_api_key_is_enforced_without_echoing_it(secured_url: str, secured_key: str) -> None:
    wrong_key = "sk-wrong-key-abcdefghijklmnop-9876"
    wrong = openai.OpenAI(base_url=f"{secured_url}/v1", api_key=wrong_key, max_retries=0)
    with wrong, pytest.raises(openai.AuthenticationError) as caught:
        wrong.chat.completions.create(model="m", messages=USER)
    assert caught.value.code == "invalid_api_key"
    message = str(caught.value.body["message"]) if isinstance(caught.value.body, dict) else ""
    assert message.startswith("Incorrect API key provided: sk-wrong")
    assert wrong_key not in message and "9876" in message
    with httpx.Client(base_url=secured_url) as raw:
        missing = raw.get("/v1/models")
        assert missing.status_code == 401
        assert missing.json()["error"]["message"].startswith("You didn't provide an API key.")
    with openai.OpenAI(base_url=f"{secured_url}/v1", api_key=secured_key, max_retries=0) as right:
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
    assert (
        http.get("/v1/chat/completions")
        .json()["error"]["message"]
        .startswith("Invalid method for URL")
    )


def post_unprefixed(http: httpx.Client) -> httpx.Response:
    return http.post("/chat/completions", json={"model": "m", "messages": USER})
