"""Validating the ``input`` items of a request the way the API does.

``input`` is a plain (untagged) union of some thirty item models in the
generated request model, so validating the list as a whole yields one error
per member. Each item is instead dispatched on its ``type`` (an item with a
``role`` and no ``type`` is a message) and validated, strictly, against that
type's own generated model: the table is read from the model, so a pin bump
that adds an item type adds it here. Errors name the item's field
(``input[2].call_id``) in the API's words (:func:`.invalid_request.wire_error`).

On top of the models, the API's rules no schema carries:

- keys a model does not name are ``Unknown parameter: 'input[0].foo'.``;
- ids sent back keep their prefixes: ``fc`` for function calls, ``msg`` for
  messages, ``rs`` for reasoning (``Expected an ID that begins with 'fc'.``);
- an assistant message's content parts are ``output_text`` or ``refusal``;
- ``function_call_output`` needs its ``call_id``;
- a reasoning item's ``encrypted_content`` must be one the API minted; a
  reasoning item without it is a reference to a stored item by ``id``, and
  so is an ``item_reference``.

Tolerated, because the API accepts what Codex CLI sends although the SDK
types require more: an assistant message without ``id``/``status`` and
``output_text`` parts without ``annotations``; a reasoning item without an
``id`` when it carries its ``encrypted_content``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from lip.canonical.json import JSONObject, JSONValue
from lip_wire.openai import responses_request as w
from refbackends.openai_chat.invalid_request import invalid_value, wire_error
from refbackends.openai_responses.errors import (
    OpenAIError,
    item_not_found,
    unverified_encrypted_content,
)
from refbackends.openai_responses.store import ResponseStore

__all__ = ["ITEM_TYPES", "check_items", "unknown_parameter"]


def _literals(annotation: object) -> list[str]:
    if get_origin(annotation) is Literal:
        return [value for value in get_args(annotation) if isinstance(value, str)]
    return [value for arg in get_args(annotation) for value in _literals(arg)]


def _item_models() -> dict[str, tuple[type[BaseModel], ...]]:
    """Item ``type`` -> the generated models of that type, in the union's order."""
    annotation = w.ResponsesRequest.model_fields["input"].annotation
    listed = next(arg for arg in get_args(annotation) if get_origin(arg) is list)
    table: dict[str, tuple[type[BaseModel], ...]] = {}
    for model in get_args(get_args(listed)[0]):
        field = model.model_fields.get("type")
        for value in _literals(field.annotation) if field is not None else ():
            table[value] = (*table.get(value, ()), model)
    return table


_MODELS = _item_models()
ITEM_TYPES: tuple[str, ...] = tuple(_MODELS)
"""Every item ``type`` the API accepts in ``input``, in the SDK's order."""

_ROLES = ("assistant", "system", "developer", "user")
_PREFIXES = {"function_call": "fc", "message": "msg", "reasoning": "rs"}
# Placeholders for the fields the API lets a client leave out (see the
# module docstring); they only let the model check everything else.
_SOME_ID = {"message": "msg_0", "reasoning": "rs_0"}


def _names(models: Sequence[type[BaseModel]]) -> frozenset[str]:
    return frozenset(
        field.alias or name for model in models for name, field in model.model_fields.items()
    )


_KNOWN_KEYS = {kind: _names(models) for kind, models in _MODELS.items()}


class _Typed(BaseModel):
    """Any item: only its ``type`` is checked (a string)."""

    model_config = ConfigDict(extra="allow")
    type: str


def unknown_parameter(param: str) -> OpenAIError:
    """``Unknown parameter: 'x'.``"""
    return OpenAIError(400, f"Unknown parameter: '{param}'.", param=param, code="unknown_parameter")


def check_items(items: Sequence[JSONValue], store: ResponseStore) -> list[JSONObject]:
    """Validate every item or raise the API's :class:`OpenAIError`; returns
    the items with each ``item_reference`` replaced by the stored item."""
    return [_check_item(i, item, store) for i, item in enumerate(items)]


