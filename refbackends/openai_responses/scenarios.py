"""What the emulated model answers: a :class:`.reply.Reply` planned from
the request and the script, before any wire encoding.

Default behaviour (no script), all derived from the conversation (the
``previous_response_id`` history, then the input), as the Chat emulator's:

- with ``reasoning`` requested (effort not ``none``), a reasoning item first
  with a minted ``encrypted_content``; its summary (``Thinking about: <last
  user text>``) only when ``reasoning.summary`` asks for one;
- with function tools offered, ``tool_choice`` not ``none`` and a
  conversation that does not end in tool outputs: one ``function_call`` of
  the named (or first) function with minimal schema-valid arguments;
- otherwise a message: ``"Echo: <last user text>"``, or ``"Tool results:
  ..."`` after tool outputs, or a schema-valid JSON document when
  ``text.format`` asks for JSON; ``max_output_tokens`` cuts it to that many
  words and the response is ``incomplete``.

A script can force ``text``, ``tool_calls`` or a :class:`Scenario`:
``length`` and ``content_filter`` end ``incomplete`` with that reason,
``refusal`` answers a refusal part, ``stream_error`` streams half the text
and then fails (``response.failed``).
"""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Literal, assert_never

from lip.schema_example import example_for_schema
from refbackends.content import (
    LONG_TEXT,
    REFUSAL_TEXT,
    UNICODE_TEXT,
    choose_tools,
    count_tokens,
    split_json_fragments,
    split_words,
    stable_hex,
    stable_id,
)
from refbackends.openai_responses.reply import Reply, ReplyItem, ReplyUsage, StreamFailure
from refbackends.openai_responses.validation import FunctionTool, ResponsesRequest
from refbackends.scripting import Scenario, Script, ScriptedToolCall

__all__ = ["default_text", "number_items", "output_tokens", "plan_reply"]

# Used when a tool call is scripted but the request offers no function tools.
_FALLBACK_CALL = ScriptedToolCall(name="get_weather", arguments={"location": "Paris"})
_PREFIXES = {"text": "msg", "refusal": "msg", "reasoning": "rs", "function_call": "fc"}

_Content = tuple[tuple[ReplyItem, ...], Literal["max_output_tokens", "content_filter"] | None]


