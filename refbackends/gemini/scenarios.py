"""What the emulated model answers: a :class:`.reply.Reply` planned from the
request and the script, before any wire encoding.

Default behaviour (no script), derived from the conversation, as the other
emulators':

- when the model thinks on the request (listed thinking models unless
  ``thinkingBudget`` is 0; any model asked for thoughts or a budget), a
  thought ``Thinking about: <last user text>`` with a minted signature. It
  is shown only with ``includeThoughts``; either way it counts as
  ``thoughtsTokenCount`` and its signature rides on the first function call;
- with functions declared and mode ``ANY`` (or ``AUTO``/``VALIDATED`` and a
  conversation that does not end in function results): one call of the
  first (allowed) function with minimal schema-valid ``args``;
- otherwise text: ``"Echo: <last user text>"``, ``"Tool results: ..."``
  after function results, or a schema-valid JSON document when
  ``responseMimeType`` is ``application/json``. A stop sequence cuts it
  (``STOP``), ``maxOutputTokens`` cuts it to that many words
  (``MAX_TOKENS``).

A script can force ``text``, ``tool_calls`` or a :class:`Scenario`:
``length`` ends ``MAX_TOKENS``, ``content_filter`` ends ``SAFETY`` after
half the text, ``refusal`` answers a refusal as text, ``empty`` a candidate
without parts, ``stream_error`` streams half the text and then fails.
"""

from __future__ import annotations

import json
from typing import assert_never

from lip.canonical.json import JSONObject, JSONValue
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
)
from refbackends.gemini.conversation import last_user_text, trailing_results
from refbackends.gemini.errors import GoogleError
from refbackends.gemini.reply import (
    Finish,
    Reply,
    ReplyPart,
    ReplyUsage,
    StreamFailure,
    sign_first_call,
)
from refbackends.gemini.validation import FunctionTool, GeminiRequest
from refbackends.scripting import Scenario, Script, ScriptedToolCall

__all__ = ["default_text", "output_tokens", "plan_reply"]

# Used when a tool call is scripted but the request declares no functions.
_FALLBACK_CALL = ScriptedToolCall(name="get_weather", arguments={"location": "Paris"})

_Content = tuple[tuple[ReplyPart, ...], Finish]


def plan_reply(request: GeminiRequest, script: Script | None) -> Reply:
    """Plan the reply for a validated request and an optional script."""
    parts, finish = _content(request, script)
    thoughts = 0
    if request.thinking:
        thought_text = f"Thinking about: {last_user_text(request.contents)}".rstrip()
        thought = ReplyPart("thought", tuple(split_words(thought_text)), _signature(request))
        parts = sign_first_call((thought, *parts))
        if not request.include_thoughts:
            parts = parts[1:]
        thoughts = count_tokens(thought_text)
    failure = None
    if script is not None and script.scenario is Scenario.STREAM_ERROR and parts:
        # Some of the text reaches the client, then the stream fails.
        last = parts[-1]
        failure = StreamFailure(
            after_parts=len(parts) - 1, extra_pieces=max(len(last.pieces) // 2, 1)
        )
    answer = output_tokens(tuple(part for part in parts if part.kind != "thought"))
    return Reply(parts, ReplyUsage(request.input_tokens, answer, thoughts), finish, failure)


def default_text(request: GeminiRequest) -> str:
    """The conversation-derived reply text (see the module docstring)."""
    if request.json_output:
        if request.json_schema is not None:
            return _json(example_for_schema(request.json_schema))
        return _json({"echo": last_user_text(request.contents)})
    results = trailing_results(request.contents)
    if results:
        return f"Tool results: {'; '.join(results)}"
    return f"Echo: {last_user_text(request.contents)}".rstrip()


def output_tokens(parts: tuple[ReplyPart, ...]) -> int:
    """The emulator's output count: words of text and thoughts, JSON
    fragments of call arguments (plus one per call)."""
    total = 0
    for part in parts:
        if part.kind == "function_call":
            total += len(split_json_fragments(_json(part.args or {}))) + 1
        else:
            total += count_tokens(part.joined)
    return total


def _content(request: GeminiRequest, script: Script | None) -> _Content:
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
            return (_words(words[:limit]),), "MAX_TOKENS"
        case Scenario.CONTENT_FILTER:
            words = split_words(text if text is not None else default_text(request))
            return (_words(words[: len(words) // 2]),), "SAFETY"
        case Scenario.REFUSAL:
            return (_words(split_words(text if text is not None else REFUSAL_TEXT)),), "STOP"
        case Scenario.EMPTY:
            return (), "STOP"
        case Scenario.UNICODE:
            return _text(request, text if text is not None else UNICODE_TEXT)
        case Scenario.LONG:
            return _text(request, text if text is not None else LONG_TEXT)
        case _:
            assert_never(scenario)


def _default(request: GeminiRequest) -> _Content:
    calls = request.mode == "ANY" or not trailing_results(request.contents)
    if request.tools and request.mode != "NONE" and calls:
        return _calls(request, 1, None, None)
    return _text(request, default_text(request))


def _text(request: GeminiRequest, text: str) -> _Content:
    """A text part honouring stop sequences and ``maxOutputTokens``."""
    cuts = [position for position in (text.find(stop) for stop in request.stop) if position >= 0]
    if cuts:
        text = text[: min(cuts)]
    words = split_words(text)
    limit = request.max_output_tokens
    if limit is not None and len(words) > limit:
        return (_words(words[:limit]),), "MAX_TOKENS"
    return (_words(words),), "STOP"


def _words(words: list[str]) -> ReplyPart:
    return ReplyPart("text", tuple(words))


def _calls(
    request: GeminiRequest,
    count: int,
    forced: tuple[ScriptedToolCall, ...] | None,
    text: str | None,
) -> _Content:
    specs = list(forced) if forced else _pick_calls(request, count)
    parts = [_words(split_words(text))] if text else []
    parts += [ReplyPart("function_call", name=spec.name, args=_args(spec)) for spec in specs]
    return tuple(parts), "STOP"


def _pick_calls(request: GeminiRequest, count: int) -> list[ScriptedToolCall]:
    offered = [
        tool for tool in request.tools if not request.allowed or tool.name in request.allowed
    ]
    if not offered:
        return [_FALLBACK_CALL] * count
    chosen = choose_tools(offered, None, count, lambda tool: tool.name)
    return [_call_for(tool) for tool in chosen]


def _call_for(tool: FunctionTool) -> ScriptedToolCall:
    arguments = example_for_schema(tool.parameters)
    return ScriptedToolCall(
        name=tool.name, arguments=arguments if isinstance(arguments, dict) else {}
    )


def _args(spec: ScriptedToolCall) -> JSONObject:
    """A scripted call's arguments as the object Gemini sends (a script
    with arguments that are not a JSON object is refused)."""
    try:
        args = json.loads(spec.arguments_json())
    except ValueError:
        args = None
    if not isinstance(args, dict):
        raise GoogleError(
            400,
            f"Invalid emulator script: {spec.name} arguments must be a JSON object on the "
            "Gemini wire.",
            "INVALID_ARGUMENT",
        )
    return args


def _signature(request: GeminiRequest) -> bytes:
    """Opaque thought state derived from the request."""
    return b"emulator-thought:" + bytes.fromhex(stable_hex([request.fingerprint, "thought"], 64))


def _json(value: JSONValue) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
