"""Extract Gemini wire schemas by walking protobuf message descriptors.

Why descriptors (docs/design.md, "Where the vendor schemas come from"): google-genai's types are SDK-shaped
(SDK-only and Vertex-only fields, renamed fields, no wire request type),
while the descriptors shipped in google-ai-generativelanguage are exactly
the REST shape. The proto3 JSON mapping
(https://protobuf.dev/programming-guides/json/) gives the JSON form:

- field names are the descriptor's ``json_name`` (lowerCamelCase); the
  compiled models also accept the snake_case names, as proto3 parsers do;
- 64-bit integers are JSON strings, and parsers also accept numbers, so they
  are ``string | integer``; other numbers are numbers; bytes are base64 strings;
- enums are their value names (strings; widened to open strings later);
- oneof members are ordinary optional fields (the message description lists
  the groups); proto3 has no required fields, so nothing is required;
- maps are objects; well-known types use their special JSON forms.
"""

from __future__ import annotations

from typing import Any

from google.protobuf.descriptor import (  # type: ignore[import-untyped]
    Descriptor,
    FieldDescriptor,
)

from codegen.extract_sdk import load_symbol
from codegen.registry import SpecSource
from codegen.schema_tree import Schema, ref_to, walk

_INT64 = {
    FieldDescriptor.TYPE_INT64,
    FieldDescriptor.TYPE_UINT64,
    FieldDescriptor.TYPE_SINT64,
    FieldDescriptor.TYPE_FIXED64,
    FieldDescriptor.TYPE_SFIXED64,
}
_INTEGER = {
    FieldDescriptor.TYPE_INT32,
    FieldDescriptor.TYPE_UINT32,
    FieldDescriptor.TYPE_SINT32,
    FieldDescriptor.TYPE_FIXED32,
    FieldDescriptor.TYPE_SFIXED32,
}
_NUMBER = {FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT}

_INT64_SCHEMA: Schema = {
    "anyOf": [{"type": "string"}, {"type": "integer"}],
    "description": "64-bit integer: a decimal string on the wire (numbers are also accepted).",
}

# Special JSON forms of the well-known types (proto3 JSON mapping table).
_WELL_KNOWN: dict[str, Schema] = {
    "google.protobuf.Struct": {"additionalProperties": True, "type": "object"},
    "google.protobuf.Any": {
        "additionalProperties": True,
        "description": 'A message of any type, named by its "@type" URL.',
        "type": "object",
    },
    "google.protobuf.Value": {"description": "Any JSON value."},
    "google.protobuf.ListValue": {"items": {}, "type": "array"},
    "google.protobuf.Timestamp": {"description": "RFC 3339 timestamp.", "type": "string"},
    "google.protobuf.Duration": {"description": 'Duration such as "3.5s".', "type": "string"},
    "google.protobuf.FieldMask": {"description": "Comma-separated field paths.", "type": "string"},
    "google.protobuf.Empty": {"type": "object"},
    "google.protobuf.BoolValue": {"type": "boolean"},
    "google.protobuf.StringValue": {"type": "string"},
    "google.protobuf.BytesValue": {"type": "string"},
    "google.protobuf.Int32Value": {"type": "integer"},
    "google.protobuf.UInt32Value": {"type": "integer"},
    "google.protobuf.Int64Value": _INT64_SCHEMA,
    "google.protobuf.UInt64Value": _INT64_SCHEMA,
    "google.protobuf.FloatValue": {"type": "number"},
    "google.protobuf.DoubleValue": {"type": "number"},
}


def def_name(message: Descriptor) -> str:
    """Definition name of a message: its nesting path joined.

    ``GenerateContentResponse.UsageMetadata`` becomes
    ``GenerateContentResponseUsageMetadata``. Nested messages always carry the
    parent's name (short names collide, e.g. ``Candidate`` and
    ``LogprobsResult.Candidate``), and the rule never renames an existing
    class when the vendor adds a new message elsewhere.
    """
    package: str = message.file.package
    full_name: str = message.full_name
    return full_name.removeprefix(package + ".").replace(".", "")


