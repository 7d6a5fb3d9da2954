"""Validating the ``messages`` array: roles, content parts, and the
pairing of assistant tool calls with tool messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from refbackends.openai_chat.errors import OpenAIError
from refbackends.openai_chat.params import invalid_type, invalid_value, missing

__all__ = ["Message", "parse_messages"]

_ROLES = ("system", "assistant", "user", "function", "tool", "developer")
_PART_TYPES = {
    "user": ("text", "image_url", "input_audio", "file"),
    "assistant": ("text", "refusal"),
}


@dataclass(frozen=True)
class Message:
    """What the emulator needs from one input message."""

    role: str
    text: str
    tool_call_ids: tuple[str, ...] = ()
    tool_call_id: str | None = None


def parse_messages(body: Mapping[str, object]) -> tuple[Message, ...]:
    """Validate ``body["messages"]`` or raise a 400 :class:`OpenAIError`."""
    raw = body.get("messages")
    if raw is None:
        raise missing("messages")
    if not isinstance(raw, list):
        raise invalid_type("messages", "an array of objects", raw)
    if not raw:
        raise OpenAIError(
            400,
            "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
            param="messages",
            code="empty_array",
        )
    messages = tuple(_message(item, f"messages[{i}]") for i, item in enumerate(raw))
    _check_tool_turns(messages)
    return messages


def _message(item: object, path: str) -> Message:
    if not isinstance(item, dict):
        raise invalid_type(path, "an object", item)
    role = item.get("role")
    if role is None:
        raise missing(f"{path}.role")
    if role not in _ROLES:
        raise invalid_value(f"{path}.role", role, _ROLES)
    if "content" not in item and role != "assistant":
        raise missing(f"{path}.content")
    text = _content_text(item.get("content"), f"{path}.content", role)
    ids: tuple[str, ...] = ()
    if role == "assistant" and item.get("tool_calls") is not None:
        ids = _assistant_tool_calls(item["tool_calls"], f"{path}.tool_calls")
    call_id = item.get("tool_call_id")
    if role == "tool" and not isinstance(call_id, str):
        raise (
            missing(f"{path}.tool_call_id")
            if call_id is None
            else invalid_type(f"{path}.tool_call_id", "a string", call_id)
        )
    return Message(
        role=role, text=text, tool_call_ids=ids, tool_call_id=call_id if role == "tool" else None
    )


def _content_text(content: object, path: str, role: str) -> str:
    if isinstance(content, str):
        return content
    if content is None and role == "assistant":
        return ""
    if not isinstance(content, list):
        raise invalid_type(path, "one of a string or array of objects", content)
    allowed = _PART_TYPES.get(role, ("text",))
    texts: list[str] = []
    for j, part in enumerate(content):
        where = f"{path}[{j}]"
        if not isinstance(part, dict):
            raise invalid_type(where, "an object", part)
        kind = part.get("type")
        if kind is None:
            raise missing(f"{where}.type")
        if kind not in allowed:
            raise invalid_value(f"{where}.type", kind, allowed)
        if kind in ("text", "refusal"):
            value = part.get(kind)
            if value is None:
                raise missing(f"{where}.{kind}")
            if not isinstance(value, str):
                raise invalid_type(f"{where}.{kind}", "a string", value)
            texts.append(value)
        elif not isinstance(part.get(kind), dict):
            raise missing(f"{where}.{kind}")
    return " ".join(texts)


def _assistant_tool_calls(raw: object, path: str) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise invalid_type(path, "an array of objects", raw)
    ids: list[str] = []
    for k, call in enumerate(raw):
        where = f"{path}[{k}]"
        if not isinstance(call, dict):
            raise invalid_type(where, "an object", call)
        for key in ("id", "type"):
            if not isinstance(call.get(key), str):
                raise missing(f"{where}.{key}")
        kind = call["type"]
        if kind not in ("function", "custom"):
            raise invalid_value(f"{where}.type", kind, ("function", "custom"))
        if not isinstance(call.get(kind), dict):
            raise missing(f"{where}.{kind}")
        ids.append(call["id"])
    return tuple(ids)


def _check_tool_turns(messages: Sequence[Message]) -> None:
    """Tool messages must answer the tool calls of the assistant message
    right before them, and every tool call must be answered."""
    remaining: set[str] = set()
    expected: tuple[str, ...] = ()
    owner = -1
    for i, message in enumerate(messages):
        if message.role == "tool":
            if not expected:
                raise OpenAIError(
                    400,
                    "Invalid parameter: messages with role 'tool' must be a response to a preceeding message "
                    "with 'tool_calls'.",
                    param=f"messages.[{i}].role",
                )
            if message.tool_call_id not in expected:
                raise OpenAIError(
                    400,
                    f"Invalid parameter: 'tool_call_id' of '{message.tool_call_id}' not found in 'tool_calls' "
                    "of previous message.",
                    param=f"messages.[{i}].tool_call_id",
                )
            remaining.discard(message.tool_call_id or "")
            continue
        _require_answered(remaining, expected, owner)
        expected = message.tool_call_ids
        remaining = set(expected)
        owner = i
    _require_answered(remaining, expected, owner)


def _require_answered(remaining: set[str], expected: tuple[str, ...], owner: int) -> None:
    if remaining:
        missing = ", ".join(call_id for call_id in expected if call_id in remaining)
        raise OpenAIError(
            400,
            "An assistant message with 'tool_calls' must be followed by tool messages responding to each "
            f"'tool_call_id'. The following tool_call_ids did not have response messages: {missing}",
            param=f"messages.[{owner}].role",
        )
