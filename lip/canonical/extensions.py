"""Folding reply-level vendor fields reported in pieces (streamed ``logprobs``)."""

from __future__ import annotations

from types import MappingProxyType

from lip.canonical.json import JSONValue
from lip.canonical.parts import Extensions


def merge_json(earlier: JSONValue, later: JSONValue) -> JSONValue:
    """Objects merge key by key, lists concatenate, otherwise ``later`` wins
    (``None`` never erases a value)."""
    if isinstance(earlier, dict) and isinstance(later, dict):
        merged = dict(earlier)
        for key, value in later.items():
            merged[key] = merge_json(merged[key], value) if key in merged else value
        return merged
    if isinstance(earlier, list) and isinstance(later, list):
        return [*earlier, *later]
    return earlier if later is None else later


def merge_extensions(earlier: Extensions, later: Extensions) -> Extensions:
    """Fold two reports of reply-level vendor fields, protocol by protocol."""
    if not earlier:
        return later
    merged = {protocol: dict(fields) for protocol, fields in earlier.items()}
    for protocol, fields in later.items():
        target = merged.setdefault(protocol, {})
        for key, value in fields.items():
            target[key] = merge_json(target[key], value) if key in target else value
    return MappingProxyType(merged)


__all__ = ["merge_extensions", "merge_json"]
