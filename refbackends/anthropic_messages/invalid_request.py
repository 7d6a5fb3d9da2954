"""The API's 400s for bodies the generated wire model rejects.

The API words validation errors as ``<location>: <problem>``, locations
dotted and carrying the content-block or tool tag but not the message role:
``max_tokens: Field required``,
``messages.1.content.0.thinking.signature: Field required``,
``tools.0.custom.input_schema: Field required``. :func:`wire_error` is the
one mapping from a :class:`pydantic.ValidationError` of
``MessageCreateRequest`` to that message: it walks each error's location
through the body (reading a word that is both a key and a union marker
the way that reaches the value pydantic says failed), keeps the tags the
client wrote, drops pydantic's union markers (``str``, ``list[...]``), and
of a plain union's members keeps the one the input names (a tool's
``type``) or got furthest into.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from lip_wire.anthropic import message_create_request as w
from refbackends.anthropic_messages.errors import AnthropicError, invalid_request
from refbackends.locations import child, read_location

__all__ = ["wire_error"]


def _literal_tags(annotation: object) -> list[str]:
    """The string literals inside an annotation (``Literal["custom"] | None``)."""
    if typing.get_origin(annotation) is typing.Literal:
        return [arg for arg in typing.get_args(annotation) if isinstance(arg, str)]
    return [tag for arg in typing.get_args(annotation) for tag in _literal_tags(arg)]


def _union_members(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [cls for arg in typing.get_args(annotation) for cls in _union_members(arg)]


# Member class name -> (its ``type`` tag, whether ``type`` may be left out),
# for the plain (not discriminated) union of the request: the tools. Members
# whose ``type`` is an open string have no tag and are never preferred.
_MEMBER_TAGS: dict[str, tuple[str, bool]] = {
    cls.__name__: (tags[0], not cls.model_fields["type"].is_required())
    for cls in _union_members(w.MessageCreateRequest.model_fields["tools"].annotation)
    if (tags := _literal_tags(cls.model_fields["type"].annotation))
}


@dataclass(frozen=True)
class _Problem:
    error: ErrorDetails
    where: str  # ``messages.0.content.0.text.text``; "" for the body itself
    depth: int  # how far into the body the location got
    chosen: bool  # False when it lies in a union member the input does not name


def wire_error(exc: ValidationError, body: object) -> AnthropicError:
    """The API's 400 for the first problem pydantic found in ``body``."""
    problems = [_place(error, body) for error in exc.errors(include_url=False)]
    candidates = [p for p in problems if p.chosen] or problems
    deepest = max(p.depth for p in candidates)
    best = next(p for p in candidates if p.depth == deepest)
    error, where = best.error, best.where
    ctx = error.get("ctx", {})
    message = error["msg"]
    if error["type"] == "union_tag_invalid":
        discriminator = str(ctx.get("discriminator", "type")).strip("'")
        where = f"{where}.{discriminator}" if where else discriminator
        message = f"Input should be {_or_list(str(ctx.get('expected_tags', '')))}"
    elif error["type"] == "union_tag_not_found":
        discriminator = str(ctx.get("discriminator", "type")).strip("'")
        where = f"{where}.{discriminator}" if where else discriminator
        message = "Field required"
    elif error["type"] == "model_attributes_type" and not where:
        message = "Input should be a valid dictionary"
    return invalid_request(f"{where}: {message}" if where else message)


def _or_list(quoted: str) -> str:
    """``'a', 'b', 'c'`` -> ``'a', 'b' or 'c'`` (pydantic's literal wording)."""
    items = [item.strip() for item in quoted.split(",") if item.strip()]
    if len(items) < 2:
        return quoted
    return f"{', '.join(items[:-1])} or {items[-1]}"


def _place(error: ErrorDetails, body: object) -> _Problem:
    """Walk the error's location through ``body``: keys and indexes name the
    client's fields, and of pydantic's union markers in between only the
    tags the API writes are kept."""
    loc = error["loc"]
    # A marker can also be a key of its object (a block names its payload
    # after its tag, {"type": "text", "text": ...}; a stray "user" beside
    # "role": "user"), so a location can read more than one way; the right
    # reading is the one that reaches the value pydantic reports as the input.
    steps = read_location(body, error, _is_tag)
    node, parts, depth, chosen = body, [], 0, True
    for item, step in zip(loc, steps, strict=True):
        if step:
            parts.append(str(item))
            node = child(node, item)
            depth += 1
        elif isinstance(node, dict) and node.get("type") == item:
            parts.append(str(item))  # a content-block tag the client wrote: kept
        elif isinstance(node, dict) and item in _MEMBER_TAGS:
            tag, optional = _MEMBER_TAGS[str(item)]
            given = node.get("type")
            if given == tag or (given is None and optional):
                parts.append(tag)
            else:
                chosen = False
        # else: the message role (the API leaves it out) or a plain union
        # marker (``str``, ``list[...]``): not a location
    return _Problem(error, ".".join(parts), depth, chosen)


def _is_tag(node: object, item: int | str) -> bool:
    return isinstance(node, dict) and node.get("type") == item
