"""The emulator's request validation is tied to the generated wire model.

``ChatCompletionRequest`` (generated from the pinned ``openai`` package)
decides structure and types; the emulator only adds the API's semantic
rules. These tests pin that relation, so a pin bump cannot make the two
drift silently: valid requests pass both, every request the wire model
rejects the emulator rejects with an API-shaped 400 naming a real place in
the body, and nothing the emulator accepts is rejected by the wire model.
Validation is called directly (no socket); ``test_openai_chat.py`` covers
the same errors over HTTP.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from lip.schema_example import example_for_schema
from lip_wire.openai.chat_completion_request import ChatCompletionRequest
from refbackends.openai_chat.errors import OpenAIError, error_body
from refbackends.openai_chat.validation import parse_chat_request

RICH: dict[str, Any] = json.loads(
    (Path(__file__).parents[2] / "testdata/openai_chat/requests/rich.json").read_text("utf-8")
)
# The fixture carries a field no API version has (for LIP's pass-through);
# the emulator, like the API, refuses it.
FUTURE_FIELD = "a_future_vendor_field"
USER = [{"role": "user", "content": "answer in json"}]
TOOL_TURN = [
    *USER,
    {
        "role": "assistant",
        "content": [{"type": "refusal", "refusal": "no"}],
        "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}},
            {"id": "c2", "type": "custom", "custom": {"name": "g", "input": "x"}},
        ],
    },
    {"role": "tool", "tool_call_id": "c1", "content": [{"type": "text", "text": "1"}]},
    {"role": "tool", "tool_call_id": "c2", "content": "2"},
]
FUNCTION = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}
CUSTOM = {"type": "custom", "custom": {"name": "g", "format": {"type": "text"}}}

VALID: list[dict[str, Any]] = [
    {key: value for key, value in RICH.items() if key != FUTURE_FIELD},
    {"model": "m", "messages": USER},
    {"model": "m", "messages": USER, "stream": True, "stream_options": {"include_usage": True}},
    {"model": "m", "messages": TOOL_TURN, "tools": [FUNCTION, CUSTOM], "tool_choice": "required"},
    {
        "model": "m",
        "messages": USER,
        "tools": [FUNCTION],
        "tool_choice": {"type": "allowed_tools", "allowed_tools": {"mode": "auto", "tools": []}},
        "parallel_tool_calls": True,
    },
    {
        "model": "m",
        "messages": [
            {"role": "system", "content": "reply in JSON"},
            {
                "role": "user",
                "content": [
                    {"type": "input_audio", "input_audio": {"data": "AA", "format": "wav"}}
                ],
            },
            {"role": "function", "name": "f", "content": None},
        ],
        "response_format": {"type": "json_object"},
        "stop": "END",
        "n": 2,
        "max_tokens": 5,
        "temperature": 2,
        "audio": {"format": "wav", "voice": {"id": "v"}},
        "modalities": ["text"],
        "prediction": {"type": "content", "content": "x"},
        "web_search_options": {"user_location": {"type": "approximate", "approximate": {}}},
    },
]


def wire_accepts(raw: bytes) -> bool:
    try:
        ChatCompletionRequest.model_validate_json(raw, strict=True)
    except ValidationError:
        return False
    return True


def emulator_error(raw: bytes) -> OpenAIError | None:
    try:
        parse_chat_request(raw)
    except OpenAIError as error:
        return error
    return None


@pytest.mark.parametrize("body", VALID, ids=range(len(VALID)))
def test_valid_requests_pass_both(body: dict[str, Any]) -> None:
    raw = json.dumps(body).encode()
    assert wire_accepts(raw)
    assert emulator_error(raw) is None


def test_an_argument_the_wire_model_does_not_name_is_refused() -> None:
    raw = json.dumps(RICH).encode()
    assert wire_accepts(raw)  # the model allows extra fields, the API does not
    error = emulator_error(raw)
    assert error is not None
    assert error.message == f"Unrecognized request argument supplied: {FUTURE_FIELD}"


WIRE_SCHEMA = ChatCompletionRequest.model_json_schema()


def non_null(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional field's schema without its ``null`` default."""
    kept = {key: value for key, value in schema.items() if key != "default"}
    if "anyOf" in kept:
        kept["anyOf"] = [option for option in kept["anyOf"] if option != {"type": "null"}]
    return {**kept, "$defs": WIRE_SCHEMA["$defs"]}


@pytest.mark.parametrize("field", sorted(WIRE_SCHEMA["properties"]))
def test_every_wire_argument_is_recognised(field: str) -> None:
    value = example_for_schema(non_null(WIRE_SCHEMA["properties"][field]), name=field)
    body = {"model": "m", "messages": USER, field: value}
    raw = json.dumps(body).encode()
    assert wire_accepts(raw)
    error = emulator_error(raw)
    # Semantic rules may still object (tool_choice without tools, ...).
    assert error is None or "Unrecognized" not in error.message


