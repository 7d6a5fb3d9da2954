"""Minimal, deterministic JSON instances for JSON Schemas.

The local stub backend and the reference emulators use this to invent
tool-call arguments and structured-output replies that validate against the
schema the client sent: every required property is filled, optional ones are
left out. Only the subset of JSON Schema that tool and response-format
schemas use is understood (``type``, ``properties``/``required``,
``items``/``minItems``, ``enum``, ``const``, ``default``, local ``$ref``,
``anyOf``/``oneOf``/``allOf``, numeric bounds, string lengths and a few
formats). Type names are matched case-insensitively because Gemini clients
send ``OBJECT``/``STRING``.

The schema comes from a client, so the work is bounded whatever it says:

- at most :data:`MAX_ITEMS` (64) items per array, whatever ``minItems`` asks;
- strings at most :data:`MAX_STRING` (4096) characters, whatever
  ``minLength`` asks;
- at most :data:`MAX_DEPTH` (12) levels of nesting, each ``$ref``,
  ``anyOf``/``oneOf``/``allOf`` hop counting as one, so ``$ref`` cycles
  terminate;
- a budget of :data:`MAX_NODES` (10,000) units per call: every value costs
  one, a string one more per 64 characters, a ``const``/``enum``/``default``
  value its size. Once the budget is spent, arrays stop growing, and every
  further value (like every value past the depth cap) is minimal and built
  without recursion: ``[]``, ``{}``, the bare property name, a bound-
  respecting number.

So one call does O(MAX_NODES + schema size) work, and what it builds (values
referenced from the schema aside) stays under about a megabyte. The price is
deliberate: the example for an absurd schema (``minItems: 10000000``,
required properties nested past the depth cap) does not validate against it.
"""

from __future__ import annotations

import math

from lip.canonical.json import JSONObject, JSONValue

__all__ = ["MAX_DEPTH", "MAX_ITEMS", "MAX_NODES", "MAX_STRING", "example_for_schema"]

MAX_DEPTH = 12
MAX_ITEMS = 64
MAX_STRING = 4096
MAX_NODES = 10_000

# A string costs one budget unit more per this many characters.
_CHARS_PER_UNIT = 64

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


def example_for_schema(schema: JSONValue, *, name: str = "value") -> JSONValue:
    """A minimal JSON value valid for ``schema`` (within the module's bounds).

    Strings default to the name of the property they fill (``name`` for the
    root). ``const``, ``enum`` and ``default`` values are returned as the
    schema holds them, not copied.
    """
    root = schema if isinstance(schema, dict) else {}
    return _Builder(root).example(schema, name, 0)


class _Builder:
    """One call's state: the root for ``$ref`` and the remaining budget."""

    def __init__(self, root: JSONObject) -> None:
        self._root = root
        self._budget = MAX_NODES

    def example(self, schema: JSONValue, name: str, depth: int) -> JSONValue:
        # Every value costs, minimal ones too: otherwise arrays at the depth
        # cap would still multiply (64 items per level) unchecked.
        self._budget -= 1
        if not isinstance(schema, dict):
            # true/false schemas and junk: any value will do.
            return self._string({}, name)
        if depth > MAX_DEPTH or self._budget < 0:
            return _minimal(schema, self._root, name)
        if "const" in schema:
            return self._given(schema["const"])
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return self._given(enum[0])
        if "default" in schema:
            return self._given(schema["default"])
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self.example(_resolve(ref, self._root), name, depth + 1)
        for key in ("anyOf", "oneOf"):
            options = schema.get(key)
            if isinstance(options, list) and options:
                return self.example(options[0], name, depth + 1)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of:
            return self._all_of(all_of, name, depth)
        match _type_of(schema):
            case "object":
                properties = schema.get("properties")
                props = properties if isinstance(properties, dict) else {}
                return {
                    key: self.example(props.get(key, {}), key, depth + 1)
                    for key in _required(schema)
                }
            case "array":
                return self._array(schema, name, depth)
            case "integer" | "number" as kind:
                return _number(schema, integer=kind == "integer")
            case "boolean":
                return True
            case "null":
                return None
            case _:
                return self._string(schema, name)

    def _array(self, schema: JSONObject, name: str, depth: int) -> list[JSONValue]:
        items = schema.get("items", {})
        count = min(max(_int(schema.get("minItems")) or 0, 0), MAX_ITEMS)
        out: list[JSONValue] = []
        for _ in range(count):
            if self._budget <= 0:
                break  # a spent budget leaves the array short
            out.append(self.example(items, name, depth + 1))
        return out

    def _all_of(self, parts: list[JSONValue], name: str, depth: int) -> JSONValue:
        merged: JSONObject = {}
        for part in parts:
            value = self.example(part, name, depth + 1)
            if not isinstance(value, dict):
                return value
            merged.update(value)
        return merged

    def _string(self, schema: JSONObject, name: str) -> str:
        text = _string(schema, name)
        self._budget -= len(text) // _CHARS_PER_UNIT
        return text

    def _given(self, value: JSONValue) -> JSONValue:
        """Charge a value copied out of the schema by its size."""
        self._budget -= _size(value, self._budget)
        return value


