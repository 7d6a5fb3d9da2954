"""The one delta -> block manager every backend decoder uses.

Vendors key streamed content differently (OpenAI Chat: one content stream
plus tool calls by ``index``, possibly interleaved; Anthropic: content blocks
by index; Gemini: parts per chunk). A decoder names each vendor block with a
key of its choice and reports what happens to it; :class:`BlockTracker`
turns that into the canonical grammar: one block at a time, indexes counted
from 0 in the order blocks reach the client.

The block being streamed is *current*: its events pass straight through.
A block opened while another is current is queued with its deltas, and
released (in opening order) once the current block finishes. So an
upstream that interleaves two parallel tool calls still yields two whole,
ordered blocks; one that does not interleave pays nothing.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from lip.canonical.events import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    CitationDelta,
    Event,
    ProviderStateDelta,
    ReasoningDelta,
    RefusalDelta,
    TextDelta,
    ToolCallDelta,
)
from lip.canonical.parts import NO_EXTENSIONS, Citation, Extensions, ProviderState


@dataclass(slots=True)
class _Queued:
    """A block waiting for the current one to finish: event types and fields, no index yet."""

    kind: BlockKind
    pending: list[tuple[type, dict[str, Any]]] = field(default_factory=list)
    finished: bool = False


class BlockTracker:
    """Per-response state mapping vendor block keys to canonical blocks.

    Every method appends the events it produces to ``out`` (possibly none,
    when the block is queued). A delta for a key with no open block opens
    one of the delta's kind; a key may be reused after :meth:`finish`, which
    opens a new block. ``origin`` tags reasoning blocks with the protocol
    that produced them.
    """

    __slots__ = ("_current", "_current_kind", "_index", "_next", "_origin", "_queue")

    def __init__(self, origin: str) -> None:
        self._origin = origin
        self._current: Hashable | None = None
        self._current_kind: BlockKind | None = None
        self._index = -1
        self._next = 0
        self._queue: dict[Hashable, _Queued] = {}

    # -- queries

    def is_open(self, key: Hashable) -> bool:
        return key == self._current or key in self._queue

    def kind_of(self, key: Hashable) -> BlockKind | None:
        if key == self._current:
            return self._current_kind
        queued = self._queue.get(key)
        return queued.kind if queued is not None else None

    # -- opening

    def open(
        self,
        key: Hashable,
        kind: BlockKind,
        out: list[Event],
        *,
        call_id: str | None = None,
        name: str | None = None,
        state: ProviderState | None = None,
        redacted: bool = False,
        extensions: Extensions = NO_EXTENSIONS,
    ) -> None:
        """Open a block for ``key`` (a tool call names its ``call_id`` and ``name``;
        ``redacted`` reasoning carries its payload in ``state.encrypted``)."""
        if self.is_open(key):
            raise ValueError(f"block {key!r} is already open")
        if state is None and kind is BlockKind.REASONING:
            state = ProviderState(origin=self._origin)
        fields: dict[str, Any] = {
            "kind": kind,
            "id": call_id,
            "name": name,
            "state": state,
            "extensions": extensions,
        }
        if redacted:
            fields["redacted"] = True
        if self._current is None and not self._queue:
            self._current, self._current_kind = key, kind
            self._index = self._next
            self._next += 1
            out.append(BlockStarted(index=self._index, **fields))
        else:
            self._queue[key] = _Queued(kind, [(BlockStarted, fields)])

    def tool_call(
        self,
        key: Hashable,
        call_id: str,
        name: str,
        out: list[Event],
        *,
        state: ProviderState | None = None,
        extensions: Extensions = NO_EXTENSIONS,
    ) -> None:
        self.open(
            key,
            BlockKind.TOOL_CALL,
            out,
            call_id=call_id,
            name=name,
            state=state,
            extensions=extensions,
        )

    # -- deltas

    def text(self, key: Hashable, text: str, out: list[Event]) -> None:
        if key == self._current and self._current_kind is BlockKind.TEXT:  # the hot path
            out.append(TextDelta(index=self._index, text=text))
            return
        self._delta(key, BlockKind.TEXT, TextDelta, {"text": text}, out)

    def refusal(self, key: Hashable, text: str, out: list[Event]) -> None:
        self._delta(key, BlockKind.REFUSAL, RefusalDelta, {"text": text}, out)

    def reasoning(
        self, key: Hashable, text: str, out: list[Event], *, summary_index: int | None = None
    ) -> None:
        fields = {"text": text, "summary_index": summary_index}
        self._delta(key, BlockKind.REASONING, ReasoningDelta, fields, out)

    def arguments(self, key: Hashable, fragment: str, out: list[Event]) -> None:
        if key == self._current and self._current_kind is BlockKind.TOOL_CALL:  # the hot path
            out.append(ToolCallDelta(index=self._index, arguments=fragment))
            return
        if not self.is_open(key):
            raise ValueError(f"tool-call arguments for {key!r} before the call started")
        self._delta(key, BlockKind.TOOL_CALL, ToolCallDelta, {"arguments": fragment}, out)

    def citation(self, key: Hashable, citation: Citation, out: list[Event]) -> None:
        self._delta(key, BlockKind.TEXT, CitationDelta, {"citation": citation}, out)

    def state(self, key: Hashable, state: ProviderState, out: list[Event]) -> None:
        """Opaque state for an open block (a signature that arrives late)."""
        kind = self.kind_of(key)
        if kind is None:
            raise ValueError(f"provider state for {key!r}, which has no open block")
        self._delta(key, kind, ProviderStateDelta, {"state": state}, out)

    def _delta(
        self,
        key: Hashable,
        kind: BlockKind,
        cls: type,
        fields: dict[str, Any],
        out: list[Event],
    ) -> None:
        if key == self._current and kind is self._current_kind:
            out.append(cls(index=self._index, **fields))
            return
        if not self.is_open(key):
            self.open(key, kind, out)
            if key == self._current:
                out.append(cls(index=self._index, **fields))
                return
        queued = self._queue.get(key)
        if queued is None or queued.kind is not kind:
            raise ValueError(f"a {kind.value} delta for block {key!r} of another kind")
        queued.pending.append((cls, fields))

    # -- closing

    def finish(self, key: Hashable, out: list[Event]) -> None:
        """The vendor block ``key`` is complete (a no-op when it is not open)."""
        if key == self._current:
            out.append(BlockFinished(index=self._index))
            self._current = self._current_kind = None
            self._release(out)
        elif key in self._queue:
            self._queue[key].finished = True

    def finish_all(self, out: list[Event]) -> None:
        """Close every open block, queued ones included (before the terminal event)."""
        for queued in self._queue.values():
            queued.finished = True
        if self._current is not None:
            self.finish(self._current, out)  # releases the queue, all of it finished
        else:
            self._release(out)

    def _release(self, out: list[Event]) -> None:
        """Stream queued blocks in opening order until one is still in progress."""
        while self._queue and self._current is None:
            key = next(iter(self._queue))
            queued = self._queue.pop(key)
            index = self._next
            self._next += 1
            out.extend(cls(index=index, **fields) for cls, fields in queued.pending)
            if queued.finished:
                out.append(BlockFinished(index=index))
            else:
                self._current, self._current_kind, self._index = key, queued.kind, index


__all__ = ["BlockTracker"]
