"""OpenAI Responses request -> Call: every canonical field, carried vendor
fields, provider state, previous_response_id, and bad input as OpenAI's own 400s."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lip.canonical import (
    FilePart,
    ImagePart,
    InvalidRequestError,
    Limits,
    ReasoningPart,
    ResponseFormatKind,
    TextPart,
    ToolCallPart,
    ToolChoiceMode,
    ToolResultPart,
)
from lip.protocols.base import ClientRequest
from lip.protocols.openai_responses import conversation
from lip.protocols.openai_responses.backend import encode_request
from lip.protocols.openai_responses.carry import (
    INSTRUCTIONS,
    PROTOCOL,
    RESULT_PARTS,
    STRING_CONTENT,
    STRING_INPUT,
)
from lip.protocols.openai_responses.request import (
    ResponsesReplyShape,
    decode_count_request,
    decode_request,
)
from lip.server.state import MemoryStore

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
WEATHER: dict[str, Any] = {
    "type": "function",
    "name": "get_weather",
    "description": "Weather for a city",
    "parameters": SCHEMA,
    "strict": True,
}


def rich() -> dict[str, Any]:
    """A Responses request using every kind of input item, tool and option (a fresh copy)."""
    body: dict[str, Any] = {
        "model": "gpt-5",
        "instructions": "Be brief.",
        "input": [
            {"role": "developer", "content": "Answer in French."},
            {"role": "system", "content": [{"type": "input_text", "text": "Stay polite."}]},
            {
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "What is in these?"},
                    {
                        "type": "input_image",
                        "image_url": "https://example.com/a.png",
                        "detail": "high",
                    },
                    {
                        "type": "input_image",
                        "image_url": "data:image/png;base64,iVBOR",
                        "detail": "auto",
                    },
                    {"type": "input_file", "file_id": "file-abc"},
                    {
                        "type": "input_file",
                        "filename": "notes.pdf",
                        "file_data": "data:application/pdf;base64,JVBER",
                    },
                ],
            },
            {
                "type": "message",
                "id": "msg_1",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": "A cat.", "annotations": []}],
            },
            {"role": "user", "content": "Weather in Paris and Rome?"},
            {
                "type": "reasoning",
                "id": "rs_1",
                "summary": [{"type": "summary_text", "text": "Look it up."}],
                "encrypted_content": "gAAAAB-opaque",
            },
            {
                "type": "function_call",
                "id": "fc_1",
                "call_id": "call_1",
                "name": "get_weather",
                "arguments": '{"city":"Paris"}',
                "status": "completed",
            },
            {
                "type": "function_call",
                "id": "fc_2",
                "call_id": "call_2",
                "name": "get_weather",
                "arguments": '{"city":"Rome"}',
            },
            {"type": "function_call_output", "call_id": "call_1", "output": "sunny"},
            {
                "type": "function_call_output",
                "call_id": "call_2",
                "output": [{"type": "input_text", "text": "rain"}],
            },
            {"role": "user", "content": "Thanks"},
        ],
        "tools": [
            WEATHER,
            {"type": "web_search"},
            {"type": "file_search", "vector_store_ids": ["vs_1"], "max_num_results": 4},
            {"type": "custom", "name": "grammar_tool", "description": "free text"},
            {
                "type": "namespace",
                "name": "crm",
                "description": "CRM tools",
                "tools": [
                    {
                        "type": "function",
                        "name": "lookup",
                        "parameters": {"type": "object"},
                        "strict": False,
                    }
                ],
            },
        ],
        "tool_choice": "auto",
        "parallel_tool_calls": False,
        "text": {
            "format": {"type": "json_schema", "name": "weather", "schema": SCHEMA, "strict": True},
            "verbosity": "low",
        },
        "reasoning": {"effort": "high", "summary": "auto"},
        "include": ["reasoning.encrypted_content"],
        "store": False,
        "metadata": {"k": "v"},
        "prompt_cache_key": "pck-1",
        "truncation": "auto",
        "max_output_tokens": 512,
        "temperature": 0.5,
        "top_p": 0.9,
        "user": "user-7",
        "future_field": {"x": [1, 2]},
        "stream": True,
    }
    return copy.deepcopy(body)


def decode(body: dict[str, Any], **kwargs: Any) -> ClientRequest:
    return decode_request(json.dumps(body).encode(), **kwargs)


def test_decodes_every_canonical_field() -> None:
    request = decode(rich())
    call = request.call
    assert (call.protocol, call.model, call.stream) == (PROTOCOL, "gpt-5", True)
    roles = [m.role for m in call.messages]
    assert roles == [
        *("system", "developer", "system", "user", "assistant"),
        *("user", "assistant", "tool", "user"),
    ]
    instructions, developer, system, user, answer, ask, calls, results, thanks = call.messages
    assert instructions.parts == (TextPart(text="Be brief."),)
    assert instructions.extensions[PROTOCOL] == {INSTRUCTIONS: True}
    assert developer.extensions[PROTOCOL] == {STRING_CONTENT: True}
    assert system.parts == (TextPart(text="Stay polite."),) and not system.extensions
    text, url, data, by_id, inline = user.parts
    assert text == TextPart(text="What is in these?")
    assert isinstance(url, ImagePart) and (url.url, url.detail) == (
        "https://example.com/a.png",
        "high",
    )
    assert isinstance(data, ImagePart) and (data.data, data.media_type) == ("iVBOR", "image/png")
    assert isinstance(by_id, FilePart) and by_id.file_id == "file-abc"
    assert isinstance(inline, FilePart)
    assert (inline.data, inline.media_type, inline.filename) == (
        "JVBER",
        "application/pdf",
        "notes.pdf",
    )
    (said,) = answer.parts
    assert isinstance(said, TextPart) and said.text == "A cat."
    assert ask.parts == (TextPart(text="Weather in Paris and Rome?"),)
    reasoning, paris, rome = calls.parts
    assert isinstance(reasoning, ReasoningPart) and reasoning.summary == ("Look it up.",)
    assert reasoning.state is not None
    assert (reasoning.state.origin, reasoning.state.item_id, reasoning.state.encrypted) == (
        PROTOCOL,
        "rs_1",
        "gAAAAB-opaque",
    )
    assert isinstance(paris, ToolCallPart) and isinstance(rome, ToolCallPart)
    assert (paris.id, paris.name, json.loads(paris.arguments)) == (
        "call_1",
        "get_weather",
        {"city": "Paris"},
    )
    assert paris.state is not None and paris.state.item_id == "fc_1"
    sunny, rain = results.parts
    assert isinstance(sunny, ToolResultPart) and isinstance(rain, ToolResultPart)
    assert (sunny.call_id, sunny.content) == ("call_1", (TextPart(text="sunny"),))
    assert (rain.call_id, rain.content) == ("call_2", (TextPart(text="rain"),))
    assert rain.extensions[PROTOCOL] == {RESULT_PARTS: True}
    assert thanks.parts == (TextPart(text="Thanks"),)

    function = call.tools[0]
    assert (function.name, function.parameters, function.strict) == ("get_weather", SCHEMA, True)
    assert function.hosted_by is None
    hosted = {t.name: t for t in call.tools if t.hosted_by == PROTOCOL}
    assert set(hosted) == {"web_search", "file_search", "grammar_tool"}
    assert hosted["file_search"].extensions[PROTOCOL]["vector_store_ids"] == ["vs_1"]
    assert any("lookup" in t.name and t.hosted_by is None for t in call.tools)
    assert call.tool_choice is not None and call.tool_choice.mode is ToolChoiceMode.AUTO

    options = call.options
    assert (options.max_output_tokens, options.temperature, options.top_p) == (512, 0.5, 0.9)
    assert (options.reasoning_effort, options.parallel_tool_calls) == ("high", False)
    fmt = options.response_format
    assert fmt is not None and fmt.kind is ResponseFormatKind.JSON_SCHEMA
    assert (fmt.name, fmt.schema, fmt.strict) == ("weather", SCHEMA, True)
    assert (call.user, dict(call.metadata)) == ("user-7", {"k": "v"})

    carried = call.extensions[PROTOCOL]
    assert carried["include"] == ["reasoning.encrypted_content"]
    assert (carried["store"], carried["prompt_cache_key"], carried["truncation"]) == (
        False,
        "pck-1",
        "auto",
    )
    assert carried["future_field"] == {"x": [1, 2]}
    assert carried["text"] == {"verbosity": "low"} and carried["reasoning"] == {"summary": "auto"}

    shape = request.shape
    assert isinstance(shape, ResponsesReplyShape)
    assert shape.encrypted and shape.store is None  # store: false
    assert shape.echo["instructions"] == "Be brief." and shape.echo["tools"] == rich()["tools"]
    assert shape.input == rich()["input"] == shape.context


def test_a_string_input_is_one_user_turn() -> None:
    call = decode({"model": "m", "input": "hello"}).call
    (message,) = call.messages
    assert (message.role, message.parts) == ("user", (TextPart(text="hello"),))
    assert call.extensions[PROTOCOL] == {STRING_INPUT: True}
    assert not call.stream and call.tools == () and call.tool_choice is None


def test_the_reply_shape_echoes_the_api_defaults() -> None:
    store = MemoryStore(max_entries=8, max_bytes=1 << 20, ttl=60)
    shape = decode({"model": "m", "input": "hi"}, store=store).shape
    assert isinstance(shape, ResponsesReplyShape)
    assert shape.store is store and not shape.encrypted
    echo = shape.echo
    assert (echo["tool_choice"], echo["parallel_tool_calls"], echo["tools"]) == ("auto", True, [])
    assert echo["text"] == {"format": {"type": "text"}} and echo["metadata"] == {}
    assert shape.input == [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize(
    ("choice", "mode", "name"),
    [
        ("auto", ToolChoiceMode.AUTO, None),
        ("none", ToolChoiceMode.NONE, None),
        ("required", ToolChoiceMode.REQUIRED, None),
        ({"type": "function", "name": "get_weather"}, ToolChoiceMode.NAMED, "get_weather"),
    ],
)
def test_tool_choice(choice: Any, mode: ToolChoiceMode, name: str | None) -> None:
    call = decode({"model": "m", "input": "x", "tools": [WEATHER], "tool_choice": choice}).call
    assert call.tool_choice is not None
    assert (call.tool_choice.mode, call.tool_choice.name) == (mode, name)


@pytest.mark.parametrize(
    "choice",
    [
        {"type": "allowed_tools", "mode": "auto", "tools": [{"type": "function", "name": "f"}]},
        {"type": "web_search_preview"},
    ],
)
def test_tool_choices_with_no_canonical_form_are_carried(choice: dict[str, Any]) -> None:
    call = decode({"model": "m", "input": "x", "tools": [WEATHER], "tool_choice": choice}).call
    assert call.tool_choice is None and call.extensions[PROTOCOL]["tool_choice"] == choice


@pytest.mark.parametrize(
    ("fmt", "kind"),
    [
        ({"type": "json_object"}, ResponseFormatKind.JSON_OBJECT),
        ({"type": "text"}, ResponseFormatKind.TEXT),
    ],
)
def test_text_formats(fmt: dict[str, Any], kind: ResponseFormatKind) -> None:
    call = decode({"model": "m", "input": "x", "text": {"format": fmt}}).call
    assert call.options.response_format is not None
    assert call.options.response_format.kind is kind
    assert PROTOCOL not in call.extensions or "text" not in call.extensions[PROTOCOL]


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"model": None}, "model"),
        ({"input": 7}, "input"),
        ({"input": [{"role": "user", "content": 7}]}, "input"),
        ({"input": [{"role": "critic", "content": "x"}]}, "'critic'"),
        ({"input": [{"id": "x", "role": "user", "content": {"a": 1}}]}, "input\\[0\\]"),
        ({"input": [{"type": "function_call", "call_id": "c", "name": "f"}]}, "input"),
        ({"input": [{"role": "user", "content": [{"type": "input_file"}]}]}, "input_file"),
        ({"input": []}, "input"),
        ({"temperature": "hot"}, "temperature"),
        ({"tool_choice": "bogus"}, "'bogus'"),
        ({"tools": 3.5}, "tools"),
        ({"max_output_tokens": "7"}, "max_output_tokens"),
    ],
)
def test_bad_input_is_an_invalid_request(patch: dict[str, Any], message: str) -> None:
    body = {k: v for k, v in {"model": "m", "input": "x", **patch}.items() if v is not None}
    with pytest.raises(InvalidRequestError, match=message):
        decode(body)


@pytest.mark.parametrize("body", [b"{nope", b"[]", b'"x"', b"null", b""])
def test_a_body_that_is_no_json_object_is_refused(body: bytes) -> None:
    with pytest.raises(InvalidRequestError):
        decode_request(body)


def test_non_finite_numbers_are_refused() -> None:
    with pytest.raises(InvalidRequestError, match="NaN"):
        decode_request(b'{"model":"m","input":"x","temperature":NaN}')


def test_counts_over_the_limits_are_refused() -> None:
    body = {"model": "m", "input": [{"role": "user", "content": "x"}] * 3}
    with pytest.raises(InvalidRequestError, match="at most 2") as info:
        decode(body, limits=Limits(max_messages=2))
    assert info.value.code == "array_above_max_length"


def test_an_unknown_previous_response_is_the_vendors_error() -> None:
    store = MemoryStore(max_entries=8, max_bytes=1 << 20, ttl=60)
    for where in (store, None):
        with pytest.raises(InvalidRequestError) as info:
            decode({"model": "m", "input": "x", "previous_response_id": "resp_gone"}, store=where)
        assert info.value.message == "Previous response with id 'resp_gone' not found."
        assert (info.value.param, info.value.code) == (
            "previous_response_id",
            "previous_response_not_found",
        )


def test_a_previous_response_id_must_start_with_resp() -> None:
    with pytest.raises(InvalidRequestError, match="begins with 'resp'") as info:
        decode({"model": "m", "input": "x", "previous_response_id": "chatcmpl-1"})
    assert info.value.param == "previous_response_id"


def test_a_previous_response_continues_the_conversation() -> None:
    store = MemoryStore(max_entries=8, max_bytes=1 << 20, ttl=60)
    answer = {
        "id": "msg_a",
        "type": "message",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": "Paris.", "annotations": []}],
    }
    earlier = [{"role": "user", "content": "Capital of France?"}]
    conversation.save(store, {"id": "resp_1", "output": [answer]}, earlier, earlier)
    request = decode(
        {"model": "m", "input": "And Italy?", "previous_response_id": "resp_1"}, store=store
    )
    call = request.call
    assert [m.role for m in call.messages] == ["user", "assistant", "user"]
    (said,) = call.messages[1].parts
    assert isinstance(said, TextPart) and said.text == "Paris."
    assert call.previous_response_id == "resp_1"
    shape = request.shape
    assert isinstance(shape, ResponsesReplyShape)
    assert shape.context == [*earlier, answer, {"role": "user", "content": "And Italy?"}]
    assert shape.input == [{"role": "user", "content": "And Italy?"}]


def test_a_count_request_is_the_same_call_without_a_reply_shape() -> None:
    counted = decode_count_request(json.dumps(rich()).encode())
    assert counted.call == decode(rich()).call
    assert not isinstance(counted.shape, ResponsesReplyShape)


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
        call = decode_request(body).call
    except InvalidRequestError:
        return
    with contextlib.suppress(InvalidRequestError):  # it goes upstream, or is the client's 400
        encode_request(call, call.model)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values, st.dictionaries(st.sampled_from(sorted(rich())), json_values, max_size=4))
def test_junk_bodies_are_invalid_requests(junk: Any, fields: dict[str, Any]) -> None:
    _decodes_or_refuses(json.dumps(junk).encode())
    _decodes_or_refuses(json.dumps({"model": "m", **fields}).encode())


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
