"""Message parts: the content vocabulary shared by every protocol.

A part is immutable. Opaque provider state (reasoning signatures, encrypted
reasoning) is tagged with the protocol that produced it, because only that
protocol may receive it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias


@dataclass(frozen=True, slots=True, kw_only=True)
class TextPart:
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RefusalPart:
    """A model's refusal (OpenAI ``refusal``); other protocols project it to text."""

    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ImagePart:
    """An image by URL or inline base64 data (exactly one of the two)."""

    url: str | None = None
    data: str | None = None
    media_type: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FilePart:
    """A document: inline base64 data, a URL, or a vendor file id."""

    data: str | None = None
    url: str | None = None
    file_id: str | None = None
    media_type: str | None = None
    filename: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioPart:
    data: str
    format: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCallPart:
    """A call the model made; ``arguments`` is the JSON text exactly as produced."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolResultPart:
    call_id: str
    content: tuple[TextPart | ImagePart | FilePart, ...]
    is_error: bool = False
    name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReasoningPart:
    """Model reasoning; ``signature``/``encrypted`` are only sent back to ``origin``."""

    text: str = ""
    signature: str | None = None
    encrypted: str | None = None
    redacted: bool = False
    origin: str | None = None


Part: TypeAlias = (
    TextPart
    | RefusalPart
    | ImagePart
    | FilePart
    | AudioPart
    | ToolCallPart
    | ToolResultPart
    | ReasoningPart
)

OutputPart: TypeAlias = TextPart | RefusalPart | ReasoningPart | ToolCallPart
"""What a model produces: the parts a response's output blocks fold into."""


def text_of(parts: tuple[Part, ...], *, sep: str = "") -> str:
    """Concatenate the text parts (used where a protocol only carries a string)."""
    return sep.join(p.text for p in parts if isinstance(p, TextPart))


__all__ = [
    "AudioPart",
    "FilePart",
    "ImagePart",
    "OutputPart",
    "Part",
    "ReasoningPart",
    "RefusalPart",
    "TextPart",
    "ToolCallPart",
    "ToolResultPart",
    "text_of",
]
