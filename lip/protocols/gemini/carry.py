"""Carrying Gemini fields with no canonical meaning, and LIP's markers.

Each decoder names the fields it translates; every other field of a wire
object is kept in that level's ``extensions["gemini"]`` and written back by
the encoder of the same level. Markers (``lip:`` keys) record how the
client said something the canonical model says one way.
"""

from __future__ import annotations

from collections.abc import Mapping

from lip.canonical import Extensions, JSONValue
from lip.protocols.carry import own_for, wrap_for

PROTOCOL = "gemini"

SCHEMA = "lip:gemini_schema"
"""Tool extension key: the function's ``parameters`` exactly as the client sent
them (Gemini's schema), so they go back to Gemini unconverted."""
JSON_SCHEMA = "lip:json_schema"
"""Tool extension key: the client gave ``parametersJsonSchema``, not ``parameters``."""
SYSTEM_ROLE = "lip:system_role"
"""Message extension key: the ``role`` a ``systemInstruction`` came with."""
ROLE = "lip:role"
"""Message extension key: a turn's role as sent when it is not the usual one
(``function`` for function responses)."""
GENERATION = "lip:generation_config"
"""Call extension key: the client sent a ``generationConfig`` with nothing in it
beyond canonical options (the Python SDK always sends one)."""
NAME = "lip:name"
"""Tool-result extension key: the function a ``functionResponse`` answers."""
TOOL_ENTRY = "lip:tool_entry"
"""Tool extension key: the index of the client's ``tools`` entry the tool came in,
set on every tool of a request whose entries are not the usual layout (one
``functionDeclarations`` entry first, then one entry per hosted tool)."""

EMPTY_TOOL_ENTRIES = "lip:empty_tool_entries"
"""Call extension key: the client's ``tools`` entries that hold no tool (``{}``,
``{"functionDeclarations": []}``), as ``[index, entry]`` pairs, so a Gemini
upstream gets them where they were (the tools then all carry :data:`TOOL_ENTRY`)."""


def wrap(fields: Mapping[str, JSONValue]) -> Extensions:
    return wrap_for(PROTOCOL, fields)


def own(extensions: Extensions) -> dict[str, JSONValue]:
    return own_for(PROTOCOL, extensions)


def extra(item: Mapping[str, JSONValue], handled: frozenset[str]) -> dict[str, JSONValue]:
    """The fields of a raw wire object beyond ``handled``, in the order they came."""
    return {k: v for k, v in item.items() if k not in handled}


__all__ = [
    "JSON_SCHEMA",
    "NAME",
    "PROTOCOL",
    "ROLE",
    "SCHEMA",
    "SYSTEM_ROLE",
    "TOOL_ENTRY",
    "extra",
    "own",
    "wrap",
]
