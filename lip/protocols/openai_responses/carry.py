"""Carrying OpenAI Responses fields with no canonical meaning, and LIP's markers.

Each decoder names the fields it translates; every other field of a wire
object is kept in that level's ``extensions["openai_responses"]`` and written
back by the encoder of the same level. Markers (keys with a ``lip:`` prefix)
record how the client said something the canonical model says one way.
"""

from __future__ import annotations

from collections.abc import Mapping

from lip.canonical import Extensions, JSONValue
from lip.protocols.carry import own_for, wrap_for

PROTOCOL = "openai_responses"

INSTRUCTIONS = "lip:instructions"
"""Message extension key: this system turn was the request's ``instructions``."""
STRING_CONTENT = "lip:string_content"
"""Message extension key: the client sent ``content`` as a string."""
STRING_INPUT = "lip:string_input"
"""Call extension key: the client sent ``input`` as a string."""
ITEM = "lip:item"
"""Part extension key: the fields of the output ``message`` item a text or
refusal part came in (its ``id``, ``status``, ...), so parts of one item go
back as one item."""
NAMESPACE = "lip:namespace"
"""Tool extension key: the ``namespace`` tool this function belongs to (its
fields but ``tools``). Other protocols see each member as a function named
``<namespace>__<name>`` (:func:`flat_name`)."""
MEMBER = "lip:member"
"""Tool and tool-call extension key: the function's own name in its namespace."""
ITEM_TURN = "lip:item_turn"
"""Message extension key: this user turn is one input item with no canonical
meaning (an item reference, a hosted tool's output), not a message."""
RESULT_PARTS = "lip:output_parts"
"""Part extension key: a function call output was a list of parts, not a string."""


def wrap(fields: Mapping[str, JSONValue]) -> Extensions:
    """``fields`` as extensions of this protocol (the shared empty mapping when none)."""
    return wrap_for(PROTOCOL, fields)


def own(extensions: Extensions) -> dict[str, JSONValue]:
    """This protocol's carried fields, as a fresh dict to write into a wire object."""
    return own_for(PROTOCOL, extensions)


def flat_name(namespace: str, name: str) -> str:
    """A namespaced function's name where protocols have no namespaces."""
    return f"{namespace}__{name}"


def extra(item: Mapping[str, JSONValue], handled: frozenset[str]) -> dict[str, JSONValue]:
    """The fields of a raw wire object beyond ``handled``, in the order they came."""
    return {k: v for k, v in item.items() if k not in handled}


__all__ = [
    "INSTRUCTIONS",
    "ITEM",
    "ITEM_TURN",
    "MEMBER",
    "NAMESPACE",
    "PROTOCOL",
    "RESULT_PARTS",
    "STRING_CONTENT",
    "STRING_INPUT",
    "extra",
    "flat_name",
    "own",
    "wrap",
]
