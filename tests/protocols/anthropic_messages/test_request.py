"""Anthropic Messages request -> Call: every canonical field, carried vendor
fields, provider state, and bad input as Anthropic's own 400s."""

from __future__ import annotations

import json
from typing import Any

import pytest

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
from lip.protocols.anthropic_messages.carry import BETA, PROTOCOL, SYSTEM_BLOCKS, VERSION
from lip.protocols.anthropic_messages.request import MessagesReplyShape, decode_request

HEADERS = {"anthropic-version": "2023-06-01", "anthropic-beta": "context-management-2025-06-27"}
WEATHER = {
    "name": "get_weather",
    "description": "Weather for a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
}


def _decode(body: dict[str, Any], limits: Limits | None = None) -> Any:
    raw = json.dumps(body).encode()
    return decode_request(raw, HEADERS) if limits is None else decode_request(raw, HEADERS, limits)


def _rich() -> dict[str, Any]:
    return {
        "model": "claude-sonnet-4-5",
        "max_tokens": 1024,
        "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is in these?"},
                    {
                        "type": "image",
                        "source": {"type": "base64", "media_type": "image/png", "data": "iVBOR"},
                    },
                    {
                        "type": "image",
                        "source": {"type": "url", "url": "https://example.com/a.png"},
                    },
                    {
                        "type": "document",
                        "source": {"type": "text", "media_type": "text/plain", "data": "notes"},
                        "title": "Notes",
                        "context": "meeting",
                        "citations": {"enabled": True},
                    },
                ],
            },
            {
                "role": "assistant",
                "content": [
                    {"type": "thinking", "thinking": "Let me look.", "signature": "sig-1"},
                    {"type": "redacted_thinking", "data": "opaque"},
                    {
                        "type": "tool_use",
                        "id": "toolu_1",
                        "name": "get_weather",
                        "input": {"city": "Paris"},
                    },
                ],
            },
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": "toolu_1",
                        "content": "sunny",
                        "is_error": False,
                    },
                    {"type": "text", "text": "And tomorrow?"},
                ],
            },
            {"role": "system", "content": "Answer in French."},
        ],
        "tools": [WEATHER, {"type": "web_search_20250305", "name": "web_search", "max_uses": 2}],
        "tool_choice": {"type": "auto", "disable_parallel_tool_use": True},
        "thinking": {"type": "enabled", "budget_tokens": 2048},
        "output_config": {"effort": "high"},
        "stop_sequences": ["END"],
        "metadata": {"user_id": "user-7"},
        "context_management": {"edits": []},
        "stream": True,
    }


def test_decodes_every_canonical_field() -> None:
    request = _decode(_rich())
    call = request.call
    assert call.protocol == PROTOCOL and call.model == "claude-sonnet-4-5" and call.stream
    assert isinstance(request.shape, MessagesReplyShape) and request.shape.input_estimate > 0
    system, user, assistant, tool, user2, late_system = call.messages
    assert system.role == "system" and system.parts[0].cache is not None
    assert [type(p) for p in user.parts] == [TextPart, ImagePart, ImagePart, FilePart]
    image, url_image, document = user.parts[1], user.parts[2], user.parts[3]
    assert (image.data, image.media_type, url_image.url) == (
        "iVBOR",
        "image/png",
        "https://example.com/a.png",
    )  # type: ignore[union-attr]
    assert (document.text, document.title, document.context) == ("notes", "Notes", "meeting")  # type: ignore[union-attr]
    assert document.extensions[PROTOCOL] == {"citations": {"enabled": True}}
    thinking, redacted, use = assistant.parts
    assert isinstance(thinking, ReasoningPart) and thinking.state is not None
    assert (thinking.text, thinking.state.signature, thinking.state.origin) == (
        "Let me look.",
        "sig-1",
        PROTOCOL,
    )
    assert isinstance(redacted, ReasoningPart) and redacted.redacted
    assert redacted.state is not None and redacted.state.encrypted == "opaque"
    assert isinstance(use, ToolCallPart) and json.loads(use.arguments) == {"city": "Paris"}
    # Tool results split off the user turn, into the canonical tool turn first.
    assert tool.role == "tool" and isinstance(tool.parts[0], ToolResultPart)
    assert tool.parts[0].call_id == "toolu_1" and tool.parts[0].content == (TextPart(text="sunny"),)
    assert user2.role == "user" and user2.parts == (TextPart(text="And tomorrow?"),)
    assert late_system.role == "system"
    custom, server = call.tools
    assert custom.parameters == WEATHER["input_schema"] and custom.hosted_by is None
    assert server.hosted_by == PROTOCOL and server.extensions[PROTOCOL]["max_uses"] == 2
    assert call.tool_choice is not None and call.tool_choice.mode is ToolChoiceMode.AUTO
    options = call.options
    assert options.parallel_tool_calls is False
    assert (
        options.max_output_tokens,
        options.reasoning_budget_tokens,
        options.reasoning_effort,
    ) == (1024, 2048, "high")
    assert options.stop == ("END",) and call.user == "user-7"
    carried = call.extensions[PROTOCOL]
    assert carried[SYSTEM_BLOCKS] is True and carried["context_management"] == {"edits": []}
    assert (carried[VERSION], carried[BETA]) == (
        HEADERS["anthropic-version"],
        HEADERS["anthropic-beta"],
    )


