"""Per-request scripts: what an emulated upstream does with one request.

A :class:`Script` can force a scenario (canned reply shape), an error status,
timing (delay before the first byte, delay between frames), an abrupt cut of
the connection after N frames, a stall after N frames (nothing more is sent,
the connection stays open until the client leaves), a ``Retry-After``
header, the reply text, or the tool calls. It is protocol independent: each emulator decides how a
scenario looks on its own wire.

Or it carries a :class:`refbackends.plan.Plan`: the answer to the chunk
(blocks, usage, finish, failure), which each emulator renders exactly. A
plan replaces ``scenario``, ``text`` and ``tool_calls`` (a script with both
is an error) and goes with the HTTP-level fields (``status``,
``retry_after``, ``delay_ms``, ``chunk_delay_ms``, ``cut_after``,
``stall_after``)::

    {"plan": {"blocks": [{"text": ["Hel", "lo"]}], "finish": "stop"},
     "chunk_delay_ms": 5}

Sources, first match wins (see :func:`select_script`):

1. request headers ``x-emulator-*`` (direct use; a proxy usually drops them),
2. the app's FIFO :class:`ScriptQueue`, filled through
   ``POST /__emulator__/scripts`` (see :mod:`refbackends.control`),
3. nothing: the emulator's default, input-derived behaviour.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from refbackends.plan import Plan

__all__ = [
    "HEADER_PREFIX",
    "Scenario",
    "Script",
    "ScriptError",
    "ScriptQueue",
    "ScriptedToolCall",
    "SelectedScript",
    "parse_scripts",
    "script_from_headers",
    "select_script",
]

HEADER_PREFIX = "x-emulator-"


class Scenario(StrEnum):
    """Canned reply shapes every emulator understands."""

    TEXT = "text"  # plain text reply, even when tools are offered
    TOOL_CALL = "tool_call"  # one tool call
    PARALLEL_TOOL_CALLS = "parallel_tool_calls"  # two tool calls in one turn
    LENGTH = "length"  # text cut short, finish reason "length"
    CONTENT_FILTER = "content_filter"  # partial text, finish reason "content_filter"
    REFUSAL = "refusal"  # a refusal instead of content
    EMPTY = "empty"  # empty content
    UNICODE = "unicode"  # multi-byte text (accents, CJK, emoji)
    LONG = "long"  # hundreds of words, one frame each when streamed
    STREAM_ERROR = "stream_error"  # streamed: some text, then an in-stream error


class ScriptError(ValueError):
    """A script (header or queue entry) that cannot be understood."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ScriptedToolCall(BaseModel):
    """A tool call the emulator must emit; ``arguments`` is a JSON object or
    an already-encoded JSON string (sent verbatim, valid or not)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    arguments: dict[str, object] | str = Field(default_factory=dict)

    def arguments_json(self) -> str:
        """The arguments as the JSON text that goes on the wire."""
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(self.arguments, ensure_ascii=False, separators=(",", ":"))


class Script(BaseModel):
    """What one request should do. Every field is optional; an empty script
    behaves like no script."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenario: Scenario | None = None
    status: int | None = Field(default=None, ge=200, le=599, strict=True)
    delay_ms: int = Field(default=0, ge=0, le=600_000, strict=True)
    cut_after: int | None = Field(default=None, ge=0, strict=True)
    # Frames (streams) or bytes (unary bodies) sent before the connection
    # goes silent; it stays open until the client leaves (refbackends.streaming).
    stall_after: int | None = Field(default=None, ge=0, strict=True)
    chunk_delay_ms: int = Field(default=0, ge=0, le=60_000, strict=True)
    retry_after: int | str | None = None
    text: str | None = None
    tool_calls: tuple[ScriptedToolCall, ...] | None = None
    plan: Plan | None = None

    @model_validator(mode="after")
    def _plan_alone(self) -> Script:
        if self.plan is not None:
            clashing = [
                name
                for name in ("scenario", "text", "tool_calls")
                if getattr(self, name) is not None
            ]
            if clashing:
                raise ValueError(f"a plan cannot be combined with {', '.join(clashing)}")
        return self

    @property
    def is_error(self) -> bool:
        """True when the script asks for an HTTP error status."""
        return self.status is not None and self.status >= 400