class _Walker:
    def __init__(self) -> None:
        self.defs: dict[str, Schema] = {}
        self.owner: dict[str, str] = {}  # def name -> full proto name (collision guard)

    def message_ref(self, message: Descriptor) -> Schema:
        if message.full_name in _WELL_KNOWN:
            return dict(_WELL_KNOWN[message.full_name])
        if message.full_name.startswith("google.protobuf."):
            raise ValueError(f"unmapped well-known type {message.full_name}")
        name = def_name(message)
        known = self.owner.get(name)
        if known is None:
            self.owner[name] = message.full_name
            self.defs[name] = {}  # placeholder first: messages can be recursive
            self.defs[name] = self.message(message)
        elif known != message.full_name:
            raise ValueError(f"{known} and {message.full_name} both map to {name}")
        return ref_to(name)

    def scalar(self, field: FieldDescriptor) -> Schema:
        kind = field.type
        if field.message_type is not None:
            return self.message_ref(field.message_type)
        if field.enum_type is not None:
            return {"enum": [v.name for v in field.enum_type.values], "type": "string"}
        if kind in _INT64:
            return dict(_INT64_SCHEMA)
        if kind in _INTEGER:
            return {"type": "integer"}
        if kind in _NUMBER:
            return {"type": "number"}
        if kind == FieldDescriptor.TYPE_BOOL:
            return {"type": "boolean"}
        if kind == FieldDescriptor.TYPE_STRING:
            return {"type": "string"}
        if kind == FieldDescriptor.TYPE_BYTES:
            return {"description": "Base64-encoded bytes.", "type": "string"}
        raise ValueError(f"{field.full_name}: unsupported field type {kind}")

    def field(self, field: FieldDescriptor) -> Schema:
        entry = field.message_type
        if entry is not None and entry.GetOptions().map_entry:
            return {
                "additionalProperties": self.scalar(entry.fields_by_name["value"]),
                "type": "object",
            }
        item = self.scalar(field)
        if field.is_repeated:
            return {"items": item, "type": "array"}
        return item

    def message(self, message: Descriptor) -> Schema:
        props = {f.json_name: self.field(f) for f in message.fields}
        schema: Schema = {"properties": props, "type": "object"}
        groups = [
            f"`{o.name}`: " + ", ".join(f"`{f.json_name}`" for f in o.fields)
            for o in message.oneofs
            if not o.name.startswith("_")  # proto3 `optional` makes synthetic oneofs
        ]
        if groups:
            schema["description"] = (
                f"Proto message {message.full_name}. Oneof groups (set at most one "
                "field of each): " + "; ".join(groups) + "."
            )
        else:
            schema["description"] = f"Proto message {message.full_name}."
        return schema


def _error_envelope(descriptor: Descriptor, root: str) -> Schema:
    # Google's REST errors are {"error": Status} where the Status also carries
    # the code's name as "status" (added by the overlay: the proto has no field).
    walker = _Walker()
    walker.message_ref(descriptor)
    return {
        "$defs": dict(sorted(walker.defs.items())),
        "description": "Error body returned by Google APIs with a non-2xx status.",
        "properties": {"error": ref_to(def_name(descriptor))},
        "required": ["error"],
        "title": root,
        "type": "object",
    }


def extract(source: SpecSource) -> Schema:
    """Return the JSON Schema of one proto-plus message class (REST JSON form), or
    of Google's error envelope around a plain protobuf message (``proto_error``)."""
    cls: Any = load_symbol(source.symbol)
    descriptor: Descriptor = cls.pb().DESCRIPTOR if hasattr(cls, "pb") else cls.DESCRIPTOR
    if source.method == "proto_error":
        return _error_envelope(descriptor, source.root)
    walker = _Walker()
    walker.message_ref(descriptor)
    root_name = def_name(descriptor)
    root = walker.defs.pop(root_name)
    if any(ref == ref_to(root_name) for ref in _refs(walker.defs)):
        raise ValueError(f"{descriptor.full_name} is recursive; cannot inline it as the root")
    return {"$defs": dict(sorted(walker.defs.items())), **root, "title": source.root}


def _refs(defs: dict[str, Schema]) -> list[Schema]:
    return [node for d in defs.values() for node in walk(d) if "$ref" in node]
