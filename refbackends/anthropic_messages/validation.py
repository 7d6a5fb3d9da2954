"""Validating a Messages request the way the API does.

:func:`parse_request` turns the raw body into a :class:`MessagesRequest` or
raises a 400 :class:`AnthropicError` worded like the API's. Structure and
types are checked by the generated wire model (``w.MessageCreateRequest``,
strict; errors worded by :func:`.invalid_request.wire_error`), so a pin bump
that changes the model changes what the emulator accepts. This module adds
only the API's rules no schema carries: unparseable JSON; arguments the
model does not name (``foo: Extra inputs are not permitted``; a ``beta``
request may carry beta-only arguments); ``max_tokens`` and sampling ranges;
an empty ``model``; empty system text blocks; tool names and duplicate
names; a tool ``input_schema`` whose ``type`` is not ``"object"``; thinking
budgets; thinking with a forced tool choice; and the ``messages`` rules of
:mod:`.messages`.

``POST /v1/messages/count_tokens`` takes the same body without
``max_tokens`` and the generation-only arguments (``counting=True``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal, assert_never

from pydantic import ValidationError

from lip.canonical.json import JSONObject, JSONValue
from lip_wire.anthropic import message_create_request as w
from refbackends.anthropic_messages.errors import invalid_request
from refbackends.anthropic_messages.invalid_request import wire_error
from refbackends.anthropic_messages.messages import Turn, parse_messages, text_of
from refbackends.content import count_tokens, split_json_fragments, stable_id

__all__ = ["MessagesRequest", "Tool", "parse_request"]

# What the API recognises is what the pinned SDK's request type names, plus
# the sampling arguments it still accepts for older models.
_SAMPLING = {"temperature": (0, 1), "top_p": (0, 1), "top_k": (0, None)}
_ARGUMENTS = frozenset(
    {field.alias or name for name, field in w.MessageCreateRequest.model_fields.items()}
    | set(_SAMPLING)
)
# What the pinned SDK's count_tokens parameters (MessageCountTokensParams) name.
_COUNT_ARGUMENTS = frozenset(
    {
        "cache_control",
        "messages",
        "model",
        "output_config",
        "speed",
        "system",
        "thinking",
        "tool_choice",
        "tools",
        "user_profile_id",
        "workspace_id",
    }
)
_TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,128}$")
_MIN_BUDGET = 1024
_THINKING_DOCS = (
    "https://docs.claude.com/en/docs/build-with-claude/extended-thinking"
    "#max-tokens-and-context-window-size"
)

Thinking = Literal["off", "shown", "omitted"]


@dataclass(frozen=True)
class Tool:
    """A client (``custom``) tool: the ones the emulated model can call."""

    name: str
    input_schema: JSONObject


@dataclass(frozen=True)
class MessagesRequest:
    """A validated request, reduced to what shapes the reply."""

    model: str
    max_tokens: int
    turns: tuple[Turn, ...]
    tools: tuple[Tool, ...]
    tool_choice: str  # auto | any | tool | none
    named_tool: str | None
    stop_sequences: tuple[str, ...]
    stream: bool
    thinking: Thinking
    input_tokens: int  # the deterministic estimate count_tokens answers too
    fingerprint: str  # stable digest of the body (``stream`` aside), seeds every id


def parse_request(raw: bytes, *, beta: bool = False, counting: bool = False) -> MessagesRequest:
    """Validate ``raw`` (the request body) or raise a 400 :class:`AnthropicError`.

    ``beta`` (``?beta=true``): unknown top-level arguments are let through;
    ``counting``: the body of a count_tokens request.
    """
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except ValueError as exc:
        raise invalid_request(f"The request body is not valid JSON: {exc}") from None
    checked = body
    if counting and isinstance(body, dict) and "max_tokens" not in body:
        checked = {**body, "max_tokens": 1}  # not an argument of count_tokens
    try:
        wire = w.MessageCreateRequest.model_validate_json(json.dumps(checked), strict=True)
    except ValidationError as exc:
        raise wire_error(exc, checked) from None
    assert isinstance(body, dict)  # the model accepted it
    known = _COUNT_ARGUMENTS | set(_SAMPLING) if counting else _ARGUMENTS
    for key in body if not beta else ():
        if key not in known:
            raise invalid_request(f"{key}: Extra inputs are not permitted")
    _check_ranges(body, None if counting else wire.max_tokens)
    if not wire.model:
        raise invalid_request("model: String should have at least 1 character")
    system = _system(wire.system)
    turns = parse_messages(wire.messages)
    tools = _tools(wire, body)
    tool_choice, named = _tool_choice(wire.tool_choice)
    thinking = _thinking(wire, counting)
    if thinking != "off" and tool_choice in ("any", "tool"):
        raise invalid_request("Thinking may not be enabled when tool_choice forces tool use.")
    return MessagesRequest(
        model=wire.model,
        max_tokens=wire.max_tokens,
        turns=turns,
        tools=tools,
        tool_choice=tool_choice,
        named_tool=named,
        stop_sequences=tuple(wire.stop_sequences or ()),
        stream=bool(wire.stream),
        thinking=thinking,
        input_tokens=_input_tokens(system, turns, tools),
        fingerprint=_fingerprint(body),
    )


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def _check_ranges(body: dict[str, JSONValue], max_tokens: int | None) -> None:
    """``max_tokens`` (None for count_tokens) and the sampling arguments."""
    if max_tokens is not None and max_tokens < 1:
        raise invalid_request("max_tokens: Input should be greater than or equal to 1")
    for key, (low, high) in _SAMPLING.items():
        if key not in body:
            continue
        value = body[key]
        integer = key == "top_k"
        if isinstance(value, bool) or not isinstance(value, int if integer else int | float):
            kind = "integer" if integer else "number"
            raise invalid_request(f"{key}: Input should be a valid {kind}")
        if value < low:
            raise invalid_request(f"{key}: Input should be greater than or equal to {low}")
        if high is not None and value > high:
            raise invalid_request(f"{key}: Input should be less than or equal to {high}")


def _system(system: str | list[w.TextBlockParam] | None) -> str:
    if system is None:
        return ""
    for block in system if isinstance(system, list) else ():
        if not block.text:
            raise invalid_request("system: text content blocks must be non-empty")
    return text_of(system)


def _tools(wire: w.MessageCreateRequest, body: dict[str, JSONValue]) -> tuple[Tool, ...]:
    raw_tools = body.get("tools")
    tools: list[Tool] = []
    names: set[str] = set()
    for i, tool in enumerate(wire.tools or ()):
        if not isinstance(tool, w.ToolParam):
            continue  # a server tool: the API runs it, the emulated model never calls it
        name = tool.name
        if name in names:
            raise invalid_request("tools: Tool names must be unique.")
        names.add(name)
        if not _TOOL_NAME.match(name):
            raise invalid_request(
                f"tools.{i}.custom.name: String should match pattern '{_TOOL_NAME.pattern}'"
            )
        assert isinstance(raw_tools, list)
        raw = raw_tools[i]
        schema = raw.get("input_schema") if isinstance(raw, dict) else None
        assert isinstance(schema, dict)  # the model accepted an object
        if "type" not in schema:
            raise invalid_request(f"tools.{i}.custom.input_schema.type: Field required")
        if schema["type"] != "object":
            raise invalid_request(f"tools.{i}.custom.input_schema.type: Input should be 'object'")
        tools.append(Tool(name, schema))
    return tuple(tools)


def _tool_choice(choice: w.MessageCreateRequestToolChoice | None) -> tuple[str, str | None]:
    match choice:
        case None:
            return "auto", None
        case w.ToolChoiceToolParam(name=name):
            return "tool", name
        case w.ToolChoiceAutoParam() | w.ToolChoiceAnyParam() | w.ToolChoiceNoneParam():
            return choice.type, None
        case _:
            assert_never(choice)


def _thinking(wire: w.MessageCreateRequest, counting: bool) -> Thinking:
    config = wire.thinking
    match config:
        case None | w.ThinkingConfigDisabledParam():
            return "off"
        case w.ThinkingConfigEnabledParam(budget_tokens=budget):
            if budget < _MIN_BUDGET:
                raise invalid_request(
                    "thinking.enabled.budget_tokens: Input should be greater than or equal to "
                    f"{_MIN_BUDGET}"
                )
            if not counting and wire.max_tokens <= budget:
                raise invalid_request(
                    "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult "
                    f"our documentation at {_THINKING_DOCS}"
                )
            return "omitted" if config.display == "omitted" else "shown"
        case w.ThinkingConfigAdaptiveParam():
            return "omitted" if config.display == "omitted" else "shown"
        case w.ThinkingConfigBetweenToolsParam():
            return "shown"
        case _:
            assert_never(config)


def _input_tokens(system: str, turns: tuple[Turn, ...], tools: tuple[Tool, ...]) -> int:
    """Words of text, plus JSON fragments of tool calls and tool schemas."""
    schemas = sum(
        count_tokens(tool.name) + len(split_json_fragments(json.dumps(tool.input_schema)))
        for tool in tools
    )
    return count_tokens(system) + sum(turn.tokens for turn in turns) + schemas


def _fingerprint(body: dict[str, JSONValue]) -> str:
    """Seed for every id in the reply. ``stream`` is left out, so a streamed
    reply carries the same ids as the unary one and folds to it."""
    kept = {key: value for key, value in body.items() if key != "stream"}
    return stable_id([json.dumps(kept, sort_keys=True, ensure_ascii=False)], 24)
