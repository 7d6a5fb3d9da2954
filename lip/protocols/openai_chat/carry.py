"""Carrying OpenAI Chat fields with no canonical meaning, at the level where they live.

Each decoder names the fields it translates; every other field the wire
object holds (an OpenAI field LIP has no use for, or one newer than the
pinned schema) is kept in that level's ``extensions["openai_chat"]`` and
written back by the encoder of the same level.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pydantic import BaseModel

from lip.canonical import NO_EXTENSIONS, CacheHint, Extensions, JSONValue, fields_for

PROTOCOL = "openai_chat"

CONTENT_ARRAY = "lip:content_array"
"""Message extension key: the client sent ``content`` as an array of parts
(a lone text part is otherwise sent as the equivalent string). The colon
keeps LIP's markers apart from any vendor field name."""

MAX_TOKENS_NAME = "lip:max_tokens_name"
"""Call extension key recording that the client said ``max_tokens`` (older
OpenAI-compatible servers know no other name)."""


def carried(model: BaseModel, handled: frozenset[str]) -> dict[str, JSONValue]:
    """The fields ``model`` holds beyond ``handled``, as wire JSON."""
    extra = model.model_fields_set - handled
    if not extra:
        return {}
    dumped: dict[str, JSONValue] = model.model_dump(
        mode="json", include=extra, by_alias=True, exclude_unset=True
    )
    return dumped


def wrap(fields: Mapping[str, JSONValue]) -> Extensions:
    """``fields`` as extensions of this protocol (the shared empty mapping when none)."""
    return MappingProxyType({PROTOCOL: dict(fields)}) if fields else NO_EXTENSIONS


def own(extensions: Extensions) -> dict[str, JSONValue]:
    """This protocol's carried fields, as a fresh dict to write into a wire object."""
    return dict(fields_for(extensions, PROTOCOL))


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


__all__ = [
    "CONTENT_ARRAY",
    "MAX_TOKENS_NAME",
    "PROTOCOL",
    "cache_control",
    "cache_hint",
    "carried",
    "own",
    "wrap",
]
