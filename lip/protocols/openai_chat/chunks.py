"""One ``chat.completion.chunk`` read into a :class:`Chunk`: what the stream decoder acts on.

Two readers give the same :class:`Chunk`:

- :func:`read_plain` takes the parsed JSON of the common chunk shape
  (text, reasoning and tool-call deltas, finish reasons, the repeated
  ``system_fingerprint``), checks the type of every field it reads, and
  answers ``None`` for anything else;
- :func:`read_typed` takes the chunk validated by the generated wire model,
  for every other chunk (usage, logprobs, annotations, unknown fields inside
  a choice, values of another type that the model coerces or rejects).

Most chunks of a stream take the first path and skip the wire model's
validation; a test holds the two readers equal on every chunk both accept.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import msgspec
import orjson
from pydantic import ValidationError

from lip.canonical import Citation, JSONValue, UpstreamError, Usage
from lip.protocols.carry import carried
from lip_wire.openai import chat_completion as unary
from lip_wire.openai import chat_completion_chunk as chunked

# Fields translated into events; every other top-level field set is carried.
# ``obfuscation`` pads each chunk with random characters so that chunk sizes
# do not reveal token lengths (stream_options.include_obfuscation). It
# belongs to one chunk on one connection: relayed onto other chunks it would
# mean nothing, so it is not carried (a documented projection).
CHUNK_TOP = frozenset({"id", "object", "created", "model", "choices", "usage", "obfuscation"})
_DELTA_CALL = frozenset({"index", "id", "type", "function"})
_CACHED = frozenset({"cached_tokens"})
_REASONING = frozenset({"reasoning_tokens"})
_USAGE_HANDLED = frozenset(
    {
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "prompt_tokens_details",
        "completion_tokens_details",
    }
)


class CallDelta(NamedTuple):
    """One streamed tool-call fragment, keyed by the call's ``index``."""

    call_index: int
    id: str | None
    name: str | None
    arguments: str | None
    extra: dict[str, JSONValue]


class ChoiceDelta(NamedTuple):
    """What choice 0 of a chunk adds, in the order it is applied."""

    logprobs: JSONValue
    reasoning: str | None
    content: str | None
    refusal: str | None
    citations: tuple[Citation, ...]
    calls: tuple[CallDelta, ...]
    finish_reason: str | None
    extra: dict[str, JSONValue]
    """The choice's fields beyond the schema (vLLM's ``stop_reason``)."""


class Chunk(NamedTuple):
    id: str
    model: str
    created: int
    top: dict[str, JSONValue]
    """Top-level fields carried as extensions (``system_fingerprint``, ...)."""
    usage: tuple[Usage, JSONValue] | None
    """Canonical usage and the details with no canonical meaning."""
    choices: tuple[ChoiceDelta, ...]
    """Choices with index 0 (LIP answers with one choice)."""


def reasoning_of(extra: dict[str, Any]) -> str | None:
    """``reasoning_content`` (vLLM, DeepSeek) or ``reasoning`` (OpenRouter, Ollama)."""
    value = extra.get("reasoning_content") or extra.get("reasoning")
    return value if isinstance(value, str) else None


# -- the plain path
#
# Written for speed: it runs for nearly every chunk of every stream. A field
# is read only after its type is checked (``type(x) is str``: a subclass or
# a coercible value goes to the wire model).

# Declared top-level fields the plain path carries, in schema order
# (``moderation`` only when null), and the fields of a plain delta.
_TOP_SCALARS = ("moderation", "service_tier", "system_fingerprint")
_TOP_DECLARED = frozenset({*_TOP_SCALARS, *CHUNK_TOP})
_CHOICE_KEYS = frozenset({"index", "delta", "finish_reason", "logprobs"})
_DELTA_TEXT = frozenset({"role", "content", "refusal", "reasoning_content", "reasoning"})
_FUNCTION_KEYS = frozenset({"name", "arguments"})


