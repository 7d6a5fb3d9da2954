"""Carrying OpenAI Chat fields with no canonical meaning, at the level where they live.

Each decoder names the fields it translates; every other field the wire
object holds (an OpenAI field LIP has no use for, or one newer than the
pinned schema) is kept in that level's ``extensions["openai_chat"]`` and
written back by the encoder of the same level.
"""

from __future__ import annotations

from collections.abc import Mapping

from lip.canonical import CacheHint, Extensions, JSONValue, ToolCallPart
from lip.protocols.carry import carried, own_for, wrap_for

PROTOCOL = "openai_chat"

CONTENT_ARRAY = "lip:content_array"
"""Message extension key: the client sent ``content`` as an array of parts
(a lone text part is otherwise sent as the equivalent string). The colon
keeps LIP's markers apart from any vendor field name."""

MAX_TOKENS_NAME = "lip:max_tokens_name"
"""Call extension key recording that the client said ``max_tokens`` (older
OpenAI-compatible servers know no other name)."""


def wrap(fields: Mapping[str, JSONValue]) -> Extensions:
    """``fields`` as extensions of this protocol (the shared empty mapping when none)."""
    return wrap_for(PROTOCOL, fields)


def own(extensions: Extensions) -> dict[str, JSONValue]:
    """This protocol's carried fields, as a fresh dict to write into a wire object."""
    return own_for(PROTOCOL, extensions)


def cache_hint(fields: dict[str, JSONValue]) -> CacheHint | None:
    """Pop an Anthropic-style ``cache_control`` that OpenAI-compatible clients send."""
    value = fields.get("cache_control")
    if isinstance(value, dict) and value.get("type") == "ephemeral":
        ttl = value.get("ttl")
        if set(value) <= {"type", "ttl"} and (ttl is None or isinstance(ttl, str)):
            del fields["cache_control"]
            return CacheHint(ttl=ttl)
    return None


def cache_control(hint: CacheHint | None) -> dict[str, JSONValue] | None:
    if hint is None:
        return None
    body: dict[str, JSONValue] = {"type": "ephemeral"}
    if hint.ttl is not None:
        body["ttl"] = hint.ttl
    return body


def tool_call_json(part: ToolCallPart) -> dict[str, JSONValue]:
    """A function tool call as a message or a reply carries it, with its carried fields."""
    body: dict[str, JSONValue] = {
        "id": part.id,
        "type": "function",
        "function": {"name": part.name, "arguments": part.arguments},
    }
    body.update(own(part.extensions))
    return body


__all__ = [
    "CONTENT_ARRAY",
    "MAX_TOKENS_NAME",
    "PROTOCOL",
    "cache_control",
    "cache_hint",
    "carried",
    "own",
    "tool_call_json",
    "wrap",
]
