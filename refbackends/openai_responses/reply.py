"""What the emulated model answers, before any wire encoding.

Both the input-derived reply (:mod:`.scenarios`) and a script's
:class:`refbackends.plan.Plan` (:mod:`.planned`) become a :class:`Reply`:
output items in order, each with the pieces a stream sends one delta each,
how the response ends, the usage and, for streams that end badly, a
:class:`StreamFailure`. :mod:`.encoding` renders it, unary or streamed, so
the two forms always fold to the same Response object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ItemKind", "Reply", "ReplyItem", "ReplyUsage", "StreamFailure"]

ItemKind = Literal["text", "refusal", "reasoning", "function_call"]
"""``text`` and ``refusal`` are ``message`` items with one content part of
that kind; ``reasoning`` a reasoning item whose pieces are its summary."""


@dataclass(frozen=True)
class ReplyItem:
    """One output item. ``pieces`` are text, refusal, summary or argument
    deltas; ``encrypted_content`` goes with reasoning (shown only when the
    request includes ``reasoning.encrypted_content``); ``call_id`` and
    ``name`` with function calls."""

    kind: ItemKind
    id: str
    pieces: tuple[str, ...]
    encrypted_content: str | None = None
    call_id: str = ""
    name: str = ""

    @property
    def joined(self) -> str:
        return "".join(self.pieces)


@dataclass(frozen=True)
class ReplyUsage:
    """Token counts as the API reports them: ``cached`` is part of
    ``input``, ``reasoning`` part of ``output``."""

    input: int
    output: int
    cached: int = 0
    reasoning: int = 0


@dataclass(frozen=True)
class StreamFailure:
    """A stream that stops after ``after_items`` whole items and, of the
    next item, its opening and ``extra_pieces`` deltas: a
    ``response.failed`` of ``kind`` (``mode="error"``) or a dropped
    connection (``"cut"``)."""

    after_items: int
    mode: Literal["error", "cut"] = "error"
    kind: Literal["rate_limited", "overloaded", "server_error"] = "server_error"
    extra_pieces: int = 0


@dataclass(frozen=True)
class Reply:
    """The whole answer. ``incomplete`` names why the response stopped
    short (``max_output_tokens``, ``content_filter``), None when it completed."""

    items: tuple[ReplyItem, ...]
    usage: ReplyUsage
    incomplete: Literal["max_output_tokens", "content_filter"] | None = None
    failure: StreamFailure | None = None