def _check_item(i: int, item: JSONValue, store: ResponseStore) -> JSONObject:
    if not isinstance(item, dict):
        _validate(w.EasyInputMessageParam, i, item)  # raises: not an object
        raise AssertionError("an item that is not an object passed the model")
    kind = item.get("type")
    if kind is None:
        if "role" in item:
            kind = "message"
        elif "id" in item:
            kind = "item_reference"
        else:
            raise OpenAIError(
                400,
                f"Missing required parameter: 'input[{i}].type'.",
                param=f"input[{i}].type",
                code="missing_required_parameter",
            )
    if not isinstance(kind, str):
        _validate(_Typed, i, item)  # raises: the type is not a string
        raise AssertionError("an item type that is not a string passed the model")
    if kind not in _MODELS:
        raise invalid_value(f"input[{i}].type", kind, ITEM_TYPES)
    for key in item:
        if key not in _KNOWN_KEYS[kind]:
            raise unknown_parameter(f"input[{i}].{key}")
    match kind:
        case "message":
            _check_message(i, item)
        case "reasoning":
            encrypted = item.get("encrypted_content")
            missing_id = "id" not in item and encrypted is not None
            filled = {**item, "id": _SOME_ID["reasoning"]} if missing_id else item
            _validate(w.ResponseReasoningItemParam, i, filled)
        case "item_reference":
            _validate(w.ItemReference, i, item)
            return _referenced(i, item, store)
        case _:
            _validate(_MODELS[kind][0], i, item)
            if kind == "function_call_output" and item.get("call_id") is None:
                raise OpenAIError(
                    400,
                    f"Missing required parameter: 'input[{i}].call_id'.",
                    param=f"input[{i}].call_id",
                    code="missing_required_parameter",
                )
    _check_prefix(i, kind, item)
    if kind == "reasoning":
        _check_reasoning_state(i, item, store)
    return item


def _check_message(i: int, item: JSONObject) -> None:
    role = item.get("role")
    if isinstance(role, str) and role not in _ROLES:
        raise invalid_value(f"input[{i}].role", role, _ROLES)
    content = item.get("content")
    if role != "assistant" or not isinstance(content, list):
        _validate(w.EasyInputMessageParam, i, item)
        return
    parts = [
        {"annotations": [], **part}
        if isinstance(part, dict) and part.get("type") == "output_text"
        else part
        for part in content
    ]
    filled = {"id": _SOME_ID["message"], "status": "completed", **item, "content": parts}
    _validate(w.ResponseOutputMessageParam, i, {**filled, "type": "message"})


def _check_reasoning_state(i: int, item: JSONObject, store: ResponseStore) -> None:
    """Minted encrypted content, or the id of a stored reasoning item."""
    encrypted = item.get("encrypted_content")
    if encrypted is not None:
        if not store.minted(encrypted):
            raise unverified_encrypted_content(str(encrypted))
        return
    item_id = str(item["id"])
    stored = store.find_item(item_id)
    if stored is None or stored.get("type") != "reasoning":
        raise item_not_found(item_id, i)


def _referenced(i: int, item: JSONObject, store: ResponseStore) -> JSONObject:
    item_id = str(item["id"])
    stored = store.find_item(item_id)
    if stored is None:
        raise item_not_found(item_id, i)
    return stored


def _check_prefix(i: int, kind: str, item: JSONObject) -> None:
    prefix = _PREFIXES.get(kind)
    item_id = item.get("id")
    if prefix is None or not isinstance(item_id, str) or item_id.startswith(prefix):
        return
    raise OpenAIError(
        400,
        f"Invalid 'input[{i}].id': '{item_id}'. Expected an ID that begins with '{prefix}'.",
        param=f"input[{i}].id",
        code="invalid_value",
    )


def _validate(model: type[BaseModel], i: int, item: JSONValue) -> None:
    """Validate ``item`` (strictly) as ``input[i]`` of type ``model``."""
    body = {"input": [*([None] * i), item]}
    try:
        _adapter(model).validate_json(json.dumps(body), strict=True)
    except ValidationError as exc:
        raise wire_error(exc, body) from None


@cache
def _adapter(model: type[BaseModel]) -> TypeAdapter[Any]:
    """Validates ``{"input": [None, ..., item]}`` so errors are located as in the request."""
    return TypeAdapter(dict[str, list[model | None]])  # type: ignore[valid-type]
