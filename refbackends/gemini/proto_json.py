"""Reading a request body the way the API's proto3 JSON parser does.

The generated wire models (``lip_wire.gemini``, walked from the
``google.ai.generativelanguage.v1beta`` descriptors) accept unknown fields,
as wire models must; the API does not. :func:`read_request` and
:func:`read_count_request` walk a body against those models and collect
every problem the API's parser reports, each with its proto path
(``tools[0].function_declarations[1].parameters.properties[2].value``: snake
case names, indexes, map entries by position):

- an unknown name (``Invalid JSON payload received. Unknown name "foo" at
  'contents[0]': Cannot find field.``); both the JSON name (``maxOutputTokens``)
  and the proto name (``max_output_tokens``) are known, as in proto3 JSON
  (the Python SDK sends ``thinkingConfig`` and ``parameters_json_schema``
  fields in snake case);
- a list where one value belongs (``Proto field is not repeating, cannot
  start list.``);
- a value of the wrong type (``Invalid value at 'generation_config.temperature'
  (TYPE_FLOAT), "hot"``), bytes that are not base64, a ``Struct`` that is
  not an object (``functionResponse.response``);
- two members of one oneof (a part with both ``text`` and ``functionCall``);
- an enum name the API does not know, for the enums whose values decide
  behaviour: ``Schema.type`` (matched case-insensitively, as the API does:
  ``object`` and ``OBJECT``), ``FunctionCallingConfig.mode`` and
  ``ThinkingConfig.thinkingLevel``. Other enums (harm categories,
  modalities) are open sets and pass.

Like the API, a repeated field also takes a single value (``"contents":
{"parts": {"text": "hi"}}``); the walk returns the body with such values
wrapped in lists, nulls dropped. A few fields the API accepts postdate the
pinned protos; :data:`NEWER_FIELDS` names them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from lip.canonical.json import JSONObject, JSONValue
from lip_wire.gemini import generate_content_request as w
from refbackends.gemini.errors import bad_request

__all__ = ["NEWER_FIELDS", "THINKING_LEVELS", "decode_bytes", "read_count_request", "read_request"]

_PACKAGE = "google.ai.generativelanguage.v1beta"
_MAX_DEPTH = 100
_ENUM_VALUE = re.compile(r"`([A-Z0-9_]+)`")
_ONEOF = re.compile(r"`(\w+)`: ((?:`\w+`(?:, )?)+)")
_INTEGER = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|-?Infinity|NaN")

_URL_SAFE = str.maketrans("-_", "+/")

THINKING_LEVELS = ("THINKING_LEVEL_UNSPECIFIED", "MINIMAL", "LOW", "MEDIUM", "HIGH")


@dataclass(frozen=True)
class _Scalar:
    type: str  # TYPE_STRING, TYPE_BOOL, TYPE_INT32, TYPE_INT64, TYPE_FLOAT, TYPE_BYTES


@dataclass(frozen=True)
class _Enum:
    name: str  # the enum's proto name inside the package
    values: frozenset[str]  # upper case; a value matches case-insensitively


@dataclass(frozen=True)
class _Message:
    model: type[BaseModel]


@dataclass(frozen=True)
class _Repeated:
    item: _Kind


@dataclass(frozen=True)
class _Map:
    value: _Kind


@dataclass(frozen=True)
class _Struct:
    """``google.protobuf.Struct``: any JSON object."""


@dataclass(frozen=True)
class _Value:
    """``google.protobuf.Value``: any JSON value."""


_Kind = _Scalar | _Enum | _Message | _Repeated | _Map | _Struct | _Value


@dataclass(frozen=True)
class _Field:
    name: str  # proto (snake case) name, used in paths
    json: str  # JSON (camel case) name
    kind: _Kind


# Fields the API accepts that google-ai-generativelanguage 0.12.1 predates,
# as the pinned google-genai SDK sends them: message -> JSON name -> kind.
NEWER_FIELDS: dict[str, dict[str, _Kind]] = {
    "ThinkingConfig": {
        "thinkingLevel": _Enum("ThinkingConfig.ThinkingLevel", frozenset(THINKING_LEVELS))
    },
    "Part": {
        "mediaResolution": _Value(),
        "toolCall": _Struct(),
        "toolResponse": _Struct(),
    },
    "ImageConfig": {"imageSize": _Scalar("TYPE_STRING")},
    "ToolConfig": {"includeServerSideToolInvocations": _Scalar("TYPE_BOOL")},
    "GenerateContentRequest": {"serviceTier": _Scalar("TYPE_STRING")},
}
# Enums whose values the emulator checks: (message, field) -> enum name.
_CHECKED_ENUMS = {
    ("Schema", "type"): "Type",
    ("FunctionCallingConfig", "mode"): "FunctionCallingConfig.Mode",
}

_Violation = tuple[str | None, str]


def read_request(body: JSONObject) -> JSONObject:
    """``body`` read as a ``GenerateContentRequest``; raises the API's 400
    listing every problem."""
    return _read(body, _fields(w.GenerateContentRequest))


def read_count_request(body: JSONObject) -> JSONObject:
    """``body`` read as a ``CountTokensRequest`` (``contents``, or a whole
    ``generateContentRequest``)."""
    return _read(body, _count_fields())


def _read(body: JSONObject, fields: Mapping[str, _Field]) -> JSONObject:
    walk = _Walk()
    read = walk.message(body, fields, "", None, 0)
    if walk.violations:
        raise bad_request(walk.violations)
    return read


@cache
def _count_fields() -> dict[str, _Field]:
    entries = [
        _Field("model", "model", _Scalar("TYPE_STRING")),
        _Field("contents", "contents", _Repeated(_Message(w.Content))),
        _Field(
            "generate_content_request",
            "generateContentRequest",
            _Message(w.GenerateContentRequest),
        ),
    ]
    return _by_both_names(entries)


class _Walk:
    """One walk over a body; problems collect in :attr:`violations`."""

    def __init__(self) -> None:
        self.violations: list[_Violation] = []

    def message(
        self,
        value: JSONObject,
        fields: Mapping[str, _Field],
        path: str,
        model: type[BaseModel] | None,
        depth: int,
    ) -> JSONObject:
        if depth > _MAX_DEPTH:
            self.violations.append((path, f"Invalid value at '{path}': message is too deep."))
            return value
        groups = _oneofs(model) if model is not None else {}
        chosen: dict[str, str] = {}
        read: JSONObject = {}
        for key, item in value.items():
            field = fields.get(key)
            if field is None:
                self._unknown(key, path, "Cannot find field.")
                continue
            if item is None:
                continue
            group = groups.get(field.json)
            if group is not None:
                if group in chosen:
                    self.violations.append(
                        (
                            path,
                            f"Invalid value at '{path}' (oneof), oneof field '{group}' is already "
                            f"set. Cannot set '{field.json}'",
                        )
                    )
                    continue
                chosen[group] = field.json
            if isinstance(item, list) and not isinstance(field.kind, _Repeated | _Value):
                self._unknown(key, path, "Proto field is not repeating, cannot start list.")
                continue
            read[key] = self.value(item, field.kind, _join(path, field.name), depth)
        return read

    def value(self, item: JSONValue, kind: _Kind, path: str, depth: int) -> JSONValue:
        match kind:
            case _Repeated(item=inner):
                items = item if isinstance(item, list) else [item]
                return [self.value(x, inner, f"{path}[{k}]", depth) for k, x in enumerate(items)]
            case _Map(value=inner):
                if not isinstance(item, dict):
                    self._invalid(path, "map", item)
                    return item
                return {
                    key: self.value(entry, inner, f"{path}[{k}].value", depth)
                    for k, (key, entry) in enumerate(item.items())
                }
            case _Message(model=model):
                if not isinstance(item, dict):
                    self._invalid(path, f"type.googleapis.com/{_proto_name(model)}", item)
                    return item
                return self.message(item, _fields(model), path, model, depth + 1)
            case _Struct():
                if not isinstance(item, dict):
                    self._invalid(path, "type.googleapis.com/google.protobuf.Struct", item)
            case _Value():
                pass
            case _Enum(name=name, values=values):
                if not (isinstance(item, str) and item.upper() in values):
                    self._invalid(path, f"type.googleapis.com/{_PACKAGE}.{name}", item)
            case _Scalar(type=scalar):
                if not _scalar_ok(scalar, item):
                    self._invalid(path, scalar, item)
        return item

    def _unknown(self, key: str, path: str, why: str) -> None:
        at = f" at '{path}'" if path else ""
        message = f'Invalid JSON payload received. Unknown name "{key}"{at}: {why}'
        self.violations.append((path or None, message))

    def _invalid(self, path: str, type_name: str, item: JSONValue) -> None:
        shown = json.dumps(item, ensure_ascii=False)
        self.violations.append((path, f"Invalid value at '{path}' ({type_name}), {shown}"))


def _scalar_ok(scalar: str, item: JSONValue) -> bool:
    match scalar:
        case "TYPE_STRING":
            return isinstance(item, str)
        case "TYPE_BOOL":
            return isinstance(item, bool)
        case "TYPE_INT32" | "TYPE_INT64":
            if isinstance(item, str):
                return _INTEGER.fullmatch(item) is not None
            if isinstance(item, float):
                return item.is_integer()
            return isinstance(item, int) and not isinstance(item, bool)
        case "TYPE_FLOAT":
            if isinstance(item, str):
                return _DECIMAL.fullmatch(item) is not None
            return isinstance(item, int | float) and not isinstance(item, bool)
        case "TYPE_BYTES":
            return isinstance(item, str) and decode_bytes(item) is not None
        case _:
            raise AssertionError(f"unknown scalar type {scalar}")


def decode_bytes(text: str) -> bytes | None:
    """Proto3 JSON bytes: standard or URL-safe base64, padding optional;
    None when ``text`` is neither."""
    padded = text + "=" * (-len(text) % 4)
    try:
        standard = padded.translate(_URL_SAFE).encode("ascii")
        return base64.b64decode(standard, validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None


@cache
def _fields(model: type[BaseModel]) -> dict[str, _Field]:
    """The fields of ``model`` by JSON name and by proto name."""
    owner = model.__name__
    entries = [
        _Field(
            name,
            info.alias or name,
            _kind_of(info.annotation, info.description, (owner, name)),
        )
        for name, info in model.model_fields.items()
    ]
    for json_name, kind in NEWER_FIELDS.get(owner, {}).items():
        entries.append(_Field(_snake(json_name), json_name, kind))
    return _by_both_names(entries)


def _by_both_names(entries: list[_Field]) -> dict[str, _Field]:
    table = {entry.json: entry for entry in entries}
    table.update({entry.name: entry for entry in entries})
    return table


def _kind_of(annotation: Any, description: str | None, where: tuple[str, str]) -> _Kind:
    options = [a for a in _union_members(annotation) if a is not type(None)]
    if set(options) == {str, int}:
        return _Scalar("TYPE_INT64")  # 64-bit integers: a decimal string or a number
    (single,) = options
    origin = get_origin(single)
    if origin is list:
        return _Repeated(_kind_of(get_args(single)[0], None, where))
    if origin is dict:
        value = get_args(single)[1]
        return _Struct() if value is Any else _Map(_kind_of(value, None, where))
    if single is Any:
        return _Value()
    if isinstance(single, type) and issubclass(single, BaseModel):
        return _Message(single)
    if single is str:
        enum = _CHECKED_ENUMS.get(where)
        if enum is not None:
            return _Enum(enum, frozenset(_ENUM_VALUE.findall(description or "")))
        if description is not None and description.startswith("Base64"):
            return _Scalar("TYPE_BYTES")
        return _Scalar("TYPE_STRING")
    scalars = {bool: "TYPE_BOOL", int: "TYPE_INT32", float: "TYPE_FLOAT"}
    return _Scalar(scalars[single])


def _union_members(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) in (Union, types.UnionType):
        return get_args(annotation)
    return (annotation,)


@cache
def _oneofs(model: type[BaseModel]) -> dict[str, str]:
    """JSON field name -> oneof group, from the model's docstring."""
    doc = model.__doc__ or ""
    _, _, groups = doc.partition("Oneof groups")
    return {
        member: group
        for group, members in _ONEOF.findall(groups)
        for member in re.findall(r"`(\w+)`", members)
    }


def _proto_name(model: type[BaseModel]) -> str:
    found = re.search(r"Proto message ([\w.]+?)\.?\s", model.__doc__ or "")
    return found.group(1) if found else f"{_PACKAGE}.{model.__name__}"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