def plan_reply(request: ResponsesRequest, script: Script | None) -> Reply:
    """Plan the reply for a validated request and an optional script."""
    items, incomplete = _content(request, script)
    thought = f"Thinking about: {_last_user_text(request)}".rstrip()
    thinking = request.reasoning != "off"
    if thinking:
        shown = split_words(thought) if request.reasoning == "summarized" else []
        items = (ReplyItem("reasoning", "", tuple(shown)), *items)
    items = number_items(request, items)
    if thinking:
        items = (replace(items[0], encrypted_content=_encrypted(request)), *items[1:])
    failure = None
    if script is not None and script.scenario is Scenario.STREAM_ERROR:
        # Some of the text reaches the client, then the response fails.
        text = items[-1]
        failure = StreamFailure(
            after_items=len(items) - 1, extra_pieces=max(len(text.pieces) // 2, 1)
        )
    reasoning = count_tokens(thought) if thinking else 0
    answer = output_tokens(tuple(item for item in items if item.kind != "reasoning"))
    usage = ReplyUsage(request.input_tokens, answer + reasoning, reasoning=reasoning)
    return Reply(items, usage, incomplete, failure)


def default_text(request: ResponsesRequest) -> str:
    """The conversation-derived reply text (see the module docstring)."""
    if request.text_format == "json_schema":
        return _json(example_for_schema(request.text_schema or {}))
    if request.text_format == "json_object":
        return _json({"echo": _last_user_text(request)})
    outputs: list[str] = []
    for turn in reversed(request.turns):
        if turn.kind != "function_call_output":
            break
        outputs.insert(0, turn.text)
    if outputs:
        return f"Tool results: {'; '.join(outputs)}"
    return f"Echo: {_last_user_text(request)}".rstrip()


def output_tokens(items: tuple[ReplyItem, ...]) -> int:
    """The emulator's output count: words of text, refusals and summaries,
    JSON fragments of arguments (plus one per call)."""
    total = 0
    for item in items:
        if item.kind == "function_call":
            total += len(split_json_fragments(item.joined)) + 1
        else:
            total += count_tokens(item.joined)
    return total


def number_items(request: ResponsesRequest, items: tuple[ReplyItem, ...]) -> tuple[ReplyItem, ...]:
    """Give every item its id (``msg_``, ``rs_``, ``fc_`` and 48 hex digits,
    like the API's), derived from the request and the item's position."""
    numbered: list[ReplyItem] = []
    for index, item in enumerate(items):
        prefix = _PREFIXES[item.kind]
        digits = stable_hex([request.fingerprint, prefix, str(index)], 48)
        numbered.append(replace(item, id=f"{prefix}_{digits}"))
    return tuple(numbered)


def _content(request: ResponsesRequest, script: Script | None) -> _Content:
    scenario = script.scenario if script else None
    text = script.text if script else None
    forced = script.tool_calls if script else None
    match scenario:
        case None:
            if forced is not None:
                return _calls(request, 1, forced, text)
            if text is not None:
                return _text(request, text)
            return _default(request)
        case Scenario.TEXT | Scenario.STREAM_ERROR:
            return _text(request, text if text is not None else default_text(request))
        case Scenario.TOOL_CALL:
            return _calls(request, 1, forced, text)
        case Scenario.PARALLEL_TOOL_CALLS:
            return _calls(request, 2, forced, text)
        case Scenario.LENGTH:
            words = split_words(text if text is not None else default_text(request))
            limit = min(request.max_output_tokens or len(words), max(len(words) // 2, 1))
            return (_message(words[:limit]),), "max_output_tokens"
        case Scenario.CONTENT_FILTER:
            words = split_words(text if text is not None else default_text(request))
            return (_message(words[: len(words) // 2]),), "content_filter"
        case Scenario.REFUSAL:
            refusal = split_words(text if text is not None else REFUSAL_TEXT)
            return (ReplyItem("refusal", "", tuple(refusal)),), None
        case Scenario.EMPTY:
            return (_message([]),), None
        case Scenario.UNICODE:
            return _text(request, text if text is not None else UNICODE_TEXT)
        case Scenario.LONG:
            return _text(request, text if text is not None else LONG_TEXT)
        case _:
            assert_never(scenario)


def _default(request: ResponsesRequest) -> _Content:
    answers_tools = bool(request.turns) and request.turns[-1].kind == "function_call_output"
    if request.tools and request.tool_choice != "none" and not answers_tools:
        return _calls(request, 1, None, None)
    return _text(request, default_text(request))


def _text(request: ResponsesRequest, text: str) -> _Content:
    """A message honouring ``max_output_tokens``."""
    words = split_words(text)
    limit = request.max_output_tokens
    if limit is not None and len(words) > limit:
        return (_message(words[:limit]),), "max_output_tokens"
    return (_message(words),), None


def _message(words: list[str]) -> ReplyItem:
    return ReplyItem("text", "", tuple(words))


def _calls(
    request: ResponsesRequest,
    count: int,
    forced: tuple[ScriptedToolCall, ...] | None,
    text: str | None,
) -> _Content:
    specs = list(forced) if forced else _pick_calls(request, count)
    items = [_message(split_words(text))] if text else []
    items += [
        ReplyItem(
            "function_call",
            "",
            tuple(split_json_fragments(spec.arguments_json())),
            call_id=f"call_{stable_id([request.fingerprint, 'call', str(k)], 24)}",
            name=spec.name,
        )
        for k, spec in enumerate(specs)
    ]
    return tuple(items), None


def _pick_calls(request: ResponsesRequest, count: int) -> list[ScriptedToolCall]:
    if not request.tools:
        return [_FALLBACK_CALL] * count
    chosen = choose_tools(request.tools, request.named_tool, count, lambda t: t.name)
    return [_call_for(tool) for tool in chosen]


def _call_for(tool: FunctionTool) -> ScriptedToolCall:
    arguments = example_for_schema(tool.parameters)
    if isinstance(arguments, dict):
        return ScriptedToolCall(name=tool.name, arguments=arguments)
    return ScriptedToolCall(name=tool.name, arguments=_json(arguments))


def _encrypted(request: ResponsesRequest) -> str:
    """Opaque reasoning state shaped like the API's (a Fernet token:
    ``gAAAAA`` and URL-safe base64), derived from the request."""
    digest = bytes.fromhex(stable_hex([request.fingerprint, "encrypted_content"], 64))
    return "gAAAAAB" + base64.urlsafe_b64encode(b"emulator-reasoning:" + digest).decode("ascii")


def _last_user_text(request: ResponsesRequest) -> str:
    return next(
        (t.text for t in reversed(request.turns) if t.kind == "message" and t.role == "user"), ""
    )


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
