"""Responses input items -> canonical messages (the way back: :mod:`.turns`).

Decoding works on the request's JSON after the generated wire model has
validated it (the item union is too loose to dispatch on the parsed models):
one canonical turn per user, system or developer message; consecutive
assistant-side items (an output message, reasoning, function calls, hosted
tool calls) joined into one assistant turn, and consecutive
``function_call_output`` items into one tool turn, so other protocols see
the calls and their results the way they need them. Item ids (``msg_``,
``fc_``, ``rs_``) and other item fields are kept on the parts, so the items
go back to a Responses upstream as they came. Items with no canonical
meaning (hosted tool calls, their outputs, item references) are opaque parts
(:class:`lip.canonical.OpaquePart`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

from lip.canonical import (
    FilePart,
    ImagePart,
    InvalidRequestError,
    JSONValue,
    Message,
    OpaquePart,
    Part,
    ProviderState,
    ReasoningPart,
    RefusalPart,
    TextPart,
    ToolCallPart,
    ToolResultContent,
    ToolResultPart,
)
from lip.protocols.openai_responses.carry import (
    ITEM,
    ITEM_TURN,
    MEMBER,
    PROTOCOL,
    RESULT_PARTS,
    STRING_CONTENT,
    extra,
    flat_name,
    wrap,
)

__all__ = ["decode_items", "part_of"]

Item = dict[str, Any]

_DATA_URL = re.compile(r"^data:(?P<type>[\w.+-]+/[\w.+-]+);base64,(?P<data>.*)$", re.DOTALL)
_MESSAGE = frozenset({"role", "content"})
_CALL = frozenset({"type", "call_id", "name", "arguments"})
_OUTPUT = frozenset({"type", "call_id", "output"})
_REASONING = frozenset({"type", "summary", "encrypted_content"})
_TEXT = frozenset({"type", "text"})
_USER_SIDE = frozenset({"item_reference", "mcp_approval_response", "additional_tools"})
"""Item types that are the client's side of the conversation (so are ``*_output``)."""
_ROLES = ("assistant", "system", "developer", "user")
_NUMBER = "lip:number"
"""Key in an :data:`ITEM` marker: the item's position, so two output messages
with the same fields stay two items."""


# -- decoding: items -> messages


def _image(part: Item) -> ImagePart | OpaquePart:
    url = part.get("image_url")
    if not isinstance(url, str):
        return OpaquePart(origin=PROTOCOL, block=part)  # by file id
    fields = extra(part, frozenset({"type", "image_url", "detail"}))
    detail = part.get("detail")
    found = _DATA_URL.match(url)
    if found:
        return ImagePart(
            data=found["data"], media_type=found["type"], detail=detail, extensions=wrap(fields)
        )
    return ImagePart(url=url, detail=detail, extensions=wrap(fields))


def _file(part: Item) -> FilePart:
    fields = extra(part, frozenset({"type", "file_data", "file_id", "file_url", "filename"}))
    data, media_type = part.get("file_data"), None
    if isinstance(data, str) and (found := _DATA_URL.match(data)):
        data, media_type = found["data"], found["type"]
    try:
        return FilePart(
            data=data,
            file_id=part.get("file_id"),
            url=part.get("file_url"),
            filename=part.get("filename"),
            media_type=media_type,
            extensions=wrap(fields),
        )
    except ValueError:
        raise InvalidRequestError(
            "An input_file needs one of 'file_data', 'file_id' or 'file_url'.",
            param="input",
            code="invalid_value",
        ) from None


def part_of(part: Item, item: Mapping[str, JSONValue] | None = None) -> Part:
    """One content part; ``item``: the fields of the output message it came in."""
    kind = part.get("type")
    if kind in ("input_text", "output_text"):
        fields = extra(part, _TEXT)
        if item is not None:
            fields[ITEM] = dict(item)
        return TextPart(text=part["text"], extensions=wrap(fields))
    if kind == "refusal":
        fields = extra(part, frozenset({"type", "refusal"}))
        if item is not None:
            fields[ITEM] = dict(item)
        return RefusalPart(text=part["refusal"], extensions=wrap(fields))
    if kind == "input_image":
        return _image(part)
    if kind == "input_file":
        return _file(part)
    return OpaquePart(origin=PROTOCOL, block=part)


