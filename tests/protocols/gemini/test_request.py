"""Gemini generateContent request -> Call: every canonical field, the model from
the path, carried vendor fields, thought signatures, function responses matched
to their calls, and bad input as the API's own 400s."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lip.canonical import (
    AudioPart,
    Call,
    FilePart,
    ImagePart,
    InvalidRequestError,
    Limits,
    OpaquePart,
    ProviderState,
    ReasoningPart,
    ResponseFormatKind,
    TextPart,
    ToolCallPart,
    ToolChoiceMode,
    ToolResultPart,
)
from lip.protocols.anthropic_messages.backend import encode_request as encode_anthropic
from lip.protocols.base import RequestContext
from lip.protocols.gemini import GeminiFrontend
from lip.protocols.gemini.backend import encode_request
from lip.protocols.gemini.carry import PROTOCOL
from lip.protocols.gemini.request import GeminiReplyShape, decode_count_request, decode_request
from lip.protocols.openai_chat.backend import encode_request as encode_chat
from lip.protocols.openai_responses.backend import encode_request as encode_responses

WEATHER_SCHEMA: dict[str, Any] = {
    "type": "OBJECT",
    "properties": {
        "city": {"type": "STRING", "description": "City name"},
        "days": {"type": "INTEGER", "minimum": 1, "maximum": 7},
    },
    "required": ["city"],
}
LOOKUP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"q": {"type": "string"}},
    "additionalProperties": False,
}


def rich() -> dict[str, Any]:
    """A Gemini request using every kind of part, tool and option (a fresh copy)."""
    return {
        "systemInstruction": {"role": "user", "parts": [{"text": "Be brief."}, {"text": "Tu."}]},
        "contents": [
            {
                "role": "user",
                "parts": [
                    {"text": "What is in these?"},
                    {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
                    {"fileData": {"mimeType": "application/pdf", "fileUri": "files/abc"}},
                    {"inlineData": {"mimeType": "audio/wav", "data": "UklGRg=="}},
                ],
            },
            {
                "role": "model",
                "parts": [
                    {"text": "Let me think.", "thought": True, "thoughtSignature": "c2lnLTE="},
                    {"text": "I will check the weather."},
                    {
                        "functionCall": {
                            "id": "fc_1",
                            "name": "get_weather",
                            "args": {"city": "P"},
                        },
                        "thoughtSignature": "c2lnLTI=",
                    },
                    {"functionCall": {"name": "get_weather", "args": {"city": "Rome"}}},
                ],
            },
            {
                "role": "user",
                "parts": [
                    {
                        "functionResponse": {
                            "id": "fc_1",
                            "name": "get_weather",
                            "response": {"t": 21},
                        }
                    },
                    {"functionResponse": {"name": "get_weather", "response": {"t": 25}}},
                    {"text": "And tomorrow?"},
                ],
            },
        ],
        "tools": [
            {
                "functionDeclarations": [
                    {
                        "name": "get_weather",
                        "description": "Weather for a city",
                        "parameters": WEATHER_SCHEMA,
                    },
                    {
                        "name": "lookup",
                        "parametersJsonSchema": LOOKUP_SCHEMA,
                        "behavior": "BLOCKING",
                    },
                ]
            },
            {"googleSearch": {}},
        ],
        "toolConfig": {
            "functionCallingConfig": {
                "mode": "ANY",
                "allowedFunctionNames": ["get_weather", "lookup"],
            }
        },
        "generationConfig": {
            "temperature": 0.5,
            "topP": 0.9,
            "topK": 40,
            "maxOutputTokens": 512,
            "stopSequences": ["END"],
            "seed": 7,
            "presencePenalty": 0.1,
            "frequencyPenalty": 0.2,
            "thinkingConfig": {"includeThoughts": True, "thinkingBudget": 1024},
            "responseMimeType": "application/json",
            "responseSchema": {"type": "OBJECT", "properties": {"answer": {"type": "STRING"}}},
        },
        "safetySettings": [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}],
        "cachedContent": "cachedContents/abc123",
        "labels": {"team": "lip"},  # a field newer than the pinned schema
    }


def decode(body: dict[str, Any], model: str = "gemini-2.5-flash", **kwargs: Any) -> Any:
    kwargs.setdefault("stream", False)
    return decode_request(json.dumps(body).encode(), model, **kwargs)


def test_decodes_every_canonical_field() -> None:
    request = decode(rich(), stream=True, sse=False)
    call = request.call
    assert (call.protocol, call.model, call.stream) == (PROTOCOL, "gemini-2.5-flash", True)
    assert request.shape == GeminiReplyShape(sse=False)
    system, user, model, results, words = call.messages
    assert system.role == "system" and system.parts == (
        TextPart(text="Be brief."),
        TextPart(text="Tu."),
    )
    assert user.parts[1:] == (
        ImagePart(data="iVBORw0KGgo=", media_type="image/png"),
        FilePart(url="files/abc", media_type="application/pdf"),
        AudioPart(data="UklGRg==", format="wav"),
    )

    thought, text, first, second = model.parts
    assert model.role == "assistant"
    assert thought == ReasoningPart(
        text="Let me think.", state=ProviderState(origin=PROTOCOL, signature="c2lnLTE=")
    )
    assert text == TextPart(text="I will check the weather.")
    assert isinstance(first, ToolCallPart) and isinstance(second, ToolCallPart)
    assert (first.id, first.name, json.loads(first.arguments)) == (
        "fc_1",
        "get_weather",
        {"city": "P"},
    )
    assert first.state == ProviderState(origin=PROTOCOL, signature="c2lnLTI=")
    # A call without an id gets one from its place in the history.
    assert (second.id, second.state) == ("gemini_call_1_3", None)

    # Function responses: a tool turn before the user's own words, each
    # answering its call (by id, then the earliest unanswered call by name).
    assert results.role == "tool" and words.role == "user"
    answers = [p for p in results.parts if isinstance(p, ToolResultPart)]
    assert [(a.call_id, a.name) for a in answers] == [
        ("fc_1", "get_weather"),
        ("gemini_call_1_3", "get_weather"),
    ]
    assert [json.loads(a.content[0].text) for a in answers] == [{"t": 21}, {"t": 25}]  # type: ignore[union-attr]
    assert words.parts == (TextPart(text="And tomorrow?"),)

    weather, lookup, search = call.tools
    assert weather.parameters == {
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "City name"},
            "days": {"type": "integer", "minimum": 1, "maximum": 7},
        },
        "required": ["city"],
    }
    assert lookup.parameters == LOOKUP_SCHEMA and lookup.hosted_by is None
    assert (search.name, search.hosted_by) == ("googleSearch", PROTOCOL)
    # Two allowed names with ANY: a required call (the names are carried).
    assert call.tool_choice is not None and call.tool_choice.mode is ToolChoiceMode.REQUIRED

    options = call.options
    assert (options.temperature, options.top_p, options.max_output_tokens) == (0.5, 0.9, 512)
    assert (options.stop, options.seed) == (("END",), 7)
    assert (options.presence_penalty, options.frequency_penalty) == (0.1, 0.2)
    assert options.reasoning_budget_tokens == 1024
    fmt = options.response_format
    assert fmt is not None and fmt.kind is ResponseFormatKind.JSON_SCHEMA
    assert fmt.schema == {"type": "object", "properties": {"answer": {"type": "string"}}}
    carried = call.extension(PROTOCOL)
    assert carried["cachedContent"] == "cachedContents/abc123"
    assert carried["labels"] == {"team": "lip"}


def test_the_python_sdks_empty_generation_config_and_system_role_are_kept() -> None:
    body = {
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
        "systemInstruction": {"role": "user", "parts": [{"text": "Be brief."}]},
        "generationConfig": {},
    }
    call = decode(body).call
    assert call.options == type(call.options)()
    assert json.loads(encode_request(call, "m")) == body
    del body["generationConfig"], body["systemInstruction"]["role"]
    assert json.loads(encode_request(decode(body).call, "m")) == body


@pytest.mark.parametrize(
    ("config", "mode", "name"),
    [
        ({"mode": "AUTO"}, ToolChoiceMode.AUTO, None),
        ({"mode": "NONE"}, ToolChoiceMode.NONE, None),
        ({"mode": "ANY"}, ToolChoiceMode.REQUIRED, None),
        ({"mode": "ANY", "allowedFunctionNames": ["f"]}, ToolChoiceMode.NAMED, "f"),
        ({"mode": "VALIDATED"}, ToolChoiceMode.AUTO, None),  # text or checked calls
        ({}, ToolChoiceMode.AUTO, None),
    ],
)
def test_tool_config_modes(config: dict[str, Any], mode: ToolChoiceMode, name: str | None) -> None:
    body = {
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
        "tools": [{"functionDeclarations": [{"name": "f"}, {"name": "g"}]}],
        "toolConfig": {"functionCallingConfig": config},
    }
    call = decode(body).call
    assert call.tool_choice is not None
    assert (call.tool_choice.mode, call.tool_choice.name) == (mode, name)
    assert json.loads(encode_request(call, "m")) == body  # and back to Gemini as it came


def test_a_non_json_response_mime_type_goes_to_gemini_with_its_schema() -> None:
    config = {
        "responseMimeType": "text/x.enum",
        "responseSchema": {"type": "STRING", "enum": ["a"]},
    }
    body = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}], "generationConfig": config}
    call = decode(body).call
    assert call.options.response_format is None
    assert json.loads(encode_request(call, "m")) == body


def test_json_mode_without_a_schema_is_a_json_object_format() -> None:
    body = {
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
        "generationConfig": {"responseMimeType": "application/json"},
    }
    fmt = decode(body).call.options.response_format
    assert fmt is not None and fmt.kind is ResponseFormatKind.JSON_OBJECT


def test_thinking_level_is_the_reasoning_effort_and_a_zero_budget_is_none() -> None:
    body: dict[str, Any] = {
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
        "generationConfig": {"thinkingConfig": {"thinkingLevel": "low"}},
    }
    assert decode(body).call.options.reasoning_effort == "low"
    for config in ({"thinkingLevel": "HIGH"}, {"thinking_level": "HIGH"}):  # the Python SDK's
        body["generationConfig"]["thinkingConfig"] = config
        call = decode(body).call
        assert call.options.reasoning_effort == "high"  # as other protocols spell it
        sent = json.loads(encode_request(call, "m"))["generationConfig"]["thinkingConfig"]
        assert sent == config  # a Gemini upstream gets it as it came
    body["generationConfig"]["thinkingConfig"] = {"thinkingBudget": 0}
    options = decode(body).call.options
    assert options.reasoning_budget_tokens is None and options.reasoning_effort is None


def test_responses_by_name_answer_calls_in_order_and_skip_those_answered_by_id() -> None:
    body = {
        "contents": [
            {"role": "user", "parts": [{"text": "Three cities."}]},
            {
                "role": "model",
                "parts": [
                    {"functionCall": {"name": "w", "args": {"c": 1}}},
                    {"functionCall": {"id": "b", "name": "w", "args": {"c": 2}}},
                    {"functionCall": {"name": "w", "args": {"c": 3}}},
                ],
            },
            {
                "role": "function",
                "parts": [
                    {"functionResponse": {"id": "b", "name": "w", "response": {"r": 2}}},
                    {"functionResponse": {"name": "w", "response": {"r": 1}}},
                    {"functionResponse": {"name": "w", "response": {"r": 3}}},
                ],
            },
        ]
    }
    call = decode(body).call
    calls = [p.id for p in call.messages[1].parts if isinstance(p, ToolCallPart)]
    answers = [p.call_id for p in call.messages[2].parts if isinstance(p, ToolResultPart)]
    assert calls == ["gemini_call_1_0", "b", "gemini_call_1_2"]
    assert answers == ["b", "gemini_call_1_0", "gemini_call_1_2"]
    # The "function" role is kept for Gemini; other backends get matched results.
    assert json.loads(encode_request(call, "m")) == body
    sent = json.loads(encode_chat(call, "gpt-4o"))
    assert [m.get("tool_call_id") for m in sent["messages"][2:]] == answers


def test_a_function_response_of_one_text_is_that_text() -> None:
    call = {"functionCall": {"id": "c", "name": "w", "args": {}}}
    for response, text, failed in (
        ({"output": "sunny"}, "sunny", False),  # the API's documented key
        ({"result": "sunny"}, "sunny", False),  # the SDKs' own
        ({"error": "no such city"}, "no such city", True),
        ({"result": "sunny", "unit": "C"}, '{"result":"sunny","unit":"C"}', False),
        ({"output": 21}, '{"output":21}', False),
    ):
        answer = {"functionResponse": {"id": "c", "name": "w", "response": response}}
        body = {
            "contents": [
                {"role": "user", "parts": [{"text": "Weather?"}]},
                {"role": "model", "parts": [call]},
                {"role": "user", "parts": [answer]},
            ]
        }
        decoded = decode(body).call
        (result,) = decoded.messages[2].parts
        assert isinstance(result, ToolResultPart)
        assert (result.content, result.is_error) == ((TextPart(text=text),), failed)
        assert json.loads(encode_request(decoded, "m")) == body  # Gemini gets it as it came


def test_integers_come_as_proto3_json_has_them() -> None:
    # The Python SDK sends topK as a float; proto3 JSON takes any integral number.
    body = {**rich(), "generationConfig": {"topK": 64.0, "maxOutputTokens": "100"}}
    options = decode(body).call.options
    assert options.max_output_tokens == 100
    with pytest.raises(InvalidRequestError):
        decode({**rich(), "generationConfig": {"topK": 64.5}})


def test_parts_with_no_canonical_meaning_are_opaque_gemini_parts() -> None:
    code = {"executableCode": {"language": "PYTHON", "code": "print(1)"}}
    tagged = {"text": "a", "partMetadata": {"k": 1}}
    body = {"contents": [{"role": "user", "parts": [tagged, code]}]}
    call = decode(body).call
    assert call.messages[0].parts == (
        OpaquePart(origin=PROTOCOL, block=tagged),
        OpaquePart(origin=PROTOCOL, block=code),
    )
    assert json.loads(encode_request(call, "m")) == body
    with pytest.raises(InvalidRequestError, match="are gemini blocks"):
        encode_chat(call, "gpt-4o")


def test_the_frontend_reads_the_model_from_the_path_and_the_stream_form_from_the_query() -> None:
    frontend = GeminiFrontend()
    body = json.dumps({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}).encode()
    context = RequestContext(
        method="POST",
        path="/v1beta/models/anthropic:claude-x:streamGenerateContent",
        path_params={"model": "anthropic:claude-x"},
        query={"alt": "sse"},
        headers={"x-goog-api-key": "k-1"},
        body=body,
    )
    request = frontend.decode_request(context)
    assert (request.call.model, request.call.stream) == ("anthropic:claude-x", True)
    assert request.shape == GeminiReplyShape(sse=True)
    assert frontend.recognizes(context) and frontend.credential(context) == "k-1"
    unary = RequestContext(
        method="POST",
        path="/v1/models/gemini-2.5-flash:generateContent",
        path_params={"model": "gemini-2.5-flash"},
        query={"key": "k-2"},
        headers={},
        body=body,
    )
    assert not frontend.decode_request(unary).call.stream
    assert frontend.credential(unary) == "k-2"


def test_a_count_request_is_the_same_call_in_either_form() -> None:
    plain = decode_count_request(json.dumps(rich()).encode(), "m")
    wrapped = {"generateContentRequest": {"model": "models/m", **rich()}}
    assert decode_count_request(json.dumps(wrapped).encode(), "m").call == plain.call
    assert plain.call == decode(rich(), "m").call


# -- bad input: the API's own 400s


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"contents": []}, "contents is not specified"),
        ({"contents": "hi"}, "Invalid value at 'contents'"),
        ({"generationConfig": {"candidateCount": 2}}, "candidateCount 1"),
        ({"generationConfig": {"temperature": "hot"}}, "generationConfig.temperature"),
        (
            {"tools": [{"functionDeclarations": [{"name": "f", "parameters": {"oneOf": []}}]}]},
            "function declaration 'f'.*'oneOf'",
        ),
        (
            {
                "generationConfig": {
                    "responseMimeType": "application/json",
                    "responseSchema": {"x": 1},
                }
            },
            "responseSchema.*'x'",
        ),
        ({"contents": [{"role": "user", "parts": [{"inlineData": {"mimeType": "a/b"}}]}]}, "data"),
    ],
)
def test_bad_input_is_an_invalid_request(patch: dict[str, Any], message: str) -> None:
    body = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}], **patch}
    with pytest.raises(InvalidRequestError, match=message):
        decode(body)


def test_candidate_count_above_one_names_the_field() -> None:
    body = {**rich(), "generationConfig": {"candidateCount": 2}}
    with pytest.raises(InvalidRequestError) as info:
        decode(body)
    assert info.value.param == "generationConfig.candidateCount"


@pytest.mark.parametrize("raw", [b"", b"[]", b"null", b"{", b'"x"', b'{"contents": NaN}'])
def test_a_body_that_is_no_json_object_is_refused(raw: bytes) -> None:
    with pytest.raises(InvalidRequestError):
        decode_request(raw, "m", stream=False)


def test_counts_over_the_limits_are_refused() -> None:
    with pytest.raises(InvalidRequestError, match="at most 2"):
        decode(rich(), limits=Limits(max_messages=2))
    with pytest.raises(InvalidRequestError, match="at most 2"):
        decode(rich(), limits=Limits(max_tools=2))


# -- junk never escapes as anything but a 400

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=4),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*path, index))
    return found


RICH_PATHS = _paths(rich())[1:]


def _decodes_or_refuses(body: bytes) -> None:
    try:
        call: Call = decode_request(body, "m", stream=False).call
    except InvalidRequestError:
        return
    # It goes upstream to any backend, or is the client's 400 before the network.
    for encode in (encode_request, encode_chat, encode_anthropic, encode_responses):
        with contextlib.suppress(InvalidRequestError):
            encode(call, "m")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values, st.dictionaries(st.sampled_from(sorted(rich())), json_values, max_size=4))
def test_junk_bodies_are_invalid_requests(junk: Any, fields: dict[str, Any]) -> None:
    _decodes_or_refuses(json.dumps(junk).encode())
    _decodes_or_refuses(json.dumps({**rich(), **fields}).encode())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(RICH_PATHS), json_values), min_size=1, max_size=3))
def test_a_valid_body_with_wrong_types_is_an_invalid_request(
    changes: list[tuple[tuple[Any, ...], Any]],
) -> None:
    body = rich()
    for path, value in changes:
        target: Any = body
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = copy.deepcopy(value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the path
    _decodes_or_refuses(json.dumps(body).encode())