@dataclass(frozen=True)
class SelectedScript:
    """The script chosen for a request and where it came from."""

    script: Script
    source: Literal["headers", "queue"]


class ScriptQueue:
    """FIFO of scripts; each scripted request pops one. Lives on the app
    instance, never in a module global."""

    def __init__(self) -> None:
        self._items: deque[Script] = deque()

    def extend(self, scripts: list[Script]) -> None:
        """Append scripts in order."""
        self._items.extend(scripts)

    def pop(self) -> Script | None:
        """The oldest pending script, or None when the queue is empty."""
        return self._items.popleft() if self._items else None

    def clear(self) -> int:
        """Drop every pending script; returns how many were dropped."""
        count = len(self._items)
        self._items.clear()
        return count

    def pending(self) -> list[Script]:
        """A snapshot of the pending scripts, oldest first."""
        return list(self._items)

    def __len__(self) -> int:
        return len(self._items)


_INT_HEADERS = {
    "status": "status",
    "delay-ms": "delay_ms",
    "cut-after": "cut_after",
    "stall-after": "stall_after",
    "chunk-delay-ms": "chunk_delay_ms",
}


def script_from_headers(headers: Mapping[str, str]) -> Script | None:
    """Build a script from ``x-emulator-*`` headers; None when there are none.

    Headers: ``x-emulator-scenario``, ``-status``, ``-delay-ms``,
    ``-cut-after``, ``-stall-after``, ``-chunk-delay-ms``, ``-retry-after``, ``-text``,
    ``-tool-calls`` (a JSON list of ``{"name", "arguments"}``) and ``-plan``
    (a :class:`~refbackends.plan.Plan` as one line of JSON). Unknown
    ``x-emulator-*`` headers are an error, so a typo never passes silently.
    """
    fields: dict[str, object] = {}
    for raw_name, value in headers.items():
        name = raw_name.lower()
        if not name.startswith(HEADER_PREFIX):
            continue
        key = name[len(HEADER_PREFIX) :]
        if key in _INT_HEADERS:
            try:
                fields[_INT_HEADERS[key]] = int(value.strip())
            except ValueError:
                raise ScriptError(
                    f"header {name} must be an integer, got {value!r}", field=name
                ) from None
        elif key == "scenario":
            fields["scenario"] = value.strip()
        elif key == "retry-after":
            stripped = value.strip()
            fields["retry_after"] = int(stripped) if stripped.isdigit() else stripped
        elif key == "text":
            fields["text"] = value
        elif key == "tool-calls":
            try:
                fields["tool_calls"] = json.loads(value)
            except ValueError:
                raise ScriptError(f"header {name} must be a JSON list", field=name) from None
        elif key == "plan":
            try:
                fields["plan"] = json.loads(value)
            except ValueError:
                raise ScriptError(f"header {name} must be a JSON object", field=name) from None
        else:
            raise ScriptError(f"unknown emulator header {name}", field=name)
    if not fields:
        return None
    return _validate(fields, where="headers")


def parse_scripts(raw: object) -> list[Script]:
    """Validate a control-plane payload: one script object or a list of them."""
    items = raw if isinstance(raw, list) else [raw]
    scripts: list[Script] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ScriptError(f"script [{index}] must be a JSON object", field=f"[{index}]")
        scripts.append(_validate(item, where=f"script [{index}]"))
    return scripts


def select_script(headers: Mapping[str, str], queue: ScriptQueue) -> SelectedScript | None:
    """Headers win; else pop the queue; else None (default behaviour).

    The queue is not popped when headers carry a script, so header-scripted
    requests can be mixed with queued ones.
    """
    from_headers = script_from_headers(headers)
    if from_headers is not None:
        return SelectedScript(from_headers, "headers")
    queued = queue.pop()
    if queued is not None:
        return SelectedScript(queued, "queue")
    return None


def _validate(fields: Mapping[str, object], *, where: str) -> Script:
    try:
        return Script.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(part) for part in first["loc"])
        # A whole-model rule (plan with text) has no location.
        at = f"{loc}: " if loc else ""
        raise ScriptError(f"invalid {where}: {at}{first['msg']}", field=loc or None) from None
