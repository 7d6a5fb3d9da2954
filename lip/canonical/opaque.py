"""What a backend does with another protocol's own things: opaque blocks
(:class:`OpaquePart`) and provider-hosted tools.

An assistant turn's opaque blocks are the model's own earlier work (a server
tool it ran, the results it got): a backend of another protocol leaves them
out, and says so once per block type in a warning. Anywhere else an opaque
block is input the model must see: the encoder refuses it with
:func:`foreign_block`, a 400 before any network call.

A hosted tool (web search run by the provider) that the client only offers
is left out for a backend that cannot run it (the model answers without it;
agent clients such as Codex offer one on every request); one the call forces
(``tool_choice`` names it, or requires a call and nothing else is left) is
a 400 before any network call (:func:`offerable`).
"""

from __future__ import annotations

import dataclasses
import logging

from lip.canonical.call import Call, ToolChoiceMode, refuse_hosted_tools
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
            _warn_once(
                (part.origin, part.kind, protocol),
                "%s blocks of type %r in an assistant turn have no %s form: "
                "left out of the upstream request",
                part.origin,
                part.kind,
                protocol,
            )
            continue
        kept.append(part)
    return tuple(kept)


def _warn_once(key: tuple[str, str, str], message: str, *args: object) -> None:
    if key not in _WARNED and len(_WARNED) < _WARNED_LIMIT:
        _WARNED.add(key)
        log.warning(message + " (said once)", *args)


def offerable(call: Call, protocol: str, upstream: str) -> Call:
    """``call`` with only the tools a backend of ``protocol`` can offer (module
    docstring); raises the 400 when a hosted tool it cannot run is forced."""
    foreign = [t for t in call.tools if t.hosted_by is not None and t.hosted_by != protocol]
    if not foreign:
        return call
    kept = tuple(t for t in call.tools if t not in foreign)
    choice = call.tool_choice
    forced = choice is not None and (
        (choice.mode is ToolChoiceMode.NAMED and any(t.name == choice.name for t in foreign))
        or (choice.mode is ToolChoiceMode.REQUIRED and not kept)
    )
    if forced:
        refuse_hosted_tools(call.tools, protocol, upstream)
    for tool in foreign:
        _warn_once(
            (str(tool.hosted_by), tool.name, protocol),
            "tool %r is hosted by the %s provider; %s cannot run it: not offered",
            tool.name,
            tool.hosted_by,
            upstream,
        )
    return dataclasses.replace(call, tools=kept, tool_choice=choice if kept else None)


__all__ = ["foreign_block", "offerable", "sendable"]
