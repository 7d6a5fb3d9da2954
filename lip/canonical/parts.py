"""Message parts: the content vocabulary shared by every protocol.

A part is immutable and checked when built: a state no protocol can express
(an image with two sources, a document with none) is a bug in the code that
built it and raises ``ValueError`` at once.

Two kinds of data ride along that have no canonical meaning:

* ``extensions``: vendor fields of the part, keyed by protocol
  (``{protocol: {field: value}}``), so a same-protocol round
  trip loses nothing;
* ``state``: opaque provider state (:class:`ProviderState`) — reasoning
  signatures, encrypted reasoning, Gemini ``thoughtSignature``, Responses
  item ids — tagged with the protocol that produced it, because only that
  protocol may receive it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, TypeAlias

from lip.canonical.json import JSONValue

Extensions: TypeAlias = Mapping[str, Mapping[str, JSONValue]]
"""Vendor fields with no canonical meaning, keyed by protocol name."""

NO_EXTENSIONS: Extensions = MappingProxyType({})


def no_extensions() -> Extensions:
    """Default factory for ``extensions`` fields: the shared empty mapping."""
    return NO_EXTENSIONS


_NO_FIELDS: Mapping[str, JSONValue] = MappingProxyType({})


def fields_for(extensions: Extensions, protocol: str) -> Mapping[str, JSONValue]:
    """The vendor fields carried for ``protocol`` (empty when none)."""
    return extensions.get(protocol, _NO_FIELDS)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderState:
    """Opaque state a vendor attached to a part; only ever sent back to ``origin``.

    ``signature``: Anthropic thinking signature, Gemini ``thoughtSignature``.
    ``encrypted``: Responses ``encrypted_content``, Anthropic redacted thinking data.
    ``item_id``: Responses output item id (``rs_``, ``fc_``, ``msg_``), kept beside
    a tool call's ``call_id``.
    """

    origin: str
    signature: str | None = None
    encrypted: str | None = None
    item_id: str | None = None

    def __post_init__(self) -> None:
        if not self.origin:
            raise ValueError("provider state needs the protocol that produced it")

    def merged(self, later: ProviderState) -> ProviderState:
        """Combine two reports for the same part: later values win when set."""
        return ProviderState(
            origin=later.origin,
            signature=later.signature or self.signature,
            encrypted=later.encrypted or self.encrypted,
            item_id=later.item_id or self.item_id,
        )


def state_for(state: ProviderState | None, protocol: str) -> ProviderState | None:
    """``state`` when ``protocol`` produced it, else ``None`` (it must not leak across)."""
    return state if state is not None and state.origin == protocol else None


@dataclass(frozen=True, slots=True, kw_only=True)
class CacheHint:
    """A prompt-cache breakpoint after this content (Anthropic ``cache_control``)."""

    ttl: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """A source a text span relies on: a URL, a document of the request, or a file."""

    kind: Literal["url", "document", "file"]
    url: str | None = None
    title: str | None = None
    cited_text: str | None = None
    start: int | None = None
    """Character offsets into the text part (``end`` exclusive), when the vendor gives them."""
    end: int | None = None
    document_index: int | None = None
    file_id: str | None = None
    extensions: Extensions = field(default_factory=no_extensions)


@dataclass(frozen=True, slots=True, kw_only=True)
class TextPart:
    text: str
    citations: tuple[Citation, ...] = ()
    cache: CacheHint | None = None
    state: ProviderState | None = None
    extensions: Extensions = field(default_factory=no_extensions)


@dataclass(frozen=True, slots=True, kw_only=True)
class RefusalPart:
    """A model's refusal (OpenAI ``refusal``); other protocols project it to text."""

    text: str
    extensions: Extensions = field(default_factory=no_extensions)


@dataclass(frozen=True, slots=True, kw_only=True)
class ImagePart:
    """An image by URL or inline base64 data (exactly one of the two)."""

    url: str | None = None
    data: str | None = None
    media_type: str | None = None
    detail: str | None = None
    cache: CacheHint | None = None
    extensions: Extensions = field(default_factory=no_extensions)

    def __post_init__(self) -> None:
        if (self.url is None) == (self.data is None):
            raise ValueError("an image needs exactly one source: url or data")


