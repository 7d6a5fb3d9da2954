"""The Anthropic Messages emulator's request validation: the API's 400s,
worded as the API words them (``<location>: <problem>`` from the generated
wire model, and the rules no schema carries), over a real loopback socket
with raw httpx and the official ``anthropic`` SDK. Fixtures live in
``conftest.py``."""

from __future__ import annotations

import copy
import json
from typing import Any

import anthropic
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from lip_wire.anthropic.message_create_request import MessageCreateRequest
from refbackends.anthropic_messages.errors import AnthropicError
from refbackends.anthropic_messages.validation import parse_request
from tests.refbackends.anthropic_wire import (
    MODEL,
    TIME_TOOL,
    USER,
    body,
    check_error,
    post,
)

THINKING: Any = {"type": "enabled", "budget_tokens": 1024}


# --- validation ------------------------------------------------------------------

TOOL_USE_TURN: Any = {
    "role": "assistant",
    "content": [{"type": "tool_use", "id": "toolu_1", "name": "get_time", "input": {}}],
}
CALL: Any = {"type": "tool_use", "id": "toolu_1", "name": "get_time"}  # without its input


def blocks(*content: object) -> Any:
    """A valid body but for its one user message, of ``content`` blocks."""
    return body(messages=[{"role": "user", "content": list(content)}])


INVALID: list[tuple[object, str]] = [
    (b"{not json", "The request body is not valid JSON: Expecting property name"),
    ({"model": MODEL, "messages": USER}, "max_tokens: Field required"),
    ({"max_tokens": 5, "messages": USER}, "model: Field required"),
    (body(max_tokens="5"), "max_tokens: Input should be a valid integer"),
    (body(max_tokens=0), "max_tokens: Input should be greater than or equal to 1"),
    (body(messages=[]), "messages: at least one message is required"),
    (body(top_k=3, colour="red"), "colour: Extra inputs are not permitted"),
    (body(temperature=1.5), "temperature: Input should be less than or equal to 1"),
    (body(messages=[{"content": "x"}]), "messages.0.role: Field required"),
    (
        body(messages=[{"role": "robot", "content": "x"}]),
        "messages.0.role: Input should be 'user', 'assistant' or 'system'",
    ),
    (
        body(messages=[{"role": "user", "content": [{"type": "text"}]}]),
        "messages.0.content.0.text.text: Field required",
    ),
    (
        body(messages=[{"role": "assistant", "content": "hi"}]),
        'messages: first message must use the "user" role',
    ),
    (
        body(messages=[{"role": "user", "content": [{"type": "text", "text": ""}]}]),
        "messages: text content blocks must be non-empty",
    ),
    (
        body(messages=[{"role": "user", "content": "  "}]),
        "messages: text content blocks must contain non-whitespace text",
    ),
    (
        body(messages=[{"role": "user", "content": []}]),
        "messages.0: all messages must have non-empty content except for the optional final "
        "assistant message",
    ),
    (
        body(messages=[*USER, {"role": "assistant", "content": "Sure "}]),
        "final assistant content cannot end with trailing whitespace",
    ),
    (
        body(
            messages=[
                *USER,
                {"role": "assistant", "content": [{"type": "thinking", "thinking": "hm"}]},
                *USER,
            ]
        ),
        "messages.1.content.0.thinking.signature: Field required",
    ),
    (
        body(
            messages=[
                *USER,
                {
                    "role": "assistant",
                    "content": [{"type": "thinking", "thinking": "hm", "signature": ""}],
                },
                *USER,
            ]
        ),
        "messages.1.content.0: Invalid `signature` in `thinking` block",
    ),
    (
        body(
            messages=[
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_9"}]}
            ]
        ),
        "messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_9. "
        "Each `tool_result` block must have a corresponding `tool_use` block in the previous "
        "message.",
    ),
    (
        body(messages=[*USER, TOOL_USE_TURN, *USER]),
        "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: "
        "toolu_1. Each `tool_use` block must have a corresponding `tool_result` block in the "
        "next message.",
    ),
    (body(tools=[{"name": "f"}]), "tools.0.custom.input_schema: Field required"),
    (
        body(tools=[{"name": "f", "input_schema": {"type": "array"}}]),
        "tools.0.custom.input_schema.type: Input should be 'object'",
    ),
    (
        body(tools=[{"name": "f", "input_schema": {"properties": {}}}]),
        "tools.0.custom.input_schema.type: Field required",
    ),
    (
        body(tools=[{"name": "get weather", "input_schema": {"type": "object"}}]),
        "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'",
    ),
    (body(tools=[TIME_TOOL, TIME_TOOL]), "tools: Tool names must be unique."),
    # A stray key named like a union marker pydantic puts in the location
    # (the role, a block's tag, a member such as ``str`` or ``ToolParam``)
    # must not pull the location into it.
    (
        body(messages=[{"role": "user", "user": "x", "content": [{"type": "text"}]}]),
        "messages.0.content.0.text.text: Field required",
    ),
    (
        body(messages=[*USER, {**TOOL_USE_TURN, "assistant": {"content": "x"}, "content": [CALL]}]),
        "messages.1.content.0.tool_use.input: Field required",
    ),
    (
        body(tools=[{"name": "f", "ToolParam": {"input_schema": {}}}]),
        "tools.0.custom.input_schema: Field required",
    ),
    (
        body(messages=[{"role": "user", "content": {"str": "x"}}]),
        "messages.0.content: Input should be a valid string",
    ),
    (
        blocks({"type": "document", "source": {"type": "content", "content": 5, "str": "x"}}),
        "messages.0.content.0.document.source.content.content: Input should be a valid string",
    ),
    (
        body(
            messages=[
                *USER,
                {**TOOL_USE_TURN, "content": [{**CALL, "input": None, "tool_use": {}}]},
            ]
        ),
        "messages.1.content.0.tool_use.input: Input should be an object",
    ),
    (
        blocks({"type": "image", "source": {"type": "base64", "data": "AA", "base64": {}}}),
        "messages.0.content.0.image.source.base64.media_type: Field required",
    ),
    (
        body(
            messages=[
                *USER,
                TOOL_USE_TURN,
                {"role": "user", "content": [{"type": "tool_result", "tool_result": {}}]},
            ]
        ),
        "messages.2.content.0.tool_result.tool_use_id: Field required",
    ),
    (body(system=[{"type": "text", "text": ""}]), "system: text content blocks must be non-empty"),
    (
        body(thinking={"type": "enabled", "budget_tokens": 100}),
        "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
    ),
    (
        body(thinking=THINKING, max_tokens=1024),
        "`max_tokens` must be greater than `thinking.budget_tokens`.",
    ),
    (
        body(thinking=THINKING, max_tokens=2048, tools=[TIME_TOOL], tool_choice={"type": "any"}),
        "Thinking may not be enabled when tool_choice forces tool use.",
    ),
]


