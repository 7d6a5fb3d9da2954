"""Carrying vendor fields with no canonical meaning, at the level where they live.

Each protocol's decoders name the fields they translate; every other field a
wire object holds (one LIP has no use for, or one newer than the pinned
schema) is kept in that level's ``extensions[protocol]`` and written back by
the same protocol's encoder of that level (docs/design.md, "Extensions").
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pydantic import BaseModel

from lip.canonical import NO_EXTENSIONS, Extensions, JSONValue, fields_for

_SCALARS = (str, int, float, bool)


def carried(model: BaseModel, handled: frozenset[str]) -> dict[str, JSONValue]:
    """The fields ``model`` holds beyond ``handled``, as wire JSON: declared
    fields in schema order, then unknown ones in the order they came."""
    names = model.model_fields_set - handled
    if not names:
        return {}
    out: dict[str, JSONValue] = {}
    nested: set[str] = set()
    extra = model.model_extra or {}
    declared = type(model).__pydantic_fields__
    # Declared fields in schema order (one needs no ordering), then unknown ones.
    ordered = names if len(names) == 1 else [n for n in declared if n in names]
    for name in ordered:
        info = declared.get(name)
        if info is not None:
            value = getattr(model, name)
            # Plain values need no serializer (it costs more than the rest of this).
            if info.alias is None and (value is None or isinstance(value, _SCALARS)):
                out[name] = value
            else:
                nested.add(name)
    if nested:
        out.update(model.model_dump(mode="json", include=nested, by_alias=True, exclude_unset=True))
    for name, value in extra.items():
        if name not in handled:
            out[name] = value
    return out


def wrap_for(protocol: str, fields: Mapping[str, JSONValue]) -> Extensions:
    """``fields`` as extensions of ``protocol`` (the shared empty mapping when none)."""
    return MappingProxyType({protocol: dict(fields)}) if fields else NO_EXTENSIONS


def own_for(protocol: str, extensions: Extensions) -> dict[str, JSONValue]:
    """``protocol``'s carried fields, as a fresh dict to write into a wire object."""
    return dict(fields_for(extensions, protocol))


__all__ = ["carried", "own_for", "wrap_for"]
