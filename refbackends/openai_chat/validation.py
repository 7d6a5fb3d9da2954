"""Validating a Chat Completions request the way the API does.

:func:`parse_chat_request` turns the raw body into a :class:`ChatRequest`
or raises :class:`OpenAIError` (status 400) with the API's message, ``param``
and ``code``: unparseable JSON, unknown top-level arguments, missing or
mistyped parameters, out-of-range numbers, bad roles and content parts, tool
messages that answer no tool call, tool calls left unanswered, unknown tool
types, ``tool_choice`` without ``tools``, and ``json_object`` without the
word "json" in the messages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from refbackends.content import stable_id
from refbackends.openai_chat.errors import OpenAIError
from refbackends.openai_chat.messages import Message, parse_messages
from refbackends.openai_chat.params import (
    boolean_param,
    integer_param,
    invalid_type,
    invalid_value,
    missing,
    number_param,
    string_param,
)

__all__ = ["ChatRequest", "FunctionTool", "Message", "parse_chat_request"]

# Top-level parameters of CompletionCreateParams in openai 3.54; anything else is
# "Unrecognized request argument supplied", as the API answers.
_KNOWN_PARAMS = frozenset(
    {
        "messages",
        "model",
        "audio",
        "frequency_penalty",
        "function_call",
        "functions",
        "logit_bias",
        "logprobs",
        "max_completion_tokens",
        "max_tokens",
        "metadata",
        "modalities",
        "moderation",
        "n",
        "parallel_tool_calls",
        "prediction",
        "presence_penalty",
        "prompt_cache_key",
        "prompt_cache_options",
        "prompt_cache_retention",
        "reasoning_effort",
        "response_format",
        "safety_identifier",
        "seed",
        "service_tier",
        "stop",
        "store",
        "stream",
        "stream_options",
        "temperature",
        "tool_choice",
        "tools",
        "top_logprobs",
        "top_p",
        "user",
        "verbosity",
        "web_search_options",
    }
)
_TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


@dataclass(frozen=True)
class FunctionTool:
    """A ``function`` tool offered by the client."""

    name: str
    parameters: Mapping[str, object]


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
    response_schema: Mapping[str, object] | None
    service_tier: str | None
    fingerprint: str  # stable digest of the body (streaming options aside), seeds every id


def parse_chat_request(raw: bytes) -> ChatRequest:
    """Validate ``raw`` (the request body) or raise a 400 :class:`OpenAIError`."""
    try:
        body = json.loads(raw)
    except ValueError:
        raise OpenAIError(
            400,
            "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
            "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid "
            "JSON. If you have trouble figuring out how to fix this, please contact us through our help center "
            "at help.openai.com.)",
        ) from None
    if not isinstance(body, dict):
        raise invalid_type("body", "an object", body, param=None)
    for key in body:
        if key not in _KNOWN_PARAMS:
            raise OpenAIError(400, f"Unrecognized request argument supplied: {key}")
    model = body.get("model")
    if model is None or model == "":
        raise OpenAIError(400, "you must provide a model parameter")
    if not isinstance(model, str):
        raise invalid_type("model", "a string", model)
    messages = parse_messages(body)
    for key, low, high in (
        ("temperature", 0, 2),
        ("top_p", 0, 1),
        ("presence_penalty", -2, 2),
        ("frequency_penalty", -2, 2),
    ):
        number_param(body, key, low, high)
    n = integer_param(body, "n", 1, 128)
    max_tokens = integer_param(body, "max_tokens", 1, None)
    max_completion = integer_param(body, "max_completion_tokens", 1, None)
    integer_param(body, "seed", None, None)
    integer_param(body, "top_logprobs", 0, 20)
    for key in ("logprobs", "store", "parallel_tool_calls"):
        boolean_param(body, key)
    for key in (
        "user",
        "service_tier",
        "safety_identifier",
        "prompt_cache_key",
        "reasoning_effort",
    ):
        string_param(body, key)
    stream = boolean_param(body, "stream") or False
    include_usage, include_obfuscation = _stream_options(body, stream)
    tools = _tools(body)
    tool_choice, named = _tool_choice(body, tools)
    response_format, schema = _response_format(body, messages)
    service_tier = body.get("service_tier")
    return ChatRequest(
        model=model,
        messages=messages,
        tools=tools,
        tool_choice=tool_choice,
        named_tool=named,
        stream=stream,
        include_usage=include_usage,
        include_obfuscation=include_obfuscation,
        n=n or 1,
        max_output_tokens=max_completion if max_completion is not None else max_tokens,
        stop=_stop(body),
        response_format=response_format,
        response_schema=schema,
        service_tier=service_tier if isinstance(service_tier, str) else None,
        fingerprint=_fingerprint(body),
    )


def _tools(body: Mapping[str, object]) -> tuple[FunctionTool, ...]:
    raw = body.get("tools")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise invalid_type("tools", "an array of objects", raw)
    if not raw:
        raise OpenAIError(
            400,
            "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead.",
            param="tools",
            code="empty_array",
        )
    tools: list[FunctionTool] = []
    for i, tool in enumerate(raw):
        path = f"tools[{i}]"
        if not isinstance(tool, dict):
            raise invalid_type(path, "an object", tool)
        kind = tool.get("type")
        if kind is None:
            raise missing(f"{path}.type")
        if kind not in ("function", "custom"):
            raise invalid_value(f"{path}.type", kind, ("function", "custom"))
        spec = tool.get(kind)
        if not isinstance(spec, dict):
            raise missing(f"{path}.{kind}")
        name = spec.get("name")
        if name is None:
            raise missing(f"{path}.{kind}.name")
        if not isinstance(name, str) or not _TOOL_NAME.match(name):
            raise OpenAIError(
                400,
                f"Invalid '{path}.{kind}.name': string does not match pattern. Expected a string that matches "
                "the pattern '^[a-zA-Z0-9_-]+$'.",
                param=f"{path}.{kind}.name",
                code="invalid_value",
            )
        parameters = spec.get("parameters")
        if parameters is not None and not isinstance(parameters, dict):
            raise invalid_type(f"{path}.{kind}.parameters", "an object", parameters)
        if kind == "function":
            tools.append(FunctionTool(name, parameters or {"type": "object", "properties": {}}))
    return tuple(tools)


def _tool_choice(
    body: Mapping[str, object], tools: tuple[FunctionTool, ...]
) -> tuple[str, str | None]:
    raw = body.get("tool_choice")
    if body.get("tools") is None:
        # "none" without tools is harmless; anything else is rejected.
        offending = [
            key
            for key in ("tool_choice", "parallel_tool_calls")
            if body.get(key) not in (None, "none")
        ]
        if offending:
            key = offending[0]
            raise OpenAIError(
                400,
                f"Invalid value for '{key}': '{key}' is only allowed when 'tools' are specified.",
                param=key,
            )
    if raw is None:
        return "auto", None
    if isinstance(raw, str):
        if raw not in ("none", "auto", "required"):
            raise invalid_value("tool_choice", raw, ("none", "auto", "required"))
        return raw, None
    if not isinstance(raw, dict):
        raise invalid_type("tool_choice", "one of a string or object", raw)
    kind = raw.get("type")
    if kind == "allowed_tools":
        spec = raw.get("allowed_tools")
        mode = spec.get("mode") if isinstance(spec, dict) else None
        return (mode if mode in ("auto", "required") else "auto"), None
    if kind not in ("function", "custom"):
        raise invalid_value("tool_choice.type", kind, ("function", "custom", "allowed_tools"))
    spec = raw.get(kind)
    name = spec.get("name") if isinstance(spec, dict) else None
    if not isinstance(name, str):
        raise missing(f"tool_choice.{kind}.name")
    if kind == "function" and name not in {tool.name for tool in tools}:
        raise OpenAIError(
            400,
            f"Invalid value for 'tool_choice': function '{name}' is not one of the functions specified in 'tools'.",
            param="tool_choice",
        )
    return ("named", name) if kind == "function" else ("auto", None)


def _stream_options(body: Mapping[str, object], stream: bool) -> tuple[bool, bool]:
    raw = body.get("stream_options")
    if raw is None:
        return False, True
    if not stream:
        raise OpenAIError(
            400,
            "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
            param="stream_options",
        )
    if not isinstance(raw, dict):
        raise invalid_type("stream_options", "an object", raw)
    usage = boolean_param(raw, "include_usage", prefix="stream_options.")
    obfuscation = boolean_param(raw, "include_obfuscation", prefix="stream_options.")
    return bool(usage), obfuscation is not False


def _response_format(
    body: Mapping[str, object], messages: Sequence[Message]
) -> tuple[str, Mapping[str, object] | None]:
    raw = body.get("response_format")
    if raw is None:
        return "text", None
    if not isinstance(raw, dict):
        raise invalid_type("response_format", "an object", raw)
    kind = raw.get("type")
    if kind not in ("text", "json_object", "json_schema"):
        raise invalid_value("response_format.type", kind, ("text", "json_object", "json_schema"))
    if kind == "json_object" and not any("json" in m.text.lower() for m in messages):
        raise OpenAIError(
            400,
            "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
            param="messages",
        )
    if kind != "json_schema":
        return kind, None
    spec = raw.get("json_schema")
    if not isinstance(spec, dict):
        raise missing("response_format.json_schema")
    if not isinstance(spec.get("name"), str):
        raise missing("response_format.json_schema.name")
    schema = spec.get("schema")
    return kind, schema if isinstance(schema, dict) else {}


def _fingerprint(body: Mapping[str, object]) -> str:
    """Seed for every id in the reply. Streaming options are left out, so a
    streamed reply carries the same ids as the unary one and folds to it."""
    kept = {key: value for key, value in body.items() if key not in ("stream", "stream_options")}
    return stable_id([json.dumps(kept, sort_keys=True, ensure_ascii=False)], 24)


def _stop(body: Mapping[str, object]) -> tuple[str, ...]:
    raw = body.get("stop")
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise invalid_type("stop", "one of a string or array of strings", raw)
    if len(raw) > 4:
        raise OpenAIError(
            400,
            f"Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with "
            f"length {len(raw)} instead.",
            param="stop",
            code="array_above_max_length",
        )
    return tuple(raw)
