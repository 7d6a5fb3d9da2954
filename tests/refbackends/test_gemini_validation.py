"""The Gemini emulator refuses what the API refuses, with the API's status,
``google.rpc.Status`` shape and style of message: the proto3 JSON parser's
problems (unknown names, types, oneofs, enum names: all of them, each a
``fieldViolation``), then the semantic checks (``* <Request>.<path>:
...`` lines), thinking settings per model and the thought signatures sent
back. Fixtures live in ``conftest.py``."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from google import genai
from google.genai import errors, types

from tests.refbackends.gemini_wire import (
    MODEL,
    PLAIN,
    WEATHER,
    body,
    check_error,
    post,
    unary,
    violations,
)

TYPE = "type.googleapis.com/google.ai.generativelanguage.v1beta.Type"
USER: Any = {"role": "user", "parts": [{"text": "hi"}]}


def invalid(http: httpx.Client, payload: object, model: str = MODEL) -> dict[str, Any]:
    """A 400 ``INVALID_ARGUMENT``'s error object."""
    return check_error(post(http, payload, model=model), 400, "INVALID_ARGUMENT")


# --- the proto3 JSON parser ------------------------------------------------------------------

PARSE_ERRORS: list[tuple[str, object, list[tuple[str | None, str]]]] = [
    (
        "unknown top-level name",
        body(foo=1),
        [(None, 'Invalid JSON payload received. Unknown name "foo": Cannot find field.')],
    ),
    (
        "unknown names everywhere, all reported",
        {
            "contents": [{"role": "user", "parts": [{"text": "x", "cache_control": {}}]}],
            "tools": [{"lc": 1}],
        },
        [
            (
                "contents[0].parts[0]",
                'Invalid JSON payload received. Unknown name "cache_control" at '
                "'contents[0].parts[0]': Cannot find field.",
            ),
            (
                "tools[0]",
                "Invalid JSON payload received. Unknown name \"lc\" at 'tools[0]': Cannot find field.",
            ),
        ],
    ),
    (
        "a list for one value",
        body(generationConfig=[]),
        [
            (
                None,
                'Invalid JSON payload received. Unknown name "generationConfig": Proto field is '
                "not repeating, cannot start list.",
            )
        ],
    ),
    (
        "a value of the wrong type",
        body(generationConfig={"temperature": "hot", "candidateCount": True}),
        [
            (
                "generation_config.temperature",
                "Invalid value at 'generation_config.temperature' (TYPE_FLOAT), \"hot\"",
            ),
            (
                "generation_config.candidate_count",
                "Invalid value at 'generation_config.candidate_count' (TYPE_INT32), true",
            ),
        ],
    ),
    (
        "a function response that is not an object",
        {
            "contents": [
                USER,
                {"role": "user", "parts": [{"functionResponse": {"name": "f", "response": "x"}}]},
            ]
        },
        [
            (
                "contents[1].parts[0].function_response.response",
                "Invalid value at 'contents[1].parts[0].function_response.response' "
                '(type.googleapis.com/google.protobuf.Struct), "x"',
            )
        ],
    ),
    (
        "two data fields in one part",
        {"contents": [{"role": "user", "parts": [{"text": "x", "functionCall": {"name": "f"}}]}]},
        [
            (
                "contents[0].parts[0]",
                "Invalid value at 'contents[0].parts[0]' (oneof), oneof field 'data' is already "
                "set. Cannot set 'functionCall'",
            )
        ],
    ),
    (
        "a schema type Gemini does not have, and a JSON Schema keyword it does not know",
        body(
            tools=[
                {
                    "functionDeclarations": [
                        {
                            "name": "f",
                            "parameters": {
                                "type": "object",
                                "additionalProperties": False,
                                "properties": {"a": {"type": "string"}, "b": {"type": "map"}},
                            },
                        }
                    ]
                }
            ]
        ),
        [
            (
                "tools[0].function_declarations[0].parameters",
                'Invalid JSON payload received. Unknown name "additionalProperties" at '
                "'tools[0].function_declarations[0].parameters': Cannot find field.",
            ),
            (
                "tools[0].function_declarations[0].parameters.properties[1].value.type",
                "Invalid value at 'tools[0].function_declarations[0].parameters.properties[1]"
                f'.value.type\' ({TYPE}), "map"',
            ),
        ],
    ),
    (
        "a signature that is not base64",
        {"contents": [USER, {"role": "model", "parts": [{"text": "x", "thoughtSignature": "%%"}]}]},
        [
            (
                "contents[1].parts[0].thought_signature",
                "Invalid value at 'contents[1].parts[0].thought_signature' (TYPE_BYTES), \"%%\"",
            )
        ],
    ),
]


