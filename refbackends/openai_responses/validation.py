"""Validating a Responses request the way the API does.

:func:`parse_request` turns the raw body into a :class:`ResponsesRequest`
or raises the API's :class:`OpenAIError`. Structure and types are checked
strictly by the generated wire model (``w.ResponsesRequest``; the ``input``
items one by one, :mod:`.input_items`), so a pin bump that changes the model
changes what the emulator accepts. This module adds the API's rules no
schema carries: unparseable JSON; parameters the model does not name
(``Unknown parameter: 'foo'.``); a missing ``model``; numeric ranges
(``temperature`` 0..2, ``top_p`` 0..1, ``max_output_tokens`` >= 16,
``top_logprobs`` 0..20); ``include`` values; function tool names
(``^[a-zA-Z0-9_-]+$``, at most 64 characters) and parameters (a JSON Schema
of type object); ``tool_choice`` strings and named functions;
``json_object`` output without the word "json" in the input; an unknown
``previous_response_id``; and the conversation's call/output pairing
(:mod:`.conversation`).

``POST /v1/responses/input_tokens`` takes the same body restricted to the
parameters that shape the input (``counting=True``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal, assert_never

from pydantic import ValidationError

from lip.canonical.json import JSONObject, JSONValue
from lip_wire.openai import responses_request as w
from refbackends.content import stable_id
from refbackends.openai_chat.invalid_request import (
    UNPARSEABLE,
    invalid_value,
    out_of_range,
    wire_error,
)
from refbackends.openai_responses.conversation import (
    Turn,
    check_pairs,
    input_tokens,
    turn_of,
)
from refbackends.openai_responses.errors import OpenAIError, previous_response_not_found
from refbackends.openai_responses.input_items import check_items, unknown_parameter
from refbackends.openai_responses.store import ResponseStore

__all__ = ["FunctionTool", "Reasoning", "ResponsesRequest", "parse_request"]

# What the API recognises is what the pinned SDK's request type names, plus
# ``client_metadata``, which Codex CLI sends on every request and the API
# takes (the SDK passes it as an extra body field).
_ARGUMENTS = frozenset(
    field.alias or name for name, field in w.ResponsesRequest.model_fields.items()
) | {"client_metadata"}
# What the pinned SDK's input-token count parameters (InputTokenCountParams) name.
_COUNT_ARGUMENTS = frozenset(
    {
        "conversation",
        "input",
        "instructions",
        "model",
        "parallel_tool_calls",
        "personality",
        "previous_response_id",
        "reasoning",
        "text",
        "tool_choice",
        "tools",
        "truncation",
    }
)
# (argument, low, high, kind), as the API bounds them.
_BOUNDS: tuple[tuple[str, float | None, float | None, str], ...] = (
    ("temperature", 0, 2, "decimal"),
    ("top_p", 0, 1, "decimal"),
    ("max_output_tokens", 16, None, "integer"),
    ("top_logprobs", 0, 20, "integer"),
)
# The pinned SDK's ResponseIncludable.
_INCLUDABLE = (
    "file_search_call.results",
    "web_search_call.results",
    "web_search_call.action.sources",
    "message.input_image.image_url",
    "computer_call_output.output.image_url",
    "code_interpreter_call.outputs",
    "reasoning.encrypted_content",
    "message.output_text.logprobs",
)
_TOOL_CHOICES = ("none", "auto", "required")
_TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]+$")
_TOOL_NAME_MAX = 64

Reasoning = Literal["off", "hidden", "summarized"]
"""No reasoning; reasoning with an empty summary; with a summary."""


@dataclass(frozen=True)
class FunctionTool:
    """A ``function`` tool offered by the client."""

    name: str
    parameters: JSONObject


@dataclass(frozen=True)
class ResponsesRequest:
    """A validated request, reduced to what shapes the reply. ``body`` is
    the request as sent (the Response object echoes its settings);
    ``history`` the stored items of its ``previous_response_id``;
    ``own_items`` its ``input`` as items (item references resolved); and
    ``turns`` both, reduced."""

    model: str
    body: JSONObject
    instructions: str | None
    history: tuple[JSONObject, ...]
    own_items: tuple[JSONObject, ...]
    turns: tuple[Turn, ...]
    tools: tuple[FunctionTool, ...]
    tool_choice: str  # "auto" | "none" | "required" | "named"
    named_tool: str | None
    stream: bool
    store: bool
    include_encrypted: bool
    include_obfuscation: bool
    reasoning: Reasoning
    max_output_tokens: int | None
    text_format: str  # "text" | "json_object" | "json_schema"
    text_schema: JSONObject | None
    input_tokens: int
    fingerprint: str  # stable digest of the body (streaming options aside), seeds every id


def parse_request(raw: bytes, store: ResponseStore, *, counting: bool = False) -> ResponsesRequest:
    """Validate ``raw`` (the request body) against the API's rules and the
    ``store`` (previous responses, minted reasoning) or raise the API's error."""
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except ValueError:
        raise OpenAIError(400, UNPARSEABLE) from None
    known = _COUNT_ARGUMENTS if counting else _ARGUMENTS
    for key in body if isinstance(body, dict) else ():
        if key not in known:
            raise unknown_parameter(key)
    # The items are checked one by one below (see .input_items).
    items = body.get("input") if isinstance(body, dict) else None
    checked = {**body, "input": []} if isinstance(items, list) else body
    try:
        wire = w.ResponsesRequest.model_validate_json(json.dumps(checked), strict=True)
    except ValidationError as exc:
        raise wire_error(exc, checked) from None
    assert isinstance(body, dict)  # the model accepted it
    if not counting and not wire.model:
        raise OpenAIError(
            400,
            "Missing required parameter: 'model'.",
            param="model",
            code="missing_required_parameter",
        )
    _check_bounds(body)
    include = _include(wire.include or [])
    tools = _tools(wire)
    tool_choice, named = _tool_choice(wire.tool_choice, tools)
    history = _history(wire.previous_response_id, store)
    if isinstance(items, list):
        own = check_items(items, store)
    elif isinstance(items, str):
        own = [{"role": "user", "content": items}]
    else:
        own = []
    turns = tuple(turn_of(item) for item in [*history, *own])
    check_pairs(turns)
    text_format, schema = _text_format(wire, turns)
    options = wire.stream_options
    return ResponsesRequest(
        model=wire.model or "",
        body=body,
        instructions=wire.instructions,
        history=tuple(history),
        own_items=tuple(own),
        turns=turns,
        tools=tools,
        tool_choice=tool_choice,
        named_tool=named,
        stream=bool(wire.stream),
        store=wire.store is not False,
        include_encrypted="reasoning.encrypted_content" in include,
        include_obfuscation=options is None or options.include_obfuscation is not False,
        reasoning=_reasoning(wire.reasoning),
        max_output_tokens=wire.max_output_tokens,
        text_format=text_format,
        text_schema=schema,
        input_tokens=input_tokens(wire.instructions, turns),
        fingerprint=_fingerprint(body),
    )


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _check_bounds(body: dict[str, JSONValue]) -> None:
    for key, low, high, kind in _BOUNDS:
        value = body.get(key)  # as sent: 3, not the model's 3.0
        if isinstance(value, int | float):
            problem = out_of_range(key, value, low, high, kind)
            if problem is not None:
                raise problem


