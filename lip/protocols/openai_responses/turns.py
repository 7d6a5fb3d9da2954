"""Canonical turns -> Responses input items (the encode half of :mod:`.items`).

An assistant turn's text and refusal parts that came in one output
``message`` item go back as that item (its id and fields kept on the
parts); parts from other protocols form one assistant message. Reasoning
goes back only as the Responses item it came as; tool calls as
``function_call`` items with their ``fc_`` ids; tool turns as
``function_call_output`` items; opaque blocks of this protocol as they came.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, cast

from lip.canonical import (
    FilePart,
    ImagePart,
    InvalidRequestError,
    JSONValue,
    Message,
    OpaquePart,
    Part,
    ReasoningPart,
    RefusalPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
    foreign_block,
    sendable,
    state_for,
)
from lip.protocols.openai_responses.carry import (
    ITEM,
    ITEM_TURN,
    MEMBER,
    PROTOCOL,
    RESULT_PARTS,
    STRING_CONTENT,
    own,
)

__all__ = ["encode_items"]

Item = dict[str, Any]


def _data_url(media_type: str | None, data: str) -> str:
    return f"data:{media_type or 'application/octet-stream'};base64,{data}"


def _input_part(part: Part) -> dict[str, JSONValue]:
    match part:
        case TextPart(text=text):
            body: dict[str, JSONValue] = {"type": "input_text", "text": text}
        case ImagePart():
            url = part.url or _data_url(part.media_type, part.data or "")
            body = {"type": "input_image", "image_url": url, "detail": part.detail or "auto"}
        case FilePart():
            body = {"type": "input_file"}
            if part.data is not None:
                body["file_data"] = _data_url(part.media_type, part.data)
            if part.file_id is not None:
                body["file_id"] = part.file_id
            if part.url is not None:
                body["file_url"] = part.url
            if part.text is not None:  # a plain-text document: its text
                return {"type": "input_text", "text": part.text}
            if part.filename is not None:
                body["filename"] = part.filename
        case OpaquePart():
            if part.origin != PROTOCOL:
                raise foreign_block(part, "an OpenAI Responses upstream")
            return dict(part.block)
        case _:
            raise InvalidRequestError(
                f"An OpenAI Responses upstream does not take {type(part).__name__} input here.",
                param="input",
                code="unsupported_value",
            )
    body.update({k: v for k, v in own(part.extensions).items() if not k.startswith("lip:")})
    return body


def _user(message: Message) -> Item:
    fields = own(message.extensions)
    if fields.get(ITEM_TURN) and len(message.parts) == 1:
        (part,) = message.parts
        if isinstance(part, OpaquePart) and part.origin == PROTOCOL:
            return dict(part.block)
    string = bool(fields.pop(STRING_CONTENT, False))
    fields = {k: v for k, v in fields.items() if not k.startswith("lip:")}
    plain = all(isinstance(p, TextPart) and not own(p.extensions) for p in message.parts)
    content: JSONValue
    if string and plain and len(message.parts) == 1:
        content = cast(TextPart, message.parts[0]).text
    else:
        content = [_input_part(p) for p in message.parts]
    return {"role": message.role, "content": content, **fields}


def _output_part(part: TextPart | RefusalPart) -> dict[str, JSONValue]:
    fields = {k: v for k, v in own(part.extensions).items() if not k.startswith("lip:")}
    if isinstance(part, RefusalPart):
        return {"type": "refusal", "refusal": part.text, **fields}
    return {"type": "output_text", "text": part.text, "annotations": [], **fields}


def _assistant(message: Message) -> Iterator[Item]:
    group: list[TextPart | RefusalPart] = []
    item: dict[str, JSONValue] | None = None

    def close() -> Iterator[Item]:
        if not group:
            return
        fields = {k: v for k, v in (item or {}).items() if not k.startswith("lip:")}
        if (item or {}).get(STRING_CONTENT) and len(group) == 1:
            yield {"role": "assistant", "content": group[0].text, **fields}
        elif item is None:
            yield {"role": "assistant", "content": "".join(p.text for p in group)}
        elif "id" in fields:  # an output message
            yield {"role": "assistant", "content": [_output_part(p) for p in group], **fields}
        else:  # an easy input message: its parts are input parts
            yield {"role": "assistant", "content": [_input_part(p) for p in group], **fields}
        group.clear()

    for part in sendable(message.parts, PROTOCOL, assistant=True):
        if isinstance(part, TextPart | RefusalPart):
            mine = own(part.extensions).get(ITEM)
            this = mine if isinstance(mine, dict) else None
            if group and this != item:
                yield from close()
            item = this
            group.append(part)
            continue
        yield from close()
        item = None
        if isinstance(part, ReasoningPart):
            reasoning = _reasoning_item(part)
            if reasoning is not None:
                yield reasoning
        elif isinstance(part, ToolCallPart):
            yield _call_item(part)
        elif isinstance(part, OpaquePart):
            yield dict(part.block)
        else:
            raise InvalidRequestError(
                f"An assistant turn holds {type(part).__name__}, which has no Responses item.",
                param="input",
                code="unsupported_value",
            )
    yield from close()


def _reasoning_item(part: ReasoningPart) -> Item | None:
    """Reasoning goes back only as the Responses item it came as (its id and
    encrypted content are the API's own)."""
    state = state_for(part.state, PROTOCOL)
    if state is None or state.item_id is None:
        return None
    body: Item = {"type": "reasoning", "id": state.item_id}
    body["summary"] = [{"type": "summary_text", "text": s} for s in part.summary]
    if part.text:
        body["content"] = [{"type": "reasoning_text", "text": part.text}]
    if state.encrypted is not None:
        body["encrypted_content"] = state.encrypted
    body.update(own(part.extensions))
    return body


def _call_item(part: ToolCallPart) -> Item:
    body: Item = {"type": "function_call"}
    state = state_for(part.state, PROTOCOL)
    if state is not None and state.item_id is not None:
        body["id"] = state.item_id
    fields = own(part.extensions)
    member = fields.pop(MEMBER, None)
    name = member if isinstance(member, str) else part.name
    body.update(call_id=part.id, name=name, arguments=part.arguments)
    body.update(fields)
    return body


def _results(message: Message) -> Iterator[Item]:
    for part in message.parts:
        if not isinstance(part, ToolResultPart):
            continue
        fields = own(part.extensions)
        as_parts = bool(fields.pop(RESULT_PARTS, False))
        output: JSONValue
        if as_parts or any(not isinstance(p, TextPart) for p in part.content):
            output = [_input_part(p) for p in part.content]
        else:
            output = "".join(p.text for p in part.content if isinstance(p, TextPart))
        yield {"type": "function_call_output", "call_id": part.call_id, "output": output, **fields}


def encode_items(messages: Sequence[Message]) -> list[Item]:
    """Canonical turns as input items (the call's instructions are not among them)."""
    items: list[Item] = []
    for message in messages:
        if message.role == "assistant":
            items.extend(_assistant(message))
        elif message.role == "tool":
            items.extend(_results(message))
        else:
            items.append(_user(message))
    return items