def _content(item: Item, fields: dict[str, JSONValue] | None) -> tuple[Part, ...]:
    """``fields``: the item's own fields when it is an assistant's (kept on each part)."""
    content = item["content"]
    if isinstance(content, str):
        if fields is None:
            return (TextPart(text=content),)
        return (TextPart(text=content, extensions=wrap({ITEM: {**fields, STRING_CONTENT: True}})),)
    return tuple(part_of(p, fields) for p in content)


def _reasoning(item: Item) -> ReasoningPart:
    texts = [
        p.get("text", "") for p in item.get("content") or () if p.get("type") == "reasoning_text"
    ]
    handled = _REASONING | {"id"}
    if len(texts) == len(item.get("content") or ()):
        handled |= {"content"}
    return ReasoningPart(
        text="\n".join(texts),
        summary=tuple(s.get("text", "") for s in item.get("summary") or ()),
        state=ProviderState(
            origin=PROTOCOL, encrypted=item.get("encrypted_content"), item_id=item.get("id")
        ),
        extensions=wrap(extra(item, handled)),
    )


def _call(item: Item) -> ToolCallPart:
    fields = extra(item, _CALL | {"id"})
    name, namespace = item["name"], item.get("namespace")
    if isinstance(namespace, str):
        fields[MEMBER] = name
        name = flat_name(namespace, name)
    return ToolCallPart(
        id=item["call_id"],
        name=name,
        arguments=item["arguments"],
        state=ProviderState(origin=PROTOCOL, item_id=item.get("id")),
        extensions=wrap(fields),
    )


def _result(item: Item) -> ToolResultPart:
    output = item["output"]
    fields = extra(item, _OUTPUT)
    content: tuple[ToolResultContent, ...]
    if isinstance(output, str):
        content = (TextPart(text=output),) if output else ()
    else:
        fields[RESULT_PARTS] = True
        content = tuple(cast(ToolResultContent, part_of(p)) for p in output)
    return ToolResultPart(call_id=item["call_id"], content=content, extensions=wrap(fields))


def _kind(item: Item) -> str:
    """The item's type; an item without one is a message, or a reference by ``id``."""
    kind = item.get("type")
    if kind is None:
        return "message" if "role" in item else "item_reference"
    return str(kind)


def _side(item: Item) -> str:
    kind = _kind(item)
    if kind == "message":
        return "assistant" if item.get("role") == "assistant" else "user"
    if kind == "function_call_output":
        # Without a call_id (the API takes one by item id) it has no canonical form.
        return "tool" if isinstance(item.get("call_id"), str) else "user"
    if kind.endswith("_output") or kind in _USER_SIDE:
        return "user"
    return "assistant"


def decode_items(items: Sequence[Item]) -> list[Message]:
    """The input items as canonical turns (see the module docstring)."""
    turns: list[Message] = []
    pending: list[Part] = []
    side = ""

    def flush() -> None:
        if pending:
            turns.append(
                Message(role="tool" if side == "tool" else "assistant", parts=tuple(pending))
            )
            pending.clear()

    for number, item in enumerate(items):
        kind = _kind(item)
        now = _side(item)
        if now != side or now == "user":
            flush()
            side = now
        if kind == "message" and item["role"] not in _ROLES:
            raise InvalidRequestError(
                f"Invalid value: '{item['role']}'. Supported values are: 'assistant', 'system',"
                " 'developer', and 'user'.",
                param=f"input[{number}].role",
                code="invalid_value",
            )
        if kind == "message" and now == "user":
            fields = extra(item, _MESSAGE)
            parts = _content(item, None)
            if isinstance(item["content"], str):
                fields[STRING_CONTENT] = True
            turns.append(Message(role=item["role"], parts=parts, extensions=wrap(fields)))
        elif now == "user":
            opaque = OpaquePart(origin=PROTOCOL, block=item)
            turns.append(Message(role="user", parts=(opaque,), extensions=wrap({ITEM_TURN: True})))
        elif kind == "message":
            pending.extend(_content(item, {**extra(item, _MESSAGE), _NUMBER: number}))
        elif kind == "reasoning":
            pending.append(_reasoning(item))
        elif kind == "function_call":
            pending.append(_call(item))
        elif kind == "function_call_output":
            pending.append(_result(item))
        else:
            pending.append(OpaquePart(origin=PROTOCOL, block=item))
    flush()
    return turns
