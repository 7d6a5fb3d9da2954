"""The one delta -> block manager every backend decoder uses.

Vendors key streamed content differently (OpenAI: one content stream plus
tool calls by ``index``; Anthropic: content blocks by index; Gemini: parts
per chunk). A decoder names each vendor block with a key it chooses; the
tracker assigns canonical output indices in first-seen order, opens and
closes tool calls, and emits well-formed canonical events.
"""

from __future__ import annotations

from collections.abc import Hashable

from lip.canonical.events import (
    Event,
    ReasoningDelta,
    RefusalDelta,
    TextDelta,
    ToolCallDelta,
    ToolCallFinished,
    ToolCallStarted,
)


class BlockTracker:
    """Per-response state mapping vendor block keys to canonical indices."""

    __slots__ = ("_indices", "_open_calls")

    def __init__(self) -> None:
        self._indices: dict[Hashable, int] = {}
        self._open_calls: dict[Hashable, int] = {}

    def _index(self, key: Hashable) -> int:
        index = self._indices.get(key)
        if index is None:
            index = self._indices[key] = len(self._indices)
        return index

    def text(self, key: Hashable, text: str) -> TextDelta:
        return TextDelta(index=self._index(key), text=text)

    def refusal(self, key: Hashable, text: str) -> RefusalDelta:
        return RefusalDelta(index=self._index(key), text=text)

    def reasoning(self, key: Hashable, text: str, origin: str | None) -> ReasoningDelta:
        return ReasoningDelta(index=self._index(key), text=text, origin=origin)

    def index_of(self, key: Hashable) -> int:
        """The canonical index of ``key``, assigning one if it is new."""
        return self._index(key)

    def tool_started(self, key: Hashable, call_id: str, name: str) -> ToolCallStarted:
        index = self._index(key)
        self._open_calls[key] = index
        return ToolCallStarted(index=index, id=call_id, name=name)

    def is_open(self, key: Hashable) -> bool:
        return key in self._open_calls

    def tool_arguments(self, key: Hashable, fragment: str) -> ToolCallDelta:
        return ToolCallDelta(index=self._open_calls[key], arguments=fragment)

    def tool_finished(self, key: Hashable) -> ToolCallFinished:
        return ToolCallFinished(index=self._open_calls.pop(key))

    def finish_all(self) -> list[Event]:
        """Close every tool call still open (before the terminal event)."""
        events: list[Event] = [ToolCallFinished(index=i) for i in self._open_calls.values()]
        self._open_calls.clear()
        return events


__all__ = ["BlockTracker"]
