"""JSON Schema <-> Gemini's schema (the OpenAPI 3.0 subset ``Schema`` message).

Gemini's ``parameters`` / ``responseSchema`` use upper-case types (``OBJECT``,
``STRING``; the API and both SDKs also accept lower case), ``nullable``
instead of a ``null`` type, ``anyOf`` for unions and ``propertyOrdering``.
The rules, both ways:

- ``type``: lower case in JSON Schema, upper case in Gemini's; a JSON Schema
  type list ``[T, "null"]`` is ``type: T, nullable: true``; other type lists
  become ``anyOf`` of single types.
- ``properties``, ``items``, ``required``, ``enum`` (of strings: Gemini's
  enum holds nothing else), ``format``, ``description``, ``title``,
  ``minimum``/``maximum``, ``minItems``/``maxItems``, ``minLength``/
  ``maxLength``, ``pattern``, ``default``, ``example``, ``anyOf``,
  ``propertyOrdering``: the same name on both sides.
- What Gemini's schema has no field for (``$ref``/``$defs``, ``oneOf``,
  ``allOf``, ``additionalProperties``, ``const``, ``not``, ...): a
  :class:`Unconvertible` error naming the keyword; a request can still send
  such a schema as ``parametersJsonSchema`` / ``responseJsonSchema``, which
  Gemini upstreams take as JSON Schema unchanged.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Unconvertible", "from_gemini", "to_gemini"]

_SAME = (
    "description", "title", "format", "enum", "required", "minimum", "maximum", "pattern",
    "default", "example", "propertyOrdering", "minItems", "maxItems", "minLength",
    "maxLength", "minProperties", "maxProperties",
)  # fmt: skip
_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
_SNAKE = {
    "any_of": "anyOf",
    "property_ordering": "propertyOrdering",
    "min_items": "minItems",
    "max_items": "maxItems",
    "min_length": "minLength",
    "max_length": "maxLength",
    "min_properties": "minProperties",
    "max_properties": "maxProperties",
}


class Unconvertible(ValueError):
    """A schema keyword the other side has no field for."""


def from_gemini(schema: Any) -> dict[str, Any]:
    """A Gemini schema (camelCase or snake_case names, any type case) as JSON Schema."""
    if not isinstance(schema, dict):
        raise Unconvertible("a schema is an object")
    schema = {_SNAKE.get(k, k): v for k, v in schema.items()}
    out: dict[str, Any] = {}
    kind = schema.get("type")
    if isinstance(kind, str) and kind.upper() != "TYPE_UNSPECIFIED":
        out["type"] = kind.lower()
    if schema.get("nullable") is True:
        if "type" in out:
            if out["type"] != "null":
                out["type"] = [out["type"], "null"]
        elif "anyOf" not in schema:
            out["type"] = "null"
    for key in _SAME:
        if key in schema and schema[key] is not None:
            out[key] = schema[key]
    if isinstance(schema.get("properties"), dict):
        out["properties"] = {k: from_gemini(v) for k, v in schema["properties"].items()}
    if schema.get("items") is not None:
        out["items"] = from_gemini(schema["items"])
    if isinstance(schema.get("anyOf"), list):
        variants = [from_gemini(v) for v in schema["anyOf"]]
        if schema.get("nullable") is True:
            variants.append({"type": "null"})
        out["anyOf"] = variants
    unknown = set(schema) - set(_SAME) - {"type", "nullable", "properties", "items", "anyOf"}
    if unknown:
        raise Unconvertible(f"Gemini schema field {sorted(unknown)[0]!r} has no JSON Schema form")
    return out


def _single(kind: Any) -> str:
    if not isinstance(kind, str) or kind not in _TYPES:
        raise Unconvertible(f"JSON Schema type {kind!r} has no Gemini form")
    return kind.upper()


def to_gemini(schema: Any) -> dict[str, Any]:
    """A JSON Schema as Gemini's schema (upper-case types); raises :class:`Unconvertible`."""
    if schema is True or schema == {}:
        return {}
    if not isinstance(schema, dict):
        raise Unconvertible("a schema is an object")
    out: dict[str, Any] = {}
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        if len(kinds) != len(kind):
            out["nullable"] = True
        if len(kinds) == 1:
            out["type"] = _single(kinds[0])
        elif kinds:
            out["anyOf"] = [{"type": _single(k)} for k in kinds]
    elif kind == "null":
        out["type"], out["nullable"] = "NULL", True
    elif kind is not None:
        out["type"] = _single(kind)
    for key in _SAME:
        if key in schema:
            out[key] = schema[key]
    enum = schema.get("enum")
    if enum is not None and not (isinstance(enum, list) and all(isinstance(v, str) for v in enum)):
        raise Unconvertible("JSON Schema keyword 'enum' of non-strings has no Gemini form")
    if isinstance(schema.get("properties"), dict):
        out["properties"] = {k: to_gemini(v) for k, v in schema["properties"].items()}
    if "items" in schema:
        out["items"] = to_gemini(schema["items"])
    if isinstance(schema.get("anyOf"), list):
        variants = [v for v in schema["anyOf"] if v != {"type": "null"}]
        if len(variants) != len(schema["anyOf"]):
            out["nullable"] = True
        out["anyOf"] = [to_gemini(v) for v in variants]
    known = set(_SAME) | {"type", "properties", "items", "anyOf", "$schema"}
    unknown = sorted(set(schema) - known)
    if unknown:
        raise Unconvertible(f"JSON Schema keyword {unknown[0]!r} has no Gemini form")
    return out
