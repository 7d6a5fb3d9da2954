"""Deterministic minimal instances of a JSON Schema (for the local stub)."""

from __future__ import annotations

from lip.canonical import JSONValue

_MAX_DEPTH = 6


def sample(schema: JSONValue, name: str = "value", depth: int = 0) -> JSONValue:
    """A small value that satisfies common schemas: required properties, enums, types."""
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return None
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0]
    for key in ("anyOf", "oneOf", "allOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            return sample(options[0], name, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if isinstance(kind, str):
        kind = kind.lower()  # Gemini clients send OBJECT / STRING
    if kind == "object" or (kind is None and "properties" in schema):
        props = schema.get("properties")
        props = props if isinstance(props, dict) else {}
        required = schema.get("required")
        keys = (
            [k for k in required if isinstance(k, str)]
            if isinstance(required, list)
            else list(props)
        )
        return {k: sample(props.get(k, {}), k, depth + 1) for k in keys}
    if kind == "array":
        min_items = schema.get("minItems")
        count = min_items if isinstance(min_items, int) and min_items > 0 else 1
        return [sample(schema.get("items", {}), name, depth + 1) for _ in range(count)]
    if kind == "integer":
        minimum = schema.get("minimum")
        return minimum if isinstance(minimum, int) else 1
    if kind == "number":
        minimum = schema.get("minimum")
        return minimum if isinstance(minimum, (int, float)) else 1.5
    if kind == "boolean":
        return True
    if kind == "string":
        return f"sample {name}"
    return None


__all__ = ["sample"]
