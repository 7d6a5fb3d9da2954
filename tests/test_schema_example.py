"""Minimal instances for JSON Schemas, and the bounds that keep hostile
schemas cheap (asserted on output size, never on wall time)."""

from __future__ import annotations

import json

import pytest

from lip.canonical.json import JSONValue
from lip.schema_example import MAX_DEPTH, MAX_ITEMS, MAX_NODES, MAX_STRING, example_for_schema


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
        ({"allOf": [{"required": ["a"]}, {"required": ["b"]}]}, {"a": "a", "b": "b"}),
        ({"type": "integer", "minimum": 2.5}, 3),
        ({"type": "integer", "exclusiveMinimum": 4}, 5),
        ({"type": "number", "minimum": float("inf")}, 1),
        ({"type": "string", "maxLength": 3}, "val"),
        ({"$ref": "#/anyOf/1", "anyOf": [{"type": "string"}, {"type": "boolean"}]}, True),
        ({"$ref": "https://example.com/schema.json"}, "value"),
        (True, "value"),
    ],
)
def test_examples(schema: JSONValue, expected: JSONValue) -> None:
    assert example_for_schema(schema) == expected


def depth_of(value: JSONValue) -> int:
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    return 0


def count_nodes(value: JSONValue) -> int:
    if isinstance(value, dict):
        return 1 + sum(count_nodes(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(count_nodes(v) for v in value)
    return 1


def test_self_reference_is_cut_at_the_depth_cap() -> None:
    schema: JSONValue = {
        "type": "object",
        "properties": {"self": {"$ref": "#"}},
        "required": ["self"],
    }
    result = example_for_schema(schema)
    assert isinstance(result, dict) and isinstance(result["self"], dict)
    assert depth_of(result) <= MAX_DEPTH


def nested_arrays(levels: int, width: int, leaf: JSONValue) -> JSONValue:
    schema = leaf
    for _ in range(levels):
        schema = {"type": "array", "minItems": width, "items": schema}
    return schema


HOSTILE: dict[str, JSONValue] = {
    "ten million items": {"type": "array", "minItems": 10_000_000},
    "200^3 nested arrays": nested_arrays(3, 200, {"type": "integer"}),
    "200^3 nested long strings": nested_arrays(3, 200, {"type": "string", "minLength": 10**6}),
    "huge minLength": {"type": "string", "minLength": 10**12},
    "$ref cycle": {
        "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}},
        "$ref": "#/$defs/a",
    },
    "array of itself": {"type": "array", "minItems": 10**9, "items": {"$ref": "#"}},
    "object of itself twice": {
        "type": "object",
        "properties": {"a": {"$ref": "#"}, "b": {"$ref": "#"}},
        "required": ["a", "b"],
    },
    "allOf of itself": {"allOf": [{"$ref": "#"}, {"$ref": "#"}, {"$ref": "#"}]},
    "big const repeated": nested_arrays(2, 64, {"const": "y" * 100_000}),
    "deep anyOf": {"anyOf": [{"$ref": "#"}]},
}


@pytest.mark.parametrize("schema", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_schemas_give_bounded_output(schema: JSONValue) -> None:
    result = example_for_schema(schema)
    # Whatever the schema asks: a node budget (plus the open loops that
    # finish with minimal values), bounded nesting and bounded new text.
    assert count_nodes(result) <= MAX_NODES + MAX_DEPTH * MAX_ITEMS
    assert depth_of(result) <= MAX_DEPTH + 1
    assert len(json.dumps(result)) < 1_000_000


def test_caps_apply_per_array_and_per_string() -> None:
    items = example_for_schema({"type": "array", "minItems": 10_000, "items": {"type": "integer"}})
    assert items == [1] * MAX_ITEMS
    text = example_for_schema({"type": "string", "minLength": 10**9})
    assert isinstance(text, str) and len(text) == MAX_STRING


def test_a_spent_budget_stops_arrays_growing() -> None:
    wide = nested_arrays(3, 200, {"type": "object", "required": ["a"]})
    result = example_for_schema(wide)
    assert isinstance(result, list)
    # The first branch is complete; the budget runs out in a later one,
    # which ends short, and the outer array stops there.
    assert result[0] == [[{"a": "a"}] * MAX_ITEMS] * MAX_ITEMS
    assert 1 < len(result) < MAX_ITEMS
    assert isinstance(result[-1], list) and len(result[-1]) < MAX_ITEMS
    assert count_nodes(result) <= MAX_NODES + MAX_DEPTH * MAX_ITEMS


def test_past_the_budget_required_properties_get_minimal_values() -> None:
    keys = [f"k{i}" for i in range(MAX_NODES + 10)]
    schema: JSONValue = {
        "type": "object",
        "properties": {key: {"type": "array", "minItems": 5} for key in keys},
        "required": list(keys),
    }
    result = example_for_schema(schema)
    assert isinstance(result, dict) and list(result) == keys
    assert result[keys[0]] == ["k0"] * 5
    assert result[keys[-1]] == []