@pytest.mark.parametrize(("payload", "message"), INVALID)
def test_invalid_requests_get_the_api_400s(
    ahttp: httpx.Client, payload: object, message: str
) -> None:
    response = post(ahttp, payload)
    assert check_error(response, 400, "invalid_request_error").startswith(message)


def test_sdk_raises_bad_request_for_invalid_bodies(aclient: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.BadRequestError) as missing:
        aclient.post(
            "/v1/messages", cast_to=anthropic.types.Message, body={"model": MODEL, "messages": USER}
        )
    assert missing.value.status_code == 400
    assert missing.value.type == "invalid_request_error"
    assert missing.value.api_message == "max_tokens: Field required"
    orphan: Any = [{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_x"}]}]
    with pytest.raises(anthropic.BadRequestError) as unanswered:
        aclient.messages.create(model=MODEL, max_tokens=64, messages=orphan)
    assert "unexpected `tool_use_id` found in `tool_result` blocks" in str(
        unanswered.value.api_message
    )
    empty: Any = [{"role": "user", "content": [{"type": "text", "text": ""}]}]
    with pytest.raises(anthropic.BadRequestError) as blank:
        aclient.messages.create(model=MODEL, max_tokens=64, messages=empty)
    assert blank.value.api_message == "messages: text content blocks must be non-empty"
    assert blank.value.request_id is not None and blank.value.request_id.startswith("req_")


# --- property: wire-model rejections are placed in the body ----------------------

# Bodies the wire model and the emulator both accept, touching every kind of
# union the locations run through: roles, content blocks, sources, tools.
VALID: list[dict[str, Any]] = [
    body(),
    body(
        max_tokens=2048,
        system=[{"type": "text", "text": "be brief", "cache_control": {"type": "ephemeral"}}],
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "look"},
                    {"type": "image", "source": {"type": "url", "url": "https://example.com/a"}},
                    {
                        "type": "image",
                        "source": {"type": "base64", "media_type": "image/png", "data": "AA"},
                    },
                    {
                        "type": "document",
                        "source": {"type": "text", "media_type": "text/plain", "data": "doc"},
                    },
                    {
                        "type": "document",
                        "source": {"type": "content", "content": [{"type": "text", "text": "x"}]},
                    },
                ],
            },
            {
                "role": "assistant",
                "content": [
                    {"type": "thinking", "thinking": "hm", "signature": "sig"},
                    TOOL_USE_TURN["content"][0],
                ],
            },
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": "toolu_1",
                        "content": [{"type": "text", "text": "noon"}],
                    }
                ],
            },
        ],
        tools=[TIME_TOOL, {"type": "web_search_20250305", "name": "web_search"}],
        tool_choice={"type": "auto"},
        thinking=THINKING,
        stop_sequences=["END"],
        metadata={"user_id": "u"},
    ),
    body(tools=[TIME_TOOL], tool_choice={"type": "tool", "name": "get_time"}, stream=True),
]


