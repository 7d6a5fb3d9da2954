"""Validating a Chat Completions request the way the API does.

:func:`parse_chat_request` turns the raw body into a :class:`ChatRequest` or
raises a 400 :class:`OpenAIError` worded like the API's. Structure and types
are checked by the generated wire model (``w.ChatCompletionRequest``, strict;
errors worded by :func:`.invalid_request.wire_error`), so a pin bump that
changes the model changes what the emulator accepts. This module adds only
the API's rules no schema carries: unparseable JSON (NaN included);
arguments the model does not name ("Unrecognized request argument
supplied"); a missing or empty ``model``; numeric ranges; empty
``messages``/``tools``; over 4 ``stop`` sequences; tool-name patterns;
``tool_choice`` strings other than none/auto/required; ``tool_choice`` or
``parallel_tool_calls`` without ``tools``; a named function not among the
tools; tool calls and tool messages that do not pair up (:mod:`.messages`);
``stream_options`` without ``stream``; ``json_object`` without the word
"json" in the messages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import assert_never

from pydantic import ValidationError

from lip.canonical.json import JSONObject
from lip_wire.openai import chat_completion_request as w
from refbackends.content import stable_id
from refbackends.openai_chat.errors import OpenAIError
from refbackends.openai_chat.invalid_request import (
    UNPARSEABLE,
    bad_length,
    invalid_value,
    out_of_range,
    wire_error,
)
from refbackends.openai_chat.messages import Message, parse_messages

__all__ = ["ChatRequest", "FunctionTool", "Message", "parse_chat_request"]

# What the API recognises is what the pinned SDK's request type names.
_ARGUMENTS = frozenset(
    field.alias or name for name, field in w.ChatCompletionRequest.model_fields.items()
)
# Bounds the API enforces that the wire model does not carry: (argument,
# low, high, kind); "array" bounds the length, the others the value.
_BOUNDS: tuple[tuple[str, int | None, int | None, str], ...] = (
    ("messages", 1, None, "array"),
    ("tools", 1, None, "array"),
    ("stop", None, 4, "array"),
    ("temperature", 0, 2, "decimal"),
    ("top_p", 0, 1, "decimal"),
    ("presence_penalty", -2, 2, "decimal"),
    ("frequency_penalty", -2, 2, "decimal"),
    ("n", 1, 128, "integer"),
    ("max_tokens", 1, None, "integer"),
    ("max_completion_tokens", 1, None, "integer"),
    ("top_logprobs", 0, 20, "integer"),
)
_TOOL_CHOICES = ("none", "auto", "required")
_TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


@dataclass(frozen=True)
class FunctionTool:
    """A ``function`` tool offered by the client."""

    name: str
    parameters: JSONObject


@dataclass(frozen=True)
class ChatRequest:
    """A validated request, reduced to what shapes the reply."""

    model: str
    messages: tuple[Message, ...]
    tools: tuple[FunctionTool, ...]
    tool_choice: str  # "auto" | "none" | "required" | "named"
    named_tool: str | None
    stream: bool
    include_usage: bool
    include_obfuscation: bool
    n: int
    max_output_tokens: int | None
    stop: tuple[str, ...]
    response_format: str  # "text" | "json_object" | "json_schema"
    response_schema: JSONObject | None
    service_tier: str | None
    fingerprint: str  # stable digest of the body (streaming options aside), seeds every id


def parse_chat_request(raw: bytes) -> ChatRequest:
    """Validate ``raw`` (the request body) or raise a 400 :class:`OpenAIError`."""
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except ValueError:
        raise OpenAIError(400, UNPARSEABLE) from None
    if isinstance(body, dict):
        # Checked before the model: it accepts unknown fields (extra="allow").
        for key in body:
            if key not in _ARGUMENTS:
                raise OpenAIError(400, f"Unrecognized request argument supplied: {key}")
        if body.get("model") in (None, ""):
            raise OpenAIError(400, "you must provide a model parameter")
    try:
        wire = w.ChatCompletionRequest.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        raise wire_error(exc, body) from None
    for key, low, high, kind in _BOUNDS:
        value = body.get(key)  # as sent: 3, not the model's 3.0
        if value is None or (kind == "array") != isinstance(value, list):
            continue  # absent, or a plain string for "stop"
        if kind == "array":
            problem = bad_length(key, len(value), low, high)
        else:
            problem = out_of_range(key, value, low, high, kind)
        if problem is not None:
            raise problem
    messages = parse_messages(wire.messages)
    if wire.stream_options is not None and not wire.stream:
        raise OpenAIError(
            400,
            "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
            param="stream_options",
        )
    tools = _tools(wire)
    tool_choice, named = _tool_choice(wire, tools)
    response_format, schema = _response_format(wire, messages)
    options = wire.stream_options
    return ChatRequest(
        model=wire.model,
        messages=messages,
        tools=tools,
        tool_choice=tool_choice,
        named_tool=named,
        stream=bool(wire.stream),
        include_usage=bool(options and options.include_usage),
        include_obfuscation=options is None or options.include_obfuscation is not False,
        n=wire.n or 1,
        max_output_tokens=wire.max_completion_tokens or wire.max_tokens,  # both >= 1
        stop=(wire.stop,) if isinstance(wire.stop, str) else tuple(wire.stop or ()),
        response_format=response_format,
        response_schema=schema,
        service_tier=wire.service_tier,
        fingerprint=_fingerprint(body),
    )


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _tools(wire: w.ChatCompletionRequest) -> tuple[FunctionTool, ...]:
    tools: list[FunctionTool] = []
    for i, tool in enumerate(wire.tools or ()):
        spec = tool.function if isinstance(tool, w.ChatCompletionFunctionToolParam) else tool.custom
        if not _TOOL_NAME.match(spec.name):
            param = f"tools[{i}].{tool.type}.name"
            raise OpenAIError(
                400,
                f"Invalid '{param}': string does not match pattern. Expected a string that matches "
                "the pattern '^[a-zA-Z0-9_-]+$'.",
                param=param,
                code="invalid_value",
            )
        if isinstance(tool, w.ChatCompletionFunctionToolParam):
            parameters = tool.function.parameters
            tools.append(
                FunctionTool(spec.name, parameters or {"type": "object", "properties": {}})
            )
    return tuple(tools)


def _tool_choice(
    wire: w.ChatCompletionRequest, tools: tuple[FunctionTool, ...]
) -> tuple[str, str | None]:
    for key in ("tool_choice", "parallel_tool_calls") if wire.tools is None else ():
        # "none" without tools is harmless; anything else is rejected.
        if getattr(wire, key) not in (None, "none"):
            raise OpenAIError(
                400,
                f"Invalid value for '{key}': '{key}' is only allowed when 'tools' are specified.",
                param=key,
            )
    choice = wire.tool_choice
    match choice:
        case None:
            return "auto", None
        case str():
            if choice not in _TOOL_CHOICES:
                raise invalid_value("tool_choice", choice, _TOOL_CHOICES)
            return choice, None
        case w.ChatCompletionAllowedToolChoiceParam(allowed_tools=allowed):
            return (allowed.mode if allowed.mode in ("auto", "required") else "auto"), None
        case w.ChatCompletionNamedToolChoiceParam(function=function):
            if function.name not in {tool.name for tool in tools}:
                raise OpenAIError(
                    400,
                    f"Invalid value for 'tool_choice': function '{function.name}' is not one of the "
                    "functions specified in 'tools'.",
                    param="tool_choice",
                )
            return "named", function.name
        case w.ChatCompletionNamedToolChoiceCustomParam():
            return "auto", None
        case _:
            assert_never(choice)


def _response_format(
    wire: w.ChatCompletionRequest, messages: tuple[Message, ...]
) -> tuple[str, JSONObject | None]:
    response_format = wire.response_format
    match response_format:
        case None | w.ResponseFormatText():
            return "text", None
        case w.ResponseFormatJSONObject():
            if not any("json" in message.text.lower() for message in messages):
                raise OpenAIError(
                    400,
                    "'messages' must contain the word 'json' in some form, to use 'response_format' "
                    "of type 'json_object'.",
                    param="messages",
                )
            return "json_object", None
        case w.ResponseFormatJSONSchema(json_schema=spec):
            return "json_schema", spec.schema_ or {}
        case _:
            assert_never(response_format)


def _fingerprint(body: JSONObject) -> str:
    """Seed for every id in the reply. Streaming options are left out, so a
    streamed reply carries the same ids as the unary one and folds to it."""
    kept = {key: value for key, value in body.items() if key not in ("stream", "stream_options")}
    return stable_id([json.dumps(kept, sort_keys=True, ensure_ascii=False)], 24)
