"""What the emulated model answers, before any wire encoding.

Both the input-derived reply (:mod:`.scenarios`) and a script's
:class:`refbackends.plan.Plan` (:mod:`.planned`) become a :class:`Reply`:
content blocks in order, each with the pieces a stream sends one delta
each, the stop reason, the usage and, for streams that end badly, a
:class:`StreamFailure`. :mod:`.encoding` renders it, unary or streamed, so
the two forms always fold to the same message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

__all__ = ["BlockKind", "Reply", "ReplyBlock", "ReplyUsage", "StreamFailure", "tool_input"]

BlockKind = Literal["text", "thinking", "tool_use"]


@dataclass(frozen=True)
class ReplyBlock:
    """One content block. ``pieces`` are text deltas, thinking deltas or
    ``partial_json`` fragments; ``signature`` goes with thinking (``None``:
    no ``signature_delta``, ``""`` in the unary block); ``id`` and ``name``
    with tool_use."""

    kind: BlockKind
    pieces: tuple[str, ...]
    signature: str | None = None
    id: str = ""
    name: str = ""

    @property
    def joined(self) -> str:
        return "".join(self.pieces)


@dataclass(frozen=True)
class ReplyUsage:
    """Token counts on the wire: ``input`` excludes ``cache_read`` and
    ``cache_creation`` (Anthropic reports the three apart); ``thinking``,
    when known, is part of ``output``."""

    input: int
    output: int
    cache_read: int = 0
    cache_creation: int = 0
    thinking: int | None = None


@dataclass(frozen=True)
class StreamFailure:
    """A stream that stops after ``after_blocks`` whole blocks and, of the
    next block, its start and ``extra_pieces`` deltas: an ``event: error``
    of ``kind`` (``mode="error"``) or a dropped connection (``"cut"``)."""

    after_blocks: int
    mode: Literal["error", "cut"] = "error"
    kind: Literal["rate_limited", "overloaded", "server_error"] = "overloaded"
    extra_pieces: int = 0


@dataclass(frozen=True)
class Reply:
    """The whole answer. ``stop_reason`` is Anthropic's (``end_turn``,
    ``max_tokens``, ``stop_sequence``, ``tool_use``, ``refusal``)."""

    blocks: tuple[ReplyBlock, ...]
    stop_reason: str
    usage: ReplyUsage
    stop_sequence: str | None = None
    failure: StreamFailure | None = None


def tool_input(block: ReplyBlock) -> dict[str, object] | None:
    """The unary ``input`` of a tool_use block: its joined fragments parsed
    (``{}`` when there are none); None when they are not a JSON object,
    which only a stream can carry."""
    joined = block.joined
    if not joined:
        return {}
    try:
        value = json.loads(joined)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
