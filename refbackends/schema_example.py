"""Minimal, deterministic JSON instances for JSON Schemas.

Emulators use this to invent tool-call arguments and structured-output
replies that validate against the schema the client sent: every required
property is filled, optional ones are left out. Only the subset of JSON
Schema that tool and response-format schemas use is understood (``type``,
``properties``/``required``, ``items``/``minItems``, ``enum``, ``const``,
``default``, local ``$ref``, ``anyOf``/``oneOf``/``allOf``, numeric bounds,
string lengths and a few formats). Type names are matched case-insensitively
because Gemini clients send ``OBJECT``/``STRING``.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["example_for_schema"]

_MAX_DEPTH = 12

_FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "ipv4": "127.0.0.1",
    "hostname": "example.com",
}


def example_for_schema(schema: object, *, name: str = "value") -> object:
    """A minimal JSON value (``dict``/``list``/``str``/``int``/``float``/
    ``bool``/``None``) valid for ``schema``; strings default to the property
    name they fill (``name`` for the root)."""
    root = schema if isinstance(schema, Mapping) else {}
    return _example(schema, root, name, 0)


def _example(schema: object, root: Mapping[str, object], name: str, depth: int) -> object:
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return name
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0]
    if "default" in schema:
        return schema["default"]
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return _example(_resolve(ref, root), root, name, depth + 1)
    for key in ("anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            return _example(options[0], root, name, depth + 1)
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and all_of:
        return _merge_all_of(all_of, root, name, depth)
    return _by_type(schema, root, name, depth)


def _by_type(
    schema: Mapping[str, object], root: Mapping[str, object], name: str, depth: int
) -> object:
    kind = _type_of(schema)
    if kind == "object":
        properties = schema.get("properties")
        props = properties if isinstance(properties, Mapping) else {}
        required = schema.get("required")
        names = (
            [key for key in required if isinstance(key, str)] if isinstance(required, list) else []
        )
        return {key: _example(props.get(key, {}), root, key, depth + 1) for key in names}
    if kind == "array":
        min_items = schema.get("minItems")
        count = min_items if isinstance(min_items, int) and min_items > 0 else 0
        return [_example(schema.get("items", {}), root, name, depth + 1) for _ in range(count)]
    if kind in ("integer", "number"):
        return _number(schema, integer=kind == "integer")
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _string(schema, name)


def _type_of(schema: Mapping[str, object]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        names = [str(k).lower() for k in kind]
        non_null = [k for k in names if k != "null"]
        return non_null[0] if non_null else "null"
    if isinstance(kind, str):
        return kind.lower()
    if "properties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "string"


def _number(schema: Mapping[str, object], *, integer: bool) -> int | float:
    value: float = 1
    minimum = schema.get("minimum")
    exclusive_minimum = schema.get("exclusiveMinimum")
    maximum = schema.get("maximum")
    if isinstance(minimum, int | float) and not isinstance(minimum, bool):
        value = max(value, minimum)
    if isinstance(exclusive_minimum, int | float) and not isinstance(exclusive_minimum, bool):
        value = max(value, exclusive_minimum + 1)
    if isinstance(maximum, int | float) and not isinstance(maximum, bool):
        value = min(value, maximum)
    if integer:
        return int(value)
    return value


def _string(schema: Mapping[str, object], name: str) -> str:
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        return _FORMATS[fmt]
    text = name
    min_length = schema.get("minLength")
    max_length = schema.get("maxLength")
    if isinstance(min_length, int) and len(text) < min_length:
        text = text + "x" * (min_length - len(text))
    if isinstance(max_length, int) and len(text) > max_length:
        text = text[:max_length]
    return text


def _resolve(ref: str, root: Mapping[str, object]) -> object:
    """Resolve a local JSON pointer (``#/$defs/Item``); anything else is an
    unconstrained schema."""
    if not ref.startswith("#"):
        return {}
    node: object = root
    for token in ref[1:].split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, Mapping) or key not in node:
            return {}
        node = node[key]
    return node


def _merge_all_of(parts: list[object], root: Mapping[str, object], name: str, depth: int) -> object:
    merged: dict[str, object] = {}
    for part in parts:
        value = _example(part, root, name, depth + 1)
        if not isinstance(value, dict):
            return value
        merged.update(value)
    return merged