def emulator_error(payload: object) -> AnthropicError | None:
    try:
        parse_request(json.dumps(payload).encode())
    except AnthropicError as error:
        return error
    return None


def wire_accepts(payload: object) -> bool:
    try:
        MessageCreateRequest.model_validate_json(json.dumps(payload), strict=True)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("payload", VALID, ids=range(len(VALID)))
def test_valid_requests_pass_both(payload: dict[str, Any]) -> None:
    assert wire_accepts(payload)
    assert emulator_error(payload) is None


# The labels pydantic writes into a location (roles, tags, union members)
# are also offered as keys, so a stray key can shadow one.
_WORDS = ["user", "assistant", "text", "image", "document", "tool_use", "tool_result",
          "thinking", "base64", "url", "content", "custom", "auto", "tool", "enabled", "object"]  # fmt: skip
_KEYS = sorted({"type", "role", "content", "text", "source", "data", "media_type", "url", "id",
                "name", "input", "tool_use_id", "thinking", "signature", "input_schema", "user",
                "assistant", "custom", "base64", "str", "ToolParam", *VALID[1]})  # fmt: skip
keys = st.sampled_from(_KEYS) | st.from_regex(r"[a-z_]{1,6}", fullmatch=True)
values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3000)
    | st.sampled_from(_WORDS)
    | st.text(max_size=4),
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
    """A valid request with one to three values replaced, removed or added
    (added keys often copy a sibling's value, the way a stray key does)."""
    payload: object = copy.deepcopy(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 3))):
        container, key = draw(st.sampled_from(slots(payload)))
        action = draw(st.sampled_from(["replace", "remove", "add", "copy"]))
        if action == "replace":
            container[key] = draw(values)
        elif action == "remove":
            del container[key]
        elif isinstance(container, list):
            container.insert(key, draw(values))
        elif action == "copy" and container:
            container[draw(keys)] = copy.deepcopy(container[draw(st.sampled_from(list(container)))])
        else:
            container[draw(keys)] = draw(values)
    return payload


def landings(node: object, path: list[str]) -> list[object]:
    """Every value ``path`` (``messages.0.content.0.text.text``) can name in
    the body: a segment is an index, a key, or a tag the API writes in (the
    object's ``type``; ``custom`` for a tool whose ``type`` is absent or
    null)."""
    if not path:
        return [node]
    step, rest = path[0], path[1:]
    found: list[object] = []
    if isinstance(node, list) and step.isdigit() and int(step) < len(node):
        found += landings(node[int(step)], rest)
    if isinstance(node, dict):
        if step in node:
            found += landings(node[step], rest)
        if node.get("type") == step or (step == "custom" and node.get("type") is None):
            found += landings(node, rest)
    return found


# What a type complaint says the value is not.
_NOT = {
    "Input should be a valid string": str,
    "Input should be a valid integer": int,
    "Input should be a valid list": list,
    "Input should be a valid dictionary": dict,
    "Input should be an object": dict,
}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_requests())
def test_wire_rejections_name_the_failing_value(payload: object) -> None:
    error = emulator_error(payload)
    if wire_accepts(payload):
        return  # the emulator may still refuse it on a semantic rule
    assert error is not None, "the wire model rejects this, the emulator accepted it"
    assert (error.status, error.type) == (400, "invalid_request_error")
    where, _, problem = error.message.partition(": ")
    assert problem and " " not in where, error.message  # the body is an object
    path = where.split(".")
    if problem == "Field required":
        parents = landings(payload, path[:-1])
        assert any(isinstance(p, dict) and path[-1] not in p for p in parents), error.message
        return
    found = landings(payload, path)
    assert found, error.message
    if (kind := _NOT.get(problem)) is not None:
        assert any(not isinstance(v, kind) or isinstance(v, bool) for v in found), error.message