def _include(include: list[str]) -> list[str]:
    for k, value in enumerate(include):
        if value not in _INCLUDABLE:
            raise invalid_value(f"include[{k}]", value, _INCLUDABLE)
    return include


def _tools(wire: w.ResponsesRequest) -> tuple[FunctionTool, ...]:
    """The function tools; hosted and custom tools are accepted and never called."""
    tools: list[FunctionTool] = []
    for k, tool in enumerate(wire.tools or ()):
        if not isinstance(tool, w.FunctionToolParam):
            continue
        param = f"tools[{k}].name"
        if len(tool.name) > _TOOL_NAME_MAX:
            raise OpenAIError(
                400,
                f"Invalid '{param}': string too long. Expected a string with maximum length "
                f"{_TOOL_NAME_MAX}, but got a string with length {len(tool.name)} instead.",
                param=param,
                code="string_above_max_length",
            )
        if not _TOOL_NAME.match(tool.name):
            raise OpenAIError(
                400,
                f"Invalid '{param}': string does not match pattern. Expected a string that "
                f"matches the pattern '{_TOOL_NAME.pattern}'.",
                param=param,
                code="invalid_value",
            )
        schema: JSONObject = tool.parameters or {"type": "object", "properties": {}}
        if schema.get("type") != "object":
            raise OpenAIError(
                400,
                f"Invalid schema for function '{tool.name}': schema must be a JSON Schema of "
                f"'type: \"object\"', got 'type: \"{schema.get('type')}\"'.",
                param=f"tools[{k}].parameters",
                code="invalid_function_parameters",
            )
        tools.append(FunctionTool(tool.name, schema))
    return tuple(tools)


def _tool_choice(
    choice: w.ResponsesRequestToolChoice | str | None, tools: tuple[FunctionTool, ...]
) -> tuple[str, str | None]:
    match choice:
        case None:
            return "auto", None
        case str():
            if choice not in _TOOL_CHOICES:
                raise invalid_value("tool_choice", choice, _TOOL_CHOICES)
            return choice, None
        case w.ToolChoiceFunctionParam(name=name):
            if name not in {tool.name for tool in tools}:
                raise OpenAIError(
                    400,
                    f"Tool choice '{name}' not found in 'tools' parameter.",
                    param="tool_choice",
                )
            return "named", name
        case w.ToolChoiceAllowedParam(mode=mode):
            return (mode if mode in ("auto", "required") else "auto"), None
        case _:
            # Hosted, custom, MCP and other tool choices: never a function call.
            return "none", None


def _history(previous: str | None, store: ResponseStore) -> list[JSONObject]:
    if previous is None:
        return []
    stored = store.get(previous)
    if stored is None:
        raise previous_response_not_found(previous)
    return stored.history()


def _text_format(
    wire: w.ResponsesRequest, turns: tuple[Turn, ...]
) -> tuple[str, JSONObject | None]:
    spec = wire.text.format if wire.text is not None else None
    match spec:
        case None | w.ResponseFormatText():
            return "text", None
        case w.ResponseFormatJSONObject():
            texts = [wire.instructions or "", *(turn.text for turn in turns)]
            if not any("json" in text.lower() for text in texts):
                raise OpenAIError(
                    400,
                    "Response input messages must contain the word 'json' in some form to use "
                    "'text.format' of type 'json_object'.",
                    param="input",
                )
            return "json_object", None
        case w.ResponseFormatTextJSONSchemaConfigParam(schema_=schema):
            return "json_schema", schema
        case _:
            assert_never(spec)


def _reasoning(config: w.ReasoningReasoning | None) -> Reasoning:
    if config is None or config.effort == "none":
        return "off"
    return "summarized" if config.summary or config.generate_summary else "hidden"


def _fingerprint(body: JSONObject) -> str:
    """Seed for every id in the reply. Streaming options are left out, so a
    streamed reply carries the same ids as the unary one and folds to it."""
    kept = {key: value for key, value in body.items() if key not in ("stream", "stream_options")}
    return stable_id([json.dumps(kept, sort_keys=True, ensure_ascii=False)], 24)