def read_plain(obj: object) -> Chunk | None:
    """``obj`` (parsed JSON) as a :class:`Chunk`, or ``None`` when it is not of the plain shape."""
    if type(obj) is not dict:
        return None
    get = obj.get
    id_, model, created, choices = get("id"), get("model"), get("created"), get("choices")
    if (
        type(id_) is not str
        or type(model) is not str
        or type(created) is not int
        or type(choices) is not list
        or get("object") != "chat.completion.chunk"
        or get("usage") is not None
        or get("moderation") is not None
    ):
        return None
    top: dict[str, JSONValue] = {}
    known = 5 + ("usage" in obj)
    if len(obj) > known:
        obfuscation = get("obfuscation", _ABSENT)
        if obfuscation is not _ABSENT:
            if obfuscation is not None and type(obfuscation) is not str:
                return None
            known += 1
        for name in _TOP_SCALARS:
            value = get(name, _ABSENT)
            if value is not _ABSENT:
                if value is not None and type(value) is not str:
                    return None
                top[name] = value
        if len(obj) > known + len(top):  # unknown fields: carried as they came
            for name, value in obj.items():
                if name not in _TOP_DECLARED:
                    top[name] = value
    read: list[ChoiceDelta] = []
    for choice in choices:
        if type(choice) is not dict or not choice.keys() <= _CHOICE_KEYS:
            return None
        index, finish = choice.get("index"), choice.get("finish_reason")
        if type(index) is not int or choice.get("logprobs") is not None:
            return None
        if finish is not None and type(finish) is not str:
            return None
        part = _plain_delta(choice.get("delta"), finish)
        if part is None:
            return None
        if index == 0:
            read.append(part)
    return Chunk(id_, model, created, top, None, tuple(read))


_ABSENT = object()


def _plain_delta(delta: object, finish: str | None) -> ChoiceDelta | None:
    if type(delta) is not dict:
        return None
    calls: tuple[CallDelta, ...] = ()
    for name, value in delta.items():
        if name in _DELTA_TEXT:
            if value is not None and type(value) is not str:
                return None
        elif name != "tool_calls":
            return None
        elif value is not None:
            read = _plain_calls(value)
            if read is None:
                return None
            calls = read
    return ChoiceDelta(
        None,
        reasoning_of(delta),
        delta.get("content"),
        delta.get("refusal"),
        (),
        calls,
        finish,
        {},
    )


def _plain_calls(calls: object) -> tuple[CallDelta, ...] | None:
    if type(calls) is not list:
        return None
    read: list[CallDelta] = []
    for call in calls:
        if type(call) is not dict or not call.keys() <= _DELTA_CALL:
            return None
        index, id_, fn = call.get("index"), call.get("id"), call.get("function")
        if type(index) is not int or call.get("type") not in (None, "function"):
            return None
        if id_ is not None and type(id_) is not str:
            return None
        name = arguments = None
        if fn is not None:
            if type(fn) is not dict or not fn.keys() <= _FUNCTION_KEYS:
                return None
            name, arguments = fn.get("name"), fn.get("arguments")
            if (name is not None and type(name) is not str) or (
                arguments is not None and type(arguments) is not str
            ):
                return None
        read.append(CallDelta(index, id_, name, arguments, {}))
    return tuple(read)


# -- the struct path: the plain shape, typed and checked in C (msgspec)


class _Function(msgspec.Struct, forbid_unknown_fields=True):
    name: str | None = None
    arguments: str | None = None


class _Call(msgspec.Struct, forbid_unknown_fields=True):
    index: int
    id: str | None = None
    type: Literal["function"] | None = None
    function: _Function | None = None


class _Delta(msgspec.Struct, forbid_unknown_fields=True):
    role: str | None = None
    content: str | None = None
    refusal: str | None = None
    reasoning_content: str | None = None
    reasoning: str | None = None
    tool_calls: list[_Call] | None = None


class _Choice(msgspec.Struct, forbid_unknown_fields=True):
    index: int
    delta: _Delta
    finish_reason: str | None = None
    logprobs: None = None


