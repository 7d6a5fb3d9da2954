"""One ``chat.completion.chunk`` read into a :class:`Chunk`: what the stream decoder acts on.

Two readers give the same :class:`Chunk`:

- :func:`read_fast` decodes the common chunk shape (text, reasoning and
  tool-call deltas, finish reasons, the repeated ``system_fingerprint``)
  and checks every field's type in C (msgspec structs that refuse unknown
  fields and values of another type), and answers ``None`` for anything else;
- :func:`read_typed` takes the chunk validated by the generated wire model,
  for every other chunk (usage, logprobs, annotations, unknown fields, values
  the model coerces or rejects).

Most chunks of a stream take the first path and skip the wire model's
validation; a test holds the two readers equal on every chunk both accept.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import msgspec
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


# -- the fast path: the common shape, typed and checked in C (msgspec)


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
    """A chunk's JSON text as a :class:`Chunk` when it is of the common shape,
    else ``None`` (the caller then validates it with the wire model)."""
    try:
        chunk = _DECODE(data)
    except (msgspec.ValidationError, msgspec.DecodeError):
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
    "read_typed",
    "reasoning_of",
    "usage_of",
]
