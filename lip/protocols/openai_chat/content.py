"""OpenAI Chat message content -> canonical parts (the request side).

https://platform.openai.com/docs/api-reference/chat/create#chat-create-messages.
A part's fields with no canonical meaning ride in its extensions; an
Anthropic-style ``cache_control`` becomes a cache hint.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import assert_never

from lip.canonical import (
    AudioPart,
    FilePart,
    ImagePart,
    InvalidRequestError,
    Part,
    RefusalPart,
    TextPart,
)
from lip.protocols.openai_chat.carry import cache_hint, carried, wrap
from lip_wire.openai import chat_completion_request as w

__all__ = ["parts_of"]

_DATA_URL = re.compile(r"^data:(?P<type>[\w.+-]+/[\w.+-]+)?(?:;[^,]*)?;base64,(?P<data>.*)$", re.S)

_ContentItem = (
    w.ChatCompletionContentPartTextParam
    | w.ChatCompletionContentPartRefusalParam
    | w.ChatCompletionContentPartImageParam
    | w.ChatCompletionContentPartInputAudioParam
    | w.File
)


def parts_of(content: str | Sequence[_ContentItem] | None) -> tuple[Part, ...]:
    if content is None:
        return ()
    if isinstance(content, str):
        return (TextPart(text=content),)
    return tuple(_part(p) for p in content)


def _part(part: _ContentItem) -> Part:
    match part:
        case w.ChatCompletionContentPartTextParam():
            extra = carried(part, _TEXT)
            return TextPart(text=part.text, cache=cache_hint(extra), extensions=wrap(extra))
        case w.ChatCompletionContentPartRefusalParam():
            return RefusalPart(text=part.refusal, extensions=wrap(carried(part, _REFUSAL)))
        case w.ChatCompletionContentPartImageParam():
            extra = carried(part, _IMAGE)
            image = part.image_url
            inner = carried(image, _IMAGE_URL)
            if inner:
                extra["image_url"] = inner
            cache, ext = cache_hint(extra), wrap(extra)
            match = _DATA_URL.match(image.url)
            if match:
                return ImagePart(
                    data=match["data"],
                    media_type=match["type"],
                    detail=image.detail,
                    cache=cache,
                    extensions=ext,
                )
            return ImagePart(url=image.url, detail=image.detail, cache=cache, extensions=ext)
        case w.ChatCompletionContentPartInputAudioParam():
            audio = part.input_audio
            return AudioPart(
                data=audio.data, format=audio.format, extensions=wrap(carried(part, _AUDIO))
            )
        case w.File():
            extra = carried(part, _FILE)
            file = part.file
            data, media_type = file.file_data, None
            if data is not None and (found := _DATA_URL.match(data)):
                data, media_type = found["data"], found["type"]
            if data is None and file.file_id is None:
                raise InvalidRequestError(
                    "A file part needs 'file_data' or 'file_id'.",
                    param="messages.content.file",
                    code="invalid_value",
                )
            return FilePart(
                data=data,
                file_id=file.file_id,
                filename=file.filename,
                media_type=media_type,
                cache=cache_hint(extra),
                extensions=wrap(extra),
            )
        case _:
            assert_never(part)


_TEXT = frozenset({"type", "text"})
_REFUSAL = frozenset({"type", "refusal"})
_IMAGE = frozenset({"type", "image_url"})
_IMAGE_URL = frozenset({"url", "detail"})
_AUDIO = frozenset({"type", "input_audio"})
_FILE = frozenset({"type", "file"})