class _Chunk(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    object: Literal["chat.completion.chunk"]
    created: int
    model: str
    choices: list[_Choice]
    usage: None = None
    obfuscation: str | None = None
    moderation: msgspec.UnsetType | None = msgspec.UNSET
    service_tier: str | msgspec.UnsetType | None = msgspec.UNSET
    system_fingerprint: str | msgspec.UnsetType | None = msgspec.UNSET


_DECODE = msgspec.json.Decoder(_Chunk).decode


def read_fast(data: str) -> Chunk | None:
    """A chunk's JSON text as a :class:`Chunk` when it is of the plain shape
    (checked in C; one with unknown top-level fields through :func:`read_plain`),
    else ``None``."""
    try:
        chunk = _DECODE(data)
    except msgspec.ValidationError:
        try:
            return read_plain(orjson.loads(data))
        except orjson.JSONDecodeError:
            return None
    except msgspec.DecodeError:
        return None
    top: dict[str, JSONValue] = {}
    if chunk.moderation is not msgspec.UNSET:
        top["moderation"] = None
    if chunk.service_tier is not msgspec.UNSET:
        top["service_tier"] = chunk.service_tier
    if chunk.system_fingerprint is not msgspec.UNSET:
        top["system_fingerprint"] = chunk.system_fingerprint
    choices = tuple(_struct_delta(c) for c in chunk.choices if c.index == 0)
    return Chunk(chunk.id, chunk.model, chunk.created, top, None, choices)


def _struct_delta(choice: _Choice) -> ChoiceDelta:
    delta = choice.delta
    calls: tuple[CallDelta, ...] = ()
    if delta.tool_calls:
        calls = tuple(
            CallDelta(c.index, c.id, None, None, {})
            if c.function is None
            else CallDelta(c.index, c.id, c.function.name, c.function.arguments, {})
            for c in delta.tool_calls
        )
    reasoning = delta.reasoning_content or delta.reasoning
    return ChoiceDelta(
        None, reasoning, delta.content, delta.refusal, (), calls, choice.finish_reason, {}
    )


# -- the typed path


def read_typed(chunk: chunked.ChatCompletionChunk) -> Chunk:
    """A chunk validated by the wire model, as a :class:`Chunk`."""
    top = carried(chunk, CHUNK_TOP)
    usage = usage_of(chunk.usage) if chunk.usage is not None else None
    choices = tuple(_typed_choice(c) for c in chunk.choices if c.index == 0)
    return Chunk(chunk.id, chunk.model, chunk.created, top, usage, choices)


def _typed_choice(choice: chunked.Choice) -> ChoiceDelta:
    delta = choice.delta
    extra = delta.model_extra or {}
    logprobs = None
    if choice.logprobs is not None:
        logprobs = choice.logprobs.model_dump(mode="json", exclude_unset=True)
    calls = tuple(
        CallDelta(
            call.index,
            call.id,
            call.function.name if call.function is not None else None,
            call.function.arguments if call.function is not None else None,
            carried(call, _DELTA_CALL) if call.model_extra else {},
        )
        for call in delta.tool_calls or ()
    )
    return ChoiceDelta(
        logprobs,
        reasoning_of(extra) if extra else None,
        delta.content,
        delta.refusal,
        tuple(citations(delta)),
        calls,
        choice.finish_reason,
        dict(choice.model_extra or {}),
    )


def usage_of(usage: unary.CompletionUsage | chunked.CompletionUsage) -> tuple[Usage, JSONValue]:
    """Canonical usage plus the details with no canonical meaning."""
    prompt = usage.prompt_tokens_details
    completion = usage.completion_tokens_details
    canonical = Usage(
        input_tokens=usage.prompt_tokens,
        output_tokens=usage.completion_tokens,
        cached_input_tokens=prompt.cached_tokens if prompt is not None else None,
        reasoning_tokens=completion.reasoning_tokens if completion is not None else None,
    )
    extra: dict[str, JSONValue] = {}
    for name, details, handled in (
        ("prompt_tokens_details", prompt, _CACHED),
        ("completion_tokens_details", completion, _REASONING),
    ):
        if details is not None:
            rest = carried(details, handled)  # audio tokens, prediction tokens, ...
            if rest:
                extra[name] = rest
    if usage.model_fields_set - _USAGE_HANDLED:
        extra.update(carried(usage, _USAGE_HANDLED))
    return canonical, extra or None


def citations(source: unary.ChatCompletionMessage | chunked.ChoiceDelta) -> list[Citation]:
    """URL citations of a message, or of a delta (read from its unknown fields)."""
    if isinstance(source, unary.ChatCompletionMessage):
        annotations = source.annotations or []
    else:  # streamed annotations are not in the chunk schema yet: read them typed
        raw = (source.model_extra or {}).get("annotations")
        if not raw:
            return []
        try:
            annotations = [unary.Annotation.model_validate(a) for a in raw]
        except ValidationError:
            raise UpstreamError("the upstream sent malformed annotations") from None
    return [
        Citation(
            kind="url",
            url=a.url_citation.url,
            title=a.url_citation.title,
            start=a.url_citation.start_index,
            end=a.url_citation.end_index,
        )
        for a in annotations
    ]


__all__ = [
    "CHUNK_TOP",
    "CallDelta",
    "ChoiceDelta",
    "Chunk",
    "citations",
    "read_fast",
    "read_plain",
    "read_typed",
    "reasoning_of",
    "usage_of",
]
