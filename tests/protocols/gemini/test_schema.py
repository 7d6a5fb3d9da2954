"""JSON Schema <-> Gemini's schema: the convertible subset goes there and back
unchanged, Gemini's own spellings (upper, lower, snake_case) read the same,
and a keyword with no Gemini form is refused by name."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lip.protocols.gemini.schema import Unconvertible, from_gemini, to_gemini

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
counts = st.integers(0, 50)
numbers = st.integers(-100, 100) | st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def _annotations(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    """The keywords Gemini shares with JSON Schema, as fit the type."""
    out: dict[str, Any] = {}
    if draw(st.booleans()):
        out["description"] = draw(words)
    if draw(st.booleans()):
        out["title"] = draw(words)
    if kind == "string":
        if draw(st.booleans()):
            out["format"] = draw(st.sampled_from(["enum", "date-time", "email"]))
        if draw(st.booleans()):
            out["enum"] = draw(st.lists(words, min_size=1, max_size=3, unique=True))
        if draw(st.booleans()):
            out["minLength"], out["maxLength"] = sorted(draw(st.tuples(counts, counts)))
        if draw(st.booleans()):
            out["pattern"] = draw(st.sampled_from(["^[a-z]+$", r"\d{3}"]))
    if kind in ("integer", "number"):
        if draw(st.booleans()):
            out["minimum"], out["maximum"] = sorted(draw(st.tuples(numbers, numbers)))
        if draw(st.booleans()):
            out["format"] = draw(st.sampled_from(["int32", "int64", "float", "double"]))
    if draw(st.booleans()):
        out["default"] = draw(st.booleans() | st.integers() | words)
    return out


def _typed(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    nullable = kind != "null" and draw(st.booleans())
    return {"type": [kind, "null"] if nullable else kind}


@st.composite
def leaves(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["string", "number", "integer", "boolean", "null"]))
    return {**_typed(draw, kind), **draw(_annotations(kind))}


def _branches(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def objects(draw: st.DrawFn) -> dict[str, Any]:
        properties = draw(st.dictionaries(names, inner, max_size=4))
        out: dict[str, Any] = {**_typed(draw, "object"), "properties": properties}
        if properties and draw(st.booleans()):
            out["required"] = draw(st.lists(st.sampled_from(sorted(properties)), unique=True))
        if properties and draw(st.booleans()):
            out["propertyOrdering"] = draw(st.permutations(sorted(properties)))
        if draw(st.booleans()):
            out["minProperties"] = draw(counts)
        return {**out, **draw(_annotations("object"))}

    @st.composite
    def arrays(draw: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {**_typed(draw, "array"), "items": draw(inner)}
        if draw(st.booleans()):
            out["minItems"], out["maxItems"] = sorted(draw(st.tuples(counts, counts)))
        return {**out, **draw(_annotations("array"))}

    @st.composite
    def unions(draw: st.DrawFn) -> dict[str, Any]:
        plain = inner.filter(lambda v: v != {"type": "null"})  # that one goes last
        variants = draw(st.lists(plain, min_size=1, max_size=3))
        if draw(st.booleans()):
            variants.append({"type": "null"})  # JSON Schema's optional: Gemini's nullable
        return {"anyOf": variants, **draw(_annotations("union"))}

    return objects() | arrays() | unions()


json_schemas = st.recursive(leaves(), _branches, max_leaves=10)


@settings(max_examples=300, deadline=None)
@given(json_schemas)
def test_the_convertible_subset_goes_to_gemini_and_back_unchanged(schema: dict[str, Any]) -> None:
    assert from_gemini(to_gemini(schema)) == schema


@settings(max_examples=200, deadline=None)
@given(json_schemas)
def test_gemini_types_are_upper_case_and_null_is_nullable(schema: dict[str, Any]) -> None:
    def walk(node: dict[str, Any]) -> None:
        kind = node.get("type")
        assert kind is None or (isinstance(kind, str) and kind == kind.upper())
        if kind == "NULL":
            assert node["nullable"] is True
        for child in node.get("properties", {}).values():
            walk(child)
        for child in node.get("anyOf", ()):
            walk(child)
        if "items" in node:
            walk(node["items"])

    walk(to_gemini(schema))


def test_a_nullable_type_list_is_nullable_and_other_lists_are_unions() -> None:
    assert to_gemini({"type": ["string", "null"]}) == {"type": "STRING", "nullable": True}
    assert to_gemini({"type": ["string", "integer", "null"]}) == {
        "nullable": True,
        "anyOf": [{"type": "STRING"}, {"type": "INTEGER"}],
    }
    assert to_gemini({"type": "null"}) == {"type": "NULL", "nullable": True}
    assert from_gemini({"type": "NULL", "nullable": True}) == {"type": "null"}
    assert to_gemini(True) == to_gemini({}) == {}
    assert to_gemini({"$schema": "https://json-schema.org/draft/2020-12/schema"}) == {}


# -- the spellings of Gemini's schema

_SNAKE = {
    "anyOf": "any_of",
    "propertyOrdering": "property_ordering",
    "minItems": "min_items",
    "maxItems": "max_items",
    "minLength": "min_length",
    "maxLength": "max_length",
    "minProperties": "min_properties",
    "maxProperties": "max_properties",
}


def _respelled(node: dict[str, Any], *, lower: bool, snake: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties":
            value = {k: _respelled(v, lower=lower, snake=snake) for k, v in value.items()}
        elif key == "items":
            value = _respelled(value, lower=lower, snake=snake)
        elif key == "anyOf":
            value = [_respelled(v, lower=lower, snake=snake) for v in value]
        elif key == "type" and lower:
            value = value.lower()
        out[_SNAKE.get(key, key) if snake else key] = value
    return out


@settings(max_examples=200, deadline=None)
@given(json_schemas, st.booleans(), st.booleans())
def test_upper_lower_and_snake_case_gemini_schemas_read_the_same(
    schema: dict[str, Any], lower: bool, snake: bool
) -> None:
    gemini = to_gemini(schema)
    assert from_gemini(_respelled(gemini, lower=lower, snake=snake)) == schema


def test_an_sdk_schema_reads_as_json_schema() -> None:
    # What google-genai sends for types.Schema(type=OBJECT, ...): upper-case
    # types, nullable, propertyOrdering; TYPE_UNSPECIFIED is any type.
    sent = {
        "type": "OBJECT",
        "properties": {
            "city": {"type": "STRING", "description": "City name"},
            "unit": {"type": "STRING", "enum": ["C", "F"], "format": "enum", "nullable": True},
            "days": {"type": "ARRAY", "items": {"type": "INTEGER"}, "maxItems": 7},
            "anything": {"type": "TYPE_UNSPECIFIED"},
        },
        "required": ["city"],
        "propertyOrdering": ["city", "unit", "days", "anything"],
    }
    assert from_gemini(sent) == {
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "City name"},
            "unit": {"type": ["string", "null"], "enum": ["C", "F"], "format": "enum"},
            "days": {"type": "array", "items": {"type": "integer"}, "maxItems": 7},
            "anything": {},
        },
        "required": ["city"],
        "propertyOrdering": ["city", "unit", "days", "anything"],
    }


# -- what has no Gemini form

UNCONVERTIBLE = [
    ("$ref", {"$ref": "#/$defs/city"}),
    ("$defs", {"type": "object", "$defs": {"city": {"type": "string"}}}),
    ("oneOf", {"oneOf": [{"type": "string"}, {"type": "integer"}]}),
    ("allOf", {"allOf": [{"type": "object"}]}),
    ("not", {"not": {"type": "string"}}),
    ("additionalProperties", {"type": "object", "additionalProperties": False}),
    ("const", {"const": "x"}),
    ("patternProperties", {"type": "object", "patternProperties": {"^x": {}}}),
    ("prefixItems", {"type": "array", "prefixItems": [{"type": "string"}]}),
    ("uniqueItems", {"type": "array", "uniqueItems": True}),
    ("multipleOf", {"type": "number", "multipleOf": 2}),
    ("exclusiveMinimum", {"type": "number", "exclusiveMinimum": 0}),
    ("enum", {"type": "integer", "enum": [1, 2]}),
]


@pytest.mark.parametrize(("keyword", "schema"), UNCONVERTIBLE, ids=[k for k, _ in UNCONVERTIBLE])
def test_a_keyword_with_no_gemini_form_is_refused_by_name(
    keyword: str, schema: dict[str, Any]
) -> None:
    with pytest.raises(Unconvertible, match=re.escape(f"'{keyword}'")):
        to_gemini(schema)
    nested = {"type": "object", "properties": {"deep": {"type": "array", "items": schema}}}
    with pytest.raises(Unconvertible, match=re.escape(f"'{keyword}'")):
        to_gemini(nested)


@pytest.mark.parametrize("schema", [{"type": "date"}, {"type": ["string", "tuple"]}, [], "x"])
def test_what_is_not_a_json_schema_type_is_refused(schema: Any) -> None:
    with pytest.raises(Unconvertible):
        to_gemini(schema)


@pytest.mark.parametrize("field", ["additionalProperties", "oneOf", "$ref", "const"])
def test_a_gemini_schema_with_a_field_it_does_not_have_is_refused_by_name(field: str) -> None:
    with pytest.raises(Unconvertible, match=re.escape(f"'{field}'")):
        from_gemini({"type": "OBJECT", "properties": {"x": {"type": "STRING", field: {}}}})
    with pytest.raises(Unconvertible):
        from_gemini("STRING")
