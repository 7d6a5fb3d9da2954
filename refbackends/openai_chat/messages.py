"""The ``messages`` of a request the wire model accepted: what the reply
needs from each, and the API's pairing rules no schema carries: tool
messages answer the tool calls right before them, and every tool call is
answered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lip_wire.openai import chat_completion_request as w
from refbackends.openai_chat.errors import OpenAIError

__all__ = ["Message", "parse_messages"]


@dataclass(frozen=True)
class Message:
    """What the emulator needs from one input message."""

    role: str
    text: str
    tool_call_ids: tuple[str, ...] = ()
    tool_call_id: str | None = None


def parse_messages(wire: Sequence[w.ChatCompletionRequestMessagesItem]) -> tuple[Message, ...]:
    """Reduce the validated ``messages`` or raise a 400 :class:`OpenAIError`."""
    messages = tuple(_message(item) for item in wire)
    _check_tool_turns(messages)
    return messages


def _message(item: w.ChatCompletionRequestMessagesItem) -> Message:
    content = item.content
    if content is None or isinstance(content, str):
        text = content or ""
    else:
        # Text and refusal parts are what the model "reads"; images, audio
        # and files count for nothing in the echo.
        text = " ".join(
            part.text if isinstance(part, w.ChatCompletionContentPartTextParam) else part.refusal
            for part in content
            if isinstance(
                part, w.ChatCompletionContentPartTextParam | w.ChatCompletionContentPartRefusalParam
            )
        )
    match item:
        case w.ChatCompletionAssistantMessageParam(tool_calls=calls):
            return Message(item.role, text, tool_call_ids=tuple(call.id for call in calls or ()))
        case w.ChatCompletionToolMessageParam(tool_call_id=call_id):
            return Message(item.role, text, tool_call_id=call_id)
        case _:
            return Message(item.role, text)


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
                    "Invalid parameter: messages with role 'tool' must be a response to a "
                    "preceeding message with 'tool_calls'.",
                    param=f"messages.[{i}].role",
                )
            if message.tool_call_id not in expected:
                raise OpenAIError(
                    400,
                    f"Invalid parameter: 'tool_call_id' of '{message.tool_call_id}' not found in "
                    "'tool_calls' of previous message.",
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
            "An assistant message with 'tool_calls' must be followed by tool messages responding "
            "to each 'tool_call_id'. The following tool_call_ids did not have response messages: "
            f"{missing}",
            param=f"messages.[{owner}].role",
        )
