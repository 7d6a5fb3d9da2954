"""What a backend does with another protocol's opaque blocks (:class:`OpaquePart`).

An assistant turn's opaque blocks are the model's own earlier work (a server
tool it ran, the results it got): a backend of another protocol leaves them
out, and says so once per block type in a warning. Anywhere else an opaque
block is input the model must see: the encoder refuses it with
:func:`foreign_block`, a 400 before any network call.
"""

from __future__ import annotations

import logging

from lip.canonical.errors import InvalidRequestError
from lip.canonical.parts import OpaquePart, Part

log = logging.getLogger("lip.backends")

_WARNED: set[tuple[str, str, str]] = set()
_WARNED_LIMIT = 256


def foreign_block(part: OpaquePart, upstream: str) -> InvalidRequestError:
    """The 400 for an opaque block ``upstream`` (e.g. "an OpenAI Chat upstream")
    cannot take."""
    return InvalidRequestError(
        f"Content blocks of type '{part.kind}' are {part.origin} blocks with no form "
        f"{upstream} accepts; they go only to {part.origin} upstreams.",
        param="messages",
        code="unsupported_value",
    )


def sendable(parts: tuple[Part, ...], protocol: str, *, assistant: bool) -> tuple[Part, ...]:
    """``parts`` for a backend of ``protocol``: another protocol's opaque blocks
    left out of an assistant turn (with a warning, once per block type)."""
    if not assistant or not any(isinstance(p, OpaquePart) and p.origin != protocol for p in parts):
        return parts
    kept: list[Part] = []
    for part in parts:
        if isinstance(part, OpaquePart) and part.origin != protocol:
            key = (part.origin, part.kind, protocol)
            if key not in _WARNED and len(_WARNED) < _WARNED_LIMIT:
                _WARNED.add(key)
                log.warning(
                    "%s blocks of type %r in an assistant turn have no %s form: "
                    "left out of the upstream request (said once)",
                    part.origin,
                    part.kind,
                    protocol,
                )
            continue
        kept.append(part)
    return tuple(kept)


__all__ = ["foreign_block", "sendable"]
