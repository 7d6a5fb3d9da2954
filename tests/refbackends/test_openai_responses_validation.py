"""Request validation of the OpenAI Responses emulator: the API's 400s,
their ``param`` and wording, for the request and each ``input`` item, over
a real loopback socket. Fixtures live in ``conftest.py``."""

from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest

from tests.refbackends.responses_wire import (
    MODEL,
    WEATHER_TOOL,
    body,
    check_error,
    post,
    unary,
)

USER = {"role": "user", "content": "hi"}
CALL = {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": "{}"}
OUTPUT = {"type": "function_call_output", "call_id": "call_1", "output": "sunny"}

# (request body, param, code, message)
INVALID: list[tuple[dict[str, Any], str | None, str | None, str]] = [
    (body(foo=1), "foo", "unknown_parameter", "Unknown parameter: 'foo'."),
    (
        {"input": "hi"},
        "model",
        "missing_required_parameter",
        "Missing required parameter: 'model'.",
    ),
    (
        body(temperature=2.5),
        "temperature",
        "decimal_above_max_value",
        "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 "
        "instead.",
    ),
    (body(top_p=-1), "top_p", "decimal_below_min_value", None),
    (
        body(max_output_tokens=10),
        "max_output_tokens",
        "integer_below_min_value",
        "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got "
        "10 instead.",
    ),
    (
        body(stream="yes"),
        "stream",
        "invalid_type",
        "Invalid type for 'stream': expected a boolean, but got a string instead.",
    ),
    (body(input=3), "input", "invalid_type", None),
    (
        body(input=["hi"]),
        "input[0]",
        "invalid_type",
        "Invalid type for 'input[0]': expected an object, but got a string instead.",
    ),
    (
        body(input=[{**USER, "foo": 1}]),
        "input[0].foo",
        "unknown_parameter",
        "Unknown parameter: 'input[0].foo'.",
    ),
    (body(input=[{"type": "bogus"}]), "input[0].type", "invalid_value", None),
    (
        body(input=[{"role": "robot", "content": "x"}]),
        "input[0].role",
        "invalid_value",
        "Invalid value: 'robot'. Supported values are: 'assistant', 'system', 'developer', and "
        "'user'.",
    ),
    (
        body(input=[{"role": "assistant", "content": [{"type": "input_text", "text": "x"}]}]),
        "input[0].content[0].type",
        "invalid_value",
        "Invalid value: 'input_text'. Supported values are: 'output_text' and 'refusal'.",
    ),
    (
        body(input=[USER, {k: v for k, v in CALL.items() if k != "name"}, OUTPUT]),
        "input[1].name",
        "missing_required_parameter",
        "Missing required parameter: 'input[1].name'.",
    ),
    (
        body(input=[USER, {**CALL, "id": "call_1"}, OUTPUT]),
        "input[1].id",
        "invalid_value",
        "Invalid 'input[1].id': 'call_1'. Expected an ID that begins with 'fc'.",
    ),
    (
        body(input=[USER, {"role": "assistant", "content": "x", "id": "item_1"}]),
        "input[1].id",
        "invalid_value",
        "Invalid 'input[1].id': 'item_1'. Expected an ID that begins with 'msg'.",
    ),
    (
        body(input=[{"type": "reasoning", "id": "r_1", "summary": [], "encrypted_content": "x"}]),
        "input[0].id",
        "invalid_value",
        "Invalid 'input[0].id': 'r_1'. Expected an ID that begins with 'rs'.",
    ),
    (
        body(input=[USER, OUTPUT]),
        "input",
        None,
        "No tool call found for function call output with call_id call_1.",
    ),
    (
        body(input=[USER, OUTPUT, CALL]),
        "input",
        None,
        "No tool call found for function call output with call_id call_1.",
    ),
    (
        body(input=[USER, CALL]),
        "input",
        None,
        "No tool output found for function call call_1.",
    ),
    (
        body(input=[USER, CALL, {k: v for k, v in OUTPUT.items() if k != "call_id"}]),
        "input[2].call_id",
        "missing_required_parameter",
        "Missing required parameter: 'input[2].call_id'.",
    ),
    (
        body(tools=[{**WEATHER_TOOL, "name": "get weather"}]),
        "tools[0].name",
        "invalid_value",
        "Invalid 'tools[0].name': string does not match pattern. Expected a string that matches "
        "the pattern '^[a-zA-Z0-9_-]+$'.",
    ),
    (
        body(tools=[{**WEATHER_TOOL, "name": "f" * 65}]),
        "tools[0].name",
        "string_above_max_length",
        "Invalid 'tools[0].name': string too long. Expected a string with maximum length 64, but "
        "got a string with length 65 instead.",
    ),
    (
        body(tools=[{**WEATHER_TOOL, "parameters": {"type": "string"}}]),
        "tools[0].parameters",
        "invalid_function_parameters",
        "Invalid schema for function 'get_weather': schema must be a JSON Schema of 'type: "
        '"object"\', got \'type: "string"\'.',
    ),
    (
        body(tools=[{k: v for k, v in WEATHER_TOOL.items() if k != "parameters"}]),
        "tools[0].parameters",
        "missing_required_parameter",
        "Missing required parameter: 'tools[0].parameters'.",
    ),
    (
        body(tool_choice="sometimes"),
        "tool_choice",
        "invalid_value",
        "Invalid value: 'sometimes'. Supported values are: 'none', 'auto', and 'required'.",
    ),
    (
        body(tools=[WEATHER_TOOL], tool_choice={"type": "function", "name": "get_time"}),
        "tool_choice",
        None,
        "Tool choice 'get_time' not found in 'tools' parameter.",
    ),
    (body(include=["everything"]), "include[0]", "invalid_value", None),
    (
        body(text={"format": {"type": "json_object"}}),
        "input",
        None,
        "Response input messages must contain the word 'json' in some form to use "
        "'text.format' of type 'json_object'.",
    ),
    (body(text={"format": {"type": "yaml"}}), "text.format.type", "invalid_value", None),
]


@pytest.mark.parametrize(
    ("payload", "param", "code", "message"),
    INVALID,
    ids=[f"{k}-{case[1]}" for k, case in enumerate(INVALID)],
)
def test_invalid_requests_get_the_apis_400(
    rhttp: httpx.Client,
    payload: dict[str, Any],
    param: str | None,
    code: str | None,
    message: str | None,
) -> None:
    error = check_error(post(rhttp, payload), 400, code)
    assert (error["type"], error["param"]) == ("invalid_request_error", param)
    if message is not None:
        assert error["message"] == message


def test_unparseable_json(rhttp: httpx.Client) -> None:
    error = check_error(post(rhttp, b'{"model": '), 400, None)
    assert error["message"].startswith("We could not parse the JSON body of your request.")
    check_error(post(rhttp, b'{"model": "m", "temperature": NaN}'), 400, None)


def test_sdk_raises_bad_request_with_the_param(rclient: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        rclient.responses.create(model=MODEL, input="x", max_output_tokens=1)
    assert caught.value.param == "max_output_tokens"


def test_the_api_accepts_what_codex_sends_back(rhttp: httpx.Client) -> None:
    """An assistant message without id, status or annotations; string and
    part contents; hosted tools next to functions."""
    history = [
        {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "d"}]},
        USER,
        {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "a"}]},
        {"role": "assistant", "content": [{"type": "refusal", "refusal": "no"}]},
        CALL,
        OUTPUT,
    ]
    tools = [WEATHER_TOOL, {"type": "web_search"}]
    reply = unary(rhttp, body(input=history, tools=tools, store=False, prompt_cache_key="k"))
    assert reply["output"][0]["content"][0]["text"] == "Tool results: sunny"
    assert reply["prompt_cache_key"] == "k" and reply["tools"] == tools


def test_item_reference_resolves_a_stored_item(rhttp: httpx.Client) -> None:
    created = unary(rhttp, body(input="remember this"))
    message_id = created["output"][0]["id"]
    reply = unary(rhttp, body(input=[{"type": "item_reference", "id": message_id}, USER]))
    assert reply["usage"]["input_tokens"] == 3 + 1
    missing = post(rhttp, body(input=[{"type": "item_reference", "id": "msg_nope"}]))
    assert check_error(missing, 404, None)["param"] == "input[0]"
