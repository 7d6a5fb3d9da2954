"""What the emulated model answers, before any wire encoding.

Both the input-derived reply (:mod:`.scenarios`) and a script's
:class:`refbackends.plan.Plan` (:mod:`.planned`) become a :class:`Reply`:
the candidate's parts in order, each with the pieces a stream sends one
chunk each, the finish reason, the usage and, for streams that end badly,
a :class:`StreamFailure`. :mod:`.encoding` renders it, unary or streamed.

Where signatures go (:func:`sign_first_call`): a thought part carries its
own ``thoughtSignature``; and, as Gemini 2.5 and 3 do, the first
``functionCall`` part of the reply carries the signature of the last
thought before it, so a client that keeps only the calls it echoes back
(the common case) still returns the model's reasoning state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from lip.canonical.json import JSONObject

__all__ = [
    "Finish",
    "PartKind",
    "Reply",
    "ReplyPart",
    "ReplyUsage",
    "StreamFailure",
    "sign_first_call",
]

PartKind = Literal["text", "thought", "function_call"]
Finish = Literal["STOP", "MAX_TOKENS", "SAFETY"]


@dataclass(frozen=True)
class ReplyPart:
    """One part. ``pieces`` are the text of a text or thought part, one
    stream chunk each (a function call is always one chunk, whole:
    ``args``); ``signature`` is the ``thoughtSignature`` bytes."""

    kind: PartKind
    pieces: tuple[str, ...] = ()
    signature: bytes | None = None
    name: str = ""
    args: JSONObject | None = None
    call_id: str | None = None

    @property
    def joined(self) -> str:
        return "".join(self.pieces)


@dataclass(frozen=True)
class ReplyUsage:
    """Token counts as the API reports them: ``prompt`` includes
    ``cached``; ``candidates`` excludes ``thoughts``."""

    prompt: int
    candidates: int
    thoughts: int = 0
    cached: int = 0

    @property
    def total(self) -> int:
        return self.prompt + self.candidates + self.thoughts


@dataclass(frozen=True)
class StreamFailure:
    """A stream that stops after ``after_parts`` whole parts and
    ``extra_pieces`` chunks of the next: an ``error`` object of ``kind``
    (``mode="error"``) or a dropped connection (``"cut"``)."""

    after_parts: int
    mode: Literal["error", "cut"] = "error"
    kind: Literal["rate_limited", "overloaded", "server_error"] = "server_error"
    extra_pieces: int = 0


@dataclass(frozen=True)
class Reply:
    """The whole answer (one candidate)."""

    parts: tuple[ReplyPart, ...]
    usage: ReplyUsage
    finish: Finish = "STOP"
    failure: StreamFailure | None = None

    def signatures(self) -> list[bytes]:
        """Every signature the reply hands out."""
        return [part.signature for part in self.parts if part.signature is not None]


def sign_first_call(parts: tuple[ReplyPart, ...]) -> tuple[ReplyPart, ...]:
    """``parts`` with the first function call signed by the last thought
    signature before it (see the module docstring)."""
    latest: bytes | None = None
    for index, part in enumerate(parts):
        if part.kind == "thought" and part.signature is not None:
            latest = part.signature
        elif part.kind == "function_call":
            if latest is None or part.signature is not None:
                return parts
            return (*parts[:index], replace(part, signature=latest), *parts[index + 1 :])
    return parts
