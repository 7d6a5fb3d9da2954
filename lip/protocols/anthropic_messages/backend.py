"""Call -> Anthropic Messages request (the backend codec's encode half).

https://docs.anthropic.com/en/api/messages
Leading system and developer turns become ``system``; later ones stay in
place as ``role: "system"`` messages (the API takes them there). Tool
results, which other protocols send as separate ``tool`` turns, join the
user turn that answers the assistant's tool calls. Projections, each a
documented matrix row: reasoning without an Anthropic signature is not
replayed (the API would refuse it); audio is refused before network;
``seed``, penalties and OpenAI ``metadata`` have no Anthropic field and are
dropped; ``json_object`` output becomes a JSON-schema format of any object.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from pydantic_core import to_json

from lip.canonical import (
    Call,
    Event,
    JSONValue,
    LipError,
    Message,
    ResponseFormatKind,
    TextPart,
    Tool,
    ToolChoiceMode,
    UpstreamError,
    offerable,
)
from lip.protocols import wire_checks
from lip.protocols.anthropic_messages import errors
from lip.protocols.anthropic_messages.carry import (
    BETA,
    CONTENT_BLOCKS,
    DEFAULT_MAX_TOKENS,
    NOT_COUNTED,
    PROTOCOL,
    SYSTEM_BLOCKS,
    VERSION,
    cache_control,
    own,
)
from lip.protocols.anthropic_messages.content import blocks_of, text_block
from lip.protocols.anthropic_messages.upstream import AnthropicStreamDecoder, decode_response
from lip.protocols.base import BackendCodec, StreamDecoder
from lip_wire.anthropic.message_create_request import MessageCreateRequest

log = logging.getLogger("lip.protocols")

API_VERSION = "2023-06-01"
"""The ``anthropic-version`` sent when the client named none."""

_SYSTEM_ROLES = ("system", "developer")


def _is_plain(blocks: list[dict[str, JSONValue]]) -> bool:
    return len(blocks) == 1 and set(blocks[0]) == {"type", "text"} and blocks[0]["type"] == "text"


def _turn(message: Message, blocks: list[dict[str, JSONValue]]) -> dict[str, JSONValue]:
    role = "assistant" if message.role == "assistant" else "user"
    extra = own(message.extensions)
    as_blocks = bool(extra.pop(CONTENT_BLOCKS, False))
    content: JSONValue = blocks[0]["text"] if _is_plain(blocks) and not as_blocks else list(blocks)
    body: dict[str, JSONValue] = {"role": role, "content": content}
    body.update(extra)
    return body


def _system_text(message: Message) -> list[dict[str, JSONValue]]:
    return [text_block(p) for p in message.parts if isinstance(p, TextPart) and p.text]


def _messages(call: Call) -> tuple[list[dict[str, JSONValue]], list[dict[str, JSONValue]]]:
    """(system blocks, messages): leading system turns hoisted, user-side turns
    (user and tool) that follow each other merged, tool results first."""
    system: list[dict[str, JSONValue]] = []
    turns: list[dict[str, JSONValue]] = []
    leading = True
    for message in call.messages:
        if message.role in _SYSTEM_ROLES:
            blocks = _system_text(message)
            if leading:
                system.extend(blocks)
            elif blocks:
                # An Anthropic client's own turn as it came (blocks with their
                # cache_control, a per-turn output_config); others as text.
                extra = own(message.extensions)
                content: JSONValue = list(blocks)
                if not extra.pop(CONTENT_BLOCKS, False):
                    content = "\n\n".join(str(b["text"]) for b in blocks)
                turns.append({"role": "system", "content": content, **extra})
            continue
        leading = False
        blocks = blocks_of(message)
        if not blocks:
            continue
        role = "assistant" if message.role == "assistant" else "user"
        previous = turns[-1] if turns else None
        if previous is not None and previous["role"] == role == "user":
            _merge(previous, message, blocks)
            continue
        turns.append(_turn(message, blocks))
    return system, turns


def _merge(
    previous: dict[str, JSONValue], message: Message, blocks: list[dict[str, JSONValue]]
) -> None:
    """A user-side turn right after another (a tool turn and the user's words
    that follow it) joins it: one user message, tool results first."""
    merged = previous["content"]
    if isinstance(merged, str):
        merged = [{"type": "text", "text": merged}]
    assert isinstance(merged, list)
    if message.role == "tool":
        results = [b for b in merged if isinstance(b, dict) and b.get("type") == "tool_result"]
        rest = [b for b in merged if not (isinstance(b, dict) and b.get("type") == "tool_result")]
        merged = [*results, *blocks, *rest]
    else:
        merged = [*merged, *blocks]
    previous["content"] = merged
    extra = own(message.extensions)
    extra.pop(CONTENT_BLOCKS, None)
    previous.update(extra)


def _tool(tool: Tool) -> dict[str, JSONValue]:
    extra = own(tool.extensions)
    if tool.hosted_by == PROTOCOL:
        return extra  # a server tool's definition, as the client gave it
    body: dict[str, JSONValue] = {
        "name": tool.name,
        "input_schema": tool.parameters or {"type": "object", "properties": {}},
    }
    if tool.description is not None:
        body["description"] = tool.description
    if tool.strict is not None:
        body["strict"] = tool.strict
    hint = cache_control(tool.cache)
    if hint is not None:
        body["cache_control"] = hint
    body.update(extra)
    return body


def _tool_choice(call: Call) -> dict[str, JSONValue] | None:
    choice = call.tool_choice
    parallel = call.options.parallel_tool_calls
    body: dict[str, JSONValue]
    if choice is None:
        if parallel is not False or not call.tools:
            return None
        body = {"type": "auto"}
    elif choice.mode is ToolChoiceMode.NAMED:
        body = {"type": "tool", "name": choice.name or ""}
    elif choice.mode is ToolChoiceMode.REQUIRED:
        body = {"type": "any"}
    else:
        body = {"type": choice.mode.value}
    if parallel is False and body["type"] != "none":
        body["disable_parallel_tool_use"] = True
    return body


def encode_request(call: Call, model: str) -> bytes:
    """The upstream request body for ``call`` aimed at ``model``."""
    call = offerable(call, PROTOCOL, "an Anthropic upstream")
    ext = dict(call.extension(PROTOCOL))
    system_as_blocks = bool(ext.pop(SYSTEM_BLOCKS, False))
    ext.pop(VERSION, None)
    ext.pop(BETA, None)
    system, turns = _messages(call)
    opts = call.options
    body: dict[str, JSONValue] = {
        "model": model,
        "max_tokens": opts.max_output_tokens or DEFAULT_MAX_TOKENS,
        "messages": list(turns),
    }
    if system:
        body["system"] = (
            list(system)
            if system_as_blocks or not all(set(b) == {"type", "text"} for b in system)
            else "\n\n".join(str(b["text"]) for b in system)
        )
    if opts.stop:
        body["stop_sequences"] = list(opts.stop)
    for key, value in (("temperature", opts.temperature), ("top_p", opts.top_p)):
        if value is not None:
            body[key] = value
    output_config: dict[str, JSONValue] = {}
    if opts.reasoning_budget_tokens is not None:
        body["thinking"] = {"type": "enabled", "budget_tokens": opts.reasoning_budget_tokens}
    if opts.reasoning_effort is not None:
        if opts.reasoning_effort in ("none", "minimal") and "thinking" not in body:
            body["thinking"] = {"type": "disabled"}
        else:
            output_config["effort"] = opts.reasoning_effort
            body.setdefault("thinking", {"type": "adaptive"})
    fmt = opts.response_format
    if fmt is not None and fmt.kind is not ResponseFormatKind.TEXT:
        schema: JSONValue = dict(fmt.schema) if fmt.schema is not None else {"type": "object"}
        output_config["format"] = {"type": "json_schema", "schema": schema}
    if output_config:
        body["output_config"] = output_config
    if call.tools:
        body["tools"] = [_tool(t) for t in call.tools]
    choice = _tool_choice(call)
    if choice is not None:
        body["tool_choice"] = choice
    if call.user is not None:
        body["metadata"] = {"user_id": call.user}
    if call.stream:
        body["stream"] = True
    dropped = [
        name
        for name, value in (
            ("seed", opts.seed),
            ("presence_penalty", opts.presence_penalty),
            ("frequency_penalty", opts.frequency_penalty),
        )
        if value is not None
    ]
    if call.metadata:
        dropped.append("metadata")
    if dropped:
        log.info("call %s: no Anthropic field for %s; not sent", call.id, ", ".join(dropped))
    for key, carried_value in ext.items():  # carried Anthropic fields, merged into what is set
        inner = body.get(key)
        if isinstance(inner, dict) and isinstance(carried_value, dict):
            inner.update(carried_value)
        else:
            body[key] = carried_value
    wire_checks.check(MessageCreateRequest, body, "upstream request")
    return to_json(body)


class AnthropicMessagesCodec(BackendCodec):
    protocol = PROTOCOL

    def path(self, model: str, *, stream: bool) -> str:
        return "/messages"

    def auth_headers(self, key: str) -> Mapping[str, str]:
        return {"x-api-key": key}

    def call_headers(self, call: Call) -> Mapping[str, str]:
        ext = call.extension(PROTOCOL)
        headers = {"anthropic-version": str(ext.get(VERSION) or API_VERSION)}
        beta = ext.get(BETA)
        if isinstance(beta, str) and beta:
            headers["anthropic-beta"] = beta
        return headers

    def encode_request(self, call: Call, model: str) -> bytes:
        return encode_request(call, model)

    def decode_response(self, body: bytes) -> list[Event]:
        return decode_response(body)

    def stream_decoder(self) -> StreamDecoder:
        return AnthropicStreamDecoder()

    def decode_error(self, status: int, body: bytes, retry_after: float | None) -> LipError:
        return errors.decode_error(status, body, retry_after)

    def count_path(self, model: str) -> str | None:
        return "/messages/count_tokens"

    def encode_count_request(self, call: Call, model: str) -> bytes:
        body = json.loads(encode_request(call, model))
        for name in NOT_COUNTED:
            body.pop(name, None)
        return to_json(body)

    def decode_count(self, body: bytes) -> int:
        try:
            count = json.loads(body).get("input_tokens")
        except (ValueError, AttributeError):
            count = None
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise UpstreamError("the upstream sent a malformed token count")
        return count


__all__ = ["API_VERSION", "AnthropicMessagesCodec", "encode_request"]
