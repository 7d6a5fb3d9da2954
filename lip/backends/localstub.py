"""A deterministic, key-free backend for dogfooding, demos and tests.

Behaviour, so clients can rely on it:

* With tools offered and the last turn not a tool result, it calls a tool
  when ``tool_choice`` asks for one (the named tool, or the first one for
  ``required``), or, under ``auto``, when the user's last words name an
  offered tool (``"... use get_weather"``), with arguments sampled from the
  tool's JSON Schema (required properties filled in). An agent client that
  offers tools on every turn therefore gets text unless it asks for a call.
* After tool results it reports them; otherwise it answers
  ``"You said: <the user's last words>"`` (the last text part of the last
  user turn: agent clients put their own reminders in earlier parts). A ``json_schema`` or ``json_object``
  response format yields a matching JSON document instead.
* Output is streamed word by word, at most :data:`MAX_REPLY_WORDS` words (an
  echo must not amplify a large request into a much larger stream);
  ``max_output_tokens`` (in words) cuts it
  with finish reason ``length``; ``stop`` sequences cut it with ``stop``.
* Usage counts whitespace-separated words.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import AsyncGenerator, Iterator

from lip.backends.base import Backend, Target
from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    Call,
    Event,
    FinishReason,
    Message,
    ResponseFinished,
    ResponseFormatKind,
    ResponseStarted,
    TextDelta,
    TextPart,
    Tool,
    ToolCallDelta,
    ToolChoiceMode,
    ToolResultPart,
    Usage,
    UsageEvent,
    offerable,
    text_of,
)
from lip.schema_example import example_for_schema

MAX_REPLY_WORDS = 1024
"""The stub's longest reply; longer ones end with finish reason ``length``."""


def _digest(call: Call) -> str:
    seed = "\x1f".join(f"{m.role}:{text_of(m.parts)}" for m in call.messages)
    return hashlib.sha256(seed.encode()).hexdigest()[:24]


def _words(text: str) -> int:
    return len(text.split())


def _chosen_tool(call: Call) -> Tool | None:
    if not call.tools:
        return None
    choice = call.tool_choice
    if choice is not None and choice.mode is ToolChoiceMode.NONE:
        return None
    last = call.messages[-1] if call.messages else None
    if last is not None and any(isinstance(p, ToolResultPart) for p in last.parts):
        return None
    if choice is not None and choice.mode is ToolChoiceMode.NAMED:
        return next((t for t in call.tools if t.name == choice.name), call.tools[0])
    if choice is not None and choice.mode is ToolChoiceMode.REQUIRED:
        return call.tools[0]
    words = set(_WORD.findall(_last_words(call)))
    return next((t for t in call.tools if t.name in words), None)


_WORD = re.compile(r"[A-Za-z0-9_-]+")


def _last_words(call: Call) -> str:
    """The last text part of the last user turn."""
    last_user = next((m for m in reversed(call.messages) if m.role == "user"), None)
    if last_user is None:
        return ""
    texts = [p.text for p in last_user.parts if isinstance(p, TextPart)]
    return texts[-1] if texts else ""


def _reply_text(call: Call) -> str:
    fmt = call.options.response_format
    if fmt is not None and fmt.kind is ResponseFormatKind.JSON_SCHEMA and fmt.schema is not None:
        return json.dumps(example_for_schema(fmt.schema), separators=(",", ":"))
    said = _last_words(call)
    if fmt is not None and fmt.kind is ResponseFormatKind.JSON_OBJECT:
        return json.dumps({"reply": said})
    last = call.messages[-1] if call.messages else None
    results = _tool_results(last) if last is not None else []
    if results:
        return " ".join(
            f"Tool {r.call_id} returned: {text_of(r.content, sep=' ')}" for r in results
        )
    return f"You said: {said}" if said else "Hello from the LIP local stub."


def _tool_results(message: Message) -> list[ToolResultPart]:
    return [p for p in message.parts if isinstance(p, ToolResultPart)]


def _chunks(text: str) -> Iterator[str]:
    """Word-sized pieces that concatenate back to ``text`` exactly."""
    start = 0
    for i, ch in enumerate(text):
        if ch == " " and i > start:
            yield text[start : i + 1]
            start = i + 1
    if start < len(text):
        yield text[start:]


class LocalStubBackend(Backend):
    """See the module docstring; no network, no key."""

    async def stream(self, call: Call, target: Target) -> AsyncGenerator[list[Event], None]:
        call = offerable(call, "localstub", "the local stub")
        # Everything is known at once; the client still sees one frame per word.
        yield list(_events(call, target))


def _events(call: Call, target: Target) -> Iterator[Event]:
    digest = _digest(call)
    yield ResponseStarted(
        id=f"stub-{digest}", model=target.upstream_model, created=int(time.time())
    )
    input_words = sum(_words(text_of(m.parts, sep=" ")) for m in call.messages)
    tool = _chosen_tool(call)
    if tool is not None:
        schema = tool.parameters or {"type": "object"}
        arguments = json.dumps(example_for_schema(schema), separators=(",", ":"))
        call_id = f"call_{digest[:20]}"
        yield BlockStarted(index=0, kind=BlockKind.TOOL_CALL, id=call_id, name=tool.name)
        yield ToolCallDelta(index=0, arguments=arguments)
        yield BlockFinished(index=0)
        yield UsageEvent(usage=Usage(input_tokens=input_words, output_tokens=1))
        yield ResponseFinished(finish_reason=FinishReason.TOOL_CALLS)
        return
    text = _reply_text(call)
    finish, stop_sequence = FinishReason.STOP, None
    for seq in call.options.stop:
        cut = text.find(seq) if seq else -1
        if cut >= 0:
            text, stop_sequence = text[:cut], seq
    limit = min(call.options.max_output_tokens or MAX_REPLY_WORDS, MAX_REPLY_WORDS)
    emitted = 0
    for piece in _chunks(text):
        if emitted >= limit:
            finish, stop_sequence = FinishReason.LENGTH, None
            break
        if emitted == 0:
            yield BlockStarted(index=0, kind=BlockKind.TEXT)
        emitted += 1
        yield TextDelta(index=0, text=piece)
    if emitted:
        yield BlockFinished(index=0)
    yield UsageEvent(usage=Usage(input_tokens=input_words, output_tokens=emitted))
    yield ResponseFinished(finish_reason=finish, stop_sequence=stop_sequence)


__all__ = ["MAX_REPLY_WORDS", "LocalStubBackend"]
