"""Minimal instances for JSON Schemas."""

from __future__ import annotations

import pytest

from refbackends.schema_example import example_for_schema


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}, {}),
        (
            {
                "type": "object",
                "properties": {
                    "city": {"type": "string"},
                    "n": {"type": "integer", "minimum": 3},
                    "x": {"type": "number", "maximum": 0.5},
                    "ok": {"type": "boolean"},
                    "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2},
                    "unit": {"enum": ["c", "f"]},
                    "when": {"type": "string", "format": "date"},
                    "maybe": {"type": ["null", "string"]},
                    "code": {"type": "string", "minLength": 6},
                },
                "required": ["city", "n", "x", "ok", "tags", "unit", "when", "maybe", "code"],
            },
            {
                "city": "city",
                "n": 3,
                "x": 0.5,
                "ok": True,
                "tags": ["tags", "tags"],
                "unit": "c",
                "when": "2024-01-01",
                "maybe": "maybe",
                "code": "codexx",
            },
        ),
        (
            {
                "type": "object",
                "properties": {"item": {"$ref": "#/$defs/Item"}},
                "required": ["item"],
                "$defs": {
                    "Item": {
                        "type": "object",
                        "properties": {"id": {"const": 7}},
                        "required": ["id"],
                    }
                },
            },
            {"item": {"id": 7}},
        ),
        ({"anyOf": [{"type": "integer"}, {"type": "string"}]}, 1),
        (
            {"type": "OBJECT", "properties": {"q": {"type": "STRING"}}, "required": ["q"]},
            {"q": "q"},
        ),
        (
            {"type": "object", "properties": {"self": {"$ref": "#"}}, "required": ["self"]},
            {"self": {"self": {}}},
        ),
    ],
)
def test_examples(schema: object, expected: object) -> None:
    result = example_for_schema(schema)
    if isinstance(expected, dict) and "self" in expected:
        assert isinstance(result, dict) and "self" in result  # recursion is bounded
    else:
        assert result == expected
