"""The common ``GenerateContentResponse`` shape, checked without the wire model.

A streamed reply is a ``GenerateContentResponse`` per chunk, nearly always
text (or thought) parts of one candidate, a finish reason at the end and the
usage. :func:`is_plain` checks exactly that shape in C (msgspec structs with
the wire's camelCase names, refusing unknown fields and values of another
type); a chunk it does not vouch for is checked by the generated model. A
test holds it to accepting nothing the wire model refuses.
"""

from __future__ import annotations

import msgspec

__all__ = ["is_plain"]


class _Part(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    text: str | None = None
    thought: bool | None = None
    thought_signature: str | None = None


class _Content(msgspec.Struct, forbid_unknown_fields=True):
    parts: list[_Part] | None = None
    role: str | None = None


class _Candidate(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    content: _Content | None = None
    finish_reason: str | None = None
    index: int | None = None


class _Modality(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    modality: str | None = None
    token_count: int | None = None


class _Usage(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    prompt_token_count: int | None = None
    candidates_token_count: int | None = None
    total_token_count: int | None = None
    thoughts_token_count: int | None = None
    cached_content_token_count: int | None = None
    tool_use_prompt_token_count: int | None = None
    prompt_tokens_details: list[_Modality] | None = None
    candidates_tokens_details: list[_Modality] | None = None
    cache_tokens_details: list[_Modality] | None = None
    tool_use_prompt_tokens_details: list[_Modality] | None = None


class _Response(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    candidates: list[_Candidate] | None = None
    model_version: str | None = None
    response_id: str | None = None
    usage_metadata: _Usage | None = None


_DECODE = msgspec.json.Decoder(_Response).decode


def is_plain(data: bytes | str) -> bool:
    """Whether ``data`` is a ``GenerateContentResponse`` of the common shape."""
    try:
        _DECODE(data)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return False
    return True