@pytest.mark.parametrize(
    ("choice", "mode", "name"),
    [
        ({"type": "auto"}, ToolChoiceMode.AUTO, None),
        ({"type": "any"}, ToolChoiceMode.REQUIRED, None),
        ({"type": "tool", "name": "get_weather"}, ToolChoiceMode.NAMED, "get_weather"),
        ({"type": "none"}, ToolChoiceMode.NONE, None),
    ],
)
def test_tool_choice(choice: dict[str, str], mode: ToolChoiceMode, name: str | None) -> None:
    body = {
        "model": "m",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "x"}],
        "tools": [WEATHER],
        "tool_choice": choice,
    }
    call = _decode(body).call
    assert call.tool_choice is not None
    assert (call.tool_choice.mode, call.tool_choice.name) == (mode, name)


def test_output_format_and_adaptive_thinking() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    body = {
        "model": "m",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "x"}],
        "thinking": {"type": "adaptive"},
        "output_config": {"effort": "low", "format": {"type": "json_schema", "schema": schema}},
    }
    call = _decode(body).call
    fmt = call.options.response_format
    assert fmt is not None and fmt.kind is ResponseFormatKind.JSON_SCHEMA and fmt.schema == schema
    assert call.options.reasoning_effort == "low"
    assert call.extensions[PROTOCOL]["thinking"] == {"type": "adaptive"}


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"max_tokens": None}, "max_tokens: Field required"),
        ({"messages": []}, "messages: List should have at least 1 item"),
        ({"max_tokens": 0}, "max_tokens: Input should be greater than or equal to 1"),
        ({"max_tokens": "7"}, "max_tokens"),
        ({"temperature": "hot"}, "temperature"),
    ],
)
def test_bad_input_is_an_invalid_request(patch: dict[str, Any], message: str) -> None:
    body: dict[str, Any] = {
        "model": "m",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "x"}],
        **patch,
    }
    body = {k: v for k, v in body.items() if v is not None}
    with pytest.raises(InvalidRequestError, match=message):
        _decode(body)


def test_non_json_and_non_finite_numbers_are_refused() -> None:
    with pytest.raises(InvalidRequestError, match="parsing the body"):
        decode_request(b"{nope", HEADERS)
    with pytest.raises(InvalidRequestError, match="NaN"):
        decode_request(b'{"model":"m","max_tokens":5,"temperature":NaN,"messages":[]}', HEADERS)


def test_counts_over_the_limits_are_refused() -> None:
    body = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "x"}] * 3}
    with pytest.raises(InvalidRequestError, match="at most 2") as info:
        _decode(body, Limits(max_messages=2))
    assert info.value.code == "array_above_max_length"
