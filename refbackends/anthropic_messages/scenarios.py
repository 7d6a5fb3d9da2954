"""What the emulated model answers: a :class:`.reply.Reply` planned from
the request and the script, before any wire encoding.

Default behaviour (no script), all derived from the input, as the Chat
emulator's:

- with thinking on (``enabled`` or ``adaptive``), a thinking block first
  (``Thinking about: <last user text>``, empty when ``display`` is
  ``omitted``) with a stable signature;
- with client tools offered, ``tool_choice`` not ``none`` and a last
  message that does not carry tool results: one ``tool_use`` of the named
  (or first) tool with minimal schema-valid input, stop reason
  ``tool_use``;
- otherwise text: ``"Echo: <last user text>"``, or ``"Tool results: ..."``
  after tool results;
- ``stop_sequences`` cut the text (stop reason ``stop_sequence``),
  ``max_tokens`` cuts it to that many words (stop reason ``max_tokens``).

A script can force ``text``, ``tool_calls`` or a :class:`Scenario`; the
Chat scenarios map to Anthropic's stop reasons (``length`` ->
``max_tokens``; ``content_filter`` and ``refusal`` -> ``refusal``);
``stream_error`` sends half the text, then an ``overloaded_error`` event.
"""

from __future__ import annotations

import base64
from typing import assert_never

from lip.schema_example import example_for_schema
from refbackends.anthropic_messages.reply import Reply, ReplyBlock, ReplyUsage, StreamFailure
from refbackends.anthropic_messages.validation import MessagesRequest, Tool
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
from refbackends.scripting import Scenario, Script, ScriptedToolCall

__all__ = ["default_text", "output_tokens", "plan_reply", "tool_use_id"]

# Used when a tool call is scripted but the request offers no tools.
_FALLBACK_CALL = ScriptedToolCall(name="get_weather", arguments={"location": "Paris"})


def plan_reply(request: MessagesRequest, script: Script | None) -> Reply:
    """Plan the reply for a validated request and an optional script."""
    blocks, stop_reason, stop_sequence = _content(request, script)
    thinking = _thinking_block(request)
    if thinking is not None:
        blocks = (thinking, *blocks)
    failure = None
    if script is not None and script.scenario is Scenario.STREAM_ERROR:
        # Some of the text reaches the client, then the stream fails.
        text = blocks[-1]
        failure = StreamFailure(
            after_blocks=len(blocks) - 1, extra_pieces=max(len(text.pieces) // 2, 1)
        )
    usage = ReplyUsage(request.input_tokens, output_tokens(blocks))
    return Reply(blocks, stop_reason, usage, stop_sequence, failure)


def default_text(request: MessagesRequest) -> str:
    """The input-derived reply text (see the module docstring)."""
    last = request.turns[-1]
    if last.role == "user" and last.tool_results:
        return f"Tool results: {'; '.join(result.text for result in last.tool_results)}"
    return f"Echo: {_last_user_text(request)}".rstrip()


def output_tokens(blocks: tuple[ReplyBlock, ...]) -> int:
    """The emulator's output count: words of text and thinking, JSON
    fragments of tool input (plus one per call)."""
    total = 0
    for block in blocks:
        if block.kind == "tool_use":
            total += len(split_json_fragments(block.joined)) + 1
        else:
            total += count_tokens(block.joined)
    return total


def tool_use_id(request: MessagesRequest, index: int) -> str:
    """A ``toolu_`` id derived from the request, like the API's."""
    return f"toolu_01{stable_id([request.fingerprint, 'toolu', str(index)], 22)}"


_Content = tuple[tuple[ReplyBlock, ...], str, str | None]


def _content(request: MessagesRequest, script: Script | None) -> _Content:
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
            limit = min(request.max_tokens, max(len(words) // 2, 1))
            return (_text_block(words[:limit]),), "max_tokens", None
        case Scenario.CONTENT_FILTER:
            words = split_words(text if text is not None else default_text(request))
            return (_text_block(words[: len(words) // 2]),), "refusal", None
        case Scenario.REFUSAL:
            refusal = text if text is not None else REFUSAL_TEXT
            return (_text_block(split_words(refusal)),), "refusal", None
        case Scenario.EMPTY:
            return (), "end_turn", None
        case Scenario.UNICODE:
            return _text(request, text if text is not None else UNICODE_TEXT)
        case Scenario.LONG:
            return _text(request, text if text is not None else LONG_TEXT)
        case _:
            assert_never(scenario)


def _default(request: MessagesRequest) -> _Content:
    last = request.turns[-1]
    answers_tools = last.role == "user" and bool(last.tool_results)
    if request.tools and request.tool_choice != "none" and not answers_tools:
        return _calls(request, 1, None, None)
    return _text(request, default_text(request))


def _text(request: MessagesRequest, text: str) -> _Content:
    """A text reply honouring ``stop_sequences`` and ``max_tokens``."""
    found = [(text.find(stop), stop) for stop in request.stop_sequences if stop]
    hits = sorted((pos, k, stop) for k, (pos, stop) in enumerate(found) if pos >= 0)
    if hits:
        pos, _, stop = hits[0]
        words = split_words(text[:pos])
        if len(words) <= request.max_tokens:
            return (_text_block(words),), "stop_sequence", stop
    words = split_words(text)
    if len(words) > request.max_tokens:
        return (_text_block(words[: request.max_tokens]),), "max_tokens", None
    return (_text_block(words),), "end_turn", None


def _text_block(words: list[str]) -> ReplyBlock:
    return ReplyBlock("text", tuple(words))


def _calls(
    request: MessagesRequest,
    count: int,
    forced: tuple[ScriptedToolCall, ...] | None,
    text: str | None,
) -> _Content:
    specs = list(forced) if forced else _pick_calls(request, count)
    blocks = [_text_block(split_words(text))] if text else []
    blocks += [
        ReplyBlock(
            "tool_use",
            tuple(split_json_fragments(spec.arguments_json())),
            id=tool_use_id(request, k),
            name=spec.name,
        )
        for k, spec in enumerate(specs)
    ]
    return tuple(blocks), "tool_use", None


def _pick_calls(request: MessagesRequest, count: int) -> list[ScriptedToolCall]:
    if not request.tools:
        return [_FALLBACK_CALL] * count
    chosen = choose_tools(request.tools, request.named_tool, count, lambda t: t.name)
    return [_call_for(tool) for tool in chosen]


def _call_for(tool: Tool) -> ScriptedToolCall:
    arguments = example_for_schema(tool.input_schema)
    # The schema's type is "object", so the example is one (bounds aside).
    return ScriptedToolCall(
        name=tool.name, arguments=arguments if isinstance(arguments, dict) else {}
    )


def _thinking_block(request: MessagesRequest) -> ReplyBlock | None:
    if request.thinking == "off":
        return None
    shown = request.thinking == "shown"
    pieces = split_words(f"Thinking about: {_last_user_text(request)}".rstrip()) if shown else []
    digest = bytes.fromhex(stable_hex([request.fingerprint, "signature"], 64))
    signature = base64.b64encode(b"emulator-signature:" + digest).decode("ascii")
    return ReplyBlock("thinking", tuple(pieces), signature=signature)


def _last_user_text(request: MessagesRequest) -> str:
    return next((t.text for t in reversed(request.turns) if t.role == "user" and t.text), "")