def _assistant_call(function: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An assistant message with one function tool call, ``extra`` keys
    placed beside ``function`` in the call."""
    call = {"id": "c1", "type": "function", "function": function, **extra}
    return {"role": "assistant", "tool_calls": [call]}


# (body, param, code): what a wire-model error becomes.
WIRE_ERRORS: list[tuple[object, str | None, str]] = [
    ([], None, "invalid_type"),
    ({"model": "m", "messages": USER, "stop": 7}, "stop", "invalid_type"),
    ({"model": "m", "messages": USER, "stop": ["a", 1]}, "stop[1]", "invalid_type"),
    (
        {"model": "m", "messages": [{"role": "user"}]},
        "messages[0].content",
        "missing_required_parameter",
    ),
    (
        {"model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": 5}]}]},
        "messages[0].content[0].text",
        "invalid_type",
    ),
    (
        {"model": "m", "messages": [{"role": "user", "content": [{"type": "text"}]}]},
        "messages[0].content[0].text",
        "missing_required_parameter",
    ),
    (
        {"model": "m", "messages": [{"role": "user", "content": [{"kind": "text"}]}]},
        "messages[0].content[0].type",
        "missing_required_parameter",
    ),
    (
        {
            "model": "m",
            "messages": [{"role": "system", "content": [{"type": "image_url", "text": "x"}]}],
        },
        "messages[0].content[0].type",
        "invalid_value",
    ),
    (
        {"model": "m", "messages": [*USER, {"role": "tool", "content": "x"}]},
        "messages[1].tool_call_id",
        "missing_required_parameter",
    ),
    (
        {"model": "m", "messages": USER, "tools": [{"type": "function"}]},
        "tools[0].function",
        "missing_required_parameter",
    ),
    (
        {"model": "m", "messages": USER, "tools": [{"type": "function", "function": {"name": 3}}]},
        "tools[0].function.name",
        "invalid_type",
    ),
    (
        {"model": "m", "messages": USER, "tool_choice": {"type": "bogus"}},
        "tool_choice.type",
        "invalid_value",
    ),
    ({"model": "m", "messages": USER, "tool_choice": 1}, "tool_choice", "invalid_type"),
    (
        {"model": "m", "messages": USER, "response_format": {"type": "json_schema"}},
        "response_format.json_schema",
        "missing_required_parameter",
    ),
    (
        {"model": "m", "messages": USER, "logit_bias": {"50256": 1.5}},
        "logit_bias.50256",
        "invalid_type",
    ),
    (
        {"model": "m", "messages": USER, "prompt_cache_options": {"ttl": "1h"}},
        "prompt_cache_options.ttl",
        "invalid_value",
    ),
    (
        {
            "model": "m",
            "messages": USER,
            "web_search_options": {
                "user_location": {"type": "approximate", "approximate": {"city": 5}}
            },
        },
        "web_search_options.user_location.approximate.city",
        "invalid_type",
    ),
    # A key named like the next step of the error's location, sent one
    # level too high, must not pull the error's ``param`` up to it: the API
    # names the nested place.
    (
        {"model": "m", "messages": [*USER, _assistant_call({"name": "f"}, arguments=None)]},
        "messages[1].tool_calls[0].function.arguments",
        "missing_required_parameter",
    ),
    (
        {
            "model": "m",
            "messages": [*USER, _assistant_call({"name": "f", "arguments": 3}, arguments=3)],
        },
        "messages[1].tool_calls[0].function.arguments",
        "invalid_type",
    ),
    (
        {
            "model": "m",
            "messages": USER,
            "web_search_options": {
                "user_location": {"type": "approximate", "approximate": {"city": 5}, "city": 1}
            },
        },
        "web_search_options.user_location.approximate.city",
        "invalid_type",
    ),
]


@pytest.mark.parametrize(("body", "param", "code"), WIRE_ERRORS)
def test_wire_errors_name_the_field(body: object, param: str | None, code: str) -> None:
    raw = json.dumps(body).encode()
    assert not wire_accepts(raw)
    error = emulator_error(raw)
    assert error is not None
    assert (error.status, error.param, error.code) == (400, param, code)


def _request(**fields: Any) -> dict[str, Any]:
    return {"model": "m", "messages": USER, **fields}


def _content(role: str, content: object) -> dict[str, Any]:
    return {"model": "m", "messages": [{"role": role, "content": content}]}


# A stray key named like a label pydantic puts in the error's location (a
# plain union's member: ``str``, ``list[...]``, a class name) must not pull
# the error's ``param`` into it: the API reports what it reports without
# the key. (body, the same body without the stray key, param)
STRAY_LABELS: list[tuple[object, object, str]] = [
    (_content("user", {"str": "x"}), _content("user", {}), "messages[0].content"),
    (
        _content("system", {"list[ChatCompletionContentPartTextParam]": [{"type": "text"}]}),
        _content("system", {}),
        "messages[0].content",
    ),
    (_request(stop={"list[str]": ["a"]}), _request(stop={}), "stop"),
    (
        _request(function_call={"name": 5, "ChatCompletionFunctionCallOptionParam": {"name": "f"}}),
        _request(function_call={"name": 5}),
        "function_call.name",
    ),
    (
        _request(audio={"format": "wav", "voice": {"id": 5, "VoiceID": {"id": "v"}}}),
        _request(audio={"format": "wav", "voice": {"id": 5}}),
        "audio.voice.id",
    ),
    (
        _request(audio={"format": "wav", "voice": {"VoiceID": {"id": "v"}}}),
        _request(audio={"format": "wav", "voice": {}}),
        "audio.voice.id",
    ),
]


@pytest.mark.parametrize(("body", "clean", "param"), STRAY_LABELS)
def test_a_stray_key_named_like_a_union_member_is_not_a_step(
    body: object, clean: object, param: str
) -> None:
    raw, clean_raw = json.dumps(body).encode(), json.dumps(clean).encode()
    assert not wire_accepts(raw)
    error, expected = emulator_error(raw), emulator_error(clean_raw)
    assert error is not None and expected is not None
    assert error.param == param
    assert (error.param, error.code, error.message) == (
        expected.param,
        expected.code,
        expected.message,
    )


def test_union_type_errors_list_every_member() -> None:
    error = emulator_error(json.dumps({"model": "m", "messages": USER, "stop": 7}).encode())
    assert error is not None
    assert error.message == (
        "Invalid type for 'stop': expected one of a string or an array, but got an integer instead."
    )
    stray = emulator_error(json.dumps(_content("user", {"str": "x"})).encode())
    assert stray is not None
    assert stray.message == (
        "Invalid type for 'messages[0].content': expected one of a string or an array, but got an"
        " object instead."
    )


# --- property: wire-model rejections are emulator 400s ------------------------

_WORDS = ["user", "assistant", "system", "tool", "function", "text", "image_url", "refusal",
          "custom", "allowed_tools", "auto", "none", "json_object", "json_schema", "c1", "f"]  # fmt: skip
# The labels pydantic writes into a location (plain union members) are also
# offered as keys, so a stray key can shadow one.
_KEYS = sorted({"type", "role", "content", "name", "id", "tool_calls", "tool_call_id", "text",
                "function", "arguments", "json_schema", "schema", "user", "str", "list[str]",
                "list[ChatCompletionContentPartTextParam]", "VoiceID",
                "ChatCompletionFunctionCallOptionParam", *WIRE_SCHEMA["properties"]})  # fmt: skip
keys = st.sampled_from(_KEYS) | st.from_regex(r"[a-z_]{1,6}", fullmatch=True)
leaves = (
    st.none()
    | st.booleans()
    | st.integers(-3, 300)
    | st.floats(-3, 3, allow_nan=False)
    | st.sampled_from(_WORDS)
    | st.text(max_size=4)
)
values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=6,
)


def slots(node: object) -> list[tuple[Any, Any]]:
    """(container, key) for every value inside ``node``."""
    found: list[tuple[Any, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            found += [(node, key), *slots(value)]
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += [(node, index), *slots(value)]
    return found


@st.composite
def mutated_requests(draw: st.DrawFn) -> object:
    """A valid request with one to three values replaced, removed or added."""
    body: object = copy.deepcopy(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 3))):
        container, key = draw(st.sampled_from(slots(body) or [(None, None)]))
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if container is None:
            return draw(values)
        if action == "replace":
            container[key] = draw(values)
        elif action == "remove":
            del container[key]
        elif isinstance(container, dict):
            container[draw(keys)] = draw(values)
        else:
            container.insert(key, draw(values))
    return body


def lookup(body: object, param: str) -> tuple[bool, object]:
    """Follow ``messages[0].content`` through ``body``: (found, value). A key
    may itself hold dots or brackets (a stray key named after a union member,
    ``list[...]``): at each object the longest key the path goes on with is taken."""
    node, rest = body, param
    while rest:
        rest = rest.removeprefix(".")
        index = re.match(r"\[(\d+)\]", rest)
        if index and isinstance(node, list) and int(index[1]) < len(node):
            node, rest = node[int(index[1])], rest[index.end() :]
            continue
        if not isinstance(node, dict):
            return False, None
        keys = [
            k
            for k in node
            if isinstance(k, str)
            and k
            and rest.startswith(k)
            and rest[len(k) : len(k) + 1] in ("", ".", "[")
        ]
        if not keys:
            return False, None
        key = max(keys, key=len)
        node, rest = node[key], rest[len(key) :]
    return True, node


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_requests())
def test_wire_rejections_are_emulator_400s(body: object) -> None:
    raw = json.dumps(body).encode()
    error = emulator_error(raw)
    if wire_accepts(raw):
        return  # the emulator may still refuse it on a semantic rule
    assert error is not None, "the wire model rejects this, the emulator accepted it"
    assert (error.status, error.type) == (400, "invalid_request_error")
    assert json.loads(error_body(error))["error"]["message"]
    if error.param is None:
        return
    if error.code == "missing_required_parameter":
        parent, _, last = error.param.rpartition(".")
        found, node = lookup(body, parent) if parent else (True, body)
        assert found and isinstance(node, dict) and last not in node, error.param
    else:
        assert lookup(body, error.param)[0], error.param