def _minimal(schema: JSONObject, root: JSONObject, name: str) -> JSONValue:
    """A value for ``schema`` built without recursion (depth or budget spent)."""
    for _ in range(MAX_DEPTH):
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return enum[0]
        if "default" in schema:
            return schema["default"]
        ref = schema.get("$ref")
        options = schema.get("anyOf", schema.get("oneOf", schema.get("allOf")))
        if isinstance(ref, str):
            target = _resolve(ref, root)
        elif isinstance(options, list) and options:
            target = options[0]
        else:
            break
        if not isinstance(target, dict):
            break
        schema = target
    match _type_of(schema):
        case "object":
            return {}
        case "array":
            return []
        case "integer" | "number" as kind:
            return _number(schema, integer=kind == "integer")
        case "boolean":
            return True
        case "null":
            return None
        case _:
            return _string(schema, name, pad=False)


def _type_of(schema: JSONObject) -> str:
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


def _required(schema: JSONObject) -> list[str]:
    required = schema.get("required")
    return [key for key in required if isinstance(key, str)] if isinstance(required, list) else []


def _int(value: JSONValue) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bound(value: JSONValue) -> float | None:
    """A usable numeric bound: a finite number, not a bool."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int):
        return value  # exact, and may be too large for math.isfinite
    return value if math.isfinite(value) else None


def _number(schema: JSONObject, *, integer: bool) -> int | float:
    value: float = 1
    minimum = _bound(schema.get("minimum"))
    exclusive_minimum = _bound(schema.get("exclusiveMinimum"))
    maximum = _bound(schema.get("maximum"))
    exclusive_maximum = _bound(schema.get("exclusiveMaximum"))
    if minimum is not None:
        value = max(value, minimum)
    if exclusive_minimum is not None:
        value = max(value, exclusive_minimum + 1)
    if maximum is not None:
        value = min(value, maximum)
    if exclusive_maximum is not None and value >= exclusive_maximum:
        value = exclusive_maximum - 1
    if integer:
        # ceil: a fractional lower bound (minimum 2.5) needs the next integer up.
        return math.ceil(value)
    return value


def _string(schema: JSONObject, name: str, *, pad: bool = True) -> str:
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        return _FORMATS[fmt]
    text = name[:MAX_STRING]
    min_length = _int(schema.get("minLength"))
    max_length = _int(schema.get("maxLength"))
    if pad and min_length is not None and len(text) < min_length:
        text += "x" * (min(min_length, MAX_STRING) - len(text))
    if max_length is not None and max_length >= 0:
        text = text[:max_length]
    return text


def _resolve(ref: str, root: JSONObject) -> JSONValue:
    """Resolve a local JSON pointer (``#/$defs/Item``, RFC 6901); anything
    else is an unconstrained schema."""
    if not ref.startswith("#"):
        return {}
    node: JSONValue = root
    for token in ref[1:].split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return {}
    return node


def _size(value: JSONValue, limit: int) -> int:
    """Budget units ``value`` is worth, counting no further than ``limit``
    (so sizing a huge ``const`` costs no more than the budget left)."""
    size = 0
    stack = [value]
    while stack and size < limit:
        node = stack.pop()
        size += 1
        if isinstance(node, str):
            size += len(node) // _CHARS_PER_UNIT
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return max(size, 1)
