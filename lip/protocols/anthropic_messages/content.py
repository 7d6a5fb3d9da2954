"""Anthropic content blocks <-> canonical parts, both directions.

Decoding keeps what the canonical model has no field for in each part's
extensions (``citations`` config on a document, an explicit ``is_error:
false``); thinking keeps its signature, redacted thinking its data, as
provider state of this protocol. Encoding sends thinking back only with an
Anthropic signature (the API checks it), never empty text blocks (the API
refuses them), and refuses audio before network. Blocks with no canonical
meaning (server-tool calls and results in history, search results, images by
file id, documents of content blocks) are opaque parts, sent back as they
came to Anthropic upstreams only (:mod:`lip.canonical.opaque`).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, assert_never

from pydantic import BaseModel

from lip.canonical import (
    AudioPart,
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
    foreign_block,
    sendable,
    state_for,
)
from lip.protocols.anthropic_messages.carry import (
    PROTOCOL,
    cache_control,
    cache_hint,
    carried,
    own,
    wrap,
)
from lip_wire.anthropic import message_create_request as w

_TEXT = frozenset({"type", "text", "cache_control"})
_IMAGE = frozenset({"type", "source", "cache_control"})
_DOCUMENT = frozenset({"type", "source", "title", "context", "cache_control"})
_TOOL_USE = frozenset({"type", "id", "name", "input"})
_TOOL_RESULT = frozenset({"type", "tool_use_id", "content", "is_error", "cache_control"})
_THINKING = frozenset({"type", "thinking", "signature"})


# -- decoding: wire blocks -> parts


def text_part(block: w.TextBlockParam) -> TextPart:
    return TextPart(
        text=block.text,
        cache=cache_hint(block.cache_control),
        extensions=wrap(carried(block, _TEXT)),
    )


def _opaque(block: BaseModel) -> OpaquePart:
    """A block with no canonical meaning, kept as sent for Anthropic upstreams."""
    return OpaquePart(
        origin=PROTOCOL, block=block.model_dump(mode="json", by_alias=True, exclude_unset=True)
    )


def _image_part(block: w.ImageBlockParam) -> ImagePart | OpaquePart:
    source = block.source
    extensions = wrap(carried(block, _IMAGE))
    cache = cache_hint(block.cache_control)
    if isinstance(source, w.Base64ImageSourceParam):
        return ImagePart(
            data=source.data, media_type=source.media_type, cache=cache, extensions=extensions
        )
    if isinstance(source, w.URLImageSourceParam):
        return ImagePart(url=source.url, cache=cache, extensions=extensions)
    return _opaque(block)  # by file id: Anthropic's Files API


def _document_part(block: w.DocumentBlockParam) -> FilePart | OpaquePart:
    source = block.source
    common: dict[str, Any] = {
        "title": block.title,
        "context": block.context,
        "cache": cache_hint(block.cache_control),
        "extensions": wrap(carried(block, _DOCUMENT)),
    }
    if isinstance(source, w.Base64PDFSourceParam):
        return FilePart(data=source.data, media_type=source.media_type, **common)
    if isinstance(source, w.PlainTextSourceParam):
        return FilePart(text=source.data, **common)
    if isinstance(source, w.URLPDFSourceParam):
        return FilePart(url=source.url, media_type="application/pdf", **common)
    if isinstance(source, w.FileDocumentSourceParam):
        return FilePart(file_id=source.file_id, **common)
    return _opaque(block)  # a document made of content blocks


def _result_content(block: w.ToolResultBlockParam) -> tuple[ToolResultContent, ...]:
    content = block.content
    if content is None:
        return ()
    if isinstance(content, str):
        return (TextPart(text=content),)
    parts: list[ToolResultContent] = []
    for item in content:
        if isinstance(item, w.TextBlockParam):
            parts.append(text_part(item))
        elif isinstance(item, w.ImageBlockParam):
            parts.append(_image_part(item))
        elif isinstance(item, w.DocumentBlockParam):
            parts.append(_document_part(item))
        else:  # search results, tool references, ...
            parts.append(_opaque(item))
    return tuple(parts)


def part_of(block: BaseModel) -> Part:
    match block:
        case w.TextBlockParam():
            return text_part(block)
        case w.ImageBlockParam():
            return _image_part(block)
        case w.DocumentBlockParam():
            return _document_part(block)
        case w.ToolUseBlockParam():
            return ToolCallPart(
                id=block.id,
                name=block.name,
                arguments=json.dumps(block.input, separators=(",", ":")),
                extensions=wrap(carried(block, _TOOL_USE)),
            )
        case w.ToolResultBlockParam():
            # An explicit ``is_error: false`` is carried, so it goes back as sent.
            handled = _TOOL_RESULT if block.is_error is not False else _TOOL_RESULT - {"is_error"}
            return ToolResultPart(
                call_id=block.tool_use_id,
                content=_result_content(block),
                is_error=bool(block.is_error),
                cache=cache_hint(block.cache_control),
                extensions=wrap(carried(block, handled)),
            )
        case w.ThinkingBlockParam():
            return ReasoningPart(
                text=block.thinking,
                state=ProviderState(origin=PROTOCOL, signature=block.signature),
                extensions=wrap(carried(block, _THINKING)),
            )
        case w.RedactedThinkingBlockParam():
            return ReasoningPart(
                redacted=True, state=ProviderState(origin=PROTOCOL, encrypted=block.data)
            )
        case _:  # server-tool calls and results, search results, ...
            return _opaque(block)


# -- encoding: parts -> wire blocks


def _with(
    body: dict[str, JSONValue], part: TextPart | ImagePart | FilePart | ToolResultPart
) -> None:
    hint = cache_control(part.cache)
    if hint is not None:
        body["cache_control"] = hint
    body.update(own(part.extensions))


def text_block(part: TextPart) -> dict[str, JSONValue]:
    body: dict[str, JSONValue] = {"type": "text", "text": part.text}
    _with(body, part)
    return body


def _image_block(part: ImagePart) -> dict[str, JSONValue]:
    source: dict[str, JSONValue]
    if part.url is not None:
        source = {"type": "url", "url": part.url}
    else:
        source = {
            "type": "base64",
            "media_type": part.media_type or "image/png",
            "data": part.data or "",
        }
    body: dict[str, JSONValue] = {"type": "image", "source": source}
    _with(body, part)
    return body


def _document_block(part: FilePart) -> dict[str, JSONValue]:
    source: dict[str, JSONValue]
    if part.text is not None:
        source = {"type": "text", "media_type": "text/plain", "data": part.text}
    elif part.url is not None:
        source = {"type": "url", "url": part.url}
    elif part.data is not None:
        source = _inline_document(part.data, part.media_type or "application/pdf")
    else:
        source = {"type": "file", "file_id": part.file_id or ""}
    body: dict[str, JSONValue] = {"type": "document", "source": source}
    if part.title is not None:
        body["title"] = part.title
    elif part.filename is not None:
        body["title"] = part.filename
    if part.context is not None:
        body["context"] = part.context
    _with(body, part)
    return body


def _inline_document(data: str, media_type: str) -> dict[str, JSONValue]:
    """An inline document as Anthropic takes it: PDF as base64, plain text as
    text (decoded); any other type has no Anthropic form (a 400 before network)."""
    kind = media_type.split(";", 1)[0].strip().lower()
    if kind == "application/pdf":
        return {"type": "base64", "media_type": "application/pdf", "data": data}
    if kind == "text/plain":
        try:
            text = base64.b64decode(data, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise InvalidRequestError(
                "An inline text/plain document is not valid base64 UTF-8 text.",
                code="invalid_value",
            ) from None
        return {"type": "text", "media_type": "text/plain", "data": text}
    raise InvalidRequestError(
        f"An Anthropic upstream accepts inline documents only as PDF or plain text, "
        f"not {kind!r}; send it as text or convert it.",
        code="unsupported_value",
    )


def _arguments(part: ToolCallPart) -> dict[str, JSONValue]:
    try:
        value = json.loads(part.arguments) if part.arguments.strip() else {}
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise InvalidRequestError(
            f"The arguments of tool call '{part.id}' are not a JSON object;"
            " an Anthropic upstream needs one.",
            param="messages",
            code="invalid_value",
        )
    return value


def _tool_result(part: ToolResultPart) -> dict[str, JSONValue]:
    body: dict[str, JSONValue] = {"type": "tool_result", "tool_use_id": part.call_id}
    plain = all(
        isinstance(p, TextPart) and p.cache is None and not p.extensions for p in part.content
    )
    if plain and len(part.content) <= 1:
        text = part.content[0].text if part.content else ""  # type: ignore[union-attr]
        if text:
            body["content"] = text
    else:
        body["content"] = [_block(p) for p in part.content if not _empty_text(p)]
    if part.is_error:
        body["is_error"] = True
    _with(body, part)
    return body


def _empty_text(part: Part) -> bool:
    return isinstance(part, TextPart) and not part.text


def _block(part: Part) -> dict[str, JSONValue]:
    match part:
        case TextPart():
            return text_block(part)
        case RefusalPart(text=t):
            return {"type": "text", "text": t}
        case ImagePart():
            return _image_block(part)
        case FilePart():
            return _document_block(part)
        case AudioPart():
            raise InvalidRequestError(
                "An Anthropic upstream does not take audio input.",
                param="messages",
                code="unsupported_value",
            )
        case ToolCallPart():
            body: dict[str, JSONValue] = {
                "type": "tool_use",
                "id": part.id,
                "name": part.name,
                "input": _arguments(part),
            }
            body.update(own(part.extensions))
            return body
        case ToolResultPart():
            return _tool_result(part)
        case ReasoningPart():
            raise AssertionError("reasoning is encoded by _reasoning")
        case OpaquePart():
            if part.origin != PROTOCOL:
                raise foreign_block(part, "an Anthropic upstream")
            return dict(part.block)
        case _:
            assert_never(part)


def _reasoning(part: ReasoningPart) -> dict[str, JSONValue] | None:
    """Thinking is replayed only with its Anthropic signature (the API checks it)."""
    state = state_for(part.state, PROTOCOL)
    if state is None:
        return None
    if part.redacted:
        return {"type": "redacted_thinking", "data": state.encrypted or ""}
    if state.signature is None:
        return None
    body: dict[str, JSONValue] = {
        "type": "thinking",
        "thinking": part.text,
        "signature": state.signature,
    }
    body.update(own(part.extensions))
    return body


def blocks_of(message: Message) -> list[dict[str, JSONValue]]:
    blocks: list[dict[str, JSONValue]] = []
    for part in sendable(message.parts, PROTOCOL, assistant=message.role == "assistant"):
        if isinstance(part, ReasoningPart):
            thinking = _reasoning(part)
            if thinking is not None:
                blocks.append(thinking)
        elif not _empty_text(part):  # the API refuses empty text blocks
            blocks.append(_block(part))
    return blocks


__all__ = ["blocks_of", "part_of", "text_block", "text_part"]
