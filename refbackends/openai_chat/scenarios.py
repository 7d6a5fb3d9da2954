"""What the emulated model answers: a :class:`Reply` planned from the
request and the script, before any wire encoding.

Default behaviour (no script), all derived from the input:

- with ``tools`` offered, ``tool_choice`` not ``"none"`` and a last message
  that is not a tool result: one call to the named tool (or the first
  function tool) with minimal schema-valid arguments, finish ``tool_calls``;
- otherwise text: ``"Echo: <last user text>"``, or ``"Tool results: ..."``
  after tool messages, or a schema-valid JSON document when
  ``response_format`` asks for JSON;
- ``stop`` sequences cut the text, ``max_completion_tokens``/``max_tokens``
  cut it to that many words with finish ``length``; ``n`` choices.

A script can force ``text``, ``tool_calls`` or a :class:`Scenario`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import assert_never

from lip.schema_example import example_for_schema
from refbackends.content import (
    LONG_TEXT,
    REFUSAL_TEXT,
    UNICODE_TEXT,
    choose_tools,
    count_tokens,
    split_json_fragments,
    split_words,
    stable_id,
)
from refbackends.openai_chat.validation import ChatRequest, FunctionTool
from refbackends.scripting import Scenario, Script, ScriptedToolCall

__all__ = ["ChoicePlan", "Reply", "ToolCallPlan", "default_text", "plan_reply"]

# Used when a tool call is scripted but the request offers no tools.
_FALLBACK_CALL = ScriptedToolCall(name="get_weather", arguments={"location": "Paris"})


@dataclass(frozen=True)
class ToolCallPlan:
    """One function call in the reply."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class ChoicePlan:
    """One choice: content and/or refusal and/or tool calls, and why it ended."""

    content: str | None
    refusal: str | None
    tool_calls: tuple[ToolCallPlan, ...]
    finish_reason: str  # stop | length | tool_calls | content_filter


@dataclass(frozen=True)
class Reply:
    """The whole answer; ``stream_error`` makes a stream fail half way."""

    choices: tuple[ChoicePlan, ...]
    prompt_tokens: int
    completion_tokens: int
    stream_error: bool = False


def plan_reply(request: ChatRequest, script: Script | None) -> Reply:
    """Plan the reply for a validated request and an optional script."""
    choices = tuple(_choice(request, script, index) for index in range(request.n))
    prompt = sum(count_tokens(message.text) for message in request.messages)
    completion = sum(_completion_tokens(choice) for choice in choices)
    failing = script is not None and script.scenario is Scenario.STREAM_ERROR
    return Reply(choices, prompt, completion, stream_error=failing)


def default_text(request: ChatRequest) -> str:
    """The input-derived reply text (see the module docstring)."""
    if request.response_format == "json_schema":
        return _json(example_for_schema(request.response_schema or {}))
    last_user = next((m.text for m in reversed(request.messages) if m.role == "user"), "")
    if request.response_format == "json_object":
        return _json({"echo": last_user})
    trailing_tools: list[str] = []
    for message in reversed(request.messages):
        if message.role != "tool":
            break
        trailing_tools.insert(0, message.text)
    if trailing_tools:
        return f"Tool results: {'; '.join(trailing_tools)}"
    return f"Echo: {last_user}".rstrip()


def _choice(request: ChatRequest, script: Script | None, index: int) -> ChoicePlan:
    scenario = script.scenario if script else None
    text = script.text if script else None
    forced = script.tool_calls if script else None
    match scenario:
        case None:
            if forced is not None:
                return _calls(request, index, 1, forced, text)
            if text is not None:
                return _text(request, text)
            return _default(request, index)
        case Scenario.TEXT | Scenario.STREAM_ERROR:
            return _text(request, text if text is not None else default_text(request))
        case Scenario.TOOL_CALL:
            return _calls(request, index, 1, forced, text)
        case Scenario.PARALLEL_TOOL_CALLS:
            return _calls(request, index, 2, forced, text)
        case Scenario.LENGTH:
            words = split_words(text if text is not None else default_text(request))
            limit = request.max_output_tokens or max(len(words) // 2, 1)
            return ChoicePlan("".join(words[:limit]), None, (), "length")
        case Scenario.CONTENT_FILTER:
            words = split_words(text if text is not None else default_text(request))
            return ChoicePlan("".join(words[: len(words) // 2]), None, (), "content_filter")
        case Scenario.REFUSAL:
            return ChoicePlan(None, text if text is not None else REFUSAL_TEXT, (), "stop")
        case Scenario.EMPTY:
            return ChoicePlan("", None, (), "stop")
        case Scenario.UNICODE:
            return _text(request, text if text is not None else UNICODE_TEXT)
        case Scenario.LONG:
            return _text(request, text if text is not None else LONG_TEXT)
        case _:
            assert_never(scenario)


def _default(request: ChatRequest, index: int) -> ChoicePlan:
    last_role = request.messages[-1].role
    if request.tools and request.tool_choice != "none" and last_role != "tool":
        return _calls(request, index, 1, None, None)
    return _text(request, default_text(request))


def _text(request: ChatRequest, text: str) -> ChoicePlan:
    """Text reply honouring ``stop`` and the output token limit."""
    cut = min((pos for pos in (text.find(stop) for stop in request.stop) if pos >= 0), default=-1)
    if cut >= 0:
        text = text[:cut]
    words = split_words(text)
    limit = request.max_output_tokens
    if limit is not None and len(words) > limit:
        return ChoicePlan("".join(words[:limit]), None, (), "length")
    return ChoicePlan(text, None, (), "stop")


def _calls(
    request: ChatRequest,
    index: int,
    count: int,
    forced: tuple[ScriptedToolCall, ...] | None,
    text: str | None,
) -> ChoicePlan:
    specs = list(forced) if forced else _pick_calls(request, count)
    calls = tuple(
        ToolCallPlan(
            id=f"call_{stable_id([request.fingerprint, str(index), str(k)], 24)}",
            name=spec.name,
            arguments=spec.arguments_json(),
        )
        for k, spec in enumerate(specs)
    )
    return ChoicePlan(text, None, calls, "tool_calls")


def _pick_calls(request: ChatRequest, count: int) -> list[ScriptedToolCall]:
    if not request.tools:
        return [_FALLBACK_CALL] * count
    chosen = choose_tools(request.tools, request.named_tool, count, lambda t: t.name)
    return [_call_for(tool) for tool in chosen]


def _call_for(tool: FunctionTool) -> ScriptedToolCall:
    arguments = example_for_schema(tool.parameters)
    if isinstance(arguments, dict):
        return ScriptedToolCall(name=tool.name, arguments=arguments)
    return ScriptedToolCall(name=tool.name, arguments=_json(arguments))


def _completion_tokens(choice: ChoicePlan) -> int:
    tokens = count_tokens(choice.content or "") + count_tokens(choice.refusal or "")
    return tokens + sum(len(split_json_fragments(call.arguments)) + 1 for call in choice.tool_calls)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
