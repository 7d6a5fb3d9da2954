"""Carrying Anthropic Messages fields with no canonical meaning (lip.protocols.carry),
and the markers this protocol keeps beside them."""

from __future__ import annotations

from collections.abc import Mapping

from lip.canonical import CacheHint, Extensions, JSONValue
from lip.protocols.carry import carried, own_for, wrap_for

PROTOCOL = "anthropic_messages"

SYSTEM_BLOCKS = "lip:system_blocks"
"""Call extension key: the client sent ``system`` as a list of text blocks."""

CONTENT_BLOCKS = "lip:content_blocks"
"""Message extension key: the client sent ``content`` as a list of blocks (a
lone text block is otherwise sent as the equivalent string)."""

VERSION = "lip:anthropic_version"
"""Call extension key: the client's ``anthropic-version`` header."""

BETA = "lip:anthropic_beta"
"""Call extension key: the client's ``anthropic-beta`` header."""

NOT_COUNTED = ("max_tokens", "stream", "stop_sequences", "metadata", "temperature", "top_p")
"""Fields a Messages request has and a count_tokens request refuses."""

DEFAULT_MAX_TOKENS = 4096
"""``max_tokens`` is required by the protocol; used when the client set none."""


def wrap(fields: Mapping[str, JSONValue]) -> Extensions:
    return wrap_for(PROTOCOL, fields)


def own(extensions: Extensions) -> dict[str, JSONValue]:
    return own_for(PROTOCOL, extensions)


def cache_hint(value: object) -> CacheHint | None:
    """An ``{"type": "ephemeral", "ttl": ...}`` as a canonical cache hint."""
    if value is None:
        return None
    ttl = getattr(value, "ttl", None)
    return CacheHint(ttl=ttl if isinstance(ttl, str) else None)


def cache_control(hint: CacheHint | None) -> dict[str, JSONValue] | None:
    if hint is None:
        return None
    body: dict[str, JSONValue] = {"type": "ephemeral"}
    if hint.ttl is not None:
        body["ttl"] = hint.ttl
    return body


__all__ = [
    "BETA",
    "CONTENT_BLOCKS",
    "DEFAULT_MAX_TOKENS",
    "NOT_COUNTED",
    "PROTOCOL",
    "SYSTEM_BLOCKS",
    "VERSION",
    "cache_control",
    "cache_hint",
    "carried",
    "own",
    "wrap",
]