@pytest.mark.parametrize(
    ("case", "payload", "expected"), PARSE_ERRORS, ids=[c[0] for c in PARSE_ERRORS]
)
def test_parse_errors(
    ghttp: httpx.Client, case: str, payload: object, expected: list[tuple[str | None, str]]
) -> None:
    found = violations(invalid(ghttp, payload))
    assert [(v.get("field"), v["description"]) for v in found] == expected


def test_unparseable_bodies(ghttp: httpx.Client) -> None:
    for raw in (b"{nope", b"[]", b'{"contents": NaN}'):
        (violation,) = violations(invalid(ghttp, raw))
        assert violation["description"].startswith("Invalid JSON payload received.")


def test_what_the_parser_takes(ghttp: httpx.Client) -> None:
    single: Any = {"contents": {"role": "user", "parts": {"text": "one value"}}}
    assert (
        unary(ghttp, single)["candidates"][0]["content"]["parts"][-1]["text"] == "Echo: one value"
    )
    snake = body(
        system_instruction={"role": "user", "parts": [{"text": "be brief"}]},
        generation_config={"max_output_tokens": 2, "thinking_config": {"include_thoughts": False}},
    )
    assert unary(ghttp, snake)["candidates"][0]["finishReason"] == "MAX_TOKENS"
    lower = [
        {
            "functionDeclarations": [
                {
                    "name": "f",
                    "parameters": {"type": "object", "properties": {"a": {"type": "integer"}}},
                }
            ]
        }
    ]
    assert post(ghttp, body(tools=lower, generationConfig={})).status_code == 200
    roles: Any = [
        {"parts": [{"text": "x"}]},
        {"role": "function", "parts": [{"functionResponse": {"name": "f", "response": {}}}]},
    ]
    assert post(ghttp, {"contents": roles}).status_code == 200


# --- semantic checks ------------------------------------------------------------------------

SEMANTIC: list[tuple[str, object, str]] = [
    (
        "no contents",
        {"contents": []},
        "* GenerateContentRequest.contents: contents is not specified\n",
    ),
    (
        "empty parts and a part without data",
        {
            "contents": [
                {"role": "user", "parts": []},
                {"role": "user", "parts": [{"thought": True}]},
            ]
        },
        "* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.\n"
        "* GenerateContentRequest.contents[1].parts[0].data: required oneof field 'data' must "
        "have one initialized field\n",
    ),
    (
        "a bad function name",
        body(tools=[{"functionDeclarations": [{"name": "1 bad"}]}]),
        "* GenerateContentRequest.tools[0].function_declarations[0].name: Invalid function name. "
        "Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), "
        "underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 64.\n",
    ),
    (
        "both kinds of parameters",
        body(
            tools=[
                {"functionDeclarations": [{**WEATHER, "parametersJsonSchema": {"type": "object"}}]}
            ]
        ),
        "* GenerateContentRequest.tools[0].function_declarations[0].parameters_json_schema: "
        "parameters and parameters_json_schema cannot both be set.\n",
    ),
    (
        "allowed names without mode ANY",
        body(
            tools=[{"functionDeclarations": [WEATHER]}],
            toolConfig={
                "functionCallingConfig": {"mode": "AUTO", "allowedFunctionNames": ["get_weather"]}
            },
        ),
        "* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: "
        "allowed_function_names may only be set when mode is ANY or VALIDATED.\n",
    ),
    (
        "generation settings out of range",
        body(
            generationConfig={
                "candidateCount": 2,
                "temperature": 2.5,
                "topP": 1.5,
                "maxOutputTokens": 0,
                "responseMimeType": "text/html",
            }
        ),
        "* GenerateContentRequest.generation_config.candidate_count: candidate_count 2 is not "
        "supported: the emulator answers one candidate (candidate_count must be 1).\n"
        "* GenerateContentRequest.generation_config.temperature: temperature must be in the "
        "range [0.0, 2.0].\n"
        "* GenerateContentRequest.generation_config.top_p: top_p must be in the range [0.0, 1.0].\n"
        "* GenerateContentRequest.generation_config.max_output_tokens: max_output_tokens must be "
        "positive.\n"
        "* GenerateContentRequest.generation_config.response_mime_type: allowed mimetypes are "
        "`text/plain`, `application/json`, `application/xml`, `application/yaml` and "
        "`text/x.enum`.\n",
    ),
    (
        "a role Gemini does not have",
        {"contents": [{"role": "assistant", "parts": [{"text": "x"}]}]},
        "Please use a valid role: user, model.",
    ),
]


@pytest.mark.parametrize(("case", "payload", "message"), SEMANTIC, ids=[c[0] for c in SEMANTIC])
def test_semantic_errors(ghttp: httpx.Client, case: str, payload: object, message: str) -> None:
    error = invalid(ghttp, payload)
    assert error["message"] == message and "details" not in error