@dataclass(frozen=True, slots=True, kw_only=True)
class FilePart:
    """A document from exactly one source: inline base64 ``data``, a ``url``, a
    vendor ``file_id`` or plain ``text``. ``title``/``context`` describe it to the
    model (Anthropic document blocks); ``filename`` is the client's name for it."""

    data: str | None = None
    url: str | None = None
    file_id: str | None = None
    text: str | None = None
    media_type: str | None = None
    filename: str | None = None
    title: str | None = None
    context: str | None = None
    cache: CacheHint | None = None
    extensions: Extensions = field(default_factory=no_extensions)

    def __post_init__(self) -> None:
        sources = sum(s is not None for s in (self.data, self.url, self.file_id, self.text))
        # OpenAI Chat allows file_id together with data; everything else has one source.
        both = self.file_id is not None and self.data is not None
        if sources == 0 or (sources > 1 and not (sources == 2 and both)):
            raise ValueError("a document needs one source: data, url, file_id or text")


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioPart:
    data: str
    format: str
    extensions: Extensions = field(default_factory=no_extensions)


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCallPart:
    """A call the model made; ``arguments`` is the JSON text exactly as produced."""

    id: str
    name: str
    arguments: str
    state: ProviderState | None = None
    extensions: Extensions = field(default_factory=no_extensions)


@dataclass(frozen=True, slots=True, kw_only=True)
class OpaquePart:
    """A content block of one protocol that the canonical model has no meaning
    for (an Anthropic server-tool call or its result in history, a search
    result, an image by file id): ``block`` as the client sent it, for
    backends of its ``origin`` protocol only. A backend of another protocol
    leaves it out of an assistant turn (the model's own earlier work, a
    documented loss) and refuses it anywhere else (input the model would not
    see) with a 400 naming the block type."""

    origin: str
    block: dict[str, JSONValue]

    @property
    def kind(self) -> str:
        """The block's ``type``, or its one field's name (Gemini parts are untyped)."""
        kind = self.block.get("type")
        return str(kind) if kind is not None else next(iter(self.block), "?")


ToolResultContent: TypeAlias = "TextPart | ImagePart | FilePart | OpaquePart"


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolResultPart:
    call_id: str
    content: tuple[ToolResultContent, ...]
    is_error: bool = False
    name: str | None = None
    cache: CacheHint | None = None
    extensions: Extensions = field(default_factory=no_extensions)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReasoningPart:
    """Model reasoning: the full ``text`` and/or a ``summary`` (Responses summary
    parts), ``redacted`` when the vendor hid it (the payload is in ``state``)."""

    text: str = ""
    summary: tuple[str, ...] = ()
    redacted: bool = False
    state: ProviderState | None = None
    extensions: Extensions = field(default_factory=no_extensions)

    def __post_init__(self) -> None:
        if self.redacted and (self.state is None or self.state.encrypted is None):
            raise ValueError("redacted reasoning carries its payload in state.encrypted")


Part: TypeAlias = (
    TextPart
    | RefusalPart
    | ImagePart
    | FilePart
    | AudioPart
    | ToolCallPart
    | ToolResultPart
    | ReasoningPart
    | OpaquePart
)

OutputPart: TypeAlias = TextPart | RefusalPart | ReasoningPart | ToolCallPart
"""What a model produces: the parts a response's output blocks fold into."""


def text_of(parts: tuple[Part, ...], *, sep: str = "") -> str:
    """Concatenate the text parts (used where a protocol only carries a string)."""
    return sep.join(p.text for p in parts if isinstance(p, TextPart))


__all__ = [
    "NO_EXTENSIONS",
    "AudioPart",
    "CacheHint",
    "Citation",
    "Extensions",
    "FilePart",
    "ImagePart",
    "OpaquePart",
    "OutputPart",
    "Part",
    "ProviderState",
    "ReasoningPart",
    "RefusalPart",
    "TextPart",
    "ToolCallPart",
    "ToolResultContent",
    "ToolResultPart",
    "fields_for",
    "no_extensions",
    "state_for",
    "text_of",
]
