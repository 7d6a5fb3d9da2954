"""Anthropic Messages request -> :class:`Call` (the frontend's decode half).

https://docs.anthropic.com/en/api/messages
A user turn that holds tool results becomes a ``tool`` turn (the results)
followed by a ``user`` turn (the rest), the canonical form every backend
reads; the Anthropic backend joins them again. Thinking blocks keep their
signature (redacted thinking its data) as provider state of this protocol,
so they are replayed to Anthropic upstreams only. Server tools (web search,
code execution...) are provider-hosted tools: only Anthropic upstreams take
them. Fields with no canonical meaning are carried at their level.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from lip.canonical import (
    DEFAULT_LIMITS,
    Call,
    InvalidRequestError,
    JSONValue,
    Limits,
    Message,
    Options,
    Part,
    ResponseFormat,
    ResponseFormatKind,
    Role,
    TextPart,
    Tool,
    ToolChoice,
    ToolChoiceMode,
    ToolResultPart,
)
from lip.protocols.anthropic_messages.carry import (
    BETA,
    CONTENT_BLOCKS,
    NOT_COUNTED,
    PROTOCOL,
    SYSTEM_BLOCKS,
    VERSION,
    cache_hint,
    carried,
    wrap,
)
from lip.protocols.anthropic_messages.content import part_of, text_part
from lip.protocols.anthropic_messages.errors import invalid_body
from lip.protocols.base import ClientRequest, ReplyShape
from lip.protocols.counts import check_counts, prescan
from lip.protocols.strict_json import non_finite_number
from lip_wire.anthropic import message_create_request as w

_HANDLED = frozenset(
    {
        "model", "messages", "system", "max_tokens", "stop_sequences", "stream", "tools",
        "tool_choice", "thinking", "metadata", "output_config", "temperature", "top_p",
    }
)  # fmt: skip
_TOOL = frozenset({"type", "name", "description", "input_schema", "strict", "cache_control"})


@dataclass(frozen=True, slots=True, kw_only=True)
class MessagesReplyShape(ReplyShape):
    """``input_estimate``: input tokens estimated from the request, reported in
    ``message_start`` when the upstream says nothing before its end (a zero
    there breaks agent clients); the final ``message_delta`` has the real figure."""

    input_estimate: int = 0


def estimate_tokens(body: bytes) -> int:
    """A rough token count of a request body (about 4 bytes a token), at least 1."""
    return max(len(body) // 4, 1)


def _messages(item: BaseModel) -> list[Message]:
    """One wire message as canonical turns (tool results split off first)."""
    role: Role = "assistant" if isinstance(item, w.AssistantMessageParam) else "user"
    if isinstance(item, w.SystemMessageParam):
        role = "system"
    content = getattr(item, "content", "")
    extra = carried(item, frozenset({"role", "content"}))
    if isinstance(content, str):
        parts: tuple[Part, ...] = (TextPart(text=content),)
        return [Message(role=role, parts=parts, extensions=wrap(extra))]
    extra[CONTENT_BLOCKS] = True
    converted = [part_of(block) for block in content]
    if role == "system":
        return [Message(role="system", parts=tuple(converted), extensions=wrap(extra))]
    if role == "assistant":
        return [Message(role="assistant", parts=tuple(converted), extensions=wrap(extra))]
    results = tuple(p for p in converted if isinstance(p, ToolResultPart))
    rest = tuple(p for p in converted if not isinstance(p, ToolResultPart))
    turns: list[Message] = []
    if results:
        turns.append(Message(role="tool", parts=results))
    if rest or not results:
        turns.append(Message(role="user", parts=rest, extensions=wrap(extra)))
    return turns


def _system(request: w.MessageCreateRequest, ext: dict[str, JSONValue]) -> list[Message]:
    system = request.system
    if system is None:
        return []
    if isinstance(system, str):
        return [Message(role="system", parts=(TextPart(text=system),))]
    ext[SYSTEM_BLOCKS] = True
    return [Message(role="system", parts=tuple(text_part(b) for b in system))]


def _tools(request: w.MessageCreateRequest) -> tuple[Tool, ...]:
    tools: list[Tool] = []
    for tool in request.tools or ():
        if isinstance(tool, w.ToolParam):
            schema = tool.input_schema
            parameters = (
                schema.model_dump(mode="json", exclude_unset=True, by_alias=True)
                if isinstance(schema, BaseModel)
                else dict(schema)
            )
            tools.append(
                Tool(
                    name=tool.name,
                    description=tool.description,
                    parameters=parameters,
                    strict=tool.strict,
                    cache=cache_hint(tool.cache_control),
                    extensions=wrap(carried(tool, _TOOL)),
                )
            )
        else:  # a server tool: the provider runs it
            definition = tool.model_dump(mode="json", exclude_unset=True, by_alias=True)
            tools.append(
                Tool(
                    name=str(definition.get("name", "")),
                    hosted_by=PROTOCOL,
                    extensions=wrap(definition),
                )
            )
    return tuple(tools)


def _tool_choice(request: w.MessageCreateRequest) -> tuple[ToolChoice | None, bool | None]:
    choice = request.tool_choice
    if choice is None:
        return None, None
    parallel = False if getattr(choice, "disable_parallel_tool_use", None) else None
    match choice:
        case w.ToolChoiceAutoParam():
            return ToolChoice(mode=ToolChoiceMode.AUTO), parallel
        case w.ToolChoiceAnyParam():
            return ToolChoice(mode=ToolChoiceMode.REQUIRED), parallel
        case w.ToolChoiceToolParam():
            return ToolChoice(mode=ToolChoiceMode.NAMED, name=choice.name), parallel
        case _:
            return ToolChoice(mode=ToolChoiceMode.NONE), None


def _number(extra: Mapping[str, Any], name: str) -> float | None:
    value = extra.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidRequestError(f"{name}: Input should be a valid number", param=name)
    return float(value)


def _options(
    request: w.MessageCreateRequest, ext: dict[str, JSONValue], parallel: bool | None
) -> Options:
    if request.max_tokens < 1:
        raise InvalidRequestError(
            "max_tokens: Input should be greater than or equal to 1", param="max_tokens"
        )
    extra = request.model_extra or {}
    budget: int | None = None
    thinking = request.thinking
    if isinstance(thinking, w.ThinkingConfigEnabledParam):
        budget = thinking.budget_tokens
        rest = carried(thinking, frozenset({"type", "budget_tokens"}))
        if rest:
            ext["thinking"] = {"type": "enabled", "budget_tokens": budget, **rest}
    elif thinking is not None:
        ext["thinking"] = thinking.model_dump(mode="json", exclude_unset=True)
    effort: str | None = None
    response_format: ResponseFormat | None = None
    config = request.output_config
    if config is not None:
        effort = config.effort
        if config.format is not None:
            response_format = ResponseFormat(
                kind=ResponseFormatKind.JSON_SCHEMA, schema=dict(config.format.schema_)
            )
        rest = carried(config, frozenset({"effort", "format"}))
        if rest:
            ext["output_config"] = rest
    return Options(
        max_output_tokens=request.max_tokens,
        temperature=_number(extra, "temperature"),
        top_p=_number(extra, "top_p"),
        stop=tuple(request.stop_sequences or ()),
        response_format=response_format,
        reasoning_effort=effort,
        reasoning_budget_tokens=budget,
        parallel_tool_calls=parallel,
    )


def decode_request(
    body: bytes, headers: Mapping[str, str], limits: Limits = DEFAULT_LIMITS
) -> ClientRequest:
    """Validate ``body`` against the generated wire model and build the request."""
    token = non_finite_number(body)
    if token is not None:
        raise InvalidRequestError(
            f"There was an error parsing the body of your request: {token!r} is not a JSON number."
        )
    prescan(body, limits)
    try:
        request = w.MessageCreateRequest.model_validate_json(body, strict=True)
    except ValidationError as exc:
        raise invalid_body(exc) from None
    check_counts(request.messages, request.tools, limits)
    if not request.messages:
        raise InvalidRequestError("messages: List should have at least 1 item", param="messages")
    ext = carried(request, _HANDLED)
    version, beta = headers.get("anthropic-version"), headers.get("anthropic-beta")
    if version:
        ext[VERSION] = version
    if beta:
        ext[BETA] = beta
    messages = _system(request, ext)
    for item in request.messages:
        messages.extend(_messages(item))
    choice, parallel = _tool_choice(request)
    options = _options(request, ext, parallel)
    metadata = request.metadata
    user = metadata.user_id if metadata is not None else None
    if metadata is not None:
        rest = carried(metadata, frozenset({"user_id"}))
        if rest:
            ext["metadata"] = rest
    call = Call(
        id="",
        protocol=PROTOCOL,
        model=request.model,
        messages=tuple(messages),
        tools=_tools(request),
        tool_choice=choice,
        options=options,
        stream=bool(request.stream),
        user=user,
        extensions=wrap(ext),
    )
    return ClientRequest(call=call, shape=MessagesReplyShape(input_estimate=estimate_tokens(body)))


def decode_count_request(
    body: bytes, headers: Mapping[str, str], limits: Limits = DEFAULT_LIMITS
) -> ClientRequest:
    """A ``count_tokens`` body (a Messages request without ``max_tokens``)."""
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError):
        raise InvalidRequestError("There was an error parsing the body of your request.") from None
    if not isinstance(raw, dict):
        raise InvalidRequestError("The request body must be a JSON object.")
    for name in NOT_COUNTED:
        if name in raw:
            raise InvalidRequestError(f"{name}: Extra inputs are not permitted", param=name)
    raw["max_tokens"] = 1
    return decode_request(json.dumps(raw).encode(), headers, limits)


__all__ = ["MessagesReplyShape", "decode_count_request", "decode_request", "estimate_tokens"]
