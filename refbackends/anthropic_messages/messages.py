"""The ``messages`` of a request the wire model accepted: what the reply
needs from each, and the API's rules no schema carries.

Checked in order, each with the API's wording:

- user and assistant messages need content (an empty final assistant
  message, a prefill, is the exception);
- text blocks must be non-empty and hold more than whitespace; the final
  assistant message may not end with whitespace;
- a ``thinking`` block sent back needs its (non-empty) signature;
- the first message (``system`` messages aside) must use the ``user`` role;
- every ``tool_use`` must be answered by a ``tool_result`` in the next
  message, and every ``tool_result`` must answer a ``tool_use`` of the
  previous message.

Consecutive messages of the same role are allowed: the API merges them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from lip_wire.anthropic import message_create_request as w
from refbackends.anthropic_messages.errors import invalid_request
from refbackends.content import count_tokens, split_json_fragments

__all__ = ["Turn", "parse_messages", "text_of"]


@dataclass(frozen=True)
class ToolResult:
    """One ``tool_result`` block: where it is, what it answers, its text."""

    index: int
    tool_use_id: str
    text: str


@dataclass(frozen=True)
class Turn:
    """What the emulator needs from one input message."""

    role: str  # user | assistant | system
    text: str  # its text blocks, joined with spaces
    tool_use_ids: tuple[str, ...] = ()
    tool_results: tuple[ToolResult, ...] = ()
    tokens: int = 0  # its share of the request's input tokens


def text_of(content: str | Sequence[w.TextBlockParam]) -> str:
    """A string, or the text blocks of a list joined with spaces."""
    if isinstance(content, str):
        return content
    return " ".join(block.text for block in content)


def parse_messages(wire: Sequence[w.MessageCreateRequestMessagesItem]) -> tuple[Turn, ...]:
    """Reduce the validated ``messages`` or raise a 400 :class:`AnthropicError`."""
    if not wire:
        raise invalid_request("messages: at least one message is required")
    turns = tuple(_turn(i, item, final=i == len(wire) - 1) for i, item in enumerate(wire))
    first = next((turn for turn in turns if turn.role != "system"), None)
    if first is not None and first.role != "user":
        raise invalid_request('messages: first message must use the "user" role')
    _check_tool_pairs(turns)
    return turns


def _turn(i: int, item: w.MessageCreateRequestMessagesItem, *, final: bool) -> Turn:
    if isinstance(item, w.SystemMessageParam):
        _check_texts([item.content] if isinstance(item.content, str) else item.content)
        text = text_of(item.content)
        return Turn("system", text, tokens=count_tokens(text))
    content = item.content
    prefill = final and item.role == "assistant"
    if not content and not prefill:
        raise invalid_request(
            f"messages.{i}: all messages must have non-empty content except for the optional "
            "final assistant message"
        )
    blocks: Sequence[object] = [content] if isinstance(content, str) else content
    _check_texts([b for b in blocks if isinstance(b, str | w.TextBlockParam)])
    if prefill and blocks:
        last = blocks[-1]
        tail = last if isinstance(last, str) else getattr(last, "text", None)
        if isinstance(tail, str) and tail != tail.rstrip():
            raise invalid_request("final assistant content cannot end with trailing whitespace")
    texts: list[str] = []
    uses: list[str] = []
    results: list[ToolResult] = []
    tokens = 0
    for j, block in enumerate(blocks):
        match block:
            case str() | w.TextBlockParam():
                texts.append(block if isinstance(block, str) else block.text)
            case w.ThinkingBlockParam(signature=signature):
                if not signature:
                    raise invalid_request(
                        f"messages.{i}.content.{j}: Invalid `signature` in `thinking` block"
                    )
            case w.ToolUseBlockParam(id=use_id, input=arguments):
                uses.append(use_id)
                tokens += 1 + len(split_json_fragments(json.dumps(arguments)))
            case w.ToolResultBlockParam(tool_use_id=use_id, content=result):
                text = _result_text(result)
                results.append(ToolResult(j, use_id, text))
                tokens += count_tokens(text)
            case _:
                pass  # images, documents, server tool blocks: read as nothing
    text = " ".join(texts)
    tokens += count_tokens(text)
    return Turn(item.role, text, tuple(uses), tuple(results), tokens)


def _check_texts(blocks: Sequence[str | w.TextBlockParam]) -> None:
    for block in blocks:
        text = block if isinstance(block, str) else block.text
        if not text and not isinstance(block, str):
            raise invalid_request("messages: text content blocks must be non-empty")
        if text and not text.strip():
            raise invalid_request("messages: text content blocks must contain non-whitespace text")


def _result_text(content: str | Sequence[w.ToolResultBlockParamContentItem] | None) -> str:
    if content is None or isinstance(content, str):
        return content or ""
    return " ".join(part.text for part in content if isinstance(part, w.TextBlockParam))


def _check_tool_pairs(turns: Sequence[Turn]) -> None:
    for i, turn in enumerate(turns):
        previous = turns[i - 1] if i > 0 else None
        allowed = previous.tool_use_ids if previous and previous.role == "assistant" else ()
        for result in turn.tool_results:
            if result.tool_use_id not in allowed:
                raise invalid_request(
                    f"messages.{i}.content.{result.index}: unexpected `tool_use_id` found in "
                    f"`tool_result` blocks: {result.tool_use_id}. Each `tool_result` block must "
                    "have a corresponding `tool_use` block in the previous message."
                )
        if turn.tool_use_ids and i + 1 < len(turns):
            following = turns[i + 1]
            answered = {r.tool_use_id for r in following.tool_results}
            missing = [use_id for use_id in turn.tool_use_ids if use_id not in answered]
            if missing:
                raise invalid_request(
                    f"messages.{i}: `tool_use` ids were found without `tool_result` blocks "
                    f"immediately after: {', '.join(missing)}. Each `tool_use` block must have "
                    "a corresponding `tool_result` block in the next message."
                )
