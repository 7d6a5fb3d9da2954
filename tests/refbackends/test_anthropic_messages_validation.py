"""The Anthropic Messages emulator's request validation: the API's 400s,
worded as the API words them (``<location>: <problem>`` from the generated
wire model, and the rules no schema carries), over a real loopback socket
with raw httpx and the official ``anthropic`` SDK. Fixtures live in
``conftest.py``."""

from __future__ import annotations

from typing import Any

import anthropic
import httpx
import pytest

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
