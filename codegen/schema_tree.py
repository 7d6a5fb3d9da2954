"""Walk and edit JSON Schema documents as plain JSON trees.

The normalize passes only need to know where sub-schemas live (as opposed to
data such as ``enum``/``const``/``default`` values and property *names*), so
this module is the one place that encodes that knowledge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeAlias

# A JSON Schema node as parsed JSON. Values are arbitrary JSON, so Any is the
# honest type inside codegen (nothing here crosses into lip/).
Schema: TypeAlias = dict[str, Any]

# Keywords whose value is a single sub-schema.
_SCHEMA_KEYS = ("items", "additionalProperties", "not", "contains", "propertyNames")
# Keywords whose value is a list of sub-schemas.
_LIST_KEYS = ("anyOf", "oneOf", "allOf", "prefixItems")
# Keywords whose value maps names (data, not keywords) to sub-schemas.
_MAP_KEYS = ("properties", "patternProperties", "$defs", "definitions")

NULL_SCHEMA: Schema = {"type": "null"}
DEFS_PREFIX = "#/$defs/"


def children(node: Schema) -> Iterator[Schema]:
    """Yield the direct sub-schemas of ``node`` (never data values)."""
    for key in _SCHEMA_KEYS:
        value = node.get(key)
        if isinstance(value, dict):
            yield value
    for key in _LIST_KEYS:
        value = node.get(key)
        if isinstance(value, list):
            yield from (item for item in value if isinstance(item, dict))
    for key in _MAP_KEYS:
        value = node.get(key)
        if isinstance(value, dict):
            yield from (item for item in value.values() if isinstance(item, dict))


def walk(node: Schema) -> Iterator[Schema]:
    """Yield ``node`` and every sub-schema below it, depth first, pre-order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(children(current))))


def transform(node: Schema, fn: Callable[[Schema], Schema]) -> Schema:
    """Rebuild ``node`` bottom-up, replacing every sub-schema ``s`` by ``fn(s)``."""
    out: Schema = dict(node)
    for key in _SCHEMA_KEYS:
        value = out.get(key)
        if isinstance(value, dict):
            out[key] = transform(value, fn)
    for key in _LIST_KEYS:
        value = out.get(key)
        if isinstance(value, list):
            out[key] = [transform(v, fn) if isinstance(v, dict) else v for v in value]
    for key in _MAP_KEYS:
        value = out.get(key)
        if isinstance(value, dict):
            out[key] = {k: transform(v, fn) if isinstance(v, dict) else v for k, v in value.items()}
    return fn(out)


def defs(schema: Schema) -> dict[str, Schema]:
    """Return the ``$defs`` mapping of a document, creating it if missing."""
    found: dict[str, Schema] = schema.setdefault("$defs", {})
    return found


def ref_name(node: Schema) -> str | None:
    """Return the definition name of a local ``$ref`` node, else None."""
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(DEFS_PREFIX):
        return ref[len(DEFS_PREFIX) :]
    return None


def ref_to(name: str) -> Schema:
    """Build a local ``$ref`` node pointing at ``$defs/<name>``."""
    return {"$ref": DEFS_PREFIX + name}


def union_members(node: Schema) -> list[Schema] | None:
    """Return the members of an ``anyOf``/``oneOf`` node, or None."""
    for key in ("anyOf", "oneOf"):
        value = node.get(key)
        if isinstance(value, list):
            return [m for m in value if isinstance(m, dict)]
    return None


def is_null(node: Schema) -> bool:
    """True for the ``{"type": "null"}`` member pydantic emits for Optional."""
    return node == NULL_SCHEMA


def referenced_defs(schema: Schema) -> set[str]:
    """Names of the definitions reachable from the document root."""
    table = defs(schema)
    seen: set[str] = set()
    root = {k: v for k, v in schema.items() if k != "$defs"}
    pending: list[Schema] = [root]
    while pending:
        for node in walk(pending.pop()):
            name = ref_name(node)
            if name is not None and name not in seen and name in table:
                seen.add(name)
                pending.append(table[name])
    return seen


def unique_name(base: str, taken: set[str] | dict[str, Schema]) -> str:
    """Return ``base`` or ``base2``, ``base3``... whichever is not taken."""
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def camel(words: str) -> str:
    """``"tool_choice"`` / ``"tool choice"`` -> ``"ToolChoice"``."""
    parts = words.replace("-", "_").replace(" ", "_").replace(".", "_").split("_")
    return "".join(p[:1].upper() + p[1:] for p in parts if p)
