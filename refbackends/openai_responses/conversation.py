"""The conversation a request continues, once its items are valid.

A request's conversation is the stored history of its
``previous_response_id`` (that response's input, then its output), then its
own ``input``. This module reduces each item to a :class:`Turn` (what the
emulated model reads from it), applies the API's pairing rule over the whole
conversation, and gives each item of a request the form ``input_items``
lists (an ``id`` on every item, string content as one input part).

Pairing, as the API words it: a ``function_call_output`` must follow a
``function_call`` with its ``call_id`` ("No tool call found for function
call output with call_id ..."), and every ``function_call`` must be answered
("No tool output found for function call ..."), both ``param: "input"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from lip.canonical.json import JSONObject, JSONValue
from refbackends.content import count_tokens, split_json_fragments, stable_hex
from refbackends.openai_responses.errors import OpenAIError

__all__ = ["Turn", "check_pairs", "input_tokens", "listed_item", "turn_of"]

TurnKind = Literal["message", "function_call", "function_call_output", "reasoning", "other"]

# The id prefixes of items the API lists, by item type.
_LISTED_PREFIXES = {"function_call": "fc", "function_call_output": "fco", "reasoning": "rs"}


@dataclass(frozen=True)
class Turn:
    """What the emulated model reads from one item: a message's role and
    text, a call's id, a tool output's text, a reasoning summary; and the
    item's share of the input tokens."""

    kind: TurnKind
    role: str = ""
    text: str = ""
    call_id: str = ""
    tokens: int = 0


def turn_of(item: JSONObject) -> Turn:
    """Reduce a valid (or stored) item."""
    kind = item.get("type") or ("message" if "role" in item else "other")
    match kind:
        case "message":
            text = _text(item.get("content"))
            return Turn("message", role=str(item.get("role")), text=text, tokens=count_tokens(text))
        case "function_call":
            arguments = str(item.get("arguments", ""))
            tokens = 1 + len(split_json_fragments(arguments))
            return Turn("function_call", call_id=str(item.get("call_id")), tokens=tokens)
        case "function_call_output":
            text = _text(item.get("output"))
            call_id = str(item.get("call_id"))
            return Turn(
                "function_call_output", text=text, call_id=call_id, tokens=count_tokens(text)
            )
        case "reasoning":
            summary = item.get("summary")
            text = _text(summary if isinstance(summary, list) else None)
            return Turn("reasoning", text=text, tokens=count_tokens(text))
        case _:
            return Turn("other")


def check_pairs(turns: Sequence[Turn]) -> None:
    """The API's pairing rule over the whole conversation (module docstring)."""
    called: set[str] = set()
    answered: set[str] = set()
    for turn in turns:
        if turn.kind == "function_call":
            called.add(turn.call_id)
        elif turn.kind == "function_call_output":
            if turn.call_id not in called:
                raise OpenAIError(
                    400,
                    f"No tool call found for function call output with call_id {turn.call_id}.",
                    param="input",
                )
            answered.add(turn.call_id)
    for turn in turns:
        if turn.kind == "function_call" and turn.call_id not in answered:
            raise OpenAIError(
                400, f"No tool output found for function call {turn.call_id}.", param="input"
            )


def input_tokens(instructions: str | None, turns: Sequence[Turn]) -> int:
    """The emulator's input count: words of the instructions and of every
    turn (JSON fragments for calls)."""
    return count_tokens(instructions or "") + sum(turn.tokens for turn in turns)


def listed_item(item: JSONObject, seed: Sequence[str]) -> JSONObject:
    """``item`` as ``input_items`` lists it; a missing ``id`` is derived from ``seed``."""
    kind = item.get("type") or "message"
    if kind == "message":
        role = str(item.get("role"))
        content = item.get("content")
        if isinstance(content, str):
            part: JSONObject = (
                {"type": "output_text", "annotations": [], "text": content}
                if role == "assistant"
                else {"type": "input_text", "text": content}
            )
            content = [part]
        return {
            "id": item.get("id") or f"msg_{stable_hex(seed, 48)}",
            "type": "message",
            "role": role,
            "content": content,
            "status": item.get("status") or "completed",
        }
    prefix = _LISTED_PREFIXES.get(str(kind), "item")
    listed: JSONObject = {"id": item.get("id") or f"{prefix}_{stable_hex(seed, 48)}"}
    listed.update((key, value) for key, value in item.items() if key != "id")
    if kind in ("function_call", "function_call_output"):
        listed["status"] = item.get("status") or "completed"
    return listed


def _text(content: JSONValue) -> str:
    """A string, or the text of a list of parts (input or output text,
    refusals, summary text) joined with spaces; images and files read as
    nothing."""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    texts: list[str] = []
    for part in content:
        if not isinstance(part, dict):
            continue
        value = part.get("text", part.get("refusal"))
        if isinstance(value, str):
            texts.append(value)
    return " ".join(texts)
