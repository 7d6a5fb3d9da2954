"""Call -> OpenAI Responses request (the backend codec's encode half, and the codec).

A Responses client's request goes upstream as it came: its instructions,
items (with their ids and encrypted reasoning), hosted tools and carried
fields. Calls from other protocols become input items (system turns stay
items), function tools, and the canonical options; ``store: false`` (LIP
keeps conversation state itself). Hosted tools of other providers are left
out when only offered and refused before the network when forced
(:func:`lip.canonical.offerable`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lip.canonical import (
    Call,
    Event,
    JSONValue,
    LipError,
    ResponseFormat,
    ResponseFormatKind,
    TextPart,
    Tool,
    ToolChoiceMode,
    offerable,
)
from lip.protocols import wire_checks
from lip.protocols.base import BackendCodec, StreamDecoder
from lip.protocols.openai_chat.errors import decode_error
from lip.protocols.openai_responses.carry import (
    INSTRUCTIONS,
    MEMBER,
    NAMESPACE,
    PROTOCOL,
    STRING_CONTENT,
    STRING_INPUT,
    own,
)
from lip.protocols.openai_responses.turns import encode_items
from lip.protocols.openai_responses.upstream import (
    ResponsesStreamDecoder,
    decode_count,
    decode_response,
)
from lip_wire.openai.responses_request import ResponsesRequest

__all__ = ["OpenAIResponsesCodec", "encode_request"]

_COUNTED = frozenset(
    {
        "model", "input", "instructions", "tools", "tool_choice", "parallel_tool_calls",
        "reasoning", "text", "truncation", "conversation", "previous_response_id",
    }
)  # fmt: skip
"""What ``POST /responses/input_tokens`` takes of a request."""


def _tools(tools: tuple[Tool, ...], same: bool) -> list[dict[str, JSONValue]]:
    """Tools as the API takes them; namespace members regrouped under their namespace
    (``same``: the call came from a Responses client)."""
    out: list[dict[str, JSONValue]] = []
    space: dict[str, JSONValue] | None = None
    for tool in tools:
        fields = own(tool.extensions)
        namespace, member = fields.pop(NAMESPACE, None), fields.pop(MEMBER, None)
        if isinstance(namespace, dict) and isinstance(member, str):
            body = _tool(tool, same, member, fields)
            if space is None or space.get("name") != namespace.get("name"):
                space = {**namespace, "tools": []}
                out.append(space)
            members = space["tools"]
            assert isinstance(members, list)
            members.append(body)
            continue
        space = None
        out.append(own(tool.extensions) if tool.hosted_by == PROTOCOL else _tool(tool, same))
    return out


def _tool(
    tool: Tool, same: bool, name: str | None = None, fields: dict[str, JSONValue] | None = None
) -> dict[str, JSONValue]:
    body: dict[str, JSONValue] = {"type": "function", "name": name or tool.name}
    if tool.description is not None:
        body["description"] = tool.description
    body["parameters"] = tool.parameters if tool.parameters is not None else {"type": "object"}
    if tool.strict is not None:
        body["strict"] = tool.strict
    elif not same:  # the API's default is strict; other protocols' is not
        body["strict"] = False
    body.update(own(tool.extensions) if fields is None else fields)
    return body


def _format(fmt: ResponseFormat) -> dict[str, JSONValue]:
    if fmt.kind is ResponseFormatKind.JSON_SCHEMA:
        body: dict[str, JSONValue] = {"type": "json_schema", "name": fmt.name or "response"}
        body["schema"] = fmt.schema if fmt.schema is not None else {"type": "object"}
        if fmt.description is not None:
            body["description"] = fmt.description
        if fmt.strict is not None:
            body["strict"] = fmt.strict
        return body
    return {"type": fmt.kind.value}


def _input(call: Call, carried: Mapping[str, JSONValue]) -> tuple[str | None, JSONValue]:
    """``instructions`` and ``input``."""
    messages = list(call.messages)
    instructions = None
    if messages and own(messages[0].extensions).get(INSTRUCTIONS):
        first = messages.pop(0)
        instructions = "".join(p.text for p in first.parts if isinstance(p, TextPart))
    items = encode_items(messages)
    if carried.get(STRING_INPUT) and len(items) == 1:
        only = messages[0]
        if only.role == "user" and own(only.extensions).get(STRING_CONTENT):
            content = items[0].get("content")
            if isinstance(content, str):
                return instructions, content
    return instructions, list(items)


def request_body(call: Call, model: str) -> dict[str, Any]:
    call = offerable(call, PROTOCOL, "an OpenAI Responses upstream")
    same = call.protocol == PROTOCOL
    carried = own(call.extensions) if same else {}
    instructions, items = _input(call, carried)
    body: dict[str, Any] = {"model": model}
    if instructions is not None:
        body["instructions"] = instructions
    body["input"] = items
    if call.tools:
        body["tools"] = _tools(call.tools, same)
    choice = call.tool_choice
    if choice is not None:
        body["tool_choice"] = (
            {"type": "function", "name": choice.name}
            if choice.mode is ToolChoiceMode.NAMED
            else choice.mode.value
        )
    options = call.options
    if options.parallel_tool_calls is not None:
        body["parallel_tool_calls"] = options.parallel_tool_calls
    for name, value in (
        ("temperature", options.temperature),
        ("top_p", options.top_p),
        ("max_output_tokens", options.max_output_tokens),
    ):
        if value is not None:
            body[name] = value
    text = dict(carried.pop("text", None) or {})  # type: ignore[arg-type]
    if options.response_format is not None:
        text["format"] = _format(options.response_format)
    if text:
        body["text"] = text
    reasoning = dict(carried.pop("reasoning", None) or {})  # type: ignore[arg-type]
    if options.reasoning_effort is not None:
        reasoning = {"effort": options.reasoning_effort, **reasoning}
    if reasoning:
        body["reasoning"] = reasoning
    if call.metadata:
        body["metadata"] = dict(call.metadata)
    if call.user is not None:
        body["user"] = call.user
    if not same:
        body["store"] = False  # LIP keeps the conversation; the upstream needs nothing
    body.update({k: v for k, v in carried.items() if not k.startswith("lip:")})
    body["stream"] = call.stream
    return body


def encode_request(call: Call, model: str) -> bytes:
    body = request_body(call, model)
    wire_checks.check(ResponsesRequest, body, "Responses request")
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


class OpenAIResponsesCodec(BackendCodec):
    """``POST {base_url}/responses`` with a Bearer key."""

    protocol = PROTOCOL

    def path(self, model: str, *, stream: bool) -> str:
        return "/responses"

    def auth_headers(self, key: str) -> Mapping[str, str]:
        return {"authorization": f"Bearer {key}"}

    def encode_request(self, call: Call, model: str) -> bytes:
        return encode_request(call, model)

    def decode_response(self, body: bytes) -> list[Event]:
        return decode_response(body)

    def stream_decoder(self) -> StreamDecoder:
        return ResponsesStreamDecoder()

    def decode_error(self, status: int, body: bytes, retry_after: float | None) -> LipError:
        return decode_error(status, body, retry_after)

    def count_path(self, model: str) -> str | None:
        return "/responses/input_tokens"

    def encode_count_request(self, call: Call, model: str) -> bytes:
        body = {k: v for k, v in request_body(call, model).items() if k in _COUNTED}
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()

    def decode_count(self, body: bytes) -> int:
        return decode_count(body)
