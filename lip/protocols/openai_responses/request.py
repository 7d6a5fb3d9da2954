"""OpenAI Responses request -> :class:`Call` (the frontend's decode half).

https://platform.openai.com/docs/api-reference/responses/create
The body is validated against the generated wire model, then read as JSON
(:mod:`.items`). ``instructions`` become a leading system turn;
``previous_response_id`` is resolved from LIP's own store
(:mod:`.conversation`), so a conversation continues whatever backend serves
the next turn. Fields with no canonical meaning are carried in the call's
extensions and sent on to Responses upstreams.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from lip.canonical import (
    DEFAULT_LIMITS,
    Call,
    InvalidRequestError,
    JSONValue,
    Limits,
    Message,
    Options,
    ResponseFormat,
    ResponseFormatKind,
    TextPart,
    Tool,
    ToolChoice,
    ToolChoiceMode,
    fields_for,
)
from lip.protocols.base import ClientRequest, ReplyShape, StateStore
from lip.protocols.counts import check_counts
from lip.protocols.openai_chat.errors import invalid_body
from lip.protocols.openai_responses import conversation
from lip.protocols.openai_responses.carry import (
    INSTRUCTIONS,
    MEMBER,
    NAMESPACE,
    PROTOCOL,
    STRING_INPUT,
    extra,
    flat_name,
    wrap,
)
from lip.protocols.openai_responses.items import decode_items
from lip.protocols.strict_json import non_finite_number
from lip_wire.openai import responses_request as w

__all__ = ["ResponsesReplyShape", "decode_count_request", "decode_request"]

# Request fields translated into canonical fields; the others are carried.
_HANDLED = frozenset(
    {
        "model", "input", "instructions", "tools", "tool_choice", "stream", "max_output_tokens",
        "temperature", "top_p", "parallel_tool_calls", "user", "metadata",
        "previous_response_id",
    }
)  # fmt: skip
_FUNCTION = frozenset({"type", "name", "description", "parameters", "strict"})
_ECHOED = (
    "background", "include", "max_tool_calls", "prompt_cache_key", "prompt_cache_retention",
    "safety_identifier", "service_tier", "store", "top_logprobs", "truncation",
)  # fmt: skip
"""Carried fields a Response object repeats back to the client."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponsesReplyShape(ReplyShape):
    """What the reply repeats of the request and what LIP stores of it.

    ``echo``: request fields the Response object carries back (instructions,
    tools, tool_choice, text, reasoning, ...). ``store``: where the finished
    response goes (``None`` with ``store: false``); ``context``: every input
    item of the conversation so far (earlier turns included), ``input``: this
    request's own items. ``encrypted``: the client asked for
    ``reasoning.encrypted_content``.
    """

    echo: dict[str, JSONValue] = field(default_factory=dict)
    store: StateStore | None = None
    context: list[dict[str, Any]] = field(default_factory=list)
    input: list[dict[str, Any]] = field(default_factory=list)
    encrypted: bool = False
    namespaces: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Flat function name -> (namespace, name), for calls of namespaced functions."""


def _parse(body: bytes, limits: Limits) -> tuple[w.ResponsesRequest, dict[str, Any]]:
    token = non_finite_number(body)
    if token is not None:
        raise InvalidRequestError(
            f"We could not parse the JSON body of your request: {token!r} is not a JSON number.",
            code="invalid_json",
        )
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError):
        raw = None
    if isinstance(raw, dict) and isinstance(raw.get("input"), list):
        tools = raw.get("tools")  # not validated yet: any JSON value
        check_counts(raw["input"], tools if isinstance(tools, list) else (), limits)
    try:
        request = w.ResponsesRequest.model_validate_json(body, strict=True)
    except ValidationError as exc:
        raise invalid_body(exc, body) from None
    assert isinstance(raw, dict)  # the model accepted it
    if isinstance(request.input, list):
        for number, item in enumerate(request.input):
            # Any object with an ``id`` passes as an item reference; one with a
            # ``role`` that is no valid message is not one.
            if isinstance(item, w.ItemReference) and "role" in raw["input"][number]:
                raise InvalidRequestError(
                    f"Invalid 'input[{number}]': not a valid message.",
                    param=f"input[{number}]",
                    code="invalid_value",
                )
    return request, raw


def _input(raw: dict[str, Any]) -> list[dict[str, Any]]:
    value = raw.get("input")
    if value is None:
        return []
    if isinstance(value, str):
        return [{"role": "user", "content": value}]
    return list(value)


def _function(tool: dict[str, Any], fields: dict[str, JSONValue] | None = None) -> Tool:
    name = tool["name"]
    carried = extra(tool, _FUNCTION)
    if fields is not None:  # a member of a namespace
        carried.update({NAMESPACE: fields, MEMBER: name})
        name = flat_name(str(fields.get("name")), name)
    return Tool(
        name=name,
        description=tool.get("description"),
        parameters=tool.get("parameters"),
        strict=tool.get("strict"),
        extensions=wrap(carried),
    )


def _tools(raw: dict[str, Any]) -> tuple[Tool, ...]:
    tools = []
    for tool in raw.get("tools") or ():
        kind = tool.get("type")
        if kind == "function":
            tools.append(_function(tool))
        elif kind == "namespace" and all(t.get("type") == "function" for t in tool["tools"]):
            fields = {k: v for k, v in tool.items() if k != "tools"}
            tools.extend(_function(member, fields) for member in tool["tools"])
        else:  # web_search, file_search, code_interpreter, mcp, custom, ...
            name = tool.get("name") or kind or "tool"
            tools.append(Tool(name=str(name), hosted_by=PROTOCOL, extensions=wrap(tool)))
    return tuple(tools)


def _tool_choice(value: Any, carried: dict[str, JSONValue]) -> ToolChoice | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return ToolChoice(mode=ToolChoiceMode(value))
        except ValueError:
            raise InvalidRequestError(
                f"Invalid value: '{value}'. Supported values are: 'none', 'auto', and 'required'.",
                param="tool_choice",
                code="invalid_value",
            ) from None
    if value.get("type") == "function" and isinstance(value.get("name"), str):
        return ToolChoice(mode=ToolChoiceMode.NAMED, name=value["name"])
    carried["tool_choice"] = value  # allowed_tools, a hosted tool type, ...
    return None


def _response_format(text: Any, carried: dict[str, JSONValue]) -> ResponseFormat | None:
    if not isinstance(text, dict):
        return None
    rest = {k: v for k, v in text.items() if k != "format"}
    if rest:
        carried["text"] = rest
    fmt = text.get("format")
    if not isinstance(fmt, dict):
        return None
    kind = fmt.get("type")
    if kind == "json_schema":
        return ResponseFormat(
            kind=ResponseFormatKind.JSON_SCHEMA,
            name=fmt.get("name"),
            schema=fmt.get("schema"),
            description=fmt.get("description"),
            strict=fmt.get("strict"),
        )
    if kind == "json_object":
        return ResponseFormat(kind=ResponseFormatKind.JSON_OBJECT)
    return ResponseFormat(kind=ResponseFormatKind.TEXT)


def _reasoning(value: Any, carried: dict[str, JSONValue]) -> str | None:
    if not isinstance(value, dict):
        return None
    rest = {k: v for k, v in value.items() if k != "effort"}
    if rest:
        carried["reasoning"] = rest
    effort = value.get("effort")
    return effort if isinstance(effort, str) else None


def _echo(raw: dict[str, Any]) -> dict[str, JSONValue]:
    echo: dict[str, JSONValue] = {
        "instructions": raw.get("instructions"),
        "tools": raw.get("tools") or [],
        "tool_choice": raw.get("tool_choice", "auto"),
        "parallel_tool_calls": raw.get("parallel_tool_calls", True),
        "temperature": raw.get("temperature"),
        "top_p": raw.get("top_p"),
        "max_output_tokens": raw.get("max_output_tokens"),
        "metadata": raw.get("metadata") or {},
        "previous_response_id": raw.get("previous_response_id"),
        "text": raw.get("text") or {"format": {"type": "text"}},
        "reasoning": raw.get("reasoning"),
        "user": raw.get("user"),
    }
    echo.update({k: raw[k] for k in _ECHOED if k in raw})
    return echo


def _messages(raw: dict[str, Any], history: list[dict[str, Any]]) -> list[Message]:
    messages: list[Message] = []
    instructions = raw.get("instructions")
    if isinstance(instructions, str) and instructions:
        messages.append(
            Message(
                role="system",
                parts=(TextPart(text=instructions),),
                extensions=wrap({INSTRUCTIONS: True}),
            )
        )
    messages.extend(decode_items(history + _input(raw)))
    return messages


def decode_request(
    body: bytes, limits: Limits = DEFAULT_LIMITS, store: StateStore | None = None
) -> ClientRequest:
    """Validate ``body`` and build the request (``store``: for ``previous_response_id``)."""
    request, raw = _parse(body, limits)
    if not request.model:
        raise InvalidRequestError("Missing required parameter: 'model'.", param="model")
    history: list[dict[str, Any]] = []
    previous = raw.get("previous_response_id")
    if previous is not None:
        history = conversation.history(store, previous)
    carried: dict[str, JSONValue] = {
        k: v for k, v in raw.items() if k not in _HANDLED and k not in ("text", "reasoning")
    }
    if isinstance(raw.get("input"), str):
        carried[STRING_INPUT] = True
    options = Options(
        max_output_tokens=raw.get("max_output_tokens"),
        temperature=raw.get("temperature"),
        top_p=raw.get("top_p"),
        response_format=_response_format(raw.get("text"), carried),
        reasoning_effort=_reasoning(raw.get("reasoning"), carried),
        parallel_tool_calls=raw.get("parallel_tool_calls"),
    )
    tool_choice = _tool_choice(raw.get("tool_choice"), carried)
    messages = _messages(raw, history)
    if not messages:
        raise InvalidRequestError("Missing required parameter: 'input'.", param="input")
    call = Call(
        id="",
        protocol=PROTOCOL,
        model=request.model,
        messages=tuple(messages),
        tools=_tools(raw),
        tool_choice=tool_choice,
        options=options,
        stream=bool(raw.get("stream")),
        user=raw.get("user"),
        metadata=dict(raw.get("metadata") or {}),
        previous_response_id=previous,
        extensions=wrap(carried),
    )
    include = raw.get("include") or ()
    namespaces: dict[str, tuple[str, str]] = {}
    for tool in call.tools:
        fields = fields_for(tool.extensions, PROTOCOL)
        space, member = fields.get(NAMESPACE), fields.get(MEMBER)
        if isinstance(space, dict) and isinstance(member, str):
            namespaces[tool.name] = (str(space.get("name")), member)
    shape = ResponsesReplyShape(
        echo=_echo(raw),
        store=store if raw.get("store", True) is not False else None,
        context=history + _input(raw),
        input=_input(raw),
        encrypted="reasoning.encrypted_content" in include,
        namespaces=namespaces,
    )
    return ClientRequest(call=call, shape=shape)


def decode_count_request(
    body: bytes, limits: Limits = DEFAULT_LIMITS, store: StateStore | None = None
) -> ClientRequest:
    """``POST /v1/responses/input_tokens``: the same body; no reply is produced."""
    decoded = decode_request(body, limits, store)
    return ClientRequest(call=decoded.call)