def test_count_tokens_checks_its_contents(ghttp: httpx.Client) -> None:
    error = check_error(
        post(ghttp, {"contents": []}, method="countTokens"), 400, "INVALID_ARGUMENT"
    )
    assert error["message"] == "* CountTokensRequest.contents: contents is not specified\n"
    inner = {"generateContentRequest": {"contents": [{"role": "user", "parts": []}]}}
    error = check_error(post(ghttp, inner, method="countTokens"), 400, "INVALID_ARGUMENT")
    assert error["message"] == (
        "* CountTokensRequest.generate_content_request.contents[0].parts: contents.parts must "
        "not be empty.\n"
    )
    unknown = check_error(
        post(ghttp, {"prompt": "x"}, method="countTokens"), 400, "INVALID_ARGUMENT"
    )
    assert unknown["message"].endswith('Unknown name "prompt": Cannot find field.')


# --- thinking settings, per model --------------------------------------------------------------

THINKING: list[tuple[str, dict[str, object], str | None]] = [
    (MODEL, {"thinkingBudget": 24576}, None),
    (MODEL, {"thinkingBudget": -1}, None),
    (MODEL, {"thinkingBudget": 50000}, "The thinking budget (50000) is invalid."),
    (
        "gemini-2.5-pro",
        {"thinkingBudget": 0},
        "Budget 0 is invalid. This model only works in thinking mode.",
    ),
    ("gemini-2.5-pro", {"thinkingBudget": 64}, "The thinking budget (64) is invalid."),
    (MODEL, {"thinkingLevel": "LOW"}, "Thinking level is not supported for this model."),
    ("gemini-3-pro-preview", {"thinkingLevel": "low"}, None),
    (
        "gemini-3-pro-preview",
        {"thinkingLevel": "MEDIUM"},
        "Thinking level MEDIUM is not supported for this model.",
    ),
    ("gemini-3-flash-preview", {"thinking_level": "minimal", "include_thoughts": True}, None),
    (
        "gemini-3-flash-preview",
        {"thinkingLevel": "LOW", "thinkingBudget": 100},
        "You can only set one of thinking budget and thinking level.",
    ),
]


@pytest.mark.parametrize(("model", "config", "message"), THINKING)
def test_thinking_settings(
    ghttp: httpx.Client, model: str, config: dict[str, object], message: str | None
) -> None:
    response = post(ghttp, body(generationConfig={"thinkingConfig": config}), model=model)
    if message is None:
        assert response.status_code == 200, response.text
    else:
        assert check_error(response, 400, "INVALID_ARGUMENT")["message"] == message


def test_unknown_thinking_level_is_a_parse_error(ghttp: httpx.Client) -> None:
    payload = body(generationConfig={"thinkingConfig": {"thinkingLevel": "EXTREME"}})
    (violation,) = violations(invalid(ghttp, payload, model="gemini-3-pro-preview"))
    assert violation["description"] == (
        "Invalid value at 'generation_config.thinking_config.thinking_level' "
        "(type.googleapis.com/google.ai.generativelanguage.v1beta.ThinkingConfig.ThinkingLevel), "
        '"EXTREME"'
    )


# --- through the SDK ------------------------------------------------------------------------


def test_sdk_surfaces_the_400(gclient: genai.Client) -> None:
    config = types.GenerateContentConfig(temperature=3.0)
    with pytest.raises(errors.ClientError) as caught:
        gclient.models.generate_content(model=PLAIN, contents="hi", config=config)
    error = caught.value
    assert (error.code, error.status) == (400, "INVALID_ARGUMENT")
    assert error.message and "temperature must be in the range" in error.message


def test_sdk_requests_pass_validation(gclient: genai.Client) -> None:
    config = types.GenerateContentConfig(
        system_instruction="Be brief.",
        temperature=0.5,
        top_p=0.9,
        max_output_tokens=50,
        stop_sequences=["zzz"],
        thinking_config=types.ThinkingConfig(
            include_thoughts=True, thinking_level=types.ThinkingLevel.LOW
        ),
        safety_settings=[
            types.SafetySetting(
                category=types.HarmCategory.HARM_CATEGORY_HARASSMENT,
                threshold=types.HarmBlockThreshold.BLOCK_NONE,
            )
        ],
        tools=[types.Tool(function_declarations=[types.FunctionDeclaration(**WEATHER)])],
        tool_config=types.ToolConfig(
            function_calling_config=types.FunctionCallingConfig(
                mode=types.FunctionCallingConfigMode.NONE
            )
        ),
        response_mime_type="text/plain",
    )
    reply = gclient.models.generate_content(
        model="gemini-3-flash-preview", contents="hi", config=config
    )
    assert reply.text == "Echo: hi"
